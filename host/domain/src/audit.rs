//! The audit log: who changed what, when. The planner emits entries with its effects so
//! that the shell commits both in one transaction.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{EmployeeId, HoldId, PluginId, TaskId, UserId};

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actor {
    /// A sync from this HR plugin.
    HrSync { source: PluginId },
    /// A person using Tenure.
    User { id: UserId },
    /// Tenure itself (the daily run that opens due offboardings).
    System,
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Actor::HrSync { source } => write!(f, "HR sync ({source})"),
            Actor::User { id } => write!(f, "user {id}"),
            Actor::System => f.write_str("Tenure"),
        }
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    EmployeeCreated,
    FormerEmployeeImported,
    ExistingEmployeeImported,
    PreHireAdded,
    PreHireMerged,
    EmployeeUpdated,
    EmployeeStarted,
    EmployeeRehired,
    TaskOpened,
    JobEnqueued,
    JobFailed,
    OffboardingScheduled,
    OffboardingCancelled,
    OffboardingOpened,
    OffboardingsHeld,
    OffboardingsApproved,
    OffboardingsRejected,
    QuarantineReleased,
    TaskCompleted,
    TaskCancelled,
    TaskAssigned,
    CatalogChanged,
    AssetAdded,
    AssetChanged,
    ReturnBooked,
    ReturnUpdated,
    DeviceCommand,
    OrderPlaced,
    OrderChanged,
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AuditAction::EmployeeCreated => "employee created",
            AuditAction::FormerEmployeeImported => "former employee imported",
            AuditAction::ExistingEmployeeImported => "existing employee imported",
            AuditAction::PreHireAdded => "pre-hire added",
            AuditAction::PreHireMerged => "pre-hire merged with HR record",
            AuditAction::EmployeeUpdated => "employee updated",
            AuditAction::EmployeeStarted => "employee started",
            AuditAction::EmployeeRehired => "employee rehired",
            AuditAction::TaskOpened => "task opened",
            AuditAction::JobEnqueued => "job enqueued",
            AuditAction::JobFailed => "job failed",
            AuditAction::OffboardingScheduled => "offboarding scheduled",
            AuditAction::OffboardingCancelled => "offboarding cancelled",
            AuditAction::OffboardingOpened => "offboarding opened",
            AuditAction::OffboardingsHeld => "offboardings held",
            AuditAction::OffboardingsApproved => "held offboardings approved",
            AuditAction::OffboardingsRejected => "held offboardings rejected",
            AuditAction::QuarantineReleased => "quarantine released",
            AuditAction::TaskCompleted => "task completed",
            AuditAction::TaskCancelled => "task cancelled",
            AuditAction::TaskAssigned => "task reassigned",
            AuditAction::CatalogChanged => "groups, rules, applications or champions changed",
            AuditAction::AssetAdded => "asset added",
            AuditAction::AssetChanged => "asset changed",
            AuditAction::ReturnBooked => "device return booked",
            AuditAction::ReturnUpdated => "device return updated",
            AuditAction::DeviceCommand => "device command",
            AuditAction::OrderPlaced => "hardware ordered",
            AuditAction::OrderChanged => "hardware order changed",
        })
    }
}

/// What an entry is about.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Subject {
    Employee {
        id: EmployeeId,
    },
    Task {
        id: TaskId,
    },
    Hold {
        id: HoldId,
    },
    Record {
        source: PluginId,
        source_id: String,
    },
    /// Groups, rules, applications and champions.
    Catalog,
    Asset {
        id: crate::ids::AssetId,
    },
    Shipment {
        id: crate::ids::ShipmentId,
    },
    Order {
        id: crate::ids::OrderId,
    },
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: Timestamp,
    pub actor: Actor,
    pub action: AuditAction,
    pub subject: Subject,
    /// What happened, for a person: "department: Engineering → Sales".
    pub detail: String,
}
