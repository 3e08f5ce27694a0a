//! The UPS Store's Direct-to-Mobile API (a paid contract, "No Box, No Label"):
//! `POST /api/ups-store/iship/{version}/direct-to-mobile`, called after the shipment
//! exists. Per UPS's OpenAPI spec (Direct-to-Mobile.yaml): headers `transId`,
//! `transactionSrc`, `x-iship-date` and `Content-Type: application/json;
//! type=vnd.iShip.Dropoff`; required body fields `description` (≤ 35), `fromAddress`,
//! `toAddress` (each `{companyName, address1, city, postalCode, country, ...}`),
//! `dimensions`, `weight`, `mobileInfo` (`mobileId` of letters and digits, ≤ 35;
//! `programRef1`), `trackingNo`, `carrierId`, `serviceID`. The answer carries
//! `dropOffDocument{documentPath, imageOutput (base64 PNG), text: "UNPK-<mobileId>"}`.
//! Errors are `{"response": {"errors": [{"code": <number>, "message"}]}}`; an account
//! without the contract gets 403 "Authorization Failed" (the spec's Forbidden).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};

use super::errors::{UpsError, reply};
use super::images;
use super::state::State;
use super::token::authorize;
use crate::shared::Shared;

/// The headers the spec requires.
const REQUIRED_HEADERS: [&str; 3] = ["transId", "transactionSrc", "x-iship-date"];
/// The body fields the spec requires.
const REQUIRED_FIELDS: [&str; 9] = [
    "description",
    "fromAddress",
    "toAddress",
    "dimensions",
    "weight",
    "mobileInfo",
    "trackingNo",
    "carrierId",
    "serviceID",
];
/// The fields an address must have.
const ADDRESS_FIELDS: [&str; 5] = ["companyName", "address1", "city", "postalCode", "country"];

pub(crate) async fn drop_off(
    AxState(shared): AxState<Arc<Shared<State>>>,
    Path(version): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let answer = authorize(&shared, &headers)
        .map_err(|e| UpsError::numeric(e.status, e.message))
        .and_then(|()| create(&shared, &version, &headers, &body));
    reply(answer)
}

fn bad(message: impl Into<String>) -> UpsError {
    UpsError::numeric(StatusCode::BAD_REQUEST, message)
}

fn create(
    shared: &Shared<State>,
    version: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, UpsError> {
    if version != "v1" {
        return Err(UpsError::numeric(StatusCode::NOT_FOUND, "Unknown URI"));
    }
    if !shared.state().drop_off {
        return Err(UpsError::numeric(
            StatusCode::FORBIDDEN,
            "Authorization Failed",
        ));
    }
    for h in REQUIRED_HEADERS {
        let present = headers
            .get(h)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| !v.trim().is_empty());
        if !present {
            return Err(bad(format!("Missing required header {h}")));
        }
    }
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    if !json_body {
        return Err(UpsError::numeric(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/json;type=vnd.iShip.Dropoff",
        ));
    }
    let req: Value = serde_json::from_slice(body).map_err(|_| bad("The body is not JSON"))?;
    if let Some(f) = REQUIRED_FIELDS
        .iter()
        .find(|f| req.get(**f).is_none_or(Value::is_null))
    {
        return Err(bad(format!("Missing required field {f}")));
    }
    let description = req["description"].as_str().unwrap_or("").trim();
    if description.is_empty() || description.chars().count() > 35 {
        return Err(bad("description must have 1 to 35 characters"));
    }
    for side in ["fromAddress", "toAddress"] {
        if let Some(f) = ADDRESS_FIELDS
            .iter()
            .find(|f| req[side][**f].as_str().is_none_or(|v| v.trim().is_empty()))
        {
            return Err(bad(format!("Missing required field {side}.{f}")));
        }
    }
    let mobile_id = req["mobileInfo"]["mobileId"].as_str().unwrap_or("");
    if mobile_id.is_empty()
        || mobile_id.len() > 35
        || !mobile_id.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Err(bad(
            "mobileInfo.mobileId must be 1 to 35 unaccented letters or digits",
        ));
    }
    if req["mobileInfo"]["programRef1"]
        .as_str()
        .is_none_or(str::is_empty)
    {
        return Err(bad("Missing required field mobileInfo.programRef1"));
    }
    let tracking = req["trackingNo"].as_str().unwrap_or("").trim().to_string();
    let text = format!("UNPK-{mobile_id}");
    let mut s = shared.state();
    let Some(shipment) = s.find_mut(&tracking).filter(|s| !s.voided) else {
        return Err(bad(format!(
            "trackingNo {tracking:?} is not a live shipment"
        )));
    };
    shipment.drop_off_text = Some(text.clone());
    // FNV-1a (128-bit) of the tracking number: a retry names the same drop-off.
    let oid = format!("{:032x}", {
        let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
        for b in tracking.bytes() {
            h = (h ^ u128::from(b)).wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
        }
        h
    });
    Ok(json!({
        "dropoffOID": oid,
        "fromAddress": req["fromAddress"],
        "toAddress": req["toAddress"],
        "dimensions": req["dimensions"],
        "weight": req["weight"],
        "referenceNumbers": req.get("referenceNumbers").cloned().unwrap_or(Value::Null),
        "mobileInfo": req["mobileInfo"],
        "dropOffDocument": {
            "documentPath": "urn:fake-ups:dropoff?symbology=code93&output=png",
            "imageOutput": B64.encode(images::PNG_1X1),
            "text": text,
        },
        "carrierId": req["carrierId"],
        "demoFlag": req.get("demoFlag").cloned().unwrap_or(json!(0)),
        "dropoffStateId": 4,
        "returnsType": req.get("returnsType").cloned().unwrap_or(json!(0)),
        "serviceID": req["serviceID"],
        "trackingNo": tracking,
        "voidFlag": 0,
        "descriptionOfGoods": description,
    }))
}
