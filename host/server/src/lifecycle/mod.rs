//! The lifecycle engine's shell: HR pages in through plugins, the pure planner in
//! `tenure-domain` decides, each page's plan commits in one transaction with the new
//! cursor, and the email outbox drains to SMTP afterwards.

mod convert;
mod mail;

use crate::email::Mailer;
use anyhow::Context;
use serde::Serialize;
use std::sync::Arc;
use tenure_domain::jiff::{Timestamp, tz::TimeZone};
use tenure_domain::{Effect, InMemoryKnown, Plan, PlanContext, SequentialIds, due, plan};
use tenure_runtime::Plugin;
use tenure_store::{Store, SyncState};
use tokio::sync::Mutex;

/// What one sync did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SyncReport {
    pub source: String,
    pub pages: usize,
    pub records: usize,
    pub created: usize,
    pub changed: usize,
    pub quarantined: usize,
    pub tasks_opened: usize,
    pub emails_sent: usize,
}

/// The planner's state in memory, loaded once and kept in step with every commit.
/// One writer at a time (the mutex): syncs, the due run and admin actions queue.
pub struct Engine {
    store: Arc<Store>,
    state: Mutex<(InMemoryKnown, SequentialIds)>,
    company_tz: TimeZone,
    mailer: Mailer,
}

impl Engine {
    pub fn load(store: Arc<Store>, company_tz: &str, mailer: Mailer) -> anyhow::Result<Engine> {
        let company_tz = TimeZone::get(company_tz).with_context(|| {
            format!("`{company_tz}` is not a time zone (use an IANA name like America/Chicago)")
        })?;
        let state = store.load_lifecycle()?;
        Ok(Engine {
            store,
            state: Mutex::new(state),
            company_tz,
            mailer,
        })
    }

