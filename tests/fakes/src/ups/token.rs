//! `POST /security/v1/oauth/token`: UPS's client-credentials grant. The client
//! authenticates with `Authorization: Basic base64(client_id:client_secret)` and posts
//! the form `grant_type=client_credentials` (real clients also send `x-merchant-id`,
//! which the fake does not need). The answer:
//! `{"token_type": "Bearer", "issued_at": "<ms>", "client_id", "access_token",
//! "expires_in": "14399", "refresh_count": "0", "status": "approved"}` — `expires_in`
//! and `issued_at` are strings. Refusals are UPS's error body: 401 `10401` "ClientId
//! is Invalid" for unknown or wrong credentials, 400 `10400` for a missing grant.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::extract::{Form, State as AxState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};

use super::errors::{UpsError, reply};
use super::state::State;
use crate::oauth::form_field;
use crate::shared::Shared;

/// Seconds a token lives (UPS issues four-hour tokens).
pub(crate) const TOKEN_LIFETIME: &str = "14399";

/// `Authorization: Basic` as `(id, secret)`.
fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(B64.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.into(), secret.into()))
}

pub(crate) async fn token(
    AxState(shared): AxState<Arc<Shared<State>>>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    shared.token_requests.fetch_add(1, Ordering::SeqCst);
    reply(issue(&shared, &headers, &form))
}

fn issue(
    shared: &Shared<State>,
    headers: &HeaderMap,
    form: &[(String, String)],
) -> Result<Value, UpsError> {
    let mut s = shared.state();
    let refused = || UpsError::new(StatusCode::UNAUTHORIZED, "10401", "ClientId is Invalid");
    let (id, secret) = basic(headers).ok_or_else(refused)?;
    if id != s.client_id || secret != s.client_secret {
        return Err(refused());
    }
    if form_field(form, "grant_type") != Some("client_credentials") {
        return Err(UpsError::bad_request(
            "10400",
            "Invalid/Missing grant_type: use client_credentials",
        ));
    }
    let access_token = format!("ups-fake-token-{:06}", s.next_token);
    s.next_token += 1;
    s.tokens.insert(access_token.clone());
    let issued_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    Ok(json!({
        "token_type": "Bearer",
        "issued_at": issued_ms.to_string(),
        "client_id": id,
        "access_token": access_token,
        "expires_in": TOKEN_LIFETIME,
        "refresh_count": "0",
        "status": "approved",
    }))
}

/// Checks the bearer token of an API call and counts it against the rate limit.
pub(crate) fn authorize(shared: &Shared<State>, headers: &HeaderMap) -> Result<(), UpsError> {
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let mut s = shared.state();
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match token {
        Some(t) if s.tokens.contains(t) => {}
        _ => return Err(UpsError::invalid_token()),
    }
    s.rate.admit().map_err(UpsError::too_many)
}
