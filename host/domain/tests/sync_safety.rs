//! What keeps a sync safe: quarantine, idempotency, the mass-termination guard,
//! deterministic and serialisable plans.

mod support;

use support::*;
use tenure_domain::jiff::civil::date;
use tenure_domain::*;

fn employed_since_2020(source_id: &str, email: &str, given: &str, family: &str) -> RawHrRecord {
    RawHrRecord {
        status: RawStatus::Active,
        start_date: Some("2020-06-01".into()),
        ..record(source_id, email, given, family)
    }
}

fn staff(count: usize) -> Vec<RawHrRecord> {
    (1..=count)
        .map(|n| {
            employed_since_2020(
                &n.to_string(),
                &format!("person{n}@acme.test"),
                "Person",
                &n.to_string(),
            )
        })
        .collect()
}

#[test]
fn bad_records_are_quarantined_and_the_rest_applied() {
    let mut world = World::new();
    world.sync(
        "2025-03-01T15:00:00Z",
        &[employed_since_2020("9", "bob@acme.test", "Bob", "Stone")],
    );
    let bob = world.employee("9").id;

    let on_leave = RawHrRecord {
        status: RawStatus::Unknown("ON_LEAVE".into()),
        ..record("3", "cy@acme.test", "Cy", "Ray")
    };
    let page = vec![
        RawHrRecord {
            work_email: None,
            ..record("1", "", "Al", "Bo")
        },
        record("2", "BOB@acme.test", "Robert", "Stone"),
        on_leave.clone(),
        RawHrRecord {
            start_date: Some("soon".into()),
            ..record("4", "di@acme.test", "Di", "Lu")
        },
        ann(),
    ];
    let plan = world.sync("2025-03-03T15:00:00Z", &page);

    let reasons: Vec<(String, String)> = plan
        .quarantined
        .iter()
        .map(|q| (q.source_id.clone(), q.reason.to_string()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("1".into(), "no work email".into()),
            (
                "2".into(),
                format!(
                    "work email BOB@acme.test is already used by active employee {bob} (Bob Stone)"
                )
            ),
            ("3".into(), "unknown employment status `ON_LEAVE`".into()),
            (
                "4".into(),
                "start date `soon` is not a date (yyyy-mm-dd)".into()
            ),
        ]
    );
    assert_eq!(
        plan.quarantined[2].record, on_leave,
        "the record is kept as it came"
    );
    assert_eq!(
        kinds(&plan)[0],
        "create employee",
        "the rest of the page is applied"
    );
    assert_eq!(world.employee("100").profile.given_name, "Ann");
    assert_eq!(world.known.quarantine.len(), 4);

    // Fixed in HR: the record applies and leaves quarantine.
    let fixed = world.sync(
        "2025-03-04T15:00:00Z",
        &[RawHrRecord {
            status: RawStatus::Active,
            ..on_leave
        }],
    );
    assert_eq!(
        kinds(&fixed)[..2],
        names(&["create employee", "release quarantine"])
    );
    assert_eq!(world.known.quarantine.len(), 3);
    assert!(
        world
            .plan(
                "2025-03-04T15:00:00Z",
                &[record("3", "cy@acme.test", "Cy", "Ray")]
            )
            .quarantined
            .is_empty()
    );
}

#[test]
fn a_leaver_without_work_email_keeps_the_known_one() {
    let mut world = World::new();
    world.sync(
        "2025-03-01T15:00:00Z",
        &[employed_since_2020("9", "bob@acme.test", "Bob", "Stone")],
    );
    let plan = world.sync(
        "2025-03-03T15:00:00Z",
        &[RawHrRecord {
            work_email: None,
            status: RawStatus::Inactive,
            termination_date: Some("2025-03-03".into()),
            ..employed_since_2020("9", "", "Bob", "Stone")
        }],
    );
    assert!(plan.quarantined.is_empty());
    assert_eq!(world.employee("9").profile.work_email, "bob@acme.test");
    assert_eq!(world.employee("9").status, EmployeeStatus::Terminated);
}

