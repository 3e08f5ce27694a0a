//! Hardware through the planner: stock, Equip New Hire, an offboarding's devices
//! (kept, handed in, shipped with a booked return, locked), tracking to delivery, and
//! the hardware champion's restock.

mod support;

use support::*;
use tenure_domain::hardware::plan::{
    AssetChange, CommandUpdate, TrackingUpdate, add_assets, change_asset, command_updated,
    return_draft, tracked, voided,
};
use tenure_domain::hardware::{
    AssetState, Booking, CommandState, DeviceChoice, HardwareSettings, MdmLink, NewAsset,
    OrderMove, OrderState, PostalAddress, Product, ShipmentState, Site, order_moved,
};
use tenure_domain::*;

fn address(name: &str, postal: &str) -> PostalAddress {
    PostalAddress {
        name: name.into(),
        street: vec!["1 Main St".into()],
        city: "Springfield".into(),
        region: Some("IL".into()),
        postal_code: postal.into(),
        country: "us".into(),
        phone: None,
    }
}

/// A world with a warehouse, a Berlin site and three laptops in stock (the first two
/// managed by Fleet).
fn stocked() -> (World, Vec<AssetId>) {
    let mut world = World::new();
    world.known.hardware.settings = HardwareSettings {
        warehouse: Some(Site {
            key: "warehouse".into(),
            name: "Warehouse".into(),
            address: address("Acme IT", "62701"),
        }),
        sites: vec![Site {
            key: "berlin".into(),
            name: "Berlin office".into(),
            address: address("Acme Berlin", "10115"),
        }],
        ..HardwareSettings::default()
    };
    let new = ["C02A", "C02B", "C02C"]
        .iter()
        .map(|s| NewAsset {
            model: format!("MacBook Pro {s}"),
            serial: (*s).into(),
            cost_cents: Some(200_000),
            location: Some("warehouse".into()),
            ..NewAsset::default()
        })
        .collect();
    let (plan, ids) = world
        .run("2025-03-01T12:00:00Z", |k, ctx| {
            add_assets(
                k,
                new,
                Actor::User {
                    id: UserId::new("hank"),
                },
                ctx,
            )
        })
        .unwrap();
    world.known.apply(&plan);
    for id in &ids[..2] {
        let p = tenure_domain::hardware::plan::link_mdm(
            &world.known,
            id,
            MdmLink {
                connector: PluginId::new("fleet"),
                device_id: format!("dev-{id}"),
                managed: true,
            },
            at("2025-03-01T12:00:00Z"),
        );
        world.known.apply(&p);
    }
    (world, ids)
}

fn decide_at(world: &mut World, now: &str, task: &TaskId, d: Decision) -> Result<Plan, TaskError> {
    decide_booked(world, now, task, d, None)
}

fn decide_booked(
    world: &mut World,
    now: &str,
    task: &TaskId,
    d: Decision,
    booking: Option<&Booking>,
) -> Result<Plan, TaskError> {
    let plan = world.run(now, |known, ctx| {
        decide_with(known, task, d, booking, &UserId::new("olive"), ctx)
    })?;
    world.known.apply(&plan);
    Ok(plan)
}

fn open_task(world: &World, kind: &str) -> Task {
    world
        .known
        .tasks
        .values()
        .find(|t| t.kind_name() == kind && t.is_open())
        .cloned()
        .unwrap_or_else(|| panic!("no open {kind}"))
}

/// Ann is hired, set up with hardware, and equipped with the given assets.
fn equipped(world: &mut World, assets: &[AssetId]) -> EmployeeId {
    world.sync("2025-03-03T15:00:00Z", &[ann()]);
    let setup = open_task(world, "complete_it_setup");
    decide_at(
        world,
        "2025-03-04T15:00:00Z",
        &setup.id,
        Decision::Setup(SetupDecision {
            hardware: Some("MacBook Pro 14".into()),
            ..SetupDecision::default()
        }),
    )
    .unwrap();
    let equip = open_task(world, "equip_new_hire");
    assert_eq!(equip.assignees, vec![UserId::new("hank")]);
    decide_at(
        world,
        "2025-03-04T16:00:00Z",
        &equip.id,
        Decision::Equip(EquipDecision {
            assets: assets.to_vec(),
            order: None,
            note: None,
        }),
    )
    .unwrap();
    world.employee("100").id
}

