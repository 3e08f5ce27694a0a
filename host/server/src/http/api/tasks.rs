//! `/api/v1/tasks`: the champions' work, filtered by state, assignee, employee or kind;
//! one task; actions on it (complete, cancel, reassign) and champions' decisions.

use super::lifecycle::{Page, PageQuery, user_of};
use super::{Admin, ApiError, Caller};
use crate::app::AppState;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use tenure_domain::{Task, TaskAction, TaskId};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tasks", get(list))
        .route("/tasks/{id}", get(one))
        .route("/tasks/{id}/actions", post(act))
        .route("/tasks/{id}/decision", post(decide))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct TaskQuery {
    /// `open`, `done`, `cancelled` or `all` (the default).
    state: Option<String>,
    /// A user id: tasks assigned to them. `none`: unassigned tasks.
    assignee: Option<String>,
    /// An employee id.
    employee: Option<String>,
    /// `complete_it_setup`, `equip_new_hire`, `group_change`, `offboard_employee`,
    /// `manual_app`.
    kind: Option<String>,
    #[serde(default)]
    offset: usize,
    limit: Option<usize>,
}

const STATES: &[&str] = &["open", "done", "cancelled", "all"];
const KINDS: &[&str] = &[
    "complete_it_setup",
    "equip_new_hire",
    "group_change",
    "offboard_employee",
    "manual_app",
    "receive_devices",
];

fn check(value: &Option<String>, allowed: &[&str], what: &str) -> Result<(), ApiError> {
    match value {
        Some(v) if !allowed.contains(&v.as_str()) => Err(ApiError::BadRequest(format!(
            "`{v}` is not a task {what}; use one of: {}",
            allowed.join(", ")
        ))),
        _ => Ok(()),
    }
}

impl TaskQuery {
    fn page(&self) -> PageQuery {
        PageQuery::new(self.offset, self.limit)
    }
}

fn wanted(t: &Task, q: &TaskQuery) -> bool {
    let state = q
        .state
        .as_deref()
        .is_none_or(|s| s == "all" || s == t.state_name());
    let assignee = match q.assignee.as_deref() {
        None => true,
        Some("none") => t.assignees.is_empty(),
        Some(user) => t.assignees.iter().any(|a| a.0 == user),
    };
    let employee = q.employee.as_deref().is_none_or(|e| t.employee.id.0 == e);
    let kind = q.kind.as_deref().is_none_or(|k| k == t.kind_name());
    state && assignee && employee && kind
}

/// Newest first.
async fn list(
    _caller: Caller,
    State(state): State<AppState>,
    Query(q): Query<TaskQuery>,
) -> Result<Json<Page<Task>>, ApiError> {
    check(&q.state, STATES, "state")?;
    check(&q.kind, KINDS, "kind")?;
    let page = state
        .engine
        .read(|known| {
            match q.employee.as_deref() {
                // One person's tasks: their index, then newest first.
                Some(e) => {
                    let mut hits: Vec<&Task> = known
                        .tasks
                        .of_employee(&tenure_domain::EmployeeId::new(e))
                        .filter(|t| wanted(t, &q))
                        .collect();
                    hits.sort_by(|a, b| b.opened_at.cmp(&a.opened_at).then(b.id.cmp(&a.id)));
                    q.page().take(hits.into_iter())
                }
                None => q
                    .page()
                    .take(known.tasks.newest_first().filter(|t| wanted(t, &q))),
            }
        })
        .await;
    Ok(Json(page))
}

async fn one(
    _caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Task>, ApiError> {
    let id = TaskId(id);
    state
        .engine
        .read(|known| known.tasks.get(&id).cloned())
        .await
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("there is no task {}", id.0)))
}

/// `{"action": "complete", "note": ...}`, `{"action": "cancel", "reason": ...}` or
/// `{"action": "assign", "assignees": [...]}`; answers with the task as it is now.
async fn act(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(action): Json<TaskAction>,
) -> Result<Json<Task>, ApiError> {
    let id = TaskId(id);
    if state.engine.read(|k| !k.tasks.contains_key(&id)).await {
        return Err(ApiError::NotFound(format!("there is no task {}", id.0)));
    }
    let by = user_of(&caller);
    state
        .engine
        .act(|known, ctx| tenure_domain::act_on_task(known, &id, action, &by, ctx))
        .await?;
    one(caller, State(state), Path(id.0)).await
}

/// A champion's decision on Complete IT Setup, Group Change or Offboard Employee (the
/// same the web UI records): `{"decision": "setup", "applications": [...], "hardware":
/// "..."}`, `{"decision": "group_change", "applications": {"github": "keep"}}` or
/// `{"decision": "offboard", "retrieval": {"method": "ship_to_warehouse"}, "mdm":
/// "lock", "shipping_address": "..."}`; answers with the closed task.
async fn decide(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(decision): Json<tenure_domain::Decision>,
) -> Result<Json<Task>, ApiError> {
    let id = TaskId(id);
    if state.engine.read(|k| !k.tasks.contains_key(&id)).await {
        return Err(ApiError::NotFound(format!("there is no task {}", id.0)));
    }
    state.decide(&id, decision, user_of(&caller)).await?;
    one(caller, State(state), Path(id.0)).await
}
