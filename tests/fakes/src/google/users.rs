//! `users`: insert, get, list, update/patch, delete, signOut.

use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::macros::format_description;

use super::GoogleUser;
use super::errors::ApiError;
use super::routes::{
    Pairs, Shr, authorize, check_customer, etag, json_response, list_body, max_results, object,
    page_after, param,
};
use super::scopes;
use super::state::State;

/// The default and largest `maxResults` of `users.list`.
const DEFAULT_MAX_RESULTS: usize = 100;
const MAX_RESULTS: usize = 500;

/// Fields Google sets itself; sent ones are ignored.
const READ_ONLY: &[&str] = &[
    "kind",
    "id",
    "etag",
    "isAdmin",
    "isDelegatedAdmin",
    "creationTime",
    "lastLoginTime",
    "customerId",
    "aliases",
    "nonEditableAliases",
    "isMailboxSetup",
    "agreedToTerms",
    "emails",
    "thumbnailPhotoUrl",
    "suspensionReason",
];

/// `2024-05-01T12:34:56.000Z`, Google's timestamps.
pub(crate) fn timestamp(t: OffsetDateTime) -> String {
    t.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].000Z"
    ))
    .unwrap_or_default()
}

pub(crate) fn render(st: &State, u: &GoogleUser) -> Value {
    let mut v = json!({
        "kind": "admin#directory#user",
        "id": u.id,
        "etag": etag(&u.id),
        "primaryEmail": u.primary_email,
        "name": {
            "givenName": u.given_name,
            "familyName": u.family_name,
            "fullName": format!("{} {}", u.given_name, u.family_name),
        },
        "isAdmin": u.is_admin,
        "isDelegatedAdmin": false,
        "lastLoginTime": "1970-01-01T00:00:00.000Z",
        "creationTime": u.creation_time,
        "agreedToTerms": u.is_admin,
        "suspended": u.suspended,
        "archived": u.archived,
        "changePasswordAtNextLogin": u.change_password_at_next_login,
        "ipWhitelisted": false,
        "emails": std::iter::once(json!({ "address": u.primary_email, "primary": true }))
            .chain(u.aliases.iter().map(|a| json!({ "address": a })))
            .collect::<Vec<_>>(),
        "customerId": st.customer_id,
        "orgUnitPath": u.org_unit_path,
        "isMailboxSetup": true,
        "isEnrolledIn2Sv": false,
        "isEnforcedIn2Sv": false,
        "includeInGlobalAddressList": true,
    });
    if let Some(r) = &u.suspension_reason {
        v["suspensionReason"] = json!(r);
    }
    if !u.aliases.is_empty() {
        v["aliases"] = json!(u.aliases);
    }
    if let Some(r) = &u.recovery_email {
        v["recoveryEmail"] = json!(r);
    }
    if let Some(r) = &u.recovery_phone {
        v["recoveryPhone"] = json!(r);
    }
    for (k, x) in &u.extra {
        v[k] = x.clone();
    }
    v
}

fn not_found() -> ApiError {
    ApiError::not_found("userKey")
}

/// `POST /users`.
pub(crate) async fn insert(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    authorize(&s, &headers, scopes::USERS_WRITE, "directory.users.insert")?;
    let body = object(&body)?;
    let email = body
        .get("primaryEmail")
        .and_then(Value::as_str)
        .filter(|e| valid_email(e))
        .ok_or_else(|| ApiError::invalid("Invalid Input: primary_user_email"))?;
    for part in ["givenName", "familyName"] {
        let ok = body
            .get("name")
            .and_then(|n| n.get(part))
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty());
        if !ok {
            let which = if part == "givenName" {
                "GivenName"
            } else {
                "FamilyName"
            };
            return Err(ApiError::invalid(format!(
                "Invalid Given/Family Name: {which}"
            )));
        }
    }
    if body.get("password").and_then(Value::as_str).is_none() {
        return Err(ApiError::invalid("Invalid Password"));
    }
    let mut st = s.state();
    if !st.owns(email) {
        return Err(ApiError::forbidden());
    }
    if st.address_taken(email) {
        return Err(ApiError::duplicate("Entity already exists."));
    }
    let mut u = GoogleUser {
        primary_email: email.to_string(),
        org_unit_path: "/".into(),
        creation_time: timestamp(OffsetDateTime::now_utc()),
        ..GoogleUser::default()
    };
    apply(&mut u, &body)?;
    u.id = st.numeric_id();
    let v = render(&st, &u);
    st.users.insert(u.primary_email.to_ascii_lowercase(), u);
    Ok(json_response(StatusCode::OK, v))
}

