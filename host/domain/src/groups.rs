//! Groups, the rules that say what a group grants, applications and champions: the
//! catalog an admin maintains, and what it grants one employee.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::employee::Profile;
use crate::ids::{AppId, EmployeeId, GroupId, PluginId, UserId};

/// A group an employee can be in.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum GroupRef {
    /// The department HR gives, by name.
    Department(String),
    /// Another group HR gives (team, cost center, ...), by name.
    Hr(String),
    /// A custom group created by an admin.
    Custom(GroupId),
}

impl GroupRef {
    /// Whether a rule written for `self` applies to membership `other` (HR names compare
    /// case-insensitively: HR spells them by hand).
    pub fn matches(&self, other: &GroupRef) -> bool {
        match (self, other) {
            (GroupRef::Department(a), GroupRef::Department(b))
            | (GroupRef::Hr(a), GroupRef::Hr(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
            (GroupRef::Custom(a), GroupRef::Custom(b)) => a == b,
            _ => false,
        }
    }
}

/// Which custom-group rule attributes an employee must have. Every given attribute must
/// hold; a match with no attribute at all matches every employee ("All staff").
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMatch {
    /// Department equals this (case-insensitive).
    pub department: Option<String>,
    /// Title contains this (case-insensitive).
    pub title_contains: Option<String>,
    /// Work country equals this ISO alpha-2 code (case-insensitive).
    pub country: Option<String>,
}

impl GroupMatch {
    pub fn admits(&self, profile: &Profile) -> bool {
        let eq = |want: &Option<String>, have: &Option<String>| match want {
            None => true,
            Some(want) => have
                .as_deref()
                .is_some_and(|have| have.trim().eq_ignore_ascii_case(want.trim())),
        };
        let contains = match &self.title_contains {
            None => true,
            Some(part) => profile
                .title
                .as_deref()
                .is_some_and(|t| t.to_lowercase().contains(&part.trim().to_lowercase())),
        };
        eq(&self.department, &profile.department)
            && contains
            && eq(&self.country, &profile.work_country)
    }
}

/// A group an admin created: explicit members, plus whoever the optional match admits.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomGroup {
    pub id: GroupId,
    pub name: String,
    #[serde(default)]
    pub members: Vec<EmployeeId>,
    #[serde(default, rename = "match")]
    pub matches: Option<GroupMatch>,
}

impl CustomGroup {
    pub fn includes(&self, employee: &EmployeeId, profile: &Profile) -> bool {
        self.members.contains(employee) || self.matches.as_ref().is_some_and(|m| m.admits(profile))
    }
}

/// A group in another system that a connector manages: an Okta group, an Entra
/// group, a Slack channel, a group in any SCIM application. Rules name it by the
/// connector and the group's name; the id is the connector's own, resolved with
/// `find-group` when the rule is saved.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ExternalGroup {
    /// The app-connector plugin that manages it (`okta`, `entra`, `slack`, `scim`, ...).
    /// Rules written before connectors managed groups named a `system` (okta, entra,
    /// slack, google); those read as the connector of that name.
    #[serde(alias = "system", deserialize_with = "connector_of")]
    pub connector: PluginId,
    pub id: String,
    pub name: String,
}

/// `google` (a rule from before connectors) is the `google-workspace` connector.
fn connector_of<'de, D: serde::Deserializer<'de>>(d: D) -> Result<PluginId, D::Error> {
    let id = String::deserialize(d)?;
    Ok(PluginId(if id == "google" {
        "google-workspace".into()
    } else {
        id
    }))
}

impl ExternalGroup {
    /// What the connector calls its groups: "Okta group", "Slack channel", ...
    pub fn kind(&self) -> String {
        match self.connector.0.as_str() {
            "okta" => "Okta group".into(),
            "entra" | "microsoft365" => "Entra group".into(),
            "slack" => "Slack channel".into(),
            "google-workspace" => "Google group".into(),
            "scim" => "SCIM group".into(),
            other => format!("{other} group"),
        }
    }

    /// The key its membership jobs and records go by: `group:<connector>:<id>`.
    pub fn key(&self) -> AppId {
        AppId(format!("group:{}:{}", self.connector, self.id))
    }

    /// As the rule form writes it: `okta:Engineering`, `slack:#eng`.
    pub fn line(&self) -> String {
        format!("{}:{}", self.connector, self.name)
    }
}

impl std::fmt::Display for ExternalGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.kind(), self.name)
    }
}

/// What membership of a group grants.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub group: GroupRef,
    #[serde(default)]
    pub applications: Vec<AppId>,
    #[serde(default)]
    pub external_groups: Vec<ExternalGroup>,
}

/// A person who gets tasks and the emails about them.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Champion {
    pub user: UserId,
    pub name: String,
    pub email: String,
}

