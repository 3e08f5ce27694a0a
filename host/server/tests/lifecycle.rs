//! HR sync end to end, in process: the fake Merge → merge-hris → planner → redb →
//! REST API and email (a real SMTP server).

mod common;

use common::{start_smtp, wait_for_mail};
use serde_json::Value;
use tenure::app::AppState;
use tenure::config::Config;
use tenure::email::{EmailConfig, Security};
use tenure_domain::{Catalog, Champion, Champions, UserId};
use tenure_fakes::merge::{FakeMerge, MergeEmployee};

const KEY: &str = "k";
const ACCOUNT: &str = "a";

struct World {
    fake: FakeMerge,
    state: AppState,
    smtp: common::Smtp,
    _fake_server: tenure_fakes::ServerHandle,
    _dir: tempfile::TempDir,
}

async fn world(employees: usize) -> World {
    tenure_runtime::install_crypto_provider();
    let fake = FakeMerge::new(KEY, ACCOUNT).with_employees(employees);
    let (origin, fake_server) = fake.clone().serve(0).await.unwrap();
    let smtp = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    config.server.data_dir = dir.path().join("data");
    // The fake HR system listens on loopback, over plain http.
    config.runtime.allow_local_http = true;
    config.email = EmailConfig {
        smtp_host: "127.0.0.1".into(),
        smtp_port: smtp.port,
        security: Security::None,
        from: "Tenure <tenure@example.com>".into(),
        public_url: "http://tenure.test".into(),
        ..EmailConfig::default()
    };
    {
        let store = tenure::app::open_store(&config.server.data_dir).unwrap();
        store
            .set_catalog(&Catalog {
                champions: Champions {
                    onboarding: vec![Champion {
                        user: UserId("u-ona".into()),
                        name: "Ona Board".into(),
                        email: "ona@example.com".into(),
                    }],
                    ..Champions::default()
                },
                ..Catalog::default()
            })
            .unwrap();
        store
            .set_setting("merge-hris", "base_url", &origin)
            .unwrap();
        store.set_secret("merge-hris", "api_key", KEY).unwrap();
        store
            .set_secret("merge-hris", "account_token", ACCOUNT)
            .unwrap();
    }
    let state = AppState::build(&config, false).unwrap();
    World {
        fake,
        state,
        smtp,
        _fake_server: fake_server,
        _dir: dir,
    }
}

fn report(
    results: Vec<Result<tenure::lifecycle::SyncReport, String>>,
) -> tenure::lifecycle::SyncReport {
    assert_eq!(results.len(), 1);
    results.into_iter().next().unwrap().expect("sync succeeds")
}

