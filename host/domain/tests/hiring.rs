//! New hires, pre-hires, first imports and rehires.

mod support;

use support::*;
use tenure_domain::jiff::civil::date;
use tenure_domain::*;

#[test]
fn new_hire_opens_complete_it_setup_and_emails_onboarding_champions() {
    let mut world = World::new();
    let plan = world.sync("2025-03-03T15:00:00Z", &[ann()]);

    assert_eq!(
        kinds(&plan),
        names(&[
            "create employee",
            "task Complete IT Setup",
            "email olive@acme.test,omar@acme.test",
        ])
    );
    assert_eq!(
        plan.jobs().count(),
        0,
        "apps wait for the champion's Complete IT Setup decision"
    );
    let ann = world.employee("100");
    assert_eq!(
        ann.status,
        EmployeeStatus::Pending,
        "pending until the start date"
    );
    assert_eq!(ann.start_date, Some(date(2025, 3, 10)));

    let setup = task_of(&plan, "Complete IT Setup");
    assert_eq!(
        setup.assignees,
        vec![UserId::new("olive"), UserId::new("omar")]
    );
    assert_eq!(setup.employee.name, "Ann Lee");
    assert_eq!(ann.onboarding.as_ref(), Some(&setup.id));
    let TaskKind::CompleteItSetup { grants, rehire, .. } = &setup.kind else {
        panic!("not a setup task")
    };
    assert!(!rehire);
    assert_eq!(grants.applications, apps(&["github", "notion", "slack"]));
    assert!(grants.external_groups.contains(&okta("Engineers")));

    let email = plan
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::Notify {
                message:
                    NotificationKind::NewHire {
                        employee,
                        work_email,
                        start_date,
                        ..
                    },
                ..
            } => Some((employee.name.clone(), work_email.clone(), *start_date)),
            _ => None,
        })
        .expect("a new-hire email");
    assert_eq!(
        email,
        (
            "Ann Lee".to_string(),
            "ann.lee@acme.test".to_string(),
            Some(date(2025, 3, 10))
        )
    );

    assert!(
        plan.audit
            .iter()
            .any(|a| a.action == AuditAction::EmployeeCreated
                && a.actor
                    == Actor::HrSync {
                        source: PluginId::new(SOURCE)
                    })
    );
}

#[test]
fn new_hire_is_active_once_the_start_date_has_come_or_hr_says_active() {
    let cases = [
        // (status, start date, expected)
        (
            RawStatus::Pending,
            Some("2025-03-10"),
            EmployeeStatus::Pending,
        ),
        (
            RawStatus::Pending,
            Some("2025-03-03"),
            EmployeeStatus::Active,
        ),
        (
            RawStatus::Active,
            Some("2025-03-10"),
            EmployeeStatus::Active,
        ),
        (RawStatus::Pending, None, EmployeeStatus::Pending),
    ];
    for (status, start, expected) in cases {
        let mut world = World::new();
        let hire = RawHrRecord {
            status: status.clone(),
            start_date: start.map(Into::into),
            ..ann()
        };
        world.sync("2025-03-03T15:00:00Z", &[hire]);
        assert_eq!(
            world.employee("100").status,
            expected,
            "{status:?} starting {start:?}"
        );
    }
}

#[test]
fn pending_hire_becomes_active_on_the_start_date() {
    let mut world = World::new();
    world.sync("2025-03-03T15:00:00Z", &[ann()]);
    assert!(
        world.due("2025-03-10T04:59:00Z").is_empty(),
        "still March 9 in Chicago"
    );
    let started = world.due("2025-03-10T05:00:00Z");
    assert_eq!(kinds(&started), names(&["update employee"]));
    assert_eq!(started.audit[0].action, AuditAction::EmployeeStarted);
    assert_eq!(world.employee("100").status, EmployeeStatus::Active);
    assert!(world.due("2025-03-10T05:00:00Z").is_empty());
}

#[test]
fn pre_hire_is_merged_by_work_email_case_insensitively_keeping_its_tasks() {
    let mut world = World::new();
    let pre_hire = PreHire {
        profile: Profile {
            work_email: "Ann.Lee@ACME.test".into(),
            given_name: "Ann".into(),
            family_name: "Lee".into(),
            department: Some("Engineering".into()),
            ..Profile::default()
        },
        start_date: Some(date(2025, 3, 10)),
    };
    let added = world.run("2025-03-01T15:00:00Z", |known, ctx| {
        add_pre_hire(known, pre_hire, &UserId::new("admin"), ctx).unwrap()
    });
    world.known.apply(&added);
    let pre = world.known.employees.values().next().unwrap().clone();
    assert!(pre.is_pre_hire());
    let setup_task = pre
        .onboarding
        .clone()
        .expect("the pre-hire has its setup task");
    let tasks_before = world.known.tasks.len();

    let plan = world.sync(
        "2025-03-03T15:00:00Z",
        &[RawHrRecord {
            work_email: Some("ann.lee@acme.test".into()),
            title: Some("Engineer".into()),
            ..ann()
        }],
    );

    assert_eq!(
        kinds(&plan),
        names(&["merge pre-hire"]),
        "no second onboarding"
    );
    let merged = world.employee("100");
    assert_eq!(merged.id, pre.id, "keeps its id");
    assert_eq!(
        merged.onboarding,
        Some(setup_task.clone()),
        "keeps its task"
    );
    assert_eq!(world.known.tasks.len(), tasks_before);
    assert!(world.known.tasks.contains_key(&setup_task));
    assert_eq!(world.known.employees.len(), 1, "never a duplicate");
    let Effect::MergePreHire {
        source, changes, ..
    } = &plan.effects[0]
    else {
        unreachable!()
    };
    assert_eq!(source.source_id, "100");
    assert!(changes.iter().any(|c| c.field == "title"));
    assert_eq!(plan.audit[0].action, AuditAction::PreHireMerged);
    assert!(
        world
            .known
            .audit
            .iter()
            .filter(|a| a.subject == Subject::Employee { id: pre.id.clone() })
            .count()
            >= 2,
        "history of the pre-hire and of the merge under one id"
    );
}

