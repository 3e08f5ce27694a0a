//! One employee: profile, groups, apps and their access state, hardware, tasks, history,
//! and Actions → Offboard Employee.

use leptos::prelude::*;
use tenure_domain::work_zone::WorkZone;
use tenure_domain::{
    AccessRecord, AuditEntry, Catalog, Decision, Employee, Offboarding, Task, TaskKind,
};

use super::employees::status_badge;
use super::task_forms::{describe, group_label};
use super::tasks::task_table;
use super::when;
use crate::{Chrome, Nav, document};

#[derive(Debug, Clone)]
pub struct ProfilePage {
    pub employee: Employee,
    pub catalog: Catalog,
    /// Newest first.
    pub tasks: Vec<Task>,
    /// Newest first.
    pub history: Vec<AuditEntry>,
    /// May offboard now.
    pub can_offboard: bool,
    /// May read shipping addresses (admins, and hardware champions working this
    /// employee's devices).
    pub show_addresses: bool,
    /// What actually happened, per application.
    pub access: Vec<AccessRecord>,
    /// The employee's devices (assigned, or on their way back).
    pub devices: Vec<tenure_domain::hardware::Asset>,
    /// Their returns, newest first.
    pub returns: Vec<tenure_domain::hardware::ReturnShipment>,
    /// MDM commands sent to their devices.
    pub commands: Vec<tenure_domain::hardware::MdmCommand>,
    /// Their work location as admins set zones for it (`place_label`), if HR gives one.
    pub work_place: Option<String>,
    /// The zone their days are counted in (their final day ends at midnight there).
    pub work_zone: WorkZone,
}

/// An app's access as its record tells it; apps without one wait for a decision.
fn access_state(page: &ProfilePage, app: &tenure_domain::AppId) -> (String, String, String) {
    match page.access.iter().find(|r| &r.app == app) {
        Some(r) => {
            let how = match &r.connector {
                Some(c) => format!("{} (via {c})", r.state.label()),
                None => r.state.label(),
            };
            (
                how,
                r.account_id.clone().unwrap_or_else(|| "—".into()),
                when(r.updated),
            )
        }
        None => (
            "not requested yet (waits for Complete IT Setup)".into(),
            "—".into(),
            "—".into(),
        ),
    }
}

/// Each group and channel the employee is (or was) in through a connector, with where
/// the membership stands: the ones they hold now, then those left or being left.
fn memberships(page: &ProfilePage) -> impl IntoView + use<> {
    let held = page.employee.groups_held();
    let mut rows: Vec<(String, String)> = held
        .iter()
        .map(|g| {
            let state = match page.access.iter().find(|r| r.app == g.key()) {
                Some(r) => format!("{} (via {})", r.state.group_label(), g.connector),
                None => "not joined yet (waits for Complete IT Setup)".into(),
            };
            (g.to_string(), state)
        })
        .collect();
    rows.extend(
        page.access
            .iter()
            .filter_map(|r| r.group.as_ref().map(|g| (g, r)))
            .filter(|(g, _)| !held.contains(*g))
            .map(|(g, r)| (g.to_string(), r.state.group_label())),
    );
    if rows.is_empty() {
        return view! { <p class="muted">"None."</p> }.into_any();
    }
    let items = rows
        .into_iter()
        .map(|(name, state)| view! { <li>{name} " — " <span class="muted">{state}</span></li> })
        .collect_view();
    view! { <ul aria-label="Groups and channels">{items}</ul> }.into_any()
}