fn offboard_task(world: &mut World, who: &EmployeeId) -> Task {
    let plan = world
        .run("2025-03-20T15:00:00Z", |known, ctx| {
            offboard_now(known, who, &UserId::new("olive"), ctx)
        })
        .unwrap();
    world.known.apply(&plan);
    open_task(world, "offboard_employee")
}

fn offboard(devices: Vec<DeviceChoice>, origin: Option<PostalAddress>) -> Decision {
    Decision::Offboard(OffboardDecision {
        retrieval: DeviceRetrieval::Keep,
        mdm: MdmAction::None,
        shipping_address: None,
        note: None,
        devices,
        origin,
        destination: None,
    })
}

fn ship(asset: &AssetId, mdm: MdmAction) -> DeviceChoice {
    DeviceChoice {
        asset: asset.clone(),
        retrieval: DeviceRetrieval::ShipToWarehouse,
        mdm,
    }
}

/// Ann, equipped with the first laptop, offboarded with it shipped to the warehouse (and
/// `mdm` done to it): the world, the stock and the booked return.
fn one_laptop_shipped(mdm: MdmAction) -> (World, Vec<AssetId>, ShipmentId) {
    let (mut world, ids) = stocked();
    let ann = equipped(&mut world, &ids[..1]);
    let task = offboard_task(&mut world, &ann);
    decide_booked(
        &mut world,
        "2025-03-20T16:00:00Z",
        &task.id,
        offboard(vec![ship(&ids[0], mdm)], Some(address("Ann", "62704"))),
        Some(&booking()),
    )
    .unwrap();
    let id = world
        .known
        .hardware
        .shipments
        .keys()
        .next()
        .unwrap()
        .clone();
    (world, ids, id)
}

fn booking() -> Booking {
    Booking {
        carrier: PluginId::new("ups"),
        tracking_number: "1Z999".into(),
        drop_off_text: Some("UNPK-ABC".into()),
        has_label: true,
        tracking_url: None,
    }
}

#[test]
fn equip_from_stock_assigns_the_devices_and_refuses_what_is_not_in_stock() {
    let (mut world, ids) = stocked();
    let ann = equipped(&mut world, &ids[..1]);
    let a = world.known.hardware.asset(&ids[0]).unwrap();
    assert_eq!(a.state, AssetState::Assigned);
    assert_eq!(a.assignee.as_ref().unwrap().id, ann);
    assert!(
        a.history
            .last()
            .unwrap()
            .what
            .starts_with("assigned to Ann")
    );
    // The same device cannot go to a second person.
    let err = change_asset(
        &world.known,
        &ids[0],
        AssetChange::Assign {
            employee: ann.clone(),
        },
        Actor::System,
        &mut PlanContext::new(at("2025-03-05T00:00:00Z"), company_zone(), &mut world.ids),
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "A-1 is assigned; it can't be assigned");
}

