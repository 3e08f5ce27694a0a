//! `/api/v1/users`: create, read, list, update, delete, lifecycle and sessions.

use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::OktaUser;
use super::errors::OktaError;
use super::query::{Expr, limit, page, param};
use super::routes::Shr;
use super::state::{State, timestamp};
use crate::ids::origin;

type Pairs = Query<Vec<(String, String)>>;

/// The largest `limit` of `GET /users`.
pub(crate) const MAX_LIMIT: usize = 200;
/// Statuses a user can be suspended from.
const SUSPENDABLE: &[&str] = &["ACTIVE", "PASSWORD_EXPIRED", "LOCKED_OUT", "RECOVERY"];

fn flag(query: &[(String, String)], name: &str, default: bool) -> bool {
    match param(query, name) {
        Some(v) => v.eq_ignore_ascii_case("true"),
        None => default,
    }
}

fn not_found(id: &str) -> OktaError {
    OktaError::not_found(id, "User")
}

/// An attribute of a user for `search` and `filter`.
fn attribute(u: &OktaUser, name: &str) -> Option<String> {
    match name {
        "id" => Some(u.id.clone()),
        "status" => Some(u.status.clone()),
        "created" => Some(u.created.clone()),
        _ => {
            let key = name.strip_prefix("profile.")?;
            match u.profile.get(key)? {
                Value::String(s) => Some(s.clone()),
                Value::Null => None,
                other => Some(other.to_string()),
            }
        }
    }
}

