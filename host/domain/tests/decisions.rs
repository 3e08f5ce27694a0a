//! Champions' decisions on Complete IT Setup, Group Change and Offboard Employee.

mod support;

use std::collections::BTreeMap;

use support::*;
use tenure_domain::*;

fn decide_at(
    world: &mut World,
    now: &str,
    task: &TaskId,
    decision: Decision,
) -> Result<Plan, TaskError> {
    let plan = world.run(now, |known, ctx| {
        decide(known, task, decision, &UserId::new("olive"), ctx)
    })?;
    world.known.apply(&plan);
    Ok(plan)
}

fn open_task(world: &World, title: &str) -> Task {
    world
        .known
        .tasks
        .values()
        .find(|t| t.title() == title && t.is_open())
        .cloned()
        .unwrap_or_else(|| panic!("no open {title}"))
}

#[test]
fn setup_decision_grants_extra_apps_drops_unwanted_ones_and_asks_for_hardware() {
    let mut world = World::new();
    world.sync("2025-03-03T15:00:00Z", &[ann()]);
    let setup = open_task(&world, "Complete IT Setup");
    // The rules gave GitHub, Slack and Notion; the champion adds Figma, drops Notion.
    let plan = decide_at(
        &mut world,
        "2025-03-04T15:00:00Z",
        &setup.id,
        Decision::Setup(SetupDecision {
            applications: apps(&["github", "slack", "figma"]),
            hardware: Some("  MacBook Pro 14 ".into()),
            note: Some(" ".into()),
            accounts_now: true,
        }),
    )
    .unwrap();
    assert_eq!(
        kinds(&plan),
        names(&[
            "update task Complete IT Setup",
            "update employee",
            "task Grant access to Figma",
            "email fay@acme.test",
            "Provision github",
            "Provision slack",
            "Join group:google-workspace:everyone@acme.test",
            "Join group:okta:Engineers",
            "Join group:slack:C-eng",
            "task Equip New Hire",
            "email hank@acme.test",
        ])
    );
    let done = world.known.tasks[&setup.id].clone();
    assert_eq!(done.state_name(), "done");
    let Some(Decision::Setup(d)) = &done.decision else {
        panic!("decision recorded: {done:?}")
    };
    assert_eq!(d.hardware.as_deref(), Some("MacBook Pro 14"), "trimmed");
    assert_eq!(d.note, None, "blank note dropped");
    let equip = open_task(&world, "Equip New Hire");
    assert_eq!(equip.assignees, vec![UserId::new("hank")]);
    assert!(matches!(
        equip.kind,
        TaskKind::EquipNewHire { request: Some(ref r), .. } if r == "MacBook Pro 14"
    ));
    // Nothing was granted before the decision: every chosen app is granted now, and
    // Notion, never granted, needs no revocation.
    assert!(plan.jobs().all(|j| j.not_before.is_none()), "accounts now");
    let hired = world.employee("100");
    assert_eq!(hired.apps(), apps(&["figma", "github", "slack"]));
    assert_eq!(hired.adjustments.added, apps(&["figma"]));
    assert_eq!(hired.adjustments.removed, apps(&["notion"]));
    let audit = plan.audit.last().unwrap();
    assert_eq!(audit.action, AuditAction::TaskCompleted);
    assert!(
        audit
            .detail
            .ends_with("apps: Figma, GitHub, Slack; hardware: MacBook Pro 14"),
        "{}",
        audit.detail
    );

    // A later sync with nothing new does not undo the champion's choices.
    let again = world.sync("2025-03-05T15:00:00Z", &[ann()]);
    assert!(again.effects.is_empty(), "{:?}", kinds(&again));
    // Decided once: the task is closed now.
    let err = decide_at(
        &mut world,
        "2025-03-05T15:00:00Z",
        &setup.id,
        Decision::Setup(SetupDecision::default()),
    )
    .unwrap_err();
    assert!(matches!(err, TaskError::Closed { .. }));
}

