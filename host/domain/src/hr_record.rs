//! The HR record as HR plugins deliver it, its validation, and the quarantine that holds
//! records Tenure cannot apply.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::dates::{self, parse_hr_date};
use crate::employee::{Profile, SourceRef};
use crate::ids::{EmployeeId, PluginId};

/// Employment status as HR says it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawStatus {
    Pending,
    Active,
    Inactive,
    /// A status Tenure does not know (`ON_LEAVE`); the record is quarantined.
    Unknown(String),
}

impl RawStatus {
    /// Maps HR's words (`ACTIVE`, `pending`, `INACTIVE`) to a status.
    pub fn parse(text: &str) -> Self {
        match text.trim().to_ascii_uppercase().as_str() {
            "PENDING" => RawStatus::Pending,
            "ACTIVE" => RawStatus::Active,
            "INACTIVE" => RawStatus::Inactive,
            _ => RawStatus::Unknown(text.to_string()),
        }
    }
}

/// One employee as an HR plugin delivers it. Dates are text (`yyyy-mm-dd`); validation
/// parses them.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawHrRecord {
    /// The HR plugin's id.
    pub source: String,
    pub source_id: String,
    pub work_email: Option<String>,
    pub personal_email: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    pub department: Option<String>,
    #[serde(default)]
    pub groups: Vec<String>,
    pub title: Option<String>,
    pub manager_source_id: Option<String>,
    pub work_location: Option<String>,
    /// IANA name (`America/Chicago`).
    pub work_time_zone: Option<String>,
    /// ISO alpha-2.
    pub work_country: Option<String>,
    /// The work location's state, province or region, and city (for its time zone).
    #[serde(default)]
    pub work_region: Option<String>,
    #[serde(default)]
    pub work_city: Option<String>,
    pub status: RawStatus,
    pub start_date: Option<String>,
    pub termination_date: Option<String>,
    #[serde(default)]
    pub deleted: bool,
}

impl RawHrRecord {
    pub fn source_ref(&self) -> SourceRef {
        SourceRef {
            source: PluginId(self.source.trim().to_string()),
            source_id: self.source_id.trim().to_string(),
        }
    }
}

/// Which date of a record.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateField {
    Start,
    Termination,
}

impl std::fmt::Display for DateField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DateField::Start => "start date",
            DateField::Termination => "termination date",
        })
    }
}

/// Why a record was not applied. The message says what is wrong; fixing it in HR
/// releases the record on the next sync.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum QuarantineReason {
    #[error("no HR id")]
    NoSourceId,
    #[error("no work email")]
    NoWorkEmail,
    #[error("work email `{email}` is not an email address")]
    InvalidWorkEmail { email: String },
    #[error("work email {email} is already used by active employee {employee} ({name})")]
    EmailInUse {
        email: String,
        employee: EmployeeId,
        name: String,
    },
    #[error("unknown employment status `{status}`")]
    UnknownStatus { status: String },
    #[error("{field} `{text}` is not a date (yyyy-mm-dd)")]
    NotADate { field: DateField, text: String },
    #[error("work time zone `{zone}` is not a known IANA time zone (for example America/Chicago)")]
    UnknownTimeZone { zone: String },
    #[error("no name")]
    NoName,
    #[error(
        "HR lists {name} ({employee}) as employed, but Tenure offboarded them on {final_day}; \
         a rehire needs a start date after that day"
    )]
    EmployedAfterOffboarding {
        employee: EmployeeId,
        name: String,
        final_day: Date,
    },
}

/// A record Tenure could not apply, kept for an admin to see. Keyed by
/// (`source`, `source_id`): a newer quarantine of the same record replaces the older.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quarantine {
    pub source: PluginId,
    pub source_id: String,
    pub reason: QuarantineReason,
    pub record: RawHrRecord,
}

/// Employment status once validated.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HrStatus {
    Pending,
    Active,
    Inactive,
}

/// A record that passed the checks that need nothing but the record itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRecord {
    pub source: SourceRef,
    /// Normalised; `work_email` is empty when HR sent none (the planner decides).
    pub profile: Profile,
    pub status: HrStatus,
    pub start_date: Option<Date>,
    pub termination_date: Option<Date>,
    pub deleted: bool,
}

