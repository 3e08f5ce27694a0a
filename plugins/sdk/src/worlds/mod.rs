//! One trait per plugin world, each a documented face of the WIT interface the world
//! exports, and the adapters that wire a plugin's type to the generated bindings
//! (used by the `export_*!` macros).
//!
//! Every method is an associated function (no `self`): calls are stateless, each runs
//! in a fresh instance. What must survive between calls goes to [`crate::kv`].
//!
//! # Errors, and what the host does with them
//!
//! | error | when to return it | what the host does |
//! | --- | --- | --- |
//! | [`Error::Unauthorized`] | credentials missing, wrong, expired, or lacking a permission; a required setting is unset | parks the connector (no more calls) until an admin changes its settings |
//! | [`Error::RateLimited`]`(secs)` | the remote said slow down | retries the same call after exactly `secs` seconds |
//! | [`Error::Unavailable`] | the remote is down, timed out, answered 5xx | retries later with backoff |
//! | [`Error::NotFound`] | the thing named (account, group, device) does not exist | depends on the call: removing something gone is success, so say so only where the docs below ask for it |
//! | [`Error::Conflict`] | the remote state conflicts (an address taken by another person) | a manual task with the message |
//! | [`Error::InvalidInput`] | the remote rejects a value of the request (a name too long, an unknown licence id) | a manual task with the message |
//! | [`Error::Unsupported`] | this connector, or the remote's plan, cannot do this | no retry; a manual task for a person |
//! | [`Error::Other`] | anything else | shown to an administrator; a manual task |
//!
//! [`crate::http`] maps HTTP answers to these already; messages are shown to people,
//! so say what went wrong and what to do, and never include a secret.

mod app_connector;
mod device_manager;
mod hr_source;
mod shipping;

pub use app_connector::AppConnector;
pub use device_manager::DeviceManager;
pub use hr_source::HrSource;
pub use shipping::Shipping;

#[doc(hidden)]
pub use app_connector::AppConnectorExport;
#[doc(hidden)]
pub use device_manager::DeviceManagerExport;
#[doc(hidden)]
pub use hr_source::HrSourceExport;
#[doc(hidden)]
pub use shipping::ShippingExport;

use crate::Error;

/// The text every default method's [`Error::Unsupported`] ends with.
pub(crate) const NOT_IMPLEMENTED: &str = "not implemented by this connector";

/// What a default method answers: [`Error::Unsupported`], which makes the host open a
/// manual task instead of retrying.
pub fn not_implemented(what: &str) -> Error {
    Error::Unsupported(format!("{what}: {NOT_IMPLEMENTED}"))
}

/// Whether `e` is the answer of a default (not overridden) method.
pub fn is_not_implemented(e: &Error) -> bool {
    matches!(e, Error::Unsupported(m) if m.ends_with(NOT_IMPLEMENTED))
}
