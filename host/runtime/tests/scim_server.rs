//! The bundled `scim` connector against a real SCIM 2.0 server: `scim2-server` (PyPI,
//! the in-memory test server of the python-scim project), started from the test
//! virtualenv (`tests/.venv`, made by `cargo xtask test` from
//! `tests/vendor_clients/requirements.txt`; `TENURE_TEST_PYTHON` overrides it).
//!
//! Without that Python the test says so and passes, except under `CI=true`, where it
//! fails: CI must run it.

mod common;

use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tenure_runtime::types::{Credential, Error, LeaverOptions, Person, ProvisionRequest};
use tenure_runtime::{CallError, Plugin};

const PLUGIN: &str = "scim";
const TOKEN: &str = "scim-test-token-0123";

/// The Python that has `scim2_server`, or why there is none.
fn python() -> Result<PathBuf, String> {
    let p = std::env::var_os("TENURE_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/.venv/bin/python")
        });
    if !p.exists() {
        return Err(format!(
            "{} is missing (run `cargo xtask test`, which creates the test virtualenv)",
            p.display()
        ));
    }
    let ok = Command::new(&p)
        .args(["-c", "import scim2_server.testserver.cli"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        return Err(format!(
            "{} has no scim2-server (pip install -r tests/vendor_clients/requirements.txt)",
            p.display()
        ));
    }
    Ok(p)
}

/// A running `scim2-server`, killed when dropped.
struct ScimServer {
    child: Child,
    /// `http://127.0.0.1:<port>/v2`: where /Users and /Groups hang.
    base: String,
    port: u16,
}

impl Drop for ScimServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `scim2-server` on a free loopback port with a bearer token; `None` (after
/// saying why) when the Python dependencies are missing outside CI.
fn start_scim_server() -> Option<ScimServer> {
    let python = match python() {
        Ok(p) => p,
        Err(why) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("SKIPPED: the SCIM server test needs scim2-server: {why}");
            return None;
        }
        Err(why) => panic!("CI=true: the SCIM server test must run, but {why}"),
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(python)
        .args([
            "-m",
            "scim2_server.testserver.cli",
            "--hostname",
            "127.0.0.1",
        ])
        .args(["--port", &port.to_string(), "--bearer-token", TOKEN])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("scim2-server starts");
    let server = ScimServer {
        child,
        base: format!("http://127.0.0.1:{port}/v2"),
        port,
    };
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "scim2-server never listened on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(server)
}

impl ScimServer {
    /// `POST /v2/<resource>` with a JSON body, as an administrator seeding the
    /// application would; returns the created resource's id.
    fn create(&self, resource: &str, body: serde_json::Value) -> String {
        let body = body.to_string();
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            s,
            "POST /v2/{resource} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n\
             Content-Type: application/scim+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        assert!(
            answer.starts_with("HTTP/1.0 201") || answer.starts_with("HTTP/1.1 201"),
            "{answer}"
        );
        let json = answer.split_once("\r\n\r\n").unwrap().1;
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        v["id"].as_str().unwrap().to_string()
    }
}

fn person(email: &str) -> Person {
    Person {
        employee_id: "emp-42".into(),
        work_email: email.into(),
        login: None,
        personal_email: None,
        given_name: "Ada".into(),
        family_name: "Lovelace".into(),
        display_name: "Ada Lovelace".into(),
        department: Some("Engineering".into()),
        title: Some("Engineer".into()),
        manager_email: None,
        country: Some("GB".into()),
        time_zone: Some("Europe/London".into()),
        start_date: None,
    }
}

fn provision_request(who: Person) -> ProvisionRequest {
    ProvisionRequest {
        who,
        credential: Credential::None,
        entitlements: vec![],
        idempotency_key: "job-1".into(),
    }
}

fn disable() -> LeaverOptions {
    LeaverOptions {
        disable: true,
        revoke_sessions: false,
        remove_entitlements: false,
        transfer_data_to: None,
        forward_mail_to: None,
        auto_reply: None,
    }
}

