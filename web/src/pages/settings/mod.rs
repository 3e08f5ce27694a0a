//! Settings (admins): integrations and sync, groups and rules, applications, users, jobs,
//! quarantined HR records, the audit log and the appliance's status.

pub mod catalog;
pub mod integrations;
pub mod jobs;
pub mod records;
pub mod users;

use leptos::prelude::*;

/// The settings sub-navigation; `here` is the current tab's key.
pub fn tabs(here: &'static str) -> impl IntoView {
    let tabs = [
        ("integrations", "/settings", "Integrations"),
        ("sync", "/settings/sync", "Sync"),
        ("groups", "/settings/groups", "Groups & rules"),
        ("applications", "/settings/applications", "Applications"),
        ("users", "/settings/users", "Users"),
        ("jobs", "/settings/jobs", "Jobs"),
        ("holds", "/holds", "Held offboardings"),
        ("quarantine", "/settings/quarantine", "Quarantine"),
        ("audit", "/settings/audit", "Audit log"),
        ("status", "/settings/status", "Status"),
    ];
    let links = tabs
        .into_iter()
        .map(|(key, href, label)| {
            let current = (key == here).then_some("page");
            view! { <a href=href aria-current=current>{label}</a> }
        })
        .collect_view();
    view! {
        <nav aria-label="Settings" class="card" style="display:flex;flex-wrap:wrap;gap:.4rem 1.1rem;padding:.6rem 1rem">
            {links}
        </nav>
    }
}
