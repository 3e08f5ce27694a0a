//! Tracking: `GET {base}/api/track/v1/details/{inquiryNumber}` (headers `transId`,
//! `transactionSrc`) → `trackResponse.shipment[].package[] {currentStatus{code,
//! description}, activity[] (newest first) {status{type, code, description}, date},
//! deliveryDate[]{type, date YYYYMMDD}}`. Delivered is a `deliveryDate` of type `DEL`
//! (or a latest activity of type `D`); an activity of type `X` is an exception; `I`,
//! `P` and `O` mean moving; `M` (manifest) means the label exists and UPS has nothing
//! yet. An unknown number is 404 `TW0001` (or, from some UPS releases, a 200 whose
//! shipment carries only `warnings`).

use serde::Deserialize;
use tenure_sdk::http::{self, Method};
use tenure_sdk::{Error, ShipmentState, Tracking};

use crate::api::{self, Ups};

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Answer {
    #[serde(default)]
    track_response: TrackResponse,
}

#[derive(Deserialize, Default)]
struct TrackResponse {
    #[serde(default)]
    shipment: Vec<Shipment>,
}

#[derive(Deserialize, Default)]
struct Shipment {
    #[serde(default)]
    package: Vec<Package>,
    #[serde(default)]
    warnings: Vec<api::UpsError>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Package {
    #[serde(default)]
    current_status: Option<Status>,
    #[serde(default)]
    activity: Vec<Activity>,
    #[serde(default)]
    delivery_date: Vec<DeliveryDate>,
}

#[derive(Deserialize, Default)]
struct Status {
    #[serde(default)]
    code: String,
    #[serde(default)]
    description: String,
    #[serde(default, rename = "type")]
    kind: String,
}

#[derive(Deserialize, Default)]
struct Activity {
    #[serde(default)]
    status: Status,
}

#[derive(Deserialize, Default)]
struct DeliveryDate {
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    date: String,
}

/// `20250102` → `2025-01-02`.
fn iso_date(ups: &str) -> Option<String> {
    let d = ups.trim();
    (d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]))
}

/// The state and words of a package.
fn read(p: &Package) -> Tracking {
    let latest = p.activity.first().map(|a| &a.status);
    let current = p.current_status.as_ref();
    let description = current
        .map(|s| s.description.trim())
        .filter(|d| !d.is_empty())
        .or_else(|| latest.map(|s| s.description.trim()))
        .unwrap_or("")
        .to_string();
    let delivered_at = p
        .delivery_date
        .iter()
        .find(|d| d.kind.eq_ignore_ascii_case("DEL"))
        .and_then(|d| iso_date(&d.date));
    let kind = latest.map(|s| s.kind.trim().to_ascii_uppercase());
    let voided = description.to_ascii_lowercase().contains("void");
    let state = if delivered_at.is_some() || kind.as_deref() == Some("D") {
        ShipmentState::Delivered
    } else if voided || kind.as_deref() == Some("X") {
        ShipmentState::Exception
    } else {
        match kind.as_deref() {
            Some("I" | "P" | "O" | "U") => ShipmentState::InTransit,
            Some("M") | None => match current.map(|s| s.code.trim()) {
                Some("011") => ShipmentState::Delivered,
                Some("005" | "021" | "007") => ShipmentState::InTransit,
                _ => ShipmentState::Created,
            },
            Some(_) => ShipmentState::InTransit,
        }
    };
    Tracking {
        state,
        description,
        delivered_at,
    }
}

/// Where the return with this tracking number is.
pub fn track(ups: &Ups, tracking_number: &str) -> Result<Tracking, Error> {
    let number = tracking_number.trim();
    let path = format!("/api/track/v1/details/{}", http::encode_component(number));
    let req = ups
        .request(Method::Get, &path)
        .query("locale", "en_US")
        .query("returnSignature", "false");
    let answer: Answer = ups.send(req)?.json()?;
    let shipment = answer.track_response.shipment.into_iter().next();
    let package = shipment.as_ref().and_then(|s| s.package.first());
    match (package, shipment.as_ref()) {
        (Some(p), _) => Ok(read(p)),
        (None, Some(s)) if !s.warnings.is_empty() => Err(Error::NotFound(format!(
            "UPS has no tracking for {number}: {}",
            http::excerpt(&s.warnings[0].message)
        ))),
        _ => Err(Error::NotFound(format!("UPS has no tracking for {number}"))),
    }
}
