//! The `tenure` appliance: configuration, the HTTP server, plugins wired to the
//! store, email, and the subcommands of the binary (see `main.rs`).

pub mod app;
pub mod auth;
pub mod backup_schedule;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod demo_hardware;
pub mod group_check;
pub mod hardware;
pub mod http;
pub mod key_check;
pub mod logging;
pub mod plugin_install;
pub mod plugin_trust;
pub mod plugins;
pub mod secret_binding;

// The engine's modules under their old names, for the server's own code.
pub use tenure_engine::{email, lifecycle};
