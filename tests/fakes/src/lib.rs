//! Fakes of the vendor APIs Tenure talks to.
//!
//! Each fake is a small axum server that follows the vendor's *documented* behaviour
//! (shapes, paging, auth, rate limits), so that the appliance's connectors can be tested
//! end to end and the appliance's demo mode has something realistic to talk to.
//!
//! - [`merge`]: Merge's unified HRIS API (`/api/hris/v1/...`).
//! - [`trinet`]: TriNet's own API (`/oauth/accesstoken`, `/v1/company/{companyId}/...`).
//! - [`graph`]: Microsoft Graph (`/{tenant}/oauth2/v2.0/token`, `/v1.0/...`).
//! - [`google`]: Google Workspace's Admin SDK Directory and Data Transfer APIs (`/token`,
//!   `/admin/directory/v1/...`, `/admin/datatransfer/v1/...`).
//! - [`okta`]: an Okta org's Management API (`/api/v1/...`) and token endpoint
//!   (`/oauth2/v1/token`).
//! - [`fleet`]: a Fleet server's REST API (`/api/v1/fleet/...`): hosts, lock, wipe.
//! - [`slack`]: Slack's Web API (`/api/<method>`) and SCIM v2 Users (`/scim/v2/Users`).
//! - [`ups`]: UPS's OAuth, Shipping (returns, void), Direct-to-Mobile drop-off and
//!   Tracking APIs.

pub mod fleet;
pub mod google;
pub mod graph;
mod ids;
mod limits;
pub mod merge;
mod oauth;
pub mod okta;
mod rng;
mod server;
mod shared;
pub mod slack;
pub mod trinet;
pub mod ups;

pub use fleet::FakeFleet;
pub use google::FakeGoogle;
pub use graph::FakeGraph;
pub use merge::FakeMerge;
pub use okta::FakeOkta;
pub use server::ServerHandle;
pub use slack::FakeSlack;
pub use trinet::FakeTriNet;
pub use ups::FakeUps;
