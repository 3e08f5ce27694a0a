//! Settings → Jobs: what the connectors are doing and have failed to do, paused
//! connectors, and retry / cancel.

use leptos::prelude::*;
use tenure_domain::{Job, JobAction, JobState, ParkedConnector};

use super::tabs;
use crate::pages::when;
use crate::{Chrome, Nav, document};

/// One job as the page shows it.
#[derive(Debug, Clone)]
pub struct JobRow {
    pub job: Job,
    pub app_name: String,
}

#[derive(Debug, Clone, Default)]
pub struct JobsPage {
    /// Queued or running, newest first.
    pub unfinished: Vec<JobRow>,
    /// Failed (a manual task took over) or cancelled, newest first.
    pub failed: Vec<JobRow>,
    /// Recently done, newest first.
    pub done: Vec<JobRow>,
    pub parked: Vec<ParkedConnector>,
    /// Jobs running now in this process.
    pub running: usize,
}

/// The banner that says which connectors are paused and why (Settings pages).
pub fn parked_banner(parked: &[ParkedConnector]) -> impl IntoView + use<> {
    let items = parked
        .iter()
        .map(|p| {
            let href = format!("/settings/integrations/{}", p.connector);
            view! {
                <li>
                    <strong><a href=href>{p.connector.clone()}</a></strong>
                    {format!(" is paused since {}: {}. Its jobs wait until its settings are corrected.", when(p.since), p.reason)}
                </li>
            }
        })
        .collect_view();
    (!parked.is_empty()).then(|| {
        view! {
            <div class="card error" role="alert">
                <strong>"Connectors paused: their credentials were refused"</strong>
                <ul>{items}</ul>
            </div>
        }
    })
}

fn what(row: &JobRow) -> String {
    let verb = match row.job.intent.action {
        JobAction::Provision => "Create account in",
        JobAction::Revoke => "Revoke access to",
        JobAction::Join => "Add to",
        JobAction::Leave => "Remove from",
    };
    format!("{verb} {}", row.app_name)
}

fn state(job: &Job, parked: &[ParkedConnector]) -> String {
    let paused = parked
        .iter()
        .any(|p| p.connector == job.intent.connector.as_str());
    match &job.state {
        JobState::Queued if paused => "waiting: connector paused".into(),
        JobState::Queued if job.attempts > 0 || job.rate_limited > 0 => {
            format!("retrying at {}", when(job.run_after))
        }
        JobState::Queued => format!("queued for {}", when(job.run_after)),
        JobState::Running { .. } => "running".into(),
        JobState::Done { note, .. } => format!("done: {note}"),
        JobState::Failed { reason, .. } => format!("failed: {reason}"),
        JobState::Cancelled { by, .. } => format!("cancelled by {by}"),
    }
}

fn table(
    chrome: &Chrome,
    label: &'static str,
    rows: Vec<JobRow>,
    parked: &[ParkedConnector],
    actions: bool,
) -> impl IntoView + use<> {
    if rows.is_empty() {
        return view! { <p class="muted">"None."</p> }.into_any();
    }
    let body = rows
        .into_iter()
        .map(|row| {
            let employee = format!("/employees/{}", row.job.intent.employee.id);
            let retry = format!("/settings/jobs/{}/retry", row.job.id);
            let cancel = format!("/settings/jobs/{}/cancel", row.job.id);
            // A running job belongs to its worker until it ends.
            let running = matches!(row.job.state, JobState::Running { .. });
            let can_cancel = !running && !row.job.state.is_finished();
            let can_retry = !running && !matches!(row.job.state, JobState::Done { .. });
            let buttons = actions.then(|| {
                view! {
                    {can_retry.then(|| view! {
                        <form method="post" action=retry.clone() class="inline">
                            {chrome.csrf_field()}
                            <button type="submit" class="secondary">"Retry now"</button>
                        </form>
                    })}
                    {can_cancel.then(|| view! {
                        <form method="post" action=cancel.clone() class="inline">
                            {chrome.csrf_field()}
                            <button type="submit" class="danger">"Cancel"</button>
                        </form>
                    })}
                }
            });
            let last = row.job.last_error.clone().unwrap_or_default();
            view! {
                <tr>
                    <td>{what(&row)}</td>
                    <td><a href=employee>{row.job.intent.employee.name.clone()}</a></td>
                    <td class="hide-sm">{row.job.intent.connector.to_string()}</td>
                    <td>{state(&row.job, parked)}</td>
                    <td class="hide-sm">{format!("{} / {}", row.job.attempts, row.job.rate_limited)}</td>
                    <td class="hide-sm muted">{last}</td>
                    <td>{buttons}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table aria-label=label>
                <thead><tr>
                    <th>"Job"</th><th>"Employee"</th><th class="hide-sm">"Connector"</th>
                    <th>"State"</th><th class="hide-sm">"Failures / rate limits"</th>
                    <th class="hide-sm">"Last error"</th><th></th>
                </tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

pub fn jobs(chrome: &Chrome, page: JobsPage) -> String {
    let summary = format!(
        "{} waiting or running ({} running now), {} failed or cancelled.",
        page.unfinished.len(),
        page.running,
        page.failed.len()
    );
    document(
        Some(chrome),
        Nav::Settings,
        "Jobs",
        view! {
            {tabs("jobs")}
            <h1>"Jobs"</h1>
            {parked_banner(&page.parked)}
            <p class="muted">{summary} " A failed job has opened a manual task for the app's champions; retrying it runs it again."</p>
            <h2>"Waiting and running"</h2>
            {table(chrome, "Waiting and running jobs", page.unfinished, &page.parked, true)}
            <h2>"Failed and cancelled"</h2>
            {table(chrome, "Failed jobs", page.failed, &page.parked, true)}
            <h2>"Recently done"</h2>
            {table(chrome, "Done jobs", page.done, &page.parked, false)}
        },
    )
}
