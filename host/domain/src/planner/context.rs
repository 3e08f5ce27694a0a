use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use std::sync::Arc;

use crate::dates::local_date;
use crate::employee::Profile;
use crate::guard::MassTerminationGuard;
use crate::ids::IdSource;
use crate::work_zone::{LocationZones, resolve};

/// What the caller tells the planner besides the data: the time, the company's zone, the
/// policies, and where new ids come from.
pub struct PlanContext<'a> {
    pub now: Timestamp,
    /// For employees whose HR record has no work time zone.
    pub company_time_zone: TimeZone,
    pub mass_termination: MassTerminationGuard,
    /// A record Tenure has never seen whose start date lies more than this many days in
    /// the past is an existing employee being imported (the first sync of a source): it
    /// is recorded with the access its groups grant, without onboarding tasks, emails or
    /// provisioning jobs. Default 30.
    pub import_after_days: u32,
    /// A new hire's accounts are created this many days before the start date (unless
    /// the champion asks for now). Default 3.
    pub provision_days_before_start: u32,
    /// A booked return is first tracked this many seconds after booking, then every
    /// `track_every_secs`. Defaults 60 and 3600.
    pub track_first_secs: i64,
    pub track_every_secs: i64,
    /// Admins' zones for work locations (see [`crate::work_zone`]).
    pub location_zones: Arc<LocationZones>,
    pub ids: &'a mut dyn IdSource,
}

impl<'a> PlanContext<'a> {
    pub fn new(now: Timestamp, company_time_zone: TimeZone, ids: &'a mut dyn IdSource) -> Self {
        Self {
            now,
            company_time_zone,
            mass_termination: MassTerminationGuard::default(),
            import_after_days: 30,
            provision_days_before_start: 3,
            track_first_secs: 60,
            track_every_secs: 3600,
            location_zones: Arc::default(),
            ids,
        }
    }

    /// The zone the employee's days are counted in (see [`crate::work_zone`]).
    pub fn zone_for(&self, profile: &Profile) -> TimeZone {
        resolve(profile, &self.location_zones, &self.company_time_zone).0
    }

    /// Today in the employee's work time zone.
    pub fn today_for(&self, profile: &Profile) -> Date {
        local_date(self.now, &self.zone_for(profile))
    }
}
