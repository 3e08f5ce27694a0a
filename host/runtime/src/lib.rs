//! Runs Tenure plugins: WebAssembly components (wasm32-wasip2) behind the WIT contract
//! `tenure:plugin@0.1.0`, each in its own sandbox.
//!
//! - [`Manifest`]: what a plugin declares (id, world, allowed hosts, settings).
//! - [`Runtime`]: one wasmtime engine; compiles (and caches) components, checks their
//!   WIT version and world, and pre-instantiates them.
//! - [`Plugin`]: a loaded plugin; every call gets a fresh instance with a memory cap,
//!   a CPU budget and a wall-clock deadline. Guest code yields to the async runtime at
//!   every epoch tick, so a looping plugin never holds a worker thread. A trap, a
//!   panic, a loop or a memory bomb fails that one call with a [`CallError`]; the host
//!   goes on.
//! - Outbound HTTP goes through the host's own `http` import, checked on every
//!   request against the manifest's allowed hosts ([`allowlist`]) and, at connect
//!   time, against the address policy: never link-local, and loopback, this machine
//!   and plain `http://` only with [`RuntimeConfig::allow_local_http`].
//! - Settings, secrets and key-value come from a [`PluginStateStore`] the embedder
//!   provides, always scoped to the calling plugin's id.

pub mod allowlist;
mod bindings;
mod cache;
mod calls;
mod config;
mod egress;
mod error;
mod host_impl;
mod http_client;
pub mod manifest;
mod metrics;
mod plugin;
mod runtime;
mod state;
pub mod version;

pub use bindings::types;
pub use config::RuntimeConfig;
pub use error::{CallError, LoadError};
pub use manifest::{Manifest, SettingKind, SettingSpec, World};
pub use metrics::RuntimeMetrics;
pub use plugin::Plugin;
pub use runtime::{Runtime, install_crypto_provider};
pub use state::{MemoryStateStore, PluginStateStore};