#[test]
fn first_sync_imports_long_employed_staff_and_former_employees_without_tasks() {
    let mut world = World::new();
    let veteran = RawHrRecord {
        status: RawStatus::Active,
        start_date: Some("2019-05-01".into()),
        ..record("1", "vera@acme.test", "Vera", "Long")
    };
    let former = RawHrRecord {
        status: RawStatus::Inactive,
        start_date: Some("2018-01-01".into()),
        termination_date: Some("2022-06-30".into()),
        ..record("2", "fred@acme.test", "Fred", "Gone")
    };
    let plan = world.sync("2025-03-03T15:00:00Z", &[veteran, former]);

    assert_eq!(kinds(&plan), names(&["create employee", "create employee"]));
    let vera = world.employee("1");
    assert_eq!(vera.status, EmployeeStatus::Active);
    assert!(
        vera.access
            .grants
            .applications
            .contains(&AppId::new("github")),
        "access is known, so offboarding revokes it"
    );
    let fred = world.employee("2");
    assert_eq!(fred.status, EmployeeStatus::Terminated);
    assert_eq!(
        fred.termination.unwrap().offboarding,
        Offboarding::NotNeeded
    );
    assert_eq!(
        plan.audit.iter().map(|a| a.action).collect::<Vec<_>>(),
        vec![
            AuditAction::ExistingEmployeeImported,
            AuditAction::FormerEmployeeImported
        ]
    );
}

#[test]
fn rehire_reactivates_the_same_employee_with_new_onboarding() {
    let mut world = World::new();
    world.sync(
        "2025-03-03T15:00:00Z",
        &[RawHrRecord {
            status: RawStatus::Active,
            start_date: Some("2024-01-08".into()),
            ..ann()
        }],
    );
    world.sync(
        "2025-03-03T15:00:00Z",
        &[RawHrRecord {
            status: RawStatus::Inactive,
            start_date: Some("2024-01-08".into()),
            termination_date: Some("2025-03-03".into()),
            ..ann()
        }],
    );
    let gone = world.employee("100");
    assert_eq!(gone.status, EmployeeStatus::Terminated);
    assert!(gone.access.grants.is_empty());

    let back = RawHrRecord {
        status: RawStatus::Pending,
        start_date: Some("2025-09-01".into()),
        // HR keeps the old termination date; it belongs to the earlier employment.
        termination_date: Some("2025-03-03".into()),
        department: Some("Design".into()),
        ..ann()
    };
    let plan = world.sync("2025-08-20T15:00:00Z", &[back]);

    assert_eq!(kinds(&plan)[0], "update employee");
    assert!(
        !kinds(&plan).contains(&"create employee".to_string()),
        "never a duplicate"
    );
    assert_eq!(world.known.employees.len(), 1);
    let rehired = world.employee("100");
    assert_eq!(rehired.id, gone.id);
    assert_eq!(rehired.status, EmployeeStatus::Pending);
    assert_eq!(rehired.start_date, Some(date(2025, 9, 1)));
    assert_eq!(rehired.termination, None);
    let setup = task_of(&plan, "Complete IT Setup");
    assert!(matches!(
        setup.kind,
        TaskKind::CompleteItSetup { rehire: true, .. }
    ));
    assert_ne!(rehired.onboarding, gone.onboarding, "a new onboarding");
    assert_eq!(rehired.onboarding.as_ref(), Some(&setup.id));
    assert!(
        rehired
            .access
            .grants
            .applications
            .contains(&AppId::new("figma"))
    );
    assert_eq!(plan.audit[0].action, AuditAction::EmployeeRehired);
}

#[test]
fn employed_again_without_a_new_start_date_is_quarantined() {
    let mut world = World::new();
    let employed = RawHrRecord {
        status: RawStatus::Active,
        start_date: Some("2024-01-08".into()),
        ..ann()
    };
    world.sync("2025-03-03T15:00:00Z", std::slice::from_ref(&employed));
    world.sync(
        "2025-03-03T15:00:00Z",
        &[RawHrRecord {
            status: RawStatus::Inactive,
            termination_date: Some("2025-03-03".into()),
            ..employed.clone()
        }],
    );
    let plan = world.sync("2025-03-05T15:00:00Z", &[employed]);
    assert!(plan.is_empty());
    let id = world.employee("100").id;
    assert_eq!(
        plan.quarantined[0].reason.to_string(),
        format!(
            "HR lists Ann Lee ({id}) as employed, but Tenure offboarded them on 2025-03-03; \
             a rehire needs a start date after that day"
        )
    );
}
