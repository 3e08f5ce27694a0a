//! From the contract's HR record to the planner's.

use tenure_domain::{RawHrRecord, RawStatus};
use tenure_runtime::optional::WorkPlace;
use tenure_runtime::types::{EmploymentStatus, HrEmployee};

/// One record, with where the employee works when the source said (`hr-places`).
pub fn record(source: &str, e: HrEmployee, place: Option<WorkPlace>) -> RawHrRecord {
    let (work_region, work_city) = place.map_or((None, None), |p| (p.region, p.city));
    RawHrRecord {
        source: source.to_string(),
        source_id: e.source_id,
        work_email: e.work_email,
        personal_email: e.personal_email,
        given_name: e.given_name,
        family_name: e.family_name,
        preferred_name: e.preferred_name,
        department: e.department,
        groups: e.groups,
        title: e.title,
        manager_source_id: e.manager_source_id,
        work_location: e.work_location,
        work_time_zone: e.work_time_zone,
        work_country: e.work_country,
        work_region,
        work_city,
        status: match e.status {
            EmploymentStatus::Pending => RawStatus::Pending,
            EmploymentStatus::Active => RawStatus::Active,
            EmploymentStatus::Inactive => RawStatus::Inactive,
            EmploymentStatus::Unknown(s) => RawStatus::Unknown(s),
        },
        start_date: e.start_date,
        termination_date: e.termination_date,
        deleted: e.deleted,
    }
}
