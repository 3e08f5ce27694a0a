//! Jobs: the calls into app connectors that decisions ask for, and the rules for what
//! happens after each attempt. The shell keeps them in a durable queue and leases them
//! to workers; this module only decides, from an attempt's outcome, what comes next.
//!
//! - A success ends the job.
//! - `rate-limited(n)` waits exactly `n` seconds and does not count as a failed attempt
//!   (bounded all the same, by [`RetryPolicy::max_rate_limited`]).
//! - `unavailable`, a timeout or a crashed call retries with exponential backoff and
//!   jitter, up to [`RetryPolicy::max_attempts`].
//! - `unauthorized` parks every job of the connector until an admin changes its
//!   settings: retrying cannot help while the credentials are wrong.
//! - `invalid-input`, `unsupported`, anything else, or the attempts spent end the job;
//!   the app's champions get a manual task with the reason in words.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::effect::{JobAction, JobIntent};

/// A job in the queue: what to do, and where it stands.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// The queue's key; also the idempotency key a connector receives.
    pub id: String,
    pub intent: JobIntent,
    pub state: JobState,
    /// Failed attempts so far (rate-limit waits not counted).
    #[serde(default)]
    pub attempts: u32,
    /// Rate-limit waits so far.
    #[serde(default)]
    pub rate_limited: u32,
    /// Not leased before this instant.
    pub run_after: Timestamp,
    pub enqueued: Timestamp,
    pub updated: Timestamp,
    /// The last attempt's error, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

/// Where a job stands. Parking is the connector's state, not the job's: a parked
/// connector's queued jobs simply are not leased.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for `run_after` (and for a free worker).
    Queued,
    /// A worker holds it until `until`; a lease that expires (the process died) makes
    /// it runnable again. Only the holder of `token` may finish it.
    Running { token: String, until: Timestamp },
    /// It did its work.
    Done { at: Timestamp, note: String },
    /// It ended without doing its work; a manual task took over.
    Failed { at: Timestamp, reason: String },
    /// A person cancelled it.
    Cancelled { at: Timestamp, by: String },
}

impl JobState {
    pub fn name(&self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running { .. } => "running",
            JobState::Done { .. } => "done",
            JobState::Failed { .. } => "failed",
            JobState::Cancelled { .. } => "cancelled",
        }
    }

    /// Done, failed or cancelled: nothing more happens to it.
    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            JobState::Done { .. } | JobState::Failed { .. } | JobState::Cancelled { .. }
        )
    }
}

impl Job {
    /// A new queued job for `intent`, runnable from its `not_before` (or `now`).
    pub fn new(id: String, intent: JobIntent, now: Timestamp) -> Job {
        Job {
            id,
            run_after: intent.not_before.unwrap_or(now).max(now),
            intent,
            state: JobState::Queued,
            attempts: 0,
            rate_limited: 0,
            enqueued: now,
            updated: now,
            last_error: None,
        }
    }

    /// Leasable now: queued and due, or running under a lease that has expired.
    pub fn is_runnable(&self, now: Timestamp) -> bool {
        match &self.state {
            JobState::Queued => self.run_after <= now,
            JobState::Running { until, .. } => *until <= now,
            _ => false,
        }
    }

    /// Jobs of one employee and app run one at a time, oldest first.
    pub fn sequence_key(&self) -> (String, String) {
        (self.intent.employee.id.0.clone(), self.intent.app.0.clone())
    }

    /// What it does, in words: "create the account in Microsoft 365".
    pub fn describe(&self, app_name: &str) -> String {
        let group = || {
            self.intent
                .group
                .as_ref()
                .map_or_else(|| app_name.to_string(), ToString::to_string)
        };
        match self.intent.action {
            JobAction::Provision => format!("create the account in {app_name}"),
            JobAction::Revoke => format!("revoke access to {app_name}"),
            JobAction::Join => format!("add to {}", group()),
            JobAction::Leave => format!("remove from {}", group()),
        }
    }
}

/// How an attempt failed, as the runner classifies a connector's error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Credentials missing, wrong or short of a permission.
    Unauthorized(String),
    /// Wait exactly this many seconds.
    RateLimited(u32),
    /// Down, timed out, crashed: worth another try.
    Transient(String),
    /// Retrying cannot help: bad input, not supported, an unexpected answer.
    Permanent(String),
}

/// What the runner does after a failed attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Queue it again, runnable from this instant.
    RetryAt(Timestamp),
    /// Park the connector (and keep the job queued) until its settings change.
    Park(String),
    /// End the job; open a manual task with this reason.
    GiveUp(String),
}

/// Backoff and limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_attempts: u32,
    pub first_backoff: SignedDuration,
    pub max_backoff: SignedDuration,
    pub max_rate_limited: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 8,
            first_backoff: SignedDuration::from_secs(15),
            max_backoff: SignedDuration::from_hours(1),
            max_rate_limited: 1000,
        }
    }
}

impl RetryPolicy {
    /// The wait after `attempts` failed attempts (1 = the first failure): doubling from
    /// `first_backoff`, capped at `max_backoff`, then spread by `jitter` (0..1) over
    /// 75%..125% so that jobs failing together do not retry together.
    pub fn backoff(&self, attempts: u32, jitter: f64) -> SignedDuration {
        let base = self.first_backoff.as_secs_f64() * 2f64.powi(attempts.saturating_sub(1) as i32);
        let capped = base.min(self.max_backoff.as_secs_f64());
        let spread = 0.75 + 0.5 * jitter.clamp(0.0, 1.0);
        SignedDuration::from_secs_f64(capped * spread)
    }

