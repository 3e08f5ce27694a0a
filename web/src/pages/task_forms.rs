//! One task's page: the workflow its kind calls for (Complete IT Setup, Group Change,
//! Offboard Employee), or details with Complete / Cancel for the rest. A closed task
//! shows what was decided.

use std::collections::BTreeSet;

use leptos::prelude::*;
use tenure_domain::{
    AppChoice, AppId, Catalog, Decision, DeviceRetrieval, Employee, ExternalGroup, GroupRef,
    MdmAction, Task, TaskKind, TaskState,
};

use super::tasks::{due, state_badge};
use super::{form_error, when};
use crate::islands::{AppPicker, AppRow, HardwareChoice, RetrievalChoice};
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

fn how(catalog: &Catalog, app: &AppId) -> String {
    match catalog.application(app).and_then(|a| a.connector.clone()) {
        Some(c) => format!("automatic ({c})"),
        None => "manual task".into(),
    }
}

fn externals(title: &'static str, groups: &BTreeSet<ExternalGroup>) -> impl IntoView + use<> {
    (!groups.is_empty()).then(|| {
        let items = groups
            .iter()
            .map(|g| view! { <li>{g.to_string()}</li> })
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
            TaskKind::CompleteItSetup { .. } => setup_form(chrome, &page).into_any(),
            TaskKind::GroupChange { .. } => group_change_form(chrome, &page).into_any(),
            TaskKind::OffboardEmployee { .. } => offboard_form(chrome, &page).into_any(),
            TaskKind::EquipNewHire { .. } | TaskKind::ManualApp { .. } => {
                simple_form(chrome, &page).into_any()
            }
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

fn setup_form(chrome: &Chrome, page: &TaskPage) -> impl IntoView + use<> {
    let e = &page.employee;
    let groups: Vec<GroupRef> = e.access.groups.iter().cloned().collect();
    let held = e.apps();
    let rows: Vec<AppRow> = page
        .catalog
        .applications
        .iter()
        .map(|app| {
            let rules = suggested_by(&page.catalog, &groups, &app.id);
            AppRow {
                id: app.id.to_string(),
                name: app.name.clone(),
                checked: held.contains(&app.id),
                why: if rules.is_empty() {
                    String::new()
                } else {
                    format!("suggested by {}", rules.join(", "))
                },
                how: how(&page.catalog, &app.id),
            }
        })
        .collect();
    let groups_text = groups
        .iter()
        .map(|g| group_label(&page.catalog, g))
        .collect::<Vec<_>>()
        .join(", ");
    let action = format!("/tasks/{}/setup", page.task.id);
    view! {
        <form method="post" action=action>
            {chrome.csrf_field()}
            <div class="card">
                <h2>"Applications"</h2>
                <p class="muted">{format!("Groups: {}. Preselected from their rules; add or remove as needed.", if groups_text.is_empty() { "none".to_string() } else { groups_text })}</p>
                <AppPicker rows=rows/>
                {externals("Groups and channels that follow the rules", &e.access.grants.external_groups)}
            </div>
            <div class="card">
                <h2>"Hardware"</h2>
                <HardwareChoice/>
            </div>
            <label for="note">"Note (optional)"</label>
            <textarea id="note" name="note"></textarea>
            <div class="actions"><button type="submit">"Confirm IT setup"</button></div>
        </form>
        {cancel_form(chrome, page)}
    }
}

fn group_change_form(chrome: &Chrome, page: &TaskPage) -> impl IntoView + use<> {
    let TaskKind::GroupChange { change } = &page.task.kind else {
        unreachable!("checked by the caller")
    };
    let held = if change.held_before.is_empty() {
        change.granted_before.applications.clone()
    } else {
        change.held_before.clone()
    };
    let mut apps: BTreeSet<AppId> = held.clone();
    apps.extend(change.granted_after.applications.iter().cloned());
    let rows = apps
        .into_iter()
        .map(|app| {
            let holds = held.contains(&app);
            let wanted = change.granted_after.applications.contains(&app);
            let reason = if wanted {
                let rules = suggested_by(&page.catalog, &change.groups_after, &app);
                format!("granted by {}", rules.join(", "))
            } else {
                "no rule of the new groups grants it".to_string()
            };
            let name = page.catalog.app_name(&app);
            let field = format!("choice.{app}");
            let options: Vec<(AppChoice, &str)> = if holds {
                vec![(AppChoice::Keep, "Keep"), (AppChoice::Remove, "Remove")]
            } else {
                vec![(AppChoice::Grant, "Grant"), (AppChoice::Skip, "Don't grant")]
            };
            let default = match (holds, wanted) {
                (true, true) => AppChoice::Keep,
                (true, false) => AppChoice::Remove,
                (false, true) => AppChoice::Grant,
                (false, false) => AppChoice::Skip,
            };
            let radios = options
                .into_iter()
                .map(|(choice, label)| {
                    let value = choice_name(choice);
                    view! {
                        <label class="inline">
                            <input type="radio" name=field.clone() value=value checked=choice == default/>
                            {label}
                        </label>
                    }
                })
                .collect_view();
            let now = if holds { "has it" } else { "does not have it" };
            view! {
                <tr class="choice">
                    <td><strong>{name}</strong><br/><span class="muted">{now}</span></td>
                    <td>
                        <fieldset style="margin:0;border:0;padding:0">
                            <legend class="sr-only">{page.catalog.app_name(&app)}</legend>
                            {radios}
                        </fieldset>
                    </td>
                    <td class="muted" style="white-space:normal">{reason}</td>
                    <td class="muted hide-sm">{how(&page.catalog, &app)}</td>
                </tr>
            }
        })
        .collect_view();
    let before = change
        .groups_before
        .iter()
        .map(|g| group_label(&page.catalog, g))
        .collect::<Vec<_>>()
        .join(", ");
    let after = change
        .groups_after
        .iter()
        .map(|g| group_label(&page.catalog, g))
        .collect::<Vec<_>>()
        .join(", ");
    let action = format!("/tasks/{}/group-change", page.task.id);
    view! {
        <div class="card">
            <dl class="facts">
                <dt>"Groups before"</dt><dd>{before}</dd>
                <dt>"Groups now"</dt><dd>{after}</dd>
            </dl>
            {externals("Groups and channels joined (follow automatically)", &change.to_add.external_groups)}
            {externals("Groups and channels left (follow automatically)", &change.to_remove.external_groups)}
            {externals("Groups and channels kept", &change.to_keep.external_groups)}
        </div>
        <form method="post" action=action>
            {chrome.csrf_field()}
            <h2>"Applications"</h2>
            <div class="table-wrap">
                <table aria-label="Application changes">
                    <thead><tr><th>"Application"</th><th>"Decision"</th><th>"Rule"</th><th class="hide-sm">"Provisioning"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <label for="note">"Note (optional)"</label>
            <textarea id="note" name="note"></textarea>
            <div class="actions"><button type="submit">"Apply group change"</button></div>
        </form>
        {cancel_form(chrome, page)}
    }
}

/// The form value of a choice.
pub fn choice_name(choice: AppChoice) -> &'static str {
    match choice {
        AppChoice::Keep => "keep",
        AppChoice::Remove => "remove",
        AppChoice::Grant => "grant",
        AppChoice::Skip => "skip",
    }
}

fn revoke_step(page: &TaskPage) -> impl IntoView + use<> {
    let TaskKind::OffboardEmployee { to_revoke, .. } = &page.task.kind else {
        unreachable!("checked by the caller")
    };
    let rows = to_revoke
        .applications
        .iter()
        .map(|app| {
            let name = page.catalog.app_name(app);
            let connector = page.catalog.application(app).and_then(|a| a.connector.clone());
            let state = match connector {
                Some(c) => view! { <span>{format!("revoked automatically via {c}")}</span> }.into_any(),
                None => {
                    let manual = page.related.iter().find(|t| {
                        matches!(&t.kind, TaskKind::ManualApp { app_task } if &app_task.app == app && app_task.action == tenure_domain::AppAction::Revoke)
                    });
                    match manual {
                        Some(t) => {
                            let href = format!("/tasks/{}", t.id);
                            view! { <span><a href=href>"manual task"</a> " " {state_badge(t)}</span> }.into_any()
                        }
                        None => view! { <span class="muted">"manual"</span> }.into_any(),
                    }
                }
            };
            view! { <tr><td>{name}</td><td>{state}</td></tr> }
        })
        .collect_view();
    view! {
        <div class="card">
            <h2>"1. Revoke access"</h2>
            <div class="table-wrap">
                <table aria-label="Access to revoke">
                    <thead><tr><th>"Application"</th><th>"Revocation"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {externals("Groups and channels removed", &to_revoke.external_groups)}
        </div>
    }
}

fn offboard_form(chrome: &Chrome, page: &TaskPage) -> impl IntoView + use<> {
    let action = format!("/tasks/{}/offboard", page.task.id);
    view! {
        {revoke_step(page)}
        <form method="post" action=action>
            {chrome.csrf_field()}
            <div class="card">
                <h2>"2. Devices"</h2>
                <RetrievalChoice/>
                <fieldset>
                    <legend>"MDM action for managed devices"</legend>
                    <label class="inline"><input type="radio" name="mdm" value="none" checked=true/>"None"</label>
                    <label class="inline"><input type="radio" name="mdm" value="lock"/>"Lock"</label>
                    <label class="inline"><input type="radio" name="mdm" value="wipe"/>"Wipe"</label>
                </fieldset>
            </div>
            <div class="card">
                <h2>"3. Confirm the shipping address"</h2>
                <label for="address">"Where the return label picks up from (required when shipping)"</label>
                <textarea id="address" name="address"></textarea>
            </div>
            <label for="note">"Note (optional)"</label>
            <textarea id="note" name="note"></textarea>
            <div class="actions"><button type="submit">"Confirm offboarding"</button></div>
        </form>
    }
}

fn simple_form(chrome: &Chrome, page: &TaskPage) -> impl IntoView + use<> {
    let detail = match &page.task.kind {
        TaskKind::EquipNewHire { request, .. } => {
            let r = request
                .clone()
                .unwrap_or_else(|| "hardware for the new hire".into());
            format!("Requested: {r}. Buy from the store catalog or assign from inventory.")
        }
        TaskKind::ManualApp { app_task } => format!(
            "{} has no connector: do it by hand in {}, then mark this done.",
            app_task.app_name, app_task.app_name
        ),
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

fn cancel_form(chrome: &Chrome, page: &TaskPage) -> impl IntoView + use<> {
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
        .map(|d| describe(&page.catalog, d));
    view! {
        <div class="card">
            <p>{format!("{who} on {}", when(at))}</p>
            {note.map(|n| view! { <p>"Note: " {n}</p> })}
            {decision.map(|lines| {
                let items = lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view();
                view! { <h2>"Decision"</h2><ul>{items}</ul> }
            })}
        </div>
    }
}

/// A recorded decision, a line per point.
pub fn describe(catalog: &Catalog, decision: &Decision) -> Vec<String> {
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
                lines.push(format!("Ships from: {a}"));
            }
            if matches!(d.retrieval, DeviceRetrieval::Keep) {
                lines.push("No return label".into());
            }
            lines
        }
    }
}
