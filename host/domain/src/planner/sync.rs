//! Planning a page of HR records.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;

use crate::audit::{Actor, AuditAction, Subject};
use crate::dates::{days_between, local_date};
use crate::effect::{Effect, NotificationKind, Plan};
use crate::employee::{Employee, EmployeeStatus, Offboarding, Profile, SourceRef, Termination};
use crate::groups::Access;
use crate::guard::{HeldOffboarding, HeldOffboardings};
use crate::hr_record::{
    HrStatus, Quarantine, QuarantineReason, RawHrRecord, ValidRecord, validate,
};
use crate::ids::EmployeeId;
use crate::known::Known;

use super::PlanContext;
use super::work::{Out, Work, WriteKind};

/// Plans a page of HR records from one sync.
///
/// Each record is matched to an employee by (source, source id), else merged into a
/// pre-hire by work email; then compared with what the store holds. Records that cannot
/// be applied are quarantined with a reason; the rest of the page still applies. When a
/// record appears twice in the page the last one wins. Planning a page against a store
/// that already applied it yields no effects.
pub fn plan(known: &dyn Known, page: &[RawHrRecord], ctx: &mut PlanContext<'_>) -> Plan {
    let mut last = HashMap::new();
    for (index, raw) in page.iter().enumerate() {
        let source = raw.source_ref();
        if !source.source_id.is_empty() {
            last.insert(source, index);
        }
    }
    let mut sync = Sync::new(known);
    for (index, raw) in page.iter().enumerate() {
        let source = raw.source_ref();
        if !source.source_id.is_empty() && last.get(&source) != Some(&index) {
            continue;
        }
        let actor = Actor::HrSync {
            source: source.source.clone(),
        };
        let decided =
            validate(raw).and_then(|record| sync.decide(Facts::from(record), None, actor, ctx));
        match decided {
            Ok(draft) => sync.push(draft),
            Err(reason) => sync.quarantined.push(Quarantine {
                source: source.source,
                source_id: source.source_id,
                reason,
                record: raw.clone(),
            }),
        }
    }
    sync.finish(ctx)
}

/// Plans an admin's proposed edit of an employee's HR facts (for a dry run).
pub(crate) fn plan_edit(
    known: &dyn Known,
    snapshot: Employee,
    facts: Facts,
    ctx: &mut PlanContext<'_>,
) -> Result<Plan, QuarantineReason> {
    let mut sync = Sync::new(known);
    let draft = sync.decide(facts, Some(snapshot), Actor::System, ctx)?;
    sync.push(draft);
    Ok(sync.finish(ctx))
}

/// What HR (or an admin) says about a person, validated.
#[derive(Debug, Clone)]
pub(crate) struct Facts {
    pub source: Option<SourceRef>,
    /// `work_email` is empty when none was given.
    pub profile: Profile,
    pub status: HrStatus,
    pub start_date: Option<Date>,
    pub termination_date: Option<Date>,
    pub deleted: bool,
}

impl From<ValidRecord> for Facts {
    fn from(record: ValidRecord) -> Self {
        Facts {
            source: Some(record.source),
            profile: record.profile,
            status: record.status,
            start_date: record.start_date,
            termination_date: record.termination_date,
            deleted: record.deleted,
        }
    }
}

/// An offboarding a record starts, decided once the whole page is known (the guard).
#[derive(Debug, Clone, Copy)]
struct PendingOffboarding {
    final_day: Date,
    /// Counts for the mass-termination guard: an employee Tenure knows as employed is
    /// leaving (not a new record with a known end date, not a moved date).
    guarded: bool,
}

/// One record's outcome before the guard has spoken.
struct Draft {
    actor: Actor,
    before: Option<Employee>,
    employee: Employee,
    kind: WriteKind,
    out: Out,
    offboarding: Option<PendingOffboarding>,
    release: Option<SourceRef>,
}

struct Sync<'k> {
    known: &'k dyn Known,
    /// Employees as the records planned so far leave them.
    overlay: BTreeMap<EmployeeId, Employee>,
    /// The overlay's employees by HR source and by work email (lower-cased).
    overlay_sources: HashMap<SourceRef, EmployeeId>,
    overlay_emails: HashMap<String, BTreeSet<EmployeeId>>,
    drafts: Vec<Draft>,
    quarantined: Vec<Quarantine>,
}

