use super::not_implemented;
use crate::bindings::shipping::exports::tenure::plugin::shipping::Guest;
use crate::{Address, Error, Parcel, ReturnShipment, ShipmentState};
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
