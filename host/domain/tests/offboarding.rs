//! Terminations: scheduled, today, late, withdrawn, same-day; final days in time zones.

mod support;

use support::*;
use tenure_domain::jiff::civil::date;
use tenure_domain::*;

/// Ann, an engineer in Los Angeles since 2024.
fn ann_in(zone: &str) -> RawHrRecord {
    RawHrRecord {
        status: RawStatus::Active,
        start_date: Some("2024-01-08".into()),
        work_time_zone: Some(zone.into()),
        ..ann()
    }
}

fn leaving(record: RawHrRecord, final_day: &str) -> RawHrRecord {
    RawHrRecord {
        termination_date: Some(final_day.into()),
        ..record
    }
}

fn world_with_ann(zone: &str) -> World {
    let mut world = World::new();
    world.sync("2025-03-01T15:00:00Z", &[ann_in(zone)]);
    world
}

fn offboard_task(plan: &Plan) -> (tenure_domain::jiff::civil::Date, bool, u32, Grants) {
    match &task_of(plan, "Offboard Employee").kind {
        TaskKind::OffboardEmployee {
            final_day,
            late,
            days_late,
            to_revoke,
            ..
        } => (*final_day, *late, *days_late, to_revoke.clone()),
        _ => unreachable!(),
    }
}

const OFFBOARDING: [&str; 3] = [
    "update employee",
    "task Offboard Employee",
    "email olive@acme.test,omar@acme.test,hank@acme.test",
];

/// Confirming the Offboard Employee task revokes what the employee had.
const REVOCATIONS: [&str; 8] = [
    "update task Offboard Employee",
    "Revoke github",
    "task Revoke access to Notion",
    "email dana@acme.test",
    "Revoke slack",
    "Leave group:google-workspace:everyone@acme.test",
    "Leave group:okta:Engineers",
    "Leave group:slack:C-eng",
];

#[test]
fn termination_in_future_is_scheduled_for_the_final_day_in_the_work_time_zone() {
    let mut world = world_with_ann("America/Los_Angeles");
    let plan = world.sync(
        "2025-03-20T15:00:00Z",
        &[leaving(ann_in("America/Los_Angeles"), "2025-03-31")],
    );
    assert_eq!(
        kinds(&plan),
        names(&["update employee", "schedule offboarding 2025-03-31"])
    );
    assert_eq!(
        plan.jobs().count(),
        0,
        "nothing is revoked before the final day"
    );
    let ann = world.employee("100");
    assert_eq!(ann.status, EmployeeStatus::Active);
    assert_eq!(
        ann.termination,
        Some(Termination {
            final_day: date(2025, 3, 31),
            offboarding: Offboarding::Scheduled
        })
    );

    // March 31 has begun in Chicago (the company's zone) but not in Los Angeles.
    assert!(world.due("2025-03-31T06:59:00Z").is_empty());

    let opened = world.due("2025-03-31T07:00:00Z");
    assert_eq!(kinds(&opened), names(&OFFBOARDING));
    let (final_day, late, days_late, to_revoke) = offboard_task(&opened);
    assert_eq!((final_day, late, days_late), (date(2025, 3, 31), false, 0));
    assert_eq!(to_revoke.applications, apps(&["github", "notion", "slack"]));
    assert!(to_revoke.external_groups.contains(&okta("Engineers")));
    let confirmed = world.confirm_offboarding("2025-03-31T16:00:00Z", &opened);
    assert_eq!(kinds(&confirmed), names(&REVOCATIONS));
    for job in confirmed.jobs() {
        assert_eq!(
            job.not_before,
            Some(at("2025-04-01T07:00:00Z")),
            "revoked once the final day is over"
        );
    }
    assert_eq!(
        opened.audit.last().map(|a| a.actor.clone()),
        Some(Actor::System)
    );
    let ann = world.employee("100");
    assert_eq!(ann.status, EmployeeStatus::Terminated);
    assert!(ann.access.grants.is_empty());
    assert!(world.due("2025-04-02T07:00:00Z").is_empty(), "opened once");
}

