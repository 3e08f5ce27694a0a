//! The durable job queue, the access records jobs and manual tasks move, and parked
//! connectors.
//!
//! Jobs are kept in [`JOBS`] by sequence key (the job's id); [`JOB_QUEUE`] indexes the
//! unfinished ones so that leasing never scans finished history. Leasing, finishing and
//! what each implies for the access record happen in one write transaction each.

use redb::{ReadableTable, ReadableTableMetadata, WriteTransaction};
use std::collections::{BTreeMap, HashSet};
use tenure_domain::jiff::Timestamp;
use tenure_domain::{
    AccessChange, AccessRecord, AccessState, Job, JobAction, JobIntent, JobState, ParkedConnector,
    Plan, SequentialIds,
};

use crate::codec::{decode_json, get_json, join_key, prefix_range, put_json};
use crate::tables::{ACCESS, JOB_QUEUE, JOBS, PARKED};
use crate::{Store, StoreError};

/// Finished jobs kept for the Jobs page; older ones are dropped.
pub const FINISHED_KEPT: usize = 10_000;

fn seq_key(n: u64) -> String {
    format!("{n:020}")
}

/// Queues `intents` as new jobs, with what they mean for the access records.
pub(crate) fn enqueue(
    txn: &WriteTransaction,
    intents: &[&JobIntent],
    now: Timestamp,
) -> Result<(), StoreError> {
    if intents.is_empty() {
        return Ok(());
    }
    let mut jobs = txn.open_table(JOBS)?;
    let mut queue = txn.open_table(JOB_QUEUE)?;
    let first = match jobs.last()? {
        Some((k, _)) => k.value().parse::<u64>().unwrap_or(0) + 1,
        None => 1,
    };
    for (n, intent) in (first..).zip(intents) {
        let id = seq_key(n);
        let job = Job::new(id.clone(), (*intent).clone(), now);
        put_json(&mut jobs, &id, &job)?;
        queue.insert(id.as_str(), &[][..])?;
    }
    Ok(())
}

/// Applies access-record changes (from a plan or a job's outcome).
pub(crate) fn apply_access(
    txn: &WriteTransaction,
    changes: &[AccessChange],
    account_id: Option<&str>,
    now: Timestamp,
) -> Result<(), StoreError> {
    if changes.is_empty() {
        return Ok(());
    }
    let mut table = txn.open_table(ACCESS)?;
    for c in changes {
        let key = join_key(&[&c.employee.0, &c.app.0]);
        let mut record: AccessRecord = get_json(&table, &key)?
            .unwrap_or_else(|| AccessRecord::new(c.employee.clone(), c.app.clone(), now));
        if c.connector.is_some() {
            record.connector = c.connector.clone();
        }
        if c.group.is_some() {
            record.group = c.group.clone();
        }
        if let Some(id) = account_id {
            record.account_id = Some(id.to_string());
        }
        record.set(now, c.state.clone(), c.note.clone());
        put_json(&mut table, &key, &record)?;
    }
    Ok(())
}

/// How a leased job ended (one attempt).
#[derive(Debug, Clone)]
pub enum JobFinish {
    /// It did its work: the access record moves to `access` (with the account id).
    Done {
        note: String,
        access: AccessState,
        account_id: Option<String>,
        /// An email that goes with it (a new account's first password), queued in the
        /// same transaction.
        notify: Option<crate::OutboxEntry>,
    },
    /// Try again later: `job` carries the new `run_after`, attempts and last error.
    Retry { job: Job },
    /// The connector's credentials failed: park it; the job waits, queued. `alert`
    /// goes to the outbox when the connector was not parked already.
    Park {
        job: Job,
        reason: String,
        alert: Option<crate::OutboxEntry>,
    },
    /// It ends without doing its work; `plan` (a manual task, drawn from `ids`) commits
    /// with it.
    GiveUp {
        job: Job,
        reason: String,
        plan: Plan,
        ids: SequentialIds,
    },
}

/// What the Jobs page and the API list.
#[derive(Debug, Clone, Default)]
pub struct JobFilter {
    /// Only unfinished jobs (queued or running).
    pub unfinished: bool,
    /// Only failed jobs.
    pub failed: bool,
    pub limit: usize,
}

