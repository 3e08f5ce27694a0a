use super::not_implemented;
use crate::bindings::shipping::exports::tenure::plugin::shipping::Guest;
use crate::{
    Address, DropOffCode, Error, Label, Parcel, ReturnBooking, ReturnRequest, ReturnShipment,
    ShipmentState, Tracking,
};
use std::marker::PhantomData;

/// A carrier for device returns (world `shipping`, register with
/// [`crate::export_shipping!`]).
pub trait Shipping {
    /// Checks that the settings reach the carrier and the credentials work.
    fn test_connection() -> Result<(), Error>;

    /// Books a return from `origin` (the employee) to `destination` (IT). The result
    /// carries a drop-off code or a printable label. An address the carrier rejects is
    /// [`Error::InvalidInput`] with the carrier's reason (a person corrects it).
    ///
    /// Retries: a carrier that takes an idempotency key gets one derived from the
    /// arguments; otherwise a retry after a timeout may book a second label, which
    /// simply goes unused.
    fn create_return(
        origin: Address,
        destination: Address,
        item: Parcel,
    ) -> Result<ReturnShipment, Error>;

    /// Where the shipment is. An unknown tracking number: [`Error::NotFound`].
    /// Default: [`Error::Unsupported`] (a person follows it on the carrier's site).
    fn track(tracking_number: String) -> Result<ShipmentState, Error> {
        let _ = tracking_number;
        Err(not_implemented("tracking"))
    }

    /// Books a return with everything the host knows: declared value for insurance,
    /// the host's reference, a description. The host calls this rather than
    /// [`Shipping::create_return`]. Put the label-free drop-off code in `drop_off` when
    /// the carrier account has that service, else the printable label in `label`.
    /// An address the carrier rejects: [`Error::InvalidInput`] with the carrier's
    /// words. (WIT: `return-shipping.book-return`.)
    ///
    /// Default: [`Shipping::create_return`] with the parcel's description and weight
    /// (no insurance, no tracking page).
    fn book_return(request: ReturnRequest) -> Result<ReturnBooking, Error> {
        let item = Parcel {
            description: request.description,
            weight_grams: request.weight_grams,
        };
        let made = Self::create_return(request.origin, request.destination, item)?;
        Ok(ReturnBooking {
            tracking_number: made.tracking_number,
            // The base interface gives the code as an image only: no text to render.
            drop_off: made.drop_off_code.map(|image| DropOffCode {
                text: String::new(),
                image: Some(image),
            }),
            label: made.label.map(|data| Label {
                content_type: sniff_image(&data).into(),
                data,
            }),
            tracking_url: None,
        })
    }

    /// Cancels a return the carrier has not picked up. Already voided is success; one
    /// already moving: [`Error::Conflict`]. (WIT: `return-shipping.void-return`.)
    /// Default: [`Error::Unsupported`] (a person voids it on the carrier's site).
    fn void_return(tracking_number: String) -> Result<(), Error> {
        let _ = tracking_number;
        Err(not_implemented("voiding shipments"))
    }

    /// Where the return is, with the carrier's words and the delivery time. (WIT:
    /// `return-shipping.track-return`.) Default: [`Shipping::track`] without words.
    fn track_return(tracking_number: String) -> Result<Tracking, Error> {
        let state = Self::track(tracking_number)?;
        Ok(Tracking {
            state,
            description: String::new(),
            delivered_at: None,
        })
    }
}

/// The content type of a label the base interface returned as bytes.
fn sniff_image(data: &[u8]) -> &'static str {
    match data {
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [b'G', b'I', b'F', ..] => "image/gif",
        [b'%', b'P', b'D', b'F', ..] => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Wires a [`Shipping`] to the generated bindings.
#[doc(hidden)]
pub struct ShippingExport<T>(PhantomData<T>);

impl<T: Shipping> Guest for ShippingExport<T> {
    fn test_connection() -> Result<(), Error> {
        T::test_connection()
    }
    fn create_return(
        origin: Address,
        destination: Address,
        item: Parcel,
    ) -> Result<ReturnShipment, Error> {
        T::create_return(origin, destination, item)
    }
    fn track(tracking_number: String) -> Result<ShipmentState, Error> {
        T::track(tracking_number)
    }
}

impl<T: Shipping> crate::bindings::shipping::exports::tenure::plugin::return_shipping::Guest
    for ShippingExport<T>
{
    fn book_return(request: ReturnRequest) -> Result<ReturnBooking, Error> {
        T::book_return(request)
    }
    fn void_return(tracking_number: String) -> Result<(), Error> {
        T::void_return(tracking_number)
    }
    fn track_return(tracking_number: String) -> Result<Tracking, Error> {
        T::track_return(tracking_number)
    }
}
