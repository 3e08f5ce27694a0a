//! The lifecycle engine: what turns HR changes into work, between the store (redb), the
//! plugin runtime (wasmtime) and the pure rules of `tenure-domain`.
//!
//! - [`lifecycle::Engine`]: HR sync through `hr-source` plugins, one transaction per
//!   page; the planner's state in memory; champions' decisions and admin actions.
//! - [`scheduler`]: scheduled syncs and the due run (final days, start dates).
//! - [`jobs`]: the durable job runner that calls app connectors.
//! - [`email`]: the outbox's SMTP side and the messages it sends.
//!
//! The HTTP server, the UI and the CLI (`tenure`) sit on top of it.

pub mod email;
pub mod jobs;
pub mod lifecycle;
pub mod scheduler;
