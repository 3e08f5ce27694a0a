//! A champion's decision on a task: the apps a new hire gets and whether they need
//! hardware, what a group change keeps, removes and grants, how a leaver's devices come
//! back. Each decision is recorded on the task, closes it, and turns into work: jobs for
//! apps with a connector, manual tasks for the rest, Equip New Hire for hardware.

use std::collections::BTreeSet;

use crate::audit::{Actor, AuditAction, Subject};
use crate::effect::Plan;
use crate::employee::{Adjustments, Employee};
use crate::groups::ExternalGroup;
use crate::hardware::Booking;
use crate::ids::{AppId, TaskId, UserId};
use crate::known::Known;
use crate::task::{
    AppAction, AppChoice, Decision, DeviceRetrieval, GroupChange, GroupChangeDecision,
    OffboardDecision, SetupDecision, TaskKind, TaskState,
};

use super::PlanContext;
use super::tasks::TaskError;
use super::work::{Out, Work, WriteKind};

/// Records `decision` on the open task `id`, closes it and plans the work it asks for.
pub fn decide(
    known: &dyn Known,
    id: &TaskId,
    decision: Decision,
    by: &UserId,
    ctx: &mut PlanContext<'_>,
) -> Result<Plan, TaskError> {
    decide_with(known, id, decision, None, by, ctx)
}

/// [`decide`], for an Offboard decision whose devices ship: with the return the shell
/// booked with the carrier for [`crate::hardware::plan::return_draft`] (`None`: no
/// carrier is set up, and a hardware champion sends a label by hand).
pub fn decide_with(
    known: &dyn Known,
    id: &TaskId,
    decision: Decision,
    booking: Option<&Booking>,
    by: &UserId,
    ctx: &mut PlanContext<'_>,
) -> Result<Plan, TaskError> {
    let task = known
        .task(id)
        .ok_or_else(|| TaskError::NotFound(id.clone()))?;
    if !task.is_open() {
        return Err(TaskError::Closed {
            id: id.clone(),
            state: task.state_name(),
        });
    }
    let employee = known
        .employee(&task.employee.id)
        .ok_or_else(|| TaskError::NoEmployee(task.employee.id.clone()))?;
    let catalog = known.catalog();
    // Hardware moves plan on the context directly, before the work borrows it.
    let mut hardware = Plan::default();
    let actor = Actor::User { id: by.clone() };
    let hardware_summary = match (&task.kind, &decision) {
        (
            TaskKind::OffboardEmployee {
                revoke_not_before, ..
            },
            Decision::Offboard(d),
        ) => crate::hardware::plan::offboard_devices(
            known,
            &task,
            &employee,
            d,
            booking,
            *revoke_not_before,
            &actor,
            ctx,
            &mut hardware,
        )?,
        (TaskKind::EquipNewHire { .. }, Decision::Equip(d)) => {
            if d.assets.is_empty() && d.order.is_none() {
                return Err(TaskError::Hardware(
                    "choose a device from stock or a product to order".into(),
                ));
            }
            let mut labels = Vec::new();
            if let Some(order) = &d.order {
                let p = crate::hardware::checkout(
                    known,
                    &employee.id,
                    &order.product,
                    order.ship_to.clone(),
                    Some(task.id.clone()),
                    &actor,
                    ctx,
                )?;
                for e in &p.effects {
                    if let crate::effect::Effect::PutOrder { order } = e {
                        labels.push(format!(
                            "{} ordered ({}) from {}",
                            order.product.model, order.id, order.product.supplier
                        ));
                    }
                }
                hardware.effects.extend(p.effects);
                hardware.audit.extend(p.audit);
            }
            for a in &d.assets {
                labels.push(crate::hardware::plan::equip_from_stock(
                    known,
                    &employee,
                    a,
                    &by.0,
                    ctx.now,
                    &mut hardware.effects,
                )?);
            }
            labels
        }
        (TaskKind::ReceiveDevices { assets, .. }, Decision::Receive(d)) => {
            crate::hardware::plan::receive_devices(known, assets, d, &actor, ctx, &mut hardware)?
        }
        _ => Vec::new(),
    };
    let mut work = Work::new(catalog, ctx, actor);
    let mut out = Out::default();
    let mut after = employee.clone();
    let (decision, note, summary) = match (&task.kind, decision) {
        (TaskKind::CompleteItSetup { .. }, Decision::Setup(d)) => {
            let d = setup(&mut work, &mut out, &mut after, d)?;
            let summary = format!(
                "apps: {}; hardware: {}",
                names(&work, &d.applications),
                d.hardware.as_deref().unwrap_or("none")
            );
            (Decision::Setup(d.clone()), d.note, summary)
        }
        (TaskKind::GroupChange { change }, Decision::GroupChange(d)) => {
            let held = if change.held_before.is_empty() {
                change.granted_before.applications.clone()
            } else {
                change.held_before.clone()
            };
            let d = group_change(&mut work, &mut out, &mut after, &held, d)?;
            let d = external_groups(&mut work, &mut out, &mut after, change, d)?;
            let kept: BTreeSet<AppId> = after.apps();
            let in_groups: Vec<String> =
                after.groups_held().iter().map(|g| g.to_string()).collect();
            let summary = format!(
                "apps now: {}; groups and channels now: {}",
                names(&work, &kept),
                if in_groups.is_empty() {
                    "none".to_string()
                } else {
                    in_groups.join(", ")
                }
            );
            (Decision::GroupChange(d.clone()), d.note, summary)
        }
        (
            TaskKind::OffboardEmployee {
                to_revoke,
                revoke_not_before,
                ..
            },
            Decision::Offboard(d),
        ) => {
            let d = offboard(d)?;
            // Confirming the task's revoke step is what revokes.
            work.app_access(
                &mut out,
                &after,
                &to_revoke.applications,
                AppAction::Revoke,
                *revoke_not_before,
            );
            // Every group and channel a connector manages for them, left with the rest.
            let mut groups = after.groups_held();
            groups.extend(to_revoke.external_groups.iter().cloned());
            work.group_access(
                &mut out,
                &after,
                &groups,
                AppAction::Revoke,
                *revoke_not_before,
            );
            let mut summary = if hardware_summary.is_empty() {
                format!("devices: {}; MDM: {:?}", d.retrieval.describe(), d.mdm)
            } else {
                format!("devices: {}", hardware_summary.join("; "))
            };
            // The address is a person's home, often: the audit log says only that one
            // was given (the task's decision keeps it, for those who may read it).
            if d.shipping_address.is_some() {
                summary.push_str("; ships from the address given");
            }
            (
                Decision::Offboard(d.clone()),
                d.note,
                summary.to_lowercase(),
            )
        }
        (TaskKind::EquipNewHire { .. }, Decision::Equip(d)) => {
            let summary = hardware_summary.join(", ");
            (Decision::Equip(d.clone()), clean(d.note.clone()), summary)
        }
        (TaskKind::ReceiveDevices { .. }, Decision::Receive(d)) => {
            let summary = hardware_summary.join("; ");
            (Decision::Receive(d.clone()), clean(d.note.clone()), summary)
        }
        (kind, _) => {
            return Err(TaskError::WrongDecision { task: kind.title() });
        }
    };
    let mut closed = task.clone();
    closed.state = TaskState::Done {
        at: work.now,
        by: by.clone(),
        note,
    };
    closed.decision = Some(decision);
    work.audit(
        &mut out,
        AuditAction::TaskCompleted,
        Subject::Task { id: id.clone() },
        format!("{} for {}: {summary}", task.title(), task.employee),
    );
    let mut plan_out = Out::default();
    plan_out
        .effects
        .push(crate::effect::Effect::UpdateTask { task: closed });
    work.write(&mut plan_out, Some(&employee), &after, WriteKind::Update);
    plan_out.append(out);
    plan_out.effects.extend(hardware.effects);
    plan_out.audit.extend(hardware.audit);
    Ok(Plan {
        effects: plan_out.effects,
        quarantined: Vec::new(),
        audit: plan_out.audit,
    })
}