#[test]
fn setup_without_hardware_opens_no_equip_task_and_unknown_apps_are_refused() {
    let mut world = World::new();
    world.sync("2025-03-03T15:00:00Z", &[ann()]);
    let setup = open_task(&world, "Complete IT Setup");
    let err = decide_at(
        &mut world,
        "2025-03-04T15:00:00Z",
        &setup.id,
        Decision::Setup(SetupDecision {
            applications: apps(&["github", "nope"]),
            ..SetupDecision::default()
        }),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "there is no application `nope` in the catalog"
    );
    let plan = decide_at(
        &mut world,
        "2025-03-04T15:00:00Z",
        &setup.id,
        Decision::Setup(SetupDecision {
            applications: apps(&["github", "slack", "notion"]),
            ..SetupDecision::default()
        }),
    )
    .unwrap();
    assert_eq!(
        kinds(&plan),
        names(&[
            "update task Complete IT Setup",
            "Provision github",
            "task Grant access to Notion",
            "email dana@acme.test",
            "Provision slack",
            "Join group:google-workspace:everyone@acme.test",
            "Join group:okta:Engineers",
            "Join group:slack:C-eng",
        ])
    );
    // Ann starts on March 10: her accounts are made three days before, at the start of
    // March 7 in the company's zone (Chicago).
    assert!(
        plan.jobs()
            .all(|j| j.not_before == Some(at("2025-03-07T06:00:00Z"))),
        "{:?}",
        plan.jobs().map(|j| j.not_before).collect::<Vec<_>>()
    );
    assert!(
        world
            .known
            .tasks
            .values()
            .all(|t| t.title() != "Equip New Hire")
    );
}

#[test]
fn group_change_decision_keeps_removes_and_grants_per_app() {
    let mut world = World::new();
    world.sync("2025-03-03T15:00:00Z", &[ann()]);
    world.sync(
        "2025-03-04T15:00:00Z",
        &[RawHrRecord {
            department: Some("Design".into()),
            ..ann()
        }],
    );
    let change = open_task(&world, "Group Change");
    let wrong = decide_at(
        &mut world,
        "2025-03-04T16:00:00Z",
        &change.id,
        Decision::Setup(SetupDecision::default()),
    )
    .unwrap_err();
    assert_eq!(
        wrong.to_string(),
        "that decision does not fit a Group Change task"
    );
    // Suggested: remove GitHub, add Figma. The champion keeps GitHub for a month of
    // handover, grants Figma, and removes Notion.
    let choices: BTreeMap<AppId, AppChoice> = [
        ("github", AppChoice::Keep),
        ("figma", AppChoice::Grant),
        ("notion", AppChoice::Remove),
    ]
    .into_iter()
    .map(|(a, c)| (AppId::new(a), c))
    .collect();
    // Groups follow the rules (leave #eng, join #design) except the Okta group, which
    // the champion keeps; a group the change is not about is refused.
    let okta_engineers = "group:okta:Engineers".to_string();
    let stray = decide_at(
        &mut world,
        "2025-03-04T16:00:00Z",
        &change.id,
        Decision::GroupChange(GroupChangeDecision {
            external_groups: [("group:okta:Sales".to_string(), AppChoice::Grant)].into(),
            ..Default::default()
        }),
    )
    .unwrap_err();
    assert_eq!(stray, TaskError::UnknownGroup("group:okta:Sales".into()));
    let plan = decide_at(
        &mut world,
        "2025-03-04T16:00:00Z",
        &change.id,
        Decision::GroupChange(GroupChangeDecision {
            applications: choices,
            external_groups: [(okta_engineers.clone(), AppChoice::Keep)].into(),
            note: None,
        }),
    )
    .unwrap();
    assert_eq!(
        kinds(&plan),
        names(&[
            "update task Group Change",
            "update employee",
            "task Grant access to Figma",
            "email fay@acme.test",
            "task Revoke access to Notion",
            "email dana@acme.test",
            "Join group:slack:C-design",
            "Leave group:slack:C-eng",
        ])
    );
    let ann = world.employee("100");
    assert_eq!(ann.apps(), apps(&["figma", "github", "slack"]));
    assert_eq!(
        ann.adjustments.added,
        apps(&["github"]),
        "kept beyond the rules"
    );
    assert_eq!(ann.adjustments.removed, apps(&["notion"]));
    let held: Vec<String> = ann.groups_held().iter().map(|g| g.key().0).collect();
    assert_eq!(
        held,
        [
            "group:google-workspace:everyone@acme.test",
            "group:okta:Engineers",
            "group:slack:C-design"
        ]
    );
    assert_eq!(
        ann.adjustments.groups_added.len(),
        1,
        "the Okta group, kept"
    );
    // The decision records every group's choice, the defaults spelled out.
    let done = plan
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::UpdateTask { task } if task.id == change.id => Some(task),
            _ => None,
        })
        .expect("the task, closed");
    let Some(Decision::GroupChange(d)) = &done.decision else {
        panic!("no decision")
    };
    assert_eq!(d.external_groups[&okta_engineers], AppChoice::Keep);
    assert_eq!(d.external_groups["group:slack:C-eng"], AppChoice::Remove);
    assert_eq!(d.external_groups["group:slack:C-design"], AppChoice::Grant);

    // Offboarding leaves what she holds, the kept Okta group included.
    let id = ann.id.clone();
    let plan = world
        .run("2025-03-05T10:00:00Z", |known, ctx| {
            offboard_now(known, &id, &UserId::new("dana"), ctx)
        })
        .unwrap();
    let TaskKind::OffboardEmployee { to_revoke, .. } = &task_of(&plan, "Offboard Employee").kind
    else {
        panic!("no offboarding")
    };
    let leaving: Vec<String> = to_revoke
        .external_groups
        .iter()
        .map(|g| g.key().0)
        .collect();
    assert!(leaving.contains(&okta_engineers), "{leaving:?}");
}