    /// Decides what follows a failed attempt and records it on `job` (attempt counts,
    /// last error, `run_after`). `jitter` is a random number in 0..1 from the shell.
    pub fn after_failure(
        &self,
        job: &mut Job,
        failure: &Failure,
        now: Timestamp,
        jitter: f64,
    ) -> Next {
        job.updated = now;
        match failure {
            Failure::RateLimited(secs) => {
                job.rate_limited += 1;
                job.last_error = Some(format!("rate limited: asked to wait {secs} s"));
                if job.rate_limited > self.max_rate_limited {
                    return Next::GiveUp(format!(
                        "the application kept asking to slow down ({} times)",
                        job.rate_limited
                    ));
                }
                let at = now + SignedDuration::from_secs(i64::from(*secs));
                job.run_after = at;
                Next::RetryAt(at)
            }
            Failure::Transient(why) => {
                job.attempts += 1;
                job.last_error = Some(why.clone());
                if job.attempts >= self.max_attempts {
                    return Next::GiveUp(format!(
                        "gave up after {} attempts; the last error: {why}",
                        job.attempts
                    ));
                }
                let at = now + self.backoff(job.attempts, jitter);
                job.run_after = at;
                Next::RetryAt(at)
            }
            Failure::Unauthorized(why) => {
                job.last_error = Some(why.clone());
                job.run_after = now;
                Next::Park(why.clone())
            }
            Failure::Permanent(why) => {
                job.attempts += 1;
                job.last_error = Some(why.clone());
                Next::GiveUp(why.clone())
            }
        }
    }
}

/// A connector whose credentials failed: its jobs wait until an admin changes its
/// settings.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParkedConnector {
    pub connector: String,
    pub since: Timestamp,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AppId, EmployeeId, EmployeeRef, PluginId};

    fn job(now: Timestamp) -> Job {
        Job::new(
            "j1".into(),
            JobIntent {
                action: JobAction::Provision,
                app: AppId::new("m365"),
                group: None,
                connector: PluginId::new("microsoft365"),
                employee: EmployeeRef {
                    id: EmployeeId::new("E-1"),
                    name: "Ann Lee".into(),
                },
                not_before: None,
            },
            now,
        )
    }

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn rate_limited_waits_exactly_and_is_not_an_attempt() {
        let now = t("2026-01-01T00:00:00Z");
        let mut j = job(now);
        let next = RetryPolicy::default().after_failure(&mut j, &Failure::RateLimited(7), now, 0.9);
        assert_eq!(next, Next::RetryAt(t("2026-01-01T00:00:07Z")));
        assert_eq!((j.attempts, j.rate_limited), (0, 1));
        assert_eq!(j.run_after, t("2026-01-01T00:00:07Z"));
    }

    #[test]
    fn transient_failures_back_off_with_jitter_then_give_up() {
        let p = RetryPolicy::default();
        let now = t("2026-01-01T00:00:00Z");
        let mut j = job(now);
        let mut waits = Vec::new();
        loop {
            match p.after_failure(&mut j, &Failure::Transient("503".into()), now, 0.5) {
                Next::RetryAt(at) => waits.push(at.duration_since(now).as_secs()),
                Next::GiveUp(why) => {
                    assert!(why.contains("8 attempts") && why.contains("503"), "{why}");
                    break;
                }
                Next::Park(_) => unreachable!(),
            }
        }
        assert_eq!(waits, vec![15, 30, 60, 120, 240, 480, 960]);
        assert_eq!(p.backoff(1, 0.0).as_secs_f64(), 11.25);
        assert_eq!(p.backoff(1, 1.0).as_secs_f64(), 18.75);
        assert_eq!(p.backoff(30, 0.5).as_secs(), 3600, "capped");
    }

    #[test]
    fn unauthorized_parks_and_permanent_gives_up_at_once() {
        let p = RetryPolicy::default();
        let now = t("2026-01-01T00:00:00Z");
        let mut j = job(now);
        assert_eq!(
            p.after_failure(
                &mut j,
                &Failure::Unauthorized("bad secret".into()),
                now,
                0.1
            ),
            Next::Park("bad secret".into())
        );
        assert_eq!(j.attempts, 0);
        assert_eq!(
            p.after_failure(
                &mut j,
                &Failure::Permanent("no licence left".into()),
                now,
                0.1
            ),
            Next::GiveUp("no licence left".into())
        );
    }

    #[test]
    fn leases_expire_and_not_before_is_kept() {
        let now = t("2026-01-01T00:00:00Z");
        let mut j = job(now);
        assert!(j.is_runnable(now));
        j.state = JobState::Running {
            token: "x".into(),
            until: t("2026-01-01T00:05:00Z"),
        };
        assert!(!j.is_runnable(t("2026-01-01T00:04:59Z")));
        assert!(j.is_runnable(t("2026-01-01T00:05:00Z")));
        let mut later = job(now);
        later.intent.not_before = Some(t("2026-01-05T00:00:00Z"));
        let later = Job::new("j2".into(), later.intent, now);
        assert!(!later.is_runnable(now));
    }
}
