//! The daily run: what the calendar, not HR, brings.

use crate::audit::Actor;
use crate::effect::Plan;
use crate::employee::{EmployeeStatus, Offboarding};
use crate::known::Known;

use super::PlanContext;
use super::work::{Out, Work, WriteKind};

/// What has come due by `ctx.now`, each in the employee's work time zone: pending
/// employees whose start date has come become active, and scheduled offboardings whose
/// final day has come open their Offboard Employee task (revocations wait for the end of
/// that day; a run that comes after the final day opens it late, revoking at once).
///
/// The shell calls it at least hourly (time zones reach a new day every hour somewhere)
/// and after every sync; calling it again changes nothing.
pub fn due(known: &dyn Known, ctx: &mut PlanContext<'_>) -> Plan {
    // The date wherever it is latest (UTC+14): no one's today is after it.
    let latest =
        crate::dates::local_date(ctx.now, &jiff::tz::TimeZone::fixed(jiff::tz::offset(14)));
    let mut employees = known.awaiting_dates(latest);
    employees.sort_by(|a, b| a.id.cmp(&b.id));
    let mut work = Work::new(known.catalog(), ctx, Actor::System);
    let mut plan = Plan::default();
    for before in employees {
        let mut employee = before.clone();
        let today = work.today(&employee);
        let mut out = Out::default();
        if employee.status == EmployeeStatus::Pending
            && employee.start_date.is_some_and(|start| start <= today)
        {
            employee.status = EmployeeStatus::Active;
        }
        if let Some(termination) = &employee.termination
            && termination.offboarding == Offboarding::Scheduled
            && termination.final_day <= today
        {
            let final_day = termination.final_day;
            work.open_offboarding(&mut out, &mut employee, final_day, false);
        }
        let mut write = Out::default();
        work.write(&mut write, Some(&before), &employee, WriteKind::Update);
        write.append(out);
        plan.effects.extend(write.effects);
        plan.audit.extend(write.audit);
    }
    plan
}