/// Checks what the record alone can tell: status, dates, time zone, email form, name.
pub fn validate(raw: &RawHrRecord) -> Result<ValidRecord, QuarantineReason> {
    let source = raw.source_ref();
    if source.source_id.is_empty() {
        return Err(QuarantineReason::NoSourceId);
    }
    let status = match &raw.status {
        RawStatus::Pending => HrStatus::Pending,
        RawStatus::Active => HrStatus::Active,
        RawStatus::Inactive => HrStatus::Inactive,
        RawStatus::Unknown(status) => {
            // HR systems differ in case; a known word in another case is still known.
            match RawStatus::parse(status) {
                RawStatus::Pending => HrStatus::Pending,
                RawStatus::Active => HrStatus::Active,
                RawStatus::Inactive => HrStatus::Inactive,
                RawStatus::Unknown(_) => {
                    return Err(QuarantineReason::UnknownStatus {
                        status: status.clone(),
                    });
                }
            }
        }
    };
    let date = |field: DateField, text: &Option<String>| {
        parse_hr_date(text.as_deref()).map_err(|_| QuarantineReason::NotADate {
            field,
            text: text.clone().unwrap_or_default(),
        })
    };
    let start_date = date(DateField::Start, &raw.start_date)?;
    let termination_date = date(DateField::Termination, &raw.termination_date)?;

    let profile = Profile {
        work_email: raw.work_email.clone().unwrap_or_default(),
        personal_email: raw.personal_email.clone(),
        given_name: raw.given_name.clone(),
        family_name: raw.family_name.clone(),
        preferred_name: raw.preferred_name.clone(),
        department: raw.department.clone(),
        hr_groups: raw.groups.clone(),
        title: raw.title.clone(),
        manager_source_id: raw.manager_source_id.clone(),
        work_location: raw.work_location.clone(),
        work_time_zone: raw.work_time_zone.clone(),
        work_country: raw.work_country.clone(),
        work_region: raw.work_region.clone(),
        work_city: raw.work_city.clone(),
    }
    .normalized();

    if let Some(zone) = &profile.work_time_zone
        && dates::zone(zone).is_err()
    {
        return Err(QuarantineReason::UnknownTimeZone { zone: zone.clone() });
    }
    if !profile.work_email.is_empty() && !looks_like_email(&profile.work_email) {
        return Err(QuarantineReason::InvalidWorkEmail {
            email: profile.work_email.clone(),
        });
    }
    if profile.display_name().is_empty() {
        return Err(QuarantineReason::NoName);
    }
    Ok(ValidRecord {
        source,
        profile,
        status,
        start_date,
        termination_date,
        deleted: raw.deleted,
    })
}

/// One `@`, something on both sides, a dot in the domain, no spaces.
pub fn looks_like_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> RawHrRecord {
        RawHrRecord {
            source: "merge-hris".into(),
            source_id: "42".into(),
            work_email: Some(" Ann@Example.com ".into()),
            personal_email: None,
            given_name: "Ann".into(),
            family_name: "Lee".into(),
            preferred_name: Some(" ".into()),
            department: Some("Engineering".into()),
            groups: vec!["b".into(), "a".into(), "a".into()],
            title: None,
            manager_source_id: None,
            work_location: None,
            work_time_zone: Some("Europe/Berlin".into()),
            work_country: Some("de".into()),
            work_region: None,
            work_city: None,
            status: RawStatus::Active,
            start_date: Some("2025-03-03".into()),
            termination_date: None,
            deleted: false,
        }
    }

    #[test]
    fn a_good_record_is_normalised() {
        let valid = validate(&record()).unwrap();
        assert_eq!(valid.profile.work_email, "Ann@Example.com");
        assert_eq!(valid.profile.email_key(), "ann@example.com");
        assert_eq!(valid.profile.preferred_name, None);
        assert_eq!(valid.profile.hr_groups, vec!["a", "b"]);
        assert_eq!(valid.profile.work_country.as_deref(), Some("DE"));
    }

    #[test]
    fn reasons_read_like_sentences() {
        let mut r = record();
        r.status = RawStatus::Unknown("ON_LEAVE".into());
        assert_eq!(
            validate(&r).unwrap_err().to_string(),
            "unknown employment status `ON_LEAVE`"
        );
        let mut r = record();
        r.status = RawStatus::Unknown("active".into());
        assert_eq!(validate(&r).unwrap().status, HrStatus::Active);
        let mut r = record();
        r.start_date = Some("soon".into());
        assert_eq!(
            validate(&r).unwrap_err().to_string(),
            "start date `soon` is not a date (yyyy-mm-dd)"
        );
        let mut r = record();
        r.work_email = Some("ann".into());
        assert_eq!(
            validate(&r).unwrap_err().to_string(),
            "work email `ann` is not an email address"
        );
        let mut r = record();
        r.work_time_zone = Some("Mars/Olympus".into());
        assert!(matches!(
            validate(&r),
            Err(QuarantineReason::UnknownTimeZone { .. })
        ));
        let reason = QuarantineReason::EmailInUse {
            email: "ann@x.com".into(),
            employee: EmployeeId::new("E-12"),
            name: "Ann Lee".into(),
        };
        assert_eq!(
            reason.to_string(),
            "work email ann@x.com is already used by active employee E-12 (Ann Lee)"
        );
    }
}
