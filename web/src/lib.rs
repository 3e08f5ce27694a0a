//! Tenure's web UI: every page rendered on the server with Leptos, from plain data the
//! server hands over. Pages are HTML forms that post back to the server (which checks
//! the session, its role and the CSRF token), so every workflow works in any browser;
//! the interactive parts ([`islands`]) are hydrated by a small WebAssembly bundle that
//! the server embeds and serves under `/pkg/`.
//!
//! Features: `ssr` (the server: [`pages`]) and `hydrate` (the browser bundle). One module
//! per area: [`pages::auth`] (sign-in, first admin), [`pages::tasks`] and
//! [`pages::task_forms`] (my tasks and each task's workflow), [`pages::employees`] and
//! [`pages::profile`], and [`pages::settings`].

#![recursion_limit = "256"]

pub mod islands;
#[cfg(feature = "ssr")]
mod layout;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
mod status;
#[cfg(feature = "ssr")]
mod style;

#[cfg(feature = "ssr")]
pub use layout::{Chrome, Flash, Nav, document, enable_islands};
#[cfg(feature = "ssr")]
pub use status::{PluginRow, StatusPage, render_status};

/// The bundle's entry point: sets up the reactive runtime; the loader then hydrates
/// each `<leptos-island>` with its exported function.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}
