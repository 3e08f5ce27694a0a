//! Tasks: the human side of the lifecycle.

use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::employee::EmployeeRef;
use crate::groups::{ExternalGroup, Grants, GroupRef};
use crate::ids::{AppId, TaskId, UserId};

/// Give or take away access.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppAction {
    Grant,
    Revoke,
}

/// Access to an app that has no connector, done by its champions by hand.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualAppTask {
    pub app: AppId,
    /// The app's name when the task opened.
    pub app_name: String,
    pub action: AppAction,
    /// Why a person must do it: the connector could not (its error, in words).
    /// `None`: the app has no connector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The group or channel to add the person to or remove them from, when the task is
    /// about a membership (then `app` is the group's key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<ExternalGroup>,
}

/// What changed in an employee's groups, and what that means for access.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupChange {
    pub groups_before: Vec<GroupRef>,
    pub groups_after: Vec<GroupRef>,
    /// What the old groups granted.
    pub granted_before: Grants,
    /// What the new groups grant.
    pub granted_after: Grants,
    /// before − after.
    pub to_remove: Grants,
    /// after − before.
    pub to_add: Grants,
    /// In both.
    pub to_keep: Grants,
    /// The apps the employee held when the groups changed (rules plus the champions'
    /// own choices): what the Group Change decision grants and revokes against.
    #[serde(default)]
    pub held_before: BTreeSet<AppId>,
    /// The groups and channels the employee was in when the groups changed (rules plus
    /// the champions' own choices).
    #[serde(default)]
    pub held_groups_before: BTreeSet<ExternalGroup>,
}

impl GroupChange {
    /// The groups and channels held before the change (what the old groups granted,
    /// for a task opened before Tenure recorded more).
    pub fn groups_held_before(&self) -> BTreeSet<ExternalGroup> {
        if self.held_groups_before.is_empty() {
            self.granted_before.external_groups.clone()
        } else {
            self.held_groups_before.clone()
        }
    }

    pub fn new(
        groups_before: Vec<GroupRef>,
        groups_after: Vec<GroupRef>,
        granted_before: Grants,
        granted_after: Grants,
    ) -> Self {
        Self {
            to_remove: granted_before.minus(&granted_after),
            to_add: granted_after.minus(&granted_before),
            to_keep: granted_before.common(&granted_after),
            held_before: granted_before.applications.clone(),
            held_groups_before: granted_before.external_groups.clone(),
            groups_before,
            groups_after,
            granted_before,
            granted_after,
        }
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TaskKind {
    /// Accounts, groups and everything else a new hire needs on day one.
    CompleteItSetup {
        start_date: Option<Date>,
        /// What the new hire's groups grant.
        grants: Grants,
        rehire: bool,
    },
    /// Buy or assign hardware.
    EquipNewHire {
        start_date: Option<Date>,
        /// What the onboarding champion asked for ("MacBook Pro 14, monitor").
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request: Option<String>,
    },
    GroupChange {
        change: Box<GroupChange>,
    },
    /// Appears on the final day (or at once, marked late, when HR said so after it).
    OffboardEmployee {
        final_day: Date,
        late: bool,
        days_late: u32,
        /// Everything the employee had, to revoke.
        to_revoke: Grants,
        /// Revocations wait until then (the end of the final day where the employee
        /// works), even when the champion confirms earlier. `None`: at once.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        revoke_not_before: Option<Timestamp>,
    },
    ManualApp {
        app_task: ManualAppTask,
    },
    /// For the hardware champions: a leaver's devices to receive (handed in, or a return
    /// that arrived or must be sent by hand), then restock or reassign.
    ReceiveDevices {
        assets: Vec<crate::ids::AssetId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shipment: Option<crate::ids::ShipmentId>,
        /// What is asked: "arrived: restock or reassign".
        what: String,
    },
}

impl TaskKind {
    /// The task's title as the UI and emails show it.
    pub fn title(&self) -> String {
        match self {
            TaskKind::CompleteItSetup { .. } => "Complete IT Setup".into(),
            TaskKind::EquipNewHire { .. } => "Equip New Hire".into(),
            TaskKind::GroupChange { .. } => "Group Change".into(),
            TaskKind::OffboardEmployee { .. } => "Offboard Employee".into(),
            TaskKind::ReceiveDevices { .. } => "Receive Returned Devices".into(),
            TaskKind::ManualApp { app_task } => match app_task.action {
                AppAction::Grant => format!("Grant access to {}", app_task.app_name),
                AppAction::Revoke => format!("Revoke access to {}", app_task.app_name),
            },
        }
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TaskState {
    Open,
    Done {
        at: Timestamp,
        by: UserId,
        /// What the champion noted when finishing.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    Cancelled {
        at: Timestamp,
        by: UserId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub kind: TaskKind,
    pub employee: EmployeeRef,
    /// The champions who do it; empty means unassigned (admins see it).
    pub assignees: Vec<UserId>,
    pub opened_at: Timestamp,
    pub state: TaskState,
    /// What the champion decided, once they did (kept when the task closes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
}

impl Task {
    pub fn title(&self) -> String {
        self.kind.title()
    }

    pub fn is_open(&self) -> bool {
        self.state == TaskState::Open
    }

    /// `open`, `done` or `cancelled`.
    pub fn state_name(&self) -> &'static str {
        match self.state {
            TaskState::Open => "open",
            TaskState::Done { .. } => "done",
            TaskState::Cancelled { .. } => "cancelled",
        }
    }

    /// `complete_it_setup`, `group_change`, ... (as the API names kinds).
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            TaskKind::CompleteItSetup { .. } => "complete_it_setup",
            TaskKind::EquipNewHire { .. } => "equip_new_hire",
            TaskKind::GroupChange { .. } => "group_change",
            TaskKind::OffboardEmployee { .. } => "offboard_employee",
            TaskKind::ManualApp { .. } => "manual_app",
            TaskKind::ReceiveDevices { .. } => "receive_devices",
        }
    }
}

/// A champion's decision on a Complete IT Setup, Group Change or Offboard Employee task.
/// The provisioning and hardware back ends act on what is recorded here.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    Setup(SetupDecision),
    GroupChange(GroupChangeDecision),
    Offboard(OffboardDecision),
    /// Equip New Hire: the asset from stock the new hire gets.
    Equip(EquipDecision),
    /// Receive Returned Devices: where each device goes now.
    Receive(ReceiveDecision),
}

/// Equip New Hire: from stock, from the store, or both.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquipDecision {
    /// Assets in stock (or received) to assign.
    #[serde(default)]
    pub assets: Vec<crate::ids::AssetId>,
    /// A product to order from the store for the new hire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<StoreCheckout>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A store order placed from Equip New Hire.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreCheckout {
    /// The product's key.
    pub product: String,
    /// Where the supplier delivers it (the new hire's home, or an office).
    pub ship_to: crate::hardware::PostalAddress,
}

