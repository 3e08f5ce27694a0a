//! What champions do to a task: finish it, cancel it, hand it to someone else.

use serde::{Deserialize, Serialize};

use crate::audit::{Actor, AuditAction, AuditEntry, Subject};
use crate::effect::{Effect, Plan};
use crate::ids::{TaskId, UserId};
use crate::known::Known;
use crate::task::TaskState;

use super::PlanContext;

/// An action on a task.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum TaskAction {
    /// The work is done.
    Complete {
        #[serde(default)]
        note: Option<String>,
    },
    /// The work is not needed (say why).
    Cancel { reason: String },
    /// Give the task to these users instead.
    Assign { assignees: Vec<UserId> },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskError {
    #[error("there is no task {0}")]
    NotFound(TaskId),
    #[error("task {id} is already {state}; only open tasks can change")]
    Closed { id: TaskId, state: &'static str },
    #[error("say why the task is cancelled")]
    NoReason,
    #[error("give at least one assignee")]
    NoAssignee,
    #[error("the task's employee {0} is not known")]
    NoEmployee(crate::ids::EmployeeId),
    #[error("{0} is no longer employed")]
    NotEmployed(String),
    #[error("that decision does not fit a {task} task")]
    WrongDecision { task: String },
    #[error("there is no application `{0}` in the catalog")]
    UnknownApp(crate::ids::AppId),
    #[error("`{0}` is not a group or channel this change is about")]
    UnknownGroup(String),
    #[error("confirm the address the return label picks up from")]
    NoAddress,
    #[error("name the site the devices ship to")]
    NoSite,
    #[error(transparent)]
    Asset(#[from] crate::hardware::AssetError),
    #[error("{0}")]
    Hardware(String),
}

/// Applies `action` to an open task, with its audit entry.
pub fn act_on_task(
    known: &dyn Known,
    id: &TaskId,
    action: TaskAction,
    by: &UserId,
    ctx: &mut PlanContext<'_>,
) -> Result<Plan, TaskError> {
    let mut task = known
        .task(id)
        .ok_or_else(|| TaskError::NotFound(id.clone()))?;
    match task.state {
        TaskState::Open => {}
        TaskState::Done { .. } => {
            return Err(TaskError::Closed {
                id: id.clone(),
                state: "done",
            });
        }
        TaskState::Cancelled { .. } => {
            return Err(TaskError::Closed {
                id: id.clone(),
                state: "cancelled",
            });
        }
    }
    let about = format!("{} for {}", task.title(), task.employee);
    let (action, detail) = match action {
        TaskAction::Complete { note } => {
            let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
            let detail = match &note {
                Some(n) => format!("{about}: {n}"),
                None => about,
            };
            task.state = TaskState::Done {
                at: ctx.now,
                by: by.clone(),
                note,
            };
            (AuditAction::TaskCompleted, detail)
        }
        TaskAction::Cancel { reason } => {
            let reason = reason.trim().to_string();
            if reason.is_empty() {
                return Err(TaskError::NoReason);
            }
            let detail = format!("{about}: {reason}");
            task.state = TaskState::Cancelled {
                at: ctx.now,
                by: by.clone(),
                reason: Some(reason),
            };
            (AuditAction::TaskCancelled, detail)
        }
        TaskAction::Assign { assignees } => {
            let mut unique: Vec<UserId> = Vec::new();
            for a in assignees {
                if !a.0.trim().is_empty() && !unique.contains(&a) {
                    unique.push(a);
                }
            }
            if unique.is_empty() {
                return Err(TaskError::NoAssignee);
            }
            let names: Vec<&str> = unique.iter().map(UserId::as_str).collect();
            let detail = format!("{about}, now assigned to {}", names.join(", "));
            task.assignees = unique;
            (AuditAction::TaskAssigned, detail)
        }
    };
    Ok(Plan {
        effects: vec![Effect::UpdateTask { task }],
        quarantined: Vec::new(),
        audit: vec![AuditEntry {
            at: ctx.now,
            actor: Actor::User { id: by.clone() },
            action,
            subject: Subject::Task { id: id.clone() },
            detail,
        }],
    })
}
