//! Company hardware: assets and their life (in stock, assigned, on its way back,
//! received), the company's sites and warehouse, device returns booked with a carrier,
//! and MDM commands (lock, wipe) sent to a leaver's devices.
//!
//! Pure, like the rest of the domain: the functions in [`plan`] take what is known and
//! return a [`crate::Plan`] whose effects (`PutAsset`, `PutShipment`, `PutCommand`) the
//! shell commits in one transaction with the decision that caused them. Calls to the
//! carrier and the MDM happen in the shell; their answers come back in as arguments.

mod address;
mod asset;
mod csv_import;
mod inventory;
mod mdm;
pub mod plan;
mod returns;
mod settings;
mod store;

pub use address::{AddressError, PostalAddress};
pub use asset::{Asset, AssetError, AssetEvent, AssetState, MdmLink, NewAsset};
pub use csv_import::{CsvImport, RowError, parse_csv, parse_money};
pub use inventory::{AssetFilter, Hardware};
pub use mdm::{CommandState, MdmCommand};
pub use returns::{Booking, DeviceChoice, ReturnDraft, ReturnShipment, ShipmentState};
pub use settings::{HardwareSettings, Site, WAREHOUSE};
pub use store::{Order, OrderMove, OrderState, Product, checkout, order_moved};