impl Store {
    /// Leases up to `max` runnable jobs for `until`, oldest first: one at a time per
    /// employee and app (a later step waits for the earlier one), a group join after the
    /// older jobs creating the person's accounts (unless paused), none of a parked
    /// connector, and at most `free(connector)` per connector. Provisioning jobs move
    /// their access record to "being created".
    pub fn lease_jobs(
        &self,
        now: Timestamp,
        until: Timestamp,
        max: usize,
        mut free: impl FnMut(&str) -> usize,
        mut token: impl FnMut() -> String,
    ) -> Result<Vec<Job>, StoreError> {
        self.write(|txn| {
            let parked: HashSet<String> = {
                let t = txn.open_table(PARKED)?;
                t.iter()?
                    .map(|r| r.map(|(k, _)| k.value().to_string()))
                    .collect::<Result<_, _>>()?
            };
            let keys: Vec<String> = {
                let q = txn.open_table(JOB_QUEUE)?;
                q.iter()?
                    .map(|r| r.map(|(k, _)| k.value().to_string()))
                    .collect::<Result<_, _>>()?
            };
            let mut jobs = txn.open_table(JOBS)?;
            let mut seen: HashSet<(String, String)> = HashSet::new();
            // Employees an unfinished job is still creating an account for (with a
            // connector that is not paused). Joins wait for them: a group's connector
            // often finds the account another one makes (Entra groups, Microsoft 365).
            let mut creating: HashSet<String> = HashSet::new();
            let mut taken: BTreeMap<String, usize> = BTreeMap::new();
            let mut leased = Vec::new();
            let mut access = Vec::new();
            for key in keys {
                if leased.len() >= max {
                    break;
                }
                let Some(mut job) = get_json::<Job, _>(&jobs, &key)? else {
                    continue;
                };
                let connector = job.intent.connector.0.clone();
                let person = &job.intent.employee.id.0;
                if job.intent.action == JobAction::Provision && !parked.contains(&connector) {
                    creating.insert(person.clone());
                }
                // Only the oldest unfinished job of an employee and app may run.
                if !seen.insert(job.sequence_key()) {
                    continue;
                }
                // Joining a group waits for older jobs creating the person's accounts.
                if job.intent.action == JobAction::Join && creating.contains(person) {
                    continue;
                }
                if !job.is_runnable(now) || parked.contains(&connector) {
                    continue;
                }
                let used = taken.entry(connector.clone()).or_default();
                if *used >= free(&connector) {
                    continue;
                }
                *used += 1;
                job.state = JobState::Running {
                    token: token(),
                    until,
                };
                job.updated = now;
                put_json(&mut jobs, &key, &job)?;
                if job.intent.grants() {
                    access.push(AccessChange {
                        employee: job.intent.employee.id.clone(),
                        app: job.intent.app.clone(),
                        group: job.intent.group.clone(),
                        connector: Some(job.intent.connector.clone()),
                        state: AccessState::Provisioning,
                        note: match job.intent.action {
                            JobAction::Join => format!("{} is adding them", job.intent.connector),
                            _ => format!("{} is creating the account", job.intent.connector),
                        },
                    });
                }
                leased.push(job);
            }
            drop(jobs);
            apply_access(txn, &access, None, now)?;
            Ok(leased)
        })
    }

