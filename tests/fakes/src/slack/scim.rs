//! Slack's SCIM v2 Users API under `/scim/v2/`.

use axum::Json;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{FakeSlack, SlackUser};

const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const MAX_COUNT: usize = 1000;
const DEFAULT_COUNT: usize = 100;

fn error(status: StatusCode, description: &str) -> Response {
    (
        status,
        Json(json!({"Errors": {"description": description, "code": status.as_u16()}})),
    )
        .into_response()
}

fn scim_json(status: StatusCode, body: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/scim+json")],
        body.to_string(),
    )
        .into_response()
}

/// The admin token and the plan's SCIM, checked before anything else.
fn authorize(fake: &FakeSlack, headers: &HeaderMap) -> Result<(), (StatusCode, &'static str)> {
    let s = fake.lock();
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if token != Some(s.scim_token.as_str()) {
        return Err((StatusCode::UNAUTHORIZED, "invalid_authentication"));
    }
    if !s.scim_plan {
        return Err((
            StatusCode::FORBIDDEN,
            "scim_not_enabled: the SCIM API is available on the Business+ and Enterprise Grid plans",
        ));
    }
    Ok(())
}

pub(crate) fn user_json(u: &SlackUser) -> Value {
    json!({
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "id": u.id,
        "externalId": "",
        "meta": {"created": "2025-01-01T00:00:00-00:00", "location": format!("https://api.slack.com/scim/v2/Users/{}", u.id)},
        "userName": u.user_name,
        "nickName": u.user_name,
        "name": {"givenName": u.given_name, "familyName": u.family_name},
        "displayName": u.display_name,
        "title": u.title,
        "emails": [{"value": u.email, "primary": true}],
        "active": u.active,
        "groups": [],
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ListQuery {
    start_index: Option<usize>,
    count: Option<usize>,
    filter: Option<String>,
}

/// `attr eq "value"` → (attr, value); the value is a JSON string literal.
fn parse_filter(f: &str) -> Option<(String, String)> {
    let (attr, rest) = f.trim().split_once(' ')?;
    let (op, value) = rest.trim().split_once(' ')?;
    if !op.eq_ignore_ascii_case("eq") {
        return None;
    }
    let value: String = serde_json::from_str(value.trim()).ok()?;
    Some((attr.to_string(), value))
}

fn matches(u: &SlackUser, attr: &str, value: &str) -> bool {
    match attr.to_ascii_lowercase().as_str() {
        "username" => u.user_name.eq_ignore_ascii_case(value),
        "email" | "emails" | "emails.value" => u.email.eq_ignore_ascii_case(value),
        "id" => u.id == value,
        _ => false,
    }
}

/// `GET /scim/v2/Users`.
pub(crate) async fn list(
    AxState(fake): AxState<FakeSlack>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    if let Err((status, why)) = authorize(&fake, &headers) {
        return error(status, why);
    }
    let s = fake.lock();
    let filter = match q.filter.as_deref().map(parse_filter) {
        Some(None) => return error(StatusCode::BAD_REQUEST, "invalid_filter"),
        Some(Some(f)) => Some(f),
        None => None,
    };
    let all: Vec<&SlackUser> = s
        .users
        .iter()
        .filter(|u| filter.as_ref().is_none_or(|(a, v)| matches(u, a, v)))
        .collect();
    let start = q.start_index.unwrap_or(1).max(1);
    let count = q.count.unwrap_or(DEFAULT_COUNT).min(MAX_COUNT);
    let items: Vec<Value> = all
        .iter()
        .skip(start - 1)
        .take(count)
        .map(|u| user_json(u))
        .collect();
    scim_json(
        StatusCode::OK,
        json!({"schemas": [LIST_SCHEMA], "totalResults": all.len(), "itemsPerPage": items.len(),
            "startIndex": start, "Resources": items}),
    )
}

/// Answers a call on the member `id`: 401/403 when the token or plan does not allow it,
/// 404 `user_not_found` when there is no such member, else what `f` makes of the member.
fn with_user(
    fake: &FakeSlack,
    headers: &HeaderMap,
    id: &str,
    f: impl FnOnce(&mut SlackUser) -> Response,
) -> Response {
    if let Err((status, why)) = authorize(fake, headers) {
        return error(status, why);
    }
    let mut s = fake.lock();
    match s.users.iter_mut().find(|u| u.id == id) {
        Some(u) => f(u),
        None => error(StatusCode::NOT_FOUND, "user_not_found"),
    }
}

/// `GET /scim/v2/Users/{id}`.
pub(crate) async fn read(
    AxState(fake): AxState<FakeSlack>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    with_user(&fake, &headers, &id, |u| {
        scim_json(StatusCode::OK, user_json(u))
    })
}

/// Sets what a user body carries (names, display name, title, emails, active).
fn apply(u: &mut SlackUser, body: &Value) {
    let text = |p: &str| body.pointer(p).and_then(Value::as_str).map(str::to_string);
    if let Some(v) = text("/userName") {
        u.user_name = v;
    }
    if let Some(v) = text("/name/givenName") {
        u.given_name = v;
    }
    if let Some(v) = text("/name/familyName") {
        u.family_name = v;
    }
    if let Some(v) = text("/displayName") {
        u.display_name = v;
    }
    if let Some(v) = text("/title") {
        u.title = v;
    }
    if let Some(v) = body
        .get("emails")
        .and_then(Value::as_array)
        .and_then(|e| {
            e.iter()
                .find(|x| x.get("primary") == Some(&json!(true)))
                .or(e.first())
        })
        .and_then(|e| e.get("value"))
        .and_then(Value::as_str)
    {
        u.email = v.to_string();
    }
    if let Some(v) = body.get("active").and_then(Value::as_bool) {
        u.active = v;
    }
}

/// `POST /scim/v2/Users` → 201; a taken userName or email → 409.
pub(crate) async fn create(
    AxState(fake): AxState<FakeSlack>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    if let Err((status, why)) = authorize(&fake, &headers) {
        return error(status, why);
    }
    let mut s = fake.lock();
    let user_name = body.get("userName").and_then(Value::as_str).unwrap_or("");
    if user_name.is_empty() {
        return error(StatusCode::BAD_REQUEST, "missing_username");
    }
    let mut u = SlackUser {
        id: format!("U{:08}", s.next_id),
        user_name: String::new(),
        email: String::new(),
        given_name: String::new(),
        family_name: String::new(),
        display_name: String::new(),
        title: String::new(),
        active: true,
    };
    apply(&mut u, &body);
    if u.email.is_empty() {
        return error(StatusCode::BAD_REQUEST, "missing_email");
    }
    if s.users
        .iter()
        .any(|x| x.user_name.eq_ignore_ascii_case(&u.user_name))
    {
        return error(StatusCode::CONFLICT, "username_taken");
    }
    if s.users
        .iter()
        .any(|x| x.email.eq_ignore_ascii_case(&u.email))
    {
        return error(StatusCode::CONFLICT, "email_taken");
    }
    s.next_id += 1;
    let answer = user_json(&u);
    s.users.push(u);
    scim_json(StatusCode::CREATED, answer)
}

/// `PUT /scim/v2/Users/{id}`.
pub(crate) async fn replace(
    AxState(fake): AxState<FakeSlack>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    with_user(&fake, &headers, &id, |u| {
        apply(u, &body);
        scim_json(StatusCode::OK, user_json(u))
    })
}

/// `PATCH /scim/v2/Users/{id}` with `Operations` of `replace` (a `path` of `active`,
/// `title`, `displayName`, `name.givenName`, `name.familyName`, or a value object).
pub(crate) async fn patch(
    AxState(fake): AxState<FakeSlack>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    with_user(&fake, &headers, &id, |u| apply_operations(u, &body))
}

/// Applies a PATCH body's `Operations` to a member and answers with the member.
fn apply_operations(u: &mut SlackUser, body: &Value) -> Response {
    let Some(ops) = body.get("Operations").and_then(Value::as_array) else {
        return error(StatusCode::BAD_REQUEST, "invalid_operations");
    };
    for op in ops {
        let kind = op
            .get("op")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase();
        if kind != "replace" && kind != "add" {
            return error(StatusCode::BAD_REQUEST, "unsupported_operation");
        }
        let value = op.get("value").cloned().unwrap_or(Value::Null);
        let patch = match op.get("path").and_then(Value::as_str) {
            None => value,
            Some(path) => {
                let mut obj = json!({});
                match path.split_once('.') {
                    Some((outer, inner)) => obj[outer] = json!({inner: value}),
                    None => obj[path] = value,
                }
                obj
            }
        };
        apply(u, &patch);
    }
    scim_json(StatusCode::OK, user_json(u))
}

/// `DELETE /scim/v2/Users/{id}`: deactivates the member → 204.
pub(crate) async fn deactivate(
    AxState(fake): AxState<FakeSlack>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    with_user(&fake, &headers, &id, |u| {
        u.active = false;
        StatusCode::NO_CONTENT.into_response()
    })
}