#[test]
fn a_shipped_return_is_booked_the_devices_stay_assigned_and_a_lock_waits_for_the_revocations() {
    let (mut world, ids) = stocked();
    let ann = equipped(&mut world, &ids[..3]);
    let task = offboard_task(&mut world, &ann);
    let devices = vec![
        ship(&ids[0], MdmAction::Lock),
        DeviceChoice {
            asset: ids[1].clone(),
            retrieval: DeviceRetrieval::InPerson,
            mdm: MdmAction::None,
        },
        DeviceChoice {
            asset: ids[2].clone(),
            retrieval: DeviceRetrieval::Keep,
            mdm: MdmAction::None,
        },
    ];
    // No address, no booking.
    let Decision::Offboard(d) = offboard(devices.clone(), None) else {
        unreachable!()
    };
    assert_eq!(
        return_draft(&world.known, &task.id, &d)
            .unwrap_err()
            .to_string(),
        "confirm the address the return label picks up from"
    );
    let Decision::Offboard(d) = offboard(devices.clone(), Some(address("Ann Lee", "62704"))) else {
        unreachable!()
    };
    let draft = return_draft(&world.known, &task.id, &d).unwrap().unwrap();
    assert_eq!(draft.assets, vec![ids[0].clone()]);
    assert_eq!(draft.declared_value_cents, Some(200_000));
    assert_eq!(draft.destination.postal_code, "62701");
    assert_eq!(draft.origin.country, "US", "cleaned");
    let plan = decide_booked(
        &mut world,
        "2025-03-20T16:00:00Z",
        &task.id,
        Decision::Offboard(d),
        Some(&booking()),
    )
    .unwrap();
    let hw = &world.known.hardware;
    let shipment = hw.shipments.values().next().unwrap();
    assert_eq!(shipment.state, ShipmentState::Booked);
    let shipped = hw.asset(&ids[0]).unwrap();
    assert_eq!(
        shipped.state,
        AssetState::Assigned,
        "assigned until received"
    );
    assert_eq!(shipped.return_shipment.as_ref(), Some(&shipment.id));
    assert_eq!(hw.asset(&ids[2]).unwrap().state, AssetState::Retired);
    // The employee is told how to send it back; the hand-in gets a champion's task.
    assert!(plan.effects.iter().any(|e| matches!(e,
        Effect::Notify { to, message: NotificationKind::ReturnInstructions { .. } }
            if to.len() == 1)));
    let receive = open_task(&world, "receive_devices");
    assert!(
        matches!(&receive.kind, TaskKind::ReceiveDevices { assets, .. } if assets == &vec![ids[1].clone()])
    );
    // The lock is queued for when the revocations are due.
    let command = hw.commands.values().next().unwrap();
    assert_eq!(command.state, CommandState::Queued);
    assert_eq!(command.device_id, format!("dev-{}", ids[0]));
    assert_eq!(
        hw.commands_due(at("2025-03-20T16:00:00Z")).len(),
        1,
        "offboarded now: due at once"
    );
}

#[test]
fn lock_or_wipe_is_refused_for_a_device_no_mdm_manages_and_shipping_to_two_places() {
    let (mut world, ids) = stocked();
    let ann = equipped(&mut world, &ids);
    let task = offboard_task(&mut world, &ann);
    let err = decide_at(
        &mut world,
        "2025-03-20T16:00:00Z",
        &task.id,
        offboard(
            vec![ship(&ids[2], MdmAction::Wipe)],
            Some(address("Ann", "62704")),
        ),
    )
    .unwrap_err();
    assert!(err.to_string().contains("not managed by an MDM"), "{err}");
    let two = vec![
        ship(&ids[0], MdmAction::None),
        DeviceChoice {
            asset: ids[1].clone(),
            retrieval: DeviceRetrieval::ShipToSite {
                site: "berlin".into(),
            },
            mdm: MdmAction::None,
        },
    ];
    let err = decide_at(
        &mut world,
        "2025-03-20T16:00:00Z",
        &task.id,
        offboard(two, Some(address("Ann", "62704"))),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("ship every device to one place"),
        "{err}"
    );
    assert!(
        world.known.task(&task.id).unwrap().is_open(),
        "nothing recorded"
    );
}

#[test]
fn tracking_moves_the_devices_back_and_delivery_asks_for_restock() {
    let (mut world, ids, id) = one_laptop_shipped(MdmAction::None);
    let track = |world: &mut World, now: &str, state: ShipmentState| {
        let update = Some(TrackingUpdate {
            state,
            description: "x".into(),
        });
        let p = world.run(now, |k, ctx| tracked(k, &id, update, ctx));
        world.known.apply(&p);
        p
    };
    track(&mut world, "2025-03-21T10:00:00Z", ShipmentState::InTransit);
    let a = world.known.hardware.asset(&ids[0]).unwrap();
    assert_eq!(a.state, AssetState::InTransit);
    assert_eq!(
        a.assignee.as_ref().unwrap().id,
        world.employee("100").id,
        "still hers on the way"
    );
    let p = track(
        &mut world,
        "2025-03-23T10:00:00Z",
        ShipmentState::Delivered {
            at: Some("2025-03-23".into()),
        },
    );
    assert!(p.tasks().any(|t| t.kind_name() == "receive_devices"));
    let a = world.known.hardware.asset(&ids[0]).unwrap();
    assert_eq!(a.state, AssetState::Received);
    assert_eq!(a.assignee, None);
    assert!(
        world
            .known
            .hardware
            .shipments_due(at("2030-01-01T00:00:00Z"))
            .is_empty()
    );
    // Delivered twice: no second task.
    let p = track(
        &mut world,
        "2025-03-24T10:00:00Z",
        ShipmentState::Delivered { at: None },
    );
    assert_eq!(p.tasks().count(), 0);
    let receive = open_task(&world, "receive_devices");
    decide_at(
        &mut world,
        "2025-03-24T11:00:00Z",
        &receive.id,
        Decision::Receive(ReceiveDecision::default()),
    )
    .unwrap();
    let a = world.known.hardware.asset(&ids[0]).unwrap();
    assert_eq!(a.state, AssetState::InStock);
    assert_eq!(a.location.as_deref(), Some("warehouse"));
    assert_eq!(a.return_shipment, None);
}

