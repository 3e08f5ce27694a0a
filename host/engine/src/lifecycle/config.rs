//! `[lifecycle]` of the configuration file.

use serde::Deserialize;

/// `[lifecycle]`: how HR changes become work.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LifecycleConfig {
    /// IANA time zone for final days of employees whose work location has none.
    pub company_time_zone: String,
    /// Minutes between scheduled syncs of each configured HR source (0: only on demand).
    pub sync_interval_minutes: u64,
    /// Hours between full reads of a source (the rest read only changes); 0: always full.
    pub full_sync_hours: u64,
    /// A sync that would offboard more than this percentage of employed people holds
    /// those offboardings for an admin to approve...
    pub mass_termination_percent: f64,
    /// ...when they are at least this many.
    pub mass_termination_minimum: usize,
    /// A new hire's accounts are created this many days before the start date (a
    /// champion may ask for them at once instead).
    pub provision_days_before_start: u32,
}

impl Default for LifecycleConfig {
    fn default() -> Self {
        Self {
            company_time_zone: "UTC".into(),
            sync_interval_minutes: 15,
            full_sync_hours: 24,
            mass_termination_percent: 10.0,
            mass_termination_minimum: 3,
            provision_days_before_start: 3,
        }
    }
}
