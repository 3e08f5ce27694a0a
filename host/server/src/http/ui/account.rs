//! Signing in and out, the first start's first admin, and my account (password).

use super::form::{Fields, Signed, same_origin, user_count};
use super::{harden, public_page};
use crate::app::AppState;
use crate::auth::password::{check_password_policy, hash_password, verify_password};
use crate::auth::session::{self, now_secs};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use std::time::Duration;
use tenure_store::UserRecord;
use tenure_web::Flash;
use tenure_web::pages::account::{Me, account};
use tenure_web::pages::auth::{self, FirstAdminForm};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/setup", get(setup_page).post(setup))
        .route("/account", get(account_page))
        .route("/account/password", post(change_password))
}

/// A stand-in hash so an unknown user name costs as much as a wrong password.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3Z8bYfH3kq1n6x2mJqR9oB0yq0g5m2B6y7c1m1e7jvM";

async fn home(_signed: Signed) -> Response {
    harden(Redirect::to("/tasks").into_response())
}

#[derive(serde::Deserialize)]
struct Next {
    next: Option<String>,
}

/// Only local paths: `next` never sends anyone to another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.into(),
        _ => "/".into(),
    }
}

async fn login_page(State(state): State<AppState>, Query(q): Query<Next>) -> Response {
    if user_count(&state).await == Some(0) {
        return harden(Redirect::to("/setup").into_response());
    }
    public_page(
        StatusCode::OK,
        auth::login(None, &safe_next(q.next.as_deref()), ""),
    )
}

fn signed_in(state: &AppState, token: &str, to: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&session::session_cookie(
            state,
            token,
            session::SESSION_SECS,
        ))
        .expect("cookie is ascii"),
    );
    harden(response)
}

async fn login(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let fields = Fields::parse(&body);
    let next = safe_next(Some(&fields.get("next")));
    if !same_origin(&headers) {
        return public_page(
            StatusCode::FORBIDDEN,
            auth::login(Some("The form came from another site.".into()), &next, ""),
        );
    }
    let user = fields.get("user").to_lowercase();
    let password = fields.raw("password").to_string();
    let store = state.store.clone();
    let who = user.clone();
    let verified = tokio::task::spawn_blocking(move || {
        let record = store.user(&who).ok().flatten();
        let hash = record
            .as_ref()
            .map_or(DUMMY_HASH, |r| r.password_hash.as_str());
        let ok = verify_password(&password, hash);
        record.filter(|r| ok && !r.disabled)
    })
    .await
    .ok()
    .flatten();
    let Some(record) = verified else {
        tracing::warn!(user = %user, "sign-in refused");
        // Slow down guessing a little more than argon2 already does.
        tokio::time::sleep(Duration::from_millis(300)).await;
        return public_page(
            StatusCode::UNAUTHORIZED,
            auth::login(
                Some("That user name and password do not match an active account.".into()),
                &next,
                &user,
            ),
        );
    };
    match session::start(&state, &record.id) {
        Ok(token) => {
            tracing::info!(user = %record.id, "signed in");
            signed_in(&state, &token, &next)
        }
        Err(e) => {
            tracing::error!("cannot start a session: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, "cannot start a session").into_response()
        }
    }
}

async fn logout(State(state): State<AppState>, form: super::Form) -> Response {
    let _ = state.store.delete_session(&form.signed.user.session);
    tracing::info!(user = %form.signed.user.id, "signed out");
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&session::session_cookie(&state, "", 0)).expect("ascii"),
    );
    harden(response)
}

async fn setup_page(State(state): State<AppState>) -> Response {
    if user_count(&state).await != Some(0) {
        return harden(Redirect::to("/login").into_response());
    }
    public_page(
        StatusCode::OK,
        auth::first_admin(None, FirstAdminForm::default()),
    )
}

