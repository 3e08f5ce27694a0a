//! The guest SDK for Tenure plugins.
//!
//! A connector implements one trait — [`HrSource`], [`AppConnector`], [`DeviceManager`]
//! or [`Shipping`] — and registers it with the matching macro:
//!
//! ```ignore
//! use tenure_sdk::{Error, HrPage, HrSource};
//!
//! struct MyHr;
//! impl HrSource for MyHr {
//!     fn test_connection() -> Result<(), Error> { Ok(()) }
//!     fn fetch(since: Option<String>, cursor: Option<String>) -> Result<HrPage, Error> {
//!         todo!()
//!     }
//! }
//! tenure_sdk::export_hr_source!(MyHr);
//! ```
//!
//! Everything a connector needs from the host is here, each in its own module:
//! [`http`] (JSON over HTTP, error mapping), [`oauth`] (client-credentials tokens,
//! cached), [`paging`] (Link headers, cursors), [`settings`], [`kv`] and [`log`].
//! Build with `cargo build --release --target wasm32-wasip2`.

pub mod http;
pub mod kv;
pub mod log;
pub mod oauth;
pub mod paging;
pub mod settings;
mod worlds;

#[doc(hidden)]
pub mod wit {
    wit_bindgen::generate!({
        path: "../../wit/v0.1.0",
        world: "imports",
        generate_all,
    });
}

pub use wit::tenure::plugin::types::{
    Account, Address, CommandState, Device, EmploymentStatus, Error, Features, Group, GroupPage,
    HrEmployee, HrPage, Parcel, Person, ReturnShipment, ShipmentState,
};
pub use worlds::{AppConnector, DeviceManager, HrSource, Shipping};

/// The host's current time, RFC 3339 in UTC (plugins have no clock of their own to trust).
pub fn now() -> String {
    wit::tenure::plugin::host::now()
}

/// The version of the WIT contract this SDK builds plugins for.
pub const WIT_VERSION: &str = "0.1.0";

#[doc(hidden)]
pub mod __private {
    pub use tenure_sdk_macros::export_world;
    pub use wit_bindgen;
}

/// Registers a type implementing [`HrSource`] as this component's export.
#[macro_export]
macro_rules! export_hr_source {
    ($t:ty) => {
        $crate::__private::export_world!(hr_source, $t);
    };
}

/// Registers a type implementing [`AppConnector`] as this component's export.
#[macro_export]
macro_rules! export_app_connector {
    ($t:ty) => {
        $crate::__private::export_world!(app_connector, $t);
    };
}

/// Registers a type implementing [`DeviceManager`] as this component's export.
#[macro_export]
macro_rules! export_device_manager {
    ($t:ty) => {
        $crate::__private::export_world!(device_manager, $t);
    };
}

/// Registers a type implementing [`Shipping`] as this component's export.
#[macro_export]
macro_rules! export_shipping {
    ($t:ty) => {
        $crate::__private::export_world!(shipping, $t);
    };
}
