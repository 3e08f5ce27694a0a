use crate::types;
use thiserror::Error;

/// Why a plugin could not be loaded. Each message names the plugin and what to do.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("plugin manifest is invalid: {0}")]
    Manifest(String),
    #[error("plugin `{id}` is not a valid WebAssembly component: {reason}")]
    NotAComponent { id: String, reason: String },
    #[error("plugin `{id}` cannot run here: {reason}")]
    Version { id: String, reason: String },
    #[error("plugin `{id}` does not match its manifest: {reason}")]
    WorldMismatch { id: String, reason: String },
    #[error("plugin `{id}` needs imports this host does not provide: {reason}")]
    Imports { id: String, reason: String },
    #[error("a plugin with id `{0}` is loaded already")]
    Duplicate(String),
    #[error("cannot read plugin file {path}: {reason}")]
    Io { path: String, reason: String },
}

/// Why one plugin call failed. The plugin and the host stay usable.
#[derive(Debug, Error)]
pub enum CallError {
    /// The plugin answered with an error of the contract (bad credentials, rate limit...).
    #[error("{}", describe(.0))]
    Plugin(types::Error),
    #[error("the plugin ran past its deadline of {0} s and was stopped")]
    Deadline(u64),
    #[error(
        "the plugin used up its CPU budget of {0} s and was stopped (it loops, or does more work than one call should)"
    )]
    CpuBudget(u64),
    #[error("the plugin needed more than its memory limit of {0} MiB and was stopped")]
    OutOfMemory(usize),
    #[error("the plugin crashed: {0}")]
    Trap(String),
    #[error("plugin `{id}` is a {actual} plugin, not a {wanted} plugin")]
    WrongWorld {
        id: String,
        wanted: &'static str,
        actual: &'static str,
    },
    #[error("the plugin could not be started: {0}")]
    Instantiate(String),
}

impl CallError {
    /// When the host should try again, in seconds (rate limits, outages).
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            CallError::Plugin(types::Error::RateLimited(s)) => Some(*s),
            CallError::Plugin(types::Error::Unavailable(_)) => Some(60),
            _ => None,
        }
    }

    /// A short label for metrics and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            CallError::Plugin(e) => match e {
                types::Error::Unauthorized(_) => "unauthorized",
                types::Error::NotFound(_) => "not_found",
                types::Error::Conflict(_) => "conflict",
                types::Error::RateLimited(_) => "rate_limited",
                types::Error::InvalidInput(_) => "invalid_input",
                types::Error::Unavailable(_) => "unavailable",
                types::Error::Other(_) => "other",
            },
            CallError::Deadline(_) => "deadline",
            CallError::CpuBudget(_) => "cpu_budget",
            CallError::OutOfMemory(_) => "out_of_memory",
            CallError::Trap(_) => "trap",
            CallError::WrongWorld { .. } => "wrong_world",
            CallError::Instantiate(_) => "instantiate",
        }
    }
}

fn describe(e: &types::Error) -> String {
    match e {
        types::Error::Unauthorized(m) => {
            format!("unauthorized: {m} (check the integration's credentials)")
        }
        types::Error::NotFound(m) => format!("not found: {m}"),
        types::Error::Conflict(m) => format!("conflict: {m}"),
        types::Error::RateLimited(s) => {
            format!("rate limited by the remote system: retry after {s} s")
        }
        types::Error::InvalidInput(m) => format!("invalid input: {m}"),
        types::Error::Unavailable(m) => format!("the remote system is unavailable: {m}"),
        types::Error::Other(m) => m.clone(),
    }
}