fn new_hire(email: &str) -> MergeEmployee {
    MergeEmployee {
        first_name: Some("Nia".into()),
        last_name: Some("New".into()),
        work_email: Some(email.into()),
        employment_status: Some("PENDING".into()),
        start_date: Some("2099-01-04T00:00:00Z".into()),
        ..MergeEmployee::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_imports_staff_onboards_new_hires_and_quarantines_bad_records() {
    let w = world(30).await;
    w.fake.add_employee(new_hire("nia.new@example.com"));
    w.fake.add_employee(MergeEmployee {
        first_name: Some("No".into()),
        last_name: Some("Email".into()),
        employment_status: Some("ACTIVE".into()),
        ..MergeEmployee::default()
    });

    let r = report(w.state.sync_all().await);
    assert_eq!(r.records, 32);
    assert_eq!(r.quarantined, 1, "{r:?}");
    assert_eq!(r.created, 31, "{r:?}");

    let known = w.state.engine.snapshot().await;
    let nia = known
        .employees
        .values()
        .find(|e| e.profile.work_email == "nia.new@example.com")
        .expect("the new hire is stored");
    let setup: Vec<_> = known
        .tasks
        .values()
        .filter(|t| t.employee.id == nia.id)
        .collect();
    assert_eq!(setup.len(), 1);
    assert!(
        setup[0].title().contains("Complete IT Setup"),
        "{}",
        setup[0].title()
    );
    assert!(
        known.quarantine[0]
            .reason
            .to_string()
            .contains("no work email")
    );

    // The onboarding champion got the email, with a link to the task.
    let mails = wait_for_mail(&w.smtp, 1);
    let to_ona: Vec<_> = mails
        .iter()
        .filter(|m| m.contains("To: ona@example.com"))
        .collect();
    assert!(!to_ona.is_empty(), "{mails:?}");
    assert!(
        to_ona
            .iter()
            .any(|m| m.contains("Nia New") && m.contains("http://tenure.test/tasks/"))
    );

    // Nothing changed in HR: the next (incremental) sync creates nothing.
    let again = report(w.state.sync_all().await);
    assert_eq!(
        (again.created, again.changed, again.tasks_opened),
        (0, 0, 0),
        "{again:?}"
    );

    // One more hire arrives: exactly one more employee and task.
    w.fake.add_employee(new_hire("second@example.com"));
    let third = report(w.state.sync_all().await);
    assert_eq!((third.created, third.tasks_opened), (1, 1), "{third:?}");
    assert_eq!(w.state.engine.snapshot().await.employees.len(), 32);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_late_termination_opens_offboarding_at_once() {
    let w = world(0).await;
    let id = w.fake.add_employee(MergeEmployee {
        first_name: Some("Lee".into()),
        last_name: Some("Leaving".into()),
        work_email: Some("lee@example.com".into()),
        employment_status: Some("ACTIVE".into()),
        start_date: Some("2020-01-06T00:00:00Z".into()),
        ..MergeEmployee::default()
    });
    report(w.state.sync_all().await);
    // TriNet-style: the termination shows up days after the final day.
    w.fake.update_employee(&id, |e| {
        e.employment_status = Some("INACTIVE".into());
        e.termination_date = Some("2020-02-03T00:00:00Z".into());
    });
    let r = report(w.state.sync_all().await);
    assert_eq!(r.tasks_opened, 1, "{r:?}");
    let known = w.state.engine.snapshot().await;
    let task = known.tasks.values().next().unwrap();
    let json: Value = serde_json::to_value(task).unwrap();
    assert!(task.title().contains("Offboard"), "{}", task.title());
    assert!(json.to_string().contains("\"late\":true"), "{json}");
}

/// Serves the world's state on a free port; returns the base URL and an admin token.
async fn serve(w: &World) -> (String, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(tenure::http::serve(
        listener,
        w.state.clone(),
        std::future::pending(),
    ));
    let token = tenure::http::admin::create_token(
        &w.state.store,
        &tenure::http::admin::TokenCreate {
            name: "test".into(),
            role: tenure::http::api::Role::Admin,
        },
    )
    .unwrap()
    .token;
    (base, token)
}

async fn post(base: &str, token: &str, path: &str, body: Value) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pre_hire_added_by_hand_merges_with_the_hr_record_by_email() {
    let w = world(0).await;
    let (base, token) = serve(&w).await;
    let (status, body) = post(
        &base,
        &token,
        "/api/v1/employees",
        serde_json::json!({
            "given_name": "Pat", "family_name": "Early",
            "work_email": "Pat.Early@Example.com", "start_date": "2099-03-01"
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let known = w.state.engine.snapshot().await;
    assert_eq!(known.employees.len(), 1);
    let pre_hire_id = known.employees.keys().next().unwrap().clone();
    let tasks_before = known.tasks.len();
    assert_eq!(tasks_before, 1, "Complete IT Setup opened for the pre-hire");

    // HR catches up, with the email in another case.
    w.fake.add_employee(MergeEmployee {
        first_name: Some("Pat".into()),
        last_name: Some("Early".into()),
        work_email: Some("pat.early@example.com".into()),
        employment_status: Some("PENDING".into()),
        start_date: Some("2099-03-01T00:00:00Z".into()),
        ..MergeEmployee::default()
    });
    let r = report(w.state.sync_all().await);
    assert_eq!(
        (r.created, r.changed),
        (0, 1),
        "merged, not duplicated: {r:?}"
    );
    let known = w.state.engine.snapshot().await;
    assert_eq!(known.employees.len(), 1);
    let merged = &known.employees[&pre_hire_id];
    assert!(merged.source.is_some(), "now linked to HR");
    assert_eq!(
        known.tasks.len(),
        tasks_before,
        "its tasks are kept, none added"
    );

    // Same-day offboarding by hand.
    let (status, body) = post(
        &base,
        &token,
        &format!("/api/v1/employees/{}/offboard", pre_hire_id.0),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let known = w.state.engine.snapshot().await;
    assert!(known.tasks.values().any(|t| t.title().contains("Offboard")));
    let (status, body) = post(
        &base,
        &token,
        "/api/v1/employees/E-999/offboard",
        Value::Null,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"].as_str().unwrap().contains("E-999"), "{body}");

    // Every change is in the audit log.
    let audit = w.state.store.audit_log(100).unwrap();
    assert!(audit.len() >= 3, "{audit:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signed_merge_webhook_starts_a_sync_and_a_forged_one_is_refused() {
    use base64::Engine;
    use hmac::Mac;
    let w = world(3).await;
    w.state
        .store
        .set_secret("merge-hris", "webhook_signature_key", "whsec_test")
        .unwrap();
    let (base, _) = serve(&w).await;
    let body = r#"{"hook":{"id":"h1","event":"Employee.added","target":"x"},"linked_account":{},"data":{}}"#;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"whsec_test").unwrap();
    mac.update(body.as_bytes());
    let signature =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    let send = |sig: String| {
        reqwest::Client::new()
            .post(format!("{base}/webhooks/merge-hris"))
            .header("x-merge-webhook-signature", sig)
            .body(body)
            .send()
    };

    let forged = send("AAAA".into()).await.unwrap();
    assert_eq!(forged.status().as_u16(), 401);
    assert!(w.state.engine.snapshot().await.employees.is_empty());

    let ok = send(signature).await.unwrap();
    assert_eq!(ok.status().as_u16(), 202);
    let started = std::time::Instant::now();
    while w.state.engine.snapshot().await.employees.len() < 3 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the webhook's sync never landed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_that_fails_midway_resumes_from_its_last_page_and_creates_nothing_twice() {
    let w = world(250).await; // three pages of 100
    // The third request of the minute is refused: pages 1 and 2 commit, page 3 fails.
    w.fake.set_rate_limit_per_minute(2);
    let results = w.state.sync_all().await;
    let error = results[0].as_ref().expect_err("the sync stops at page 3");
    assert!(error.contains("reading merge-hris"), "{error}");
    let first_created = w.state.engine.snapshot().await.employees.len();
    let runs = w.state.store.sync_runs(None, 10).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!((runs[0].pages, runs[0].records), (2, 200), "{:?}", runs[0]);
    assert_eq!(runs[0].created, first_created);
    assert!(runs[0].finished.is_some() && runs[0].error.is_some());
    let stored = w.state.store.sync_state("merge-hris").unwrap();
    assert!(stored.cursor.is_some() && stored.full, "{stored:?}");

    // The next run reads only the page that failed, still as the full first read.
    w.fake.set_rate_limit_per_minute(0);
    let r = report(w.state.sync_all().await);
    assert_eq!(
        (r.pages, r.records, r.mode.as_str()),
        (1, 50, "full"),
        "{r:?}"
    );
    let known = w.state.engine.snapshot().await;
    assert_eq!(known.employees.len(), first_created + r.created);
    let emails: std::collections::BTreeSet<_> = known
        .employees
        .values()
        .map(|e| e.profile.email_key())
        .collect();
    assert_eq!(emails.len(), known.employees.len(), "nobody twice");
    let stored = w.state.store.sync_state("merge-hris").unwrap();
    assert!(stored.cursor.is_none() && stored.last_full.is_some());
}