#[test]
fn termination_today_opens_offboarding_now() {
    let mut world = world_with_ann("America/Los_Angeles");
    let plan = world.sync(
        "2025-03-31T18:00:00Z",
        &[RawHrRecord {
            status: RawStatus::Inactive,
            ..leaving(ann_in("America/Los_Angeles"), "2025-03-31")
        }],
    );
    assert_eq!(kinds(&plan), names(&OFFBOARDING));
    assert!(!offboard_task(&plan).1, "not late");
    let plan = world.confirm_offboarding("2025-03-31T19:00:00Z", &plan);
    // Her two connector apps, and the three groups and channels the rules gave her.
    let actions: Vec<JobAction> = plan.jobs().map(|j| j.action).collect();
    assert_eq!(
        actions.iter().filter(|a| **a == JobAction::Revoke).count(),
        2
    );
    assert_eq!(
        actions.iter().filter(|a| **a == JobAction::Leave).count(),
        3
    );
    assert!(
        plan.jobs()
            .all(|j| j.not_before == Some(at("2025-04-01T07:00:00Z")))
    );
}

#[test]
fn termination_after_final_day_opens_late_offboarding() {
    let mut world = world_with_ann("America/Los_Angeles");
    // TriNet posts the termination after the final paycheck.
    let plan = world.sync(
        "2025-03-26T18:00:00Z",
        &[RawHrRecord {
            status: RawStatus::Inactive,
            ..leaving(ann_in("America/Los_Angeles"), "2025-03-14")
        }],
    );
    assert_eq!(kinds(&plan), names(&OFFBOARDING));
    let (final_day, late, days_late, _) = offboard_task(&plan);
    assert_eq!((final_day, late, days_late), (date(2025, 3, 14), true, 12));
    assert!(plan.audit.iter().any(|a| a.detail.contains("12 days late")));
    let plan = world.confirm_offboarding("2025-03-26T18:00:00Z", &plan);
    // Her two connector apps, and the three groups and channels the rules gave her.
    let actions: Vec<JobAction> = plan.jobs().map(|j| j.action).collect();
    assert_eq!(
        actions.iter().filter(|a| **a == JobAction::Revoke).count(),
        2
    );
    assert_eq!(
        actions.iter().filter(|a| **a == JobAction::Leave).count(),
        3
    );
    assert!(
        plan.jobs().all(|j| j.not_before.is_none()),
        "late: revoke at once"
    );
}

#[test]
fn final_day_is_computed_in_the_work_time_zone_auckland_and_los_angeles_differ() {
    let mut world = World::new();
    let kiri = RawHrRecord {
        status: RawStatus::Active,
        start_date: Some("2023-02-01".into()),
        work_time_zone: Some("Pacific/Auckland".into()),
        ..record("200", "kiri@acme.test", "Kiri", "Ngata")
    };
    let lee = RawHrRecord {
        status: RawStatus::Active,
        start_date: Some("2023-02-01".into()),
        work_time_zone: Some("America/Los_Angeles".into()),
        ..record("300", "lee@acme.test", "Lee", "Park")
    };
    world.sync("2025-03-01T00:00:00Z", &[kiri.clone(), lee.clone()]);

    // 12:00 UTC: already April 1 in Auckland, still March 31 in Los Angeles.
    let plan = world.sync(
        "2025-03-31T12:00:00Z",
        &[leaving(kiri, "2025-04-01"), leaving(lee, "2025-04-01")],
    );
    let kiri_tasks: Vec<_> = plan
        .tasks()
        .filter(|t| t.employee.name == "Kiri Ngata")
        .map(|t| t.title())
        .collect();
    assert!(
        kiri_tasks.contains(&"Offboard Employee".to_string()),
        "final day today in Auckland"
    );
    assert!(plan.tasks().all(|t| t.employee.name != "Lee Park"));
    assert!(
        kinds(&plan).contains(&"schedule offboarding 2025-04-01".to_string()),
        "tomorrow in Los Angeles"
    );
    assert_eq!(world.employee("200").status, EmployeeStatus::Terminated);
    assert_eq!(world.employee("300").status, EmployeeStatus::Active);

    // Auckland's revocations wait for the end of April 1 there: 11:00 UTC on April 1.
    let kiri_id = world.employee("200").id;
    let plan = world.confirm_offboarding("2025-03-31T12:30:00Z", &plan);
    assert!(plan.jobs().count() > 0);
    assert!(
        plan.jobs()
            .filter(|j| j.employee.id == kiri_id)
            .all(|j| j.not_before == Some(at("2025-04-01T11:00:00Z")))
    );
}