impl<'k> Sync<'k> {
    fn new(known: &'k dyn Known) -> Self {
        Sync {
            known,
            overlay: BTreeMap::new(),
            overlay_sources: HashMap::new(),
            overlay_emails: HashMap::new(),
            drafts: Vec::new(),
            quarantined: Vec::new(),
        }
    }

    fn push(&mut self, draft: Draft) {
        let id = &draft.employee.id;
        if let Some(source) = &draft.employee.source {
            self.overlay_sources.insert(source.clone(), id.clone());
        }
        if let Some(old) = self.overlay.get(id) {
            let old_key = old.profile.email_key();
            if let Some(ids) = self.overlay_emails.get_mut(&old_key) {
                ids.remove(id);
            }
        }
        self.overlay_emails
            .entry(draft.employee.profile.email_key())
            .or_default()
            .insert(id.clone());
        self.overlay.insert(id.clone(), draft.employee.clone());
        self.drafts.push(draft);
    }

    fn current(&self, employee: Employee) -> Employee {
        self.overlay.get(&employee.id).cloned().unwrap_or(employee)
    }

    fn by_source(&self, source: &SourceRef) -> Option<Employee> {
        match self.overlay_sources.get(source) {
            Some(id) => self.overlay.get(id).cloned(),
            None => self.known.by_source(source).map(|e| self.current(e)),
        }
    }

    /// Employed people with this work email (lower-cased) other than `except`, as this
    /// plan leaves them, by id. Only those are cloned: usually there are none.
    fn employed_with_email(&self, key: &str, except: Option<&EmployeeId>) -> Vec<Employee> {
        // The overlay wins for every id it has: planned employees whose email changed
        // away from `key` drop out, those whose email changed to it come in.
        let mut found: BTreeMap<EmployeeId, Employee> = BTreeMap::new();
        for id in self.known.ids_by_work_email(key) {
            if Some(&id) == except || self.overlay.contains_key(&id) {
                continue;
            }
            if let Some(e) = self.known.employee(&id).filter(Employee::is_employed) {
                found.insert(id, e);
            }
        }
        for id in self.overlay_emails.get(key).into_iter().flatten() {
            if Some(id) == except {
                continue;
            }
            if let Some(e) = self.overlay.get(id).filter(|e| e.is_employed()) {
                found.insert(id.clone(), e.clone());
            }
        }
        found.into_values().collect()
    }

