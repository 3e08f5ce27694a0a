//! The admin socket's plugin routes (`tenure plugin install|remove` while the server
//! runs): the same two steps as the API, for whoever may open the socket.

use crate::app::AppState;
use crate::http::admin::AdminError;
use crate::plugin_install::{self, Capabilities, InstallError, Installed, Removed, Upload};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// `tenure plugin remove ID`.
#[derive(Debug, Serialize, Deserialize)]
pub struct RemoveRequest {
    pub id: String,
}

type Answer<T> = Result<Json<T>, (StatusCode, Json<AdminError>)>;

fn refused(e: InstallError) -> (StatusCode, Json<AdminError>) {
    let status = match e {
        InstallError::Refused(_) => StatusCode::BAD_REQUEST,
        InstallError::NotFound(_) => StatusCode::NOT_FOUND,
        InstallError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    (
        status,
        Json(AdminError {
            error: e.to_string(),
        }),
    )
}

pub fn router() -> Router<AppState> {
    // A component in base64 is a third larger than the file.
    let body_limit =
        plugin_install::MAX_WASM_BYTES / 3 * 4 + plugin_install::MAX_MANIFEST_BYTES * 2;
    Router::new()
        .route(
            "/plugins/install",
            post(stage).layer(DefaultBodyLimit::max(body_limit)),
        )
        .route("/plugins/install/{token}/approve", post(approve))
        .route("/plugins/install/{token}/cancel", post(cancel))
        .route("/plugins/remove", post(remove))
}

async fn stage(State(state): State<AppState>, Json(upload): Json<Upload>) -> Answer<Capabilities> {
    let (manifest, wasm) = upload.decode().map_err(refused)?;
    plugin_install::stage(&state.plugins, manifest, wasm)
        .await
        .map(Json)
        .map_err(refused)
}

async fn approve(State(state): State<AppState>, Path(token): Path<String>) -> Answer<Installed> {
    let installed = plugin_install::approve(&state.plugins, &token).map_err(refused)?;
    tracing::info!(plugin = %installed.id, by = "cli", "plugin install approved");
    state.engine.jobs_queued().notify_one();
    Ok(Json(installed))
}

async fn cancel(State(state): State<AppState>, Path(token): Path<String>) -> Answer<()> {
    plugin_install::cancel(&state.plugins, &token)
        .map(Json)
        .map_err(refused)
}

async fn remove(State(state): State<AppState>, Json(req): Json<RemoveRequest>) -> Answer<Removed> {
    let removed = plugin_install::remove(&state.plugins, &req.id).map_err(refused)?;
    tracing::info!(plugin = %removed.id, by = "cli", "plugin removed");
    Ok(Json(removed))
}
