//! Fakes of the vendor APIs Tenure talks to.
//!
//! Each fake is a small axum server that follows the vendor's *documented* behaviour
//! (shapes, paging, auth, rate limits), so that the appliance's connectors can be tested
//! end to end and the appliance's demo mode has something realistic to talk to.
//!
//! - [`merge`]: Merge's unified HRIS API (`/api/hris/v1/...`).

pub mod merge;
mod rng;
mod server;
pub mod trinet;

pub use merge::FakeMerge;
pub use server::ServerHandle;
pub use trinet::FakeTriNet;