/// `GET /users/{userKey}`.
pub(crate) async fn get(
    AxState(s): AxState<Shr>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(&s, &headers, scopes::USERS_READ, "directory.users.get")?;
    let st = s.state();
    let u = st.user(&key).ok_or_else(not_found)?;
    Ok(json_response(StatusCode::OK, render(&st, u)))
}

/// `PUT|PATCH /users/{userKey}`: only the fields sent change.
pub(crate) async fn update(
    AxState(s): AxState<Shr>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    authorize(&s, &headers, scopes::USERS_WRITE, "directory.users.update")?;
    let body = object(&body)?;
    let mut st = s.state();
    let k = st.user_key(&key).ok_or_else(not_found)?;
    let mut u = st.users[&k].clone();
    if let Some(new) = body.get("primaryEmail") {
        let new = new
            .as_str()
            .filter(|e| valid_email(e))
            .ok_or_else(|| ApiError::invalid("Invalid Input: primary_user_email"))?;
        if !new.eq_ignore_ascii_case(&u.primary_email) {
            if !st.owns(new) {
                return Err(ApiError::forbidden());
            }
            let own_alias = u.aliases.iter().any(|a| a.eq_ignore_ascii_case(new));
            if st.address_taken(new) && !own_alias {
                return Err(ApiError::duplicate("Entity already exists."));
            }
            u.aliases.retain(|a| !a.eq_ignore_ascii_case(new));
            u.aliases.push(u.primary_email.clone());
            u.primary_email = new.to_string();
        }
    }
    apply(&mut u, &body)?;
    st.users.remove(&k);
    let v = render(&st, &u);
    st.users.insert(u.primary_email.to_ascii_lowercase(), u);
    Ok(json_response(StatusCode::OK, v))
}

