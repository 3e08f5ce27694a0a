//! Access records: per employee and application, what actually happened (not what was
//! intended). Jobs and manual tasks move them; the pages show them.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::effect::{Effect, JobAction, Plan};
use crate::groups::ExternalGroup;
use crate::ids::{AppId, EmployeeId, PluginId, TaskId};
use crate::task::{AppAction, TaskKind, TaskState};

/// History entries kept per record; older ones are dropped.
pub const HISTORY_KEPT: usize = 50;

/// Where an employee's access to one application stands.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AccessState {
    /// A connector will create the account (queued, perhaps waiting for a date).
    Requested,
    /// A connector is creating it now.
    Provisioning,
    /// The account exists and is active.
    Active,
    /// The connector could not do it; a manual task took over.
    Failed {
        reason: String,
    },
    /// A connector is revoking it.
    Revoking,
    Revoked,
    /// A person must do it by hand (a manual task is open).
    ManualPending {
        task: TaskId,
        action: AppAction,
    },
    /// A person did it by hand.
    ManualDone {
        action: AppAction,
    },
}

impl AccessState {
    /// In words, for pages: "active", "being revoked", ...
    pub fn label(&self) -> String {
        match self {
            AccessState::Requested => "requested".into(),
            AccessState::Provisioning => "being created".into(),
            AccessState::Active => "active".into(),
            AccessState::Failed { reason } => format!("failed: {reason}"),
            AccessState::Revoking => "being revoked".into(),
            AccessState::Revoked => "revoked".into(),
            AccessState::ManualPending { action, .. } => match action {
                AppAction::Grant => "waiting for a person to grant it".into(),
                AppAction::Revoke => "waiting for a person to revoke it".into(),
            },
            AccessState::ManualDone { action } => match action {
                AppAction::Grant => "granted by hand".into(),
                AppAction::Revoke => "revoked by hand".into(),
            },
        }
    }

    /// In words for a membership of a group or channel: "member", "leaving", ...
    pub fn group_label(&self) -> String {
        match self {
            AccessState::Requested => "to join".into(),
            AccessState::Provisioning => "joining".into(),
            AccessState::Active => "member".into(),
            AccessState::Revoking => "leaving".into(),
            AccessState::Revoked => "left".into(),
            AccessState::ManualDone {
                action: AppAction::Grant,
            } => "added by hand".into(),
            AccessState::ManualDone {
                action: AppAction::Revoke,
            } => "removed by hand".into(),
            AccessState::ManualPending {
                action: AppAction::Grant,
                ..
            } => "waiting for a person to add them".into(),
            AccessState::ManualPending {
                action: AppAction::Revoke,
                ..
            } => "waiting for a person to remove them".into(),
            AccessState::Failed { .. } => self.label(),
        }
    }

    /// Revoked, or nothing left to revoke.
    pub fn is_gone(&self) -> bool {
        matches!(
            self,
            AccessState::Revoked
                | AccessState::ManualDone {
                    action: AppAction::Revoke
                }
        )
    }

    /// Still to happen: queued, running or waiting for a person.
    pub fn is_pending(&self) -> bool {
        matches!(
            self,
            AccessState::Requested
                | AccessState::Provisioning
                | AccessState::Revoking
                | AccessState::ManualPending { .. }
        )
    }
}

/// One change of an access record.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEvent {
    pub at: Timestamp,
    pub state: AccessState,
    pub note: String,
}

/// An employee's access to one application.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRecord {
    pub employee: EmployeeId,
    /// The application, or a group's key ([`ExternalGroup::key`]) for a membership.
    pub app: AppId,
    /// The group, when this records a membership of a group or channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<ExternalGroup>,
    pub state: AccessState,
    /// The connector that acts on it, when one does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connector: Option<PluginId>,
    /// The application's own id for the account, as the connector returned it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    pub updated: Timestamp,
    /// Newest last, at most [`HISTORY_KEPT`].
    pub history: Vec<AccessEvent>,
}

impl AccessRecord {
    pub fn new(employee: EmployeeId, app: AppId, at: Timestamp) -> AccessRecord {
        AccessRecord {
            employee,
            app,
            group: None,
            state: AccessState::Requested,
            connector: None,
            account_id: None,
            updated: at,
            history: Vec::new(),
        }
    }

    /// Moves to `state`, keeping the change in the history.
    pub fn set(&mut self, at: Timestamp, state: AccessState, note: impl Into<String>) {
        self.history.push(AccessEvent {
            at,
            state: state.clone(),
            note: note.into(),
        });
        if self.history.len() > HISTORY_KEPT {
            let extra = self.history.len() - HISTORY_KEPT;
            self.history.drain(..extra);
        }
        self.state = state;
        self.updated = at;
    }
}

/// A change to one access record that a plan implies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessChange {
    pub employee: EmployeeId,
    pub app: AppId,
    /// The group, when `app` is a group's key.
    pub group: Option<ExternalGroup>,
    pub connector: Option<PluginId>,
    pub state: AccessState,
    pub note: String,
}

/// The access-record changes a committed plan implies: a queued job makes the access
/// requested (or being revoked), a manual app task makes it wait for a person, and a
/// manual task done or cancelled records what the person did.
pub fn changes_in(plan: &Plan) -> Vec<AccessChange> {
    let mut out = Vec::new();
    for effect in &plan.effects {
        match effect {
            Effect::EnqueueJob { job } => out.push(AccessChange {
                employee: job.employee.id.clone(),
                app: job.app.clone(),
                connector: Some(job.connector.clone()),
                group: job.group.clone(),
                state: if job.grants() {
                    AccessState::Requested
                } else {
                    AccessState::Revoking
                },
                note: {
                    let what = match job.action {
                        JobAction::Provision => "queued",
                        JobAction::Revoke => "revocation queued",
                        JobAction::Join => "joining queued",
                        JobAction::Leave => "leaving queued",
                    };
                    match job.not_before {
                        Some(t) => format!("{what} for {}, not before {t}", job.connector),
                        None => format!("{what} for {}", job.connector),
                    }
                },
            }),
            Effect::OpenTask { task } | Effect::UpdateTask { task } => {
                let TaskKind::ManualApp { app_task } = &task.kind else {
                    continue;
                };
                let (state, note) = match &task.state {
                    TaskState::Open => (
                        AccessState::ManualPending {
                            task: task.id.clone(),
                            action: app_task.action,
                        },
                        format!("task {} opened", task.id),
                    ),
                    TaskState::Done { by, .. } => (
                        AccessState::ManualDone {
                            action: app_task.action,
                        },
                        format!("done by {by}"),
                    ),
                    // A cancelled grant leaves no access; a cancelled revocation leaves
                    // what was there, which nobody can vouch for.
                    TaskState::Cancelled { by, reason, .. } => (
                        match app_task.action {
                            AppAction::Grant => AccessState::Revoked,
                            AppAction::Revoke => AccessState::Failed {
                                reason: format!(
                                    "the revocation task was cancelled: {}",
                                    reason.as_deref().unwrap_or("no reason given")
                                ),
                            },
                        },
                        format!("task cancelled by {by}"),
                    ),
                };
                out.push(AccessChange {
                    employee: task.employee.id.clone(),
                    app: app_task.app.clone(),
                    group: app_task.group.clone(),
                    connector: None,
                    state,
                    note,
                });
            }
            _ => {}
        }
    }
    out
}
