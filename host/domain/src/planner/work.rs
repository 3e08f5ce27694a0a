//! The steps every planner entry point shares: opening tasks, granting and revoking,
//! scheduling and opening offboardings, writing the employee, auditing.

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::audit::{Actor, AuditAction, AuditEntry, Subject};
use crate::dates::{FinalDay, end_of_day, local_date};
use crate::effect::{Effect, JobAction, JobIntent, NotificationKind};
use crate::employee::{Adjustments, Employee, EmployeeStatus, Offboarding, Termination, changes};
use crate::groups::{Access, Catalog, Champion, ExternalGroup, Grants};
use crate::ids::{AppId, IdSource, TaskId};
use crate::task::{AppAction, GroupChange, ManualAppTask, Task, TaskKind, TaskState};

use super::PlanContext;

/// Effects and audit entries in the order they happen.
#[derive(Debug, Default)]
pub(crate) struct Out {
    pub effects: Vec<Effect>,
    pub audit: Vec<AuditEntry>,
}

impl Out {
    pub fn append(&mut self, other: Out) {
        self.effects.extend(other.effects);
        self.audit.extend(other.audit);
    }
}

/// How an employee's write is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriteKind {
    Hire,
    ImportExisting,
    ImportFormer,
    PreHire,
    Merge,
    Rehire,
    Update,
}

pub(crate) struct Work<'w> {
    pub catalog: &'w Catalog,
    pub now: Timestamp,
    pub company: &'w TimeZone,
    pub location_zones: &'w crate::work_zone::LocationZones,
    pub ids: &'w mut dyn IdSource,
    pub actor: Actor,
    pub provision_days_before_start: u32,
}

impl<'w> Work<'w> {
    pub fn new(catalog: &'w Catalog, ctx: &'w mut PlanContext<'_>, actor: Actor) -> Self {
        Work {
            catalog,
            now: ctx.now,
            company: &ctx.company_time_zone,
            location_zones: &ctx.location_zones,
            ids: &mut *ctx.ids,
            actor,
            provision_days_before_start: ctx.provision_days_before_start,
        }
    }

    pub fn zone(&self, employee: &Employee) -> TimeZone {
        crate::work_zone::resolve(&employee.profile, self.location_zones, self.company).0
    }

    pub fn today(&self, employee: &Employee) -> Date {
        local_date(self.now, &self.zone(employee))
    }

    /// When a new hire's accounts are created: the configured number of days before the
    /// start date (at the start of that day where they work), or now when that is past,
    /// the start date is unknown, or a champion asked for `now`.
    pub fn provision_time(&self, employee: &Employee, now: bool) -> Option<Timestamp> {
        if now {
            return None;
        }
        let start = employee.start_date?;
        let day = start
            .checked_sub(jiff::Span::new().days(i64::from(self.provision_days_before_start)))
            .ok()?;
        let zone = self.zone(employee);
        let at = day.to_zoned(zone).ok()?.timestamp();
        (at > self.now).then_some(at)
    }

    pub fn audit(&self, out: &mut Out, action: AuditAction, subject: Subject, detail: String) {
        out.audit.push(AuditEntry {
            at: self.now,
            actor: self.actor.clone(),
            action,
            subject,
            detail,
        });
    }

    /// Opens a task, audits it, and emails its assignees.
    pub fn open_task(
        &mut self,
        out: &mut Out,
        employee: &Employee,
        kind: TaskKind,
        champions: &[Champion],
    ) -> TaskId {
        let id = self.ids.task_id();
        let mut assignees = Vec::new();
        let mut to = Vec::new();
        for champion in champions {
            if !assignees.contains(&champion.user) {
                assignees.push(champion.user.clone());
            }
            if !to.contains(&champion.email) {
                to.push(champion.email.clone());
            }
        }
        let task = Task {
            id: id.clone(),
            kind,
            employee: employee.reference(),
            assignees,
            opened_at: self.now,
            state: TaskState::Open,
            decision: None,
        };
        let message = match &task.kind {
            TaskKind::CompleteItSetup {
                start_date, rehire, ..
            } => NotificationKind::NewHire {
                employee: employee.reference(),
                work_email: employee.profile.work_email.clone(),
                start_date: *start_date,
                task: id.clone(),
                rehire: *rehire,
            },
            _ => NotificationKind::TaskOpened {
                task: id.clone(),
                title: task.title(),
                employee: employee.reference(),
            },
        };
        let assigned = if champions.is_empty() {
            "unassigned".to_string()
        } else {
            let names: Vec<&str> = champions.iter().map(|c| c.name.as_str()).collect();
            format!("assigned to {}", names.join(", "))
        };
        self.audit(
            out,
            AuditAction::TaskOpened,
            Subject::Task { id: id.clone() },
            format!("{} for {}, {assigned}", task.title(), employee.reference()),
        );
        out.effects.push(Effect::OpenTask { task });
        if !to.is_empty() {
            out.effects.push(Effect::Notify { to, message });
        }
        id
    }

