//! HTTP surface of the Graph fake: the token endpoint, the guard before every API call,
//! and the user routes. Licences, mailboxes and groups have their own files.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, Query, Request, State as AxState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::errors::{GraphError, finish};
use super::query::{OData, base, list_body, page};
use super::render;
use super::state::{Shared, State};
use super::{GraphUser, groups, licenses, mail, token};
use crate::limits::Fault;

pub(crate) type Shr = Arc<Shared>;
pub(crate) type Pairs = Query<Vec<(String, String)>>;

pub(crate) fn router(shared: Shr) -> Router {
    let api = Router::new()
        .route("/users", get(list_users).post(create_user))
        .route(
            "/users/{id}",
            get(get_user).patch(patch_user).delete(delete_user),
        )
        .route(
            "/users/{id}/revokeSignInSessions",
            post(revoke_sign_in_sessions),
        )
        .route("/users/{id}/assignLicense", post(licenses::assign))
        .route("/users/{id}/licenseDetails", get(licenses::details))
        .route("/subscribedSkus", get(licenses::subscribed_skus))
        .route(
            "/users/{id}/mailFolders/{folder}/messageRules",
            get(mail::list_rules).post(mail::create_rule),
        )
        .route(
            "/users/{id}/mailFolders/{folder}/messageRules/{rule}",
            get(mail::get_rule).delete(mail::delete_rule),
        )
        .route(
            "/users/{id}/mailboxSettings",
            get(mail::get_settings).patch(mail::patch_settings),
        )
        .route("/users/{id}/memberOf", get(groups::member_of))
        .route("/users/{id}/memberOf/{cast}", get(groups::member_of_cast))
        .route("/groups", get(groups::list))
        .route("/groups/{gid}", get(groups::get))
        .route("/groups/{gid}/members", get(groups::members))
        .route("/groups/{gid}/members/$ref", post(groups::add_member))
        .route("/groups/{gid}/members/%24ref", post(groups::add_member))
        .route(
            "/groups/{gid}/members/{uid}/$ref",
            axum::routing::delete(groups::remove_member),
        )
        .route(
            "/groups/{gid}/members/{uid}/%24ref",
            axum::routing::delete(groups::remove_member),
        )
        .route_layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared.clone());
    Router::new()
        .route("/{tenant}/oauth2/v2.0/token", post(token::token))
        .with_state(shared)
        .nest("/v1.0", api)
        .fallback(unknown_path)
        .layer(middleware::from_fn(finish))
}

async fn unknown_path(OriginalUri(uri): OriginalUri) -> GraphError {
    GraphError::new(
        StatusCode::BAD_REQUEST,
        "BadRequest",
        format!(
            "Resource not found for the segment '{}'.",
            last_segment(uri.path())
        ),
    )
}

fn last_segment(path: &str) -> &str {
    path.trim_end_matches('/').rsplit('/').next().unwrap_or("")
}

// ---------------------------------------------------------------------------------------
// Before every API call: token, injected faults, rate limit.

async fn guard(AxState(s): AxState<Shr>, req: Request, next: Next) -> Response {
    s.requests.fetch_add(1, Ordering::SeqCst);
    if let Err(e) = check(&s, req.headers()) {
        return e.into_response();
    }
    next.run(req).await
}

fn check(s: &Shared, headers: &HeaderMap) -> Result<(), GraphError> {
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim();
    let token = match auth.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => t.trim(),
        _ => "",
    };
    if token.is_empty() {
        return Err(GraphError::unauthenticated("Access token is empty."));
    }
    let mut st = s.state();
    match st.tokens.get(token) {
        None => {
            return Err(GraphError::unauthenticated(
                "Access token validation failure. Invalid audience.",
            ));
        }
        Some(expires) if *expires <= OffsetDateTime::now_utc() => {
            return Err(GraphError::unauthenticated(
                "Lifetime validation failed, the token is expired.",
            ));
        }
        Some(_) => {}
    }
    match st.faults.draw() {
        Some(Fault::Throttled) => return Err(GraphError::throttled(1)),
        Some(Fault::Unavailable) => return Err(GraphError::unavailable(1)),
        None => {}
    }
    st.rate_limit.admit().map_err(GraphError::throttled)
}

// ---------------------------------------------------------------------------------------
// Helpers the route files share

/// The JSON object of a request body.
pub(crate) fn object(body: &Bytes) -> Result<Map<String, Value>, GraphError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(GraphError::unreadable_body()),
    }
}