    /// Records how a leased job ended. Returns false (and changes nothing) when the
    /// lease was lost: it expired and another worker holds the job now.
    pub fn finish_job(
        &self,
        id: &str,
        token: &str,
        finish: JobFinish,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        self.write(|txn| {
            let mut jobs = txn.open_table(JOBS)?;
            let Some(current) = get_json::<Job, _>(&jobs, id)? else {
                return Ok(false);
            };
            match &current.state {
                JobState::Running { token: t, .. } if t == token => {}
                _ => return Ok(false),
            }
            let intent = current.intent.clone();
            let change = |state: AccessState, note: String| AccessChange {
                employee: intent.employee.id.clone(),
                app: intent.app.clone(),
                group: intent.group.clone(),
                connector: Some(intent.connector.clone()),
                state,
                note,
            };
            // A job that waits (a retry, a paused connector) is requested again, not
            // "being created".
            let waiting = if intent.grants() {
                AccessState::Requested
            } else {
                AccessState::Revoking
            };
            let mut finished = false;
            match finish {
                JobFinish::Done {
                    note,
                    access,
                    account_id,
                    notify,
                } => {
                    let mut job = current.clone();
                    job.state = JobState::Done {
                        at: now,
                        note: note.clone(),
                    };
                    job.updated = now;
                    put_json(&mut jobs, id, &job)?;
                    drop(jobs);
                    apply_access(txn, &[change(access, note)], account_id.as_deref(), now)?;
                    if let Some(entry) = notify {
                        crate::lifecycle::append_outbox(txn, entry)?;
                    }
                    finished = true;
                }
                JobFinish::Retry { mut job } => {
                    job.state = JobState::Queued;
                    put_json(&mut jobs, id, &job)?;
                    drop(jobs);
                    let note = format!(
                        "will try again at {}: {}",
                        job.run_after,
                        job.last_error.as_deref().unwrap_or("no answer")
                    );
                    apply_access(txn, &[change(waiting, note)], None, now)?;
                }
                JobFinish::Park {
                    mut job,
                    reason,
                    alert,
                } => {
                    job.state = JobState::Queued;
                    put_json(&mut jobs, id, &job)?;
                    drop(jobs);
                    let note = format!("waiting: {} is paused ({reason})", intent.connector);
                    apply_access(txn, &[change(waiting, note)], None, now)?;
                    let parked = ParkedConnector {
                        connector: intent.connector.0.clone(),
                        since: now,
                        reason,
                    };
                    let mut t = txn.open_table(PARKED)?;
                    if get_json::<ParkedConnector, _>(&t, &parked.connector)?.is_none() {
                        put_json(&mut t, &parked.connector, &parked)?;
                        drop(t);
                        if let Some(alert) = alert {
                            crate::lifecycle::append_outbox(txn, alert)?;
                        }
                    }
                }
                JobFinish::GiveUp {
                    mut job,
                    reason,
                    plan,
                    ids,
                } => {
                    job.state = JobState::Failed {
                        at: now,
                        reason: reason.clone(),
                    };
                    job.updated = now;
                    put_json(&mut jobs, id, &job)?;
                    drop(jobs);
                    apply_access(
                        txn,
                        &[change(
                            AccessState::Failed { reason },
                            "a person takes over".into(),
                        )],
                        None,
                        now,
                    )?;
                    crate::lifecycle::write_plan_in(txn, &plan, &ids, now)?;
                    finished = true;
                }
            }
            if finished {
                txn.open_table(JOB_QUEUE)?.remove(id)?;
                prune_finished(txn)?;
            }
            Ok(true)
        })
    }

    /// Queues again every job a worker held: at start-up they belong to a process that
    /// is gone (the database admits one process at a time), so they need not wait for
    /// their leases to expire. Returns how many.
    pub fn requeue_running(&self, now: Timestamp) -> Result<usize, StoreError> {
        self.write(|txn| {
            let keys: Vec<String> = {
                let q = txn.open_table(JOB_QUEUE)?;
                q.iter()?
                    .map(|r| r.map(|(k, _)| k.value().to_string()))
                    .collect::<Result<_, _>>()?
            };
            let mut jobs = txn.open_table(JOBS)?;
            let mut n = 0;
            for key in keys {
                let Some(mut job) = get_json::<Job, _>(&jobs, &key)? else {
                    continue;
                };
                if matches!(job.state, JobState::Running { .. }) {
                    job.state = JobState::Queued;
                    job.run_after = now;
                    job.updated = now;
                    put_json(&mut jobs, &key, &job)?;
                    n += 1;
                }
            }
            Ok(n)
        })
    }

    /// Queues a failed, cancelled or waiting job again, at once, with fresh attempts.
    /// `None` for a job that is done or running (its worker holds it).
    pub fn retry_job(&self, id: &str, now: Timestamp) -> Result<Option<Job>, StoreError> {
        self.write(|txn| {
            let mut jobs = txn.open_table(JOBS)?;
            let Some(mut job) = get_json::<Job, _>(&jobs, id)? else {
                return Ok(None);
            };
            if matches!(job.state, JobState::Done { .. } | JobState::Running { .. }) {
                return Ok(None);
            }
            job.state = JobState::Queued;
            job.attempts = 0;
            job.rate_limited = 0;
            job.run_after = now;
            job.updated = now;
            put_json(&mut jobs, id, &job)?;
            txn.open_table(JOB_QUEUE)?.insert(id, &[][..])?;
            Ok(Some(job))
        })
    }

