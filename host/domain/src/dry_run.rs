//! "What would happen if ...?" — the planner run against a copy, its effects described
//! for a person. Nothing is changed: the caller gets a description, not a plan to apply.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::audit::Actor;
use crate::effect::{Effect, JobAction, NotificationKind, Plan};
use crate::employee::{Employee, EmployeeStatus, Profile};
use crate::groups::{Catalog, Grants};
use crate::guard::MassTerminationGuard;
use crate::hr_record::{HrStatus, RawHrRecord};
use crate::ids::{EmployeeId, HoldId, IdSource, TaskId, UserId};
use crate::known::InMemoryKnown;
use crate::planner::{self, PlanContext};
use crate::task::{AppAction, TaskKind};

/// The change to try.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WhatIf {
    /// This HR record arrives (a new hire, or the snapshot's next version).
    Record { record: RawHrRecord },
    /// The snapshot's HR facts become these (the UI starts from the snapshot's values).
    Edit {
        profile: Profile,
        start_date: Option<Date>,
        termination_date: Option<Date>,
    },
    /// The given catalog (groups, rules, apps) replaces the current one.
    Rules,
    /// Time passes to the given instant: starts and final days that come due.
    Due,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DryRunError {
    #[error("this dry run needs the employee it is about")]
    NeedsEmployee,
}

/// One thing that would happen.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DryRunStep {
    pub description: String,
    pub effect: Effect,
}

/// What would happen.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DryRun {
    pub steps: Vec<DryRunStep>,
    /// Why the record would be quarantined instead, if it would.
    pub quarantined: Option<String>,
    /// Titles of the tasks that would open.
    pub tasks: Vec<String>,
    /// Apps where access would be granted (by a connector or by hand).
    pub grant: Vec<String>,
    /// Apps where access would be revoked (by a connector or by hand).
    pub revoke: Vec<String>,
}

/// Answers "what would happen" for one employee (`snapshot`, `None` for a new hire) under
/// `catalog` at `now`. Only the snapshot is known, so conflicts with other employees (a
/// work email used twice) and the mass-termination guard are not checked.
pub fn dry_run(
    snapshot: Option<&Employee>,
    what_if: WhatIf,
    catalog: &Catalog,
    now: Timestamp,
    company_time_zone: &TimeZone,
) -> Result<DryRun, DryRunError> {
    let mut known = InMemoryKnown::new(catalog.clone());
    if let Some(employee) = snapshot {
        known.employees.insert(employee.clone());
    }
    let mut ids = DryRunIds::default();
    let mut ctx = PlanContext::new(now, company_time_zone.clone(), &mut ids);
    ctx.mass_termination = MassTerminationGuard {
        share: 1.0,
        minimum: usize::MAX,
    };
    let plan = match what_if {
        WhatIf::Record { record } => planner::plan(&known, &[record], &mut ctx),
        WhatIf::Edit {
            profile,
            start_date,
            termination_date,
        } => {
            let employee = snapshot.ok_or(DryRunError::NeedsEmployee)?;
            let facts = planner::Facts {
                source: employee.source.clone(),
                profile,
                status: match employee.status {
                    EmployeeStatus::Active => HrStatus::Active,
                    _ => HrStatus::Pending,
                },
                start_date,
                termination_date,
                deleted: false,
            };
            match planner::plan_edit(&known, employee.clone(), facts, &mut ctx) {
                Ok(plan) => plan,
                Err(reason) => {
                    return Ok(DryRun {
                        steps: Vec::new(),
                        quarantined: Some(reason.to_string()),
                        tasks: Vec::new(),
                        grant: Vec::new(),
                        revoke: Vec::new(),
                    });
                }
            }
        }
        WhatIf::Rules => {
            snapshot.ok_or(DryRunError::NeedsEmployee)?;
            planner::reconcile_access(&known, Actor::System, &mut ctx)
        }
        WhatIf::Due => planner::due(&known, &mut ctx),
    };
    Ok(summarize(&plan, catalog))
}

