//! Host-side bindings of every contract version this host runs, one module per
//! version (`v0_1`, `v0_2`), one submodule per world. The host's own types are the
//! newest version's: [`types`]. Older versions reach them through the adapters in
//! [`crate::adapt_v0_1`].

pub(crate) mod v0_1;
pub(crate) mod v0_2;

/// The contract's shared types (employees, accounts, capabilities, devices, errors), as
/// the host sees them: those of `tenure:plugin@0.2.0`, whatever version a plugin was
/// built for.
pub mod types {
    pub use super::v0_2::imports::tenure::plugin::types::*;
}

/// The records of the optional interfaces `hr-places`, `device-inventory` and
/// `return-shipping`.
pub mod optional {
    pub use super::v0_2::device_inventory::exports::tenure::plugin::device_inventory::DevicePage;
    pub use super::v0_2::hr_places::exports::tenure::plugin::hr_places::{PlacedPage, WorkPlace};
    pub use super::v0_2::ship_returns::exports::tenure::plugin::return_shipping::{
        DropOffCode, Label, ReturnBooking, ReturnRequest, Tracking,
    };
}
