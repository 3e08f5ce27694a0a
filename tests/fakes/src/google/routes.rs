//! HTTP surface of the Google fake: the token endpoint, the checks before every API call,
//! and what the route files share (parameters, paging, bodies).

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::body::Bytes;
use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::errors::ApiError;
use super::state::{Shared, State};
use super::{groups, token, transfers, users};
use crate::ids;
use crate::limits::Fault;

pub(crate) type Shr = Arc<Shared>;
pub(crate) type Pairs = Query<Vec<(String, String)>>;

pub(crate) fn router(shared: Shr) -> Router {
    let directory = Router::new()
        .route("/users", get(users::list).post(users::insert))
        .route(
            "/users/{user_key}",
            get(users::get)
                .put(users::update)
                .patch(users::update)
                .delete(users::delete),
        )
        .route("/users/{user_key}/signOut", post(users::sign_out))
        .route("/groups", get(groups::list))
        .route("/groups/{group_key}", get(groups::get))
        .route(
            "/groups/{group_key}/members",
            get(groups::members).post(groups::insert_member),
        )
        .route(
            "/groups/{group_key}/members/{member_key}",
            get(groups::get_member).delete(groups::delete_member),
        )
        .route(
            "/groups/{group_key}/hasMember/{member_key}",
            get(groups::has_member),
        );
    let datatransfer = Router::new()
        .route("/applications", get(transfers::applications))
        .route(
            "/applications/{application_id}",
            get(transfers::application),
        )
        .route("/transfers", get(transfers::list).post(transfers::insert))
        .route("/transfers/{transfer_id}", get(transfers::get));
    Router::new()
        .route("/token", post(token::token))
        .nest("/admin/directory/v1", directory)
        .nest("/admin/datatransfer/v1", datatransfer)
        .fallback(not_found)
        .with_state(shared)
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "notFound", "Not Found")
}

/// Checks a call before it does anything: a token the fake issued and that has not
/// expired, one of the `scopes` the method accepts, an admin as the subject, then
/// injected faults and the rate limit. `method` names the method in errors
/// (`directory.users.get`).
pub(crate) fn authorize(
    s: &Shared,
    headers: &HeaderMap,
    scopes: &[&str],
    method: &str,
) -> Result<(), ApiError> {
    s.requests.fetch_add(1, Ordering::SeqCst);
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim();
    let token = match auth.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => t.trim(),
        _ => return Err(ApiError::unauthenticated(true)),
    };
    let mut st = s.state();
    let Some(t) = st.tokens.get(token) else {
        return Err(ApiError::unauthenticated(false));
    };
    if t.expires <= OffsetDateTime::now_utc() {
        return Err(ApiError::unauthenticated(false));
    }
    if !t.scopes.iter().any(|have| scopes.contains(&have.as_str())) {
        return Err(ApiError::insufficient_scopes(method));
    }
    let admin = t
        .subject
        .as_deref()
        .and_then(|sub| st.user(sub))
        .is_some_and(|u| u.is_admin && !u.suspended);
    if !admin {
        return Err(ApiError::forbidden());
    }
    match st.faults.draw() {
        Some(Fault::Throttled) => return Err(ApiError::rate_limited()),
        Some(Fault::Unavailable) => return Err(ApiError::backend_error()),
        None => {}
    }
    st.rate_limit.admit().map_err(|_| ApiError::rate_limited())
}

/// The last non-empty value of a query parameter.
pub(crate) fn param<'a>(q: &'a [(String, String)], k: &str) -> Option<&'a str> {
    q.iter()
        .rev()
        .find(|(n, v)| n == k && !v.is_empty())
        .map(|(_, v)| v.as_str())
}

/// `maxResults`: 1..=max, `default` when absent.
pub(crate) fn max_results(
    q: &[(String, String)],
    default: usize,
    max: usize,
) -> Result<usize, ApiError> {
    match param(q, "maxResults") {
        None => Ok(default),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalidParameter",
                format!("Invalid value '{v}'. Values must be within the range: [1, {max}]"),
            )),
        },
    }
}

/// The position a `pageToken` of list `list` points after.
pub(crate) fn page_after(q: &[(String, String)], list: &str) -> Result<Option<String>, ApiError> {
    match param(q, "pageToken") {
        None => Ok(None),
        Some(t) => ids::page_position(list, t)
            .map(Some)
            .ok_or_else(|| ApiError::invalid("Invalid Input: pageToken")),
    }
}

/// `customer` (`my_customer` or the customer id) or `domain` (one of the customer's).
/// Neither: 400 "Bad Request".
pub(crate) fn check_customer(st: &State, q: &[(String, String)]) -> Result<(), ApiError> {
    if let Some(c) = param(q, "customer") {
        return if c == "my_customer" || c == st.customer_id {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "badRequest",
                "Bad Request",
            ))
        };
    }
    match param(q, "domain") {
        Some(d) if st.owns(&format!("x@{d}")) => Ok(()),
        Some(_) => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "notFound",
            "Domain not found.",
        )),
        None => Err(ApiError::bad_request()),
    }
}

/// The JSON object of a request body.
pub(crate) fn object(body: &Bytes) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(ApiError::invalid(
            "Invalid JSON payload received. Expected an object.",
        )),
    }
}

/// An entity tag for an object.
pub(crate) fn etag(id: &str) -> String {
    format!("\"tenure-fakes/{id}\"")
}

/// `{kind, etag, <key>: [...], nextPageToken}`; `<key>` is left out when empty, as
/// Google does.
pub(crate) fn list_body(
    kind: &str,
    key: &str,
    items: Vec<Value>,
    list: &str,
    next_after: Option<String>,
) -> Response {
    let mut body = Map::new();
    body.insert("kind".into(), Value::String(kind.into()));
    body.insert("etag".into(), Value::String(etag(list)));
    if !items.is_empty() {
        body.insert(key.into(), Value::Array(items));
    }
    if let Some(pos) = next_after {
        body.insert(
            "nextPageToken".into(),
            Value::String(ids::page_token(list, &pos)),
        );
    }
    json_response(StatusCode::OK, Value::Object(body))
}

/// JSON with Google's `Content-Type`.
pub(crate) fn json_response(status: StatusCode, v: Value) -> Response {
    use axum::response::IntoResponse;
    let mut r = (status, axum::Json(v)).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    r
}