/// Describes a plan for a person.
pub fn summarize(plan: &Plan, catalog: &Catalog) -> DryRun {
    let names = employee_names(plan);
    let mut out = DryRun {
        steps: Vec::new(),
        quarantined: plan.quarantined.first().map(|q| q.reason.to_string()),
        tasks: Vec::new(),
        grant: Vec::new(),
        revoke: Vec::new(),
    };
    for effect in &plan.effects {
        match effect {
            Effect::OpenTask { task } => {
                out.tasks.push(task.title());
                match &task.kind {
                    TaskKind::ManualApp { app_task } => match app_task.action {
                        AppAction::Grant => out.grant.push(app_task.app_name.clone()),
                        AppAction::Revoke => out.revoke.push(app_task.app_name.clone()),
                    },
                    // Granted and revoked when a champion confirms the task.
                    TaskKind::CompleteItSetup { grants, .. } => out
                        .grant
                        .extend(grants.applications.iter().map(|a| catalog.app_name(a))),
                    TaskKind::OffboardEmployee { to_revoke, .. } => out
                        .revoke
                        .extend(to_revoke.applications.iter().map(|a| catalog.app_name(a))),
                    _ => {}
                }
            }
            Effect::EnqueueJob { job } => {
                if job.grants() {
                    out.grant.push(job.target(catalog));
                } else {
                    out.revoke.push(job.target(catalog));
                }
            }
            _ => {}
        }
        out.steps.push(DryRunStep {
            description: describe(effect, catalog, &names),
            effect: effect.clone(),
        });
    }
    out
}

/// The names of the employees a plan writes.
pub fn employee_names(plan: &Plan) -> BTreeMap<EmployeeId, String> {
    plan.effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::CreateEmployee { employee }
            | Effect::UpdateEmployee { employee, .. }
            | Effect::MergePreHire { employee, .. } => Some((employee.id.clone(), employee.name())),
            _ => None,
        })
        .collect()
}

/// One effect in a sentence.
pub fn describe(
    effect: &Effect,
    catalog: &Catalog,
    names: &BTreeMap<EmployeeId, String>,
) -> String {
    let name = |id: &EmployeeId| {
        names
            .get(id)
            .map_or_else(|| id.to_string(), |name| format!("{name} ({id})"))
    };
    match effect {
        Effect::CreateEmployee { employee } => {
            let start = employee
                .start_date
                .map_or(String::new(), |d| format!(", start date {d}"));
            format!(
                "Create employee {} <{}>, {}{start}",
                employee.name(),
                employee.profile.work_email,
                employee.status
            )
        }
        Effect::UpdateEmployee { employee, changes } => {
            let listed: Vec<String> = changes.iter().map(ToString::to_string).collect();
            format!("Update {}: {}", employee.name(), listed.join("; "))
        }
        Effect::MergePreHire {
            employee,
            source,
            changes,
        } => {
            let listed: Vec<String> = changes.iter().map(ToString::to_string).collect();
            format!(
                "Merge HR record {source} into pre-hire {} ({}), keeping its tasks and history: {}",
                employee.name(),
                employee.id,
                listed.join("; ")
            )
        }
        Effect::OpenTask { task } => {
            let assignees = if task.assignees.is_empty() {
                "unassigned".to_string()
            } else {
                let people: Vec<String> = task
                    .assignees
                    .iter()
                    .map(|u| champion_name(catalog, u))
                    .collect();
                format!("assigned to {}", people.join(", "))
            };
            let detail = match &task.kind {
                TaskKind::CompleteItSetup { grants, .. } if !grants.is_empty() => {
                    format!(": set up {}", grants_text(grants, catalog))
                }
                TaskKind::GroupChange { change } => {
                    let mut parts = Vec::new();
                    if !change.to_remove.is_empty() {
                        parts.push(format!(
                            "remove {}",
                            grants_text(&change.to_remove, catalog)
                        ));
                    }
                    if !change.to_add.is_empty() {
                        parts.push(format!("add {}", grants_text(&change.to_add, catalog)));
                    }
                    if !change.to_keep.is_empty() {
                        parts.push(format!("keep {}", grants_text(&change.to_keep, catalog)));
                    }
                    format!(": {}", parts.join("; "))
                }
                TaskKind::OffboardEmployee {
                    final_day,
                    late,
                    days_late,
                    to_revoke,
                    ..
                } => {
                    let late = if *late {
                        format!(", {days_late} days late")
                    } else {
                        String::new()
                    };
                    let revoke = if to_revoke.is_empty() {
                        String::new()
                    } else {
                        format!("; revoke {}", grants_text(to_revoke, catalog))
                    };
                    format!(": final day {final_day}{late}{revoke}")
                }
                _ => String::new(),
            };
            format!(
                "Open task {} for {}, {assignees}{detail}",
                task.title(),
                task.employee.name
            )
        }
        Effect::UpdateTask { task } => {
            format!("Update task {} for {}", task.title(), task.employee.name)
        }
        Effect::PutAsset { asset } => format!("Record asset {}", asset.label()),
        Effect::PutOrder { order } => format!(
            "Record order {} of {} for {}",
            order.id, order.product.model, order.employee.name
        ),
        Effect::PutShipment { shipment } => format!(
            "Record return {} of {}: {}",
            shipment.id,
            shipment.employee.name,
            shipment.state.words()
        ),
        Effect::PutCommand { command } => format!(
            "{} device {} of {}",
            command.verb(),
            command.device_id,
            command.employee.name
        ),
        Effect::Notify { to, message } => {
            let about = match message {
                NotificationKind::PurchaseRequest { order } => {
                    format!("a purchase request for {}", order.product.model)
                }
                NotificationKind::ReturnInstructions {
                    employee, place, ..
                } => {
                    format!("how {} sends their devices back to {place}", employee.name)
                }
                NotificationKind::NewHire {
                    employee, rehire, ..
                } => {
                    if *rehire {
                        format!("{} is rejoining", employee.name)
                    } else {
                        format!("{} is joining", employee.name)
                    }
                }
                NotificationKind::TaskOpened {
                    title, employee, ..
                } => format!("{title} for {} is waiting", employee.name),
                NotificationKind::OffboardingsHeld { employees, .. } => {
                    format!("{} offboardings are held for approval", employees.len())
                }
                NotificationKind::ConnectorParked { connector, .. } => {
                    format!("{connector} is paused")
                }
                NotificationKind::Credential {
                    employee, app_name, ..
                } => format!("{}'s first password for {app_name}", employee.name),
            };
            format!("Email {}: {about}", to.join(", "))
        }
        Effect::EnqueueJob { job } => {
            let when = job.not_before.map_or(String::new(), |t| {
                format!(", once the final day is over ({t})")
            });
            let (who, what, via) = (&job.employee.name, job.target(catalog), &job.connector);
            match job.action {
                JobAction::Provision => {
                    format!("Create {who}'s account in {what} through the {via} connector{when}")
                }
                JobAction::Revoke => {
                    format!("Revoke {who}'s account in {what} through the {via} connector{when}")
                }
                JobAction::Join => format!("Add {who} to {what} through the {via} connector{when}"),
                JobAction::Leave => {
                    format!("Remove {who} from {what} through the {via} connector{when}")
                }
            }
        }
        Effect::ScheduleOffboarding {
            employee,
            final_day,
        } => format!(
            "Schedule the offboarding of {}: the task appears on the final day, {final_day}",
            name(employee)
        ),
        Effect::CancelOffboarding { employee } => {
            format!("Cancel the scheduled offboarding of {}", name(employee))
        }
        Effect::HoldOffboardings { hold } => format!(
            "Hold {} offboardings for an admin's approval: {}",
            hold.employees.len(),
            hold.reason
        ),
        Effect::ResolveHold { hold, resolution } => format!(
            "Mark held offboardings {hold} {}",
            if resolution.approved {
                "approved"
            } else {
                "rejected"
            }
        ),
        Effect::ReleaseQuarantine { source, source_id } => {
            format!("Release the quarantined record {source}:{source_id}")
        }
    }
}

