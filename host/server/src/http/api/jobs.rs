//! `/api/v1/jobs`: the job queue (waiting, running, failed, done), paused connectors,
//! retry and cancel; `/api/v1/employees/{id}/access`: what actually happened per app.

use super::{Admin, ApiError, Caller};
use crate::app::AppState;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use tenure_domain::jiff::Timestamp;
use tenure_store::{JobFilter, StoreError};

/// Most jobs one request returns.
const MAX_LIMIT: usize = 1000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/jobs", get(list))
        .route("/jobs/{id}/retry", post(retry))
        .route("/jobs/{id}/cancel", post(cancel))
        .route("/employees/{id}/access", get(access))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ListQuery {
    /// `unfinished` (queued or running, the default), `failed`, or `all` (newest first).
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    limit: Option<usize>,
}

fn db(e: StoreError) -> ApiError {
    ApiError::Internal(e.to_string())
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(db)
}

async fn list(
    _caller: Caller,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let limit = q.limit.unwrap_or(200).clamp(1, MAX_LIMIT);
    let filter = match q.state.as_deref().unwrap_or("unfinished") {
        "unfinished" => JobFilter {
            unfinished: true,
            limit,
            ..JobFilter::default()
        },
        "failed" => JobFilter {
            failed: true,
            limit,
            ..JobFilter::default()
        },
        "all" => JobFilter {
            limit,
            ..JobFilter::default()
        },
        other => {
            return Err(ApiError::BadRequest(format!(
                "state `{other}`: use unfinished, failed or all"
            )));
        }
    };
    let store = state.store.clone();
    let (jobs, parked) = blocking(move || Ok((store.list_jobs(&filter)?, store.parked()?))).await?;
    Ok(Json(json!({ "jobs": jobs, "parked": parked })))
}

async fn retry(
    _admin: Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let store = state.store.clone();
    let key = id.clone();
    match blocking(move || store.retry_job(&key, Timestamp::now())).await? {
        Some(job) => {
            state.engine.jobs_queued().notify_one();
            Ok(Json(json!(job)))
        }
        None => Err(ApiError::Conflict(format!(
            "job {id} is running, done or does not exist: nothing to retry"
        ))),
    }
}

async fn cancel(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let store = state.store.clone();
    let key = id.clone();
    let by = format!("api:{}", caller.name);
    match blocking(move || store.cancel_job(&key, &by, Timestamp::now())).await? {
        Some(job) => Ok(Json(json!(job))),
        None => Err(ApiError::Conflict(format!(
            "job {id} is running, has finished or does not exist"
        ))),
    }
}

async fn access(
    _caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let known = state
        .engine
        .read(|k| {
            k.employees
                .get(&tenure_domain::EmployeeId(id.clone()))
                .is_some()
        })
        .await;
    if !known {
        return Err(ApiError::NotFound(format!("there is no employee {id}")));
    }
    let store = state.store.clone();
    let records = blocking(move || store.access_of(&id)).await?;
    let pending = records.iter().filter(|r| r.state.is_pending()).count();
    let running = records
        .iter()
        .filter(|r| matches!(r.state, tenure_domain::AccessState::Provisioning))
        .count();
    Ok(Json(
        json!({ "access": records, "pending": pending, "provisioning": running }),
    ))
}
