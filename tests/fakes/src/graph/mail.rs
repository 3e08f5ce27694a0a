//! The mailbox settings offboarding touches: inbox rules (forwarding) and automatic
//! replies. Exchange answers these only for a user with a mailbox.

use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::errors::GraphError;
use super::query::base;
use super::render;
use super::routes::{Shr, entity, find_user_mut, object};
use super::state::State;
use super::{GraphMessageRule, GraphUser};

fn mailbox<'a>(st: &'a mut State, id: &str) -> Result<&'a mut GraphUser, GraphError> {
    let u = find_user_mut(st, id)?;
    if !u.has_mailbox() {
        return Err(GraphError::new(
            StatusCode::NOT_FOUND,
            "MailboxNotEnabledForRESTAPI",
            "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
        ));
    }
    Ok(u)
}

/// Only the inbox (Graph's well-known name, any case) holds rules.
fn inbox(folder: &str) -> Result<(), GraphError> {
    if folder.eq_ignore_ascii_case("inbox") {
        Ok(())
    } else {
        Err(GraphError::new(
            StatusCode::NOT_FOUND,
            "ErrorItemNotFound",
            "The specified object was not found in the store.",
        ))
    }
}

fn rules_context(headers: &HeaderMap, user_id: &str) -> String {
    format!(
        "{}/$metadata#users('{user_id}')/mailFolders('inbox')/messageRules",
        base(headers)
    )
}

/// `GET /users/{id}/mailFolders/inbox/messageRules`.
pub(crate) async fn list_rules(
    AxState(s): AxState<Shr>,
    Path((id, folder)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, GraphError> {
    inbox(&folder)?;
    let mut st = s.state();
    let u = mailbox(&mut st, &id)?;
    let value: Vec<Value> = u.message_rules.iter().map(render::message_rule).collect();
    Ok(axum::Json(json!({
        "@odata.context": rules_context(&headers, &u.id),
        "value": value,
    }))
    .into_response())
}

/// `GET /users/{id}/mailFolders/inbox/messageRules/{ruleId}`.
pub(crate) async fn get_rule(
    AxState(s): AxState<Shr>,
    Path((id, folder, rule)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, GraphError> {
    inbox(&folder)?;
    let mut st = s.state();
    let u = mailbox(&mut st, &id)?;
    let r = u
        .message_rules
        .iter()
        .find(|r| r.id == rule)
        .ok_or_else(rule_not_found)?;
    let mut v = render::message_rule(r);
    v["@odata.context"] = json!(format!("{}/$entity", rules_context(&headers, &u.id)));
    Ok(axum::Json(v).into_response())
}

fn rule_not_found() -> GraphError {
    GraphError::new(
        StatusCode::NOT_FOUND,
        "ErrorItemNotFound",
        "The specified object was not found in the store.",
    )
}

/// `POST /users/{id}/mailFolders/inbox/messageRules` → 201 with the rule.
pub(crate) async fn create_rule(
    AxState(s): AxState<Shr>,
    Path((id, folder)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, GraphError> {
    inbox(&folder)?;
    let body = object(&body)?;
    let invalid = |p: &str| {
        GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidRequest",
            format!("The request is invalid: property '{p}'."),
        )
    };
    let display_name = body
        .get("displayName")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid("displayName"))?
        .to_string();
    let sequence = match body.get("sequence") {
        None | Some(Value::Null) => 1,
        Some(v) => v.as_i64().ok_or_else(|| invalid("sequence"))?,
    };
    let is_enabled = match body.get("isEnabled") {
        None | Some(Value::Null) => true,
        Some(v) => v.as_bool().ok_or_else(|| invalid("isEnabled"))?,
    };
    let actions = body.get("actions").cloned().unwrap_or(json!({}));
    let mut forward_to = Vec::new();
    for key in ["forwardTo", "forwardAsAttachmentTo", "redirectTo"] {
        let Some(list) = actions.get(key).filter(|v| !v.is_null()) else {
            continue;
        };
        let list = list.as_array().ok_or_else(|| invalid(key))?;
        for r in list {
            let addr = r
                .pointer("/emailAddress/address")
                .and_then(Value::as_str)
                .ok_or_else(|| invalid(key))?;
            forward_to.push(addr.to_string());
        }
    }
    let mut st = s.state();
    mailbox(&mut st, &id)?;
    let rule = GraphMessageRule {
        id: st.next_rule_id(),
        display_name,
        sequence,
        is_enabled,
        forward_to,
        conditions: body.get("conditions").cloned().unwrap_or(json!({})),
        actions,
    };
    let v = render::message_rule(&rule);
    let u = mailbox(&mut st, &id)?;
    u.message_rules.push(rule);
    let uid = u.id.clone();
    let mut v = v;
    v["@odata.context"] = json!(format!("{}/$entity", rules_context(&headers, &uid)));
    Ok((StatusCode::CREATED, axum::Json(v)).into_response())
}

/// `DELETE /users/{id}/mailFolders/inbox/messageRules/{ruleId}` → 204.
pub(crate) async fn delete_rule(
    AxState(s): AxState<Shr>,
    Path((id, folder, rule)): Path<(String, String, String)>,
) -> Result<Response, GraphError> {
    inbox(&folder)?;
    let mut st = s.state();
    let u = mailbox(&mut st, &id)?;
    let before = u.message_rules.len();
    u.message_rules.retain(|r| r.id != rule);
    if u.message_rules.len() == before {
        return Err(rule_not_found());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /users/{id}/mailboxSettings`.
pub(crate) async fn get_settings(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, GraphError> {
    let mut st = s.state();
    let u = mailbox(&mut st, &id)?;
    let uid = u.id.clone();
    let v = Value::Object(u.mailbox_settings.clone());
    Ok(entity(
        StatusCode::OK,
        &headers,
        &format!("users('{uid}')/mailboxSettings"),
        v,
    ))
}

/// `PATCH /users/{id}/mailboxSettings` → 200 with what was set. Objects are merged
/// (so a PATCH of `automaticRepliesSetting.status` keeps the messages).
pub(crate) async fn patch_settings(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, GraphError> {
    let body = object(&body)?;
    if let Some(status) = body
        .get("automaticRepliesSetting")
        .and_then(|a| a.get("status"))
    {
        let ok = status
            .as_str()
            .is_some_and(|s| ["disabled", "alwaysEnabled", "scheduled"].contains(&s));
        if !ok {
            return Err(GraphError::new(
                StatusCode::BAD_REQUEST,
                "RequestBodyRead",
                "Cannot convert the literal to the expected type 'microsoft.graph.automaticRepliesStatus'.",
            ));
        }
    }
    let mut st = s.state();
    let u = mailbox(&mut st, &id)?;
    let mut answered = Map::new();
    for (k, v) in body {
        if k.starts_with("@odata.") {
            continue;
        }
        merge(
            u.mailbox_settings.entry(k.clone()).or_insert(Value::Null),
            &v,
        );
        answered.insert(k.clone(), u.mailbox_settings[&k].clone());
    }
    let uid = u.id.clone();
    Ok(entity(
        StatusCode::OK,
        &headers,
        &format!("users('{uid}')/mailboxSettings"),
        Value::Object(answered),
    ))
}

fn merge(into: &mut Value, patch: &Value) {
    match (into, patch) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                if k.starts_with("@odata.") {
                    continue;
                }
                merge(a.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (slot, v) => *slot = v.clone(),
    }
}
