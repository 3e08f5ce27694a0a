//! Booking a return with the Shipping API: `POST {base}/api/shipments/v2409/ship`.
//!
//! A return is `ReturnService.Code` 9 (Print Return Label): the **Shipper** is the
//! destination (the company, whose account number pays: `PaymentInformation.
//! ShipmentCharge[{Type: "01", BillShipper{AccountNumber}}]`), **ShipTo** is the
//! destination too, and **ShipFrom** is the employee. Each package needs a
//! `Description` on returns (35 characters at most), a weight as text in LBS or KGS,
//! and may carry a `DeclaredValue` (insurance) and a `ReferenceNumber` (package level:
//! UPS refuses shipment-level references on US domestic shipments).
//!
//! The answer's `ShipmentResults.PackageResults` is an object for one package and an
//! array for several; each has `TrackingNumber` and `ShippingLabel{ImageFormat{Code},
//! GraphicImage}` (base64).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::Deserialize;
use serde_json::{Value, json};
use tenure_sdk::http::Method;
use tenure_sdk::{Address, Error, Label, ReturnRequest};

use crate::api::{self, SHIPPING_VERSION, Ups, WeightUnit};

/// The most characters UPS takes in names, address lines, descriptions, references.
pub const MAX_TEXT: usize = 35;
/// `ReturnService.Code` of a return whose label the employee prints (or that the UPS
/// Store prints from a drop-off code).
pub const PRINT_RETURN_LABEL: &str = "9";
/// `Packaging.Code` 02: the customer's own package.
const CUSTOMER_PACKAGING: &str = "02";
/// The label format asked for: GIF is UPS's default and shows in every mail client.
const LABEL_FORMAT: &str = "GIF";

/// `text` cut to `max` characters, trimmed.
pub fn cut(text: &str, max: usize) -> String {
    text.trim()
        .chars()
        .take(max)
        .collect::<String>()
        .trim()
        .to_string()
}

/// Digits of a phone number, when it has enough of them to call.
fn phone(address: &Address) -> Option<String> {
    let digits: String = address
        .phone
        .as_deref()?
        .chars()
        .filter(char::is_ascii_digit)
        .take(15)
        .collect();
    (digits.len() >= 7).then_some(digits)
}

/// `{AddressLine, City, StateProvinceCode, PostalCode, CountryCode}`.
fn address_json(a: &Address) -> Value {
    let lines: Vec<String> = a
        .street
        .iter()
        .map(|l| cut(l, MAX_TEXT))
        .filter(|l| !l.is_empty())
        .take(3)
        .collect();
    let mut v = json!({
        "AddressLine": lines,
        "City": cut(&a.city, 30),
        "PostalCode": a.postal_code.trim(),
        "CountryCode": a.country.trim().to_ascii_uppercase(),
    });
    if let Some(region) = a.region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        v["StateProvinceCode"] = json!(region.to_ascii_uppercase());
    }
    v
}

/// A party of the shipment: `{Name, AttentionName, Phone, Address}`.
fn party(a: &Address) -> Value {
    let name = cut(&a.name, MAX_TEXT);
    let mut v = json!({"Name": name, "AttentionName": name, "Address": address_json(a)});
    if let Some(p) = phone(a) {
        v["Phone"] = json!({"Number": p});
    }
    v
}

/// The weight UPS is told: grams in the unit, rounded up to a tenth, at least 0.1.
pub fn weight(grams: u32, unit: WeightUnit) -> String {
    let per_unit = match unit {
        WeightUnit::Lbs => 453.592_37,
        WeightUnit::Kgs => 1000.0,
    };
    let tenths = (f64::from(grams) / per_unit * 10.0).ceil().max(1.0);
    format!("{:.1}", tenths / 10.0)
}

