//! `/api/v1/sync`: start a sync of every configured HR source, see where each source
//! stands (running now, last run, next incremental start), and the record of runs.

use super::{Admin, ApiError, Caller};
use crate::app::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tenure_store::{SyncRun, SyncState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sync", get(status).post(start))
        .route("/sync/runs", get(runs))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct StartQuery {
    /// `true`: answer 202 at once and sync in the background (watch `GET /sync`).
    #[serde(default)]
    background: bool,
}

async fn start(
    _admin: Admin,
    State(state): State<AppState>,
    Query(q): Query<StartQuery>,
) -> Result<Response, ApiError> {
    let sources = state.configured_hr_sources();
    if sources.is_empty() {
        return Err(ApiError::BadRequest(
            "no HR source is configured: set the settings of merge-hris or trinet first".into(),
        ));
    }
    if q.background {
        let ids: Vec<&str> = sources.iter().map(|p| p.id()).collect();
        let body = json!({ "started": ids });
        tokio::spawn(async move {
            state.sync_all().await;
        });
        return Ok((StatusCode::ACCEPTED, Json(body)).into_response());
    }
    let (reports, errors): (Vec<_>, Vec<_>) =
        state.sync_all().await.into_iter().partition(Result::is_ok);
    Ok(Json(json!({
        "reports": reports.into_iter().filter_map(Result::ok).collect::<Vec<_>>(),
        "errors": errors.into_iter().filter_map(Result::err).collect::<Vec<_>>(),
    }))
    .into_response())
}

/// Where one HR source's sync stands.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct SourceStatus {
    source: String,
    configured: bool,
    /// The sync in progress, with its counts so far.
    running: Option<SyncRun>,
    last_run: Option<SyncRun>,
    /// Start of the next incremental read (the start of the last complete sync).
    since: Option<String>,
    last_full: Option<String>,
    /// A sync stopped mid-way and resumes from its last committed page.
    resuming: bool,
}

async fn status(
    _caller: Caller,
    State(state): State<AppState>,
) -> Result<Json<Vec<SourceStatus>>, ApiError> {
    let running = state.engine.running();
    let configured: Vec<String> = state
        .configured_hr_sources()
        .iter()
        .map(|p| p.id().to_string())
        .collect();
    let mut out = Vec::new();
    for plugin in state.plugins.loaded().iter() {
        if plugin.manifest().world != tenure_runtime::World::HrSource {
            continue;
        }
        let source = plugin.id().to_string();
        let stored: SyncState = state.store.sync_state(&source)?;
        out.push(SourceStatus {
            configured: configured.contains(&source),
            running: running.iter().find(|r| r.source == source).cloned(),
            last_run: state
                .store
                .sync_runs(Some(&source), 2)?
                .into_iter()
                .find(|r| r.finished.is_some()),
            since: stored.since,
            last_full: stored.last_full,
            resuming: stored.cursor.is_some(),
            source,
        });
    }
    Ok(Json(out))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct RunsQuery {
    source: Option<String>,
    limit: Option<usize>,
}

/// Newest first.
async fn runs(
    _caller: Caller,
    State(state): State<AppState>,
    Query(q): Query<RunsQuery>,
) -> Result<Json<Vec<SyncRun>>, ApiError> {
    let limit = q.limit.unwrap_or(50).min(1000);
    Ok(Json(state.store.sync_runs(q.source.as_deref(), limit)?))
}
