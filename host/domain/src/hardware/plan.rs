//! Planning hardware moves: pure functions from what is known (and what the carrier or
//! the MDM answered) to effects and audit entries.

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::address::PostalAddress;
use super::asset::{Asset, AssetError, MdmLink, NewAsset};
use super::mdm::{CommandState, MdmCommand};
use super::returns::{Booking, ReturnDraft, ReturnShipment, ShipmentState};
use super::settings::WAREHOUSE;
use crate::audit::{Actor, AuditAction, AuditEntry, Subject};
use crate::effect::{Effect, NotificationKind, Plan};
use crate::employee::Employee;
use crate::ids::{AssetId, CommandId, EmployeeId, ShipmentId, TaskId};
use crate::known::Known;
use crate::planner::{PlanContext, TaskError};
use crate::task::{DeviceRetrieval, MdmAction, OffboardDecision, Task, TaskKind, TaskState};

/// What an admin or hardware champion does to an asset outside a task.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum AssetChange {
    /// Hand it to an employee (from stock, or once received).
    Assign {
        employee: EmployeeId,
    },
    /// Back on a shelf, at a place (default: where it was).
    Restock {
        #[serde(default)]
        location: Option<String>,
    },
    /// It arrived (a return handed in, or a shipment that came without tracking).
    Receive {
        #[serde(default)]
        location: Option<String>,
    },
    Repair,
    Retire {
        reason: String,
    },
}

fn audit(
    plan: &mut Plan,
    now: Timestamp,
    actor: &Actor,
    action: AuditAction,
    subject: Subject,
    detail: String,
) {
    plan.audit.push(AuditEntry {
        at: now,
        actor: actor.clone(),
        action,
        subject,
        detail,
    });
}

fn who(actor: &Actor) -> String {
    match actor {
        Actor::User { id } => id.0.clone(),
        other => other.to_string(),
    }
}

/// Adds assets (one from the form, or a checked CSV file) in one plan; any duplicate
/// refuses them all.
pub fn add_assets(
    known: &dyn Known,
    new: Vec<NewAsset>,
    actor: Actor,
    ctx: &mut PlanContext<'_>,
) -> Result<(Plan, Vec<AssetId>), AssetError> {
    let mut plan = Plan::default();
    let mut scratch = known.hardware().clone();
    let mut ids = Vec::new();
    for n in new {
        let n = n.cleaned()?;
        scratch.check_new(&n)?;
        let asset = Asset::new(ctx.ids.asset_id(), n, ctx.now, &who(&actor));
        audit(
            &mut plan,
            ctx.now,
            &actor,
            AuditAction::AssetAdded,
            Subject::Asset {
                id: asset.id.clone(),
            },
            format!("{} added to inventory", asset.label()),
        );
        ids.push(asset.id.clone());
        scratch.put_asset(asset.clone());
        plan.effects.push(Effect::PutAsset { asset });
    }
    Ok((plan, ids))
}

/// Moves one asset (assign, restock, receive, repair, retire).
pub fn change_asset(
    known: &dyn Known,
    id: &AssetId,
    change: AssetChange,
    actor: Actor,
    ctx: &mut PlanContext<'_>,
) -> Result<Plan, TaskError> {
    let mut asset = known
        .hardware()
        .asset(id)
        .cloned()
        .ok_or_else(|| AssetError::NotFound(id.clone()))?;
    let by = who(&actor);
    let place_ok = |p: &Option<String>| match p {
        Some(p) if known.hardware().settings.place(p).is_none() => {
            Err(AssetError::UnknownPlace(p.clone()))
        }
        _ => Ok(()),
    };
    match &change {
        AssetChange::Assign { employee } => {
            let e = known
                .employee(employee)
                .ok_or_else(|| TaskError::NoEmployee(employee.clone()))?;
            if !e.is_employed() {
                return Err(TaskError::NotEmployed(e.name()));
            }
            asset.assign(e.reference(), ctx.now, &by)?;
        }
        AssetChange::Restock { location } => {
            place_ok(location)?;
            asset.restock(location.clone(), ctx.now, &by)?;
        }
        AssetChange::Receive { location } => {
            place_ok(location)?;
            asset.receive(location.clone(), ctx.now, &by)?;
        }
        AssetChange::Repair => asset.send_to_repair(ctx.now, &by)?,
        AssetChange::Retire { reason } => {
            let reason = reason.trim();
            if reason.is_empty() {
                return Err(TaskError::Hardware("say why the asset is retired".into()));
            }
            asset.retire(reason, ctx.now, &by)?;
        }
    }
    let mut plan = Plan::default();
    let what = asset
        .history
        .last()
        .map(|e| e.what.clone())
        .unwrap_or_default();
    audit(
        &mut plan,
        ctx.now,
        &actor,
        AuditAction::AssetChanged,
        Subject::Asset { id: id.clone() },
        format!("{}: {what}", asset.label()),
    );
    plan.effects.push(Effect::PutAsset { asset });
    Ok(plan)
}