    /// Reads every page the source has changed since its last sync and commits each.
    /// A crash or an error leaves the cursor of the last committed page: the next run
    /// resumes there and creates nothing twice.
    pub async fn sync(&self, plugin: &Plugin) -> anyhow::Result<SyncReport> {
        let source = plugin.id().to_string();
        let mut guard = self.state.lock().await;
        let stored = self.store.sync_state(&source)?;
        let started = stored
            .started
            .clone()
            .unwrap_or_else(|| Timestamp::now().to_string());
        let mut cursor = stored.cursor.clone();
        let mut report = SyncReport {
            source: source.clone(),
            ..SyncReport::default()
        };
        loop {
            let page = plugin
                .hr_fetch(stored.since.as_deref(), cursor.as_deref())
                .await
                .with_context(|| format!("reading {source}"))?;
            let records: Vec<_> = page
                .employees
                .into_iter()
                .map(|e| convert::record(&source, e))
                .collect();
            report.pages += 1;
            report.records += records.len();
            let next = match page.next_cursor {
                Some(c) => SyncState {
                    since: stored.since.clone(),
                    cursor: Some(c),
                    started: Some(started.clone()),
                },
                None => SyncState {
                    since: Some(started.clone()),
                    cursor: None,
                    started: None,
                },
            };
            let (known, ids) = &mut *guard;
            let mut draw = ids.clone();
            let p = plan(known, &records, &mut self.context(&mut draw));
            self.store.commit_plan(&p, &draw, Some((&source, &next)))?;
            count(&p, &mut report);
            known.apply(&p);
            *ids = draw;
            match next.cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        drop(guard);
        self.run_due().await?;
        report.emails_sent = self.flush_outbox().await;
        tracing::info!(?report, "sync finished");
        Ok(report)
    }

    /// Opens offboardings whose final day has come and activates hires who started.
    pub async fn run_due(&self) -> anyhow::Result<()> {
        let mut guard = self.state.lock().await;
        let (known, ids) = &mut *guard;
        let mut draw = ids.clone();
        let p = due(known, &mut self.context(&mut draw));
        if !p.is_empty() {
            self.store.commit_plan(&p, &draw, None)?;
            known.apply(&p);
            *ids = draw;
        }
        Ok(())
    }

    /// Sends what waits in the outbox; a message that fails stays for the next try.
    pub async fn flush_outbox(&self) -> usize {
        if !self.mailer.is_enabled() {
            return 0;
        }
        let entries = match self.store.outbox() {
            Ok(e) => e,
            Err(e) => {
                tracing::error!("reading the outbox: {e}");
                return 0;
            }
        };
        let mut sent = 0;
        for (key, entry) in entries {
            let email = mail::render(&entry.message, self.mailer.public_url());
            let mut all_ok = true;
            for to in &entry.to {
                if let Err(e) = self.mailer.send(to, &email).await {
                    tracing::warn!(%to, "email not sent (will retry): {e}");
                    all_ok = false;
                }
            }
            if all_ok {
                sent += entry.to.len();
                if let Err(e) = self.store.outbox_done(&key) {
                    tracing::error!("clearing a sent email: {e}");
                }
            }
        }
        sent
    }

    /// Runs an admin action through the planner and commits its plan; returns the plan.
    pub async fn act<E: std::fmt::Display>(
        &self,
        f: impl FnOnce(&InMemoryKnown, &mut PlanContext<'_>) -> Result<Plan, E>,
    ) -> Result<Plan, ActError> {
        let plan = {
            let mut guard = self.state.lock().await;
            let (known, ids) = &mut *guard;
            let mut draw = ids.clone();
            let p = f(known, &mut self.context(&mut draw))
                .map_err(|e| ActError::Refused(e.to_string()))?;
            self.store
                .commit_plan(&p, &draw, None)
                .map_err(|e| ActError::Store(e.to_string()))?;
            known.apply(&p);
            *ids = draw;
            p
        };
        self.flush_outbox().await;
        Ok(plan)
    }

    /// Replaces the catalog (groups, rules, champions, apps) and re-applies it to
    /// everyone employed; returns the plan that brought access in line.
    pub async fn set_catalog(
        &self,
        catalog: tenure_domain::Catalog,
        by: tenure_domain::UserId,
    ) -> Result<Plan, ActError> {
        {
            let mut guard = self.state.lock().await;
            self.store
                .set_catalog(&catalog)
                .map_err(|e| ActError::Store(e.to_string()))?;
            guard.0.catalog = catalog;
        }
        self.act(|known, ctx| {
            Ok::<_, std::convert::Infallible>(tenure_domain::reconcile_access(
                known,
                tenure_domain::Actor::User { id: by },
                ctx,
            ))
        })
        .await
    }

    /// "What would happen": the planner's answer without committing anything.
    pub async fn dry_run(
        &self,
        employee: Option<&tenure_domain::EmployeeId>,
        what_if: tenure_domain::WhatIf,
    ) -> Result<tenure_domain::DryRun, ActError> {
        let guard = self.state.lock().await;
        let known = &guard.0;
        let subject = match employee {
            Some(id) => Some(
                known
                    .employees
                    .get(id)
                    .ok_or_else(|| ActError::Refused(format!("there is no employee {}", id.0)))?,
            ),
            None => None,
        };
        tenure_domain::dry_run(
            subject,
            what_if,
            &known.catalog,
            Timestamp::now(),
            &self.company_tz,
        )
        .map_err(|e| ActError::Refused(e.to_string()))
    }

    /// A read-only copy of what the planner knows (for the API).
    pub async fn snapshot(&self) -> InMemoryKnown {
        self.state.lock().await.0.clone()
    }

    fn context<'a>(&self, ids: &'a mut SequentialIds) -> PlanContext<'a> {
        PlanContext::new(Timestamp::now(), self.company_tz.clone(), ids)
    }
}

/// Why an admin action did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ActError {
    /// The planner refused it (unknown employee, already offboarded, bad input...).
    #[error("{0}")]
    Refused(String),
    #[error("the database failed: {0}")]
    Store(String),
}

fn count(p: &Plan, r: &mut SyncReport) {
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
