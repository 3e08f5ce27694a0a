//! The job runner: leases due jobs from the durable queue, runs each against its app
//! connector, and records the outcome (access record, retry, parked connector, or a
//! manual task) in one transaction per attempt.
//!
//! - At most `workers` jobs run at once, and at most `per_connector` per connector —
//!   fewer while the vendor answers "slow down" (`pace.rs`).
//! - A lease outlasts a call; a job whose process died runs again when it expires, and
//!   running it twice creates nothing twice: the connector finds before it creates and
//!   gets the job's id as the idempotency key.
//! - What follows a failure is the domain's [`RetryPolicy`].

mod config;
pub mod connector;
mod pace;
mod plugin;
mod steps;

pub use config::JobsConfig;
pub use connector::{AppConnector, ConnectorError, Connectors, Group, Missing};
pub use plugin::PluginConnector;
pub use steps::{JobInput, Outcome};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::Rng;
use tenure_domain::jiff::{SignedDuration, Timestamp};
use tenure_domain::{AccessState, Failure, Job, JobAction, JobState, Next, RetryPolicy};
use tenure_store::{JobFinish, OutboxEntry, Store};
use tokio::sync::Notify;

use crate::lifecycle::Engine;

/// Runs jobs. One per process; [`Runner::spawn`] starts its loop.
pub struct Runner {
    engine: Arc<Engine>,
    store: Arc<Store>,
    connectors: Arc<dyn Connectors>,
    config: JobsConfig,
    policy: RetryPolicy,
    in_flight: Mutex<HashMap<String, usize>>,
    pace: Mutex<pace::Pace>,
    wake: Notify,
}

impl Runner {
    pub fn new(
        engine: Arc<Engine>,
        store: Arc<Store>,
        connectors: Arc<dyn Connectors>,
        config: JobsConfig,
    ) -> Arc<Runner> {
        Arc::new(Runner {
            engine,
            store,
            connectors,
            policy: config.retry_policy(),
            pace: Mutex::new(pace::Pace::new(config.per_connector)),
            config,
            in_flight: Mutex::new(HashMap::new()),
            wake: Notify::new(),
        })
    }

    /// Looks for work now (a decision queued jobs, a connector was resumed).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Starts the loop: lease what is due, run it, sleep until woken or the next poll.
    pub fn spawn(self: Arc<Self>) -> tokio::task::JoinHandle<()> {
        let queued = self.engine.jobs_queued();
        tokio::spawn(async move {
            match self.store.requeue_running(Timestamp::now()) {
                Ok(0) => {}
                Ok(n) => tracing::info!("{n} jobs a stopped process held run again"),
                Err(e) => tracing::error!("job runner: {e}"),
            }
            loop {
                if let Err(e) = self.tick().await {
                    tracing::error!("job runner: {e:#}");
                }
                let poll = Duration::from_millis(self.config.poll_millis.max(50));
                tokio::select! {
                    _ = self.wake.notified() => {}
                    _ = queued.notified() => {}
                    _ = tokio::time::sleep(poll) => {}
                }
            }
        })
    }

    /// Jobs running now.
    pub fn running(&self) -> usize {
        self.in_flight.lock().expect("in-flight map").values().sum()
    }

    /// Leases what is due and free slots allow, and starts each; returns how many.
    pub async fn tick(self: &Arc<Self>) -> anyhow::Result<usize> {
        let free_total = self.config.workers.saturating_sub(self.running());
        if free_total == 0 {
            return Ok(0);
        }
        let now = Timestamp::now();
        let until = now + SignedDuration::from_secs(self.config.lease_secs as i64);
        let busy = self.in_flight.lock().expect("in-flight map").clone();
        let jobs = {
            let pace = self.pace.lock().expect("pace");
            self.store.lease_jobs(
                now,
                until,
                free_total,
                |c| {
                    pace.limit(c)
                        .saturating_sub(busy.get(c).copied().unwrap_or(0))
                },
                new_token,
            )?
        };
        let n = jobs.len();
        for job in jobs {
            *self
                .in_flight
                .lock()
                .expect("in-flight map")
                .entry(job.intent.connector.0.clone())
                .or_default() += 1;
            let me = Arc::clone(self);
            tokio::spawn(async move {
                let connector = job.intent.connector.0.clone();
                if let Err(e) = me.run_one(job).await {
                    tracing::error!("job runner: {e:#}");
                }
                if let Some(n) = me
                    .in_flight
                    .lock()
                    .expect("in-flight map")
                    .get_mut(&connector)
                {
                    *n = n.saturating_sub(1);
                }
                me.wake();
            });
        }
        Ok(n)
    }