/// Links an asset to its MDM device (found by serial number).
pub fn link_mdm(known: &dyn Known, id: &AssetId, link: MdmLink, now: Timestamp) -> Plan {
    let mut plan = Plan::default();
    if let Some(a) = known.hardware().asset(id)
        && a.mdm.as_ref() != Some(&link)
    {
        let mut a = a.clone();
        a.record(
            now,
            "mdm",
            format!(
                "found in {} ({})",
                link.connector,
                if link.managed {
                    "managed"
                } else {
                    "not managed"
                }
            ),
        );
        a.mdm = Some(link);
        plan.effects.push(Effect::PutAsset { asset: a });
    }
    plan
}

/// Equip New Hire from stock: the asset goes to the new hire. The caller closes the task.
pub(crate) fn equip_from_stock(
    known: &dyn Known,
    employee: &Employee,
    asset: &AssetId,
    by: &str,
    now: Timestamp,
    effects: &mut Vec<Effect>,
) -> Result<String, TaskError> {
    let mut a = known
        .hardware()
        .asset(asset)
        .cloned()
        .ok_or_else(|| AssetError::NotFound(asset.clone()))?;
    a.assign(employee.reference(), now, by)?;
    let label = format!("{} assigned", a.label());
    effects.push(Effect::PutAsset { asset: a });
    Ok(label)
}

/// What each of the leaver's devices gets: the champion's choice, else the decision's
/// default retrieval. Refuses choices for devices they do not have, MDM actions on
/// devices no MDM manages, unknown sites, and shipping to two places.
pub fn device_choices(
    known: &dyn Known,
    employee: &EmployeeId,
    d: &OffboardDecision,
) -> Result<Vec<(Asset, DeviceRetrieval, MdmAction)>, TaskError> {
    let hw = known.hardware();
    let held: Vec<&Asset> = hw
        .assigned_to(employee)
        .into_iter()
        .filter(|a| a.return_shipment.is_none())
        .collect();
    let ids: BTreeSet<&AssetId> = held.iter().map(|a| &a.id).collect();
    for c in &d.devices {
        if !ids.contains(&c.asset) {
            return Err(TaskError::Hardware(format!(
                "{} is not a device this employee has",
                c.asset
            )));
        }
    }
    let mut out = Vec::new();
    let mut places = BTreeSet::new();
    for a in held {
        let choice = d.devices.iter().find(|c| c.asset == a.id);
        let retrieval = choice.map_or_else(|| d.retrieval.clone(), |c| c.retrieval.clone());
        let mdm = choice.map_or(MdmAction::None, |c| c.mdm);
        if mdm != MdmAction::None && !a.mdm.as_ref().is_some_and(|m| m.managed) {
            return Err(TaskError::Hardware(format!(
                "{} is not managed by an MDM: it cannot be locked or wiped from here",
                a.label()
            )));
        }
        if let Some(place) = place_of(&retrieval) {
            if hw.settings.place(&place).is_none() {
                return Err(TaskError::Hardware(format!(
                    "there is no {} address to ship to (Settings → Hardware)",
                    if place == WAREHOUSE {
                        "warehouse".to_string()
                    } else {
                        format!("site `{place}`")
                    }
                )));
            }
            places.insert(place);
        }
        out.push((a.clone(), retrieval, mdm));
    }
    if places.len() > 1 {
        return Err(TaskError::Hardware(
            "ship every device to one place (one box, one return label); hand the others in".into(),
        ));
    }
    Ok(out)
}

fn place_of(r: &DeviceRetrieval) -> Option<String> {
    match r {
        DeviceRetrieval::ShipToWarehouse => Some(WAREHOUSE.into()),
        DeviceRetrieval::ShipToSite { site } => Some(site.trim().to_string()),
        _ => None,
    }
}

