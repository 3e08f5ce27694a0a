//! The Shipping API: `POST /api/shipments/{version}/ship` books a shipment (here: return
//! shipments and plain ones), `DELETE /api/shipments/{version}/void/cancel/{id}` voids
//! it while UPS does not have it yet.
//!
//! The request is `{"ShipmentRequest": {"Request", "Shipment": {Description, ReturnService
//! {Code}, Shipper{Name, ShipperNumber, Address}, ShipTo, ShipFrom, PaymentInformation
//! {ShipmentCharge: [{Type: "01", BillShipper{AccountNumber}}]}, Service{Code}, Package
//! (an object or an array) [{Description, Packaging{Code}, PackageWeight
//! {UnitOfMeasurement{Code: LBS|KGS}, Weight: "<text>"}, PackageServiceOptions
//! {DeclaredValue{CurrencyCode, MonetaryValue: "<text>"}}, ReferenceNumber}],
//! ReferenceNumber}, "LabelSpecification": {LabelImageFormat{Code: GIF|PNG|ZPL}}}}`.
//! A return (`ReturnService` present) must describe every package. The answer's
//! `PackageResults` is an object for one package and an array for several, as UPS
//! sends it.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::address::{self, Role};
use super::errors::{UpsError, reply};
use super::images;
use super::state::{Shipment, Stage, State};
use super::token::authorize;
use crate::shared::Shared;

/// The most packages one shipment may have (UPS's limit).
const MAX_PACKAGES: usize = 200;

type Shr = Arc<Shared<State>>;

/// A value that UPS lets be one object or an array of them, as a list.
pub(crate) fn one_or_many(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    }
}

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
}

/// `v2409`, `v1`, ...: the API versions UPS serves are `v` and digits.
fn check_version(version: &str) -> Result<(), UpsError> {
    let digits = version.strip_prefix('v').unwrap_or("");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(UpsError::new(
            StatusCode::NOT_FOUND,
            "10404",
            format!("Unknown API version {version:?}"),
        ));
    }
    Ok(())
}

pub(crate) async fn ship(
    AxState(shared): AxState<Shr>,
    Path(version): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    reply(
        authorize(&shared, &headers)
            .and_then(|()| check_version(&version))
            .and_then(|()| book(&shared, &body)),
    )
}

/// A package as read from the request.
struct Package {
    declared_value: Option<String>,
    reference: Option<String>,
}

/// The first non-empty `Value` of a `ReferenceNumber` (object or array).
fn reference(v: Option<&Value>) -> Option<String> {
    one_or_many(v)
        .into_iter()
        .map(|r| text(r, "/Value"))
        .find(|s| !s.is_empty())
        .map(str::to_string)
}

fn package(p: &Value, is_return: bool) -> Result<Package, UpsError> {
    let description = text(p, "/Description");
    if is_return && description.is_empty() {
        return Err(UpsError::bad_request(
            "120541",
            "Missing or invalid package description. A description is required for return shipments.",
        ));
    }
    if description.chars().count() > 35 {
        return Err(UpsError::bad_request(
            "120542",
            "The package description is longer than 35 characters.",
        ));
    }
    let unit = text(p, "/PackageWeight/UnitOfMeasurement/Code");
    if !matches!(unit, "LBS" | "KGS") {
        return Err(UpsError::bad_request(
            "120605",
            "Missing or invalid package weight unit of measurement (LBS or KGS)",
        ));
    }
    let weight = p.pointer("/PackageWeight/Weight");
    let weight_ok = weight
        .and_then(Value::as_str)
        .and_then(|w| w.trim().parse::<f64>().ok())
        .is_some_and(|w| w > 0.0 && w <= 150.0);
    if !weight_ok {
        return Err(UpsError::bad_request(
            "120606",
            "Missing or invalid package weight: a text of more than 0 and at most 150",
        ));
    }
    let declared = p.pointer("/PackageServiceOptions/DeclaredValue");
    let declared_value = match declared {
        None => None,
        Some(d) => {
            let currency = text(d, "/CurrencyCode");
            let amount = d.get("MonetaryValue").and_then(Value::as_str).unwrap_or("");
            if currency.len() != 3 || amount.trim().parse::<f64>().map_or(true, |v| v < 0.0) {
                return Err(UpsError::bad_request(
                    "121012",
                    "Missing or invalid declared value: CurrencyCode and MonetaryValue (text) are required",
                ));
            }
            Some(amount.trim().to_string())
        }
    };
    Ok(Package {
        declared_value,
        reference: reference(p.get("ReferenceNumber")),
    })
}

