//! `/api/v1` for the lifecycle: sync, employees, tasks, quarantine, audit.

use super::{ApiError, Caller};
use crate::app::AppState;
use crate::lifecycle::ActError;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tenure_domain::{
    Catalog, Employee, EmployeeId, HoldId, PreHire, Quarantine, Task, UserId, WhatIf,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sync", post(sync))
        .route("/employees", get(employees).post(add_pre_hire))
        .route("/employees/{id}", get(employee))
        .route("/employees/{id}/offboard", post(offboard))
        .route("/employees/{id}/dry-run", post(dry_run_employee))
        .route("/dry-run", post(dry_run_new))
        .route("/catalog", get(get_catalog).put(put_catalog))
        .route("/holds", get(holds))
        .route("/holds/{id}/{decision}", post(decide_hold))
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

fn user_of(caller: &Caller) -> UserId {
    UserId(format!("token:{}", caller.name))
}

impl From<ActError> for ApiError {
    fn from(e: ActError) -> Self {
        match e {
            ActError::Refused(m) => ApiError::BadRequest(m),
            ActError::Store(m) => ApiError::Internal(m),
        }
    }
}

/// A pre-hire added by hand, before HR has the person.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPreHire {
    given_name: String,
    family_name: String,
    work_email: String,
    personal_email: Option<String>,
    department: Option<String>,
    title: Option<String>,
    start_date: Option<tenure_domain::jiff::civil::Date>,
}

async fn add_pre_hire(
    caller: Caller,
    State(state): State<AppState>,
    Json(body): Json<NewPreHire>,
) -> Result<Json<Value>, ApiError> {
    caller.require_admin()?;
    let profile = tenure_domain::Profile {
        work_email: body.work_email,
        personal_email: body.personal_email,
        given_name: body.given_name,
        family_name: body.family_name,
        department: body.department,
        title: body.title,
        ..tenure_domain::Profile::default()
    };
    let by = user_of(&caller);
    let plan = state
        .engine
        .act(|known, ctx| {
            tenure_domain::add_pre_hire(
                known,
                PreHire {
                    profile,
                    start_date: body.start_date,
                },
                &by,
                ctx,
            )
        })
        .await?;
    Ok(Json(json!({ "effects": plan.effects })))
}

async fn offboard(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require_admin()?;
    let by = user_of(&caller);
    let id = EmployeeId(id);
    let plan = state
        .engine
        .act(|known, ctx| tenure_domain::offboard_now(known, &id, &by, ctx))
        .await?;
    Ok(Json(json!({ "effects": plan.effects })))
}

async fn dry_run_employee(
    _caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(what_if): Json<WhatIf>,
) -> Result<Json<Value>, ApiError> {
    let id = EmployeeId(id);
    Ok(Json(json!(state.engine.dry_run(Some(&id), what_if).await?)))
}

async fn dry_run_new(
    _caller: Caller,
    State(state): State<AppState>,
    Json(what_if): Json<WhatIf>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(state.engine.dry_run(None, what_if).await?)))
}

async fn get_catalog(_caller: Caller, State(state): State<AppState>) -> Json<Catalog> {
    Json(state.engine.snapshot().await.catalog)
}

async fn put_catalog(
    caller: Caller,
    State(state): State<AppState>,
    Json(catalog): Json<Catalog>,
) -> Result<Json<Value>, ApiError> {
    caller.require_admin()?;
    let plan = state.engine.set_catalog(catalog, user_of(&caller)).await?;
    Ok(Json(json!({ "effects": plan.effects })))
}

async fn decide_hold(
    caller: Caller,
    State(state): State<AppState>,
    Path((id, decision)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    caller.require_admin()?;
    let by = user_of(&caller);
    let hold = HoldId(id);
    let plan = match decision.as_str() {
        "approve" => {
            state
                .engine
                .act(|k, ctx| tenure_domain::approve_held(k, &hold, &by, ctx))
                .await?
        }
        "reject" => {
            state
                .engine
                .act(|k, ctx| tenure_domain::reject_held(k, &hold, &by, ctx))
                .await?
        }
        other => {
            return Err(ApiError::NotFound(format!(
                "`{other}`: a hold is approved or rejected"
            )));
        }
    };
    Ok(Json(json!({ "effects": plan.effects })))
}

async fn holds(_caller: Caller, State(state): State<AppState>) -> Json<Value> {
    Json(json!(
        state
            .engine
            .snapshot()
            .await
            .holds
            .into_values()
            .collect::<Vec<_>>()
    ))
}