/// Who does which human work.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Champions {
    /// Complete IT Setup and Offboard Employee.
    #[serde(default)]
    pub onboarding: Vec<Champion>,
    /// Equip New Hire, and device return on offboarding.
    #[serde(default)]
    pub hardware: Vec<Champion>,
    /// Group Change, and manual app tasks for apps without their own champions.
    #[serde(default)]
    pub default_application: Vec<Champion>,
}

/// An application employees get access to.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub id: AppId,
    pub name: String,
    /// The app-connector plugin that automates it; without one, access is manual work.
    pub connector: Option<PluginId>,
    /// Who grants and revokes access by hand; empty means the default application champions.
    #[serde(default)]
    pub champions: Vec<Champion>,
    /// What the connector does beyond creating and disabling accounts.
    #[serde(default)]
    pub provisioning: Provisioning,
}

/// How a connector provisions and offboards one application.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Provisioning {
    /// Licence or plan ids assigned to new accounts (Microsoft 365 licence SKU ids, ...).
    pub entitlements: Vec<String>,
    /// The first credential of a new account.
    pub credential: FirstCredential,
    /// Email a temporary password to the manager instead of the person's personal
    /// address.
    pub credential_to_manager: bool,
    /// On offboarding, remove the licences (freeing them).
    pub remove_entitlements: bool,
    /// On offboarding, hand the leaver's files to their manager.
    pub transfer_data_to_manager: bool,
    /// On offboarding, forward the leaver's new mail to their manager.
    pub forward_mail_to_manager: bool,
}

/// The first credential of a new account.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FirstCredential {
    /// None: people sign in through single sign-on.
    #[default]
    None,
    /// A generated password, changed at first sign-in, emailed to the person.
    TemporaryPassword,
    /// The application invites the person.
    Invitation,
}

/// Apps and external groups granted to someone.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grants {
    pub applications: BTreeSet<AppId>,
    pub external_groups: BTreeSet<ExternalGroup>,
}

impl Grants {
    pub fn is_empty(&self) -> bool {
        self.applications.is_empty() && self.external_groups.is_empty()
    }

    /// What `self` grants that `other` does not.
    pub fn minus(&self, other: &Grants) -> Grants {
        Grants {
            applications: self
                .applications
                .difference(&other.applications)
                .cloned()
                .collect(),
            external_groups: self
                .external_groups
                .difference(&other.external_groups)
                .cloned()
                .collect(),
        }
    }

    /// What both grant.
    pub fn common(&self, other: &Grants) -> Grants {
        Grants {
            applications: self
                .applications
                .intersection(&other.applications)
                .cloned()
                .collect(),
            external_groups: self
                .external_groups
                .intersection(&other.external_groups)
                .cloned()
                .collect(),
        }
    }
}

/// The groups an employee is in and what they grant, as Tenure last applied them.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    pub groups: crate::group_set::GroupSet,
    pub grants: Grants,
}

/// Everything an admin configures that the planner reads.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    #[serde(default)]
    pub custom_groups: Vec<CustomGroup>,
    #[serde(default)]
    pub rules: Vec<Rule>,
    #[serde(default)]
    pub champions: Champions,
    #[serde(default)]
    pub applications: Vec<Application>,
}

impl Catalog {
    /// What differs from `before`, for the audit log: "rules: 2 → 3; champions changed".
    /// Empty when nothing does.
    pub fn describe_change(&self, before: &Catalog) -> String {
        let mut parts = Vec::new();
        let mut part = |name: &str, old: usize, new: usize, same: bool| {
            if same {
                return;
            }
            parts.push(if old == new {
                format!("{name} changed")
            } else {
                format!("{name}: {old} → {new}")
            });
        };
        part(
            "custom groups",
            before.custom_groups.len(),
            self.custom_groups.len(),
            before.custom_groups == self.custom_groups,
        );
        part(
            "rules",
            before.rules.len(),
            self.rules.len(),
            before.rules == self.rules,
        );
        part(
            "applications",
            before.applications.len(),
            self.applications.len(),
            before.applications == self.applications,
        );
        let count =
            |c: &Champions| c.onboarding.len() + c.hardware.len() + c.default_application.len();
        part(
            "champions",
            count(&before.champions),
            count(&self.champions),
            before.champions == self.champions,
        );
        parts.join("; ")
    }

    pub fn application(&self, id: &AppId) -> Option<&Application> {
        self.applications.iter().find(|app| &app.id == id)
    }

    /// The app's name, or its id when the app was removed from the catalog.
    pub fn app_name(&self, id: &AppId) -> String {
        self.application(id)
            .map_or_else(|| id.to_string(), |app| app.name.clone())
    }

    /// Who does manual work for an app: its champions, else the default application champions.
    pub fn app_champions(&self, id: &AppId) -> &[Champion] {
        match self.application(id) {
            Some(app) if !app.champions.is_empty() => &app.champions,
            _ => &self.champions.default_application,
        }
    }