    /// One attempt of one leased job.
    async fn run_one(&self, job: Job) -> anyhow::Result<()> {
        let JobState::Running { token, .. } = job.state.clone() else {
            return Ok(());
        };
        let result = self.attempt(&job).await;
        let now = Timestamp::now();
        {
            let mut pace = self.pace.lock().expect("pace");
            match &result {
                Ok(_) => pace.succeeded(&job.intent.connector.0),
                Err(Failure::RateLimited(secs)) => pace.rate_limited(
                    &job.intent.connector.0,
                    Duration::from_secs(u64::from(*secs)),
                ),
                Err(_) => {}
            }
        }
        let finish = match result {
            Ok((mut outcome, input)) => {
                let notify = match outcome.temporary_password.take() {
                    Some(password) => match self.credential_email(&job, &input, &password) {
                        Ok(entry) => entry,
                        Err(why) => {
                            outcome.note.push_str(&format!(
                                "; its first password could not be sent ({why}): reset it in the application"
                            ));
                            None
                        }
                    },
                    None => None,
                };
                JobFinish::Done {
                    access: if outcome.active {
                        AccessState::Active
                    } else {
                        AccessState::Revoked
                    },
                    account_id: outcome.account_id,
                    note: outcome.note,
                    notify,
                }
            }
            Err(failure) => {
                let mut next_job = job.clone();
                let jitter: f64 = rand::thread_rng().r#gen();
                match self
                    .policy
                    .after_failure(&mut next_job, &failure, now, jitter)
                {
                    Next::RetryAt(at) => {
                        tracing::info!(job = %job.id, %at, "job will retry: {failure:?}");
                        JobFinish::Retry { job: next_job }
                    }
                    Next::Park(reason) => {
                        tracing::warn!(connector = %job.intent.connector, "connector parked: {reason}");
                        JobFinish::Park {
                            alert: self.park_alert(&job, &reason),
                            job: next_job,
                            reason,
                        }
                    }
                    Next::GiveUp(reason) => {
                        tracing::warn!(job = %job.id, "job gave up: {reason}");
                        self.engine.give_up_job(next_job, &token, reason).await?;
                        return Ok(());
                    }
                }
            }
        };
        let mails = matches!(
            &finish,
            JobFinish::Done {
                notify: Some(_),
                ..
            } | JobFinish::Park { alert: Some(_), .. }
        );
        if !self.store.finish_job(&job.id, &token, finish, now)? {
            tracing::warn!(job = %job.id, "job lease lost before it finished; its outcome is dropped");
        } else if mails {
            self.engine.flush_outbox().await;
        }
        Ok(())
    }

    /// The email that takes a new account's first password to the person (or their
    /// manager), sealed, sent from the start date on. `Err`: there is nobody to send
    /// it to.
    fn credential_email(
        &self,
        job: &Job,
        input: &JobInput,
        password: &str,
    ) -> Result<Option<OutboxEntry>, String> {
        let to_manager = input.provisioning.credential_to_manager;
        let to = if to_manager {
            input.who.manager_email.clone()
        } else {
            input.who.personal_email.clone()
        }
        .ok_or_else(|| {
            if to_manager {
                "no manager is known".to_string()
            } else {
                "no personal email is known".to_string()
            }
        })?;
        let sealed = self
            .store
            .seal_note(&credential_purpose(&job.id), password)
            .map_err(|e| e.to_string())?;
        Ok(Some(OutboxEntry {
            to: vec![to],
            message: tenure_domain::NotificationKind::Credential {
                job: job.id.clone(),
                employee: job.intent.employee.clone(),
                app_name: input.app_name.clone(),
                login: input
                    .login
                    .clone()
                    .unwrap_or_else(|| input.who.work_email.clone()),
                sealed_password: sealed,
                deliver_after: input.start_at.filter(|t| *t > Timestamp::now()),
                to_manager,
            },
        }))
    }

