//! The lifecycle engine's shell: HR pages in through plugins, the pure planner in
//! `tenure-domain` decides, each page's plan commits in one transaction with the new
//! cursor, and the email outbox drains to SMTP afterwards.

mod config;
mod convert;
mod hardware;
mod jobs;
mod mail;
mod sync;

pub use config::LifecycleConfig;
pub use hardware::pin_purpose;
pub use sync::SyncReport;

use crate::email::Mailer;
use anyhow::Context;
use std::sync::Arc;
use tenure_domain::jiff::{Timestamp, tz::TimeZone};
use tenure_domain::work_zone::{LocationZones, WorkZone};
use tenure_domain::{InMemoryKnown, MassTerminationGuard, Plan, PlanContext, SequentialIds, due};

/// How many work locations may have an admin's zone (a bound on the settings).
pub const MAX_LOCATION_ZONES: usize = 1_000;
/// The longest work-location label an admin's zone is kept for (HR's own are shorter).
pub const MAX_LOCATION_LABEL: usize = 300;
use tenure_store::{Store, SyncRun};
use tokio::sync::{Mutex, RwLock};

/// The company's policies the planner applies.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub mass_termination: MassTerminationGuard,
    pub full_sync_hours: u64,
    pub provision_days_before_start: u32,
    /// Seconds from booking a return to its first tracking, and between trackings.
    pub track_first_secs: i64,
    pub track_every_secs: i64,
    /// Seconds between asking the MDM where a sent lock or wipe stands.
    pub command_poll_secs: i64,
}

impl Policy {
    pub fn from_config(config: &LifecycleConfig) -> Policy {
        Policy {
            mass_termination: MassTerminationGuard {
                share: config.mass_termination_percent / 100.0,
                minimum: config.mass_termination_minimum,
            },
            full_sync_hours: config.full_sync_hours,
            provision_days_before_start: config.provision_days_before_start,
            track_first_secs: 60,
            track_every_secs: 3600,
            command_poll_secs: 120,
        }
    }
}

/// The planner's state in memory, loaded once and kept in step with every commit.
/// Writers (page commits, the due run, admin actions) queue on the write lock, each for
/// one plan; readers (the API) share it. Syncs run one at a time, and read from the
/// HR source without holding the state.
pub struct Engine {
    store: Arc<Store>,
    state: RwLock<(InMemoryKnown, SequentialIds)>,
    sync_lock: Mutex<()>,
    running: std::sync::Mutex<Vec<SyncRun>>,
    company_tz: TimeZone,
    /// Admins' zones for work locations; swapped whole when an admin changes one.
    location_zones: std::sync::RwLock<Arc<LocationZones>>,
    policy: Policy,
    mailer: Mailer,
    /// Woken when a commit queued jobs (the job runner waits on it).
    jobs_queued: Arc<tokio::sync::Notify>,
    /// One outbox flush at a time, so that no message is sent twice.
    flushing: Mutex<()>,
}

impl Engine {
    pub fn load(
        store: Arc<Store>,
        config: &LifecycleConfig,
        mailer: Mailer,
    ) -> anyhow::Result<Engine> {
        let zone = &config.company_time_zone;
        let company_tz = TimeZone::get(zone).with_context(|| {
            format!("`{zone}` is not a time zone (use an IANA name like America/Chicago)")
        })?;
        let state = store.load_lifecycle()?;
        let location_zones = store.location_zones()?;
        // No sync runs yet in this process: a run without an end was cut short.
        let interrupted = store.mark_interrupted_sync_runs()?;
        if interrupted > 0 {
            tracing::warn!(
                interrupted,
                "syncs were interrupted when tenure last stopped; the next sync resumes them"
            );
        }
        Ok(Engine {
            store,
            state: RwLock::new(state),
            sync_lock: Mutex::new(()),
            running: std::sync::Mutex::new(Vec::new()),
            company_tz,
            location_zones: std::sync::RwLock::new(Arc::new(location_zones)),
            policy: Policy::from_config(config),
            mailer,
            jobs_queued: Arc::new(tokio::sync::Notify::new()),
            flushing: Mutex::new(()),
        })
    }

    /// How soon after booking, and how often, returns are tracked, and how often a
    /// sent MDM command is followed (`[hardware]`).
    pub fn with_hardware_timing(mut self, first: u64, every: u64, command_poll: u64) -> Engine {
        let secs = |s: u64| s.clamp(1, 86_400) as i64;
        self.policy.track_first_secs = secs(first);
        self.policy.track_every_secs = secs(every);
        self.policy.command_poll_secs = secs(command_poll);
        self
    }

