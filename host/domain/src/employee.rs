//! The employee as Tenure keeps it.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::groups::{Access, ExternalGroup};
use std::collections::BTreeSet;

use crate::ids::{AppId, EmployeeId, HoldId, PluginId, TaskId, UserId};

/// Where an employee's HR record lives: the HR plugin and that system's id for them.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SourceRef {
    pub source: PluginId,
    pub source_id: String,
}

impl std::fmt::Display for SourceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.source, self.source_id)
    }
}

/// What HR (or the admin, for a pre-hire) says about a person. Normalised: trimmed,
/// blanks are `None`, HR groups sorted and deduplicated, country upper-case.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub work_email: String,
    pub personal_email: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    pub department: Option<String>,
    #[serde(default)]
    pub hr_groups: Vec<String>,
    pub title: Option<String>,
    pub manager_source_id: Option<String>,
    pub work_location: Option<String>,
    /// IANA name, validated on the way in.
    pub work_time_zone: Option<String>,
    /// ISO alpha-2.
    pub work_country: Option<String>,
    /// The work location's state, province or region, as HR writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_city: Option<String>,
}

impl Profile {
    /// `Preferred Family`, else `Given Family`.
    pub fn display_name(&self) -> String {
        let given = self.preferred_name.as_deref().unwrap_or(&self.given_name);
        [given, self.family_name.as_str()]
            .iter()
            .filter(|part| !part.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The work email as identity compares it: lower-case.
    pub fn email_key(&self) -> String {
        email_key(&self.work_email)
    }

    /// Trims, drops blanks, sorts groups: the form stored and compared.
    pub fn normalized(mut self) -> Self {
        fn opt(value: Option<String>) -> Option<String> {
            value
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        }
        self.work_email = self.work_email.trim().to_string();
        self.personal_email = opt(self.personal_email);
        self.given_name = self.given_name.trim().to_string();
        self.family_name = self.family_name.trim().to_string();
        self.preferred_name = opt(self.preferred_name);
        self.department = opt(self.department);
        let mut groups: Vec<String> = self
            .hr_groups
            .into_iter()
            .map(|g| g.trim().to_string())
            .filter(|g| !g.is_empty())
            .collect();
        groups.sort();
        groups.dedup();
        self.hr_groups = groups;
        self.title = opt(self.title);
        self.manager_source_id = opt(self.manager_source_id);
        self.work_location = opt(self.work_location);
        self.work_time_zone = opt(self.work_time_zone);
        self.work_country = opt(self.work_country).map(|c| c.to_uppercase());
        self.work_region = opt(self.work_region);
        self.work_city = opt(self.work_city);
        self
    }
}

/// A work email as identity compares it.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmployeeStatus {
    /// Hired, not started yet.
    Pending,
    Active,
    /// Offboarded (or imported as a former employee).
    Terminated,
}

impl std::fmt::Display for EmployeeStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            EmployeeStatus::Pending => "pending",
            EmployeeStatus::Active => "active",
            EmployeeStatus::Terminated => "terminated",
        })
    }
}

/// Where an offboarding stands.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Offboarding {
    /// Waiting for the final day; `due` opens it then.
    Scheduled,
    /// Held by the mass-termination guard until an admin decides.
    Held { hold: HoldId },
    /// An admin rejected the held termination; a different termination date starts anew.
    Rejected { hold: HoldId, by: UserId },
    /// The Offboard Employee task is open (or done).
    Opened { task: TaskId, days_late: u32 },
    /// A former employee imported as such: nothing to offboard.
    NotNeeded,
}

/// A known termination.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Termination {
    /// The last working day, a calendar date in the employee's work time zone.
    pub final_day: Date,
    pub offboarding: Offboarding,
}

/// An employee as Tenure keeps it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employee {
    pub id: EmployeeId,
    /// `None` for a pre-hire an admin added by hand until HR's record merges into it.
    pub source: Option<SourceRef>,
    pub profile: Profile,
    pub status: EmployeeStatus,
    pub start_date: Option<Date>,
    pub termination: Option<Termination>,
    /// The Complete IT Setup task of the current employment, once opened.
    pub onboarding: Option<TaskId>,
    /// Groups and grants as Tenure last applied them (empty once offboarded).
    #[serde(default)]
    pub access: Access,
    /// Where the champions' choices differ from what the rules grant.
    #[serde(default, skip_serializing_if = "Adjustments::is_empty")]
    pub adjustments: Adjustments,
}

/// Apps a champion gave beyond the rules, or took away although a rule grants them.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustments {
    #[serde(default)]
    pub added: BTreeSet<AppId>,
    #[serde(default)]
    pub removed: BTreeSet<AppId>,
    /// Groups and channels a champion added beyond the rules.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub groups_added: BTreeSet<ExternalGroup>,
    /// Groups and channels the rules give that a champion took away.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub groups_removed: BTreeSet<ExternalGroup>,
}

impl Adjustments {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.groups_added.is_empty()
            && self.groups_removed.is_empty()
    }

    /// The adjustments that turn what the rules grant into `chosen`.
    pub fn between(ruled: &BTreeSet<AppId>, chosen: &BTreeSet<AppId>) -> Adjustments {
        Adjustments {
            added: chosen.difference(ruled).cloned().collect(),
            removed: ruled.difference(chosen).cloned().collect(),
            ..Adjustments::default()
        }
    }

    /// The same, for groups and channels; the app adjustments stay.
    pub fn with_groups(
        self,
        ruled: &BTreeSet<ExternalGroup>,
        chosen: &BTreeSet<ExternalGroup>,
    ) -> Adjustments {
        Adjustments {
            groups_added: chosen.difference(ruled).cloned().collect(),
            groups_removed: ruled.difference(chosen).cloned().collect(),
            ..self
        }
    }
}

