//! Installing, upgrading and removing plugins while the server runs (admins): stage a
//! plugin and read what it asks for, then approve it; remove an installed one.

use super::{Admin, ApiError};
use crate::app::AppState;
use crate::plugin_install::{self, Capabilities, InstallError, Installed, Removed, Upload};
use axum::extract::{Path, State};
use axum::routing::{delete, get, post};
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plugins/install", post(stage))
        .route("/plugins/install/{token}", get(staged).delete(cancel))
        .route("/plugins/install/{token}/approve", post(approve))
        .route("/plugins/{id}", delete(remove))
}

impl From<InstallError> for ApiError {
    fn from(e: InstallError) -> Self {
        match e {
            InstallError::Refused(m) => ApiError::BadRequest(m),
            InstallError::NotFound(m) => ApiError::NotFound(m),
            InstallError::Internal(m) => ApiError::Internal(m),
        }
    }
}

/// Checks the plugin (signature, manifest, compilation) and stages it: nothing runs
/// until it is approved.
async fn stage(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Json(upload): Json<Upload>,
) -> Result<Json<Capabilities>, ApiError> {
    let (manifest, wasm) = upload.decode()?;
    let caps = plugin_install::stage(&state.plugins, manifest, wasm).await?;
    tracing::info!(plugin = %caps.id, by = %caller.name, "plugin staged");
    Ok(Json(caps))
}

async fn staged(
    _admin: Admin,
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<Capabilities>, ApiError> {
    state
        .plugins
        .staging
        .capabilities(&token)
        .map(Json)
        .ok_or_else(|| ApiError::NotFound("no install is waiting for this approval".into()))
}

async fn approve(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<Installed>, ApiError> {
    let installed = plugin_install::approve(&state.plugins, &token)?;
    tracing::info!(plugin = %installed.id, by = %caller.name, "plugin install approved");
    // A connector installed again may have jobs waiting.
    state.engine.jobs_queued().notify_one();
    Ok(Json(installed))
}

async fn cancel(
    _admin: Admin,
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<axum::http::StatusCode, ApiError> {
    plugin_install::cancel(&state.plugins, &token)?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

async fn remove(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Removed>, ApiError> {
    let removed = plugin_install::remove(&state.plugins, &id)?;
    tracing::info!(plugin = %removed.id, by = %caller.name, "plugin removed");
    Ok(Json(removed))
}
