//! HTTP surface of the Fleet fake: the routes, served under both `/api/v1/fleet` and
//! `/api/latest/fleet`, and the token check before every call.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::extract::{Request, State as AxState};
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::errors::FleetError;
use super::state::Shared;
use super::{actions, hosts};

pub(crate) type Shr = Arc<Shared>;

/// The API's base paths; Fleet serves every endpoint under both.
const BASES: [&str; 2] = ["/api/v1/fleet", "/api/latest/fleet"];

pub(crate) fn router(shared: Shr) -> Router {
    let api = Router::new()
        .route("/hosts", get(hosts::list))
        .route("/hosts/identifier/{identifier}", get(hosts::by_identifier))
        .route("/hosts/{id}", get(hosts::get))
        .route("/hosts/{id}/device_mapping", get(hosts::mapping))
        .route("/hosts/{id}/lock", post(actions::lock))
        .route("/hosts/{id}/unlock", post(actions::unlock))
        .route("/hosts/{id}/wipe", post(actions::wipe))
        .fallback(unknown_path)
        .route_layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared);
    BASES
        .into_iter()
        .fold(Router::new(), |r, base| r.nest(base, api.clone()))
        .fallback(unknown_path)
}

async fn unknown_path() -> FleetError {
    FleetError::not_found("no such endpoint")
}

/// Counts the call and lets it through only with `Authorization: Bearer <api token>`.
async fn guard(AxState(s): AxState<Shr>, req: Request, next: Next) -> Response {
    s.requests.fetch_add(1, Ordering::SeqCst);
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim().to_string());
    let valid = token.is_some_and(|t| !t.is_empty() && t == s.state().api_token);
    if !valid {
        return FleetError::unauthenticated().into_response();
    }
    next.run(req).await
}
