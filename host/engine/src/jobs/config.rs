//! `[jobs]` of the configuration file.

use serde::Deserialize;
use tenure_domain::RetryPolicy;
use tenure_domain::jiff::SignedDuration;

/// `[jobs]`: how the job runner runs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JobsConfig {
    /// Jobs running at once, across connectors.
    pub workers: usize,
    /// Jobs running at once per connector (the vendor's rate limits are per tenant).
    pub per_connector: usize,
    /// How long a worker holds a job; a job of a process that died runs again after
    /// this. Longer than the plugin call limit.
    pub lease_secs: u64,
    /// How often the runner looks for due jobs when nothing wakes it.
    pub poll_millis: u64,
    /// Failed attempts (not counting rate-limit waits) before a person takes over.
    pub max_attempts: u32,
    /// The first wait after a failure; it doubles up to `max_backoff_secs`.
    pub first_backoff_secs: u64,
    pub max_backoff_secs: u64,
}

impl Default for JobsConfig {
    fn default() -> Self {
        JobsConfig {
            workers: 8,
            per_connector: 4,
            lease_secs: 600,
            poll_millis: 1000,
            max_attempts: 8,
            first_backoff_secs: 15,
            max_backoff_secs: 3600,
        }
    }
}

impl JobsConfig {
    pub fn retry_policy(&self) -> RetryPolicy {
        RetryPolicy {
            max_attempts: self.max_attempts.max(1),
            first_backoff: SignedDuration::from_secs(self.first_backoff_secs as i64),
            max_backoff: SignedDuration::from_secs(
                self.max_backoff_secs.max(self.first_backoff_secs) as i64,
            ),
            ..RetryPolicy::default()
        }
    }
}
