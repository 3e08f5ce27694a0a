//! Tenure's domain: pure types and rules, no I/O, no clock.
//!
//! The lifecycle planner lands here; for now it holds the identifiers every layer shares.

use serde::{Deserialize, Serialize};

/// A plugin's id as its manifest declares it (`merge-hris`, `okta`, ...).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PluginId(pub String);

impl std::fmt::Display for PluginId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
