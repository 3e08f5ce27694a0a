//! The Tracking API: `GET /api/track/v1/details/{inquiryNumber}` with the headers
//! `transId` and `transactionSrc`. The answer is `{"trackResponse": {"shipment":
//! [{"inquiryNumber", "package": [{"trackingNumber", "currentStatus": {code,
//! description}, "activity": [{status: {type, code, description}, date: YYYYMMDD,
//! time: HHMMSS}] (newest first), "deliveryDate": [{type: "DEL", date}]}]}]}}`. An
//! unknown number is 404 `TW0001` "Tracking Information Not Found".
//!
//! Activity types are UPS's: `M` manifest (label created), `P` pickup, `I` in transit,
//! `D` delivered, `X` exception. The `currentStatus` codes (`003` label created, `005`
//! on the way, `011` delivered) and the void's `X` activity are assumed.

use std::sync::Arc;

use axum::extract::{Path, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::errors::{UpsError, reply};
use super::state::{Shipment, Stage, State};
use super::token::authorize;
use crate::shared::Shared;

pub(crate) async fn details(
    AxState(shared): AxState<Arc<Shared<State>>>,
    Path(number): Path<String>,
    headers: HeaderMap,
) -> Response {
    reply(authorize(&shared, &headers).and_then(|()| track(&shared, &headers, &number)))
}

fn track(shared: &Shared<State>, headers: &HeaderMap, number: &str) -> Result<Value, UpsError> {
    for h in ["transId", "transactionSrc"] {
        if headers.get(h).is_none() {
            return Err(UpsError::bad_request(
                "TV1002",
                format!("Missing required header {h}"),
            ));
        }
    }
    let mut s = shared.state();
    let Some(shipment) = s.find_mut(number) else {
        return Err(UpsError::new(
            StatusCode::NOT_FOUND,
            "TW0001",
            "Tracking Information Not Found",
        ));
    };
    let package = number.trim().to_ascii_uppercase();
    Ok(json!({
        "trackResponse": {"shipment": [{
            "inquiryNumber": package,
            "package": [package_json(shipment, &package)],
        }]}
    }))
}

fn date(t: OffsetDateTime) -> String {
    format!("{:04}{:02}{:02}", t.year(), u8::from(t.month()), t.day())
}

fn clock(t: OffsetDateTime) -> String {
    format!("{:02}{:02}{:02}", t.hour(), t.minute(), t.second())
}

fn activity(kind: &str, code: &str, description: &str, at: OffsetDateTime) -> Value {
    json!({
        "location": {"address": {"countryCode": "US"}},
        "status": {"type": kind, "code": code, "description": description},
        "date": date(at),
        "time": clock(at),
    })
}

fn package_json(s: &Shipment, number: &str) -> Value {
    let mut events = vec![activity(
        "M",
        "MP",
        "Shipper created a label, UPS has not received the package yet.",
        s.booked_at,
    )];
    if let Some(at) = s.picked_up_at {
        events.push(activity("P", "PU", "Pickup Scan", at));
        events.push(activity("I", "OR", "Origin Scan", at));
    }
    if let Some(at) = s.delivered_at {
        events.push(activity("D", "FS", "DELIVERED", at));
    }
    if s.voided {
        events.push(activity(
            "X",
            "VD",
            "Voided Information Received",
            OffsetDateTime::now_utc(),
        ));
    }
    events.reverse();
    let (code, description) = match (s.voided, s.stage) {
        (true, _) => ("VD", "Voided"),
        (false, Stage::Created) => ("003", "Label Created"),
        (false, Stage::InTransit) => ("005", "On the Way"),
        (false, Stage::Delivered) => ("011", "Delivered"),
    };
    let mut p = json!({
        "trackingNumber": number,
        "currentStatus": {"code": code, "description": description},
        "activity": events,
        "packageCount": s.packages.len(),
    });
    if let Some(at) = s.delivered_at {
        p["deliveryDate"] = json!([{"type": "DEL", "date": date(at)}]);
        p["deliveryTime"] = json!({"type": "DEL", "endTime": clock(at)});
    }
    p
}
