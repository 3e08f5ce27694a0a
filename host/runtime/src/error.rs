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
    /// The plugin answered with an error of the contract (bad credentials, rate limit,
    /// `unsupported`...). For a plugin built for 0.1 the adapter answers `unsupported`
    /// for the calls 0.1 cannot make.
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
    /// When the host should try again, in seconds (rate limits, outages). `None` for
    /// everything else, `unsupported` included (a person does it instead).
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
                types::Error::Unsupported(_) => "unsupported",
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

/// The most of a plugin's own message the host keeps in an error.
const MAX_PLUGIN_MESSAGE: usize = 500;

fn describe(e: &types::Error) -> String {
    let clean = |m: &str| clean_message(m, MAX_PLUGIN_MESSAGE);
    match e {
        types::Error::Unauthorized(m) => {
            format!(
                "unauthorized: {} (check the integration's credentials)",
                clean(m)
            )
        }
        types::Error::NotFound(m) => format!("not found: {}", clean(m)),
        types::Error::Conflict(m) => format!("conflict: {}", clean(m)),
        types::Error::RateLimited(s) => {
            format!("rate limited by the remote system: retry after {s} s")
        }
        types::Error::InvalidInput(m) => format!("invalid input: {}", clean(m)),
        types::Error::Unavailable(m) => {
            format!("the remote system is unavailable: {}", clean(m))
        }
        types::Error::Unsupported(m) => {
            format!(
                "the connector cannot do this: {} (a person has to do it by hand)",
                clean(m)
            )
        }
        types::Error::Other(m) => clean(m),
    }
}

/// Text from a plugin (which may echo a remote system) made safe to show and log: no
/// control or bidi-override characters (they forge log lines and reorder text), runs
/// of whitespace as one space, at most `max` characters (then `…`).
pub(crate) fn clean_message(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut kept = 0;
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() || is_format_char(c) {
            space = !out.is_empty();
            continue;
        }
        if kept + usize::from(space) >= max {
            out.push('…');
            break;
        }
        if space {
            out.push(' ');
            kept += 1;
            space = false;
        }
        out.push(c);
        kept += 1;
    }
    out
}

/// Invisible characters that change how text reads: zero-width marks, bidi overrides
/// and isolates, the byte-order mark.
fn is_format_char(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plugin_messages_are_cleaned_and_capped() {
        let forged = "bad token\n2026-01-01 INFO admin signed in\r\u{1b}[31mred\u{202E}txt";
        let err = CallError::Plugin(types::Error::Unauthorized(forged.into()));
        let shown = err.to_string();
        assert_eq!(
            shown,
            "unauthorized: bad token 2026-01-01 INFO admin signed in [31mred txt (check the integration's credentials)"
        );

        let huge = "x".repeat(10_000);
        let shown = CallError::Plugin(types::Error::Other(huge)).to_string();
        assert_eq!(shown.chars().count(), MAX_PLUGIN_MESSAGE + 1);
        assert!(shown.ends_with('…'));
    }

    #[test]
    fn unsupported_is_not_retried_and_says_a_person_does_it() {
        let err = CallError::Plugin(types::Error::Unsupported("no licences here".into()));
        assert_eq!(err.kind(), "unsupported");
        assert_eq!(err.retry_after(), None);
        let shown = err.to_string();
        assert!(
            shown.contains("no licences here") && shown.contains("by hand"),
            "{shown}"
        );
    }

    #[test]
    fn cleaning_collapses_whitespace_and_keeps_short_text() {
        assert_eq!(clean_message("  a \t\n b  ", 10), "a b");
        assert_eq!(clean_message("héllo wörld", 5), "héllo…");
        assert_eq!(clean_message("abc", 3), "abc");
        assert_eq!(clean_message("", 3), "");
    }
}