/// The return the shell books before the Offboard decision commits: `None` when no
/// device ships.
pub fn return_draft(
    known: &dyn Known,
    task: &TaskId,
    d: &OffboardDecision,
) -> Result<Option<ReturnDraft>, TaskError> {
    let t = known
        .task(task)
        .ok_or_else(|| TaskError::NotFound(task.clone()))?;
    let choices = device_choices(known, &t.employee.id, d)?;
    let shipped: Vec<&Asset> = choices
        .iter()
        .filter(|(_, r, _)| r.ships())
        .map(|(a, _, _)| a)
        .collect();
    let Some(first) = choices.iter().find(|(_, r, _)| r.ships()) else {
        return Ok(None);
    };
    let place = place_of(&first.1).unwrap_or_default();
    let hw = known.hardware();
    let site = hw
        .settings
        .place(&place)
        .ok_or_else(|| TaskError::Hardware(format!("there is no place `{place}`")))?;
    let origin = d
        .origin
        .clone()
        .ok_or(TaskError::NoAddress)?
        .cleaned()
        .map_err(|e| TaskError::Hardware(format!("the employee's address: {e}")))?;
    let destination = d
        .destination
        .clone()
        .unwrap_or_else(|| site.address.clone())
        .cleaned()
        .map_err(|e| TaskError::Hardware(format!("the address it ships to: {e}")))?;
    let models: Vec<&str> = shipped.iter().map(|a| a.model.as_str()).collect();
    let declared: Option<u64> = shipped
        .iter()
        .map(|a| a.cost_cents)
        .try_fold(0u64, |sum, c| c.map(|c| sum.saturating_add(c)));
    Ok(Some(ReturnDraft {
        place,
        origin,
        destination,
        assets: shipped.iter().map(|a| a.id.clone()).collect(),
        description: format!("Return: {}", models.join(", ")),
        weight_grams: hw
            .settings
            .parcel_weight_grams
            .saturating_mul(shipped.len() as u32),
        declared_value_cents: declared.filter(|v| *v > 0),
        currency: hw.settings.currency.clone(),
        reference: format!("{task}-return"),
    }))
}

