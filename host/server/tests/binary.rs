//! The real `tenure` binary: serve, health, metrics, config-file integrations with
//! encrypted secrets, online backup, graceful shutdown, plugin list and install.

use std::path::Path;
use std::process::Command;
use tenure_fakes::FakeMerge;

mod common;

use common::{BIN, Server};

fn tenure(data_dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("TENURE_SECRET_KEY")
        .output()
        .expect("tenure runs")
}

#[tokio::test(flavor = "multi_thread")]
async fn serves_health_metrics_and_a_connected_integration_from_the_config_file() {
    tenure_runtime::install_crypto_provider();
    const API_KEY: &str = "sk-live-the-plaintext-must-not-be-on-disk";
    let fake = FakeMerge::new(API_KEY, "acct-123").with_employees(5);
    let (origin, _fake_server) = fake.clone().serve(0).await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("tenure.toml");
    std::fs::write(
        &config,
        format!(
            "[runtime]\nallow_local_http = true\n\n\
             [integrations.merge-hris]\nbase_url = \"{origin}\"\napi_key = \"{API_KEY}\"\naccount_token = \"acct-123\"\n"
        ),
    )
    .unwrap();
    let server = Server::start(&data, &config);
    let http = reqwest::Client::new();

    let health: serde_json::Value = serde_json::from_slice(
        &http
            .get(format!("{}/healthz", server.base))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(
        health["schema_version"],
        tenure_store::migrations::CURRENT_VERSION
    );
    assert_eq!(health["plugin_errors"], 0);

    // The status page, as the first admin (created on the first-start page).
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // The first start printed its setup code; the form needs it.
    let code = server.setup_code();
    let created = no_redirects
        .post(format!("{}/setup", server.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "code={code}&user=ada&name=Ada&email=ada%40acme.test&password=correct+horse+battery"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 303);
    let cookie = created
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("tenure_session="))
        .map(|c| c.split(';').next().unwrap().to_string())
        .expect("a session");
    let page = http
        .get(format!("{}/settings/status", server.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Merge HRIS"), "{page}");
    assert!(page.contains("connected"), "{page}");
    assert!(!page.contains(API_KEY), "a secret reached the browser");
    assert!(fake.request_count() >= 1, "the plugin called the fake");

    let metrics = http
        .get(format!("{}/metrics", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("tenure_plugin_calls_total{plugin=\"merge-hris\",function=\"test-connection\",outcome=\"ok\"} 1"), "{metrics}");
    assert!(metrics.contains("tenure_plugin_http_requests_total{plugin=\"merge-hris\",host=\"127.0.0.1\",outcome=\"2xx\"}"));
    assert!(metrics.contains(
        "tenure_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
    ));

    // An API token made while the server runs (through its admin socket) works at once;
    // the token is the last word of the output.
    let out = tenure(&data, &["token", "create", "--name", "ci"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let token = stdout.split_whitespace().last().unwrap().to_string();
    assert!(token.starts_with("tnr_"), "{stdout}");
    let plugins = http
        .get(format!("{}/api/v1/plugins", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(plugins.status().as_u16(), 200);
    let body = plugins.text().await.unwrap();
    assert!(
        body.contains("merge-hris") && !body.contains(API_KEY),
        "{body}"
    );

    // `tenure sync` while serving runs in the server, through the admin socket.
    let out = tenure(&data, &["sync"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The scheduler also syncs at start-up: whichever ran first read the 5 employees,
    // the other found nothing new.
    assert!(
        stdout.contains("merge-hris: 0 records") || stdout.contains("merge-hris: 5 records"),
        "{stdout}"
    );
    let employees: serde_json::Value = serde_json::from_str(
        &http
            .get(format!("{}/api/v1/employees", server.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(employees["total"], 5, "{employees}");

    // Online backup while serving: taken by the server through its admin socket.
    let backup = dir.path().join("backup.redb");
    let out = tenure(&data, &["backup", backup.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("backup written"));
    assert!(backup.exists());
    // A second backup to the same file is refused, clearly.
    let again = tenure(&data, &["backup", backup.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));

    assert!(server.terminate(), "graceful shutdown exits 0");

    // The secret is encrypted at rest, in the database and in the backup.
    for file in [data.join("tenure.redb"), backup] {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !bytes
                .windows(API_KEY.len())
                .any(|w| w == API_KEY.as_bytes()),
            "plaintext secret found in {}",
            file.display()
        );
    }
}

#[test]
fn plugin_list_shows_bundled_plugins_and_their_allowed_hosts() {
    let dir = tempfile::tempdir().unwrap();
    let out = tenure(dir.path(), &["plugin", "list"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let merge = text
        .lines()
        .find(|l| l.starts_with("merge-hris"))
        .expect(&text);
    assert!(
        merge.contains("hr-source") && merge.contains("https://api.merge.dev"),
        "{merge}"
    );
}

/// The hostile test plugin (`plugins/testing/hostile`).
fn hostile() -> tenure_plugins::Bundled {
    *tenure_plugins::TESTING
        .iter()
        .find(|p| p.manifest.contains("id = \"hostile\""))
        .expect("the hostile test plugin is built")
}

#[test]
fn plugin_install_finds_manifest_toml_beside_the_component_or_says_where_it_looked() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = hostile();
    let data = dir.path().join("data");
    // As a plugin crate's folder holds it: the build output and a `manifest.toml`.
    let wasm = dir.path().join("hostile_plugin.wasm");
    std::fs::write(&wasm, hostile.wasm).unwrap();

    let out = tenure(&data, &["plugin", "install", wasm.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for path in [
        dir.path().join("hostile_plugin.toml"),
        dir.path().join("manifest.toml"),
    ] {
        assert!(err.contains(&path.display().to_string()), "{err}");
    }
    assert!(err.contains("--manifest <path>"), "{err}");

    std::fs::write(dir.path().join("manifest.toml"), hostile.manifest).unwrap();
    let out = tenure(&data, &["plugin", "install", wasm.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(data.join("plugins/hostile.toml").is_file());
}

#[test]
fn a_plugin_is_installed_only_after_it_loads() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = hostile();
    let wasm = dir.path().join("hostile.wasm");
    std::fs::write(&wasm, hostile.wasm).unwrap();
    std::fs::write(dir.path().join("hostile.toml"), hostile.manifest).unwrap();

    let data = dir.path().join("data");
    let out = tenure(&data, &["plugin", "install", wasm.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = String::from_utf8_lossy(&tenure(&data, &["plugin", "list"]).stdout).into_owned();
    assert!(
        list.lines()
            .any(|l| l.starts_with("hostile") && l.contains("installed")),
        "{list}"
    );

    // The same component under a manifest claiming another world (signed by a
    // trusted publisher, so the signature holds) is refused.
    let key = tenure_runtime::signature::generate_pkcs8().unwrap();
    let trusted = tenure_runtime::signature::public_key("test", &key).unwrap();
    let config = dir.path().join("tenure.toml");
    std::fs::write(
        &config,
        format!("[plugins]\ntrusted_keys = [\"{}\"]\n", trusted.line()),
    )
    .unwrap();
    let lying = dir.path().join("liar.toml");
    let liar = hostile
        .manifest
        .replace("id = \"hostile\"", "id = \"liar\"")
        .replace("world = \"hr-source\"", "world = \"shipping\"");
    let liar = tenure_runtime::signature::sign(&key, "test", hostile.wasm, &liar).unwrap();
    std::fs::write(&lying, liar).unwrap();
    let out = tenure(
        &data,
        &[
            "plugin",
            "install",
            wasm.to_str().unwrap(),
            "--manifest",
            lying.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not installed") && err.contains("shipping"),
        "{err}"
    );
}

#[test]
fn a_bad_config_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    std::fs::write(&config, "[integrations.nonexistent]\nkey = \"v\"\n").unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no plugin `nonexistent`") && err.contains("merge-hris"),
        "{err}"
    );
}

/// Merge gives a work location (city, state, country) but no zone. A leaver in Sydney:
/// the real binary derives Australia/Sydney from it, says so, and holds the revocations
/// until midnight at the end of the final day in Sydney, not in the company's zone.
#[tokio::test(flavor = "multi_thread")]
async fn a_merge_leaver_in_sydney_is_offboarded_at_the_end_of_their_day_there() {
    use tenure_domain::jiff::{ToSpan, Zoned, tz::TimeZone};
    use tenure_fakes::merge::{MergeEmployee, MergeLocation};
    tenure_runtime::install_crypto_provider();
    let fake = FakeMerge::new("key-zones", "acct-zones");
    let office = fake.add_location(MergeLocation {
        name: Some("Sydney".into()),
        city: Some("Sydney".into()),
        state: Some("NSW".into()),
        country: Some("AU".into()),
        location_type: Some("WORK".into()),
        ..MergeLocation::default()
    });
    let mia = fake.add_employee(MergeEmployee {
        first_name: Some("Mia".into()),
        last_name: Some("Ng".into()),
        work_email: Some("mia.ng@acme.test".into()),
        work_location: Some(office),
        employment_status: Some("ACTIVE".into()),
        start_date: Some("2021-02-01T00:00:00Z".into()),
        ..MergeEmployee::default()
    });
    let (origin, _fake_server) = fake.clone().serve(0).await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("tenure.toml");
    std::fs::write(
        &config,
        format!(
            "[runtime]\nallow_local_http = true\n\n[lifecycle]\ncompany_time_zone = \"America/Chicago\"\nsync_interval_minutes = 0\n\n\
             [integrations.merge-hris]\nbase_url = \"{origin}\"\napi_key = \"key-zones\"\naccount_token = \"acct-zones\"\n"
        ),
    )
    .unwrap();
    let server = Server::start(&data, &config);
    let out = tenure(&data, &["token", "create", "--name", "zones"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .last()
        .unwrap()
        .to_string();
    let http = reqwest::Client::new();
    let call = |method: reqwest::Method, path: &str| {
        http.request(method, format!("{}/api/v1{path}", server.base))
            .bearer_auth(&token)
    };
    let sync = call(reqwest::Method::POST, "/sync").send().await.unwrap();
    assert_eq!(
        sync.status().as_u16(),
        200,
        "{}",
        sync.text().await.unwrap()
    );

    // She leaves: today is her final day in Sydney (in Chicago, the company's zone, it
    // is yesterday for most of the day, when no offboarding would open yet).
    let sydney = TimeZone::get("Australia/Sydney").unwrap();
    let final_day = Zoned::now().with_time_zone(sydney.clone()).date();
    assert!(fake.update_employee(&mia, |e| {
        e.employment_status = Some("INACTIVE".into());
        e.termination_date = Some(format!("{final_day}T00:00:00Z"));
    }));
    let sync = call(reqwest::Method::POST, "/sync").send().await.unwrap();
    assert_eq!(
        sync.status().as_u16(),
        200,
        "{}",
        sync.text().await.unwrap()
    );

    let found: serde_json::Value = call(reqwest::Method::GET, "/employees?q=mia.ng")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    let id = found["items"][0]["id"]
        .as_str()
        .expect("Mia synced")
        .to_string();
    let one: serde_json::Value = call(reqwest::Method::GET, &format!("/employees/{id}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    assert_eq!(one["work_zone"]["name"], "Australia/Sydney", "{one}");
    assert_eq!(one["work_zone"]["source"]["derived"], "region", "{one}");
    assert_eq!(one["employee"]["profile"]["work_city"], "Sydney", "{one}");

    let tasks: serde_json::Value = call(
        reqwest::Method::GET,
        &format!("/tasks?employee={id}&kind=offboard_employee"),
    )
    .send()
    .await
    .unwrap()
    .text()
    .await
    .map(|t| serde_json::from_str(&t).unwrap())
    .unwrap();
    let task = tasks["items"][0].to_string();
    let sydney_midnight = final_day
        .checked_add(1.day())
        .unwrap()
        .to_zoned(sydney)
        .unwrap()
        .timestamp();
    assert!(
        task.contains(&format!("\"revoke_not_before\":\"{sydney_midnight}\"")),
        "revocations wait for midnight in Sydney ({sydney_midnight}): {task}"
    );
    assert!(server.terminate());
}
