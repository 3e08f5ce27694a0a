//! `GET /healthz`: 200 when the database answers and the plugins loaded.

use crate::app::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz))
}

async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    let store = tokio::task::spawn_blocking({
        let store = state.store.clone();
        move || store.schema_version()
    })
    .await;
    match store {
        Ok(Ok(schema)) => (
            StatusCode::OK,
            Json(json!({
                "status": "ok",
                "version": env!("CARGO_PKG_VERSION"),
                "schema_version": schema,
                "plugins": state.plugins.loaded().len(),
                "plugin_errors": state.plugins.failed().len(),
                "last_backup": crate::backup_schedule::last_json(),
            })),
        ),
        Ok(Err(e)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "error", "error": format!("database: {e}")})),
        ),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "error", "error": e.to_string()})),
        ),
    }
}