    /// A group's name for people: `department Engineering`, `group Contractors`.
    pub fn group_label(&self, group: &GroupRef) -> String {
        match group {
            GroupRef::Department(name) => format!("department {name}"),
            GroupRef::Hr(name) => format!("HR group {name}"),
            GroupRef::Custom(id) => {
                let name = self
                    .custom_groups
                    .iter()
                    .find(|g| &g.id == id)
                    .map_or(id.as_str(), |g| g.name.as_str());
                format!("group {name}")
            }
        }
    }

    /// The groups an employee with this profile is in.
    pub fn memberships(&self, employee: &EmployeeId, profile: &Profile) -> BTreeSet<GroupRef> {
        let mut groups = BTreeSet::new();
        if let Some(department) = &profile.department {
            groups.insert(GroupRef::Department(department.clone()));
        }
        groups.extend(profile.hr_groups.iter().cloned().map(GroupRef::Hr));
        groups.extend(
            self.custom_groups
                .iter()
                .filter(|group| group.includes(employee, profile))
                .map(|group| GroupRef::Custom(group.id.clone())),
        );
        groups
    }

    /// What these groups grant under the rules.
    pub fn grants(&self, groups: &BTreeSet<GroupRef>) -> Grants {
        let mut grants = Grants::default();
        for rule in &self.rules {
            if groups.iter().any(|g| rule.group.matches(g)) {
                grants
                    .applications
                    .extend(rule.applications.iter().cloned());
                grants
                    .external_groups
                    .extend(rule.external_groups.iter().cloned());
            }
        }
        grants
    }

    /// The access an employed person with this profile should have.
    pub fn access_for(&self, employee: &EmployeeId, profile: &Profile) -> Access {
        let groups = self.memberships(employee, profile);
        let grants = self.grants(&groups);
        Access {
            groups: groups.into_iter().collect(),
            grants,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_of_rules_from_before_connectors_read_as_their_connector() {
        let old: ExternalGroup = serde_json::from_str(
            r#"{"system":"google","id":"all@acme.test","name":"all@acme.test"}"#,
        )
        .unwrap();
        assert_eq!(old.connector.as_str(), "google-workspace");
        assert_eq!(old.to_string(), "Google group all@acme.test");
        let new: ExternalGroup =
            serde_json::from_str(r#"{"connector":"slack","id":"C1","name":"eng"}"#).unwrap();
        assert_eq!(
            (new.key().0.as_str(), new.line()),
            ("group:slack:C1", "slack:eng".into())
        );
        assert_eq!(new.to_string(), "Slack channel eng");
    }

    fn profile(department: &str, title: &str, country: &str) -> Profile {
        Profile {
            work_email: "a@b.test".into(),
            given_name: "A".into(),
            department: Some(department.into()),
            title: Some(title.into()),
            work_country: Some(country.into()),
            work_region: None,
            work_city: None,
            ..Profile::default()
        }
    }

    #[test]
    fn a_match_needs_every_given_attribute() {
        let m = GroupMatch {
            department: Some("sales".into()),
            title_contains: Some("Manager".into()),
            country: Some("de".into()),
        };
        assert!(m.admits(&profile("Sales", "Regional manager", "DE")));
        assert!(!m.admits(&profile("Sales", "Regional manager", "FR")));
        assert!(!m.admits(&profile("Sales", "Account executive", "DE")));
        assert!(GroupMatch::default().admits(&profile("Any", "Any", "US")));
    }

    #[test]
    fn explicit_members_are_in_without_a_match() {
        let group = CustomGroup {
            id: GroupId::new("g"),
            name: "G".into(),
            members: vec![EmployeeId::new("E-1")],
            matches: None,
        };
        let p = profile("Sales", "AE", "US");
        assert!(group.includes(&EmployeeId::new("E-1"), &p));
        assert!(!group.includes(&EmployeeId::new("E-2"), &p));
    }

    #[test]
    fn a_catalog_change_is_described_part_by_part() {
        let before = Catalog::default();
        let mut after = before.clone();
        assert_eq!(after.describe_change(&before), "");
        after.rules.push(Rule {
            group: GroupRef::Department("Sales".into()),
            applications: vec![AppId::new("crm")],
            external_groups: vec![],
        });
        after.champions.onboarding.push(Champion {
            user: UserId::new("u"),
            name: "U".into(),
            email: "u@x.test".into(),
        });
        assert_eq!(
            after.describe_change(&before),
            "rules: 0 → 1; champions: 0 → 1"
        );
    }

    #[test]
    fn grants_subtract_and_intersect() {
        let grants = |apps: &[&str]| Grants {
            applications: apps.iter().map(|a| AppId::new(*a)).collect(),
            external_groups: BTreeSet::new(),
        };
        let before = grants(&["github", "slack"]);
        let after = grants(&["figma", "slack"]);
        assert_eq!(before.minus(&after), grants(&["github"]));
        assert_eq!(after.minus(&before), grants(&["figma"]));
        assert_eq!(before.common(&after), grants(&["slack"]));
    }
}
