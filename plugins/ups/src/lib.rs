//! UPS for Tenure: device returns from employees to IT, through UPS's OAuth, Shipping,
//! Direct-to-Mobile and Tracking APIs on one origin (`base_url`).
//!
//! - **Booking** ([`shipment`]): a Print Return Label shipment (`ReturnService` 9)
//!   from the employee (ShipFrom) to the company (Shipper and ShipTo), billed to the
//!   company's account number, insured for the declared value, with the host's
//!   reference on the package. An address UPS refuses is `invalid-input` with UPS's
//!   words, for a person to correct.
//! - **Label-free drop-off** ([`drop_off`]): with `label_free` on, The UPS Store's
//!   Direct-to-Mobile code for the booked return ("No Box, No Label"); an account
//!   without that contract keeps the printable label (logged). The label is returned
//!   either way.
//! - **Void**: `DELETE /api/shipments/v2409/void/cancel/{tracking number}` (a
//!   one-package return's shipment id is its tracking number). Already voided is
//!   success; picked up is `conflict`.
//! - **Tracking** ([`tracking`]): UPS's status in UPS's words, delivered with its date.
//!
//! `api.rs` holds the settings, the client and the error mapping; `manifest.toml` the
//! settings an administrator fills in.

mod api;
mod drop_off;
mod shipment;
mod tracking;

use tenure_sdk::http::{self, Method};
use tenure_sdk::{
    Address, Error, Parcel, ReturnBooking, ReturnRequest, ReturnShipment, ShipmentState, Shipping,
    Tracking,
};

use api::{SHIPPING_VERSION, Ups};

/// The UPS carrier.
pub struct UpsCarrier;

/// UPS's error code for a void of a shipment already voided (assumed; the message
/// is checked too).
const ALREADY_VOIDED: &str = "190117";
/// UPS's error code for a void once the shipment has moved ("No shipment found within
/// the allowed void period").
const PAST_VOID_PERIOD: &str = "190102";

/// The public tracking page of a shipment.
fn tracking_url(tracking_number: &str) -> String {
    format!(
        "https://www.ups.com/track?tracknum={}",
        http::encode_component(tracking_number)
    )
}

/// Books a return, then asks for its drop-off code when `label_free` is on.
fn book(request: &ReturnRequest) -> Result<ReturnBooking, Error> {
    let ups = Ups::from_settings()?;
    let booked = shipment::book(&ups, request)?;
    let drop_off = if ups.label_free {
        drop_off::request(&ups, request, &booked.tracking_number)?
    } else {
        None
    };
    Ok(ReturnBooking {
        tracking_url: Some(tracking_url(&booked.tracking_number)),
        tracking_number: booked.tracking_number,
        drop_off,
        label: booked.label,
    })
}

fn void(tracking_number: &str) -> Result<(), Error> {
    let ups = Ups::from_settings()?;
    let number = tracking_number.trim();
    let path = format!(
        "/api/shipments/{SHIPPING_VERSION}/void/cancel/{}",
        http::encode_component(number)
    );
    let resp = ups.send_raw(ups.request(Method::Delete, &path))?;
    if resp.is_success() {
        return Ok(());
    }
    let errors = api::errors(&resp);
    let has = |code: &str| errors.iter().any(|e| e.code == code);
    let says = |words: &str| {
        errors
            .iter()
            .any(|e| e.message.to_ascii_lowercase().contains(words))
    };
    if has(ALREADY_VOIDED) || says("already been voided") {
        return Ok(());
    }
    if resp.status == 400 && (has(PAST_VOID_PERIOD) || says("void period")) {
        return Err(Error::Conflict(format!(
            "UPS can no longer void {number}: the parcel is on its way or the void period has ended ({})",
            api::said(&resp)
        )));
    }
    Err(api::error(&resp))
}

impl Shipping for UpsCarrier {
    fn test_connection() -> Result<(), Error> {
        Ups::from_settings()?.fresh_token()
    }

    fn create_return(
        origin: Address,
        destination: Address,
        item: Parcel,
    ) -> Result<ReturnShipment, Error> {
        let booking = book(&ReturnRequest {
            origin,
            destination,
            description: item.description,
            weight_grams: item.weight_grams,
            declared_value: None,
            currency: "USD".into(),
            reference: String::new(),
        })?;
        Ok(ReturnShipment {
            tracking_number: booking.tracking_number,
            drop_off_code: booking.drop_off.and_then(|d| d.image),
            label: booking.label.map(|l| l.data),
        })
    }

    fn track(tracking_number: String) -> Result<ShipmentState, Error> {
        Self::track_return(tracking_number).map(|t| t.state)
    }

    fn book_return(request: ReturnRequest) -> Result<ReturnBooking, Error> {
        book(&request)
    }

    fn void_return(tracking_number: String) -> Result<(), Error> {
        void(&tracking_number)
    }

    fn track_return(tracking_number: String) -> Result<Tracking, Error> {
        tracking::track(&Ups::from_settings()?, &tracking_number)
    }
}

tenure_sdk::export_shipping!(UpsCarrier);

#[cfg(test)]
mod tests;
