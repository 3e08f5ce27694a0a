//! My tasks: the champion's open tasks, newest first, with what they are due by.

use leptos::prelude::*;
use tenure_domain::jiff::civil::Date;
use tenure_domain::{Task, TaskKind};

use super::when;
use crate::{Chrome, Nav, document};

/// Whose tasks the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Assigned to the signed-in user (and, for admins, unassigned ones).
    Mine,
    /// Every open task (admins).
    All,
}

/// The date a task is due by: the start date of a new hire, the final day of a leaver.
pub fn due(task: &Task) -> Option<Date> {
    match &task.kind {
        TaskKind::CompleteItSetup { start_date, .. }
        | TaskKind::EquipNewHire { start_date, .. } => *start_date,
        TaskKind::OffboardEmployee { final_day, .. } => Some(*final_day),
        TaskKind::GroupChange { .. }
        | TaskKind::ManualApp { .. }
        | TaskKind::ReceiveDevices { .. } => None,
    }
}

/// The state badge: open, done, cancelled; late offboardings say so.
pub fn state_badge(task: &Task) -> impl IntoView + use<> {
    let state = task.state_name();
    let late = match &task.kind {
        TaskKind::OffboardEmployee {
            late: true,
            days_late,
            ..
        } if task.is_open() => {
            Some(view! { " " <span class="badge late">{format!("{days_late} days late")}</span> })
        }
        _ => None,
    };
    view! { <span class=format!("badge {state}")>{state}</span>{late} }
}

/// One row per task: title (linked), employee, due date, opened.
pub fn task_table(tasks: Vec<Task>, label: &'static str) -> impl IntoView {
    if tasks.is_empty() {
        return view! { <p class="muted">"Nothing here."</p> }.into_any();
    }
    let rows = tasks
        .into_iter()
        .map(|t| {
            let href = format!("/tasks/{}", t.id);
            let employee = format!("/employees/{}", t.employee.id);
            let due = due(&t).map(|d| d.to_string()).unwrap_or_default();
            let badge = state_badge(&t);
            view! {
                <tr>
                    <td><a href=href>{t.title()}</a></td>
                    <td><a href=employee>{t.employee.name.clone()}</a></td>
                    <td>{due}</td>
                    <td class="hide-sm">{when(t.opened_at)}</td>
                    <td>{badge}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table aria-label=label>
                <thead><tr><th>"Task"</th><th>"Employee"</th><th>"Due"</th><th class="hide-sm">"Opened"</th><th>"State"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// One page of the task list.
#[derive(Debug, Clone)]
pub struct TaskList {
    pub scope: Scope,
    /// Zero-based.
    pub page: usize,
    pub per_page: usize,
    /// Open tasks in scope, in all.
    pub total: usize,
    pub tasks: Vec<Task>,
}

/// The task list page.
pub fn my_tasks(chrome: &Chrome, list: TaskList) -> String {
    let scope = list.scope;
    let switch = chrome.admin.then(|| match scope {
        Scope::Mine => {
            view! { <a href="/tasks?scope=all">"Show everyone's open tasks"</a> }.into_any()
        }
        Scope::All => view! { <a href="/tasks">"Show only mine"</a> }.into_any(),
    });
    let heading = match scope {
        Scope::Mine => "My tasks",
        Scope::All => "All open tasks",
    };
    let link = move |page: usize| match scope {
        Scope::Mine => format!("/tasks?page={page}"),
        Scope::All => format!("/tasks?scope=all&page={page}"),
    };
    let shown_to = list.page * list.per_page + list.tasks.len();
    let prev = (list.page > 0).then(|| {
        let href = link(list.page - 1);
        view! { <a href=href rel="prev">"← Newer"</a> }
    });
    let next = (shown_to < list.total).then(|| {
        let href = link(list.page + 1);
        view! { <a href=href rel="next">"Older →"</a> }
    });
    let summary = format!("{} open, newest first. ", list.total);
    document(
        Some(chrome),
        Nav::Tasks,
        heading,
        view! {
            <h1>{heading}</h1>
            <p class="muted">{summary}{switch}</p>
            {task_table(list.tasks, "Open tasks")}
            <div class="pager">{prev}{next}</div>
        },
    )
}
