//! The Data Transfer API: applications and transfers.

use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::errors::ApiError;
use super::routes::{
    Pairs, Shr, authorize, etag, json_response, list_body, max_results, object, page_after, param,
};
use super::scopes;
use super::users::timestamp;
use super::{
    CALENDAR_APPLICATION_ID, DRIVE_APPLICATION_ID, GoogleTransfer, GoogleTransferApplication,
};

/// `(id, name, [(param, allowed values)])`.
type Application = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static [&'static str])],
);

const APPLICATIONS: &[Application] = &[
    (
        DRIVE_APPLICATION_ID,
        "Drive and Docs",
        &[("PRIVACY_LEVEL", &["PRIVATE", "SHARED"])],
    ),
    (
        CALENDAR_APPLICATION_ID,
        "Calendar",
        &[("RELEASE_RESOURCES", &["TRUE"])],
    ),
];

fn render_application(a: &Application) -> Value {
    json!({
        "kind": "admin#datatransfer#ApplicationResource",
        "id": a.0,
        "etag": etag(a.0),
        "name": a.1,
        "transferParams": a.2.iter().map(|(k, v)| json!({ "key": k, "value": v })).collect::<Vec<_>>(),
    })
}

fn render_transfer(t: &GoogleTransfer) -> Value {
    json!({
        "kind": "admin#datatransfer#DataTransfer",
        "etag": etag(&t.id),
        "id": t.id,
        "oldOwnerUserId": t.old_owner_user_id,
        "newOwnerUserId": t.new_owner_user_id,
        "overallTransferStatusCode": t.status,
        "requestTime": t.request_time,
        "applicationDataTransfers": t.applications.iter().map(|a| json!({
            "applicationId": a.application_id,
            "applicationTransferParams": a.params.iter()
                .map(|(k, v)| json!({ "key": k, "value": v }))
                .collect::<Vec<_>>(),
            "applicationTransferStatus": if t.status == "completed" { "completed" } else { "pending" },
        })).collect::<Vec<_>>(),
    })
}

/// `GET /applications`.
pub(crate) async fn applications(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(
        &s,
        &headers,
        scopes::TRANSFERS_READ,
        "datatransfer.applications.list",
    )?;
    let items = APPLICATIONS.iter().map(render_application).collect();
    Ok(list_body(
        "admin#datatransfer#applicationsList",
        "applications",
        items,
        "applications",
        None,
    ))
}

/// `GET /applications/{applicationId}`.
pub(crate) async fn application(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(
        &s,
        &headers,
        scopes::TRANSFERS_READ,
        "datatransfer.applications.get",
    )?;
    let a = APPLICATIONS
        .iter()
        .find(|a| a.0 == id)
        .ok_or_else(|| ApiError::not_found("applicationId"))?;
    Ok(json_response(StatusCode::OK, render_application(a)))
}

/// `POST /transfers` → 200 with the transfer, `inProgress`.
pub(crate) async fn insert(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    authorize(
        &s,
        &headers,
        scopes::TRANSFERS_WRITE,
        "datatransfer.transfers.insert",
    )?;
    let body = object(&body)?;
    let mut st = s.state();
    let owner = |field: &str| -> Result<String, ApiError> {
        let id = body.get(field).and_then(Value::as_str).unwrap_or_default();
        // User *ids*: an email (or anything else) is not one.
        match st.users.values().find(|u| u.id == id) {
            Some(u) => Ok(u.id.clone()),
            None => Err(ApiError::invalid(format!(
                "Invalid value for {field}: {id:?}"
            ))),
        }
    };
    let old = owner("oldOwnerUserId")?;
    let new = owner("newOwnerUserId")?;
    if old == new {
        return Err(ApiError::invalid(
            "The old and new owner of a transfer must be different users.",
        ));
    }
    let requested = body
        .get("applicationDataTransfers")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| ApiError::invalid("Invalid value for applicationDataTransfers"))?;
    let mut applications = Vec::new();
    for r in requested {
        let app_id = match r.get("applicationId") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let app = APPLICATIONS
            .iter()
            .find(|a| a.0 == app_id)
            .ok_or_else(|| ApiError::invalid(format!("Invalid applicationId: {app_id:?}")))?;
        let mut params = Vec::new();
        for p in r
            .get("applicationTransferParams")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = p.get("key").and_then(Value::as_str).unwrap_or_default();
            let allowed = app
                .2
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| *v)
                .ok_or_else(|| ApiError::invalid(format!("Invalid transfer parameter: {key:?}")))?;
            let values: Vec<String> = p
                .get("value")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            if let Some(bad) = values.iter().find(|v| !allowed.contains(&v.as_str())) {
                return Err(ApiError::invalid(format!(
                    "Invalid value for transfer parameter {key}: {bad:?}"
                )));
            }
            params.push((key.to_string(), values));
        }
        applications.push(GoogleTransferApplication {
            application_id: app_id,
            params,
        });
    }
    let t = GoogleTransfer {
        id: st.opaque_id(36),
        old_owner_user_id: old,
        new_owner_user_id: new,
        applications,
        status: "inProgress".into(),
        request_time: timestamp(OffsetDateTime::now_utc()),
        polls: 0,
    };
    let v = render_transfer(&t);
    st.transfers.push((t, Instant::now()));
    Ok(json_response(StatusCode::OK, v))
}

/// `GET /transfers/{dataTransferId}`: each poll counts; the transfer completes on the
/// poll after the configured number of polls, once the configured delay has passed.
pub(crate) async fn get(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(
        &s,
        &headers,
        scopes::TRANSFERS_READ,
        "datatransfer.transfers.get",
    )?;
    let mut st = s.state();
    let (polls_needed, delay) = (st.transfer_polls, st.transfer_delay);
    let (t, at) = st
        .transfers
        .iter_mut()
        .find(|(t, _)| t.id == id)
        .ok_or_else(|| ApiError::not_found("dataTransferId"))?;
    t.polls += 1;
    if t.polls > polls_needed && at.elapsed() >= delay {
        t.status = "completed".into();
    }
    Ok(json_response(StatusCode::OK, render_transfer(t)))
}

/// `GET /transfers`, oldest first.
pub(crate) async fn list(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    Query(q): Pairs,
) -> Result<Response, ApiError> {
    authorize(
        &s,
        &headers,
        scopes::TRANSFERS_READ,
        "datatransfer.transfers.list",
    )?;
    let st = s.state();
    let max = max_results(&q, 100, 500)?;
    let list = "transfers";
    let after: usize = match page_after(&q, list)? {
        Some(p) => p
            .parse()
            .map_err(|_| ApiError::invalid("Invalid Input: pageToken"))?,
        None => 0,
    };
    let (old, new, status) = (
        param(&q, "oldOwnerUserId"),
        param(&q, "newOwnerUserId"),
        param(&q, "status"),
    );
    let mut matching = st
        .transfers
        .iter()
        .enumerate()
        .skip(after)
        .filter(|(_, (t, _))| old.is_none_or(|o| t.old_owner_user_id == o))
        .filter(|(_, (t, _))| new.is_none_or(|n| t.new_owner_user_id == n))
        .filter(|(_, (t, _))| status.is_none_or(|x| t.status == x));
    let page: Vec<_> = matching.by_ref().take(max).collect();
    let more = matching.next().is_some();
    let next = if more {
        page.last().map(|(i, _)| (i + 1).to_string())
    } else {
        None
    };
    let items = page.iter().map(|(_, (t, _))| render_transfer(t)).collect();
    Ok(list_body(
        "admin#datatransfer#dataTransfersList",
        "dataTransfers",
        items,
        list,
        next,
    ))
}