    /// Complete IT Setup for the onboarding champions. Equip New Hire opens when the
    /// champion's setup decision asks for hardware.
    pub fn open_onboarding(&mut self, out: &mut Out, employee: &mut Employee, rehire: bool) {
        let setup = TaskKind::CompleteItSetup {
            start_date: employee.start_date,
            grants: employee.access.grants.clone(),
            rehire,
        };
        let catalog = self.catalog;
        let id = self.open_task(out, employee, setup, &catalog.champions.onboarding);
        employee.onboarding = Some(id);
    }

    /// A job for apps with a connector, a manual task for the app's champions otherwise.
    pub fn app_access(
        &mut self,
        out: &mut Out,
        employee: &Employee,
        apps: &BTreeSet<AppId>,
        action: AppAction,
        not_before: Option<Timestamp>,
    ) {
        for app in apps {
            let connector = self
                .catalog
                .application(app)
                .and_then(|a| a.connector.clone());
            match connector {
                Some(connector) => {
                    let job = JobIntent {
                        action: match action {
                            AppAction::Grant => JobAction::Provision,
                            AppAction::Revoke => JobAction::Revoke,
                        },
                        app: app.clone(),
                        group: None,
                        connector,
                        employee: employee.reference(),
                        not_before,
                    };
                    let what = match action {
                        AppAction::Grant => {
                            format!("create account in {}", self.catalog.app_name(app))
                        }
                        AppAction::Revoke => {
                            format!("revoke account in {}", self.catalog.app_name(app))
                        }
                    };
                    self.enqueue(out, employee, job, &what);
                }
                None => {
                    let kind = TaskKind::ManualApp {
                        app_task: ManualAppTask {
                            app: app.clone(),
                            app_name: self.catalog.app_name(app),
                            action,
                            reason: None,
                            group: None,
                        },
                    };
                    let catalog = self.catalog;
                    self.open_task(out, employee, kind, catalog.app_champions(app));
                }
            }
        }
    }

    /// Adds the employee to `groups` (grant) or takes them out (revoke): a job for each
    /// group's connector. A connector that is missing or cannot do it fails its job
    /// into a manual task for the application champions.
    pub fn group_access(
        &mut self,
        out: &mut Out,
        employee: &Employee,
        groups: &BTreeSet<ExternalGroup>,
        action: AppAction,
        not_before: Option<Timestamp>,
    ) {
        for group in groups {
            let job = JobIntent {
                action: match action {
                    AppAction::Grant => JobAction::Join,
                    AppAction::Revoke => JobAction::Leave,
                },
                app: group.key(),
                group: Some(group.clone()),
                connector: group.connector.clone(),
                employee: employee.reference(),
                not_before,
            };
            let what = match action {
                AppAction::Grant => format!("add to {group}"),
                AppAction::Revoke => format!("remove from {group}"),
            };
            self.enqueue(out, employee, job, &what);
        }
    }

    /// Queues `job`, audited as "`what` for <employee> via <connector>[ not before …]".
    fn enqueue(&mut self, out: &mut Out, employee: &Employee, job: JobIntent, what: &str) {
        let when = job
            .not_before
            .map_or(String::new(), |t| format!(" not before {t}"));
        self.audit(
            out,
            AuditAction::JobEnqueued,
            Subject::Employee {
                id: employee.id.clone(),
            },
            format!(
                "{what} for {} via {}{when}",
                employee.reference(),
                job.connector
            ),
        );
        out.effects.push(Effect::EnqueueJob { job });
    }

    /// Moves the employee to `desired` access. When their groups or what the groups
    /// grant change: a Group Change task for the default application champions (also
    /// when the new groups grant the same as the old), whose decision grants and revokes
    /// apps and moves groups and channels.
    pub fn change_access(&mut self, out: &mut Out, employee: &mut Employee, desired: Access) {
        if employee.access == desired {
            return;
        }
        let held_before = employee.apps();
        let groups_held_before = employee.groups_held();
        let before = std::mem::replace(&mut employee.access, desired);
        let same_groups = before.groups.len() == employee.access.groups.len()
            && before
                .groups
                .iter()
                .all(|g| employee.access.groups.iter().any(|h| g.matches(h)));
        if same_groups && before.grants == employee.access.grants {
            // HR spelled a group differently; nothing moved.
            return;
        }
        let mut change = GroupChange::new(
            before.groups.into_iter().collect(),
            employee.access.groups.iter().cloned().collect(),
            before.grants,
            employee.access.grants.clone(),
        );
        change.held_before = held_before;
        change.held_groups_before = groups_held_before;
        let catalog = self.catalog;
        let champions = &catalog.champions.default_application;
        self.open_task(
            out,
            employee,
            TaskKind::GroupChange {
                change: Box::new(change),
            },
            champions,
        );
    }