    /// Decides what one person's facts mean. `existing` is given for an edit; for a record
    /// the employee is found by source, else a pre-hire by work email.
    fn decide(
        &self,
        facts: Facts,
        existing: Option<Employee>,
        actor: Actor,
        ctx: &mut PlanContext<'_>,
    ) -> Result<Draft, QuarantineReason> {
        let existing = existing.or_else(|| facts.source.as_ref().and_then(|s| self.by_source(s)));

        let mut profile = facts.profile.clone();
        if profile.work_email.is_empty() {
            // HR systems drop the work email of leavers: keep the one Tenure knows.
            match &existing {
                Some(known) => profile.work_email = known.profile.work_email.clone(),
                None => return Err(QuarantineReason::NoWorkEmail),
            }
        }
        let others =
            self.employed_with_email(&profile.email_key(), existing.as_ref().map(|e| &e.id));
        let (base, merge) = match existing {
            Some(employee) => (Some(employee), false),
            None => match others.iter().find(|e| e.is_pre_hire()) {
                Some(pre_hire) => (Some(pre_hire.clone()), true),
                None => (None, false),
            },
        };
        if let Some(other) = others
            .iter()
            .find(|e| base.as_ref().is_none_or(|b| b.id != e.id))
        {
            return Err(QuarantineReason::EmailInUse {
                email: profile.work_email.clone(),
                employee: other.id.clone(),
                name: other.name(),
            });
        }

        let today = local_date(ctx.now, &ctx.zone_for(&profile));
        let ends = facts.deleted || facts.status == HrStatus::Inactive;
        let termination = if ends {
            // Without a date, the day Tenure first learned of it (kept, so that a re-read
            // on a later day changes nothing).
            let known_day = base
                .as_ref()
                .and_then(|b| b.termination.as_ref())
                .map(|t| t.final_day);
            Some(facts.termination_date.or(known_day).unwrap_or(today))
        } else {
            // A termination date before the start date belongs to an earlier employment.
            facts
                .termination_date
                .filter(|t| facts.start_date.is_none_or(|s| *t >= s))
        };
        let import_after_days = ctx.import_after_days;
        let release = facts
            .source
            .clone()
            .filter(|s| self.known.is_quarantined(s));
        let catalog = self.known.catalog();
        let mut work = Work::new(catalog, ctx, actor.clone());
        let mut out = Out::default();
        let mut offboarding = None;

        let Some(base) = base else {
            // Someone Tenure has never seen.
            let mut employee = Employee {
                id: work.ids.employee_id(),
                source: facts.source.clone(),
                profile,
                status: EmployeeStatus::Pending,
                start_date: facts.start_date,
                termination: None,
                onboarding: None,
                adjustments: Default::default(),
                access: Access::default(),
            };
            let kind = match termination {
                Some(final_day) if final_day <= today => {
                    employee.status = EmployeeStatus::Terminated;
                    employee.termination = Some(Termination {
                        final_day,
                        offboarding: Offboarding::NotNeeded,
                    });
                    WriteKind::ImportFormer
                }
                _ => {
                    employee.status = started(facts.status, facts.start_date, today);
                    employee.access = catalog.access_for(&employee.id, &employee.profile);
                    offboarding = termination.map(|final_day| PendingOffboarding {
                        final_day,
                        guarded: false,
                    });
                    let long_employed = facts
                        .start_date
                        .is_some_and(|s| s < today && days_between(s, today) > import_after_days);
                    if employee.status == EmployeeStatus::Active && long_employed {
                        WriteKind::ImportExisting
                    } else {
                        // Apps wait for the champion's Complete IT Setup decision.
                        work.open_onboarding(&mut out, &mut employee, false);
                        WriteKind::Hire
                    }
                }
            };
            return Ok(Draft {
                actor,
                before: None,
                employee,
                kind,
                out,
                offboarding,
                release,
            });
        };

        let mut employee = base.clone();
        let kind;
        if base.status == EmployeeStatus::Terminated {
            let returns = termination.is_none();
            let last_day = base.termination.as_ref().map(|t| t.final_day);
            employee.profile = profile;
            if returns {
                let Some(start) = facts
                    .start_date
                    .filter(|s| last_day.is_none_or(|last| *s > last))
                else {
                    return Err(QuarantineReason::EmployedAfterOffboarding {
                        employee: base.id.clone(),
                        name: base.name(),
                        final_day: last_day.unwrap_or(today),
                    });
                };
                // Rehire: the same employee, a new employment, a new onboarding.
                employee.start_date = Some(start);
                employee.termination = None;
                employee.status = started(facts.status, Some(start), today);
                employee.access = catalog.access_for(&employee.id, &employee.profile);
                employee.adjustments = Default::default();
                work.open_onboarding(&mut out, &mut employee, true);
                kind = WriteKind::Rehire;
            } else {
                // Still gone: keep HR's details, nothing to do.
                kind = WriteKind::Update;
            }
        } else {
            if merge {
                employee.source = facts.source.clone();
            }
            employee.profile = profile;
            employee.start_date = facts.start_date.or(base.start_date);
            if base.status != EmployeeStatus::Active {
                employee.status = started(facts.status, employee.start_date, today);
            }
            let desired = catalog.access_for(&employee.id, &employee.profile);
            if merge && employee.onboarding.is_none() {
                // Nothing was granted before a setup decision: the one it opens grants.
                employee.access = desired;
                work.open_onboarding(&mut out, &mut employee, false);
            } else {
                work.change_access(&mut out, &mut employee, desired);
            }
            match (termination, base.termination.clone()) {
                (Some(final_day), None) => {
                    offboarding = Some(PendingOffboarding {
                        final_day,
                        guarded: true,
                    });
                }
                (Some(final_day), Some(known)) if known.final_day == final_day => {}
                (Some(final_day), Some(known)) => match known.offboarding {
                    Offboarding::Scheduled => {
                        offboarding = Some(PendingOffboarding {
                            final_day,
                            guarded: false,
                        });
                    }
                    Offboarding::Held { hold } => {
                        employee.termination = Some(Termination {
                            final_day,
                            offboarding: Offboarding::Held { hold },
                        });
                    }
                    Offboarding::Rejected { .. }
                    | Offboarding::Opened { .. }
                    | Offboarding::NotNeeded => {
                        offboarding = Some(PendingOffboarding {
                            final_day,
                            guarded: true,
                        });
                    }
                },
                (None, Some(known)) => {
                    employee.termination = None;
                    if matches!(
                        known.offboarding,
                        Offboarding::Scheduled | Offboarding::Held { .. }
                    ) {
                        work.audit(
                            &mut out,
                            AuditAction::OffboardingCancelled,
                            Subject::Employee {
                                id: employee.id.clone(),
                            },
                            format!(
                                "HR withdrew the termination of {} (final day was {})",
                                employee.reference(),
                                known.final_day
                            ),
                        );
                        out.effects.push(Effect::CancelOffboarding {
                            employee: employee.id.clone(),
                        });
                    }
                }
                (None, None) => {}
            }
            kind = if merge {
                WriteKind::Merge
            } else {
                WriteKind::Update
            };
        }
        Ok(Draft {
            actor,
            before: Some(base),
            employee,
            kind,
            out,
            offboarding,
            release,
        })
    }

