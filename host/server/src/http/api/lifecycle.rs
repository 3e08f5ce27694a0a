//! `/api/v1` for the lifecycle: sync, employees, tasks, quarantine, audit.

use super::{ApiError, Caller};
use crate::app::AppState;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tenure_domain::{Employee, EmployeeId, Quarantine, Task};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sync", post(sync))
        .route("/employees", get(employees))
        .route("/employees/{id}", get(employee))
        .route("/tasks", get(tasks))
        .route("/quarantine", get(quarantine))
        .route("/audit", get(audit))
}

async fn sync(caller: Caller, State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    caller.require_admin()?;
    if state.configured_hr_sources().is_empty() {
        return Err(ApiError::BadRequest(
            "no HR source is configured: set the settings of merge-hris or trinet first".into(),
        ));
    }
    let results = state.sync_all().await;
    let (reports, errors): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    Ok(Json(json!({
        "reports": reports.into_iter().map(Result::unwrap).collect::<Vec<_>>(),
        "errors": errors.into_iter().map(|e| e.unwrap_err()).collect::<Vec<_>>(),
    })))
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    /// Matches name or work email, case-insensitively.
    q: Option<String>,
    #[serde(default)]
    offset: usize,
    limit: Option<usize>,
}

#[derive(Debug, Serialize)]
pub struct Page<T> {
    total: usize,
    offset: usize,
    items: Vec<T>,
}

const MAX_LIMIT: usize = 500;

async fn employees(
    _caller: Caller,
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Json<Page<Employee>> {
    let known = state.engine.snapshot().await;
    let needle = query.q.as_deref().map(str::to_lowercase);
    let matching: Vec<Employee> = known
        .employees
        .into_values()
        .filter(|e| match &needle {
            None => true,
            Some(n) => {
                e.name().to_lowercase().contains(n)
                    || e.profile.work_email.to_lowercase().contains(n)
            }
        })
        .collect();
    let limit = query.limit.unwrap_or(50).min(MAX_LIMIT);
    Json(Page {
        total: matching.len(),
        offset: query.offset,
        items: matching
            .into_iter()
            .skip(query.offset)
            .take(limit)
            .collect(),
    })
}

async fn employee(
    _caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let known = state.engine.snapshot().await;
    let id = EmployeeId(id);
    let e = known
        .employees
        .get(&id)
        .ok_or_else(|| ApiError::NotFound(format!("no employee {}", id.0)))?;
    let tasks: Vec<&Task> = known
        .tasks
        .values()
        .filter(|t| t.employee.id == id)
        .collect();
    Ok(Json(json!({ "employee": e, "tasks": tasks })))
}

async fn tasks(_caller: Caller, State(state): State<AppState>) -> Json<Vec<Task>> {
    let mut tasks: Vec<Task> = state.engine.snapshot().await.tasks.into_values().collect();
    tasks.sort_by_key(|t| std::cmp::Reverse(t.opened_at));
    Json(tasks)
}

async fn quarantine(_caller: Caller, State(state): State<AppState>) -> Json<Vec<Quarantine>> {
    Json(state.engine.snapshot().await.quarantine)
}

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    limit: Option<usize>,
}

async fn audit(
    _caller: Caller,
    State(state): State<AppState>,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Value>, ApiError> {
    let entries = state.store.audit_log(q.limit.unwrap_or(100).min(1000))?;
    Ok(Json(json!(entries)))
}