fn names(work: &Work<'_>, apps: &BTreeSet<AppId>) -> String {
    if apps.is_empty() {
        return "none".into();
    }
    let names: Vec<String> = apps.iter().map(|a| work.catalog.app_name(a)).collect();
    names.join(", ")
}

fn clean(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

fn known_apps<'a>(
    work: &Work<'_>,
    apps: impl IntoIterator<Item = &'a AppId>,
) -> Result<(), TaskError> {
    for app in apps {
        if work.catalog.application(app).is_none() {
            return Err(TaskError::UnknownApp(app.clone()));
        }
    }
    Ok(())
}

/// Grants what is chosen and not held, revokes what is held and not chosen, and keeps
/// the difference from the rules on the employee.
fn move_to(
    work: &mut Work<'_>,
    out: &mut Out,
    employee: &mut Employee,
    held: &BTreeSet<AppId>,
    chosen: &BTreeSet<AppId>,
    accounts_now: bool,
) {
    let grant: BTreeSet<AppId> = chosen.difference(held).cloned().collect();
    let revoke: BTreeSet<AppId> = held.difference(chosen).cloned().collect();
    let groups = std::mem::take(&mut employee.adjustments);
    employee.adjustments = Adjustments {
        groups_added: groups.groups_added,
        groups_removed: groups.groups_removed,
        ..Adjustments::between(&employee.access.grants.applications, chosen)
    };
    let when = work.provision_time(employee, accounts_now);
    work.app_access(out, employee, &grant, AppAction::Grant, when);
    work.app_access(out, employee, &revoke, AppAction::Revoke, None);
}

