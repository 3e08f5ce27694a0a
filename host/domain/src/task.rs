//! Tasks: the human side of the lifecycle.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::employee::EmployeeRef;
use crate::groups::{Grants, GroupRef};
use crate::ids::{AppId, TaskId, UserId};

/// Give or take away access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppAction {
    Grant,
    Revoke,
}

/// Access to an app that has no connector, done by its champions by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualAppTask {
    pub app: AppId,
    /// The app's name when the task opened.
    pub app_name: String,
    pub action: AppAction,
}

/// What changed in an employee's groups, and what that means for access.
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
}

impl GroupChange {
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
            groups_before,
            groups_after,
            granted_before,
            granted_after,
        }
    }
}

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
    },
    ManualApp {
        app_task: ManualAppTask,
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
            TaskKind::ManualApp { app_task } => match app_task.action {
                AppAction::Grant => format!("Grant access to {}", app_task.app_name),
                AppAction::Revoke => format!("Revoke access to {}", app_task.app_name),
            },
        }
    }
}

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub kind: TaskKind,
    pub employee: EmployeeRef,
    /// The champions who do it; empty means unassigned (admins see it).
    pub assignees: Vec<UserId>,
    pub opened_at: Timestamp,
    pub state: TaskState,
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
        }
    }
}
