//! One task's page: the workflow its kind calls for (Complete IT Setup, Group Change,
//! Offboard Employee), or details with Complete / Cancel for the rest. A closed task
//! shows what was decided.

use std::collections::BTreeSet;

use leptos::prelude::*;
use tenure_domain::{
    AppId, Catalog, Decision, DeviceRetrieval, Employee, ExternalGroup, GroupRef, MdmAction, Task,
    TaskKind, TaskState,
};

mod group_change;
pub mod hardware;
mod offboard;
mod setup;

pub use group_change::choice_name;

use super::tasks::{due, state_badge};
use super::{form_error, when};
use crate::{Chrome, Nav, document};

/// Everything a task page shows.
#[derive(Debug, Clone)]
pub struct TaskPage {
    pub task: Task,
    pub employee: Employee,
    pub catalog: Catalog,
    /// The employee's other tasks (the manual revocations of an offboarding).
    pub related: Vec<Task>,
    /// Why the last submission was refused.
    pub error: Option<String>,
    /// Whether the viewer may read the employee's shipping address (admins, and
    /// hardware champions working this employee's devices).
    pub show_addresses: bool,
    /// The employee's access records.
    pub access: Vec<tenure_domain::AccessRecord>,
    /// Installed app connectors and whether each would act now.
    pub connectors: std::collections::BTreeMap<String, ConnectorState>,
    /// Devices, stock, places and returns.
    pub hardware: hardware::HardwareView,
    /// What a refused submission held, to show the form again as it was.
    pub prefill: hardware::Prefill,
}

/// Whether an installed app connector acts on the jobs queued for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectorState {
    /// Set up: its jobs run.
    Ready,
    /// Its required settings are missing: jobs wait for them.
    NotConfigured,
    /// Its credentials were refused: jobs wait until its settings change.
    Paused(String),
}

/// A group as people name it.
pub fn group_label(catalog: &Catalog, group: &GroupRef) -> String {
    match group {
        GroupRef::Department(name) => format!("Department {name}"),
        GroupRef::Hr(name) => format!("HR group {name}"),
        GroupRef::Custom(id) => catalog
            .custom_groups
            .iter()
            .find(|g| &g.id == id)
            .map_or_else(|| id.to_string(), |g| g.name.clone()),
    }
}

/// The groups among `groups` whose rules grant `app`, by name.
pub fn suggested_by(catalog: &Catalog, groups: &[GroupRef], app: &AppId) -> Vec<String> {
    catalog
        .rules
        .iter()
        .filter(|r| r.applications.contains(app) && groups.iter().any(|g| r.group.matches(g)))
        .map(|r| group_label(catalog, &r.group))
        .collect()
}

/// Who does it, in words, as it stands now: a connector that acts, one whose jobs
/// wait, or a person.
pub fn how(
    catalog: &Catalog,
    connectors: &std::collections::BTreeMap<String, ConnectorState>,
    app: &AppId,
) -> String {
    how_by(
        connectors,
        catalog.application(app).and_then(|a| a.connector.as_ref()),
    )
}

/// Who acts through `connector` (a person when there is none), in words.
pub fn how_by(
    connectors: &std::collections::BTreeMap<String, ConnectorState>,
    connector: Option<&tenure_domain::PluginId>,
) -> String {
    match connector {
        Some(c) => match connectors.get(c.as_str()) {
            Some(ConnectorState::Ready) => format!("automatic ({c})"),
            Some(ConnectorState::NotConfigured) => {
                format!("queued for {c}, which waits for its settings")
            }
            Some(ConnectorState::Paused(_)) => {
                format!("queued for {c}, paused: its credentials were refused")
            }
            None => format!("manual task ({c} is not installed)"),
        },
        None => "manual task".into(),
    }
}

