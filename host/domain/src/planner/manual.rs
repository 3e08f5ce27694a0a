//! What admins do by hand: add a pre-hire, offboard someone today, re-apply the rules
//! after editing groups or rules.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::audit::{Actor, AuditAction, Subject};
use crate::dates;
use crate::effect::Plan;
use crate::employee::{Employee, Profile};
use crate::groups::Access;
use crate::hr_record::{HrStatus, QuarantineReason, looks_like_email};
use crate::ids::{EmployeeId, UserId};
use crate::known::Known;

use super::PlanContext;
use super::sync::started;
use super::work::{Out, Work, WriteKind};

/// A person an admin adds before HR has them. HR's record merges into it later by work
/// email.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreHire {
    pub profile: Profile,
    pub start_date: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManualError {
    #[error("{0}")]
    Invalid(#[from] QuarantineReason),
    #[error("there is no employee {0}")]
    NotFound(EmployeeId),
    #[error("{name} ({id}) is already offboarded")]
    AlreadyOffboarded { id: EmployeeId, name: String },
}

/// Adds a pre-hire: the employee (no HR source yet), Complete IT Setup for the onboarding
/// champions with their email, and access per the rules.
pub fn add_pre_hire(
    known: &dyn Known,
    pre_hire: PreHire,
    by: &UserId,
    ctx: &mut PlanContext<'_>,
) -> Result<Plan, ManualError> {
    let profile = pre_hire.profile.normalized();
    if profile.work_email.is_empty() {
        return Err(QuarantineReason::NoWorkEmail.into());
    }
    if !looks_like_email(&profile.work_email) {
        return Err(QuarantineReason::InvalidWorkEmail {
            email: profile.work_email,
        }
        .into());
    }
    if let Some(zone) = &profile.work_time_zone
        && dates::zone(zone).is_err()
    {
        return Err(QuarantineReason::UnknownTimeZone { zone: zone.clone() }.into());
    }
    if profile.display_name().is_empty() {
        return Err(QuarantineReason::NoName.into());
    }
    let mut holders = known.by_work_email(&profile.email_key());
    holders.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(other) = holders.into_iter().find(Employee::is_employed) {
        return Err(QuarantineReason::EmailInUse {
            email: profile.work_email,
            employee: other.id.clone(),
            name: other.name(),
        }
        .into());
    }
    let today = ctx.today_for(&profile);
    let catalog = known.catalog();
    let mut work = Work::new(catalog, ctx, Actor::User { id: by.clone() });
    let id = work.ids.employee_id();
    let mut employee = Employee {
        access: catalog.access_for(&id, &profile),
        id,
        source: None,
        status: started(HrStatus::Pending, pre_hire.start_date, today),
        profile,
        start_date: pre_hire.start_date,
        termination: None,
        onboarding: None,
        adjustments: Default::default(),
    };
    let mut out = Out::default();
    // Apps wait for the champion's Complete IT Setup decision.
    work.open_onboarding(&mut out, &mut employee, false);
    let mut plan_out = Out::default();
    work.write(&mut plan_out, None, &employee, WriteKind::PreHire);
    plan_out.append(out);
    Ok(into_plan(plan_out))
}

/// Same-day offboarding: the Offboard Employee task opens now with today as the final
/// day, and access is revoked at once.
pub fn offboard_now(
    known: &dyn Known,
    employee: &EmployeeId,
    by: &UserId,
    ctx: &mut PlanContext<'_>,
) -> Result<Plan, ManualError> {
    let before = known
        .employee(employee)
        .ok_or_else(|| ManualError::NotFound(employee.clone()))?;
    if !before.is_employed() {
        return Err(ManualError::AlreadyOffboarded {
            id: before.id.clone(),
            name: before.name(),
        });
    }
    let mut work = Work::new(known.catalog(), ctx, Actor::User { id: by.clone() });
    let mut after = before.clone();
    let today = work.today(&after);
    let mut out = Out::default();
    work.open_offboarding(&mut out, &mut after, today, true);
    let mut plan_out = Out::default();
    work.write(&mut plan_out, Some(&before), &after, WriteKind::Update);
    plan_out.append(out);
    Ok(into_plan(plan_out))
}

/// Re-applies groups and rules to every employed person (after an admin edits a custom
/// group, a rule or an app): a Group Change task and per-app work for each person whose
/// grants changed.
pub fn reconcile_access(known: &dyn Known, actor: Actor, ctx: &mut PlanContext<'_>) -> Plan {
    let mut employees = known.employees();
    employees.sort_by(|a, b| a.id.cmp(&b.id));
    let catalog = known.catalog();
    let mut work = Work::new(catalog, ctx, actor);
    let mut all = Out::default();
    for before in employees.iter().filter(|e| e.is_employed()) {
        let desired: Access = catalog.access_for(&before.id, &before.profile);
        let mut after = before.clone();
        let mut out = Out::default();
        work.change_access(&mut out, &mut after, desired);
        work.write(&mut all, Some(before), &after, WriteKind::Update);
        all.append(out);
    }
    into_plan(all)
}

fn into_plan(out: Out) -> Plan {
    Plan {
        effects: out.effects,
        quarantined: Vec::new(),
        audit: out.audit,
    }
}

/// A job that ended without doing its work: the app's champions get a manual task that
/// says why, and the audit log records it. Nothing when the employee is unknown.
pub fn job_failed(
    known: &dyn Known,
    job: &crate::effect::JobIntent,
    reason: &str,
    ctx: &mut PlanContext<'_>,
) -> Plan {
    let Some(employee) = known.employee(&job.employee.id) else {
        return Plan::default();
    };
    let catalog = known.catalog();
    let mut work = Work::new(catalog, ctx, Actor::System);
    let mut out = Out::default();
    let action = if job.grants() {
        crate::task::AppAction::Grant
    } else {
        crate::task::AppAction::Revoke
    };
    let app_name = job.target(catalog);
    work.audit(
        &mut out,
        AuditAction::JobFailed,
        Subject::Employee {
            id: employee.id.clone(),
        },
        format!(
            "{} could not {} {app_name} for {}: {reason}; a person will do it",
            job.connector,
            match action {
                crate::task::AppAction::Grant if job.group.is_some() => "add them to",
                crate::task::AppAction::Revoke if job.group.is_some() => "remove them from",
                crate::task::AppAction::Grant => "grant",
                crate::task::AppAction::Revoke => "revoke",
            },
            employee.reference()
        ),
    );
    let kind = crate::task::TaskKind::ManualApp {
        app_task: crate::task::ManualAppTask {
            app: job.app.clone(),
            app_name,
            action,
            reason: Some(reason.to_string()),
            group: job.group.clone(),
        },
    };
    work.open_task(&mut out, &employee, kind, catalog.app_champions(&job.app));
    into_plan(out)
}
