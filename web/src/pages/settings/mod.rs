//! Settings (admins): integrations and sync, groups and rules, applications, users, work
//! locations' time zones, jobs, quarantined HR records, the audit log and the appliance's
//! status.

pub mod catalog;
pub mod integrations;
pub mod jobs;
pub mod locations;
pub mod plugins;
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
        ("locations", "/settings/locations", "Locations"),
        ("jobs", "/settings/jobs", "Jobs"),
        ("holds", "/holds", "Held offboardings"),
        ("quarantine", "/settings/quarantine", "Quarantine"),
        ("audit", "/settings/audit", "Audit log"),
        ("status", "/settings/status", "Status"),
    ];
    super::sub_nav("Settings", tabs.to_vec(), here)
}