/// Groups and channels, each with who acts on it (its connector, or a person).
pub(super) fn externals(
    title: &'static str,
    groups: &BTreeSet<ExternalGroup>,
    connectors: &std::collections::BTreeMap<String, ConnectorState>,
) -> impl IntoView + use<> {
    (!groups.is_empty()).then(|| {
        let items = groups
            .iter()
            .map(|g| {
                let how = how_by(connectors, Some(&g.connector));
                view! { <li>{g.to_string()} " — " <span class="muted">{how}</span></li> }
            })
            .collect_view();
        view! { <h3 style="font-size:1rem">{title}</h3><ul>{items}</ul> }
    })
}

fn header(page: &TaskPage) -> impl IntoView + use<> {
    let t = &page.task;
    let e = &page.employee;
    let href = format!("/employees/{}", e.id);
    let due = due(t).map(|d| view! { <dt>"Due"</dt><dd>{d.to_string()}</dd> });
    let assignees = if t.assignees.is_empty() {
        "unassigned (admins)".to_string()
    } else {
        t.assignees
            .iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let department = e.profile.department.clone().unwrap_or_else(|| "—".into());
    let title = e.profile.title.clone().unwrap_or_else(|| "—".into());
    view! {
        <h1>{t.title()} " · " <a href=href>{e.name()}</a> " " {state_badge(t)}</h1>
        <div class="card">
            <dl class="facts">
                <dt>"Work email"</dt><dd>{e.profile.work_email.clone()}</dd>
                <dt>"Department"</dt><dd>{department}</dd>
                <dt>"Title"</dt><dd>{title}</dd>
                {due}
                <dt>"Assigned to"</dt><dd>{assignees}</dd>
                <dt>"Opened"</dt><dd>{when(t.opened_at)}</dd>
            </dl>
        </div>
    }
}

/// The page for `page.task`, by kind.
pub fn task_page(chrome: &Chrome, page: TaskPage) -> String {
    let title = format!("{} · {}", page.task.title(), page.employee.name());
    let head = header(&page);
    let body = if !page.task.is_open() {
        closed(&page).into_any()
    } else {
        match &page.task.kind {
            TaskKind::CompleteItSetup { .. } => setup::form(chrome, &page).into_any(),
            TaskKind::GroupChange { .. } => group_change::form(chrome, &page).into_any(),
            TaskKind::OffboardEmployee { .. } => offboard::form(chrome, &page).into_any(),
            TaskKind::EquipNewHire { .. } => hardware::equip_form(chrome, &page).into_any(),
            TaskKind::ReceiveDevices { .. } => hardware::receive_form(chrome, &page).into_any(),
            TaskKind::ManualApp { .. } => simple_form(chrome, &page).into_any(),
        }
    };
    let error = form_error(page.error.clone());
    document(
        Some(chrome),
        Nav::Tasks,
        &title,
        view! { {head} {error} {body} },
    )
}

fn simple_form(chrome: &Chrome, page: &TaskPage) -> impl IntoView + use<> {
    let detail = match &page.task.kind {
        TaskKind::EquipNewHire { request, .. } => {
            let r = request
                .clone()
                .unwrap_or_else(|| "hardware for the new hire".into());
            format!("Requested: {r}. Buy from the store catalog or assign from inventory.")
        }
        TaskKind::ManualApp { app_task } => match &app_task.reason {
            Some(why) => format!(
                "The connector could not do it: {why}. Do it by hand in {}, then mark this done.",
                app_task.app_name
            ),
            None => format!(
                "{} has no connector: do it by hand in {}, then mark this done.",
                app_task.app_name, app_task.app_name
            ),
        },
        _ => String::new(),
    };
    let action = format!("/tasks/{}/complete", page.task.id);
    view! {
        <div class="card"><p>{detail}</p></div>
        <form method="post" action=action>
            {chrome.csrf_field()}
            <label for="note">"Note (optional)"</label>
            <textarea id="note" name="note"></textarea>
            <div class="actions"><button type="submit">"Mark done"</button></div>
        </form>
        {cancel_form(chrome, page)}
    }
}

pub(super) fn cancel_form(chrome: &Chrome, page: &TaskPage) -> impl IntoView + use<> {
    let action = format!("/tasks/{}/cancel", page.task.id);
    view! {
        <details style="margin-top:1.5rem">
            <summary>"Not needed? Cancel this task"</summary>
            <form method="post" action=action>
                {chrome.csrf_field()}
                <label for="reason">"Why"</label>
                <input id="reason" name="reason" type="text" required/>
                <div class="actions"><button type="submit" class="danger">"Cancel task"</button></div>
            </form>
        </details>
    }
}

fn closed(page: &TaskPage) -> impl IntoView + use<> {
    let (who, at, note) = match &page.task.state {
        TaskState::Done { at, by, note } => (format!("Done by {by}"), *at, note.clone()),
        TaskState::Cancelled { at, by, reason } => {
            (format!("Cancelled by {by}"), *at, reason.clone())
        }
        TaskState::Open => unreachable!("closed tasks only"),
    };
    let decision = page
        .task
        .decision
        .as_ref()
        .map(|d| describe(&page.catalog, d, page.show_addresses));
    // An offboarding's devices: where each return and MDM command stands now.
    let devices = matches!(page.task.kind, TaskKind::OffboardEmployee { .. }).then(|| {
        let returns: Vec<_> = page
            .hardware
            .returns
            .iter()
            .filter(|r| r.task == page.task.id)
            .cloned()
            .collect();
        view! {
            <h2>"Devices now"</h2>
            {hardware::devices_now(&page.hardware.held)}
            {hardware::returns_table(&returns, page.show_addresses)}
        }
    });
    view! {
        <div class="card">
            <p>{format!("{who} on {}", when(at))}</p>
            {note.map(|n| view! { <p>"Note: " {n}</p> })}
            {decision.map(|lines| {
                let items = lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view();
                view! { <h2>"Decision"</h2><ul>{items}</ul> }
            })}
            {devices}
        </div>
    }
}

/// A recorded decision, a line per point. The shipping address (a person's home, often)
/// only when `show_address`.
pub fn describe(catalog: &Catalog, decision: &Decision, show_address: bool) -> Vec<String> {
    match decision {
        Decision::Setup(d) => vec![
            format!(
                "Applications: {}",
                d.applications
                    .iter()
                    .map(|a| catalog.app_name(a))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!(
                "Hardware: {}",
                d.hardware.as_deref().unwrap_or("not needed")
            ),
        ],
        Decision::Equip(d) => d.assets.iter().map(|a| format!("Assigned: {a}")).collect(),
        Decision::Receive(d) => {
            let mut lines: Vec<String> = d
                .devices
                .iter()
                .map(|(a, to)| format!("{a}: {}", hardware::disposition_words(to)))
                .collect();
            lines.push("Other devices: back in stock".into());
            lines
        }
        Decision::GroupChange(d) => d
            .applications
            .iter()
            .map(|(a, c)| format!("{}: {}", catalog.app_name(a), choice_name(*c)))
            .collect(),
        Decision::Offboard(d) => {
            let mut lines = vec![
                format!("Devices: {}", d.retrieval.describe()),
                format!(
                    "MDM: {}",
                    match d.mdm {
                        MdmAction::None => "none",
                        MdmAction::Lock => "lock",
                        MdmAction::Wipe => "wipe",
                    }
                ),
            ];
            if let Some(a) = &d.shipping_address {
                lines.push(if show_address {
                    format!("Ships from: {a}")
                } else {
                    "Ships from: the address given (shown to admins and hardware champions)"
                        .to_string()
                });
            }
            for c in &d.devices {
                lines.push(format!(
                    "{}: {}{}",
                    c.asset,
                    c.retrieval.describe(),
                    match c.mdm {
                        MdmAction::None => "",
                        MdmAction::Lock => ", locked",
                        MdmAction::Wipe => ", wiped",
                    }
                ));
            }
            if let Some(o) = &d.origin {
                lines.push(if show_address {
                    format!("Ships from: {}", o.one_line())
                } else {
                    "Ships from: the address given (shown to admins and hardware champions)"
                        .to_string()
                });
            }
            if d.devices.is_empty() && matches!(d.retrieval, DeviceRetrieval::Keep) {
                lines.push("No return label".into());
            }
            lines
        }
    }
}