#[test]
fn mass_termination_is_held_for_approval() {
    let mut world = World::new();
    world.sync("2025-03-01T15:00:00Z", &staff(10));
    let leaving: Vec<RawHrRecord> = staff(10)
        .into_iter()
        .take(4)
        .enumerate()
        .map(|(n, r)| RawHrRecord {
            // Two final days have passed, two are to come.
            termination_date: Some(if n < 2 { "2025-03-10" } else { "2025-03-31" }.into()),
            ..r
        })
        .collect();

    let plan = world.sync("2025-03-20T15:00:00Z", &leaving);
    assert_eq!(
        kinds(&plan),
        names(&[
            "update employee",
            "update employee",
            "update employee",
            "update employee",
            "hold 4",
            "email olive@acme.test,omar@acme.test"
        ])
    );
    assert_eq!(plan.tasks().count(), 0);
    assert_eq!(plan.jobs().count(), 0);
    let Some(Effect::HoldOffboardings { hold }) = plan
        .effects
        .iter()
        .find(|e| matches!(e, Effect::HoldOffboardings { .. }))
    else {
        panic!()
    };
    assert!(hold.reason.contains("4 of 10 employees"), "{}", hold.reason);
    assert!(
        matches!(
            plan.effects.last(),
            Some(Effect::Notify { message: NotificationKind::OffboardingsHeld { employees, .. }, .. })
                if employees.len() == 4
        ),
        "the onboarding champions hear of the hold"
    );
    assert_eq!(
        plan.audit.last().unwrap().action,
        AuditAction::OffboardingsHeld
    );
    let hold_id = hold.id.clone();
    assert_eq!(
        world.employee("1").termination,
        Some(Termination {
            final_day: date(2025, 3, 10),
            offboarding: Offboarding::Held {
                hold: hold_id.clone()
            }
        })
    );
    assert_eq!(
        world.employee("1").status,
        EmployeeStatus::Active,
        "nothing happens while held"
    );
    assert!(
        world.plan("2025-03-21T15:00:00Z", &leaving).is_empty(),
        "re-reading the page holds nothing twice"
    );
    assert!(
        world.due("2025-04-01T15:00:00Z").is_empty(),
        "held offboardings never come due"
    );

    let admin = UserId::new("admin");
    let approved = world
        .run("2025-03-21T15:00:00Z", |known, ctx| {
            approve_held(known, &hold_id, &admin, ctx)
        })
        .unwrap();
    world.known.apply(&approved);
    let k = kinds(&approved);
    assert_eq!(
        k.iter().filter(|k| *k == "task Offboard Employee").count(),
        2,
        "final days passed: late tasks now"
    );
    assert_eq!(
        k.iter()
            .filter(|k| *k == "schedule offboarding 2025-03-31")
            .count(),
        2
    );
    assert_eq!(k.last().unwrap(), "resolve hold");
    assert!(approved.tasks().all(|t| matches!(
        t.kind,
        TaskKind::OffboardEmployee {
            late: true,
            days_late: 11,
            ..
        }
    ) || !matches!(t.kind, TaskKind::OffboardEmployee { .. })));
    assert_eq!(
        approved.audit.last().unwrap().actor,
        Actor::User { id: admin.clone() }
    );
    assert!(
        world.known.holds[&hold_id]
            .resolution
            .as_ref()
            .unwrap()
            .approved
    );

    let twice = world.run("2025-03-21T15:00:00Z", |known, ctx| {
        approve_held(known, &hold_id, &admin, ctx)
    });
    assert_eq!(twice, Err(HoldError::AlreadyResolved(hold_id)));
    assert!(world.plan("2025-03-21T15:00:00Z", &leaving).is_empty());
}

