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