/// The user `/users/{key}` names, or 404.
pub(crate) fn find_user<'a>(st: &'a State, key: &str) -> Result<&'a GraphUser, GraphError> {
    st.user(key).ok_or_else(|| GraphError::not_found(key))
}

pub(crate) fn find_user_mut<'a>(
    st: &'a mut State,
    key: &str,
) -> Result<&'a mut GraphUser, GraphError> {
    st.user_mut(key).ok_or_else(|| GraphError::not_found(key))
}

/// `{"@odata.context": ..., ...object}` with status.
pub(crate) fn entity(status: StatusCode, headers: &HeaderMap, context: &str, v: Value) -> Response {
    let mut out = Map::new();
    out.insert(
        "@odata.context".into(),
        Value::String(format!("{}/$metadata#{context}", base(headers))),
    );
    if let Value::Object(m) = v {
        out.extend(m);
    }
    (status, axum::Json(Value::Object(out))).into_response()
}

// ---------------------------------------------------------------------------------------
// Users

async fn list_users(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Query(q): Pairs,
) -> Result<Response, GraphError> {
    let q = OData::new(q);
    let top = q.top()?;
    let after = q.after("users")?;
    let filter = q.filter()?;
    let select = q.select();
    let st = s.state();
    let mut items = Vec::new();
    for (k, u) in &st.users {
        if let Some(f) = &filter
            && !f.matches(&render::user_all(u), "User")?
        {
            continue;
        }
        items.push((*k, render::user(u, select.as_deref())?));
    }
    let p = page(items.into_iter(), after, top);
    let context = match &select {
        Some(sel) => format!("users({})", sel.join(",")),
        None => "users".into(),
    };
    Ok(axum::Json(list_body(&q, &headers, uri.path(), "users", &context, p)).into_response())
}

async fn get_user(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Query(q): Pairs,
) -> Result<Response, GraphError> {
    let q = OData::new(q);
    let st = s.state();
    let u = find_user(&st, &id)?;
    let v = render::user(u, q.select().as_deref())?;
    Ok(entity(StatusCode::OK, &headers, "users/$entity", v))
}