#[test]
fn a_rejected_hold_leaves_everyone_employed() {
    let mut world = World::new();
    world.sync("2025-03-01T15:00:00Z", &staff(10));
    // A broken feed: everyone inactive.
    let broken: Vec<RawHrRecord> = staff(10)
        .into_iter()
        .map(|r| RawHrRecord {
            status: RawStatus::Inactive,
            ..r
        })
        .collect();
    let plan = world.sync("2025-03-20T15:00:00Z", &broken);
    let Some(Effect::HoldOffboardings { hold }) = plan
        .effects
        .iter()
        .find(|e| matches!(e, Effect::HoldOffboardings { .. }))
    else {
        panic!()
    };
    let hold_id = hold.id.clone();
    let rejected = world
        .run("2025-03-20T16:00:00Z", |known, ctx| {
            reject_held(known, &hold_id, &UserId::new("admin"), ctx)
        })
        .unwrap();
    world.known.apply(&rejected);
    assert_eq!(rejected.tasks().count(), 0);
    assert!(
        world
            .known
            .employees
            .values()
            .all(|e| e.status == EmployeeStatus::Active)
    );
    assert!(
        world.plan("2025-03-21T15:00:00Z", &broken).is_empty(),
        "the same bad data is not held again"
    );
    // The feed recovers.
    let recovered = world.sync("2025-03-22T15:00:00Z", &staff(10));
    assert_eq!(
        kinds(&recovered)
            .iter()
            .filter(|k| *k == "update employee")
            .count(),
        10
    );
    assert!(
        world
            .known
            .employees
            .values()
            .all(|e| e.termination.is_none())
    );
}

#[test]
fn a_few_leavers_are_not_held() {
    let mut world = World::new();
    world.sync("2025-03-01T15:00:00Z", &staff(10));
    let leaving: Vec<RawHrRecord> = staff(2)
        .into_iter()
        .map(|r| RawHrRecord {
            termination_date: Some("2025-03-31".into()),
            ..r
        })
        .collect();
    let plan = world.sync("2025-03-20T15:00:00Z", &leaving);
    assert_eq!(
        kinds(&plan)
            .iter()
            .filter(|k| k.starts_with("schedule offboarding"))
            .count(),
        2
    );
    assert!(!kinds(&plan).iter().any(|k| k.starts_with("hold")));
}

/// A page with every kind of story in it.
fn busy_world() -> (World, Vec<RawHrRecord>) {
    let mut world = World::new();
    world.guard.share = 0.5;
    let gus = employed_since_2020("7", "gus@acme.test", "Gus", "Old");
    world.sync(
        "2025-03-01T15:00:00Z",
        &[
            employed_since_2020("1", "bob@acme.test", "Bob", "Stay"),
            employed_since_2020("2", "carl@acme.test", "Carl", "Late"),
            employed_since_2020("3", "dee@acme.test", "Dee", "Later"),
            employed_since_2020("4", "eve@acme.test", "Eve", "Moves"),
            employed_since_2020("6", "hal@acme.test", "Hal", "Inactive"),
            gus.clone(),
        ],
    );
    world.sync(
        "2025-03-02T15:00:00Z",
        &[RawHrRecord {
            status: RawStatus::Inactive,
            termination_date: Some("2025-03-02".into()),
            ..gus.clone()
        }],
    );
    let pre_hire = PreHire {
        profile: Profile {
            work_email: "fay@acme.test".into(),
            given_name: "Fay".into(),
            family_name: "Early".into(),
            ..Profile::default()
        },
        start_date: Some(date(2025, 4, 1)),
    };
    let added = world.run("2025-03-05T15:00:00Z", |known, ctx| {
        add_pre_hire(known, pre_hire, &UserId::new("admin"), ctx).unwrap()
    });
    world.known.apply(&added);

    let page = vec![
        ann(),
        RawHrRecord {
            status: RawStatus::Inactive,
            termination_date: Some("2025-03-14".into()),
            ..employed_since_2020("2", "carl@acme.test", "Carl", "Late")
        },
        RawHrRecord {
            termination_date: Some("2025-04-30".into()),
            ..employed_since_2020("3", "dee@acme.test", "Dee", "Later")
        },
        RawHrRecord {
            department: Some("Design".into()),
            ..employed_since_2020("4", "eve@acme.test", "Eve", "Moves")
        },
        RawHrRecord {
            start_date: Some("2025-04-01".into()),
            ..record("5", "FAY@acme.test", "Fay", "Early")
        },
        RawHrRecord {
            status: RawStatus::Inactive,
            ..employed_since_2020("6", "hal@acme.test", "Hal", "Inactive")
        },
        RawHrRecord {
            status: RawStatus::Pending,
            start_date: Some("2025-04-14".into()),
            ..gus
        },
        RawHrRecord {
            status: RawStatus::Inactive,
            termination_date: Some("2021-01-31".into()),
            ..employed_since_2020("8", "ola@acme.test", "Ola", "Former")
        },
        RawHrRecord {
            work_email: None,
            ..record("9", "", "No", "Email")
        },
    ];
    (world, page)
}