/// Minor units as UPS's text amount: 123456 → "1234.56".
pub fn money(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// The description UPS prints: the request's, cut to 35 characters.
pub fn description(request: &ReturnRequest) -> String {
    let d = cut(&request.description, MAX_TEXT);
    if d.is_empty() {
        "Equipment return".into()
    } else {
        d
    }
}

/// The `ShipmentRequest` of a return.
pub fn request_body(ups: &Ups, request: &ReturnRequest) -> Value {
    let description = description(request);
    let mut shipper = party(&request.destination);
    shipper["ShipperNumber"] = json!(ups.account_number);
    let mut package = json!({
        "Description": description,
        "Packaging": {"Code": CUSTOMER_PACKAGING},
        "PackageWeight": {
            "UnitOfMeasurement": {"Code": ups.weight_unit.code()},
            "Weight": weight(request.weight_grams, ups.weight_unit),
        },
    });
    if let Some(cents) = request.declared_value {
        let currency = request.currency.trim().to_ascii_uppercase();
        package["PackageServiceOptions"] = json!({"DeclaredValue": {
            "CurrencyCode": if currency.is_empty() { "USD".into() } else { currency },
            "MonetaryValue": money(cents),
        }});
    }
    let reference = cut(&request.reference, MAX_TEXT);
    if !reference.is_empty() {
        package["ReferenceNumber"] = json!([{"Value": reference}]);
    }
    json!({"ShipmentRequest": {
        "Request": {"TransactionReference": {"CustomerContext": reference}},
        "Shipment": {
            "Description": description,
            "ReturnService": {"Code": PRINT_RETURN_LABEL, "Description": "Print Return Label"},
            "Shipper": shipper,
            "ShipTo": party(&request.destination),
            "ShipFrom": party(&request.origin),
            "PaymentInformation": {"ShipmentCharge": [
                {"Type": "01", "BillShipper": {"AccountNumber": ups.account_number}}
            ]},
            "Service": {"Code": ups.service_code},
            "Package": [package],
        },
        "LabelSpecification": {"LabelImageFormat": {"Code": LABEL_FORMAT}},
    }})
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Answer {
    shipment_response: ShipmentResponse,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ShipmentResponse {
    shipment_results: ShipmentResults,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ShipmentResults {
    #[serde(default)]
    shipment_identification_number: String,
    /// One object, or an array for several packages.
    #[serde(default)]
    package_results: Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PackageResult {
    #[serde(default)]
    tracking_number: String,
    #[serde(default)]
    shipping_label: Option<ShippingLabel>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ShippingLabel {
    #[serde(default)]
    image_format: Option<Code>,
    #[serde(default)]
    graphic_image: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Code {
    #[serde(default)]
    code: String,
}

/// What a booking gave: the tracking number and the first package's label.
pub struct Booked {
    pub tracking_number: String,
    pub label: Option<Label>,
}

/// The content type of a label format.
fn content_type(format: &str) -> &'static str {
    match format.to_ascii_uppercase().as_str() {
        "PNG" => "image/png",
        "PDF" => "application/pdf",
        "ZPL" => "application/x-zpl",
        "EPL" => "application/x-epl",
        "SPL" => "application/x-spl",
        _ => "image/gif",
    }
}

/// Reads a `ShipmentResponse`, either shape of `PackageResults`.
pub fn parse(body: &Value) -> Result<Booked, Error> {
    let answer: Answer = serde_json::from_value(body.clone())
        .map_err(|e| Error::Other(format!("UPS's shipment answer is not as documented: {e}")))?;
    let results = answer.shipment_response.shipment_results;
    let packages: Vec<Value> = match results.package_results {
        Value::Array(items) => items,
        one @ Value::Object(_) => vec![one],
        _ => Vec::new(),
    };
    let first: Option<PackageResult> = packages
        .into_iter()
        .next()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| Error::Other(format!("UPS's package result is not as documented: {e}")))?;
    let tracking_number = first
        .as_ref()
        .map(|p| p.tracking_number.trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| results.shipment_identification_number.trim().to_string());
    if tracking_number.is_empty() {
        return Err(Error::Other(
            "UPS booked the shipment but sent no tracking number".into(),
        ));
    }
    let label = match first.and_then(|p| p.shipping_label) {
        Some(l) if !l.graphic_image.trim().is_empty() => {
            let data = B64.decode(l.graphic_image.trim()).map_err(|_| {
                Error::Other(format!(
                    "UPS booked {tracking_number} but its label is not base64"
                ))
            })?;
            let format = l.image_format.map(|f| f.code).unwrap_or_default();
            Some(Label {
                content_type: content_type(&format).into(),
                data,
            })
        }
        _ => None,
    };
    Ok(Booked {
        tracking_number,
        label,
    })
}

/// Books the return; an address or value UPS refuses is [`Error::InvalidInput`] with
/// UPS's words.
pub fn book(ups: &Ups, request: &ReturnRequest) -> Result<Booked, Error> {
    let path = format!("/api/shipments/{SHIPPING_VERSION}/ship");
    let req = ups
        .request(Method::Post, &path)
        .json(&request_body(ups, request))?;
    let resp = ups.send_raw(req)?;
    if !resp.is_success() {
        return Err(match api::error(&resp) {
            Error::InvalidInput(m) => Error::InvalidInput(format!(
                "UPS refused the return: {}",
                m.trim_start_matches("UPS: ")
            )),
            other => other,
        });
    }
    parse(&resp.json()?)
}