/// The hardware side of a confirmed Offboard task: devices kept leave inventory,
/// devices handed in get a task for the hardware champions, shipped ones go on the
/// booked return (and the employee gets its code by email), MDM commands are queued
/// for when the revocations are due.
#[allow(clippy::too_many_arguments)]
pub(crate) fn offboard_devices(
    known: &dyn Known,
    task: &Task,
    employee: &Employee,
    d: &OffboardDecision,
    booking: Option<&Booking>,
    not_before: Option<Timestamp>,
    actor: &Actor,
    ctx: &mut PlanContext<'_>,
    plan: &mut Plan,
) -> Result<Vec<String>, TaskError> {
    let choices = device_choices(known, &employee.id, d)?;
    let draft = return_draft(known, &task.id, d)?;
    let by = who(actor);
    let mut summary = Vec::new();
    let mut shipment_id = None;
    if let Some(draft) = &draft {
        let id = ctx.ids.shipment_id();
        let state = if booking.is_some() {
            ShipmentState::Booked
        } else {
            ShipmentState::ByHand
        };
        let place_name = known
            .hardware()
            .settings
            .place(&draft.place)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| draft.place.clone());
        let s = ReturnShipment {
            id: id.clone(),
            employee: employee.reference(),
            task: task.id.clone(),
            assets: draft.assets.clone(),
            place: draft.place.clone(),
            origin: draft.origin.clone(),
            destination: draft.destination.clone(),
            booking: booking.cloned(),
            state,
            declared_value_cents: draft.declared_value_cents,
            last_event: None,
            created_at: ctx.now,
            updated_at: ctx.now,
            next_check: booking
                .map(|_| ctx.now + jiff::SignedDuration::from_secs(ctx.track_first_secs)),
            replaces: None,
        };
        let words = match booking {
            Some(b) => format!(
                "return {} booked to {place_name}, tracking {}",
                s.id, b.tracking_number
            ),
            None => format!(
                "return {} to {place_name} by hand (no carrier set up)",
                s.id
            ),
        };
        audit(
            plan,
            ctx.now,
            actor,
            AuditAction::ReturnBooked,
            Subject::Shipment { id: id.clone() },
            format!("{} for {}", words, employee.reference()),
        );
        summary.push(words);
        if booking.is_some() {
            let to = employee
                .profile
                .personal_email
                .clone()
                .or_else(|| Some(employee.profile.work_email.clone()));
            if let Some(to) = to {
                plan.effects.push(Effect::Notify {
                    to: vec![to],
                    message: NotificationKind::ReturnInstructions {
                        employee: employee.reference(),
                        shipment: id.clone(),
                        place: place_name,
                    },
                });
            }
        } else {
            open_device_task(
                known,
                employee,
                None,
                Some(&s),
                "send a return label by hand, then mark the devices received when they arrive",
                ctx,
                plan,
            );
        }
        plan.effects.push(Effect::PutShipment { shipment: s });
        shipment_id = Some(id);
    }
    for (asset, retrieval, mdm) in choices {
        let mut a = asset.clone();
        match &retrieval {
            DeviceRetrieval::Keep => {
                a.retire(
                    &format!("kept by {} when they left", employee.reference()),
                    ctx.now,
                    &by,
                )?;
                summary.push(format!("{}: kept by the employee", asset.label()));
            }
            DeviceRetrieval::InPerson => {
                a.record(ctx.now, &by, "to be handed in at an office".into());
                open_device_task(
                    known,
                    employee,
                    Some(&a),
                    None,
                    "to be handed in: mark it received when it is",
                    ctx,
                    plan,
                );
                summary.push(format!("{}: handed in", asset.label()));
            }
            _ => {
                if let Some(id) = &shipment_id {
                    a.return_booked(id.clone(), format!("return {id} booked"), ctx.now, &by);
                    summary.push(format!("{}: {}", asset.label(), retrieval.describe()));
                }
            }
        }
        if mdm != MdmAction::None
            && let Some(link) = &asset.mdm
        {
            let c = MdmCommand {
                id: ctx.ids.command_id(),
                asset: asset.id.clone(),
                employee: employee.reference(),
                connector: link.connector.clone(),
                device_id: link.device_id.clone(),
                action: mdm,
                not_before,
                state: CommandState::Queued,
                sealed_pin: None,
                attempts: 0,
                next_try: None,
                updated_at: ctx.now,
            };
            a.record(ctx.now, &by, format!("{} queued ({})", c.verb(), c.id));
            summary.push(format!("{}: {}", asset.label(), c.verb()));
            audit(
                plan,
                ctx.now,
                actor,
                AuditAction::DeviceCommand,
                Subject::Asset {
                    id: asset.id.clone(),
                },
                format!(
                    "{} of {} queued for {}",
                    c.verb(),
                    asset.label(),
                    employee.reference()
                ),
            );
            plan.effects.push(Effect::PutCommand { command: c });
        }
        plan.effects.push(Effect::PutAsset { asset: a });
    }
    Ok(summary)
}

/// Opens a "Device returned" task for the hardware champions.
fn open_device_task(
    known: &dyn Known,
    employee: &Employee,
    asset: Option<&Asset>,
    shipment: Option<&ReturnShipment>,
    what: &str,
    ctx: &mut PlanContext<'_>,
    plan: &mut Plan,
) {
    let champions = &known.catalog().champions.hardware;
    let id = ctx.ids.task_id();
    let assets: Vec<AssetId> = match (asset, shipment) {
        (Some(a), _) => vec![a.id.clone()],
        (None, Some(s)) => s.assets.clone(),
        _ => Vec::new(),
    };
    let task = Task {
        id: id.clone(),
        kind: TaskKind::ReceiveDevices {
            assets,
            shipment: shipment.map(|s| s.id.clone()),
            what: what.into(),
        },
        employee: employee.reference(),
        assignees: champions.iter().map(|c| c.user.clone()).collect(),
        opened_at: ctx.now,
        state: TaskState::Open,
        decision: None,
    };
    let to: Vec<String> = champions.iter().map(|c| c.email.clone()).collect();
    if !to.is_empty() {
        plan.effects.push(Effect::Notify {
            to,
            message: NotificationKind::TaskOpened {
                task: id.clone(),
                title: task.title(),
                employee: employee.reference(),
            },
        });
    }
    plan.audit.push(AuditEntry {
        at: ctx.now,
        actor: Actor::System,
        action: AuditAction::TaskOpened,
        subject: Subject::Task { id },
        detail: format!("{} for {}: {what}", task.title(), employee.reference()),
    });
    plan.effects.push(Effect::OpenTask { task });
}

