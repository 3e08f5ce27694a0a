//! `groups` and `members`: list and get groups; list, get, insert and delete members.

use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::errors::ApiError;
use super::routes::{
    Pairs, Shr, authorize, check_customer, etag, json_response, list_body, max_results, object,
    page_after, param,
};
use super::scopes;
use super::state::State;
use super::users::parse_query;
use super::{GoogleGroup, GoogleMember};

/// The default and largest `maxResults` of group and member lists.
const MAX_RESULTS: usize = 200;

fn render_group(g: &GoogleGroup) -> Value {
    json!({
        "kind": "admin#directory#group",
        "id": g.id,
        "etag": etag(&g.id),
        "email": g.email,
        "name": g.name,
        "directMembersCount": g.members.len().to_string(),
        "description": g.description,
        "adminCreated": true,
    })
}

fn render_member(m: &GoogleMember) -> Value {
    json!({
        "kind": "admin#directory#member",
        "etag": etag(&m.id),
        "id": m.id,
        "email": m.email,
        "role": m.role,
        "type": m.member_type,
        "status": "ACTIVE",
    })
}

fn group_key(st: &State, key: &str) -> Result<String, ApiError> {
    st.group_key(key)
        .ok_or_else(|| ApiError::not_found("groupKey"))
}

/// `GET /groups`: the customer's groups, or with `userKey` a user's.
pub(crate) async fn list(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    Query(q): Pairs,
) -> Result<Response, ApiError> {
    authorize(&s, &headers, scopes::GROUPS_READ, "directory.groups.list")?;
    let st = s.state();
    let member_id = match param(&q, "userKey") {
        Some(k) => Some(
            st.user(k)
                .map(|u| u.id.clone())
                .ok_or_else(|| ApiError::not_found("userKey"))?,
        ),
        None => {
            check_customer(&st, &q)?;
            None
        }
    };
    // `query`: `email:` and `name:` terms (`*` for a prefix), with the customer only.
    let terms = match param(&q, "query") {
        Some(query) if member_id.is_none() => parse_query(query, &["email", "name"])?,
        Some(_) => return Err(ApiError::invalid("Invalid Input")),
        None => Vec::new(),
    };
    let max = max_results(&q, MAX_RESULTS, MAX_RESULTS)?;
    let list = "groups";
    let after = page_after(&q, list)?;
    let mut matching = st
        .groups
        .iter()
        .filter(|(k, _)| after.as_ref().is_none_or(|a| k.as_str() > a.as_str()))
        .filter(|(_, g)| {
            member_id
                .as_ref()
                .is_none_or(|id| g.members.iter().any(|m| m.id == *id))
        })
        .filter(|(_, g)| {
            terms.iter().all(|t| match t.field.as_str() {
                "email" => t.matches_value(&g.email),
                _ => t.matches_value(&g.name),
            })
        });
    let page: Vec<(&String, &GoogleGroup)> = matching.by_ref().take(max).collect();
    let more = matching.next().is_some();
    let next = if more {
        page.last().map(|(k, _)| (*k).clone())
    } else {
        None
    };
    let items = page.iter().map(|(_, g)| render_group(g)).collect();
    Ok(list_body(
        "admin#directory#groups",
        "groups",
        items,
        list,
        next,
    ))
}

/// `GET /groups/{groupKey}`.
pub(crate) async fn get(
    AxState(s): AxState<Shr>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(&s, &headers, scopes::GROUPS_READ, "directory.groups.get")?;
    let st = s.state();
    let g = &st.groups[&group_key(&st, &key)?];
    Ok(json_response(StatusCode::OK, render_group(g)))
}

/// `GET /groups/{groupKey}/members`, in the order members were added.
pub(crate) async fn members(
    AxState(s): AxState<Shr>,
    Path(key): Path<String>,
    headers: HeaderMap,
    Query(q): Pairs,
) -> Result<Response, ApiError> {
    authorize(&s, &headers, scopes::MEMBERS_READ, "directory.members.list")?;
    let st = s.state();
    let g = &st.groups[&group_key(&st, &key)?];
    let max = max_results(&q, MAX_RESULTS, MAX_RESULTS)?;
    let roles: Option<Vec<String>> = param(&q, "roles").map(|r| {
        r.split(',')
            .map(|x| x.trim().to_ascii_uppercase())
            .collect()
    });
    let list = format!("members:{}", g.id);
    let after: usize = match page_after(&q, &list)? {
        Some(p) => p
            .parse()
            .map_err(|_| ApiError::invalid("Invalid Input: pageToken"))?,
        None => 0,
    };
    let mut matching = g
        .members
        .iter()
        .enumerate()
        .skip(after)
        .filter(|(_, m)| roles.as_ref().is_none_or(|r| r.contains(&m.role)));
    let page: Vec<(usize, &GoogleMember)> = matching.by_ref().take(max).collect();
    let more = matching.next().is_some();
    let next = if more {
        page.last().map(|(i, _)| (i + 1).to_string())
    } else {
        None
    };
    let items = page.iter().map(|(_, m)| render_member(m)).collect();
    Ok(list_body(
        "admin#directory#members",
        "members",
        items,
        &list,
        next,
    ))
}

