//! One sync of one HR source: read pages, plan and commit each with its cursor, record
//! the run as it goes.

use super::{Engine, convert};
use anyhow::Context;
use std::sync::Arc;
use tenure_domain::jiff::{SignedDuration, Timestamp};
use tenure_domain::{Effect, Plan, plan};
use tenure_runtime::optional::WorkPlace;
use tenure_runtime::types::HrPage;
use tenure_runtime::{CallError, Plugin};
use tenure_store::{SyncRun, SyncState};

/// Sync runs kept in the store; older ones are dropped.
const RUNS_KEPT: usize = 1000;

/// What one sync did (the finished run).
pub type SyncReport = SyncRun;

impl Engine {
    /// Reads every page the source has changed since its last sync (or everything, for
    /// the first sync and once per `full_sync_hours`) and commits each page. A crash or
    /// an error leaves the cursor of the last committed page: the next run resumes there
    /// and creates nothing twice. The run is recorded, with its error if it failed.
    pub async fn sync(&self, plugin: &Arc<Plugin>) -> anyhow::Result<SyncReport> {
        let _one_at_a_time = self.sync_lock.lock().await;
        let source = plugin.id().to_string();
        let stored = self.store.sync_state(&source)?;
        let now = Timestamp::now();
        let full = if stored.cursor.is_some() {
            stored.full
        } else {
            full_read_due(&stored, now, self.policy.full_sync_hours)
        };
        let mut run = SyncRun {
            source: source.clone(),
            mode: if full { "full" } else { "incremental" }.into(),
            started: now.to_string(),
            ..SyncRun::default()
        };
        run.id = self.store.put_sync_run(&run, RUNS_KEPT)?;
        self.publish(&run);
        let result = self.read_pages(plugin, &stored, full, &mut run).await;
        if let Err(e) = &result {
            run.error = Some(format!("{e:#}"));
        }
        if result.is_ok() {
            self.run_due().await?;
            run.emails_sent = self.flush_outbox().await;
        }
        run.finished = Some(Timestamp::now().to_string());
        self.unpublish(run.id);
        self.store.put_sync_run(&run, RUNS_KEPT)?;
        match result {
            Ok(()) => {
                tracing::info!(?run, "sync finished");
                Ok(run)
            }
            Err(e) => Err(e),
        }
    }

    async fn read_pages(
        &self,
        plugin: &Arc<Plugin>,
        stored: &SyncState,
        full: bool,
        run: &mut SyncRun,
    ) -> anyhow::Result<()> {
        let source = plugin.id().to_string();
        // A resumed sync keeps its start; a new one starts now.
        let started = match (&stored.cursor, &stored.started) {
            (Some(_), Some(started)) => started.clone(),
            _ => run.started.clone(),
        };
        let since = if full { None } else { stored.since.clone() };
        let ms = |t: std::time::Instant| t.elapsed().as_millis() as u64;
        // The next page is read while this one is planned and committed; pages still
        // commit in order, each with the cursor of the page after it.
        let mut reading = Prefetch::start(plugin, since.clone(), stored.cursor.clone());
        loop {
            let t = std::time::Instant::now();
            let page = reading
                .finish()
                .await
                .with_context(|| format!("reading {source}"))?;
            if let Some(c) = &page.0.next_cursor {
                reading = Prefetch::start(plugin, since.clone(), Some(c.clone()));
            }
            let (page, places) = page;
            let mut places: std::collections::HashMap<String, _> = places
                .into_iter()
                .map(|p| (p.source_id.clone(), p))
                .collect();
            let records: Vec<_> = page
                .employees
                .into_iter()
                .map(|e| {
                    let place = places.remove(&e.source_id);
                    convert::record(&source, e, place)
                })
                .collect();
            run.read_ms += ms(t);
            run.pages += 1;
            run.records += records.len();
            let next = match page.next_cursor {
                Some(c) => SyncState {
                    cursor: Some(c),
                    started: Some(started.clone()),
                    full,
                    ..stored.clone()
                },
                None => SyncState {
                    since: Some(started.clone()),
                    cursor: None,
                    started: None,
                    full: false,
                    last_full: if full {
                        Some(started.clone())
                    } else {
                        stored.last_full.clone()
                    },
                },
            };
            {
                let mut guard = self.state.write().await;
                let (known, ids) = &mut *guard;
                let mut draw = ids.clone();
                let t = std::time::Instant::now();
                let p = plan(known, &records, &mut self.context(&mut draw));
                run.plan_ms += ms(t);
                let t = std::time::Instant::now();
                self.store.commit_plan(&p, &draw, Some((&source, &next)))?;
                self.signal_jobs(&p);
                run.commit_ms += ms(t);
                let t = std::time::Instant::now();
                known.apply(&p);
                known.forget_logs();
                run.plan_ms += ms(t);
                *ids = draw;
                count(&p, run);
            }
            self.publish(run);
            if next.cursor.is_none() {
                return Ok(());
            }
        }
    }

