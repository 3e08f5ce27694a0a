//! Work email end to end through the real `tenure` binary, its bundled `microsoft365`
//! and `google-workspace` plugins, the fakes of Microsoft Graph and Google's Admin SDK,
//! and a real SMTP server: accounts appear once each with their licence and first
//! password, vanish on offboarding, survive flaky vendors, refused credentials and a
//! killed process.

mod common;

use common::running::Tenure;
use common::{Smtp, delivered, start_smtp};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tenure_domain::jiff::Timestamp;
use tenure_fakes::ServerHandle;
use tenure_fakes::google::{FakeGoogle, GoogleUser, TEST_SERVICE_ACCOUNT_JSON};
use tenure_fakes::graph::{ENTERPRISEPACK, FakeGraph};
use tenure_fakes::merge::{FakeMerge, MergeEmployee};

const TENANT: &str = "acme-tenant";
const GRAPH_CLIENT: &str = "graph-client";
const GRAPH_SECRET: &str = "graph-secret";
const ADMIN: &str = "admin@acme.test";

struct Vendors {
    graph: FakeGraph,
    google: FakeGoogle,
    graph_origin: String,
    google_origin: String,
    _servers: (ServerHandle, ServerHandle),
}

/// The fakes (failing `faults` of the calls; at most `per_second` requests a second
/// each when set) and the configuration that connects Tenure to them.
async fn vendors(
    faults: f64,
    per_second: Option<u32>,
    graph_secret_in_config: &str,
) -> (Vendors, String) {
    tenure_runtime::install_crypto_provider();
    let mut graph = FakeGraph::new(TENANT, GRAPH_CLIENT, GRAPH_SECRET)
        .with_faults(faults)
        .with_fault_seed(7);
    let mut google = FakeGoogle::new("acme.test", ADMIN)
        .with_faults(faults)
        .with_fault_seed(11);
    if let Some(n) = per_second {
        graph = graph.with_rate_limit(n, Duration::from_secs(1));
        google = google.with_rate_limit(n, Duration::from_secs(1));
    }
    let (graph_origin, g1) = graph.clone().serve(0).await.unwrap();
    let (google_origin, g2) = google.clone().serve(0).await.unwrap();
    let key = TEST_SERVICE_ACCOUNT_JSON.replace('\'', "");
    let config = format!(
        "[integrations.microsoft365]\ntenant_id = \"{TENANT}\"\nclient_id = \"{GRAPH_CLIENT}\"\n\
         client_secret = \"{graph_secret_in_config}\"\nlogin_url = \"{graph_origin}\"\n\
         graph_url = \"{graph_origin}\"\nusage_location_default = \"US\"\n\n\
         [integrations.google-workspace]\nservice_account_key = '''{key}'''\n\
         admin_email = \"{ADMIN}\"\ntoken_url = \"{google_origin}/token\"\napi_url = \"{google_origin}\"\n\n\
         [jobs]\nfirst_backoff_secs = 1\nmax_backoff_secs = 4\npoll_millis = 200\nmax_attempts = 30\n"
    );
    (
        Vendors {
            graph,
            google,
            graph_origin,
            google_origin,
            _servers: (g1, g2),
        },
        config,
    )
}

fn catalog() -> Value {
    let champion =
        |user: &str| json!({"user": user, "name": user, "email": format!("{user}@acme.test")});
    json!({
        "champions": {
            "onboarding": [champion("ona")],
            "hardware": [champion("hal")],
            "default_application": [champion("dana")]
        },
        "applications": [
            {"id": "m365", "name": "Microsoft 365", "connector": "microsoft365",
             "provisioning": {"entitlements": [ENTERPRISEPACK], "credential": "temporary_password",
                              "remove_entitlements": true}},
            {"id": "gws", "name": "Google Workspace", "connector": "google-workspace",
             "provisioning": {"credential": "temporary_password", "transfer_data_to_manager": true}}
        ],
        "rules": []
    })
}

