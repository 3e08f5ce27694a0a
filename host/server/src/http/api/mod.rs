//! The REST API under `/api/v1`: JSON in and out, bearer API tokens
//! (`tenure token create`), errors a person can act on. One module per resource.

mod auth;
pub(crate) mod catalog;
mod employees;
mod error;
pub(crate) mod hardware;
mod jobs;
mod lifecycle;
pub(crate) mod locations;
pub mod openapi;
mod plugin_install;
mod plugins;
mod sync;
mod tasks;

pub use auth::{Admin, Caller, Role, hash_token, new_token};
pub use error::ApiError;

use crate::app::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new().nest(
        "/api/v1",
        Router::new()
            .merge(openapi::router())
            .merge(plugins::router())
            .merge(plugin_install::router())
            .merge(sync::router())
            .merge(employees::router())
            .merge(locations::router())
            .merge(tasks::router())
            .merge(catalog::router())
            .merge(lifecycle::router())
            .merge(jobs::router())
            .merge(hardware::router())
            .fallback(unknown_route),
    )
}

/// Unknown routes answer 404 only to an authenticated caller.
async fn unknown_route(_caller: Caller) -> ApiError {
    ApiError::NotFound("no such API route; see /api/v1/openapi.json".into())
}
