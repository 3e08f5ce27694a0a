//! Dry runs: what would happen, in words, with nothing changed.

mod support;

use support::*;
use tenure_domain::jiff::civil::date;
use tenure_domain::*;

fn ann_employed() -> Employee {
    let mut world = World::new();
    world.sync(
        "2025-03-01T15:00:00Z",
        &[RawHrRecord {
            status: RawStatus::Active,
            start_date: Some("2024-01-08".into()),
            ..ann()
        }],
    );
    world.employee("100")
}

#[test]
fn dry_run_describes_without_changing() {
    let ann = ann_employed();
    let snapshot = ann.clone();
    let catalog = catalog();
    let moved = WhatIf::Edit {
        profile: Profile {
            department: Some("Design".into()),
            ..ann.profile.clone()
        },
        start_date: ann.start_date,
        termination_date: None,
    };
    let run = dry_run(
        Some(&ann),
        moved,
        &catalog,
        at("2025-03-20T15:00:00Z"),
        &company_zone(),
    )
    .unwrap();

    assert_eq!(ann, snapshot, "nothing changed");
    let lines: Vec<&str> = run.steps.iter().map(|s| s.description.as_str()).collect();
    assert_eq!(
        lines,
        vec![
            "Update Ann Lee: department: Engineering → Design; groups: department Engineering, group all-staff → department Design, group all-staff",
            "Open task Group Change for Ann Lee, assigned to Dana: remove GitHub, Okta group Engineers, Slack channel #eng; add Figma, Slack channel #design; keep Notion, Slack, Google group everyone@acme.test",
            "Email dana@acme.test: Group Change for Ann Lee is waiting",
        ]
    );
    // Apps follow the champion's Group Change decision, not the change itself.
    assert_eq!(run.tasks, names(&["Group Change"]));
    assert!(run.grant.is_empty() && run.revoke.is_empty());
    assert_eq!(run.quarantined, None);
}

#[test]
fn dry_run_of_a_termination_today_lists_what_is_revoked() {
    let ann = ann_employed();
    let leaving = WhatIf::Edit {
        profile: ann.profile.clone(),
        start_date: ann.start_date,
        termination_date: Some(date(2025, 3, 20)),
    };
    let run = dry_run(
        Some(&ann),
        leaving,
        &catalog(),
        at("2025-03-20T15:00:00Z"),
        &company_zone(),
    )
    .unwrap();
    // Revoked when a champion confirms the task (Notion, without a connector, by hand).
    assert_eq!(run.tasks, names(&["Offboard Employee"]));
    assert_eq!(run.revoke, names(&["GitHub", "Notion", "Slack"]));
    assert!(run.steps[1].description.starts_with(
        "Open task Offboard Employee for Ann Lee, assigned to Olive, Omar, Hank: final day 2025-03-20; revoke GitHub, Notion, Slack"
    ), "{}", run.steps[1].description);

    let later = WhatIf::Edit {
        profile: ann.profile.clone(),
        start_date: ann.start_date,
        termination_date: Some(date(2025, 4, 30)),
    };
    let run = dry_run(
        Some(&ann),
        later,
        &catalog(),
        at("2025-03-20T15:00:00Z"),
        &company_zone(),
    )
    .unwrap();
    assert_eq!(
        run.steps.last().unwrap().description,
        format!(
            "Schedule the offboarding of Ann Lee ({}): the task appears on the final day, 2025-04-30",
            ann.id
        )
    );
    assert!(
        run.revoke.is_empty(),
        "nothing is revoked before the final day"
    );
}

#[test]
fn dry_run_of_a_new_hire_record_and_of_new_rules() {
    let run = dry_run(
        None,
        WhatIf::Record { record: ann() },
        &catalog(),
        at("2025-03-03T15:00:00Z"),
        &company_zone(),
    )
    .unwrap();
    assert!(run.steps[0].description.starts_with(
        "Create employee Ann Lee <ann.lee@acme.test>, pending, start date 2025-03-10"
    ));
    assert_eq!(run.grant, names(&["GitHub", "Notion", "Slack"]));
    // Granted when the champion confirms Complete IT Setup.
    assert_eq!(run.tasks, names(&["Complete IT Setup"]));

    let bad = RawHrRecord {
        status: RawStatus::Unknown("ON_LEAVE".into()),
        ..ann()
    };
    let run = dry_run(
        None,
        WhatIf::Record { record: bad },
        &catalog(),
        at("2025-03-03T15:00:00Z"),
        &company_zone(),
    )
    .unwrap();
    assert_eq!(
        run.quarantined.as_deref(),
        Some("unknown employment status `ON_LEAVE`")
    );
    assert!(run.steps.is_empty());

    let ann = ann_employed();
    let mut rules = catalog();
    rules.rules[0].applications.push(AppId::new("figma"));
    let run = dry_run(
        Some(&ann),
        WhatIf::Rules,
        &rules,
        at("2025-03-20T15:00:00Z"),
        &company_zone(),
    )
    .unwrap();
    // New rules suggest Figma in a Group Change; the champion's decision grants it.
    assert_eq!(run.tasks, names(&["Group Change"]));
    assert!(
        run.steps[1].description.contains("add Figma"),
        "{:?}",
        run.steps
    );
    assert_eq!(
        dry_run(
            None,
            WhatIf::Rules,
            &rules,
            at("2025-03-20T15:00:00Z"),
            &company_zone()
        ),
        Err(DryRunError::NeedsEmployee)
    );
}
