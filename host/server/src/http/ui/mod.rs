//! The web UI: pages rendered by `tenure-web`, forms posted back here. Every page needs
//! a signed-in user (the first start asks for the first admin instead), every form a
//! matching CSRF token, and each handler checks the role its work needs.

mod account;
pub mod assets;
mod demo;
mod employees;
mod form;
mod hardware;
mod settings;
mod settings_catalog;
pub(crate) mod settings_jobs;
mod settings_locations;
mod settings_plugins;
mod settings_users;
mod sso;
mod status;
mod tasks;

pub use form::{Form, Signed, user_count};

use crate::app::AppState;
use crate::auth::session::FLASH_COOKIE;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use tenure_web::Flash;

pub fn router() -> Router<AppState> {
    if assets::available() {
        tenure_web::enable_islands();
    }
    Router::new()
        .merge(assets::router())
        .merge(account::router())
        .merge(tasks::router())
        .merge(employees::router())
        .merge(hardware::router())
        .merge(settings::router())
        .merge(settings_catalog::router())
        .merge(settings_users::router())
        .merge(sso::router())
        .merge(settings_locations::router())
        .merge(settings_jobs::router())
        .merge(settings_plugins::router())
        .merge(demo::router())
}

/// Headers every page carries: no caching of personal data, no framing, no scripts.
pub fn harden(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; \
             style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    response
}

/// A rendered page for a signed-in user; clears the flash it showed.
pub fn page(signed: &Signed, html: String) -> Response {
    page_with_status(signed, StatusCode::OK, html)
}

pub fn page_with_status(signed: &Signed, status: StatusCode, html: String) -> Response {
    let mut response = (status, axum::response::Html(html)).into_response();
    if signed.flash.is_some() {
        response.headers_mut().append(
            header::SET_COOKIE,
            HeaderValue::from_str(&format!("{FLASH_COOKIE}=; Path=/; Max-Age=0; HttpOnly"))
                .expect("ascii"),
        );
    }
    harden(response)
}

/// A page shown before sign-in.
pub fn public_page(status: StatusCode, html: String) -> Response {
    harden((status, axum::response::Html(html)).into_response())
}

/// 303 to `to`, with a message for the next page.
pub fn redirect_with(to: &str, flash: Flash) -> Response {
    let (kind, text) = match flash {
        Flash::Ok(t) => ("ok", t),
        Flash::Err(t) => ("err", t),
    };
    let value = format!(
        "{kind}:{}",
        tenure_web::pages::employees::percent_encode(&text)
    );
    let mut response = Redirect::to(to).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&format!(
            "{FLASH_COOKIE}={value}; Path=/; Max-Age=60; HttpOnly; SameSite=Lax"
        ))
        .expect("percent-encoded"),
    );
    harden(response)
}

/// A page saying what went wrong, in the frame.
pub fn problem(signed: &Signed, status: StatusCode, title: &str, message: &str) -> Response {
    page_with_status(
        signed,
        status,
        tenure_web::pages::problem(&signed.chrome(), title, message),
    )
}

pub fn forbidden(signed: &Signed, what: &str) -> Response {
    problem(
        signed,
        StatusCode::FORBIDDEN,
        "Not allowed",
        &format!(
            "Your roles do not allow {what}. An admin can change roles under Settings → Users."
        ),
    )
}

pub fn not_found(signed: &Signed, what: &str) -> Response {
    problem(signed, StatusCode::NOT_FOUND, "Not found", what)
}

pub fn server_error(signed: &Signed, error: impl std::fmt::Display) -> Response {
    tracing::error!("web UI: {error}");
    problem(
        signed,
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "The request failed on the server; the log has the details.",
    )
}
