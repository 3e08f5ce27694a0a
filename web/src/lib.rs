//! Tenure's web UI: every page rendered on the server with Leptos, from plain data the
//! server hands over. Pages are HTML forms that post back to the server (which checks
//! the session, its role and the CSRF token), so every workflow works in any browser,
//! with or without JavaScript, and no page waits on a connector.
//!
//! One module per area: [`pages::auth`] (sign-in, first admin), [`pages::tasks`] (my
//! tasks and each task's workflow), [`pages::employees`] (list, profile, add), and
//! [`pages::settings`] (integrations, sync, catalog, users, quarantine, audit).

mod layout;
pub mod pages;
mod status;
mod style;

pub use layout::{Chrome, Flash, Nav, document};
pub use status::{PluginRow, StatusPage, render_status};