    /// Reads what the planner knows, without copying it.
    pub async fn read<R>(&self, f: impl FnOnce(&InMemoryKnown) -> R) -> R {
        f(&self.state.read().await.0)
    }

    /// Opens offboardings whose final day has come and activates hires who started.
    pub async fn run_due(&self) -> anyhow::Result<()> {
        let mut guard = self.state.write().await;
        let (known, ids) = &mut *guard;
        let mut draw = ids.clone();
        let p = due(known, &mut self.context(&mut draw));
        if !p.is_empty() {
            self.store.commit_plan(&p, &draw, None)?;
            self.signal_jobs(&p);
            known.apply(&p);
            known.forget_logs();
            *ids = draw;
        }
        Ok(())
    }

    /// Sends what waits in the outbox; a message that fails stays for the next try.
    pub async fn flush_outbox(&self) -> usize {
        if !self.mailer.is_enabled() {
            return 0;
        }
        let _one_at_a_time = self.flushing.lock().await;
        let entries = match self.store.outbox() {
            Ok(e) => e,
            Err(e) => {
                tracing::error!("reading the outbox: {e}");
                return 0;
            }
        };
        let mut sent = 0;
        let now = Timestamp::now();
        for (key, entry) in entries {
            let mut opened = None;
            if let tenure_domain::NotificationKind::Credential {
                job,
                sealed_password,
                deliver_after,
                ..
            } = &entry.message
            {
                if deliver_after.is_some_and(|t| t > now) {
                    continue;
                }
                match self
                    .store
                    .open_note(&crate::jobs::credential_purpose(job), sealed_password)
                {
                    Ok(p) => opened = Some(p),
                    Err(e) => tracing::error!(%job, "a first password cannot be unsealed: {e}"),
                }
            }
            let email = match &entry.message {
                tenure_domain::NotificationKind::ReturnInstructions {
                    employee,
                    shipment,
                    place,
                } => self.return_email(employee, shipment, place).await,
                message => mail::render(message, self.mailer.public_url(), opened.as_deref()),
            };
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
            let mut guard = self.state.write().await;
            let (known, ids) = &mut *guard;
            let mut draw = ids.clone();
            let p = f(known, &mut self.context(&mut draw))
                .map_err(|e| ActError::Refused(e.to_string()))?;
            self.store
                .commit_plan(&p, &draw, None)
                .map_err(|e| ActError::Store(e.to_string()))?;
            self.signal_jobs(&p);
            known.apply(&p);
            known.forget_logs();
            *ids = draw;
            p
        };
        self.flush_outbox().await;
        Ok(plan)
    }

    /// Adds a pre-hire by hand (API, CLI): the employee, Complete IT Setup and the
    /// onboarding champions' email. HR's record merges into it later by work email.
    pub async fn add_pre_hire(
        &self,
        body: NewPreHire,
        by: tenure_domain::UserId,
    ) -> Result<Plan, ActError> {
        let pre_hire = tenure_domain::PreHire {
            profile: tenure_domain::Profile {
                work_email: body.work_email,
                personal_email: body.personal_email,
                given_name: body.given_name,
                family_name: body.family_name,
                department: body.department,
                title: body.title,
                ..tenure_domain::Profile::default()
            },
            start_date: body.start_date,
        };
        self.act(|known, ctx| tenure_domain::add_pre_hire(known, pre_hire, &by, ctx))
            .await
    }

    /// Records a champion's decision on a task and plans the work it asks for.
    pub async fn decide(
        &self,
        task: &tenure_domain::TaskId,
        decision: tenure_domain::Decision,
        by: tenure_domain::UserId,
    ) -> Result<Plan, ActError> {
        self.act(|known, ctx| tenure_domain::decide(known, task, decision, &by, ctx))
            .await
    }

    /// Replaces the catalog (groups, rules, champions, apps) and re-applies it to
    /// everyone employed; returns the plan that brought access in line.
    pub async fn set_catalog(
        &self,
        catalog: tenure_domain::Catalog,
        by: tenure_domain::UserId,
    ) -> Result<Plan, ActError> {
        let change = {
            let mut guard = self.state.write().await;
            let change = catalog.describe_change(&guard.0.catalog);
            self.store
                .set_catalog(&catalog)
                .map_err(|e| ActError::Store(e.to_string()))?;
            guard.0.catalog = catalog;
            change
        };
        let actor = tenure_domain::Actor::User { id: by };
        self.act(|known, ctx| {
            let mut plan = tenure_domain::reconcile_access(known, actor.clone(), ctx);
            if !change.is_empty() {
                plan.audit.insert(
                    0,
                    tenure_domain::AuditEntry {
                        at: ctx.now,
                        actor,
                        action: tenure_domain::AuditAction::CatalogChanged,
                        subject: tenure_domain::Subject::Catalog,
                        detail: change,
                    },
                );
            }
            Ok::<_, std::convert::Infallible>(plan)
        })
        .await
    }

