//! What a plan asks the shell to do.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::audit::AuditEntry;
use crate::employee::{Employee, EmployeeRef, FieldChange, SourceRef};
use crate::groups::ExternalGroup;
use crate::guard::{HeldOffboardings, HoldResolution};
use crate::hr_record::Quarantine;
use crate::ids::{AppId, EmployeeId, HoldId, PluginId, TaskId};
use crate::task::Task;

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobAction {
    /// `ensure-account` (idempotent: finds the account by email before creating).
    Provision,
    /// Suspend the account.
    Revoke,
    /// Add the person's account to [`JobIntent::group`] (`add-to-group`).
    Join,
    /// Take the person's account out of [`JobIntent::group`] (`remove-from-group`).
    Leave,
}

/// A call into an app-connector plugin, for the durable job queue.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobIntent {
    pub action: JobAction,
    /// The application, or for `Join` and `Leave` the group's key
    /// ([`ExternalGroup::key`]): jobs on one key for one person run in order.
    pub app: AppId,
    /// The group a `Join` or `Leave` acts on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<ExternalGroup>,
    pub connector: PluginId,
    pub employee: EmployeeRef,
    /// Do not run before this instant: an offboarding's revocations wait until the final
    /// day is over in the employee's time zone. `None`: at once.
    pub not_before: Option<Timestamp>,
}

impl JobIntent {
    /// What the job acts on, in words: the application's name, or "Okta group
    /// Engineering".
    pub fn target(&self, catalog: &crate::groups::Catalog) -> String {
        match &self.group {
            Some(g) => g.to_string(),
            None => catalog.app_name(&self.app),
        }
    }

    /// Gives access (an account, a membership) rather than taking it away.
    pub fn grants(&self) -> bool {
        matches!(self.action, JobAction::Provision | JobAction::Join)
    }
}

/// An email the shell renders and sends.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NotificationKind {
    /// To the onboarding champions: someone is joining (or rejoining).
    NewHire {
        employee: EmployeeRef,
        work_email: String,
        start_date: Option<Date>,
        task: TaskId,
        rehire: bool,
    },
    /// To a task's assignees: a task is waiting for them.
    TaskOpened {
        task: TaskId,
        title: String,
        employee: EmployeeRef,
    },
    /// To the onboarding champions: a sync wanted to offboard too many people at once;
    /// an admin must approve or reject the hold.
    OffboardingsHeld {
        hold: HoldId,
        reason: String,
        employees: Vec<EmployeeRef>,
    },
    /// To the admins: a connector's credentials were refused; its jobs wait until an
    /// admin changes its settings.
    ConnectorParked { connector: PluginId, reason: String },
    /// To the new hire (or their manager): the first password of a new account. The
    /// password is sealed with the store's key; the message is sent from
    /// `deliver_after` on and then deleted, so no plaintext copy stays.
    Credential {
        /// The job that created the account; the seal is bound to it.
        job: String,
        employee: EmployeeRef,
        app_name: String,
        login: String,
        sealed_password: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deliver_after: Option<Timestamp>,
        to_manager: bool,
    },
    /// To a product's supplier: a purchase request for an order.
    PurchaseRequest { order: Box<crate::hardware::Order> },
    /// To a leaver (personal email): how to send their devices back, with the
    /// drop-off code (as a QR code image) or the printable label of the shipment.
    ReturnInstructions {
        employee: EmployeeRef,
        shipment: crate::ids::ShipmentId,
        /// Where it goes: "the warehouse", "Berlin office".
        place: String,
    },
}

/// One thing the shell does. Apply a plan's effects in order, all in one transaction with
/// its audit entries (and, for a sync, the new cursor).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum Effect {
    /// Insert this employee.
    CreateEmployee { employee: Employee },
    /// Replace the stored employee with this one.
    UpdateEmployee {
        employee: Employee,
        changes: Vec<FieldChange>,
    },
    /// A pre-hire meets its HR record: replace the stored employee (same id, so its tasks
    /// and history stay) and index it under `source` from now on.
    MergePreHire {
        employee: Employee,
        source: SourceRef,
        changes: Vec<FieldChange>,
    },
    /// Insert this task.
    OpenTask { task: Task },
    /// Replace the stored task with this one (completed, cancelled, reassigned).
    UpdateTask { task: Task },
    /// Send this email to these addresses.
    Notify {
        to: Vec<String>,
        message: NotificationKind,
    },
    /// Put this job on the queue.
    EnqueueJob { job: JobIntent },
    /// The offboarding waits for its final day (recorded on the employee too); the shell's
    /// daily `due` run opens it then. The shell may keep an index by date.
    ScheduleOffboarding {
        employee: EmployeeId,
        final_day: Date,
    },
    /// HR withdrew the termination before the final day.
    CancelOffboarding { employee: EmployeeId },
    /// Too many offboardings in one sync: store the hold and tell the admins.
    HoldOffboardings { hold: HeldOffboardings },
    /// An admin decided on a hold: mark it resolved.
    ResolveHold {
        hold: HoldId,
        resolution: HoldResolution,
    },
    /// A record that was quarantined now applies: drop its quarantine entry.
    ReleaseQuarantine { source: PluginId, source_id: String },
    /// Insert or replace this asset.
    PutAsset { asset: crate::hardware::Asset },
    /// Insert or replace this return shipment.
    PutShipment {
        shipment: crate::hardware::ReturnShipment,
    },
    /// Insert or replace this MDM command.
    PutCommand {
        command: crate::hardware::MdmCommand,
    },
    /// Insert or replace this store order.
    PutOrder { order: crate::hardware::Order },
}

/// What the planner decided. `effects` and `audit` are in a deterministic order.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub effects: Vec<Effect>,
    /// Records not applied, each with its reason; upsert them keyed by (source, source_id).
    pub quarantined: Vec<Quarantine>,
    pub audit: Vec<AuditEntry>,
}

impl Plan {
    /// Nothing to write (quarantines aside).
    pub fn is_empty(&self) -> bool {
        self.effects.is_empty() && self.audit.is_empty()
    }

    /// Every task this plan opens.
    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.effects.iter().filter_map(|e| match e {
            Effect::OpenTask { task } => Some(task),
            _ => None,
        })
    }

    /// Every job this plan enqueues.
    pub fn jobs(&self) -> impl Iterator<Item = &JobIntent> {
        self.effects.iter().filter_map(|e| match e {
            Effect::EnqueueJob { job } => Some(job),
            _ => None,
        })
    }
}