    /// Schedules the offboarding for its final day, or opens it when that day has come.
    pub fn start_offboarding(&mut self, out: &mut Out, employee: &mut Employee, final_day: Date) {
        match FinalDay::of(final_day, self.today(employee)) {
            FinalDay::Future => {
                employee.termination = Some(Termination {
                    final_day,
                    offboarding: Offboarding::Scheduled,
                });
                self.audit(
                    out,
                    AuditAction::OffboardingScheduled,
                    Subject::Employee {
                        id: employee.id.clone(),
                    },
                    format!("{} leaves; final day {final_day}", employee.reference()),
                );
                out.effects.push(Effect::ScheduleOffboarding {
                    employee: employee.id.clone(),
                    final_day,
                });
            }
            FinalDay::Today | FinalDay::Passed { .. } => {
                self.open_offboarding(out, employee, final_day, false);
            }
        }
    }

    /// Opens Offboard Employee (late when the final day has passed). Its decision revokes
    /// what the employee had: at once when the final day is over or `at_once`, else not
    /// before it ends.
    pub fn open_offboarding(
        &mut self,
        out: &mut Out,
        employee: &mut Employee,
        final_day: Date,
        at_once: bool,
    ) {
        let zone = self.zone(employee);
        let days_late = match FinalDay::of(final_day, local_date(self.now, &zone)) {
            FinalDay::Passed { days_late } => days_late,
            FinalDay::Today | FinalDay::Future => 0,
        };
        let not_before = (!at_once && days_late == 0).then(|| end_of_day(final_day, &zone));
        let to_revoke = Grants {
            applications: employee.apps(),
            external_groups: employee.groups_held(),
        };
        let kind = TaskKind::OffboardEmployee {
            final_day,
            late: days_late > 0,
            days_late,
            to_revoke: to_revoke.clone(),
            revoke_not_before: not_before,
        };
        let mut champions = self.catalog.champions.onboarding.clone();
        champions.extend(self.catalog.champions.hardware.iter().cloned());
        let task = self.open_task(out, employee, kind, &champions);
        let late = if days_late > 0 {
            format!(", {days_late} days late")
        } else {
            String::new()
        };
        self.audit(
            out,
            AuditAction::OffboardingOpened,
            Subject::Employee {
                id: employee.id.clone(),
            },
            format!(
                "{} offboarded; final day {final_day}{late}",
                employee.reference()
            ),
        );
        // What it had is revoked when a champion confirms the task's revoke step.
        employee.status = EmployeeStatus::Terminated;
        employee.access = Access::default();
        employee.adjustments = Adjustments::default();
        employee.termination = Some(Termination {
            final_day,
            offboarding: Offboarding::Opened { task, days_late },
        });
    }

    /// The write for one employee (nothing when nothing changed), with its audit entry.
    pub fn write(
        &self,
        out: &mut Out,
        before: Option<&Employee>,
        after: &Employee,
        kind: WriteKind,
    ) {
        let subject = Subject::Employee {
            id: after.id.clone(),
        };
        let Some(before) = before else {
            let (action, what) = match kind {
                WriteKind::ImportExisting => (AuditAction::ExistingEmployeeImported, "imported"),
                WriteKind::ImportFormer => (
                    AuditAction::FormerEmployeeImported,
                    "imported as a former employee",
                ),
                WriteKind::PreHire => (AuditAction::PreHireAdded, "added as a pre-hire"),
                _ => (AuditAction::EmployeeCreated, "hired"),
            };
            let source = after
                .source
                .as_ref()
                .map_or(String::new(), |s| format!(" from {}", s.source));
            let start = after
                .start_date
                .map_or(String::new(), |d| format!(", starts {d}"));
            self.audit(
                out,
                action,
                subject,
                format!(
                    "{} <{}> {what}{source}{start}",
                    after.reference(),
                    after.profile.work_email
                ),
            );
            out.effects.push(Effect::CreateEmployee {
                employee: after.clone(),
            });
            return;
        };
        if before == after {
            return;
        }
        let changes = changes(before, after);
        let listed: Vec<String> = changes.iter().map(ToString::to_string).collect();
        let detail = format!("{}: {}", after.reference(), listed.join("; "));
        match (kind, &after.source) {
            (WriteKind::Merge, Some(source)) => {
                self.audit(out, AuditAction::PreHireMerged, subject, detail);
                out.effects.push(Effect::MergePreHire {
                    employee: after.clone(),
                    source: source.clone(),
                    changes,
                });
            }
            _ => {
                let action = match kind {
                    WriteKind::Rehire => AuditAction::EmployeeRehired,
                    _ if before.status == EmployeeStatus::Pending
                        && after.status == EmployeeStatus::Active
                        && changes.len() == 1 =>
                    {
                        AuditAction::EmployeeStarted
                    }
                    _ => AuditAction::EmployeeUpdated,
                };
                self.audit(out, action, subject, detail);
                out.effects.push(Effect::UpdateEmployee {
                    employee: after.clone(),
                    changes,
                });
            }
        }
    }
}