    /// Cancels a queued job; its access record says so. `None` for a job that is
    /// running (its worker holds it) or finished.
    pub fn cancel_job(
        &self,
        id: &str,
        by: &str,
        now: Timestamp,
    ) -> Result<Option<Job>, StoreError> {
        self.write(|txn| {
            let mut jobs = txn.open_table(JOBS)?;
            let Some(mut job) = get_json::<Job, _>(&jobs, id)? else {
                return Ok(None);
            };
            if job.state.is_finished() || matches!(job.state, JobState::Running { .. }) {
                return Ok(None);
            }
            job.state = JobState::Cancelled {
                at: now,
                by: by.to_string(),
            };
            job.updated = now;
            put_json(&mut jobs, id, &job)?;
            drop(jobs);
            txn.open_table(JOB_QUEUE)?.remove(id)?;
            let state = AccessState::Failed {
                reason: format!("the job was cancelled by {by}"),
            };
            let change = AccessChange {
                employee: job.intent.employee.id.clone(),
                app: job.intent.app.clone(),
                group: job.intent.group.clone(),
                connector: Some(job.intent.connector.clone()),
                state,
                note: format!("cancelled by {by}"),
            };
            apply_access(txn, &[change], None, now)?;
            Ok(Some(job))
        })
    }

    /// Jobs, newest first.
    pub fn list_jobs(&self, filter: &JobFilter) -> Result<Vec<Job>, StoreError> {
        let limit = if filter.limit == 0 { 200 } else { filter.limit };
        self.read(|txn| {
            let mut out = Vec::new();
            if filter.unfinished {
                let q = txn.open_table(JOB_QUEUE)?;
                let jobs = txn.open_table(JOBS)?;
                for row in q.iter()?.rev() {
                    if out.len() >= limit {
                        break;
                    }
                    let (k, _) = row?;
                    if let Some(job) = get_json::<Job, _>(&jobs, k.value())? {
                        out.push(job);
                    }
                }
                return Ok(out);
            }
            let jobs = txn.open_table(JOBS)?;
            for row in jobs.iter()?.rev() {
                if out.len() >= limit {
                    break;
                }
                let (k, v) = row?;
                let job: Job = decode_json("jobs", k.value(), v.value())?;
                if !filter.failed || matches!(job.state, JobState::Failed { .. }) {
                    out.push(job);
                }
            }
            Ok(out)
        })
    }

    /// How many jobs are queued or running.
    pub fn unfinished_jobs(&self) -> Result<u64, StoreError> {
        self.read(|txn| Ok(txn.open_table(JOB_QUEUE)?.len()?))
    }

    /// Parked connectors.
    pub fn parked(&self) -> Result<Vec<ParkedConnector>, StoreError> {
        self.read(|txn| {
            let t = txn.open_table(PARKED)?;
            let mut out = Vec::new();
            for row in t.iter()? {
                let (k, v) = row?;
                out.push(decode_json("parked", k.value(), v.value())?);
            }
            Ok(out)
        })
    }

    /// Resumes a parked connector (its settings changed). True when it was parked.
    pub fn unpark(&self, connector: &str) -> Result<bool, StoreError> {
        self.write(|txn| Ok(txn.open_table(PARKED)?.remove(connector)?.is_some()))
    }

    /// The access records of one employee, by app.
    pub fn access_of(&self, employee: &str) -> Result<Vec<AccessRecord>, StoreError> {
        self.read(|txn| {
            let t = txn.open_table(ACCESS)?;
            let (from, to) = prefix_range(employee);
            let mut out = Vec::new();
            for row in t.range(from.as_str()..to.as_str())? {
                let (k, v) = row?;
                out.push(decode_json("access", k.value(), v.value())?);
            }
            Ok(out)
        })
    }

    /// One access record.
    pub fn access(&self, employee: &str, app: &str) -> Result<Option<AccessRecord>, StoreError> {
        self.read(|txn| get_json(&txn.open_table(ACCESS)?, &join_key(&[employee, app])))
    }
}

/// Drops the oldest finished jobs beyond [`FINISHED_KEPT`].
fn prune_finished(txn: &WriteTransaction) -> Result<(), StoreError> {
    let queued = txn.open_table(JOB_QUEUE)?.len()? as usize;
    let mut jobs = txn.open_table(JOBS)?;
    let len = jobs.len()? as usize;
    if len <= FINISHED_KEPT + queued {
        return Ok(());
    }
    let queue = txn.open_table(JOB_QUEUE)?;
    let mut drop_keys = Vec::new();
    let mut extra = len - FINISHED_KEPT - queued;
    for row in jobs.iter()? {
        if extra == 0 {
            break;
        }
        let (k, _) = row?;
        if queue.get(k.value())?.is_none() {
            drop_keys.push(k.value().to_string());
            extra -= 1;
        }
    }
    for k in drop_keys {
        jobs.remove(k.as_str())?;
    }
    Ok(())
}