    /// Calls the connector; classifies a failure for the retry policy.
    async fn attempt(&self, job: &Job) -> Result<(Outcome, JobInput), Failure> {
        let connector = self
            .connectors
            .app(&job.intent.connector.0)
            .map_err(|m| match m {
                Missing::NotConfigured => Failure::Unauthorized(format!(
                    "{} has no settings yet: an admin must fill them in",
                    job.intent.connector
                )),
                Missing::NotInstalled => Failure::Permanent(format!(
                    "the connector {} is not installed",
                    job.intent.connector
                )),
                Missing::WrongKind(kind) => Failure::Permanent(format!(
                    "{} is a {kind} plugin, not an app connector",
                    job.intent.connector
                )),
            })?;
        let Some(input) = self.engine.job_input(job).await else {
            return Err(Failure::Permanent(format!(
                "employee {} is no longer known",
                job.intent.employee
            )));
        };
        let temporary_password = (input.provisioning.credential
            == tenure_domain::FirstCredential::TemporaryPassword)
            .then(temporary_password);
        let input = JobInput {
            temporary_password,
            account_id: self
                .store
                .access(&job.intent.employee.id.0, &job.intent.app.0)
                .ok()
                .flatten()
                .and_then(|a| a.account_id),
            poll_every: Duration::from_millis(self.config.poll_millis.max(50)),
            ..input
        };
        let mut outcome = steps::run(connector.as_ref(), &input)
            .await
            .map_err(|e| classify(job.intent.action, e))?;
        let input = JobInput {
            login: outcome.login.take().or(input.login.clone()),
            ..input
        };
        Ok((outcome, input))
    }

    fn park_alert(&self, job: &Job, reason: &str) -> Option<OutboxEntry> {
        let admins: Vec<String> = self
            .store
            .users()
            .ok()?
            .into_iter()
            .filter(|u| u.admin && !u.disabled && !u.email.is_empty())
            .map(|u| u.email)
            .collect();
        (!admins.is_empty()).then(|| OutboxEntry {
            to: admins,
            message: tenure_domain::NotificationKind::ConnectorParked {
                connector: job.intent.connector.clone(),
                reason: reason.to_string(),
            },
        })
    }
}

/// What the retry policy makes of a connector's error.
fn classify(action: JobAction, e: ConnectorError) -> Failure {
    let what = match action {
        JobAction::Provision => "creating the account",
        JobAction::Revoke => "revoking access",
        JobAction::Join => "adding to the group",
        JobAction::Leave => "removing from the group",
    };
    match e {
        ConnectorError::Unauthorized(why) => Failure::Unauthorized(why),
        ConnectorError::RateLimited(secs) => Failure::RateLimited(secs),
        ConnectorError::Unavailable(why) => Failure::Transient(why),
        ConnectorError::Call(why) => Failure::Transient(why),
        other => Failure::Permanent(format!("{what}: {other}")),
    }
}

/// What a first password's seal is bound to.
pub fn credential_purpose(job: &str) -> String {
    format!("credential {job}")
}

/// A first password: 20 characters, with upper and lower case letters, digits and
/// symbols (directories' complexity rules), none that read alike.
fn temporary_password() -> String {
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const DIGITS: &[u8] = b"23456789";
    const SYMBOLS: &[u8] = b"!#%+-=?@";
    let mut rng = rand::thread_rng();
    let all: Vec<u8> = [UPPER, LOWER, DIGITS, SYMBOLS].concat();
    let mut chars: Vec<u8> = [UPPER, LOWER, DIGITS, SYMBOLS]
        .iter()
        .map(|set| set[rng.gen_range(0..set.len())])
        .collect();
    while chars.len() < 20 {
        chars.push(all[rng.gen_range(0..all.len())]);
    }
    rand::seq::SliceRandom::shuffle(chars.as_mut_slice(), &mut rng);
    String::from_utf8(chars).expect("ascii")
}

fn new_token() -> String {
    let bytes: [u8; 16] = rand::thread_rng().r#gen();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
