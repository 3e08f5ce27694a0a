//! The UI's extractors: [`Signed`] (the signed-in user, or a redirect to sign in) and
//! [`Form`] (a posted form whose CSRF token matches the session's).

use super::{harden, problem};
use crate::app::AppState;
use crate::auth::session::{CurrentUser, FLASH_COOKIE, SESSION_COOKIE, now_secs, same_token};
use crate::http::api::hash_token;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use tenure_web::{Chrome, Flash};

/// The signed-in user of a page request.
#[derive(Debug, Clone)]
pub struct Signed {
    pub user: CurrentUser,
    pub flash: Option<Flash>,
    pub demo: bool,
}

impl Signed {
    pub fn chrome(&self) -> Chrome {
        Chrome {
            user_name: self.user.name.clone(),
            admin: self.user.admin,
            sees_employees: self.user.sees_employees(),
            sees_hardware: self.user.admin || self.user.hardware,
            csrf: self.user.csrf.clone(),
            flash: self.flash.clone(),
            demo: self.demo,
        }
    }
}

/// The value of cookie `name` in the request.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={text}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn flash(parts: &Parts) -> Option<Flash> {
    let raw = cookie(parts, FLASH_COOKIE)?;
    let (kind, text) = raw.split_once(':')?;
    let text = decode(text);
    match kind {
        "ok" => Some(Flash::Ok(text)),
        "err" => Some(Flash::Err(text)),
        _ => None,
    }
}

/// Where an anonymous visitor goes: the first-admin page on first start, else sign-in
/// (coming back here afterwards for a GET).
async fn to_sign_in(parts: &Parts, state: &AppState) -> Response {
    if user_count(state).await == Some(0) {
        return harden(Redirect::to("/setup").into_response());
    }
    let here = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let next = if parts.method == axum::http::Method::GET {
        here
    } else {
        "/".into()
    };
    let to = format!(
        "/login?next={}",
        tenure_web::pages::employees::percent_encode(&next)
    );
    harden(Redirect::to(&to).into_response())
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(token) = cookie(parts, SESSION_COOKIE).map(str::to_string) else {
            return Err(to_sign_in(parts, state).await);
        };
        let store = state.store.clone();
        let found = tokio::task::spawn_blocking(move || {
            let hash = hash_token(&token);
            let Some(session) = store.session(&hash, now_secs())? else {
                return Ok(None);
            };
            let user = store.user(&session.user)?;
            Ok::<_, tenure_store::StoreError>(user.map(|u| (u, session, hash)))
        })
        .await
        .map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response())?
        .map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response())?;
        let Some((record, session, hash)) = found.filter(|(u, _, _)| !u.disabled) else {
            return Err(to_sign_in(parts, state).await);
        };
        let user = state
            .engine
            .read(|k| CurrentUser::from_record(&record, &k.catalog, session.csrf.clone(), hash))
            .await;
        Ok(Signed {
            user,
            flash: flash(parts),
            demo: state.demo,
        })
    }
}

/// The fields of an urlencoded form body.
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &[u8]) -> Fields {
        Fields(url::form_urlencoded::parse(body).into_owned().collect())
    }

    /// The first value of `key` as sent (passwords); empty when absent.
    pub fn raw(&self, key: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The first value of `key`, trimmed; empty when absent.
    pub fn get(&self, key: &str) -> String {
        self.raw(key).trim().to_string()
    }

    /// `Some(value)` when given and not blank.
    pub fn opt(&self, key: &str) -> Option<String> {
        Some(self.get(key)).filter(|v| !v.is_empty())
    }

    /// Every value of `key` (checkboxes).
    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// Every field, in the order sent.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// `(rest, value)` for every key starting with `prefix`.
    pub fn prefixed<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.0
            .iter()
            .filter_map(move |(k, v)| k.strip_prefix(prefix).map(|rest| (rest, v.as_str())))
    }
}

/// How many accounts exist (`None` when the store cannot say).
pub async fn user_count(state: &AppState) -> Option<u64> {
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || store.user_count())
        .await
        .ok()?
        .ok()
}

/// A posted form (application/x-www-form-urlencoded) from a signed-in user whose `csrf`
/// field matches the session's token. Its fields are read through `Deref`.
pub struct Form {
    pub signed: Signed,
    fields: Fields,
}

impl std::ops::Deref for Form {
    type Target = Fields;

    fn deref(&self) -> &Fields {
        &self.fields
    }
}

impl FromRequest<AppState> for Form {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let signed = Signed::from_request_parts(&mut parts, state).await?;
        // Another site's form never carries our Origin.
        if !crate::http::guard::same_origin(&parts.headers) {
            return Err(problem(
                &signed,
                StatusCode::FORBIDDEN,
                "Refused",
                "The form came from another site.",
            ));
        }
        let bytes = axum::body::to_bytes(body, 1 << 20).await.map_err(|_| {
            problem(
                &signed,
                StatusCode::PAYLOAD_TOO_LARGE,
                "Too large",
                "The form was larger than 1 MiB.",
            )
        })?;
        let form = Form {
            signed,
            fields: Fields::parse(&bytes),
        };
        if !same_token(&form.get("csrf"), &form.signed.user.csrf) {
            return Err(problem(
                &form.signed,
                StatusCode::FORBIDDEN,
                "Refused",
                "The form's security token did not match your session. Reload the page and try again.",
            ));
        }
        Ok(form)
    }
}