/// What the carrier says of a return now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackingUpdate {
    pub state: ShipmentState,
    pub description: String,
}

/// Records a tracking answer: in transit moves the devices to "in transit"; delivered
/// receives them at the destination and asks the hardware champions to restock or
/// reassign them. `None` (an error) only schedules the next look.
pub fn tracked(
    known: &dyn Known,
    id: &ShipmentId,
    update: Option<TrackingUpdate>,
    ctx: &mut PlanContext<'_>,
) -> Plan {
    let mut plan = Plan::default();
    let Some(s) = known.hardware().shipments.get(id) else {
        return plan;
    };
    let mut s = s.clone();
    s.next_check = Some(ctx.now + jiff::SignedDuration::from_secs(ctx.track_every_secs));
    let Some(update) = update else {
        plan.effects.push(Effect::PutShipment { shipment: s });
        return plan;
    };
    if !update.description.is_empty() {
        s.last_event = Some(update.description.clone());
    }
    let changed = std::mem::discriminant(&s.state) != std::mem::discriminant(&update.state);
    if changed {
        s.updated_at = ctx.now;
        audit(
            &mut plan,
            ctx.now,
            &Actor::System,
            AuditAction::ReturnUpdated,
            Subject::Shipment { id: id.clone() },
            format!("return {id} of {}: {}", s.employee, update.state.words()),
        );
    }
    match &update.state {
        ShipmentState::InTransit if changed => {
            for a in &s.assets {
                if let Some(asset) = known.hardware().asset(a) {
                    let mut asset = asset.clone();
                    asset.in_transit(ctx.now);
                    plan.effects.push(Effect::PutAsset { asset });
                }
            }
        }
        ShipmentState::Delivered { .. } if changed => {
            s.next_check = None;
            for a in &s.assets {
                if let Some(asset) = known.hardware().asset(a) {
                    let mut asset = asset.clone();
                    if asset
                        .receive(Some(s.place.clone()), ctx.now, "carrier")
                        .is_ok()
                    {
                        plan.effects.push(Effect::PutAsset { asset });
                    }
                }
            }
            if let Some(e) = known.employee(&s.employee.id) {
                open_device_task(
                    known,
                    &e,
                    None,
                    Some(&s),
                    "arrived: restock or reassign",
                    ctx,
                    &mut plan,
                );
            }
        }
        _ => {}
    }
    s.state = update.state;
    plan.effects.push(Effect::PutShipment { shipment: s });
    plan
}

/// A return was voided with the carrier (or marked failed): its devices are free to
/// get a new one.
pub fn voided(
    known: &dyn Known,
    id: &ShipmentId,
    actor: Actor,
    ctx: &mut PlanContext<'_>,
) -> Result<Plan, TaskError> {
    let s = known
        .hardware()
        .shipments
        .get(id)
        .cloned()
        .ok_or_else(|| TaskError::Hardware(format!("there is no return {id}")))?;
    if matches!(
        s.state,
        ShipmentState::Delivered { .. } | ShipmentState::Voided
    ) {
        return Err(TaskError::Hardware(format!(
            "return {id} is {}",
            s.state.words()
        )));
    }
    let mut plan = Plan::default();
    let mut s = s;
    s.state = ShipmentState::Voided;
    s.next_check = None;
    s.updated_at = ctx.now;
    for a in &s.assets {
        if let Some(asset) = known.hardware().asset(a)
            && asset.return_shipment.as_ref() == Some(id)
        {
            let mut asset = asset.clone();
            asset.return_shipment = None;
            asset.record(ctx.now, &who(&actor), format!("return {id} voided"));
            plan.effects.push(Effect::PutAsset { asset });
        }
    }
    audit(
        &mut plan,
        ctx.now,
        &actor,
        AuditAction::ReturnUpdated,
        Subject::Shipment { id: id.clone() },
        format!("return {id} of {} voided", s.employee),
    );
    plan.effects.push(Effect::PutShipment { shipment: s });
    Ok(plan)
}

