//! Quarantined HR records (with their reasons) and the audit log.

use leptos::prelude::*;
use tenure_domain::{AuditEntry, Quarantine};

use super::tabs;
use crate::pages::when;
use crate::{Chrome, Nav, document};

pub fn quarantine(chrome: &Chrome, records: Vec<Quarantine>) -> String {
    let count = records.len();
    let rows = records
        .into_iter()
        .map(|q| {
            let who = format!("{} {}", q.record.given_name, q.record.family_name)
                .trim()
                .to_string();
            view! {
                <tr>
                    <td>{q.source.to_string()}</td>
                    <td>{q.source_id.clone()}</td>
                    <td>{who}</td>
                    <td>{q.reason.to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    document(
        Some(chrome),
        Nav::Settings,
        "Quarantine",
        view! {
            {tabs("quarantine")}
            <h1>"Quarantined HR records"</h1>
            <p class="muted">{format!("{count} records were set aside; fix them in the HR system and the next sync takes them in.")}</p>
            <div class="table-wrap">
                <table aria-label="Quarantined records">
                    <thead><tr><th>"Source"</th><th>"HR id"</th><th>"Name"</th><th>"Reason"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        },
    )
}

pub fn audit(chrome: &Chrome, entries: Vec<AuditEntry>) -> String {
    let rows = entries
        .into_iter()
        .map(|e| {
            view! {
                <tr>
                    <td>{when(e.at)}</td>
                    <td>{e.actor.to_string()}</td>
                    <td>{format!("{:?}", e.action)}</td>
                    <td>{e.detail.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    document(
        Some(chrome),
        Nav::Settings,
        "Audit log",
        view! {
            {tabs("audit")}
            <h1>"Audit log"</h1>
            <div class="table-wrap">
                <table aria-label="Audit log">
                    <thead><tr><th>"When"</th><th>"Who"</th><th>"Action"</th><th>"What"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        },
    )
}

/// Offboardings held by the mass-termination guard: open holds with Approve and Reject,
/// then decided ones.
pub fn holds(chrome: &Chrome, holds: Vec<tenure_domain::HeldOffboardings>) -> String {
    let cards = holds
        .into_iter()
        .map(|h| {
            let people = h
                .employees
                .iter()
                .map(|e| {
                    let href = format!("/employees/{}", e.employee.id);
                    view! { <li><a href=href>{e.employee.name.clone()}</a>{format!(" — final day {}", e.final_day)}</li> }
                })
                .collect_view();
            let state = match &h.resolution {
                None => {
                    let approve = format!("/holds/{}/approve", h.id);
                    let reject = format!("/holds/{}/reject", h.id);
                    view! {
                        <div class="actions">
                            <form method="post" action=approve>{chrome.csrf_field()}<button type="submit">"Approve: offboard them"</button></form>
                            <form method="post" action=reject>{chrome.csrf_field()}<button type="submit" class="secondary">"Reject: HR data is wrong"</button></form>
                        </div>
                    }
                    .into_any()
                }
                Some(r) => {
                    let verdict = if r.approved { "Approved" } else { "Rejected" };
                    view! { <p class="muted">{format!("{verdict} by {} on {}", r.by, when(r.at))}</p> }.into_any()
                }
            };
            let anchor = h.id.to_string();
            view! {
                <div class="card" id=anchor>
                    <h2 style="margin-top:0">{format!("{} offboardings held on {}", h.employees.len(), when(h.at))}</h2>
                    <p>{h.reason.clone()}</p>
                    <ul>{people}</ul>
                    {state}
                </div>
            }
        })
        .collect_view();
    document(
        Some(chrome),
        Nav::Settings,
        "Held offboardings",
        view! {
            {tabs("holds")}
            <h1>"Held offboardings"</h1>
            <p class="muted">"When one sync would offboard more people than the policy allows, Tenure waits for an admin."</p>
            {cards}
        },
    )
}
