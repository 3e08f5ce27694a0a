//! Department and group changes.

mod support;

use std::collections::BTreeSet;

use support::*;
use tenure_domain::*;

fn grants(apps_: &[&str], groups: Vec<ExternalGroup>) -> Grants {
    Grants {
        applications: apps(apps_),
        external_groups: groups.into_iter().collect::<BTreeSet<_>>(),
    }
}

#[test]
fn department_change_opens_group_change_listing_old_and_new_grants() {
    let mut world = World::new();
    world.sync("2025-03-03T15:00:00Z", &[ann()]);
    let plan = world.sync(
        "2025-03-04T15:00:00Z",
        &[RawHrRecord {
            department: Some("Design".into()),
            ..ann()
        }],
    );

    assert_eq!(
        kinds(&plan),
        names(&[
            "update employee",
            "task Group Change",
            "email dana@acme.test",
        ])
    );
    let task = task_of(&plan, "Group Change");
    assert_eq!(
        task.assignees,
        vec![UserId::new("dana")],
        "default application champions"
    );
    let TaskKind::GroupChange { change } = &task.kind else {
        panic!()
    };
    let everyone = google("everyone@acme.test");
    assert_eq!(
        change.groups_before,
        vec![
            GroupRef::Department("Engineering".into()),
            GroupRef::Custom(GroupId::new("all-staff"))
        ]
    );
    assert_eq!(
        change.groups_after,
        vec![
            GroupRef::Department("Design".into()),
            GroupRef::Custom(GroupId::new("all-staff"))
        ]
    );
    assert_eq!(
        change.granted_before,
        grants(
            &["github", "notion", "slack"],
            vec![okta("Engineers"), slack_channel("eng"), everyone.clone()]
        )
    );
    assert_eq!(
        change.granted_after,
        grants(
            &["figma", "notion", "slack"],
            vec![slack_channel("design"), everyone.clone()]
        )
    );
    assert_eq!(
        change.to_remove,
        grants(&["github"], vec![okta("Engineers"), slack_channel("eng")])
    );
    assert_eq!(
        change.to_add,
        grants(&["figma"], vec![slack_channel("design")])
    );
    assert_eq!(change.to_keep, grants(&["notion", "slack"], vec![everyone]));

    let Effect::UpdateEmployee { changes, .. } = &plan.effects[0] else {
        panic!()
    };
    assert_eq!(changes[0].to_string(), "department: Engineering → Design");
    assert!(
        plan.audit[0]
            .detail
            .contains("department: Engineering → Design")
    );
}

#[test]
fn a_change_that_moves_no_group_opens_no_task() {
    let mut world = World::new();
    world.sync("2025-03-03T15:00:00Z", &[ann()]);
    let cases = [
        RawHrRecord {
            title: Some("Senior Engineer".into()),
            ..ann()
        },
        // HR spelled the department differently: same rules apply.
        RawHrRecord {
            department: Some("engineering".into()),
            ..ann()
        },
    ];
    for record in cases {
        let plan = world.sync("2025-03-04T15:00:00Z", std::slice::from_ref(&record));
        assert_eq!(kinds(&plan), names(&["update employee"]), "{record:?}");
    }
}

#[test]
fn a_department_change_that_grants_the_same_still_opens_group_change() {
    let mut world = World::new();
    // Two departments without rules: before and after grant nothing.
    let research = RawHrRecord {
        department: Some("Research".into()),
        ..ann()
    };
    world.sync("2025-03-03T15:00:00Z", std::slice::from_ref(&research));
    let plan = world.sync(
        "2025-03-04T15:00:00Z",
        &[RawHrRecord {
            department: Some("Platform".into()),
            ..ann()
        }],
    );
    assert_eq!(
        kinds(&plan),
        names(&["update employee", "task Group Change", "email dana@acme.test"])
    );
}

#[test]
fn custom_group_membership_follows_the_title() {
    let mut world = World::new();
    world.sync("2025-03-03T15:00:00Z", &[ann()]);
    let plan = world.sync(
        "2025-03-04T15:00:00Z",
        &[RawHrRecord {
            title: Some("Engineering Manager".into()),
            ..ann()
        }],
    );
    assert_eq!(
        kinds(&plan),
        names(&[
            "update employee",
            "task Group Change",
            "email dana@acme.test",
        ])
    );
    let TaskKind::GroupChange { change } = &task_of(&plan, "Group Change").kind else {
        panic!()
    };
    assert!(
        change
            .groups_after
            .contains(&GroupRef::Custom(GroupId::new("managers")))
    );
    assert_eq!(change.to_add, grants(&["lattice"], vec![]));
    assert!(change.to_remove.is_empty());
}

#[test]
fn adding_a_member_to_a_custom_group_opens_group_change_when_rules_are_reapplied() {
    let mut world = World::new();
    world.sync("2025-03-03T15:00:00Z", &[ann()]);
    let ann_id = world.employee("100").id;
    world.known.catalog.custom_groups.push(CustomGroup {
        id: GroupId::new("design-guests"),
        name: "Design guests".into(),
        members: vec![ann_id.clone()],
        matches: None,
    });
    world.known.catalog.rules.push(Rule {
        group: GroupRef::Custom(GroupId::new("design-guests")),
        applications: vec![AppId::new("figma")],
        external_groups: vec![slack_channel("design")],
    });
    let admin = Actor::User {
        id: UserId::new("admin"),
    };
    let plan = world.run("2025-03-04T15:00:00Z", |known, ctx| {
        reconcile_access(known, admin.clone(), ctx)
    });
    world.known.apply(&plan);
    assert_eq!(
        kinds(&plan),
        names(&[
            "update employee",
            "task Group Change",
            "email dana@acme.test",
        ])
    );
    assert!(plan.audit.iter().all(|a| a.actor == admin));
    let again = world.run("2025-03-04T15:00:00Z", |known, ctx| {
        reconcile_access(known, admin.clone(), ctx)
    });
    assert!(again.is_empty());
}
