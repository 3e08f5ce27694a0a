//! The engine's side of jobs: what a job needs to know about its employee and app, and
//! giving a job up to a manual task (planned and committed with the job's end).

use super::Engine;
use crate::jobs::{JobInput, connector::Who};
use tenure_domain::jiff::{Timestamp, tz::TimeZone};
use tenure_domain::{Employee, Job, Known, SourceRef};
use tenure_store::JobFinish;

impl Engine {
    /// The person and the app's provisioning settings, as a job needs them. `None` when
    /// the employee is gone.
    pub async fn job_input(&self, job: &Job) -> Option<JobInput> {
        self.read(|known| {
            let employee = known.employees.get(&job.intent.employee.id)?;
            let app = known.catalog.application(&job.intent.app);
            let provisioning = app.map(|a| a.provisioning.clone()).unwrap_or_default();
            let (zone, _) = tenure_domain::work_zone::resolve(
                &employee.profile,
                &self.location_zones(),
                &self.company_tz,
            );
            let start_at = employee
                .start_date
                .and_then(|d| d.to_zoned(zone.clone()).ok())
                .map(|z| z.timestamp());
            Some(JobInput {
                id: job.id.clone(),
                action: job.intent.action,
                who: who(known, employee, &zone),
                account_id: None,
                provisioning,
                temporary_password: None,
                poll_every: std::time::Duration::from_secs(1),
                app_name: job.intent.target(&known.catalog),
                login: None,
                start_at,
                group: job.intent.group.clone(),
            })
        })
        .await
    }

    /// Ends a leased job that cannot succeed: the app's champions get a manual task with
    /// the reason, in the same transaction. False when the lease was lost.
    pub async fn give_up_job(&self, job: Job, token: &str, reason: String) -> anyhow::Result<bool> {
        let finished = {
            let mut guard = self.state.write().await;
            let (known, ids) = &mut *guard;
            let mut draw = ids.clone();
            let plan = tenure_domain::job_failed(
                known,
                &job.intent,
                &reason,
                &mut self.context(&mut draw),
            );
            let id = job.id.clone();
            let finish = JobFinish::GiveUp {
                job,
                reason,
                plan: plan.clone(),
                ids: draw.clone(),
            };
            let finished = self
                .store
                .finish_job(&id, token, finish, Timestamp::now())?;
            if finished {
                known.apply(&plan);
                known.forget_logs();
                *ids = draw;
            }
            finished
        };
        self.flush_outbox().await;
        Ok(finished)
    }
}

/// A person as connectors see them.
/// A person as connectors see them; `zone` is the one their days are counted in.
fn who(known: &tenure_domain::InMemoryKnown, e: &Employee, zone: &TimeZone) -> Who {
    let p = &e.profile;
    let manager_email = match (&e.source, &p.manager_source_id) {
        (Some(source), Some(manager)) => known
            .by_source(&SourceRef {
                source: source.source.clone(),
                source_id: manager.clone(),
            })
            .map(|m| m.profile.work_email),
        _ => None,
    };
    Who {
        employee_id: e.id.0.clone(),
        work_email: p.work_email.clone(),
        login: None,
        personal_email: p.personal_email.clone(),
        given_name: p
            .preferred_name
            .clone()
            .unwrap_or_else(|| p.given_name.clone()),
        family_name: p.family_name.clone(),
        display_name: p.display_name(),
        department: p.department.clone(),
        title: p.title.clone(),
        manager_email,
        country: p.work_country.clone(),
        time_zone: zone.iana_name().map(str::to_string),
        start_date: e.start_date.map(|d| d.to_string()),
    }
}