    /// Makes a run in progress visible to [`Engine::running`].
    fn publish(&self, run: &SyncRun) {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        running.retain(|r| r.id != run.id);
        running.push(run.clone());
    }

    fn unpublish(&self, id: u64) {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        running.retain(|r| r.id != id);
    }

    /// The syncs in progress, with their counts so far.
    pub fn running(&self) -> Vec<SyncRun> {
        self.running
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// A page being read in the background, with where its employees work; dropped
/// unfinished, the read is abandoned.
struct Prefetch(tokio::task::JoinHandle<Result<(HrPage, Vec<WorkPlace>), CallError>>);

impl Prefetch {
    fn start(plugin: &Arc<Plugin>, since: Option<String>, cursor: Option<String>) -> Prefetch {
        let plugin = plugin.clone();
        Prefetch(tokio::spawn(async move {
            plugin
                .hr_fetch_placed(since.as_deref(), cursor.as_deref())
                .await
        }))
    }

    async fn finish(&mut self) -> anyhow::Result<(HrPage, Vec<WorkPlace>)> {
        match (&mut self.0).await {
            Ok(result) => Ok(result?),
            Err(e) => anyhow::bail!("the read stopped: {e}"),
        }
    }
}

impl Drop for Prefetch {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Whether a new sync reads everything: the first one, and once `hours` have passed
/// since the last full read (every time when `hours` is 0).
fn full_read_due(stored: &SyncState, now: Timestamp, hours: u64) -> bool {
    if stored.since.is_none() || hours == 0 {
        return true;
    }
    let hours = i64::try_from(hours).unwrap_or(i64::MAX / 3600);
    match stored
        .last_full
        .as_deref()
        .and_then(|t| t.parse::<Timestamp>().ok())
    {
        Some(last) => now.duration_since(last) >= SignedDuration::from_hours(hours),
        None => true,
    }
}

fn count(p: &Plan, r: &mut SyncRun) {
    for e in &p.effects {
        match e {
            Effect::CreateEmployee { .. } => r.created += 1,
            Effect::UpdateEmployee { .. } | Effect::MergePreHire { .. } => r.changed += 1,
            Effect::OpenTask { .. } => r.tasks_opened += 1,
            _ => {}
        }
    }
    r.quarantined += p.quarantined.len();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_read_comes_first_then_daily() {
        let now: Timestamp = "2026-11-26T12:00:00Z".parse().unwrap();
        let state = |last_full: Option<&str>| SyncState {
            since: Some("2026-11-26T11:45:00Z".into()),
            last_full: last_full.map(String::from),
            ..SyncState::default()
        };
        assert!(
            full_read_due(&SyncState::default(), now, 24),
            "the first sync"
        );
        assert!(!full_read_due(
            &state(Some("2026-11-26T01:00:00Z")),
            now,
            24
        ));
        assert!(full_read_due(&state(Some("2026-11-25T12:00:00Z")), now, 24));
        assert!(full_read_due(&state(None), now, 24), "never read in full");
        assert!(full_read_due(&state(Some("2026-11-26T11:59:00Z")), now, 0));
    }
}