/// Adds a pre-hire starting today and confirms Complete IT Setup with both apps, now.
async fn hire(t: &Tenure, given: &str, family: &str) -> String {
    let email = format!("{}.{}@acme.test", given, family).to_lowercase();
    t.call(
        "POST",
        "/employees",
        Some(json!({
            "given_name": given, "family_name": family, "work_email": email,
            "personal_email": format!("{}@home.test", given.to_lowercase()),
        })),
    )
    .await;
    let id = t.find(&email).await["id"].as_str().unwrap().to_string();
    let setup = t
        .tasks(&format!("employee={id}&kind=complete_it_setup&state=open"))
        .await;
    let task = setup[0]["id"].as_str().unwrap();
    t.call(
        "POST",
        &format!("/tasks/{task}/decision"),
        Some(json!({"decision": "setup", "applications": ["m365", "gws"], "accounts_now": true})),
    )
    .await;
    id
}

/// Waits until every access record of `id` is in `state` (both apps), up to `secs`.
async fn access_becomes(t: &Tenure, id: &str, state: &str, secs: u64) -> Value {
    records_become(t, id, 2, state, secs).await
}

/// Waits until `id` has `n` access records, all in `state`, up to `secs`.
async fn records_become(t: &Tenure, id: &str, n: usize, state: &str, secs: u64) -> Value {
    let started = Instant::now();
    loop {
        let a = t.get(&format!("/employees/{id}/access")).await;
        let records = a["access"].as_array().unwrap();
        if records.len() == n && records.iter().all(|r| r["state"]["state"] == state) {
            return a;
        }
        assert!(
            started.elapsed() < Duration::from_secs(secs),
            "access never became {state}: {a:#}\njobs: {:#}",
            t.get("/jobs?state=all").await
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn mails_to(smtp: &Smtp, to: &str) -> Vec<String> {
    delivered(smtp)
        .into_iter()
        .filter(|m| m.contains(&format!("To: {to}")))
        .collect()
}

fn password_in(mail: &str) -> String {
    let line = mail
        .lines()
        .find(|l| l.starts_with("Temporary password: "))
        .unwrap_or_else(|| panic!("no password line in {mail}"));
    line["Temporary password: ".len()..].trim().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_hire_gets_one_account_in_each_and_loses_them_on_offboarding() {
    let smtp = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    let (v, config) = vendors(0.0, None, GRAPH_SECRET).await;
    let t = Tenure::start(dir.path(), &config, &smtp);
    t.call("PUT", "/catalog", Some(catalog())).await;

    let id = hire(&t, "Ada", "Lovelace").await;
    let access = access_becomes(&t, &id, "active", 60).await;
    assert!(
        access["access"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["account_id"].is_string()),
        "{access}"
    );

    // Exactly one account in each, with its licence and a password to change.
    assert_eq!(v.graph.user_count(), 1);
    let user = v
        .graph
        .user("ada.lovelace@acme.test")
        .expect("the Entra user");
    assert!(user.account_enabled);
    assert_eq!(user.usage_location.as_deref(), Some("US"));
    assert_eq!(user.license_sku_ids(), vec![ENTERPRISEPACK.to_string()]);
    assert!(user.force_change_password_next_sign_in);
    let gws = v
        .google
        .user("ada.lovelace@acme.test")
        .expect("the Google user");
    assert!(!gws.suspended && gws.change_password_at_next_login);

    // The first passwords reached the personal address, and they are the ones set.
    let started = Instant::now();
    let mails = loop {
        let m = mails_to(&smtp, "ada@home.test");
        if m.len() >= 2 || started.elapsed() > Duration::from_secs(20) {
            break m;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(mails.len(), 2, "{mails:#?}");
    let passwords: Vec<String> = mails.iter().map(|m| password_in(m)).collect();
    assert!(passwords.contains(&user.password));
    assert!(passwords.contains(&gws.password));
    let log = t.server.log_text();
    for p in &passwords {
        assert!(!log.contains(p.as_str()), "a password reached the log");
    }

    // Offboarding now; confirming it revokes.
    t.call("POST", &format!("/employees/{id}/offboard"), None)
        .await;
    let task = t
        .tasks(&format!("employee={id}&kind=offboard_employee&state=open"))
        .await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    t.call(
        "POST",
        &format!("/tasks/{task}/decision"),
        Some(json!({"decision": "offboard", "retrieval": {"method": "keep"}, "mdm": "none"})),
    )
    .await;
    access_becomes(&t, &id, "revoked", 60).await;
    let user = v.graph.user("ada.lovelace@acme.test").unwrap();
    assert!(!user.account_enabled);
    assert_eq!(user.revoke_sign_in_sessions_count, 1);
    assert!(user.license_sku_ids().is_empty(), "licence removed");
    let gws = v.google.user("ada.lovelace@acme.test").unwrap();
    assert!(gws.suspended);
    assert_eq!(gws.sign_out_count, 1);
    assert_eq!(v.graph.user_count(), 1, "still one account");
    let _ = (&v.graph_origin, &v.google_origin);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vendors_failing_a_third_of_calls_still_end_with_one_account_each() {
    let smtp = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    let (v, config) = vendors(0.3, None, GRAPH_SECRET).await;
    let t = Tenure::start(dir.path(), &config, &smtp);
    t.call("PUT", "/catalog", Some(catalog())).await;
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(hire(&t, "Flaky", &format!("Person{n}")).await);
    }
    for id in &ids {
        access_becomes(&t, id, "active", 300).await;
    }
    assert_eq!(v.graph.user_count(), 5);
    assert_eq!(v.google.user_count(), 6, "five and the admin");
    assert!(v.graph.faults_injected() > 0 && v.google.faults_injected() > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_credentials_pause_the_connector_until_its_settings_are_fixed() {
    let smtp = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    let (v, config) = vendors(0.0, None, "a-wrong-secret").await;
    let t = Tenure::start(dir.path(), &config, &smtp);
    t.call("PUT", "/catalog", Some(catalog())).await;
    let id = hire(&t, "Pat", "Paused").await;
    let started = Instant::now();
    let parked = loop {
        let jobs = t.get("/jobs").await;
        if jobs["parked"].as_array().is_some_and(|p| !p.is_empty()) {
            break jobs["parked"].clone();
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "never parked: {jobs:#}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(parked[0]["connector"], "microsoft365", "{parked}");
    assert_eq!(v.graph.user_count(), 0);
    // Google goes ahead (its job may still be running when Microsoft parks); Microsoft's
    // job waits, queued, not failed.
    let waiting = loop {
        let waiting = t.get("/jobs?state=unfinished").await;
        if waiting["jobs"].as_array().unwrap().len() == 1 {
            break waiting;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "Google's job never finished: {waiting:#}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let job = &waiting["jobs"][0];
    assert_eq!(job["intent"]["connector"], "microsoft365", "{waiting:#}");
    assert_eq!(job["state"]["state"], "queued", "{waiting:#}");

    t.call(
        "PUT",
        "/plugins/microsoft365/settings",
        Some(json!({"settings": {"client_secret": GRAPH_SECRET}})),
    )
    .await;
    access_becomes(&t, &id, "active", 60).await;
    assert_eq!(v.graph.user_count(), 1);
    assert!(
        t.get("/jobs").await["parked"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_batch_and_restarted_each_vendor_holds_exactly_one_account_per_hire() {
    const HIRES: usize = 100;
    let smtp = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    // Slow vendors, so that the kill lands in the middle of the batch.
    let (v, config) = vendors(0.0, Some(20), GRAPH_SECRET).await;
    let mut t = Tenure::start(dir.path(), &config, &smtp);
    t.call("PUT", "/catalog", Some(catalog())).await;
    for n in 0..HIRES {
        hire(&t, "Batch", &format!("P{n:03}")).await;
    }
    // Kill -9 while the accounts are being made.
    let started = Instant::now();
    while v.graph.user_count() + v.google.user_count() < 20 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no progress before the kill"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    t.kill_hard();
    let made = (v.graph.user_count(), v.google.user_count() - 1);
    assert!(
        made.0 < HIRES || made.1 < HIRES,
        "killed too late to prove anything: {made:?}"
    );
    t.restart();
    let started = Instant::now();
    loop {
        let waiting = t.get("/jobs?state=unfinished").await["jobs"]
            .as_array()
            .unwrap()
            .len();
        if waiting == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(240),
            "{waiting} jobs still waiting"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(v.graph.user_count(), HIRES);
    assert_eq!(v.google.user_count(), HIRES + 1, "and the admin");
    let failed = t.get("/jobs?state=failed").await;
    assert!(failed["jobs"].as_array().unwrap().is_empty(), "{failed:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leavers_drive_is_handed_to_the_manager_hr_names() {
    let smtp = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    let (v, config) = vendors(0.0, None, GRAPH_SECRET).await;
    // HR (the Merge fake): a manager of long standing, and a new hire reporting to her.
    let merge = FakeMerge::new("key", "acct");
    let mia = merge.add_employee(MergeEmployee {
        first_name: Some("Mia".into()),
        last_name: Some("Manager".into()),
        work_email: Some("mia.manager@acme.test".into()),
        employment_status: Some("ACTIVE".into()),
        start_date: Some("2020-01-06T00:00:00Z".into()),
        ..MergeEmployee::default()
    });
    merge.add_employee(MergeEmployee {
        first_name: Some("Leo".into()),
        last_name: Some("Leaver".into()),
        work_email: Some("leo.leaver@acme.test".into()),
        personal_email: Some("leo@home.test".into()),
        employment_status: Some("ACTIVE".into()),
        start_date: Some(format!(
            "{}T00:00:00Z",
            Timestamp::now().strftime("%Y-%m-%d")
        )),
        manager: Some(mia),
        ..MergeEmployee::default()
    });
    let (merge_origin, _merge_server) = merge.serve(0).await.unwrap();
    let mia_google = v.google.add_user(GoogleUser {
        primary_email: "mia.manager@acme.test".into(),
        given_name: "Mia".into(),
        family_name: "Manager".into(),
        ..GoogleUser::default()
    });
    let config = format!(
        "{config}\n[integrations.merge-hris]\nbase_url = \"{merge_origin}\"\napi_key = \"key\"\naccount_token = \"acct\"\n"
    );
    let t = Tenure::start(dir.path(), &config, &smtp);
    t.call("PUT", "/catalog", Some(catalog())).await;
    t.sync().await;
    let id = t.find("leo.leaver").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let setup = t
        .tasks(&format!("employee={id}&kind=complete_it_setup&state=open"))
        .await;
    let task = setup[0]["id"].as_str().unwrap();
    t.call(
        "POST",
        &format!("/tasks/{task}/decision"),
        Some(json!({"decision": "setup", "applications": ["gws"], "accounts_now": true})),
    )
    .await;
    records_become(&t, &id, 1, "active", 60).await;
    let leo_google = v.google.user("leo.leaver@acme.test").unwrap().id;

    t.call("POST", &format!("/employees/{id}/offboard"), None)
        .await;
    let task = t
        .tasks(&format!("employee={id}&kind=offboard_employee&state=open"))
        .await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    t.call(
        "POST",
        &format!("/tasks/{task}/decision"),
        Some(json!({"decision": "offboard", "retrieval": {"method": "keep"}, "mdm": "none"})),
    )
    .await;
    let access = records_become(&t, &id, 1, "revoked", 60).await;
    let transfers = v.google.transfers();
    assert_eq!(transfers.len(), 1, "{transfers:?}");
    assert_eq!(transfers[0].old_owner_user_id, leo_google);
    assert_eq!(transfers[0].new_owner_user_id, mia_google);
    let note = access["access"][0]["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()["note"]
        .to_string();
    assert!(note.contains("mia.manager@acme.test"), "{note}");
    let leo = v.google.user("leo.leaver@acme.test").unwrap();
    assert!(leo.suspended && leo.sign_out_count == 1);
}