#[test]
fn replanning_an_applied_page_produces_nothing() {
    let (mut world, page) = busy_world();
    let first = world.sync("2025-03-20T15:00:00Z", &page);
    let k = kinds(&first);
    for story in [
        "create employee",
        "merge pre-hire",
        "task Complete IT Setup",
        "task Group Change",
        "task Offboard Employee",
        "schedule offboarding 2025-04-30",
    ] {
        assert!(k.contains(&story.to_string()), "{story} in {k:#?}");
    }
    assert_eq!(first.quarantined.len(), 1);
    let employees = world.known.employees.len();

    // A crash after commit re-reads the page: nothing is created twice.
    let again = world.plan("2025-03-20T15:00:00Z", &page);
    assert_eq!(again.effects, vec![], "{:#?}", kinds(&again));
    assert_eq!(again.audit, vec![]);
    assert_eq!(
        again.quarantined.len(),
        1,
        "still quarantined; the shell upserts it"
    );
    // Nor on a later day (Hal's termination had no date: the first day seen is kept).
    assert!(world.plan("2025-03-23T15:00:00Z", &page).is_empty());
    assert!(world.due("2025-03-20T15:00:00Z").is_empty());
    assert_eq!(world.known.employees.len(), employees);
}

#[test]
fn the_same_inputs_give_the_same_plan_and_plans_survive_json() {
    let (mut one, page) = busy_world();
    let (mut two, _) = busy_world();
    let a = one.plan("2025-03-20T15:00:00Z", &page);
    let b = two.plan("2025-03-20T15:00:00Z", &page);
    assert_eq!(a, b);

    let json = serde_json::to_string(&a).unwrap();
    let back: Plan = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a);
    let employee = serde_json::to_value(one.employee("1")).unwrap();
    assert_eq!(employee["status"], "active");
    assert_eq!(employee["start_date"], "2020-06-01");
    let catalog = serde_json::to_string(&catalog()).unwrap();
    assert_eq!(
        serde_json::from_str::<Catalog>(&catalog).unwrap(),
        support::catalog()
    );
}

#[test]
fn a_record_listed_twice_in_a_page_counts_once() {
    let mut world = World::new();
    let plan = world.sync(
        "2025-03-03T15:00:00Z",
        &[
            ann(),
            RawHrRecord {
                title: Some("Staff Engineer".into()),
                ..ann()
            },
        ],
    );
    assert_eq!(
        kinds(&plan)
            .iter()
            .filter(|k| *k == "create employee")
            .count(),
        1
    );
    assert_eq!(
        world.employee("100").profile.title.as_deref(),
        Some("Staff Engineer")
    );
}

#[test]
fn two_new_records_with_one_work_email_are_not_both_applied() {
    let mut world = World::new();
    let plan = world.sync(
        "2025-03-03T15:00:00Z",
        &[ann(), record("101", "Ann.Lee@acme.test", "Ann", "Twin")],
    );
    assert_eq!(
        kinds(&plan)
            .iter()
            .filter(|k| *k == "create employee")
            .count(),
        1
    );
    assert!(matches!(
        plan.quarantined[0].reason,
        QuarantineReason::EmailInUse { .. }
    ));
}
