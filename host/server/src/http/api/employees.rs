//! `/api/v1/employees`: list and search, one employee with their tasks and work time
//! zone, pre-hires added by hand, offboarding now, and dry runs.

use super::lifecycle::{Effects, Page, PageQuery, user_of};
use super::{Admin, ApiError, Caller};
use crate::app::AppState;
use crate::lifecycle::NewPreHire;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use tenure_domain::{Employee, EmployeeId, Task, WhatIf};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/employees", get(list).post(add_pre_hire))
        .route("/employees/{id}", get(one))
        .route("/employees/{id}/offboard", post(offboard))
        .route("/employees/{id}/dry-run", post(dry_run_employee))
        .route("/dry-run", post(dry_run_new))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ListQuery {
    /// Matches name or work email, case-insensitively; the hits come in name order.
    q: Option<String>,
    #[serde(default)]
    offset: usize,
    limit: Option<usize>,
}

impl ListQuery {
    fn page(&self) -> PageQuery {
        PageQuery::new(self.offset, self.limit)
    }
}

async fn list(
    _caller: Caller,
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Json<Page<Employee>> {
    let needle = query
        .q
        .as_deref()
        .map(|q| q.trim().to_lowercase())
        .filter(|q| !q.is_empty());
    let page = state
        .engine
        .read(|known| {
            match &needle {
                None => query.page().take(known.employees.values()),
                // The people list's index, as the web UI searches it (in name order).
                Some(n) => {
                    let (offset, limit) = query.page().bounds();
                    let (total, hits) = known.employees.page_by_name(n, offset, limit);
                    Page {
                        total,
                        offset,
                        items: hits.into_iter().cloned().collect(),
                    }
                }
            }
        })
        .await;
    Json(page)
}

async fn one(
    _caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = EmployeeId(id);
    let engine = &state.engine;
    engine
        .read(|known| {
            let e = known
                .employees
                .get(&id)
                .ok_or_else(|| ApiError::NotFound(format!("there is no employee {}", id.0)))?;
            let mut tasks: Vec<&Task> = known.tasks.of_employee(&id).collect();
            tasks.sort_by_key(|t| std::cmp::Reverse(t.opened_at));
            // The zone their final day ends in, and where it came from.
            let work_zone = engine.work_zone_of(&e.profile);
            Ok(Json(
                json!({ "employee": e, "tasks": tasks, "work_zone": work_zone }),
            ))
        })
        .await
}

async fn add_pre_hire(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Json(body): Json<NewPreHire>,
) -> Result<Json<Effects>, ApiError> {
    let plan = state.engine.add_pre_hire(body, user_of(&caller)).await?;
    Ok(Json(Effects::from(plan)))
}

async fn offboard(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Effects>, ApiError> {
    let by = user_of(&caller);
    let id = EmployeeId(id);
    let plan = state
        .engine
        .act(|known, ctx| tenure_domain::offboard_now(known, &id, &by, ctx))
        .await?;
    Ok(Json(Effects::from(plan)))
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