/// Books anew a voided return (new addresses allowed): a new shipment replacing it,
/// and the employee gets the new code.
pub fn rebooked(
    known: &dyn Known,
    old: &ShipmentId,
    origin: PostalAddress,
    destination: PostalAddress,
    booking: Booking,
    actor: Actor,
    ctx: &mut PlanContext<'_>,
) -> Result<(Plan, ShipmentId), TaskError> {
    let s = known
        .hardware()
        .shipments
        .get(old)
        .cloned()
        .ok_or_else(|| TaskError::Hardware(format!("there is no return {old}")))?;
    if s.state != ShipmentState::Voided {
        return Err(TaskError::Hardware(format!(
            "return {old} is {}: void it first",
            s.state.words()
        )));
    }
    let mut plan = Plan::default();
    let id = ctx.ids.shipment_id();
    let by = who(&actor);
    for a in &s.assets {
        if let Some(asset) = known.hardware().asset(a) {
            let mut asset = asset.clone();
            asset.return_booked(
                id.clone(),
                format!("return {id} booked (replaces {old})"),
                ctx.now,
                &by,
            );
            plan.effects.push(Effect::PutAsset { asset });
        }
    }
    let place = known
        .hardware()
        .settings
        .place(&s.place)
        .map(|p| p.name.clone())
        .unwrap_or_else(|| s.place.clone());
    if let Some(e) = known.employee(&s.employee.id)
        && let Some(to) = e
            .profile
            .personal_email
            .clone()
            .or(Some(e.profile.work_email.clone()))
    {
        plan.effects.push(Effect::Notify {
            to: vec![to],
            message: NotificationKind::ReturnInstructions {
                employee: e.reference(),
                shipment: id.clone(),
                place,
            },
        });
    }
    audit(
        &mut plan,
        ctx.now,
        &actor,
        AuditAction::ReturnBooked,
        Subject::Shipment { id: id.clone() },
        format!(
            "return {id} booked for {}, replacing {old}, tracking {}",
            s.employee, booking.tracking_number
        ),
    );
    let new = ReturnShipment {
        id: id.clone(),
        origin,
        destination,
        booking: Some(booking),
        state: ShipmentState::Booked,
        last_event: None,
        created_at: ctx.now,
        updated_at: ctx.now,
        next_check: Some(ctx.now + jiff::SignedDuration::from_secs(ctx.track_first_secs)),
        replaces: Some(old.clone()),
        ..s
    };
    plan.effects.push(Effect::PutShipment { shipment: new });
    Ok((plan, id))
}

/// What the MDM answered for a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandUpdate {
    pub state: CommandState,
    pub sealed_pin: Option<String>,
    /// When to look again (a retry, or the next status check).
    pub next_try: Option<Timestamp>,
    pub attempted: bool,
}

/// Records what the MDM answered for a command.
pub fn command_updated(
    known: &dyn Known,
    id: &CommandId,
    update: CommandUpdate,
    ctx: &mut PlanContext<'_>,
) -> Plan {
    let mut plan = Plan::default();
    let Some(c) = known.hardware().commands.get(id) else {
        return plan;
    };
    let mut c = c.clone();
    let changed = c.state != update.state;
    if update.attempted {
        c.attempts += 1;
    }
    if update.sealed_pin.is_some() {
        c.sealed_pin = update.sealed_pin;
    }
    c.next_try = update.next_try;
    c.updated_at = ctx.now;
    if changed {
        if let Some(asset) = known.hardware().asset(&c.asset) {
            let mut asset = asset.clone();
            asset.record(
                ctx.now,
                "mdm",
                format!("{} {}", c.verb(), update.state.words()),
            );
            plan.effects.push(Effect::PutAsset { asset });
        }
        audit(
            &mut plan,
            ctx.now,
            &Actor::System,
            AuditAction::DeviceCommand,
            Subject::Asset {
                id: c.asset.clone(),
            },
            format!(
                "{} of {}'s device: {}",
                c.verb(),
                c.employee,
                update.state.words()
            ),
        );
    }
    c.state = update.state;
    plan.effects.push(Effect::PutCommand { command: c });
    plan
}

