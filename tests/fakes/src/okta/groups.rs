//! `/api/v1/groups` and a user's groups: listing, members added and removed.

use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::errors::OktaError;
use super::query::{Expr, limit, page, param};
use super::routes::Shr;
use super::{OktaGroup, users};
use crate::ids::origin;

type Pairs = Query<Vec<(String, String)>>;

/// The largest (and default) `limit` of `GET /groups`.
const MAX_LIMIT: usize = 10_000;

fn attribute(g: &OktaGroup, name: &str) -> Option<String> {
    match name {
        "id" => Some(g.id.clone()),
        "type" => Some(g.kind.clone()),
        "profile.name" => Some(g.name.clone()),
        "profile.description" => g.description.clone(),
        _ => None,
    }
}

fn is_member(g: &OktaGroup, uid: &str) -> bool {
    g.kind == "BUILT_IN" || g.members.iter().any(|m| m == uid)
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
    let mut exprs = Vec::new();
    for name in ["search", "filter"] {
        if let Some(text) = param(&q, name) {
            match Expr::parse(text) {
                Some(e) => exprs.push(e),
                None => {
                    return OktaError::new(
                        StatusCode::BAD_REQUEST,
                        "E0000031",
                        format!("Invalid search criteria. ({name}: {text})"),
                    )
                    .into_response();
                }
            }
        }
    }
    let prefix = param(&q, "q").map(str::to_lowercase);
    let origin = origin(&headers);
    let items = s
        .state()
        .groups
        .values()
        .filter(|g| exprs.iter().all(|e| e.matches(|a| attribute(g, a))))
        .filter(|g| {
            prefix
                .as_deref()
                .is_none_or(|p| g.name.to_lowercase().starts_with(p))
        })
        .map(|g| (g.id.clone(), g.render(&origin)))
        .collect();
    page(&headers, "/api/v1/groups", &q, items, limit)
}

pub(crate) async fn get(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    Path(gid): Path<String>,
) -> Response {
    let st = s.state();
    match st.groups.values().find(|g| g.id == gid) {
        Some(g) => axum::Json(g.render(&origin(&headers))).into_response(),
        None => OktaError::not_found(&gid, "UserGroup").into_response(),
    }
}

pub(crate) async fn members(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    Path(gid): Path<String>,
    Query(q): Pairs,
) -> Response {
    let limit = match limit(&q, 1000, 1000) {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    let st = s.state();
    let Some(g) = st.groups.values().find(|g| g.id == gid) else {
        return OktaError::not_found(&gid, "UserGroup").into_response();
    };
    let origin = origin(&headers);
    let items: Vec<(String, Value)> = st
        .users
        .values()
        .filter(|u| is_member(g, &u.id))
        .map(|u| (u.id.clone(), u.render(&origin)))
        .collect();
    page(
        &headers,
        &format!("/api/v1/groups/{gid}/users"),
        &q,
        items,
        limit,
    )
}

pub(crate) async fn of_user(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Pairs,
) -> Response {
    let limit = match limit(&q, users::MAX_LIMIT, MAX_LIMIT) {
        Ok(l) => l,
        Err(e) => return e.into_response(),
    };
    let st = s.state();
    let Some(u) = st.user(&id) else {
        return OktaError::not_found(&id, "User").into_response();
    };
    let origin = origin(&headers);
    let items: Vec<(String, Value)> = st
        .groups
        .values()
        .filter(|g| is_member(g, &u.id))
        .map(|g| (g.id.clone(), g.render(&origin)))
        .collect();
    page(
        &headers,
        &format!("/api/v1/users/{id}/groups"),
        &q,
        items,
        limit,
    )
}

pub(crate) async fn add_member(
    AxState(s): AxState<Shr>,
    Path((gid, uid)): Path<(String, String)>,
) -> Response {
    let mut st = s.state();
    let Some(user_id) = st.user(&uid).map(|u| u.id.clone()) else {
        return OktaError::not_found(&uid, "User").into_response();
    };
    let Some(g) = st.group_mut(&gid) else {
        return OktaError::not_found(&gid, "UserGroup").into_response();
    };
    if g.kind != "OKTA_GROUP" {
        return OktaError::validation(
            "group",
            &[format!(
                "Cannot modify the members of a group of type {}",
                g.kind
            )],
        )
        .into_response();
    }
    if !g.members.contains(&user_id) {
        g.members.push(user_id);
    }
    StatusCode::NO_CONTENT.into_response()
}

pub(crate) async fn remove_member(
    AxState(s): AxState<Shr>,
    Path((gid, uid)): Path<(String, String)>,
) -> Response {
    let mut st = s.state();
    let user_id = st.user(&uid).map(|u| u.id.clone()).unwrap_or(uid);
    let Some(g) = st.group_mut(&gid) else {
        return OktaError::not_found(&gid, "UserGroup").into_response();
    };
    if g.kind != "OKTA_GROUP" {
        return OktaError::validation(
            "group",
            &[format!(
                "Cannot modify the members of a group of type {}",
                g.kind
            )],
        )
        .into_response();
    }
    g.members.retain(|m| *m != user_id);
    StatusCode::NO_CONTENT.into_response()
}