fn setup(
    work: &mut Work<'_>,
    out: &mut Out,
    employee: &mut Employee,
    d: SetupDecision,
) -> Result<SetupDecision, TaskError> {
    if !employee.is_employed() {
        return Err(TaskError::NotEmployed(employee.reference().to_string()));
    }
    known_apps(work, &d.applications)?;
    let d = SetupDecision {
        applications: d.applications,
        hardware: clean(d.hardware),
        note: clean(d.note),
        accounts_now: d.accounts_now,
    };
    // Nothing is granted before this decision: every chosen app is granted now.
    move_to(
        work,
        out,
        employee,
        &BTreeSet::new(),
        &d.applications,
        d.accounts_now,
    );
    // The groups and channels the rules give are joined with the accounts.
    let when = work.provision_time(employee, d.accounts_now);
    let groups = employee.groups_held();
    work.group_access(out, employee, &groups, AppAction::Grant, when);
    if let Some(request) = &d.hardware {
        let kind = TaskKind::EquipNewHire {
            start_date: employee.start_date,
            request: Some(request.clone()),
        };
        let catalog = work.catalog;
        work.open_task(out, employee, kind, &catalog.champions.hardware);
    }
    Ok(d)
}

fn group_change(
    work: &mut Work<'_>,
    out: &mut Out,
    employee: &mut Employee,
    held: &BTreeSet<AppId>,
    d: GroupChangeDecision,
) -> Result<GroupChangeDecision, TaskError> {
    if !employee.is_employed() {
        return Err(TaskError::NotEmployed(employee.reference().to_string()));
    }
    known_apps(work, d.applications.keys())?;
    // Apps the decision does not mention stay as they are.
    let mut chosen: BTreeSet<AppId> = held
        .iter()
        .filter(|a| !d.applications.contains_key(*a))
        .cloned()
        .collect();
    chosen.extend(
        d.applications
            .iter()
            .filter(|(_, c)| c.holds())
            .map(|(a, _)| a.clone()),
    );
    move_to(work, out, employee, held, &chosen, false);
    Ok(GroupChangeDecision {
        applications: d.applications,
        external_groups: d.external_groups,
        note: clean(d.note),
    })
}

/// Each group or channel in a Group Change: keep, leave, join or skip as the decision
/// says, and as the rules say where it says nothing (leave what the old groups gave,
/// join what the new ones give, keep the rest). Joins and leaves become jobs for the
/// group's connector; the employee's group adjustments record what differs from the
/// rules. The decision is returned with every choice spelled out.
fn external_groups(
    work: &mut Work<'_>,
    out: &mut Out,
    employee: &mut Employee,
    change: &GroupChange,
    mut d: GroupChangeDecision,
) -> Result<GroupChangeDecision, TaskError> {
    let held = change.groups_held_before();
    let candidates: BTreeSet<ExternalGroup> = held
        .iter()
        .chain(change.to_add.external_groups.iter())
        .cloned()
        .collect();
    if let Some(unknown) = d
        .external_groups
        .keys()
        .find(|k| !candidates.iter().any(|g| g.key().0 == **k))
    {
        return Err(TaskError::UnknownGroup(unknown.clone()));
    }
    let mut chosen = BTreeSet::new();
    for group in &candidates {
        let choice = match d.external_groups.get(&group.key().0) {
            Some(choice) => *choice,
            None if change.to_remove.external_groups.contains(group) => AppChoice::Remove,
            None if held.contains(group) => AppChoice::Keep,
            None => AppChoice::Grant,
        };
        d.external_groups.insert(group.key().0, choice);
        if choice.holds() {
            chosen.insert(group.clone());
        }
    }
    let join: BTreeSet<ExternalGroup> = chosen.difference(&held).cloned().collect();
    let leave: BTreeSet<ExternalGroup> = held.difference(&chosen).cloned().collect();
    let ruled = employee.access.grants.external_groups.clone();
    employee.adjustments = std::mem::take(&mut employee.adjustments).with_groups(&ruled, &chosen);
    work.group_access(out, employee, &join, AppAction::Grant, None);
    work.group_access(out, employee, &leave, AppAction::Revoke, None);
    Ok(d)
}

fn offboard(d: OffboardDecision) -> Result<OffboardDecision, TaskError> {
    let OffboardDecision {
        devices,
        origin,
        destination,
        ..
    } = d.clone();
    let retrieval = match d.retrieval {
        DeviceRetrieval::ShipToSite { site } => {
            let site = site.trim().to_string();
            if site.is_empty() {
                return Err(TaskError::NoSite);
            }
            DeviceRetrieval::ShipToSite { site }
        }
        other => other,
    };
    let shipping_address = clean(d.shipping_address);
    let any_ships = retrieval.ships() || devices.iter().any(|c| c.retrieval.ships());
    if any_ships && shipping_address.is_none() && origin.is_none() {
        return Err(TaskError::NoAddress);
    }
    Ok(OffboardDecision {
        shipping_address: shipping_address.filter(|_| any_ships),
        retrieval,
        mdm: d.mdm,
        note: clean(d.note),
        origin: origin.filter(|_| any_ships),
        destination: destination.filter(|_| any_ships),
        devices,
    })
}