async fn setup(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let fields = Fields::parse(&body);
    let form = FirstAdminForm {
        user: fields.get("user").to_lowercase(),
        name: fields.get("name"),
        email: fields.get("email"),
    };
    let again = |status: StatusCode, msg: String, form: FirstAdminForm| {
        public_page(status, auth::first_admin(Some(msg), form))
    };
    if !same_origin(&headers) {
        return again(
            StatusCode::FORBIDDEN,
            "The form came from another site.".into(),
            form,
        );
    }
    let password = fields.raw("password");
    if let Err(e) = tenure_store::check_user_id(&form.user) {
        return again(StatusCode::BAD_REQUEST, e.to_string(), form);
    }
    if form.name.is_empty() || !form.email.contains('@') {
        return again(
            StatusCode::BAD_REQUEST,
            "Give your name and a work email.".into(),
            form,
        );
    }
    if let Err(e) = check_password_policy(password) {
        return again(StatusCode::BAD_REQUEST, e, form);
    }
    let hash = match hash_password(password) {
        Ok(h) => h,
        Err(e) => return again(StatusCode::INTERNAL_SERVER_ERROR, e.to_string(), form),
    };
    let record = UserRecord {
        id: form.user.clone(),
        name: form.name.clone(),
        email: form.email.clone(),
        admin: true,
        password_hash: hash,
        created_at: now_secs(),
        disabled: false,
    };
    match state.store.create_first_admin(&record) {
        Ok(true) => {}
        Ok(false) => return harden(Redirect::to("/login").into_response()),
        Err(e) => return again(StatusCode::INTERNAL_SERVER_ERROR, e.to_string(), form),
    }
    tracing::info!(user = %record.id, "first admin created");
    match session::start(&state, &record.id) {
        Ok(token) => signed_in(&state, &token, "/settings?first=1"),
        Err(e) => again(StatusCode::INTERNAL_SERVER_ERROR, e.to_string(), form),
    }
}

async fn account_page(signed: Signed) -> Response {
    let u = &signed.user;
    let roles = [
        (u.admin, "admin"),
        (u.onboarding, "onboarding champion"),
        (u.hardware, "hardware champion"),
        (u.application, "application champion"),
    ]
    .into_iter()
    .filter_map(|(has, name)| has.then_some(name))
    .collect();
    let me = Me {
        id: u.id.clone(),
        name: u.name.clone(),
        email: u.email.clone(),
        roles,
    };
    super::page(&signed, account(&signed.chrome(), me))
}

/// Changes the signed-in user's password; every other session of theirs ends.
async fn change_password(State(state): State<AppState>, form: super::Form) -> Response {
    let user = form.signed.user.id.clone();
    let fail = |m: String| super::redirect_with("/account", Flash::Err(m));
    let record = match state.store.user(&user) {
        Ok(Some(r)) => r,
        _ => return fail("Your account could not be read.".into()),
    };
    let current = form.raw("current").to_string();
    let new = form.raw("new");
    let hash = record.password_hash.clone();
    let ok = tokio::task::spawn_blocking(move || verify_password(&current, &hash))
        .await
        .unwrap_or(false);
    if !ok {
        tokio::time::sleep(Duration::from_millis(300)).await;
        return fail("The current password is not right.".into());
    }
    if let Err(e) = check_password_policy(new) {
        return fail(e);
    }
    let mut record = record;
    record.password_hash = match hash_password(new) {
        Ok(h) => h,
        Err(e) => return fail(e.to_string()),
    };
    if let Err(e) = state.store.update_user(&record) {
        return fail(e.to_string());
    }
    let _ = state.store.delete_sessions_of(&user);
    tracing::info!(user = %user, "password changed");
    match session::start(&state, &user) {
        Ok(token) => {
            let mut response =
                super::redirect_with("/account", Flash::Ok("Password changed.".into()));
            response.headers_mut().append(
                header::SET_COOKIE,
                HeaderValue::from_str(&session::session_cookie(
                    &state,
                    &token,
                    session::SESSION_SECS,
                ))
                .expect("cookie is ascii"),
            );
            response
        }
        Err(e) => fail(e.to_string()),
    }
}