impl Employee {
    pub fn name(&self) -> String {
        self.profile.display_name()
    }

    /// The apps the employee holds: what the rules grant, adjusted by the champions.
    pub fn apps(&self) -> BTreeSet<AppId> {
        self.access
            .grants
            .applications
            .iter()
            .filter(|a| !self.adjustments.removed.contains(*a))
            .chain(self.adjustments.added.iter())
            .cloned()
            .collect()
    }

    /// The groups and channels the employee is in as far as Tenure manages them: what
    /// the rules give, with the champions' additions and removals.
    pub fn groups_held(&self) -> BTreeSet<ExternalGroup> {
        self.access
            .grants
            .external_groups
            .iter()
            .filter(|g| !self.adjustments.groups_removed.contains(*g))
            .chain(self.adjustments.groups_added.iter())
            .cloned()
            .collect()
    }

    pub fn is_pre_hire(&self) -> bool {
        self.source.is_none() && self.status != EmployeeStatus::Terminated
    }

    /// Pending or active (pre-hires included): counts for the mass-termination guard and
    /// owns its work email.
    pub fn is_employed(&self) -> bool {
        self.status != EmployeeStatus::Terminated
    }

    pub fn reference(&self) -> EmployeeRef {
        EmployeeRef {
            id: self.id.clone(),
            name: self.name(),
        }
    }
}

/// An employee as tasks, jobs and messages name them.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployeeRef {
    pub id: EmployeeId,
    pub name: String,
}

impl std::fmt::Display for EmployeeRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.name, self.id)
    }
}

/// One field that a change touched, for the audit log and the UI.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl std::fmt::Display for FieldChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
        write!(
            f,
            "{}: {} → {}",
            self.field,
            show(&self.before),
            show(&self.after)
        )
    }
}

/// The fields that differ between two versions of an employee, in a fixed order.
pub fn changes(before: &Employee, after: &Employee) -> Vec<FieldChange> {
    fn joined(items: &[String]) -> Option<String> {
        (!items.is_empty()).then(|| items.join(", "))
    }
    fn termination(t: &Option<Termination>) -> Option<String> {
        t.as_ref().map(|t| {
            let state = match &t.offboarding {
                Offboarding::Scheduled => "scheduled".to_string(),
                Offboarding::Held { hold } => format!("held ({hold})"),
                Offboarding::Rejected { hold, .. } => format!("rejected ({hold})"),
                Offboarding::Opened { task, .. } => format!("opened ({task})"),
                Offboarding::NotNeeded => "former employee".to_string(),
            };
            format!("{} ({state})", t.final_day)
        })
    }
    let (b, a) = (&before.profile, &after.profile);
    let fields: Vec<(&str, Option<String>, Option<String>)> = vec![
        (
            "source",
            before.source.as_ref().map(ToString::to_string),
            after.source.as_ref().map(ToString::to_string),
        ),
        (
            "work email",
            Some(b.work_email.clone()),
            Some(a.work_email.clone()),
        ),
        (
            "personal email",
            b.personal_email.clone(),
            a.personal_email.clone(),
        ),
        (
            "given name",
            Some(b.given_name.clone()),
            Some(a.given_name.clone()),
        ),
        (
            "family name",
            Some(b.family_name.clone()),
            Some(a.family_name.clone()),
        ),
        (
            "preferred name",
            b.preferred_name.clone(),
            a.preferred_name.clone(),
        ),
        ("department", b.department.clone(), a.department.clone()),
        ("HR groups", joined(&b.hr_groups), joined(&a.hr_groups)),
        ("title", b.title.clone(), a.title.clone()),
        (
            "manager",
            b.manager_source_id.clone(),
            a.manager_source_id.clone(),
        ),
        (
            "work location",
            b.work_location.clone(),
            a.work_location.clone(),
        ),
        (
            "work time zone",
            b.work_time_zone.clone(),
            a.work_time_zone.clone(),
        ),
        (
            "work country",
            b.work_country.clone(),
            a.work_country.clone(),
        ),
        ("work region", b.work_region.clone(), a.work_region.clone()),
        ("work city", b.work_city.clone(), a.work_city.clone()),
        (
            "status",
            Some(before.status.to_string()),
            Some(after.status.to_string()),
        ),
        (
            "start date",
            before.start_date.map(|d| d.to_string()),
            after.start_date.map(|d| d.to_string()),
        ),
        (
            "termination",
            termination(&before.termination),
            termination(&after.termination),
        ),
        (
            "onboarding task",
            before.onboarding.as_ref().map(ToString::to_string),
            after.onboarding.as_ref().map(ToString::to_string),
        ),
    ];
    let mut out: Vec<FieldChange> = fields
        .into_iter()
        .filter(|(_, b, a)| b != a)
        .map(|(field, before, after)| FieldChange {
            field: field.to_string(),
            before,
            after,
        })
        .collect();
    if before.access != after.access {
        let groups = |e: &Employee| {
            let names: Vec<String> = e.access.groups.iter().map(group_short).collect();
            joined(&names)
        };
        out.push(FieldChange {
            field: "groups".into(),
            before: groups(before),
            after: groups(after),
        });
    }
    out
}

fn group_short(group: &crate::groups::GroupRef) -> String {
    match group {
        crate::groups::GroupRef::Department(name) => format!("department {name}"),
        crate::groups::GroupRef::Hr(name) => format!("HR group {name}"),
        crate::groups::GroupRef::Custom(id) => format!("group {id}"),
    }
}