fn book(shared: &Shared<State>, body: &[u8]) -> Result<Value, UpsError> {
    let req: Value = serde_json::from_slice(body)
        .map_err(|_| UpsError::bad_request("10002", "The request is not valid JSON"))?;
    let shipment = req
        .pointer("/ShipmentRequest/Shipment")
        .filter(|s| s.is_object())
        .ok_or_else(|| UpsError::bad_request("120001", "Missing or invalid Shipment"))?;
    let shipper = address::check(shipment.get("Shipper"), Role::Shipper)?;
    let shipper_number = text(shipment, "/Shipper/ShipperNumber");
    if shipper_number.len() != 6 || !shipper_number.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(UpsError::bad_request(
            "120100",
            "Missing or invalid shipper number",
        ));
    }
    let ship_to = address::check(shipment.get("ShipTo"), Role::ShipTo)?;
    let return_code = text(shipment, "/ReturnService/Code");
    let is_return = shipment.get("ReturnService").is_some();
    if is_return && !matches!(return_code, "8" | "9") {
        return Err(UpsError::bad_request(
            "120511",
            format!(
                "Invalid return service code {return_code:?} (8: Electronic Return Label, 9: Print Return Label)"
            ),
        ));
    }
    let ship_from = match shipment.get("ShipFrom") {
        Some(from) => address::check(Some(from), Role::ShipFrom)?,
        None if is_return => {
            return Err(UpsError::bad_request(
                "120500",
                "Missing ship from address: a return shipment needs one",
            ));
        }
        None => shipper.clone(),
    };
    let billed = one_or_many(shipment.pointer("/PaymentInformation/ShipmentCharge"))
        .into_iter()
        .any(|c| {
            text(c, "/Type") == "01"
                && text(c, "/BillShipper/AccountNumber").eq_ignore_ascii_case(shipper_number)
        });
    if !billed {
        return Err(UpsError::bad_request(
            "120120",
            "Missing or invalid shipment charge: bill the transportation (Type 01) to the shipper's account",
        ));
    }
    let service = text(shipment, "/Service/Code");
    if service.is_empty() {
        return Err(UpsError::bad_request(
            "120118",
            "Missing or invalid service code",
        ));
    }
    let packages = one_or_many(shipment.get("Package"));
    if packages.is_empty() || packages.len() > MAX_PACKAGES {
        return Err(UpsError::bad_request(
            "120600",
            "Missing or invalid package: between 1 and 200 packages",
        ));
    }
    let packages = packages
        .into_iter()
        .map(|p| package(p, is_return))
        .collect::<Result<Vec<_>, _>>()?;
    let format = match text(
        &req,
        "/ShipmentRequest/LabelSpecification/LabelImageFormat/Code",
    ) {
        "" | "GIF" => "GIF",
        "PNG" => "PNG",
        "ZPL" => "ZPL",
        other => {
            return Err(UpsError::bad_request(
                "120412",
                format!("Invalid label image format {other:?} (GIF, PNG or ZPL)"),
            ));
        }
    };

    let mut s = shared.state();
    let numbers: Vec<String> = (0..packages.len())
        .map(|_| s.tracking_number(shipper_number, service))
        .collect();
    let label = |n: &str| match format {
        "PNG" => B64.encode(images::PNG_1X1),
        "ZPL" => B64.encode(images::zpl(n)),
        _ => B64.encode(images::GIF_1X1),
    };
    let results: Vec<Value> = numbers
        .iter()
        .map(|n| {
            json!({
                "TrackingNumber": n,
                "ServiceOptionsCharges": {"CurrencyCode": "USD", "MonetaryValue": "0.00"},
                "ShippingLabel": {
                    "ImageFormat": {"Code": format, "Description": format},
                    "GraphicImage": label(n),
                },
            })
        })
        .collect();
    let reference = reference(shipment.get("ReferenceNumber"))
        .or_else(|| packages.iter().find_map(|p| p.reference.clone()));
    s.shipments.push(Shipment {
        shipment_id: numbers[0].clone(),
        packages: numbers.clone(),
        reference,
        ship_from_postal: ship_from.postal,
        ship_to_postal: ship_to.postal,
        ship_from_name: ship_from.name,
        declared_value: packages[0].declared_value.clone(),
        return_service: return_code.to_string(),
        drop_off_text: None,
        voided: false,
        stage: Stage::Created,
        booked: Instant::now(),
        booked_at: OffsetDateTime::now_utc(),
        picked_up_at: None,
        delivered_at: None,
    });
    let package_results = if results.len() == 1 {
        results.into_iter().next().unwrap_or(Value::Null)
    } else {
        Value::Array(results)
    };
    Ok(json!({
        "ShipmentResponse": {
            "Response": {
                "ResponseStatus": {"Code": "1", "Description": "Success"},
                "TransactionReference": {"CustomerContext": ""},
            },
            "ShipmentResults": {
                "ShipmentCharges": {
                    "TransportationCharges": {"CurrencyCode": "USD", "MonetaryValue": "14.85"},
                    "ServiceOptionsCharges": {"CurrencyCode": "USD", "MonetaryValue": "0.00"},
                    "TotalCharges": {"CurrencyCode": "USD", "MonetaryValue": "14.85"},
                },
                "BillingWeight": {
                    "UnitOfMeasurement": {"Code": "LBS", "Description": "Pounds"},
                    "Weight": "5.0",
                },
                "ShipmentIdentificationNumber": numbers[0],
                "PackageResults": package_results,
            },
        }
    }))
}

pub(crate) async fn void(
    AxState(shared): AxState<Shr>,
    Path((version, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    reply(
        authorize(&shared, &headers)
            .and_then(|()| check_version(&version))
            .and_then(|()| void_shipment(&shared, &id)),
    )
}

/// Voids a shipment UPS does not have yet. Assumed codes: `190101` unknown id,
/// `190117` already voided, `190102` picked up or delivered ("No shipment found
/// within the allowed void period", UPS's words once a shipment moves).
fn void_shipment(shared: &Shared<State>, id: &str) -> Result<Value, UpsError> {
    let mut s = shared.state();
    let Some(shipment) = s.find_mut(id) else {
        return Err(UpsError::bad_request(
            "190101",
            format!("Invalid shipment identification number {id:?}"),
        ));
    };
    if shipment.voided {
        return Err(UpsError::bad_request(
            "190117",
            "The shipment has already been voided",
        ));
    }
    if shipment.stage != Stage::Created {
        return Err(UpsError::bad_request(
            "190102",
            "No shipment found within the allowed void period",
        ));
    }
    shipment.voided = true;
    Ok(json!({
        "VoidShipmentResponse": {
            "Response": {"ResponseStatus": {"Code": "1", "Description": "Success"}},
            "SummaryResult": {"Status": {"Code": "1", "Description": "Voided"}},
        }
    }))
}