/// `DELETE /users/{userKey}` → 204; the user leaves its groups too.
pub(crate) async fn delete(
    AxState(s): AxState<Shr>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(&s, &headers, scopes::USERS_WRITE, "directory.users.delete")?;
    let mut st = s.state();
    let k = st.user_key(&key).ok_or_else(not_found)?;
    let u = st.users.remove(&k).expect("user");
    for g in st.groups.values_mut() {
        g.members.retain(|m| m.id != u.id);
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /users/{userKey}/signOut` → 204.
pub(crate) async fn sign_out(
    AxState(s): AxState<Shr>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(
        &s,
        &headers,
        scopes::USERS_SIGN_OUT,
        "directory.users.signOut",
    )?;
    let mut st = s.state();
    let k = st.user_key(&key).ok_or_else(not_found)?;
    st.users.get_mut(&k).expect("user").sign_out_count += 1;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /users`.
pub(crate) async fn list(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    Query(q): Pairs,
) -> Result<Response, ApiError> {
    authorize(&s, &headers, scopes::USERS_READ, "directory.users.list")?;
    let st = s.state();
    check_customer(&st, &q)?;
    let max = max_results(&q, DEFAULT_MAX_RESULTS, MAX_RESULTS)?;
    let terms = match param(&q, "query") {
        Some(query) => parse_query(query, &USER_FIELDS)?,
        None => Vec::new(),
    };
    let domain = param(&q, "domain").map(str::to_ascii_lowercase);
    let list = "users";
    let after = page_after(&q, list)?;
    let mut matching = st
        .users
        .iter()
        .filter(|(k, _)| after.as_ref().is_none_or(|a| k.as_str() > a.as_str()))
        .filter(|(k, _)| {
            domain
                .as_ref()
                .is_none_or(|d| k.ends_with(&format!("@{d}")))
        })
        .filter(|(_, u)| terms.iter().all(|t| t.matches(u)));
    let page: Vec<(&String, &GoogleUser)> = matching.by_ref().take(max).collect();
    let more = matching.next().is_some();
    let next = if more {
        page.last().map(|(k, _)| (*k).clone())
    } else {
        None
    };
    let items = page.iter().map(|(_, u)| render(&st, u)).collect();
    Ok(list_body(
        "admin#directory#users",
        "users",
        items,
        list,
        next,
    ))
}

fn valid_email(e: &str) -> bool {
    matches!(e.split_once('@'), Some((l, d)) if !l.is_empty() && d.contains('.') && !d.contains('@'))
        && !e.contains(char::is_whitespace)
}

/// Applies the writable fields of an insert or update body (not `primaryEmail`).
fn apply(u: &mut GoogleUser, body: &Map<String, Value>) -> Result<(), ApiError> {
    for (k, v) in body {
        let invalid = || ApiError::invalid(format!("Invalid Input: {k}"));
        match k.as_str() {
            "primaryEmail" => {}
            k if READ_ONLY.contains(&k) => {}
            "name" => {
                let n = v.as_object().ok_or_else(invalid)?;
                if let Some(g) = n.get("givenName") {
                    u.given_name = g.as_str().ok_or_else(invalid)?.to_string();
                }
                if let Some(f) = n.get("familyName") {
                    u.family_name = f.as_str().ok_or_else(invalid)?.to_string();
                }
            }
            "password" => {
                let p = v.as_str().ok_or_else(invalid)?;
                let hashed = body
                    .get("hashFunction")
                    .and_then(Value::as_str)
                    .is_some_and(|h| !h.is_empty());
                if !hashed && !(8..=100).contains(&p.chars().count()) {
                    return Err(ApiError::invalid("Invalid Password"));
                }
                u.password = p.to_string();
            }
            "hashFunction" => {
                u.hash_function = v.as_str().filter(|h| !h.is_empty()).map(str::to_string);
            }
            "changePasswordAtNextLogin" => {
                u.change_password_at_next_login = v.as_bool().ok_or_else(invalid)?;
            }
            "suspended" => {
                u.suspended = v.as_bool().ok_or_else(invalid)?;
                u.suspension_reason = u.suspended.then(|| "ADMIN".to_string());
            }
            "archived" => u.archived = v.as_bool().ok_or_else(invalid)?,
            "orgUnitPath" => {
                let p = v
                    .as_str()
                    .filter(|p| p.starts_with('/'))
                    .ok_or_else(|| ApiError::invalid("Invalid Input: INVALID_OU_ID"))?;
                u.org_unit_path = p.to_string();
            }
            "recoveryEmail" | "recoveryPhone" => {
                let s = match v {
                    Value::Null => None,
                    Value::String(s) if s.is_empty() => None,
                    Value::String(s) => Some(s.clone()),
                    _ => return Err(invalid()),
                };
                if k == "recoveryEmail" {
                    u.recovery_email = s;
                } else {
                    u.recovery_phone = s;
                }
            }
            _ => {
                u.extra.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(())
}

/// One term of a `users.list` or `groups.list` query.
pub(crate) struct Term {
    pub field: String,
    value: String,
    /// A trailing `*`: a prefix match.
    prefix: bool,
}

impl Term {
    /// Whether a value of the term's field matches (case-insensitive; a prefix when the
    /// term ends in `*`).
    pub fn matches_value(&self, have: &str) -> bool {
        let (have, want) = (have.to_lowercase(), self.value.to_lowercase());
        if self.prefix {
            have.starts_with(&want)
        } else {
            have == want
        }
    }

    fn matches(&self, u: &GoogleUser) -> bool {
        let eq = |have: &str| self.matches_value(have);
        match self.field.as_str() {
            "email" => eq(&u.primary_email) || u.aliases.iter().any(|a| eq(a)),
            "givenname" => eq(&u.given_name),
            "familyname" => eq(&u.family_name),
            "name" => eq(&format!("{} {}", u.given_name, u.family_name)),
            "issuspended" => eq(if u.suspended { "true" } else { "false" }),
            "isadmin" => eq(if u.is_admin { "true" } else { "false" }),
            "orgunitpath" => eq(&u.org_unit_path),
            _ => false,
        }
    }
}

/// The fields a `users.list` query may name (lower case).
const USER_FIELDS: [&str; 7] = [
    "email",
    "givenname",
    "familyname",
    "name",
    "issuspended",
    "isadmin",
    "orgunitpath",
];

/// `email:a@b.c isSuspended=false givenName:'Ada'`: terms separated by spaces, all of
/// which must match; a field not in `known` (lower case) is 400 "Invalid Input".
pub(crate) fn parse_query(query: &str, known: &[&str]) -> Result<Vec<Term>, ApiError> {
    let invalid = || ApiError::invalid("Invalid Input");
    let mut terms = Vec::new();
    let mut rest = query.trim();
    while !rest.is_empty() {
        let op = rest.find([':', '=']).ok_or_else(invalid)?;
        let field = rest[..op].trim().to_ascii_lowercase();
        let after = &rest[op + 1..];
        let (value, tail) = match after.chars().next() {
            Some(q @ ('\'' | '"')) => {
                let end = after[1..].find(q).ok_or_else(invalid)? + 1;
                (&after[1..end], &after[end + 1..])
            }
            _ => {
                let end = after.find(' ').unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        if !known.contains(&field.as_str()) {
            return Err(invalid());
        }
        let prefix = value.ends_with('*');
        terms.push(Term {
            field,
            value: value.trim_end_matches('*').to_string(),
            prefix,
        });
        rest = tail.trim_start();
    }
    Ok(terms)
}
