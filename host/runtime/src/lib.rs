//! Runs Tenure plugins: WebAssembly components (wasm32-wasip2) behind the versioned WIT
//! contract `tenure:plugin` (`wit/`), each in its own sandbox.
//!
//! The host speaks contract **0.2** ([`version::HOST`]): [`types`] and every call of
//! [`Plugin`] are 0.2's. It keeps running plugins built for **0.1**: loading reads the
//! version from the component's export name (`tenure:plugin/<world>@<version>`, see
//! [`version`]), binds the matching world, and runs a 0.1 plugin through an adapter
//! that answers 0.2 calls with 0.1 ones (an app connector's calls that 0.1 cannot make
//! answer `unsupported`). Any other version is refused at load with a message that
//! says what to do.
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
//!   provides, always scoped to the calling plugin's id. A `signing-key` setting
//!   ([`SettingKind::SigningKey`]) never enters the plugin: the host signs JWTs with it
//!   (`sign-jwt`, RS256).

mod adapt_v0_1;
pub mod allowlist;
mod bindings;
mod cache;
mod calls;
mod calls_optional;
mod config;
mod egress;
mod error;
mod host_impl;
mod http_client;
pub mod manifest;
mod metrics;
mod plugin;
mod runtime;
pub mod signature;
mod signing;
mod state;
pub mod version;

pub use bindings::{optional, types};
pub use config::RuntimeConfig;
pub use error::{CallError, LoadError};
pub use manifest::{Manifest, SettingKind, SettingSpec, World};
pub use metrics::RuntimeMetrics;
pub use plugin::Plugin;
pub use runtime::{Runtime, install_crypto_provider};
pub use state::{MemoryStateStore, PluginStateStore};
