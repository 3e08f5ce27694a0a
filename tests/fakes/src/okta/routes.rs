//! HTTP surface of the Okta fake: the routes, and the guard before every API call
//! (credentials, injected faults, the rate limit) that also stamps the rate-limit
//! headers on every answer.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::extract::{Request, State as AxState};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use time::OffsetDateTime;

use super::errors::OktaError;
use super::state::{Shared, now_unix, short_id};
use super::{groups, token, users};
use crate::limits::Fault;

pub(crate) type Shr = Arc<Shared>;

pub(crate) fn router(shared: Shr) -> Router {
    let api = Router::new()
        .route("/users", get(users::list).post(users::create))
        .route(
            "/users/{id}",
            get(users::get)
                .post(users::update)
                .put(users::replace)
                .delete(users::delete),
        )
        .route("/users/{id}/lifecycle/{op}", post(users::lifecycle))
        .route(
            "/users/{id}/sessions",
            axum::routing::delete(users::clear_sessions),
        )
        .route("/users/{id}/groups", get(groups::of_user))
        .route("/groups", get(groups::list))
        .route("/groups/{gid}", get(groups::get))
        .route("/groups/{gid}/users", get(groups::members))
        .route(
            "/groups/{gid}/users/{uid}",
            put(groups::add_member).delete(groups::remove_member),
        )
        .fallback(unknown_path)
        .route_layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared.clone());
    Router::new()
        .route("/oauth2/v1/token", post(token::token))
        .with_state(shared)
        .nest("/api/v1", api)
        .fallback(unknown_path)
}

async fn unknown_path() -> OktaError {
    OktaError::new(
        axum::http::StatusCode::NOT_FOUND,
        "E0000022",
        "The endpoint does not support the provided HTTP method",
    )
}

/// The scope a Bearer token needs for a call: `okta.<users|groups>.<read|manage>`.
fn scope_needed(method: &Method, path: &str) -> Option<String> {
    let rest = path
        .split("/api/v1/")
        .nth(1)
        .unwrap_or(path)
        .trim_start_matches('/');
    let family = if rest.starts_with("groups") {
        "groups"
    } else {
        "users"
    };
    // Membership writes are group writes, wherever they are sent.
    let write = *method != Method::GET && *method != Method::HEAD;
    Some(format!(
        "okta.{family}.{}",
        if write { "manage" } else { "read" }
    ))
}

async fn guard(AxState(s): AxState<Shr>, req: Request, next: Next) -> Response {
    s.requests.fetch_add(1, Ordering::SeqCst);
    let (admitted, limit, remaining, reset) = s.state().bucket.admit(now_unix());
    let mut res = if !admitted {
        OktaError::rate_limited().into_response()
    } else {
        match check(&s, req.method(), req.uri().path(), req.headers()) {
            Err(e) => e.into_response(),
            Ok(()) => next.run(req).await,
        }
    };
    let h = res.headers_mut();
    h.insert("x-rate-limit-limit", HeaderValue::from(limit));
    h.insert("x-rate-limit-remaining", HeaderValue::from(remaining));
    h.insert("x-rate-limit-reset", HeaderValue::from(reset));
    if let Ok(v) = HeaderValue::from_str(&short_id()) {
        h.insert("x-okta-request-id", v);
    }
    res
}

fn check(s: &Shared, method: &Method, path: &str, headers: &HeaderMap) -> Result<(), OktaError> {
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim();
    // okta 3.4.6 (Python) sends `SSWS<token>` without the space on its generated
    // operations (create_user among them) and works against Okta, so the scheme is
    // read as a prefix, the space optional.
    let (scheme, value) = match auth.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("ssws") => ("ssws", &auth[4..]),
        _ => auth.split_once(' ').unwrap_or((auth, "")),
    };
    let value = value.trim();
    let mut st = s.state();
    if scheme.eq_ignore_ascii_case("ssws") {
        if value.is_empty() || value != st.api_token {
            return Err(OktaError::invalid_token());
        }
    } else if scheme.eq_ignore_ascii_case("bearer") {
        let Some(token) = st.tokens.get(value) else {
            return Err(OktaError::invalid_token());
        };
        if token.expires <= OffsetDateTime::now_utc() {
            return Err(OktaError::invalid_token());
        }
        if let Some(needed) = scope_needed(method, path) {
            let manage = needed.replace(".read", ".manage");
            if !token.scopes.iter().any(|s| *s == needed || *s == manage) {
                return Err(OktaError::no_permission());
            }
        }
    } else {
        return Err(OktaError::invalid_token());
    }
    match st.faults.draw() {
        Some(Fault::Throttled) => Err(OktaError::rate_limited()),
        Some(Fault::Unavailable) => Err(OktaError::unavailable()),
        None => Ok(()),
    }
}
