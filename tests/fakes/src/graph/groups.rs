//! Groups and their members: `GET /groups`, `GET /groups/{id}`, `.../members`,
//! `.../members/$ref`, and a user's `memberOf`.

use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, Query, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::GraphGroup;
use super::errors::GraphError;
use super::query::{OData, list_body, page};
use super::render;
use super::routes::{Pairs, Shr, entity, find_user, object};
use super::state::State;

fn find_group(st: &State, id: &str) -> Result<u64, GraphError> {
    st.group_seq(id).ok_or_else(|| GraphError::not_found(id))
}

/// Graph changes the members of assigned security and Microsoft 365 groups only.
fn refuse_manual_members(g: &GraphGroup) -> Result<(), GraphError> {
    if g.is_dynamic() {
        return Err(GraphError::bad_request(
            "Cannot add or remove members of a group with dynamic membership: its members follow its membershipRule.",
        ));
    }
    if g.is_exchange_managed() {
        return Err(GraphError::bad_request(
            "Cannot Update a mail-enabled security groups and or distribution list.",
        ));
    }
    Ok(())
}

fn typed(mut v: Value, odata_type: &str) -> Value {
    v["@odata.type"] = json!(odata_type);
    v
}

/// `GET /groups`.
pub(crate) async fn list(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Query(q): Pairs,
) -> Result<Response, GraphError> {
    let q = OData::new(q);
    let top = q.top()?;
    let after = q.after("groups")?;
    let filter = q.filter()?;
    let select = q.select();
    let st = s.state();
    let mut items = Vec::new();
    for (k, g) in &st.groups {
        if let Some(f) = &filter
            && !f.matches(&render::group_all(g), "Group")?
        {
            continue;
        }
        items.push((*k, render::group(g, select.as_deref())?));
    }
    let p = page(items.into_iter(), after, top);
    Ok(axum::Json(list_body(&q, &headers, uri.path(), "groups", "groups", p)).into_response())
}

/// `GET /groups/{id}`.
pub(crate) async fn get(
    AxState(s): AxState<Shr>,
    Path(gid): Path<String>,
    headers: HeaderMap,
    Query(q): Pairs,
) -> Result<Response, GraphError> {
    let q = OData::new(q);
    let st = s.state();
    let g = &st.groups[&find_group(&st, &gid)?];
    let v = render::group(g, q.select().as_deref())?;
    Ok(entity(StatusCode::OK, &headers, "groups/$entity", v))
}

/// `GET /groups/{id}/members`: users, in the order they were added.
pub(crate) async fn members(
    AxState(s): AxState<Shr>,
    Path(gid): Path<String>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Query(q): Pairs,
) -> Result<Response, GraphError> {
    let q = OData::new(q);
    let top = q.top()?;
    let list = format!("members:{gid}");
    let after = q.after(&list)?;
    let select = q.select();
    let st = s.state();
    let g = &st.groups[&find_group(&st, &gid)?];
    let mut items = Vec::new();
    for (i, uid) in g.members.iter().enumerate() {
        if let Some(u) = st.user(uid) {
            let v = render::user(u, select.as_deref())?;
            items.push((i as u64 + 1, typed(v, "#microsoft.graph.user")));
        }
    }
    let p = page(items.into_iter(), after, top);
    Ok(axum::Json(list_body(
        &q,
        &headers,
        uri.path(),
        &list,
        "directoryObjects",
        p,
    ))
    .into_response())
}

/// `GET /users/{id}/memberOf/{cast}`: the OData cast `microsoft.graph.group` (or
/// `graph.group`, the namespace's alias Microsoft's SDKs use) lists the same groups (the
/// fake's users are members of nothing else); another type has none, and a name that is
/// no type is 400.
pub(crate) async fn member_of_cast(
    s: AxState<Shr>,
    Path((id, cast)): Path<(String, String)>,
    headers: HeaderMap,
    uri: OriginalUri,
    q: Pairs,
) -> Result<Response, GraphError> {
    match cast.strip_prefix("microsoft.").unwrap_or(&cast) {
        "graph.group" => member_of(s, Path(id), headers, uri, q).await,
        "graph.directoryRole" | "graph.administrativeUnit" => {
            let OriginalUri(uri) = uri;
            let Query(q) = q;
            let q = OData::new(q);
            q.top()?;
            find_user(&s.0.state(), &id)?;
            let empty = page(std::iter::empty(), None, 1);
            Ok(axum::Json(list_body(
                &q,
                &headers,
                uri.path(),
                "memberOf",
                "directoryObjects",
                empty,
            ))
            .into_response())
        }
        other => Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            format!("Resource not found for the segment '{other}'."),
        )),
    }
}

/// `GET /users/{id}/memberOf`: the user's groups.
pub(crate) async fn member_of(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    OriginalUri(uri): OriginalUri,
    Query(q): Pairs,
) -> Result<Response, GraphError> {
    let q = OData::new(q);
    let top = q.top()?;
    let st = s.state();
    let uid = find_user(&st, &id)?.id.clone();
    let list = format!("memberOf:{uid}");
    let after = q.after(&list)?;
    let select = q.select();
    let mut items = Vec::new();
    for (k, g) in st.groups.iter().filter(|(_, g)| g.members.contains(&uid)) {
        let v = render::group(g, select.as_deref())?;
        items.push((*k, typed(v, "#microsoft.graph.group")));
    }
    let p = page(items.into_iter(), after, top);
    Ok(axum::Json(list_body(
        &q,
        &headers,
        uri.path(),
        &list,
        "directoryObjects",
        p,
    ))
    .into_response())
}

/// `POST /groups/{id}/members/$ref` `{"@odata.id": ".../directoryObjects/{userId}"}`.
pub(crate) async fn add_member(
    AxState(s): AxState<Shr>,
    Path(gid): Path<String>,
    body: Bytes,
) -> Result<Response, GraphError> {
    let body = object(&body)?;
    let reference = body
        .get("@odata.id")
        .and_then(Value::as_str)
        .ok_or_else(|| GraphError::bad_request("Invalid object identifier ''."))?;
    let uid = reference
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_string();
    let mut st = s.state();
    let g = find_group(&st, &gid)?;
    let uid = find_user(&st, &uid)?.id.clone();
    refuse_manual_members(&st.groups[&g])?;
    let members = &mut st.groups.get_mut(&g).expect("group").members;
    if members.contains(&uid) {
        return Err(GraphError::bad_request(
            "One or more added object references already exist for the following modified properties: 'members'.",
        ));
    }
    members.push(uid);
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `DELETE /groups/{id}/members/{userId}/$ref`.
pub(crate) async fn remove_member(
    AxState(s): AxState<Shr>,
    Path((gid, uid)): Path<(String, String)>,
) -> Result<Response, GraphError> {
    let mut st = s.state();
    let g = find_group(&st, &gid)?;
    refuse_manual_members(&st.groups[&g])?;
    let members = &mut st.groups.get_mut(&g).expect("group").members;
    let before = members.len();
    members.retain(|m| *m != uid);
    if members.len() == before {
        return Err(GraphError::not_found(&uid));
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