pub fn profile(chrome: &Chrome, page: ProfilePage) -> String {
    let e = &page.employee;
    let name = e.name();
    let groups = e
        .access
        .groups
        .iter()
        .map(|g| view! { <li>{group_label(&page.catalog, g)}</li> })
        .collect_view();
    let mut listed: Vec<tenure_domain::AppId> = e.apps().into_iter().collect();
    for r in &page.access {
        if !listed.contains(&r.app) {
            listed.push(r.app.clone());
        }
    }
    let apps = listed
        .iter()
        .map(|a| {
            let (state, account, updated) = access_state(&page, a);
            view! {
                <tr>
                    <td>{page.catalog.app_name(a)}</td>
                    <td>{state}</td>
                    <td class="hide-sm">{account}</td>
                    <td class="hide-sm">{updated}</td>
                </tr>
            }
        })
        .collect_view();
    let externals = memberships(&page);
    let termination = e.termination.as_ref().map(|t| {
        let state = match &t.offboarding {
            Offboarding::Scheduled => "offboarding scheduled".to_string(),
            Offboarding::Held { hold } => format!("offboarding held for approval ({hold})"),
            Offboarding::Rejected { .. } => "held offboarding rejected".to_string(),
            Offboarding::Opened { days_late, .. } if *days_late > 0 => {
                format!("offboarding opened {days_late} days late")
            }
            Offboarding::Opened { .. } => "offboarding opened".to_string(),
            Offboarding::NotNeeded => "former employee".to_string(),
        };
        view! { <dt>"Final day"</dt><dd>{format!("{} ({state})", t.final_day)}</dd> }
    });
    let name_of = |r: &AccessRecord| match &r.group {
        Some(g) => g.to_string(),
        None => page.catalog.app_name(&r.app),
    };
    let revoked: Vec<String> = page
        .access
        .iter()
        .filter(|r| r.state.is_gone())
        .map(name_of)
        .collect();
    let pending: Vec<String> = page
        .access
        .iter()
        .filter(|r| r.state.is_pending())
        .map(|r| format!("{} ({})", name_of(r), r.state.label()))
        .collect();
    let hardware: Vec<String> = page
        .tasks
        .iter()
        .filter_map(|t| match (&t.kind, &t.decision) {
            (TaskKind::EquipNewHire { request, .. }, _) => Some(format!(
                "{} — Equip New Hire {}",
                request.clone().unwrap_or_else(|| "hardware".into()),
                t.state_name()
            )),
            (_, Some(d @ Decision::Offboard(_))) => Some(format!(
                "Return: {}",
                describe(&page.catalog, d, page.show_addresses).join("; ")
            )),
            _ => None,
        })
        .collect();
    let history = page
        .history
        .iter()
        .map(|h| view! { <tr><td class="hide-sm">{when(h.at)}</td><td>{h.detail.clone()}</td><td>{h.actor.to_string()}</td></tr> })
        .collect_view();
    let actions = (page.can_offboard && e.is_employed()).then(|| {
        let action = format!("/employees/{}/offboard", e.id);
        view! {
            <details class="card">
                <summary><strong>"Actions"</strong></summary>
                <form method="post" action=action>
                    {chrome.csrf_field()}
                    <p>"Offboard Employee today: the task opens now; access is revoked as soon as its revoke step is confirmed."</p>
                    <button type="submit" class="danger">"Offboard employee now"</button>
                </form>
            </details>
        }
    });
    let source = e
        .source
        .as_ref()
        .map_or_else(|| "added by hand (pre-hire)".to_string(), |s| s.to_string());
    let tasks = page.tasks.clone();
    let devices = devices_table(&page);
    let dept = e.profile.department.clone().unwrap_or_else(|| "—".into());
    let title = e.profile.title.clone().unwrap_or_else(|| "—".into());
    let start = e.start_date.map_or_else(|| "—".into(), |d| d.to_string());
    let place = page.work_place.clone().unwrap_or_else(|| "—".into());
    let zone = format!(
        "{} — {}",
        page.work_zone.name,
        page.work_zone.source.describe()
    );
    // Admins set a location's zone under Settings → Locations.
    let change_zone = chrome.admin.then(|| {
        view! { " " <a href="/settings/locations" class="muted">"(change)"</a> }
    });
    document(
        Some(chrome),
        Nav::Employees,
        &name,
        view! {
            <h1>{name.clone()} " " {status_badge(e.status, e.is_pre_hire())}</h1>
            {actions}
            <div class="grid">
                <div class="card">
                    <h2>"Profile"</h2>
                    <dl class="facts">
                        <dt>"Work email"</dt><dd>{e.profile.work_email.clone()}</dd>
                        <dt>"Department"</dt><dd>{dept}</dd>
                        <dt>"Title"</dt><dd>{title}</dd>
                        <dt>"Start date"</dt><dd>{start}</dd>
                        {termination}
                        <dt>"Work location"</dt><dd>{place}</dd>
                        <dt>"Time zone"</dt><dd>{zone}{change_zone}</dd>
                        <dt>"HR record"</dt><dd>{source}</dd>
                    </dl>
                </div>
                <div class="card">
                    <h2>"Groups"</h2>
                    <ul>{groups}</ul>
                    <h2>"Groups and channels"</h2>
                    {externals}
                </div>
            </div>
            <div class="card">
                <h2>"Applications"</h2>
                <div class="table-wrap">
                    <table aria-label="Applications">
                        <thead><tr><th>"Application"</th><th>"Access"</th><th class="hide-sm">"Account"</th><th class="hide-sm">"Since"</th></tr></thead>
                        <tbody>{apps}</tbody>
                    </table>
                </div>
                {(!revoked.is_empty()).then(|| view! { <p>"Revoked: " {revoked.join(", ")}</p> })}
                {(!pending.is_empty()).then(|| view! { <p>"Pending: " {pending.join("; ")}</p> })}
            </div>
            <div class="card">
                <h2>"Hardware"</h2>
                {devices}
                {(!hardware.is_empty()).then(|| {
                    let items = hardware.into_iter().map(|h| view! { <li>{h}</li> }).collect_view();
                    view! { <ul>{items}</ul> }
                })}
                {(!page.returns.is_empty()).then(|| view! {
                    <h3>"Returns"</h3>
                    {crate::pages::task_forms::hardware::returns_table(&page.returns, page.show_addresses)}
                })}
            </div>
            <h2>"Tasks"</h2>
            {task_table(tasks, "Tasks")}
            <h2>"History"</h2>
            <div class="table-wrap">
                <table aria-label="History">
                    <thead><tr><th class="hide-sm">"When"</th><th>"What"</th><th>"Who"</th></tr></thead>
                    <tbody>{history}</tbody>
                </table>
            </div>
        },
    )
}

/// The employee's devices: state, how each comes back, and its MDM command.
fn devices_table(page: &ProfilePage) -> impl IntoView + use<> {
    if page.devices.is_empty() {
        return view! { <p class="muted">"No devices assigned."</p> }.into_any();
    }
    let rows = page
        .devices
        .iter()
        .map(|a| {
            let ret = a
                .return_shipment
                .as_ref()
                .and_then(|id| page.returns.iter().find(|r| &r.id == id))
                .map(|r| format!("return {}: {}", r.id, r.state.words()))
                .unwrap_or_else(|| "—".into());
            let mdm = page
                .commands
                .iter()
                .filter(|c| c.asset == a.id)
                .map(|c| format!("{}: {}", c.verb(), c.state.words()))
                .collect::<Vec<_>>()
                .join("; ");
            view! {
                <tr>
                    <td><a href=format!("/hardware/assets/{}", a.id)>{a.label()}</a></td>
                    <td>{a.state.words()}</td>
                    <td>{ret}</td>
                    <td>{if mdm.is_empty() { "—".to_string() } else { mdm }}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table aria-label="Devices">
                <thead><tr><th>"Device"</th><th>"State"</th><th>"Return"</th><th>"MDM"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