fn grants_text(grants: &Grants, catalog: &Catalog) -> String {
    let mut items: Vec<String> = grants
        .applications
        .iter()
        .map(|app| catalog.app_name(app))
        .collect();
    items.extend(grants.external_groups.iter().map(ToString::to_string));
    items.join(", ")
}

fn champion_name(catalog: &Catalog, user: &UserId) -> String {
    let champions = &catalog.champions;
    champions
        .onboarding
        .iter()
        .chain(&champions.hardware)
        .chain(&champions.default_application)
        .chain(catalog.applications.iter().flat_map(|a| &a.champions))
        .find(|c| &c.user == user)
        .map_or_else(|| user.to_string(), |c| c.name.clone())
}

/// Placeholder ids that say what they are.
#[derive(Debug, Default)]
struct DryRunIds {
    next: u64,
}

impl DryRunIds {
    fn draw(&mut self, what: &str) -> String {
        self.next += 1;
        format!("new-{what}-{}", self.next)
    }
}

impl IdSource for DryRunIds {
    fn employee_id(&mut self) -> EmployeeId {
        EmployeeId(self.draw("employee"))
    }

    fn task_id(&mut self) -> TaskId {
        TaskId(self.draw("task"))
    }

    fn hold_id(&mut self) -> HoldId {
        HoldId(self.draw("hold"))
    }

    fn asset_id(&mut self) -> crate::ids::AssetId {
        crate::ids::AssetId(self.draw("asset"))
    }

    fn shipment_id(&mut self) -> crate::ids::ShipmentId {
        crate::ids::ShipmentId(self.draw("shipment"))
    }

    fn command_id(&mut self) -> crate::ids::CommandId {
        crate::ids::CommandId(self.draw("command"))
    }

    fn order_id(&mut self) -> crate::ids::OrderId {
        crate::ids::OrderId(self.draw("order"))
    }
}
