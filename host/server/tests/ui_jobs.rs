//! Settings → Jobs and the pages that show what connectors did: a connector that is not
//! installed fails into a manual task, one without settings waits (paused) with a
//! banner, Retry and Cancel do what they say, and pages never call either automatic.

mod common;

use common::ui_client::{Reply, Ui, champion, with_flash};
use reqwest::StatusCode;
use std::time::{Duration, Instant};
use tenure_domain::{AppId, Application, Catalog, Champions, PluginId};

fn app(id: &str, connector: &str) -> Application {
    Application {
        id: AppId(id.into()),
        name: id.to_uppercase(),
        connector: Some(PluginId(connector.into())),
        champions: vec![],
        provisioning: Default::default(),
    }
}

/// The first `/settings/jobs/<id>/<action>` form on the page after `after`.
fn job_action(page: &Reply, after: &str, action: &str) -> String {
    let from = page.body.find(after).expect("the section");
    page.body[from..]
        .split("action=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .find(|path| path.starts_with("/settings/jobs/") && path.ends_with(action))
        .unwrap_or_else(|| panic!("no {action} form after {after}"))
        .to_string()
}

async fn jobs_page_until(ui: &Ui, session: &str, needle: &str) -> Reply {
    let started = Instant::now();
    loop {
        let page = ui.get("/settings/jobs", Some(session)).await;
        if page.body.contains(needle) {
            return page;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "`{needle}` never on the jobs page:\n{}",
            page.body
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_fail_into_tasks_wait_for_settings_and_can_be_retried_or_cancelled() {
    let ui = Ui::start().await;
    ui.add_user("ada", true);
    let session = ui.sign_in("ada").await;
    ui.set_catalog(
        Catalog {
            champions: Champions {
                onboarding: vec![champion("ada")],
                hardware: vec![champion("ada")],
                default_application: vec![champion("ada")],
            },
            // `ghost` is no plugin; microsoft365 is bundled but has no settings here.
            applications: vec![app("ghost", "ghost"), app("m365", "microsoft365")],
            ..Catalog::default()
        },
        "ada",
    )
    .await;
    let added = ui.add_pre_hire(&session, "Nia", "nia.new@acme.test").await;
    let task = added.location().to_string();
    let form = ui.get(&task, Some(&session)).await;
    assert!(
        form.body
            .contains("queued for microsoft365, which waits for its settings"),
        "{}",
        form.body
    );
    assert!(form.body.contains("manual task (ghost is not installed)"));
    assert!(
        !form.body.contains("automatic ("),
        "nothing here is automatic"
    );
    let csrf = form.csrf();
    let done = ui
        .post(
            &format!("{task}/setup"),
            Some(&session),
            &[
                ("csrf", &csrf),
                ("app", "ghost"),
                ("app", "m365"),
                ("needs_hardware", "no"),
                ("accounts_now", "on"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);

    // The missing connector gives up into a manual task; the unset one waits, paused.
    let page = jobs_page_until(&ui, &session, "the connector ghost is not installed").await;
    assert!(page.body.contains("Connectors paused"), "{}", page.body);
    assert!(page.body.contains("waiting: connector paused"));
    let employee = ui
        .state
        .engine
        .read(|k| k.employees.values().next().unwrap().id.clone())
        .await;
    let profile = ui
        .get(&format!("/employees/{employee}"), Some(&session))
        .await;
    assert!(
        profile.body.contains("waiting for a person to grant it"),
        "{}",
        profile.body
    );
    assert!(profile.body.contains("requested (via microsoft365)"));
    let tasks = ui.get("/tasks", Some(&session)).await;
    assert!(
        tasks.body.contains("Grant access to GHOST"),
        "{}",
        tasks.body
    );

    // Retry the failed one: queued again, and it fails again the same way.
    let retry = job_action(&page, "Failed and cancelled", "/retry");
    let r = ui
        .post(&retry, Some(&session), &[("csrf", &page.csrf())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let flashed = ui
        .get("/settings/jobs", Some(&with_flash(&r, &session)))
        .await;
    assert!(flashed.body.contains("Queued again."), "{}", flashed.body);

    // Cancel the waiting one: it ends, and the employee's page says so.
    let page = ui.get("/settings/jobs", Some(&session)).await;
    let cancel = job_action(&page, "Waiting and running", "/cancel");
    let r = ui
        .post(&cancel, Some(&session), &[("csrf", &page.csrf())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = jobs_page_until(&ui, &session, "cancelled by ada").await;
    assert!(page.body.contains("cancelled by ada"));
    let profile = ui
        .get(&format!("/employees/{employee}"), Some(&session))
        .await;
    assert!(
        profile.body.contains("the job was cancelled by ada"),
        "{}",
        profile.body
    );
}
