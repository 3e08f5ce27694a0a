//! An admin's decision on offboardings the mass-termination guard held.

use crate::audit::{Actor, AuditAction, Subject};
use crate::effect::{Effect, Plan};
use crate::employee::{Offboarding, Termination};
use crate::guard::{HeldOffboardings, HoldError, HoldResolution};
use crate::ids::{HoldId, UserId};
use crate::known::Known;

use super::PlanContext;
use super::work::{Out, Work, WriteKind};

/// Releases held offboardings: each employee still held by this hold gets the normal
/// offboarding for their (current) final day — scheduled, opened today, or opened late.
/// Employees whose termination HR withdrew meanwhile are skipped.
pub fn approve_held(
    known: &dyn Known,
    hold: &HoldId,
    by: &UserId,
    ctx: &mut PlanContext<'_>,
) -> Result<Plan, HoldError> {
    decide(known, hold, by, true, ctx)
}

/// Rejects held offboardings: the employees stay; their termination is marked rejected
/// so that a re-read of the same HR data does not hold it again. A different termination
/// date from HR starts anew.
pub fn reject_held(
    known: &dyn Known,
    hold: &HoldId,
    by: &UserId,
    ctx: &mut PlanContext<'_>,
) -> Result<Plan, HoldError> {
    decide(known, hold, by, false, ctx)
}

fn decide(
    known: &dyn Known,
    hold_id: &HoldId,
    by: &UserId,
    approved: bool,
    ctx: &mut PlanContext<'_>,
) -> Result<Plan, HoldError> {
    let hold: HeldOffboardings = known
        .hold(hold_id)
        .ok_or_else(|| HoldError::NotFound(hold_id.clone()))?;
    if hold.resolution.is_some() {
        return Err(HoldError::AlreadyResolved(hold_id.clone()));
    }
    let actor = Actor::User { id: by.clone() };
    let mut work = Work::new(known.catalog(), ctx, actor);
    let mut plan = Plan::default();
    let mut decided = Vec::new();
    for held in &hold.employees {
        let Some(before) = known.employee(&held.employee.id) else {
            continue;
        };
        let Some(termination) = before.termination.clone() else {
            continue;
        };
        if termination.offboarding
            != (Offboarding::Held {
                hold: hold_id.clone(),
            })
        {
            continue;
        }
        let mut employee = before.clone();
        let mut out = Out::default();
        if approved {
            work.start_offboarding(&mut out, &mut employee, termination.final_day);
        } else {
            employee.termination = Some(Termination {
                final_day: termination.final_day,
                offboarding: Offboarding::Rejected {
                    hold: hold_id.clone(),
                    by: by.clone(),
                },
            });
        }
        decided.push(employee.reference().to_string());
        let mut write = Out::default();
        work.write(&mut write, Some(&before), &employee, WriteKind::Update);
        write.append(out);
        plan.effects.extend(write.effects);
        plan.audit.extend(write.audit);
    }
    let mut out = Out::default();
    let (action, verb) = if approved {
        (AuditAction::OffboardingsApproved, "approved")
    } else {
        (AuditAction::OffboardingsRejected, "rejected")
    };
    work.audit(
        &mut out,
        action,
        Subject::Hold {
            id: hold_id.clone(),
        },
        format!("{verb} by {by}: {}", decided.join(", ")),
    );
    out.effects.push(Effect::ResolveHold {
        hold: hold_id.clone(),
        resolution: HoldResolution {
            approved,
            by: by.clone(),
            at: work.now,
        },
    });
    plan.effects.extend(out.effects);
    plan.audit.extend(out.audit);
    Ok(plan)
}
