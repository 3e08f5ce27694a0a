//! The MDM actions: `POST /hosts/{id}/lock`, `/unlock` and `/wipe`. Each is queued
//! until the device comes online ([`super::FakeFleet::complete_pending`], or by itself
//! with [`super::FakeFleet::with_auto_complete`]); a host takes one at a time.

use std::collections::HashMap;
use std::time::Instant;

use axum::Json;
use axum::extract::{Path, Query, State as AxState};
use serde_json::{Value, json};

use super::errors::FleetError;
use super::routes::Shr;
use super::state::{Action, Host, Pending, State};

/// Checks that apply to every action, in Fleet's order: the licence, the host, MDM,
/// then no action already queued. Returns the host.
fn admit<'a>(st: &'a mut State, id: &str, action: Action) -> Result<&'a mut Host, FleetError> {
    if !st.premium {
        return Err(FleetError::premium_required());
    }
    st.settle(Instant::now());
    let h = id
        .parse::<u64>()
        .ok()
        .and_then(|id| st.hosts.get_mut(&id))
        .ok_or_else(|| FleetError::not_found("Host was not found in the datastore"))?;
    let verb = action.as_str();
    if !h.spec.mdm {
        return Err(FleetError::invalid_host(format!(
            "Can't {verb} the host because it doesn't have MDM turned on."
        )));
    }
    if let Some(p) = h.pending {
        let queued = p.action.as_str();
        let why = match (p.action, action) {
            (Action::Lock, Action::Lock) => "The host will lock when it comes online.".into(),
            (Action::Wipe, _) => {
                format!("Cannot process {verb} requests once host is wiped.")
            }
            (queued_action, _) => format!(
                "Host cannot be {} until {} is complete.",
                past(action),
                queued_action.as_str()
            ),
        };
        return Err(FleetError::invalid_host(format!(
            "Host has pending {queued} request. {why}"
        )));
    }
    Ok(h)
}

/// "locked", "unlocked", "wiped".
fn past(action: Action) -> &'static str {
    match action {
        Action::Lock => "locked",
        Action::Unlock => "unlocked",
        Action::Wipe => "wiped",
    }
}

fn queue(h: &mut Host, action: Action) {
    h.pending = Some(Pending {
        action,
        sent: Instant::now(),
    });
}

/// `POST /hosts/{id}/lock[?view_pin=true]` → 200 `{"device_status", "pending_action":
/// "lock"}`, with `unlock_pin` for a Mac when `view_pin=true`. Already locked: 409.
pub(crate) async fn lock(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, FleetError> {
    let view_pin = q.get("view_pin").is_some_and(|v| v == "true");
    let mut st = s.state();
    let pin = st.pin();
    let h = admit(&mut st, &id, Action::Lock)?;
    match h.device_status {
        "locked" => return Err(FleetError::conflict("Host is already locked.")),
        "wiped" => {
            return Err(FleetError::invalid_host(
                "Host is wiped. Cannot process lock requests once host is wiped.",
            ));
        }
        _ => {}
    }
    queue(h, Action::Lock);
    h.lock_count += 1;
    let mut body = json!({"device_status": h.device_status, "pending_action": "lock"});
    if h.is_mac() {
        h.unlock_pin = Some(pin.clone());
        if view_pin {
            body["unlock_pin"] = json!(pin);
        }
    }
    Ok(Json(body))
}

/// `POST /hosts/{id}/unlock` → 200 `{"host_id", "device_status", "pending_action":
/// "unlock"}`, with the `unlock_pin` for a Mac (which is unlocked by typing it).
/// Not locked: 409.
pub(crate) async fn unlock(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
) -> Result<Json<Value>, FleetError> {
    let mut st = s.state();
    let h = admit(&mut st, &id, Action::Unlock)?;
    match h.device_status {
        "unlocked" => return Err(FleetError::conflict("Host is already unlocked.")),
        "wiped" => {
            return Err(FleetError::invalid_host(
                "Host is wiped. Cannot process unlock requests once host is wiped.",
            ));
        }
        _ => {}
    }
    queue(h, Action::Unlock);
    h.unlock_count += 1;
    let mut body = json!({
        "host_id": h.id,
        "device_status": h.device_status,
        "pending_action": "unlock",
    });
    if let Some(pin) = h.unlock_pin.as_ref().filter(|_| h.is_mac()) {
        body["unlock_pin"] = json!(pin);
    }
    Ok(Json(body))
}

/// `POST /hosts/{id}/wipe` → 200 `{"device_status", "pending_action": "wipe"}`.
/// Already wiped: 409; locked: 422 (unlock it first).
pub(crate) async fn wipe(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
) -> Result<Json<Value>, FleetError> {
    let mut st = s.state();
    let h = admit(&mut st, &id, Action::Wipe)?;
    match h.device_status {
        "wiped" => return Err(FleetError::conflict("Host is already wiped.")),
        "locked" => {
            return Err(FleetError::invalid_host(
                "Host cannot be wiped until it is unlocked.",
            ));
        }
        _ => {}
    }
    queue(h, Action::Wipe);
    h.wipe_count += 1;
    Ok(Json(
        json!({"device_status": h.device_status, "pending_action": "wipe"}),
    ))
}