async fn create_user(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, GraphError> {
    let body = object(&body)?;
    for required in [
        "accountEnabled",
        "displayName",
        "mailNickname",
        "userPrincipalName",
        "passwordProfile",
    ] {
        if body.get(required).is_none_or(Value::is_null) {
            return Err(GraphError::invalid_property(required, "User"));
        }
    }
    let mut st = s.state();
    let mut u = GraphUser::default();
    apply(&mut u, &body, &st)?;
    if u.password.is_empty() {
        return Err(GraphError::invalid_property("passwordProfile", "User"));
    }
    u.id = st.guid();
    u.created_date_time = render::datetime(OffsetDateTime::now_utc());
    u.mailbox_settings = render::default_mailbox_settings();
    let seq = st.next_seq();
    let v = render::user(&u, None)?;
    st.users.insert(seq, u);
    Ok(entity(StatusCode::CREATED, &headers, "users/$entity", v))
}

async fn patch_user(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, GraphError> {
    let body = object(&body)?;
    let mut st = s.state();
    let mut u = find_user(&st, &id)?.clone();
    apply(&mut u, &body, &st)?;
    *find_user_mut(&mut st, &id)? = u;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn delete_user(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
) -> Result<Response, GraphError> {
    let mut st = s.state();
    let seq = st.user_seq(&id).ok_or_else(|| GraphError::not_found(&id))?;
    let u = st.users.remove(&seq).expect("user");
    for g in st.groups.values_mut() {
        g.members.retain(|m| *m != u.id);
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn revoke_sign_in_sessions(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, GraphError> {
    let mut st = s.state();
    find_user_mut(&mut st, &id)?.revoke_sign_in_sessions_count += 1;
    Ok(entity(
        StatusCode::OK,
        &headers,
        "Edm.Boolean",
        json!({ "value": true }),
    ))
}

/// Applies the properties of a create or update body. Only what is in the body changes;
/// `@odata.*` annotations are ignored; anything else unknown gives 400.
fn apply(u: &mut GraphUser, body: &Map<String, Value>, st: &State) -> Result<(), GraphError> {
    for (k, v) in body {
        if k.starts_with("@odata.") {
            continue;
        }
        let invalid = || GraphError::invalid_property(k, "User");
        match k.as_str() {
            "accountEnabled" => u.account_enabled = v.as_bool().ok_or_else(invalid)?,
            "displayName" | "mailNickname" => {
                let s = v
                    .as_str()
                    .filter(|s| !s.trim().is_empty())
                    .ok_or_else(invalid)?;
                if k == "displayName" {
                    u.display_name = s.to_string();
                } else {
                    u.mail_nickname = s.to_string();
                }
            }
            "userPrincipalName" => {
                let upn = v.as_str().ok_or_else(invalid)?;
                check_upn(upn, st)?;
                if st
                    .users
                    .values()
                    .any(|o| o.id != u.id && o.user_principal_name.eq_ignore_ascii_case(upn))
                {
                    return Err(conflict());
                }
                u.user_principal_name = upn.to_string();
            }
            "givenName" | "surname" | "jobTitle" | "department" | "employeeId" | "mail"
            | "mobilePhone" | "officeLocation" | "companyName" => {
                let s = match v {
                    Value::Null => None,
                    Value::String(s) => Some(s.clone()),
                    _ => return Err(invalid()),
                };
                *match k.as_str() {
                    "givenName" => &mut u.given_name,
                    "surname" => &mut u.surname,
                    "jobTitle" => &mut u.job_title,
                    "department" => &mut u.department,
                    "employeeId" => &mut u.employee_id,
                    "mail" => &mut u.mail,
                    "mobilePhone" => &mut u.mobile_phone,
                    "officeLocation" => &mut u.office_location,
                    _ => &mut u.company_name,
                } = s;
            }
            "usageLocation" => {
                u.usage_location = match v {
                    Value::Null => None,
                    Value::String(s)
                        if s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()) =>
                    {
                        Some(s.to_ascii_uppercase())
                    }
                    _ => return Err(invalid()),
                }
            }
            "otherMails" | "businessPhones" => {
                let list = v
                    .as_array()
                    .and_then(|a| {
                        a.iter()
                            .map(|x| x.as_str().map(str::to_string))
                            .collect::<Option<Vec<_>>>()
                    })
                    .ok_or_else(invalid)?;
                if k == "otherMails" {
                    u.other_mails = list;
                } else {
                    u.business_phones = list;
                }
            }
            "passwordProfile" => {
                let p = v.as_object().ok_or_else(invalid)?;
                if let Some(pw) = p.get("password").filter(|p| !p.is_null()) {
                    let pw = pw.as_str().ok_or_else(invalid)?;
                    if !complex_enough(pw) {
                        return Err(GraphError::bad_request(
                            "The specified password does not comply with password complexity requirements. Please provide a different password.",
                        ));
                    }
                    u.password = pw.to_string();
                }
                if let Some(f) = p.get("forceChangePasswordNextSignIn") {
                    u.force_change_password_next_sign_in = f.as_bool().ok_or_else(invalid)?;
                }
            }
            _ => {
                return Err(GraphError::bad_request(format!(
                    "Property '{k}' does not exist as a declared property or extension property."
                )));
            }
        }
    }
    Ok(())
}

fn conflict() -> GraphError {
    GraphError {
        details: Some(json!([{ "target": "userPrincipalName", "code": "ObjectConflict" }])),
        ..GraphError::bad_request(
            "Another object with the same value for property userPrincipalName already exists.",
        )
    }
}

fn check_upn(upn: &str, st: &State) -> Result<(), GraphError> {
    let Some((local, domain)) = upn.split_once('@') else {
        return Err(GraphError::invalid_property("userPrincipalName", "User"));
    };
    if local.is_empty() || domain.is_empty() || domain.contains('@') || upn.contains(' ') {
        return Err(GraphError::invalid_property("userPrincipalName", "User"));
    }
    if !st.verified_domains.is_empty()
        && !st
            .verified_domains
            .iter()
            .any(|d| d.eq_ignore_ascii_case(domain))
    {
        return Err(GraphError {
            details: Some(json!([{ "target": "userPrincipalName", "code": "InvalidValue" }])),
            ..GraphError::bad_request(
                "The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.",
            )
        });
    }
    Ok(())
}

/// Entra's rule: 8–256 characters, three of upper case, lower case, digits, symbols.
fn complex_enough(pw: &str) -> bool {
    let n = pw.chars().count();
    if !(8..=256).contains(&n) {
        return false;
    }
    let classes = [
        pw.chars().any(|c| c.is_ascii_uppercase()),
        pw.chars().any(|c| c.is_ascii_lowercase()),
        pw.chars().any(|c| c.is_ascii_digit()),
        pw.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    classes.iter().filter(|c| **c).count() >= 3
}
