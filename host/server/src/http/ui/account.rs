//! Signing in and out, the first start's first admin, and my account (password).

use super::form::{Fields, Signed, user_count};
use super::{harden, public_page};
use crate::app::AppState;
use crate::auth::password::{check_password_policy, hash_password, verify_password};
use crate::auth::session::{self, now_secs};
use crate::auth::throttle::Refusal;
use crate::http::guard::{Peer, safe_next, same_origin};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
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

async fn login_page(State(state): State<AppState>, Query(q): Query<Next>) -> Response {
    if user_count(&state).await == Some(0) {
        return harden(Redirect::to("/setup").into_response());
    }
    public_page(
        StatusCode::OK,
        login_html(&state, None, &safe_next(q.next.as_deref()), ""),
    )
}

/// The sign-in page, with "Sign in with …" when single sign-on is set up.
fn login_html(state: &AppState, error: Option<String>, next: &str, user: &str) -> String {
    let sso = state.oidc.as_ref().map(|o| o.display_name());
    auth::login_with(error, next, user, sso)
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

/// 429 with `Retry-After`, the page saying when to try again.
fn refused(refusal: Refusal, html: String) -> Response {
    let mut response = public_page(StatusCode::TOO_MANY_REQUESTS, html);
    if let Ok(v) = HeaderValue::from_str(&refusal.retry_after_secs().to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

async fn login(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = Fields::parse(&body);
    let next = safe_next(Some(&fields.get("next")));
    if !same_origin(&headers) {
        return public_page(
            StatusCode::FORBIDDEN,
            login_html(
                &state,
                Some("The form came from another site.".into()),
                &next,
                "",
            ),
        );
    }
    let user: String = fields.get("user").to_lowercase().chars().take(64).collect();
    let throttle = &state.guards.sign_in;
    if let Err(refusal) = throttle.check(&user, peer) {
        tracing::warn!(user = %user, "sign-in not heard: {refusal:?}");
        return refused(
            refusal,
            login_html(&state, Some(refusal.message()), &next, &user),
        );
    }
    let password = fields.raw("password").to_string();
    let store = state.store.clone();
    let who = user.clone();
    let verified = throttle
        .hash(move || {
            let record = store.user(&who).ok().flatten();
            let hash = record
                .as_ref()
                .map_or(DUMMY_HASH, |r| r.password_hash.as_str());
            let ok = verify_password(&password, hash);
            record.filter(|r| ok && !r.disabled)
        })
        .await;
    let verified = match verified {
        Ok(v) => v,
        Err(refusal) => {
            return refused(
                refusal,
                login_html(&state, Some(refusal.message()), &next, &user),
            );
        }
    };
    let Some(record) = verified else {
        throttle.failed(&user, peer);
        tracing::warn!(user = %user, "sign-in refused");
        return public_page(
            StatusCode::UNAUTHORIZED,
            login_html(
                &state,
                Some("That user name and password do not match an active account.".into()),
                &next,
                &user,
            ),
        );
    };
    throttle.succeeded(&user);
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

async fn setup(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if user_count(&state).await != Some(0) {
        return harden(Redirect::to("/login").into_response());
    }
    let fields = Fields::parse(&body);
    let form = FirstAdminForm {
        code: fields.get("code"),
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
    let throttle = &state.guards.sign_in;
    if let Err(refusal) = throttle.check("setup code", peer) {
        return refused(refusal, auth::first_admin(Some(refusal.message()), form));
    }
    if !state.guards.setup.matches(&fields.get("code")) {
        throttle.failed("setup code", peer);
        tracing::warn!("first-admin form refused: wrong setup code");
        return again(
            StatusCode::FORBIDDEN,
            "That is not the setup code. It is printed in the appliance's log when it starts \
             (`journalctl -u tenure` or the terminal running `tenure serve`)."
                .into(),
            form,
        );
    }
    let password = fields.raw("password").to_string();
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
    if let Err(e) = check_password_policy(&password) {
        return again(StatusCode::BAD_REQUEST, e, form);
    }
    let hash = match throttle.hash(move || hash_password(&password)).await {
        Ok(Ok(h)) => h,
        Ok(Err(e)) => return again(StatusCode::INTERNAL_SERVER_ERROR, e.to_string(), form),
        Err(refusal) => return refused(refusal, auth::first_admin(Some(refusal.message()), form)),
    };
    let record = UserRecord {
        id: form.user.clone(),
        name: form.name.clone(),
        email: form.email.clone(),
        admin: true,
        password_hash: hash,
        created_at: now_secs(),
        disabled: false,
        oidc_subject: None,
    };
    match state.store.create_first_admin(&record) {
        Ok(true) => {}
        Ok(false) => return harden(Redirect::to("/login").into_response()),
        Err(e) => return again(StatusCode::INTERNAL_SERVER_ERROR, e.to_string(), form),
    }
    state.guards.setup.spend();
    tracing::info!(user = %record.id, "first admin created");
    match session::start(&state, &record.id) {
        Ok(token) => signed_in(&state, &token, "/settings?first=1"),
        Err(e) => again(StatusCode::INTERNAL_SERVER_ERROR, e.to_string(), form),
    }
}

async fn account_page(signed: Signed, State(state): State<AppState>) -> Response {
    let u = &signed.user;
    let mut roles: Vec<String> = [
        (u.admin, "admin"),
        (u.onboarding, "onboarding champion"),
        (u.hardware, "hardware champion"),
        (u.default_application, "default application champion"),
    ]
    .into_iter()
    .filter(|(has, _)| *has)
    .map(|(_, name)| name.to_string())
    .collect();
    if !u.apps.is_empty() {
        let names = state
            .engine
            .read(|k| {
                u.apps
                    .iter()
                    .map(|a| k.catalog.app_name(a))
                    .collect::<Vec<_>>()
            })
            .await;
        roles.push(format!("champion of {}", names.join(", ")));
    }
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
    let throttle = &state.guards.sign_in;
    if let Err(refusal) = throttle.check(&user, None) {
        return fail(refusal.message());
    }
    let current = form.raw("current").to_string();
    let new = form.raw("new").to_string();
    if let Err(e) = check_password_policy(&new) {
        return fail(e);
    }
    let hash = record.password_hash.clone();
    let checked = throttle
        .hash(move || verify_password(&current, &hash).then(|| hash_password(&new)))
        .await;
    let new_hash = match checked {
        Err(refusal) => return fail(refusal.message()),
        Ok(None) => {
            throttle.failed(&user, None);
            return fail("The current password is not right.".into());
        }
        Ok(Some(Err(e))) => return fail(e.to_string()),
        Ok(Some(Ok(h))) => h,
    };
    let mut record = record;
    record.password_hash = new_hash;
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