    /// "What would happen": the planner's answer without committing anything.
    pub async fn dry_run(
        &self,
        employee: Option<&tenure_domain::EmployeeId>,
        what_if: tenure_domain::WhatIf,
    ) -> Result<tenure_domain::DryRun, ActError> {
        let guard = self.state.read().await;
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

    async fn set_hardware_in_memory(&self, settings: tenure_domain::hardware::HardwareSettings) {
        self.state.write().await.0.hardware.settings = settings;
    }

    /// A copy of everything the planner knows (for tests; the API uses [`Engine::read`]).
    pub async fn snapshot(&self) -> InMemoryKnown {
        self.read(Clone::clone).await
    }

    /// Woken whenever a commit queues jobs.
    pub fn jobs_queued(&self) -> Arc<tokio::sync::Notify> {
        self.jobs_queued.clone()
    }

    fn signal_jobs(&self, plan: &Plan) {
        if plan.jobs().next().is_some() {
            self.jobs_queued.notify_one();
        }
    }

    fn context<'a>(&self, ids: &'a mut SequentialIds) -> PlanContext<'a> {
        let mut ctx = PlanContext::new(Timestamp::now(), self.company_tz.clone(), ids);
        ctx.mass_termination = self.policy.mass_termination;
        ctx.provision_days_before_start = self.policy.provision_days_before_start;
        ctx.track_first_secs = self.policy.track_first_secs;
        ctx.track_every_secs = self.policy.track_every_secs;
        ctx.location_zones = self.location_zones();
        ctx
    }

    /// Admins' zones for work locations.
    pub fn location_zones(&self) -> Arc<LocationZones> {
        self.location_zones
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Sets (or with `None` clears) the zone of the work location `label`; an unknown
    /// zone name is refused. Final days not yet reached are counted in the new zone.
    pub fn set_location_zone(&self, label: &str, zone: Option<&str>) -> Result<(), ActError> {
        let label = label.trim();
        if label.is_empty() {
            return Err(ActError::Refused("name the work location".into()));
        }
        if label.chars().count() > MAX_LOCATION_LABEL {
            return Err(ActError::Refused(format!(
                "a work location is named in at most {MAX_LOCATION_LABEL} characters"
            )));
        }
        // Held from read to write: two admins saving at once both land.
        let mut current = self
            .location_zones
            .write()
            .unwrap_or_else(|e| e.into_inner());
        let mut zones = (**current).clone();
        match zone.map(str::trim).filter(|z| !z.is_empty()) {
            Some(name) => {
                let tz = tenure_domain::dates::zone(name).map_err(|_| {
                    ActError::Refused(format!(
                        "`{name}` is not a time zone (use an IANA name such as Australia/Sydney)"
                    ))
                })?;
                let name = tz.iana_name().unwrap_or(name).to_string();
                zones.insert(label.to_string(), name);
            }
            None => {
                zones.remove(label);
            }
        }
        if zones.len() > MAX_LOCATION_ZONES {
            return Err(ActError::Refused(format!(
                "at most {MAX_LOCATION_ZONES} work locations can have their own zone"
            )));
        }
        self.store
            .set_location_zones(&zones)
            .map_err(|e| ActError::Store(e.to_string()))?;
        *current = Arc::new(zones);
        Ok(())
    }

    /// The zone `employee`'s days are counted in, and where it came from.
    pub fn work_zone_of(&self, profile: &tenure_domain::Profile) -> WorkZone {
        tenure_domain::work_zone::work_zone(profile, &self.location_zones(), &self.company_tz)
    }

    /// The company's zone (`[lifecycle] company_time_zone`).
    pub fn company_time_zone(&self) -> &TimeZone {
        &self.company_tz
    }
}

/// A pre-hire as an admin enters it, before HR has the person: the JSON body of
/// `POST /api/v1/employees` (and what `tenure employee add` sends).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPreHire {
    pub given_name: String,
    pub family_name: String,
    pub work_email: String,
    #[serde(default)]
    pub personal_email: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    /// First day of work (YYYY-MM-DD).
    #[serde(default)]
    pub start_date: Option<tenure_domain::jiff::civil::Date>,
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
