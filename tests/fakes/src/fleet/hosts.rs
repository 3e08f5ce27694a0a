//! The host reads: `GET /hosts` (paged, searched), `GET /hosts/{id}`,
//! `GET /hosts/identifier/{identifier}` and `GET /hosts/{id}/device_mapping`.

use std::collections::HashMap;
use std::time::Instant;

use axum::Json;
use axum::extract::{Path, Query, State as AxState};
use axum::http::HeaderMap;
use serde_json::{Value, json};

use super::errors::FleetError;
use super::routes::Shr;
use super::state::Host;
use crate::ids::origin;

/// `per_page` when the client names none (assumed; Fleet's docs give no default).
pub const DEFAULT_PER_PAGE: usize = 100;

/// The `mdm` object of the list: enrollment only.
fn mdm_summary(h: &Host, origin: &str) -> Value {
    if !h.spec.mdm {
        return json!({
            "encryption_key_available": false,
            "enrollment_status": null,
            "name": "",
            "server_url": null,
            "connected_to_fleet": false,
        });
    }
    // Macs come through Apple Business Manager (automatic), the rest enroll by hand.
    let how = if h.is_mac() { "automatic" } else { "manual" };
    json!({
        "encryption_key_available": false,
        "enrollment_status": format!("On ({how})"),
        "name": "Fleet",
        "server_url": format!("{origin}/mdm/apple/mdm"),
        "connected_to_fleet": true,
    })
}

/// The owner's email as a device-mapping entry, if the host has an owner.
fn device_mapping(h: &Host) -> Vec<Value> {
    h.spec
        .owner_email
        .iter()
        .map(|e| json!({"email": e, "source": "mdm_idp_accounts"}))
        .collect()
}

/// A host as `GET /hosts` lists it; `with_mapping`: `device_mapping=true` was asked.
fn summary(h: &Host, origin: &str, with_mapping: bool) -> Value {
    let mut v = json!({
        "id": h.id,
        "uuid": h.uuid,
        "hostname": h.spec.hostname,
        "computer_name": h.spec.hostname,
        "display_name": h.spec.hostname,
        "display_text": h.spec.hostname,
        "hardware_serial": h.spec.serial,
        "hardware_model": h.spec.model,
        "hardware_vendor": if h.is_mac() { "Apple Inc." } else { "" },
        "platform": h.spec.platform,
        "status": "online",
        "team_id": null,
        "team_name": null,
        "mdm": mdm_summary(h, origin),
    });
    if with_mapping {
        let m = device_mapping(h);
        v["device_mapping"] = if m.is_empty() { Value::Null } else { json!(m) };
    }
    v
}

/// A host as the single-host endpoints show it: the summary plus `end_users` and the
/// lock/wipe state (`mdm.device_status`, `mdm.pending_action`).
fn detail(h: &Host, origin: &str) -> Value {
    let mut v = summary(h, origin, false);
    v["end_users"] = json!(
        h.spec
            .owner_email
            .iter()
            .map(|e| json!({
                "idp_id": format!("idp-{}", h.id),
                "idp_username": e,
                "idp_full_name": "",
                "idp_groups": [],
                "other_emails": [],
            }))
            .collect::<Vec<_>>()
    );
    v["mdm"]["device_status"] = json!(h.device_status);
    v["mdm"]["pending_action"] = json!(h.pending_action());
    v
}

fn number(q: &HashMap<String, String>, key: &str) -> Result<Option<usize>, FleetError> {
    q.get(key)
        .map(|v| {
            v.trim()
                .parse::<usize>()
                .map_err(|_| FleetError::bad_request(format!("invalid {key} value: {v}")))
        })
        .transpose()
}

/// Whether `query` (lower-case) occurs in the host's hostname, serial number, UUID or
/// owner's email.
fn matches(h: &Host, query: &str) -> bool {
    let fields = [&h.spec.hostname, &h.spec.serial, &h.uuid];
    fields
        .into_iter()
        .chain(h.spec.owner_email.as_ref())
        .any(|f| f.to_lowercase().contains(query))
}

/// `GET /hosts?page=&per_page=&query=&device_mapping=`: `{"hosts": [...]}`, in id
/// order; `page` counts from 0.
pub(crate) async fn list(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, FleetError> {
    let page = number(&q, "page")?.unwrap_or(0);
    let per_page = number(&q, "per_page")?.unwrap_or(DEFAULT_PER_PAGE).max(1);
    let query = q.get("query").map(|v| v.trim().to_lowercase());
    let with_mapping = q.get("device_mapping").is_some_and(|v| v == "true");
    let origin = origin(&headers);
    let mut st = s.state();
    st.settle(Instant::now());
    let hosts: Vec<Value> = st
        .hosts
        .values()
        .filter(|h| {
            query
                .as_deref()
                .is_none_or(|q| q.is_empty() || matches(h, q))
        })
        .skip(page.saturating_mul(per_page))
        .take(per_page)
        .map(|h| summary(h, &origin, with_mapping))
        .collect();
    Ok(Json(json!({ "hosts": hosts })))
}

fn not_found() -> FleetError {
    FleetError::not_found("Host was not found in the datastore")
}

/// `GET /hosts/{id}`: `{"host": {...}}`.
pub(crate) async fn get(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, FleetError> {
    let id: u64 = id
        .parse()
        .map_err(|_| FleetError::bad_request(format!("invalid host id: {id}")))?;
    let mut st = s.state();
    st.settle(Instant::now());
    let h = st.hosts.get(&id).ok_or_else(not_found)?;
    Ok(Json(json!({ "host": detail(h, &origin(&headers)) })))
}

/// `GET /hosts/identifier/{identifier}`: by serial number, UUID or hostname (not by id),
/// `{"host": {...}}` as `GET /hosts/{id}` answers.
pub(crate) async fn by_identifier(
    AxState(s): AxState<Shr>,
    headers: HeaderMap,
    Path(identifier): Path<String>,
) -> Result<Json<Value>, FleetError> {
    let mut st = s.state();
    st.settle(Instant::now());
    let h = st
        .hosts
        .values()
        .find(|h| {
            [&h.spec.serial, &h.uuid, &h.spec.hostname]
                .iter()
                .any(|v| v.eq_ignore_ascii_case(&identifier))
        })
        .ok_or_else(not_found)?;
    Ok(Json(json!({ "host": detail(h, &origin(&headers)) })))
}

/// `GET /hosts/{id}/device_mapping`: `{"host_id", "device_mapping": [{email, source}]}`.
pub(crate) async fn mapping(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
) -> Result<Json<Value>, FleetError> {
    let id: u64 = id
        .parse()
        .map_err(|_| FleetError::bad_request(format!("invalid host id: {id}")))?;
    let st = s.state();
    let h = st.hosts.get(&id).ok_or_else(not_found)?;
    Ok(Json(
        json!({ "host_id": h.id, "device_mapping": device_mapping(h) }),
    ))
}
