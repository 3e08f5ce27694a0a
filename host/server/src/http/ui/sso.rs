//! Single sign-on pages: `GET /auth/oidc/start` sends the browser to the identity
//! provider, `GET /auth/oidc/callback` signs in the person it sends back. Both are open
//! (nobody is signed in yet); what goes wrong is said on the sign-in page, and failed
//! callbacks count against the address (and the account, once known) in the same
//! throttle as passwords.

use super::{harden, public_page};
use crate::app::AppState;
use crate::auth::oidc::flow::{BINDING_COOKIE, BINDING_SECS, CallbackParams};
use crate::auth::oidc::{Oidc, OidcError};
use crate::auth::session;
use crate::auth::throttle::Refusal;
use crate::http::guard::{Peer, safe_next};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use std::net::IpAddr;
use std::sync::Arc;
use tenure_web::pages::auth;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/oidc/start", get(start))
        .route("/auth/oidc/callback", get(callback))
}

#[derive(serde::Deserialize)]
struct Next {
    next: Option<String>,
}

/// The sign-in page with an error, "Sign in with …" still on it.
fn sign_in_page(
    state: &AppState,
    oidc: &Oidc,
    status: StatusCode,
    message: String,
    next: &str,
) -> Response {
    let mut response = public_page(
        status,
        auth::login_with(
            Some(format!("Single sign-on did not work: {message}.")),
            next,
            "",
            Some(oidc.display_name()),
        ),
    );
    append_cookie(&mut response, &binding_cookie(state.secure_cookies, "", 0));
    response
}

fn not_set_up() -> Response {
    public_page(
        StatusCode::NOT_FOUND,
        auth::login(
            Some("Single sign-on is not set up on this appliance.".into()),
            "/",
            "",
        ),
    )
}

fn binding_cookie(secure: bool, value: &str, max_age: u64) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{BINDING_COOKIE}={value}; Path=/auth/oidc; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    )
}

fn append_cookie(response: &mut Response, cookie: &str) {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

async fn start(State(state): State<AppState>, Peer(peer): Peer, Query(q): Query<Next>) -> Response {
    let Some(oidc) = state.oidc.clone() else {
        return not_set_up();
    };
    let next = safe_next(q.next.as_deref());
    match oidc.start(next.clone(), peer).await {
        Ok(started) => {
            let mut response = Redirect::to(&started.location).into_response();
            append_cookie(
                &mut response,
                &binding_cookie(state.secure_cookies, &started.binding, BINDING_SECS),
            );
            harden(response)
        }
        Err(e) => {
            tracing::warn!("single sign-on could not start: {e}");
            sign_in_page(&state, &oidc, StatusCode::BAD_GATEWAY, e.to_string(), &next)
        }
    }
}

/// 429 with `Retry-After` on the sign-in page.
fn refused(state: &AppState, oidc: &Oidc, refusal: Refusal) -> Response {
    let mut response = sign_in_page(
        state,
        oidc,
        StatusCode::TOO_MANY_REQUESTS,
        refusal.message().trim_end_matches('.').to_string(),
        "/",
    );
    if let Ok(v) = HeaderValue::from_str(&refusal.retry_after_secs().to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

/// The throttle's key for callbacks whose account is not known yet: per address (an
/// account name cannot contain `:`).
fn address_key(peer: Option<IpAddr>) -> String {
    format!(
        "oidc:{}",
        peer.map_or_else(|| "unknown".into(), |p| p.to_string())
    )
}

fn status_of(e: &OidcError) -> StatusCode {
    match e {
        OidcError::Unreachable(_) | OidcError::Provider(_) => StatusCode::BAD_GATEWAY,
        OidcError::Account(_) => StatusCode::FORBIDDEN,
        _ => StatusCode::UNAUTHORIZED,
    }
}

async fn callback(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    Query(answer): Query<CallbackParams>,
) -> Response {
    let Some(oidc) = state.oidc.clone() else {
        return not_set_up();
    };
    let throttle = &state.guards.sign_in;
    let by_address = address_key(peer);
    if let Err(refusal) = throttle.check(&by_address, peer) {
        tracing::warn!("single sign-on callback not heard: {refusal:?}");
        return refused(&state, &oidc, refusal);
    }
    let (who, next) = match oidc.finish(&answer, cookie(&headers, BINDING_COOKIE)).await {
        Ok(done) => done,
        Err(e) => {
            throttle.failed(&by_address, peer);
            tracing::warn!("single sign-on refused: {e}");
            return sign_in_page(&state, &oidc, status_of(&e), e.to_string(), "/");
        }
    };
    // The account, as the provider names it.
    let by_account = format!("oidc-sub:{}", who.sub);
    if let Err(refusal) = throttle.check(&by_account, peer) {
        return refused(&state, &oidc, refusal);
    }
    let record = match oidc.account_for(&state, &who).await {
        Ok(r) => r,
        Err(e) => {
            throttle.failed(&by_account, peer);
            tracing::warn!(sub = %who.sub, "single sign-on refused: {e}");
            return sign_in_page(&state, &oidc, status_of(&e), e.to_string(), &next);
        }
    };
    throttle.succeeded(&by_account);
    throttle.succeeded(&by_address);
    signed_in(&state, &oidc, &record.id, &next)
}

fn signed_in(state: &AppState, oidc: &Arc<Oidc>, user: &str, next: &str) -> Response {
    match session::start(state, user) {
        Ok(token) => {
            tracing::info!(user = %user, "signed in with single sign-on");
            let mut response = Redirect::to(next).into_response();
            append_cookie(
                &mut response,
                &session::session_cookie(state, &token, session::SESSION_SECS),
            );
            append_cookie(&mut response, &binding_cookie(state.secure_cookies, "", 0));
            harden(response)
        }
        Err(e) => {
            tracing::error!("cannot start a session: {e}");
            sign_in_page(
                state,
                oidc,
                StatusCode::INTERNAL_SERVER_ERROR,
                "the session could not be started".into(),
                next,
            )
        }
    }
}