#[test]
fn without_a_work_time_zone_the_company_time_zone_decides() {
    let mut world = World::new();
    let rec = RawHrRecord {
        status: RawStatus::Active,
        start_date: Some("2023-02-01".into()),
        ..ann()
    };
    world.sync("2025-03-01T00:00:00Z", std::slice::from_ref(&rec));
    // 04:30 UTC on April 1 is still March 31 in Chicago (UTC-5).
    let plan = world.sync("2025-04-01T04:30:00Z", &[leaving(rec, "2025-04-01")]);
    assert!(kinds(&plan).contains(&"schedule offboarding 2025-04-01".to_string()));
    assert!(world.due("2025-04-01T04:59:00Z").is_empty());
    assert_eq!(
        kinds(&world.due("2025-04-01T05:00:00Z"))[1],
        "task Offboard Employee"
    );
}

#[test]
fn withdrawn_or_moved_terminations_update_the_schedule() {
    let mut world = world_with_ann("America/Los_Angeles");
    world.sync(
        "2025-03-20T15:00:00Z",
        &[leaving(ann_in("America/Los_Angeles"), "2025-03-31")],
    );

    let moved = world.sync(
        "2025-03-21T15:00:00Z",
        &[leaving(ann_in("America/Los_Angeles"), "2025-04-15")],
    );
    assert_eq!(
        kinds(&moved),
        names(&["update employee", "schedule offboarding 2025-04-15"])
    );

    let withdrawn = world.sync("2025-03-22T15:00:00Z", &[ann_in("America/Los_Angeles")]);
    assert_eq!(
        kinds(&withdrawn),
        names(&["update employee", "cancel offboarding"])
    );
    assert_eq!(world.employee("100").termination, None);
    assert!(world.due("2025-04-16T15:00:00Z").is_empty());
}

#[test]
fn same_day_offboarding_runs_at_once() {
    let mut world = world_with_ann("America/Los_Angeles");
    let id = world.employee("100").id;
    let plan = world.run("2025-03-20T18:00:00Z", |known, ctx| {
        offboard_now(known, &id, &UserId::new("admin"), ctx).unwrap()
    });
    world.known.apply(&plan);
    assert_eq!(kinds(&plan), names(&OFFBOARDING));
    assert_eq!(offboard_task(&plan).0, date(2025, 3, 20));
    let confirmed = world.confirm_offboarding("2025-03-20T18:05:00Z", &plan);
    // Her two connector apps, and the three groups and channels the rules gave her.
    let actions: Vec<JobAction> = confirmed.jobs().map(|j| j.action).collect();
    assert_eq!(
        actions.iter().filter(|a| **a == JobAction::Revoke).count(),
        2
    );
    assert_eq!(
        actions.iter().filter(|a| **a == JobAction::Leave).count(),
        3
    );
    assert!(confirmed.jobs().all(|j| j.not_before.is_none()));
    let again = world.run("2025-03-20T18:00:00Z", |known, ctx| {
        offboard_now(known, &id, &UserId::new("admin"), ctx)
    });
    assert!(matches!(again, Err(ManualError::AlreadyOffboarded { .. })));
}
