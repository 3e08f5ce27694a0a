//! The label-free drop-off code, from The UPS Store's Direct-to-Mobile API (a contract
//! of its own, "No Box, No Label"), asked for after the shipment exists:
//! `POST {base}/api/ups-store/iship/v1/direct-to-mobile` with the headers `transId`,
//! `transactionSrc`, `x-iship-date` and `Content-Type: application/json;
//! type=vnd.iShip.Dropoff`. The answer's `dropOffDocument{imageOutput (base64 PNG of
//! the code), text ("UNPK-<mobileId>")}` is what the employee shows at the store.
//!
//! An account without the contract answers 403 (404 where the API is not served):
//! the booking keeps its printable label and says so in the log. A request UPS
//! refuses (400) does the same, with UPS's words. A 429, a 5xx or no answer fails the
//! booking, so that the host tries again (the label booked goes unused).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::Deserialize;
use serde_json::{Value, json};
use tenure_sdk::http::Method;
use tenure_sdk::{Address, DropOffCode, Error, ReturnRequest, log, time};

use crate::api::{self, Ups};
use crate::shipment::{self, MAX_TEXT, cut};

/// The Direct-to-Mobile service the drop-off is for (UPS's example value).
const SERVICE_ID: u32 = 1991;
/// `carrierId` 1: UPS.
const CARRIER_UPS: u32 = 1;
/// `billMethod` 2: reserved for "No Box, No Label".
const BILL_NO_BOX_NO_LABEL: u32 = 2;
/// `movementType` 1: a return.
const MOVEMENT_RETURN: u32 = 1;
/// `programType` 2: "Label & Packaging": the store packs the loose device.
const PROGRAM_LABEL_AND_PACKAGING: u32 = 2;
/// `returnsType` 13: Return Service, Print Label (the shipment's `ReturnService` 9).
const RETURNS_PRINT_LABEL: u32 = 13;
/// The parcel's size UPS is told, in inches: a laptop and its charger in a pak.
const DIMENSIONS_IN: (u32, u32, u32) = (18, 13, 4);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Answer {
    drop_off_document: Document,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Document {
    #[serde(default)]
    image_output: String,
    #[serde(default)]
    text: String,
}

/// The `mobileId`: the host's reference in letters and digits (what the API allows),
/// else the tracking number.
pub fn mobile_id(reference: &str, tracking_number: &str) -> String {
    let id: String = reference
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(MAX_TEXT)
        .collect();
    if id.is_empty() {
        tracking_number.chars().take(MAX_TEXT).collect()
    } else {
        id
    }
}

/// `Wed, 10 Nov 2021 21:42:37 GMT` of the host's clock.
pub fn http_date() -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let now = time::now();
    let unix = time::now_unix();
    let weekday = DAYS[unix.div_euclid(86_400).rem_euclid(7) as usize];
    let month = now
        .get(5..7)
        .and_then(|m| m.parse::<usize>().ok())
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
        .unwrap_or(&"Jan");
    format!(
        "{weekday}, {} {month} {} {} GMT",
        now.get(8..10).unwrap_or("01"),
        now.get(0..4).unwrap_or("1970"),
        now.get(11..19).unwrap_or("00:00:00"),
    )
}

fn address(a: &Address) -> Value {
    let line = |i: usize| {
        a.street
            .get(i)
            .map(|l| cut(l, MAX_TEXT))
            .unwrap_or_default()
    };
    json!({
        "companyName": cut(&a.name, MAX_TEXT),
        "contactName": cut(&a.name, MAX_TEXT),
        "address1": line(0),
        "address2": line(1),
        "address3": line(2),
        "city": cut(&a.city, 40),
        "stateProv": a.region.as_deref().unwrap_or("").trim().to_ascii_uppercase(),
        "postalCode": a.postal_code.trim(),
        "country": a.country.trim().to_ascii_uppercase(),
        "phone": a.phone.as_deref().unwrap_or("").trim(),
    })
}

/// The drop-off request for a booked return.
pub fn request_body(request: &ReturnRequest, tracking_number: &str) -> Value {
    let pounds: f64 = shipment::weight(request.weight_grams, crate::api::WeightUnit::Lbs)
        .parse()
        .unwrap_or(0.1);
    let (length, width, height) = DIMENSIONS_IN;
    let reference = cut(&request.reference, 100);
    json!({
        "description": shipment::description(request),
        "fromAddress": address(&request.origin),
        "toAddress": address(&request.destination),
        "dimensions": {"units": "inches", "length": length, "width": width, "height": height},
        "weight": {"actual": {"units": "lbs", "value": pounds}, "chargeMethod": 0},
        "referenceNumbers": {"reference1": reference},
        "mobileInfo": {
            "mobileId": mobile_id(&request.reference, tracking_number),
            "billMethod": BILL_NO_BOX_NO_LABEL,
            "movementType": MOVEMENT_RETURN,
            "programType": PROGRAM_LABEL_AND_PACKAGING,
            "programRef1": cut(&request.destination.name, 100),
        },
        "carrierId": CARRIER_UPS,
        "returnsType": RETURNS_PRINT_LABEL,
        "serviceID": SERVICE_ID,
        "trackingNo": tracking_number,
        "demoFlag": 0,
        "voidFlag": 0,
    })
}

/// The drop-off code for a booked return; `None` when the account cannot have one
/// (logged: the printable label goes out instead).
pub fn request(
    ups: &Ups,
    request: &ReturnRequest,
    tracking_number: &str,
) -> Result<Option<DropOffCode>, Error> {
    let req = ups
        .request(Method::Post, "/api/ups-store/iship/v1/direct-to-mobile")
        .header("x-iship-date", &http_date())
        .header("content-type", "application/json;type=vnd.iShip.Dropoff")
        .json(&request_body(request, tracking_number))?;
    let resp = ups.send_raw(req)?;
    match resp.status {
        200..=299 => {}
        403 | 404 => {
            log::info(&format!(
                "UPS has no label-free drop-off for this account (HTTP {}: {}); {tracking_number} goes out with its printable label. Ask UPS for the Direct to Mobile contract, or turn `label_free` off.",
                resp.status,
                api::said(&resp)
            ));
            return Ok(None);
        }
        401 | 408 | 429 | 500..=599 => return Err(api::error(&resp)),
        _ => {
            log::warn(&format!(
                "UPS refused the drop-off code for {tracking_number} (HTTP {}: {}); it goes out with its printable label",
                resp.status,
                api::said(&resp)
            ));
            return Ok(None);
        }
    }
    let answer: Answer = resp.json()?;
    let doc = answer.drop_off_document;
    if doc.text.trim().is_empty() {
        return Err(Error::Other(format!(
            "UPS issued a drop-off for {tracking_number} without its code's text"
        )));
    }
    // The image is a convenience: the host can render the text itself.
    let image = B64
        .decode(doc.image_output.trim())
        .ok()
        .filter(|i| !i.is_empty());
    Ok(Some(DropOffCode {
        text: doc.text.trim().to_string(),
        image,
    }))
}