/// What becomes of a received device.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Disposition {
    /// Back in stock at a place (default: where it arrived).
    Stock {
        #[serde(default)]
        location: Option<String>,
    },
    /// Straight to another employee.
    Reassign {
        employee: crate::ids::EmployeeId,
    },
    Repair,
    Retire {
        reason: String,
    },
}

/// Receive Returned Devices: per asset, where it goes. Devices not named go back in stock.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiveDecision {
    #[serde(default)]
    pub devices: BTreeMap<crate::ids::AssetId, Disposition>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Complete IT Setup: the apps the new hire gets and whether they need hardware.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupDecision {
    pub applications: BTreeSet<AppId>,
    /// What hardware to buy or assign; `None`: no hardware needed.
    #[serde(default)]
    pub hardware: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// Create the accounts now instead of the configured number of days before the
    /// start date.
    #[serde(default)]
    pub accounts_now: bool,
}

/// What happens to one app in a Group Change.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppChoice {
    /// Held before and after.
    Keep,
    /// Taken away.
    Remove,
    /// Given (new, or back).
    Grant,
    /// Not held and not given (a suggestion declined).
    Skip,
}

impl AppChoice {
    /// Whether the employee has the app after the decision.
    pub fn holds(self) -> bool {
        matches!(self, AppChoice::Keep | AppChoice::Grant)
    }
}

/// Group Change: per app, keep, remove, grant or skip.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupChangeDecision {
    pub applications: BTreeMap<AppId, AppChoice>,
    /// Per group or channel, by its key (`group:<connector>:<id>`): keep, remove
    /// (leave), grant (join) or skip. Those not named follow the rules: leave what the
    /// old groups gave, join what the new ones give, keep the rest.
    #[serde(default)]
    pub external_groups: BTreeMap<String, AppChoice>,
    #[serde(default)]
    pub note: Option<String>,
}

/// How a leaver's devices come back.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum DeviceRetrieval {
    /// A prepaid return label to the warehouse.
    ShipToWarehouse,
    /// A prepaid return label to one of the company's sites.
    ShipToSite { site: String },
    /// Handed in at an office.
    InPerson,
    /// The employee keeps the devices.
    Keep,
}

impl DeviceRetrieval {
    pub fn ships(&self) -> bool {
        matches!(
            self,
            DeviceRetrieval::ShipToWarehouse | DeviceRetrieval::ShipToSite { .. }
        )
    }

    pub fn describe(&self) -> String {
        match self {
            DeviceRetrieval::ShipToWarehouse => "ship to the warehouse".into(),
            DeviceRetrieval::ShipToSite { site } => format!("ship to {site}"),
            DeviceRetrieval::InPerson => "return in person".into(),
            DeviceRetrieval::Keep => "employee keeps the devices".into(),
        }
    }
}

/// What MDM does to a leaver's managed devices.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MdmAction {
    #[default]
    None,
    Lock,
    Wipe,
}

/// Offboard Employee: device retrieval, MDM and the confirmed shipping address.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffboardDecision {
    pub retrieval: DeviceRetrieval,
    #[serde(default)]
    pub mdm: MdmAction,
    /// Where the return label picks up from, as free text (before devices were
    /// recorded); [`OffboardDecision::origin`] replaces it.
    #[serde(default)]
    pub shipping_address: Option<String>,
    /// Per device the employee has: how it comes back and the MDM action. Devices not
    /// named follow `retrieval` with no MDM action.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<crate::hardware::DeviceChoice>,
    /// The employee's address the return starts from, as confirmed by the champion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<crate::hardware::PostalAddress>,
    /// The address it goes to, when the champion changed the place's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<crate::hardware::PostalAddress>,
    #[serde(default)]
    pub note: Option<String>,
}