#[test]
fn offboard_decision_needs_an_address_when_devices_ship_and_revokes_what_is_held() {
    let mut world = World::new();
    world.sync("2025-03-03T15:00:00Z", &[ann()]);
    let setup = open_task(&world, "Complete IT Setup");
    decide_at(
        &mut world,
        "2025-03-04T15:00:00Z",
        &setup.id,
        Decision::Setup(SetupDecision {
            applications: apps(&["github", "figma"]),
            ..SetupDecision::default()
        }),
    )
    .unwrap();
    let id = world.employee("100").id;
    let plan = world
        .run("2025-03-20T15:00:00Z", |known, ctx| {
            offboard_now(known, &id, &UserId::new("olive"), ctx)
        })
        .unwrap();
    world.known.apply(&plan);
    assert_eq!(plan.jobs().count(), 0, "nothing revoked before confirming");
    let offboard = open_task(&world, "Offboard Employee");
    let ship = |address: Option<&str>| {
        Decision::Offboard(OffboardDecision {
            retrieval: DeviceRetrieval::ShipToWarehouse,
            mdm: MdmAction::Lock,
            shipping_address: address.map(String::from),
            note: None,
            devices: Vec::new(),
            origin: None,
            destination: None,
        })
    };
    let err = decide_at(
        &mut world,
        "2025-03-20T16:00:00Z",
        &offboard.id,
        ship(Some("  ")),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "confirm the address the return label picks up from"
    );
    let site = Decision::Offboard(OffboardDecision {
        retrieval: DeviceRetrieval::ShipToSite { site: " ".into() },
        mdm: MdmAction::None,
        shipping_address: Some("1 Main St".into()),
        note: None,
        devices: Vec::new(),
        origin: None,
        destination: None,
    });
    let err = decide_at(&mut world, "2025-03-20T16:00:00Z", &offboard.id, site).unwrap_err();
    assert_eq!(err, TaskError::NoSite);
    let plan = decide_at(
        &mut world,
        "2025-03-20T16:00:00Z",
        &offboard.id,
        ship(Some("12 Elm St, Springfield")),
    )
    .unwrap();
    // What she held, not what the rules gave: Figma (manual) and GitHub (connector),
    // revoked at once (a same-day offboarding).
    let k = kinds(&plan);
    assert_eq!(k[0], "update task Offboard Employee");
    assert!(k.contains(&"Revoke github".to_string()), "{k:?}");
    assert!(
        k.contains(&"task Revoke access to Figma".to_string()),
        "{k:?}"
    );
    assert!(
        !k.iter()
            .any(|k| k.contains("Notion") || k == "Revoke slack")
    );
    // And every group and channel the rules gave her, left with the rest.
    for left in [
        "Leave group:okta:Engineers",
        "Leave group:slack:C-eng",
        "Leave group:google-workspace:everyone@acme.test",
    ] {
        assert!(k.contains(&left.to_string()), "{left}: {k:?}");
    }
    assert!(plan.jobs().all(|j| j.not_before.is_none()));
    let done = &world.known.tasks[&offboard.id];
    let Some(Decision::Offboard(d)) = &done.decision else {
        panic!()
    };
    assert_eq!(d.mdm, MdmAction::Lock);
    assert_eq!(
        d.shipping_address.as_deref(),
        Some("12 Elm St, Springfield")
    );
    assert!(plan.audit.iter().any(|a| {
        a.detail
            .contains("devices: ship to the warehouse; mdm: lock")
    }));
}