fn load(server: &ScimServer, token: &str) -> Plugin {
    let (rt, state) = strict_runtime();
    state.set_setting(PLUGIN, "base_url", &server.base);
    state.set_secret(PLUGIN, "token", token);
    let (manifest, wasm) = bundled(PLUGIN);
    rt.load(manifest, wasm).expect("the scim plugin loads")
}

async fn group_ids(p: &Plugin, account: &str) -> Vec<String> {
    let page = p.app_list_memberships(account, None).await.unwrap();
    assert_eq!(page.next_cursor, None);
    page.groups.into_iter().map(|g| g.id).collect()
}

#[tokio::test]
async fn the_scim_connector_runs_a_whole_lifecycle_against_scim2_server() {
    let Some(server) = start_scim_server() else {
        return;
    };
    let eng = server.create(
        "Groups",
        serde_json::json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Engineering"}),
    );
    server.create(
        "Groups",
        serde_json::json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Sales"}),
    );
    let p = load(&server, TOKEN);
    let ada = person("ada@example.com");

    p.app_test_connection().await.unwrap();
    assert_eq!(p.app_find_account(&ada).await.unwrap(), None);

    // Provision creates once; again (a retry) it finds.
    let made = p
        .app_provision(&provision_request(ada.clone()))
        .await
        .unwrap();
    assert!(made.created);
    assert!(made.account.active);
    assert_eq!(made.account.login, "ada@example.com");
    let id = made.account.id.clone();
    let again = p
        .app_provision(&provision_request(ada.clone()))
        .await
        .unwrap();
    assert!(!again.created);
    assert_eq!(again.account.id, id);
    let mut upper = ada.clone();
    upper.work_email = "ADA@example.com".into();
    assert_eq!(p.app_find_account(&upper).await.unwrap().unwrap().id, id);

    // Groups: found case-insensitively, joined and left twice each.
    let group = p.app_find_group("engineering").await.unwrap().unwrap();
    assert_eq!(
        (group.id.as_str(), group.name.as_str()),
        (eng.as_str(), "Engineering")
    );
    assert_eq!(p.app_find_group("Nobody").await.unwrap(), None);
    let picker = p.app_list_groups(Some("SAL"), None).await.unwrap();
    assert_eq!(
        picker
            .groups
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>(),
        ["Sales"]
    );
    assert_eq!(p.app_list_groups(None, None).await.unwrap().groups.len(), 2);

    p.app_add_to_group(&id, &eng).await.unwrap();
    p.app_add_to_group(&id, &eng).await.unwrap();
    assert_eq!(group_ids(&p, &id).await, std::slice::from_ref(&eng));
    p.app_remove_from_group(&id, &eng).await.unwrap();
    p.app_remove_from_group(&id, &eng).await.unwrap();
    assert!(group_ids(&p, &id).await.is_empty());

    // Profile: a new title is written back.
    let mut promoted = ada.clone();
    promoted.title = Some("Staff Engineer".into());
    p.app_update_profile(&id, &promoted).await.unwrap();

    // Offboard disables (twice is fine); reactivate turns it back on.
    p.app_offboard(&id, &ada, &disable()).await.unwrap();
    p.app_offboard(&id, &ada, &disable()).await.unwrap();
    assert!(!p.app_find_account(&ada).await.unwrap().unwrap().active);
    p.app_reactivate(&id).await.unwrap();
    assert!(p.app_find_account(&ada).await.unwrap().unwrap().active);

    // Delete, and deleting what is gone is done too.
    p.app_delete_account(&id).await.unwrap();
    p.app_delete_account(&id).await.unwrap();
    assert_eq!(p.app_find_account(&ada).await.unwrap(), None);
    match p.app_offboard(&id, &ada, &disable()).await {
        Err(CallError::Plugin(Error::NotFound(_))) => {}
        other => panic!("a gone account is not-found, got {other:?}"),
    }
}

#[tokio::test]
async fn a_wrong_token_parks_the_scim_connector() {
    let Some(server) = start_scim_server() else {
        return;
    };
    let p = load(&server, "not-the-token");
    match p.app_test_connection().await {
        Err(CallError::Plugin(Error::Unauthorized(m))) => {
            assert!(
                !m.contains("not-the-token"),
                "the token is not repeated: {m}"
            )
        }
        other => panic!("expected unauthorized, got {other:?}"),
    }
}
