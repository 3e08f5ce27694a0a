//! Plugins built for contract 0.1 (`wit/v0.1.0`, frozen) on this 0.2 host.
//!
//! The host has one implementation of everything, in 0.2 terms; this module is the
//! thin layer that lets a 0.1 component run against it, so that nothing outside
//! `bindings`, `plugin` and `calls` knows 0.1 exists:
//!
//! - [`imports`]: the 0.1 `host`, `http` and `types` imports, each forwarding to the 0.2
//!   implementation (0.1's are the same minus `sign-jwt` and `signing-identity`).
//! - [`records`]: `From` conversions between the two versions' records, for the worlds
//!   whose calls kept their shape (hr-source, device-manager, shipping) and for errors.
//! - [`app_connector`]: 0.2's app-connector calls answered by a 0.1 connector, whose
//!   calls differ: what maps, maps; the rest answers `unsupported`.

pub(crate) mod app_connector;
pub(crate) mod imports;
pub(crate) mod records;