#[test]
fn a_voided_return_frees_its_devices_and_a_command_that_keeps_failing_stops() {
    let (mut world, ids, id) = one_laptop_shipped(MdmAction::Wipe);
    let p = world
        .run("2025-03-20T17:00:00Z", |k, ctx| {
            voided(
                k,
                &id,
                Actor::User {
                    id: UserId::new("hank"),
                },
                ctx,
            )
        })
        .unwrap();
    world.known.apply(&p);
    assert_eq!(
        world.known.hardware.shipments[&id].state,
        ShipmentState::Voided
    );
    assert_eq!(
        world.known.hardware.asset(&ids[0]).unwrap().return_shipment,
        None
    );
    let again = world.run("2025-03-20T17:00:00Z", |k, ctx| {
        voided(k, &id, Actor::System, ctx)
    });
    assert!(again.is_err(), "voided twice");
    let c = world.known.hardware.commands.keys().next().unwrap().clone();
    let p = world.run("2025-03-20T17:00:00Z", |k, ctx| {
        command_updated(
            k,
            &c,
            CommandUpdate {
                state: CommandState::Failed {
                    reason: "wipe needs Fleet Premium".into(),
                },
                sealed_pin: None,
                next_try: None,
                attempted: true,
            },
            ctx,
        )
    });
    world.known.apply(&p);
    let cmd = &world.known.hardware.commands[&c];
    assert_eq!(cmd.attempts, 1);
    assert!(
        world
            .known
            .hardware
            .commands_due(at("2030-01-01T00:00:00Z"))
            .is_empty()
    );
    assert!(
        world
            .known
            .hardware
            .asset(&ids[0])
            .unwrap()
            .history
            .iter()
            .any(|e| e.what.contains("wipe failed: wipe needs Fleet Premium"))
    );
}

