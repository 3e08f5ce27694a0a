//! Rendering checks that need no browser: what each role sees, what a form preselects,
//! and that text from HR is escaped.

use std::collections::BTreeSet;

use tenure_domain::jiff::Timestamp;
use tenure_domain::*;

use super::task_forms::{ConnectorState, TaskPage, task_page};
use super::tasks::{Scope, TaskList, my_tasks};
use crate::Chrome;

fn chrome(admin: bool) -> Chrome {
    Chrome {
        user_name: "Ada".into(),
        admin,
        sees_employees: true,
        csrf: "tok".into(),
        ..Chrome::default()
    }
}

fn catalog() -> Catalog {
    let app = |id: &str, name: &str, connector: Option<&str>| Application {
        id: AppId(id.into()),
        name: name.into(),
        connector: connector.map(|c| PluginId(c.into())),
        champions: vec![],
        provisioning: Default::default(),
    };
    Catalog {
        rules: vec![Rule {
            group: GroupRef::Department("Engineering".into()),
            applications: vec![AppId("github".into())],
            external_groups: vec![],
        }],
        applications: vec![
            app("github", "GitHub", Some("okta")),
            app("figma", "Figma", None),
        ],
        ..Catalog::default()
    }
}

fn employee(name: &str) -> Employee {
    Employee {
        id: EmployeeId("E-1".into()),
        source: None,
        profile: Profile {
            work_email: "x@acme.test".into(),
            given_name: name.into(),
            family_name: "Lee".into(),
            department: Some("Engineering".into()),
            ..Profile::default()
        },
        status: EmployeeStatus::Pending,
        start_date: None,
        termination: None,
        onboarding: None,
        access: Access {
            groups: [GroupRef::Department("Engineering".into())]
                .into_iter()
                .collect(),
            grants: Grants {
                applications: BTreeSet::from([AppId("github".into())]),
                external_groups: BTreeSet::new(),
            },
        },
        adjustments: Adjustments::default(),
    }
}

fn task(kind: TaskKind, e: &Employee) -> Task {
    Task {
        id: TaskId("T-1".into()),
        kind,
        employee: e.reference(),
        assignees: vec![],
        opened_at: Timestamp::UNIX_EPOCH,
        state: TaskState::Open,
        decision: None,
    }
}

#[test]
fn settings_link_only_for_admins_and_every_form_carries_the_csrf_token() {
    let list = || TaskList {
        scope: Scope::Mine,
        page: 0,
        per_page: 50,
        total: 0,
        tasks: vec![],
    };
    let admin = my_tasks(&chrome(true), list());
    assert!(admin.contains("href=\"/settings\""));
    assert!(admin.contains("Show everyone"));
    let champion = my_tasks(&chrome(false), list());
    assert!(!champion.contains("href=\"/settings\""));
    assert!(!champion.contains("Show everyone"));
    assert!(
        champion.contains("name=\"csrf\" value=\"tok\""),
        "the sign-out form"
    );
}

#[test]
fn setup_preselects_what_the_rules_grant_and_says_why() {
    let e = employee("<script>Ann");
    let kind = TaskKind::CompleteItSetup {
        start_date: None,
        grants: e.access.grants.clone(),
        rehire: false,
    };
    let html = task_page(
        &chrome(false),
        TaskPage {
            task: task(kind, &e),
            employee: e,
            catalog: catalog(),
            related: vec![],
            error: Some("that & this".into()),
            show_addresses: false,
            access: vec![],
            connectors: [("okta".to_string(), ConnectorState::NotConfigured)].into(),
            hardware: Default::default(),
            prefill: Default::default(),
        },
    );
    assert!(
        html.contains("id=\"app-github\" name=\"app\" value=\"github\" checked"),
        "{html}"
    );
    assert!(!html.contains("value=\"figma\" checked"));
    assert!(html.contains("suggested by Department Engineering"));
    assert!(
        html.contains("queued for okta, which waits for its settings")
            && html.contains("manual task"),
        "a connector without settings is not called automatic"
    );
    assert!(html.contains("&lt;script&gt;Ann") && !html.contains("<script>"));
    assert!(html.contains("that &amp; this"));
}

#[test]
fn group_change_defaults_follow_the_new_rules() {
    let e = employee("Ann");
    let before = Grants {
        applications: BTreeSet::from([AppId("github".into())]),
        external_groups: BTreeSet::new(),
    };
    let after = Grants {
        applications: BTreeSet::from([AppId("figma".into())]),
        external_groups: BTreeSet::new(),
    };
    let change = GroupChange::new(
        vec![GroupRef::Department("Engineering".into())],
        vec![GroupRef::Department("Design".into())],
        before,
        after,
    );
    let html = task_page(
        &chrome(true),
        TaskPage {
            task: task(
                TaskKind::GroupChange {
                    change: Box::new(change),
                },
                &e,
            ),
            employee: e,
            catalog: catalog(),
            related: vec![],
            error: None,
            show_addresses: false,
            access: vec![],
            connectors: Default::default(),
            hardware: Default::default(),
            prefill: Default::default(),
        },
    );
    assert!(
        html.contains("name=\"choice.github\" value=\"remove\" checked"),
        "{html}"
    );
    assert!(html.contains("name=\"choice.figma\" value=\"grant\" checked"));
    assert!(html.contains("no rule of the new groups grants it"));
}
