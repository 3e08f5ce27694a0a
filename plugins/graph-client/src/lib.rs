//! Microsoft Graph for Tenure's Microsoft connectors (`microsoft365`, `entra`): one
//! client, shared rather than copied, over the plugin SDK (`tenure_sdk`).
//!
//! - [`Graph`]: the settings every Microsoft connector has (`tenant_id`, `client_id`,
//!   `client_secret`, `login_url`, `graph_url`), an app-only token by client
//!   credentials, requests under `/v1.0`, `@odata.nextLink` paging kept on the Graph
//!   origin, Graph's error body mapped to the contract's errors (429 → rate-limited by
//!   `Retry-After`, 403 → unauthorized naming the permission to grant), and users.
//! - [`groups`]: security and Microsoft 365 group membership by display name, and the
//!   group picker.
//!
//! Not a plugin: a library the plugins link in (it has no manifest, and is never
//! bundled on its own).

mod client;
pub mod groups;
/// Scripted Graph for the connectors' native unit tests.
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;

pub use client::{
    AssignedLicense, DEFAULT_GRAPH_URL, DEFAULT_LOGIN_URL, Graph, List, SCOPE, USER_SELECT, User,
    error, error_code, has_detail_code, literal, user_path,
};