#[test]
fn a_store_order_emails_the_supplier_and_becomes_her_asset_on_delivery() {
    let (mut world, _) = stocked();
    world.known.hardware.settings.products = vec![Product {
        id: "mbp14".into(),
        model: "MacBook Pro 14".into(),
        specs: "M3, 18 GB".into(),
        price_cents: 199_900,
        supplier: "Apple Business".into(),
        supplier_email: "orders@supplier.test".into(),
        link: None,
    }];
    world.sync("2025-03-03T15:00:00Z", &[ann()]);
    let setup = open_task(&world, "complete_it_setup");
    decide_at(
        &mut world,
        "2025-03-04T15:00:00Z",
        &setup.id,
        Decision::Setup(SetupDecision {
            hardware: Some("MacBook Pro 14".into()),
            ..SetupDecision::default()
        }),
    )
    .unwrap();
    let equip = open_task(&world, "equip_new_hire");
    let order = |product: &str| {
        Decision::Equip(EquipDecision {
            assets: Vec::new(),
            order: Some(StoreCheckout {
                product: product.into(),
                ship_to: address("Ann Lee", "62704"),
            }),
            note: None,
        })
    };
    let err = decide_at(&mut world, "2025-03-04T16:00:00Z", &equip.id, order("ipad")).unwrap_err();
    assert_eq!(err.to_string(), "there is no product `ipad` in the store");
    let plan = decide_at(
        &mut world,
        "2025-03-04T16:00:00Z",
        &equip.id,
        order("mbp14"),
    )
    .unwrap();
    assert!(plan.effects.iter().any(|e| matches!(e,
        Effect::Notify { to, message: NotificationKind::PurchaseRequest { .. } }
            if to == &vec!["orders@supplier.test".to_string()])));
    assert!(
        !world.known.task(&equip.id).unwrap().is_open(),
        "checkout closes the task"
    );
    let id = world.known.hardware.orders.keys().next().unwrap().clone();
    let by = Actor::User {
        id: UserId::new("hank"),
    };
    let step = |world: &mut World, m: OrderMove| {
        let p = world.run("2025-03-06T10:00:00Z", |k, ctx| {
            order_moved(k, &id, m, &by, ctx)
        });
        if let Ok(p) = &p {
            world.known.apply(p);
        }
        p
    };
    step(
        &mut world,
        OrderMove::Shipped {
            tracking: Some("1Z1".into()),
        },
    )
    .unwrap();
    // A serial already in inventory is refused; nothing changes.
    let dup = step(
        &mut world,
        OrderMove::Delivered {
            serial: "c02a".into(),
            tag: None,
        },
    );
    assert!(
        dup.unwrap_err()
            .to_string()
            .contains("already in inventory")
    );
    step(
        &mut world,
        OrderMove::Delivered {
            serial: "C02NEW".into(),
            tag: Some("T-9".into()),
        },
    )
    .unwrap();
    let OrderState::Delivered { asset } = &world.known.hardware.orders[&id].state else {
        panic!("delivered")
    };
    let a = world.known.hardware.asset(asset).unwrap();
    assert_eq!(a.state, AssetState::Assigned);
    assert_eq!(a.assignee.as_ref().unwrap().name, "Ann Lee");
    assert_eq!(a.cost_cents, Some(199_900));
    assert!(
        step(
            &mut world,
            OrderMove::Cancel {
                reason: "late".into()
            }
        )
        .is_err(),
        "closed"
    );
}

#[test]
fn an_mdm_import_links_known_serials_and_adds_the_rest_assigned_to_their_user() {
    use tenure_domain::hardware::plan::{MdmDevice, import_devices};
    let (mut world, ids) = stocked();
    world.sync("2025-03-03T15:00:00Z", &[ann()]);
    let link = |id: &str| MdmLink {
        connector: PluginId::new("fleet"),
        device_id: id.into(),
        managed: true,
    };
    let ann_email = world.employee("100").profile.work_email.clone();
    let devices = vec![
        // Already in inventory (C02C has no link yet): linked, not added.
        MdmDevice {
            model: "MacBook".into(),
            serial: "c02c".into(),
            link: link("9"),
            owner_email: None,
        },
        MdmDevice {
            model: "MacBook Air".into(),
            serial: "C02NEW1".into(),
            link: link("10"),
            owner_email: Some(ann_email.to_uppercase()),
        },
        MdmDevice {
            model: "".into(),
            serial: "C02NEW2".into(),
            link: link("11"),
            owner_email: Some("nobody@else.test".into()),
        },
        // The same serial twice in one import: added once.
        MdmDevice {
            model: "MacBook Air".into(),
            serial: "C02NEW2".into(),
            link: link("11"),
            owner_email: None,
        },
    ];
    let (plan, done) = world.run("2025-03-05T10:00:00Z", |k, ctx| {
        import_devices(k, devices, Actor::System, ctx)
    });
    world.known.apply(&plan);
    assert_eq!(done.linked, vec![ids[2].clone()]);
    assert_eq!(done.added.len(), 2);
    let hw = &world.known.hardware;
    assert_eq!(hw.asset_count(), 5);
    let new1 = hw.by_serial("C02NEW1").unwrap();
    assert_eq!(new1.state, AssetState::Assigned, "her email, case aside");
    let new2 = hw.by_serial("c02new2").unwrap();
    assert_eq!(
        (new2.state, new2.model.as_str()),
        (AssetState::InStock, "Unknown model")
    );
    assert_eq!(
        hw.asset(&ids[2]).unwrap().mdm.as_ref().unwrap().device_id,
        "9"
    );
}
