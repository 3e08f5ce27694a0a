//! The guest SDK for Tenure plugins: everything a
//! connector needs, in one dependency. It carries the WIT contract
//! (`tenure:plugin@0.2.0`, in this crate's `wit/`), generates the bindings itself,
//! documents what every call must do, and ships a fake host for native unit tests.
//!
//! A connector implements one trait — [`HrSource`], [`AppConnector`],
//! [`DeviceManager`] or [`Shipping`] — and registers it with the matching macro:
//!
//! ```ignore
//! use tenure_sdk::{Error, HrPage, HrSource, http, settings};
//!
//! struct MyHr;
//!
//! impl HrSource for MyHr {
//!     fn test_connection() -> Result<(), Error> {
//!         let key = settings::required_secret("api_key")?;
//!         http::get("https://hr.example.com/v1/people?limit=1").bearer(&key).send()?;
//!         Ok(())
//!     }
//!     fn fetch(since: Option<String>, cursor: Option<String>) -> Result<HrPage, Error> {
//!         todo!()
//!     }
//! }
//!
//! tenure_sdk::export_hr_source!(MyHr);
//! ```
//!
//! Everything a connector needs from the host is here, one module per concern:
//! [`http`] (JSON over HTTP, error mapping), [`oauth`] (client-credentials tokens,
//! cached), [`jwt`] (tokens for a JWT the host signs: Google service accounts),
//! [`paging`] (Link headers, cursors), [`settings`], [`kv`], [`log`] and [`time`].
//! A plugin calls the host only through these, so that [`testing`]'s fake host
//! answers them in native tests.
//!
//! Build with `cargo build --release --target wasm32-wasip2`; the crate's README walks
//! through a whole plugin.

mod bindings;
mod hostcall;
pub mod http;
pub mod jwt;
pub mod kv;
pub mod log;
pub mod oauth;
pub mod paging;
pub mod settings;
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;
pub mod time;
mod worlds;

pub use bindings::device_manager::exports::tenure::plugin::device_inventory::DevicePage;
pub use bindings::hr_source::exports::tenure::plugin::hr_places::{PlacedPage, WorkPlace};
pub use bindings::imports::tenure::plugin::types::{
    Account, Address, Capabilities, CommandState, Credential, CredentialKind, Date, Device,
    EmploymentStatus, Error, Group, GroupPage, HrEmployee, HrPage, LeaverOptions,
    OffboardCapabilities, Operation, OperationState, Parcel, Person, ProvisionRequest, Provisioned,
    ReturnShipment, ShipmentState,
};
pub use bindings::shipping::exports::tenure::plugin::return_shipping::{
    DropOffCode, Label, ReturnBooking, ReturnRequest, Tracking,
};
pub use worlds::{
    AppConnector, DeviceManager, HrSource, Shipping, is_not_implemented, not_implemented,
};

/// The host's current time, RFC 3339 in UTC (plugins have no clock of their own to
/// trust). The same as [`time::now`].
pub fn now() -> String {
    time::now()
}

/// The version of the WIT contract this SDK builds plugins for (the package version
/// in `wit/`; the host reads it from the component's export names).
pub const WIT_VERSION: &str = "0.2.0";

/// What the export macros expand to. Not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use crate::bindings::{app_connector, device_manager, hr_source, shipping};
    pub use crate::worlds::{
        AppConnectorExport, DeviceManagerExport, HrSourceExport, ShippingExport,
    };
}

/// Registers a type implementing [`HrSource`] as this component's export (world
/// `hr-source-places-plugin`: `hr-source-plugin` plus the optional `hr-addresses`,
/// answered by [`HrSource::home_address`], and the optional `hr-places`, answered by
/// [`HrSource::fetch_placed`]). Use it once, in the crate root of a `cdylib`.
#[macro_export]
macro_rules! export_hr_source {
    ($t:ty) => {
        const _: () = {
            type __TenureExport = $crate::__private::HrSourceExport<$t>;
            $crate::__private::hr_source::export_hr_source_plugin!(
                __TenureExport with_types_in $crate::__private::hr_source
            );
        };
    };
}

/// Registers a type implementing [`AppConnector`] as this component's export (world
/// `app-connector-directory-plugin`: `app-connector-plugin` plus the optional
/// `group-directory`, answered by [`AppConnector::list_groups`]).
#[macro_export]
macro_rules! export_app_connector {
    ($t:ty) => {
        const _: () = {
            type __TenureExport = $crate::__private::AppConnectorExport<$t>;
            $crate::__private::app_connector::export_app_connector_plugin!(
                __TenureExport with_types_in $crate::__private::app_connector
            );
        };
    };
}

/// Registers a type implementing [`DeviceManager`] as this component's export (world
/// `device-manager-inventory-plugin`: `device-manager-plugin` plus the optional
/// `device-inventory`, answered by [`DeviceManager::list_devices`] and
/// [`DeviceManager::find_by_serial`]).
#[macro_export]
macro_rules! export_device_manager {
    ($t:ty) => {
        const _: () = {
            type __TenureExport = $crate::__private::DeviceManagerExport<$t>;
            $crate::__private::device_manager::export_device_manager_plugin!(
                __TenureExport with_types_in $crate::__private::device_manager
            );
        };
    };
}

/// Registers a type implementing [`Shipping`] as this component's export (world
/// `shipping-returns-plugin`: `shipping-plugin` plus the optional `return-shipping`,
/// answered by [`Shipping::book_return`], [`Shipping::void_return`] and
/// [`Shipping::track_return`]).
#[macro_export]
macro_rules! export_shipping {
    ($t:ty) => {
        const _: () = {
            type __TenureExport = $crate::__private::ShippingExport<$t>;
            $crate::__private::shipping::export_shipping_plugin!(
                __TenureExport with_types_in $crate::__private::shipping
            );
        };
    };
}