/// Receive Returned Devices: each device received (if not already) and then restocked,
/// reassigned, sent to repair or retired.
pub(crate) fn receive_devices(
    known: &dyn Known,
    assets: &[AssetId],
    d: &crate::task::ReceiveDecision,
    actor: &Actor,
    ctx: &mut PlanContext<'_>,
    plan: &mut Plan,
) -> Result<Vec<String>, TaskError> {
    use crate::task::Disposition;
    for named in d.devices.keys() {
        if !assets.contains(named) {
            return Err(TaskError::Hardware(format!(
                "{named} is not one of this task's devices"
            )));
        }
    }
    let by = who(actor);
    let mut summary = Vec::new();
    for id in assets {
        let Some(a) = known.hardware().asset(id) else {
            continue;
        };
        let mut a = a.clone();
        if matches!(
            a.state,
            super::AssetState::Assigned | super::AssetState::InTransit
        ) {
            a.receive(None, ctx.now, &by)?;
        }
        let to = d
            .devices
            .get(id)
            .cloned()
            .unwrap_or(Disposition::Stock { location: None });
        match &to {
            Disposition::Stock { location } => {
                if let Some(p) = location
                    && known.hardware().settings.place(p).is_none()
                {
                    return Err(AssetError::UnknownPlace(p.clone()).into());
                }
                a.restock(location.clone(), ctx.now, &by)?;
            }
            Disposition::Reassign { employee } => {
                let e = known
                    .employee(employee)
                    .ok_or_else(|| TaskError::NoEmployee(employee.clone()))?;
                if !e.is_employed() {
                    return Err(TaskError::NotEmployed(e.name()));
                }
                a.assign(e.reference(), ctx.now, &by)?;
            }
            Disposition::Repair => a.send_to_repair(ctx.now, &by)?,
            Disposition::Retire { reason } => {
                let reason = reason.trim();
                if reason.is_empty() {
                    return Err(TaskError::Hardware("say why the device is retired".into()));
                }
                a.retire(reason, ctx.now, &by)?;
            }
        }
        summary.push(format!(
            "{}: {}",
            a.label(),
            a.history.last().map(|e| e.what.as_str()).unwrap_or("")
        ));
        plan.effects.push(Effect::PutAsset { asset: a });
    }
    Ok(summary)
}

/// A device the MDM knows, as the shell read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MdmDevice {
    pub model: String,
    pub serial: String,
    pub link: MdmLink,
    /// Its user's email, when the MDM knows it.
    pub owner_email: Option<String>,
}

/// What an MDM import did.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MdmImport {
    /// New assets, in stock or assigned to the employee whose email the MDM names.
    pub added: Vec<AssetId>,
    /// Assets already in inventory, now linked to their device.
    pub linked: Vec<AssetId>,
}

/// Imports the devices an MDM knows: a serial already in inventory is linked, never
/// duplicated; a new one becomes an asset, assigned to the employee the MDM names when
/// that is someone employed here.
pub fn import_devices(
    known: &dyn Known,
    devices: Vec<MdmDevice>,
    actor: Actor,
    ctx: &mut PlanContext<'_>,
) -> (Plan, MdmImport) {
    let mut plan = Plan::default();
    let mut done = MdmImport::default();
    let mut scratch = known.hardware().clone();
    let by = who(&actor);
    for d in devices {
        if let Some(a) = scratch.by_serial(&d.serial) {
            if a.mdm.as_ref() != Some(&d.link) {
                let mut a = a.clone();
                a.record(
                    ctx.now,
                    &by,
                    format!("linked to {} device {}", d.link.connector, d.link.device_id),
                );
                a.mdm = Some(d.link);
                done.linked.push(a.id.clone());
                scratch.put_asset(a.clone());
                plan.effects.push(Effect::PutAsset { asset: a });
            }
            continue;
        }
        let Ok(new) = (NewAsset {
            model: if d.model.trim().is_empty() {
                "Unknown model".into()
            } else {
                d.model
            },
            serial: d.serial,
            ..NewAsset::default()
        })
        .cleaned() else {
            continue;
        };
        let mut a = Asset::new(ctx.ids.asset_id(), new, ctx.now, &by);
        a.record(ctx.now, &by, format!("imported from {}", d.link.connector));
        a.mdm = Some(d.link);
        let owner = d.owner_email.as_deref().and_then(|e| {
            known
                .by_work_email(&crate::employee::email_key(e))
                .into_iter()
                .find(|e| e.is_employed())
        });
        if let Some(e) = owner {
            let _ = a.assign(e.reference(), ctx.now, &by);
        }
        audit(
            &mut plan,
            ctx.now,
            &actor,
            AuditAction::AssetAdded,
            Subject::Asset { id: a.id.clone() },
            format!("{} imported from the MDM", a.label()),
        );
        done.added.push(a.id.clone());
        scratch.put_asset(a.clone());
        plan.effects.push(Effect::PutAsset { asset: a });
    }
    (plan, done)
}