    /// Applies the guard, then lays the drafts out as one plan.
    fn finish(self, ctx: &mut PlanContext<'_>) -> Plan {
        let mut plan = Plan {
            quarantined: self.quarantined,
            ..Plan::default()
        };
        let guarded = self
            .drafts
            .iter()
            .filter(|d| d.offboarding.is_some_and(|p| p.guarded))
            .count();
        let employed = self.known.active_employee_count();
        let guard = ctx.mass_termination;
        let mut hold = guard.trips(guarded, employed).then(|| HeldOffboardings {
            id: ctx.ids.hold_id(),
            at: ctx.now,
            employees: Vec::new(),
            reason: guard.reason(guarded, employed),
            resolution: None,
        });
        let mut hold_actor = None;
        let catalog = self.known.catalog();
        for mut draft in self.drafts {
            let mut work = Work::new(catalog, ctx, draft.actor.clone());
            let mut offboarding = Out::default();
            if let Some(pending) = draft.offboarding {
                match &mut hold {
                    Some(hold) if pending.guarded => {
                        draft.employee.termination = Some(Termination {
                            final_day: pending.final_day,
                            offboarding: Offboarding::Held {
                                hold: hold.id.clone(),
                            },
                        });
                        hold.employees.push(HeldOffboarding {
                            employee: draft.employee.reference(),
                            final_day: pending.final_day,
                        });
                        hold_actor.get_or_insert_with(|| draft.actor.clone());
                    }
                    _ => work.start_offboarding(
                        &mut offboarding,
                        &mut draft.employee,
                        pending.final_day,
                    ),
                }
            }
            let mut out = Out::default();
            work.write(&mut out, draft.before.as_ref(), &draft.employee, draft.kind);
            if let Some(source) = draft.release {
                work.audit(
                    &mut out,
                    AuditAction::QuarantineReleased,
                    Subject::Record {
                        source: source.source.clone(),
                        source_id: source.source_id.clone(),
                    },
                    format!("record {source} applies now"),
                );
                out.effects.push(Effect::ReleaseQuarantine {
                    source: source.source,
                    source_id: source.source_id,
                });
            }
            out.append(draft.out);
            out.append(offboarding);
            plan.effects.extend(out.effects);
            plan.audit.extend(out.audit);
        }
        if let Some(hold) = hold {
            let work = Work::new(catalog, ctx, hold_actor.unwrap_or(Actor::System));
            let mut out = Out::default();
            let names: Vec<String> = hold
                .employees
                .iter()
                .map(|h| h.employee.to_string())
                .collect();
            work.audit(
                &mut out,
                AuditAction::OffboardingsHeld,
                Subject::Hold {
                    id: hold.id.clone(),
                },
                format!("{}: {}", hold.reason, names.join(", ")),
            );
            let to: Vec<String> = catalog
                .champions
                .onboarding
                .iter()
                .map(|c| c.email.clone())
                .collect();
            let message = NotificationKind::OffboardingsHeld {
                hold: hold.id.clone(),
                reason: hold.reason.clone(),
                employees: hold.employees.iter().map(|h| h.employee.clone()).collect(),
            };
            out.effects.push(Effect::HoldOffboardings { hold });
            if !to.is_empty() {
                out.effects.push(Effect::Notify { to, message });
            }
            plan.effects.extend(out.effects);
            plan.audit.extend(out.audit);
        }
        plan
    }
}

/// Active once HR says so or the start date has come; pending before.
pub(crate) fn started(status: HrStatus, start_date: Option<Date>, today: Date) -> EmployeeStatus {
    if status == HrStatus::Active || start_date.is_some_and(|s| s <= today) {
        EmployeeStatus::Active
    } else {
        EmployeeStatus::Pending
    }
}