fn member_index(g: &GoogleGroup, key: &str) -> Option<usize> {
    g.members
        .iter()
        .position(|m| m.id == key || m.email.eq_ignore_ascii_case(key))
}

/// `GET /groups/{groupKey}/members/{memberKey}`.
pub(crate) async fn get_member(
    AxState(s): AxState<Shr>,
    Path((key, member)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(&s, &headers, scopes::MEMBERS_READ, "directory.members.get")?;
    let st = s.state();
    let g = &st.groups[&group_key(&st, &key)?];
    let i = member_index(g, &member).ok_or_else(|| ApiError::not_found("memberKey"))?;
    Ok(json_response(StatusCode::OK, render_member(&g.members[i])))
}

/// `GET /groups/{groupKey}/hasMember/{memberKey}`.
pub(crate) async fn has_member(
    AxState(s): AxState<Shr>,
    Path((key, member)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(
        &s,
        &headers,
        scopes::MEMBERS_READ,
        "directory.members.hasMember",
    )?;
    let st = s.state();
    let g = &st.groups[&group_key(&st, &key)?];
    let is_member = member_index(g, &member).is_some();
    Ok(json_response(
        StatusCode::OK,
        json!({ "isMember": is_member }),
    ))
}

/// `POST /groups/{groupKey}/members` `{email | id, role}` → 200 with the member.
pub(crate) async fn insert_member(
    AxState(s): AxState<Shr>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    authorize(
        &s,
        &headers,
        scopes::MEMBERS_WRITE,
        "directory.members.insert",
    )?;
    let body = object(&body)?;
    let role = match body.get("role") {
        None | Some(Value::Null) => "MEMBER".to_string(),
        Some(r) => r
            .as_str()
            .map(str::to_ascii_uppercase)
            .filter(|r| ["OWNER", "MANAGER", "MEMBER"].contains(&r.as_str()))
            .ok_or_else(|| ApiError::invalid("Invalid Input: role"))?,
    };
    let email = body.get("email").and_then(Value::as_str);
    let id = body.get("id").and_then(Value::as_str);
    let mut st = s.state();
    let gk = group_key(&st, &key)?;
    let member = match (id, email) {
        (Some(id), _) => {
            let u = st
                .user(id)
                .ok_or_else(|| ApiError::not_found("memberKey"))?;
            GoogleMember {
                id: u.id.clone(),
                email: u.primary_email.clone(),
                role,
                member_type: "USER".into(),
            }
        }
        (None, Some(email)) => match st.user(email) {
            Some(u) => GoogleMember {
                id: u.id.clone(),
                email: u.primary_email.clone(),
                role,
                member_type: "USER".into(),
            },
            None => GoogleMember {
                id: st.numeric_id(),
                email: email.to_string(),
                role,
                member_type: if st.owns(email) { "USER" } else { "EXTERNAL" }.into(),
            },
        },
        (None, None) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "required",
                "Missing required field: member",
            ));
        }
    };
    let g = st.groups.get_mut(&gk).expect("group");
    if g.members
        .iter()
        .any(|m| m.id == member.id || m.email.eq_ignore_ascii_case(&member.email))
    {
        return Err(ApiError::duplicate("Member already exists."));
    }
    let v = render_member(&member);
    g.members.push(member);
    Ok(json_response(StatusCode::OK, v))
}

/// `DELETE /groups/{groupKey}/members/{memberKey}` → 204.
pub(crate) async fn delete_member(
    AxState(s): AxState<Shr>,
    Path((key, member)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(
        &s,
        &headers,
        scopes::MEMBERS_WRITE,
        "directory.members.delete",
    )?;
    let mut st = s.state();
    let gk = group_key(&st, &key)?;
    let g = st.groups.get_mut(&gk).expect("group");
    let i = member_index(g, &member).ok_or_else(|| ApiError::not_found("memberKey"))?;
    g.members.remove(i);
    Ok(StatusCode::NO_CONTENT.into_response())
}