pub(crate) async fn list(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    Query(q): Pairs,
) -> Response {
    let limit = match limit(&q, MAX_LIMIT, MAX_LIMIT) {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    let parse = |name: &str| -> Result<Option<Expr>, OktaError> {
        match param(&q, name) {
            None => Ok(None),
            Some(text) => Expr::parse(text).map(Some).ok_or_else(|| {
                OktaError::new(
                    StatusCode::BAD_REQUEST,
                    "E0000031",
                    format!("Invalid search criteria. ({name}: {text})"),
                )
            }),
        }
    };
    let (search, filter) = match (parse("search"), parse("filter")) {
        (Ok(s), Ok(f)) => (s, f),
        (Err(e), _) | (_, Err(e)) => return e.into_response(),
    };
    let prefix = param(&q, "q").map(str::to_lowercase);
    let st = s.state();
    let origin = origin(&headers);
    let items = st
        .users
        .values()
        .filter(|u| match &search {
            Some(e) => e.matches(|a| attribute(u, a)),
            None => {
                filter.as_ref().is_some_and(|f| f.mentions("status")) || u.status != "DEPROVISIONED"
            }
        })
        .filter(|u| {
            filter
                .as_ref()
                .is_none_or(|f| f.matches(|a| attribute(u, a)))
        })
        .filter(|u| {
            prefix.as_deref().is_none_or(|p| {
                ["firstName", "lastName", "email"].iter().any(|k| {
                    attribute(u, &format!("profile.{k}"))
                        .is_some_and(|v| v.to_lowercase().starts_with(p))
                })
            })
        })
        .map(|u| (u.id.clone(), u.render(&origin)))
        .collect();
    page(&headers, "/api/v1/users", &q, items, limit)
}

pub(crate) async fn get(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    match s.state().user(&id) {
        Some(u) => axum::Json(u.render(&origin(&headers))).into_response(),
        None => not_found(&id).into_response(),
    }
}

fn body_json(body: &Bytes) -> Result<Value, OktaError> {
    serde_json::from_slice::<Value>(body)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(OktaError::malformed)
}

/// Required profile attributes left blank, as Okta's causes.
fn blank_required(profile: &Map<String, Value>) -> Vec<String> {
    ["login", "email", "firstName", "lastName"]
        .iter()
        .filter(|k| {
            profile
                .get(**k)
                .and_then(Value::as_str)
                .is_none_or(|v| v.trim().is_empty())
        })
        .map(|k| format!("{k}: The field cannot be left blank"))
        .collect()
}

fn login_taken(st: &State, login: &str, except: &str) -> bool {
    st.users
        .values()
        .any(|u| u.id != except && u.login().eq_ignore_ascii_case(login))
}

pub(crate) async fn create(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    Query(q): Pairs,
    body: Bytes,
) -> Response {
    let body = match body_json(&body) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let profile = body
        .get("profile")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let blank = blank_required(&profile);
    if !blank.is_empty() {
        let what = blank
            .iter()
            .map(|c| c.split(':').next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(", ");
        return OktaError::validation(&what, &blank).into_response();
    }
    let activate = flag(&q, "activate", true);
    let credentials = body.get("credentials").cloned().unwrap_or(Value::Null);
    let password = credentials
        .pointer("/password/value")
        .and_then(Value::as_str)
        .map(str::to_string);
    let provider = credentials
        .pointer("/provider/type")
        .and_then(Value::as_str)
        .unwrap_or("OKTA")
        .to_string();
    if provider != "OKTA" && !flag(&q, "provider", false) {
        return OktaError::validation(
            "provider",
            &[
                "provider: A provider other than OKTA needs the query parameter provider=true"
                    .into(),
            ],
        )
        .into_response();
    }
    if let Some(p) = &password
        && p.chars().count() < 8
    {
        return OktaError::validation(
            "password",
            &["password: Password requirements were not met. Password requirements: at least 8 characters.".into()],
        )
        .into_response();
    }
    let change_password = param(&q, "nextLogin") == Some("changePassword");
    if change_password && (!activate || password.is_none()) {
        return OktaError::validation(
            "nextLogin",
            &["nextLogin: changePassword is valid only with activate=true and a password".into()],
        )
        .into_response();
    }
    let mut st = s.state();
    let login = profile["login"].as_str().unwrap_or_default().to_string();
    if login_taken(&st, &login, "") {
        return OktaError::validation(
            "login",
            &[
                "login: An object with this field already exists in the current organization"
                    .into(),
            ],
        )
        .into_response();
    }
    let status = if !activate {
        "STAGED"
    } else if provider != "OKTA" {
        "ACTIVE"
    } else if password.is_some() {
        if change_password {
            "PASSWORD_EXPIRED"
        } else {
            "ACTIVE"
        }
    } else {
        "PROVISIONED"
    };
    let now = timestamp(OffsetDateTime::now_utc());
    let user = OktaUser {
        id: st.id("00u"),
        status: status.into(),
        profile,
        password,
        provider,
        activation_emails: usize::from(status == "PROVISIONED"),
        sessions_cleared: 0,
        created: now.clone(),
        status_changed: Some(now),
    };
    let uid = user.id.clone();
    let group_ids: Vec<String> = body
        .get("groupIds")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    for gid in &group_ids {
        if let Some(g) = st.group_mut(gid) {
            g.members.push(uid.clone());
        }
    }
    let rendered = user.render(&origin(&headers));
    let seq = st.next_seq();
    st.users.insert(seq, user);
    axum::Json(rendered).into_response()
}

fn change_profile(
    s: &Shr,
    headers: &HeaderMap,
    id: &str,
    body: &Bytes,
    replace: bool,
) -> Result<Value, OktaError> {
    let body = body_json(body)?;
    let changes = body
        .get("profile")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut st = s.state();
    let current = st.user(id).ok_or_else(|| not_found(id))?.clone();
    let mut profile = if replace {
        Map::new()
    } else {
        current.profile.clone()
    };
    for (k, v) in changes {
        profile.insert(k, v);
    }
    let blank = blank_required(&profile);
    if !blank.is_empty() {
        return Err(OktaError::validation("profile", &blank));
    }
    let login = profile["login"].as_str().unwrap_or_default().to_string();
    if login_taken(&st, &login, &current.id) {
        return Err(OktaError::validation(
            "login",
            &[
                "login: An object with this field already exists in the current organization"
                    .into(),
            ],
        ));
    }
    let u = st.user_mut(id).ok_or_else(|| not_found(id))?;
    u.profile = profile;
    Ok(u.render(&origin(headers)))
}

pub(crate) async fn update(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    match change_profile(&s, &headers, &id, &body, false) {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

pub(crate) async fn replace(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    match change_profile(&s, &headers, &id, &body, true) {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}

fn set_status(u: &mut OktaUser, status: &str) {
    u.status = status.to_string();
    u.status_changed = Some(timestamp(OffsetDateTime::now_utc()));
}

/// Deactivates or, for a deactivated user, deletes; 204 either way.
pub(crate) async fn delete(AxState(s): AxState<Shr>, Path(id): Path<String>) -> Response {
    let mut st = s.state();
    let Some(seq) = st.user_seq(&id) else {
        return not_found(&id).into_response();
    };
    let u = st.users.get_mut(&seq).expect("seq found");
    if u.status == "DEPROVISIONED" {
        let uid = u.id.clone();
        st.users.remove(&seq);
        for g in st.groups.values_mut() {
            g.members.retain(|m| *m != uid);
        }
    } else {
        set_status(u, "DEPROVISIONED");
    }
    StatusCode::NO_CONTENT.into_response()
}

pub(crate) async fn lifecycle(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    Path((id, op)): Path<(String, String)>,
    Query(q): Pairs,
) -> Response {
    let mut st = s.state();
    let Some(u) = st.user_mut(&id) else {
        return not_found(&id).into_response();
    };
    let refused = |summary: &str| OktaError::validation(summary, &[summary.to_string()]);
    match op.as_str() {
        "activate" => {
            if u.status != "STAGED" && u.status != "DEPROVISIONED" {
                return OktaError::new(
                    StatusCode::FORBIDDEN,
                    "E0000016",
                    "Activation failed because the user is already active",
                )
                .into_response();
            }
            let was_staged = u.status == "STAGED";
            if u.provider != "OKTA" || (was_staged && u.password.is_some()) {
                set_status(u, "ACTIVE");
            } else {
                set_status(u, "PROVISIONED");
                u.password = None;
            }
            if flag(&q, "sendEmail", true) {
                if u.status == "PROVISIONED" {
                    u.activation_emails += 1;
                }
                return axum::Json(json!({})).into_response();
            }
            let token = u.id.chars().rev().collect::<String>();
            axum::Json(json!({
                "activationUrl": format!("{}/welcome/{token}", origin(&headers)),
                "activationToken": token,
            }))
            .into_response()
        }
        "suspend" => {
            if !SUSPENDABLE.contains(&u.status.as_str()) {
                return refused("Cannot suspend a user that is not active").into_response();
            }
            set_status(u, "SUSPENDED");
            StatusCode::OK.into_response()
        }
        "unsuspend" => {
            if u.status != "SUSPENDED" {
                return refused("Cannot unsuspend a user that is not suspended").into_response();
            }
            set_status(u, "ACTIVE");
            StatusCode::OK.into_response()
        }
        "deactivate" => {
            if u.status != "DEPROVISIONED" {
                set_status(u, "DEPROVISIONED");
            }
            StatusCode::OK.into_response()
        }
        _ => OktaError::not_found(&op, "Lifecycle operation").into_response(),
    }
}

pub(crate) async fn clear_sessions(AxState(s): AxState<Shr>, Path(id): Path<String>) -> Response {
    match s.state().user_mut(&id) {
        Some(u) => {
            u.sessions_cleared += 1;
            StatusCode::NO_CONTENT.into_response()
        }
        None => not_found(&id).into_response(),
    }
}
