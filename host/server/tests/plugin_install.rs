//! Plugins installed, upgraded and removed while the server runs: signed by a trusted
//! publisher (or refused, saying why), staged with what they ask for, approved, and
//! used at once, through the API and through `tenure plugin install` on the admin
//! socket.

mod common;

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::Path;
use tenure::http::admin::{TokenCreate, create_token};
use tenure::http::api::Role;
use tenure_engine::jobs::{Connectors, Missing};
use tenure_runtime::signature;

/// A publisher of the tests: a fresh key, and its `trusted_keys` line.
struct Publisher {
    pkcs8: Vec<u8>,
    line: String,
}

impl Publisher {
    fn new(id: &str) -> Publisher {
        let pkcs8 = signature::generate_pkcs8().unwrap();
        let line = signature::public_key(id, &pkcs8).unwrap().line();
        Publisher { pkcs8, line }
    }
}

fn testing_plugin(id: &str) -> tenure_plugins::Bundled {
    *tenure_plugins::TESTING
        .iter()
        .chain(tenure_plugins::BUNDLED)
        .find(|p| p.manifest.contains(&format!("id = \"{id}\"")))
        .unwrap()
}

/// `plugin`'s manifest under another id and version, with no signature.
fn manifest_as(plugin: &str, id: &str, version: &str) -> String {
    let b = testing_plugin(plugin);
    let unsigned = signature::unsigned_text(b.manifest).unwrap();
    unsigned
        .lines()
        .filter(|l| !l.starts_with("publisher ="))
        .map(|l| {
            if l.starts_with("id = ") {
                format!("id = \"{id}\"")
            } else if l.starts_with("version = ") {
                format!("version = \"{version}\"")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn upload(manifest: &str, wasm: &[u8]) -> Value {
    serde_json::to_value(tenure::plugin_install::Upload::new(manifest.into(), wasm)).unwrap()
}

struct Api {
    server: common::InProcess,
    http: reqwest::Client,
    admin: String,
    viewer: String,
}

impl Api {
    async fn start(trusted: &[&str], allow_unsigned: bool) -> Api {
        let trusted: Vec<String> = trusted.iter().map(|s| s.to_string()).collect();
        let server = common::InProcess::start_with(move |config, _| {
            config.plugins.trusted_keys = trusted;
            config.plugins.allow_unsigned = allow_unsigned;
        })
        .await;
        let token = |role| {
            create_token(
                &server.state.store,
                &TokenCreate {
                    name: format!("{role:?}"),
                    role,
                },
            )
            .unwrap()
            .token
        };
        let (admin, viewer) = (token(Role::Admin), token(Role::Viewer));
        Api {
            server,
            http: reqwest::Client::new(),
            admin,
            viewer,
        }
    }

    async fn call_as(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(
                method.parse().unwrap(),
                format!("{}/api/v1{path}", self.server.base),
            )
            .bearer_auth(token);
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.call_as(&self.admin, method, path, body).await
    }

    /// Stages and approves; returns the approval answer.
    async fn install(&self, manifest: &str, wasm: &[u8]) -> Value {
        let (s, caps) = self
            .call("POST", "/plugins/install", Some(upload(manifest, wasm)))
            .await;
        assert_eq!(s, StatusCode::OK, "{caps}");
        let token = caps["approval"].as_str().unwrap();
        let (s, done) = self
            .call("POST", &format!("/plugins/install/{token}/approve"), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{done}");
        done
    }

    fn data(&self) -> &Path {
        self.server.state.plugins.data_dir()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_plugin_is_shown_then_approved_and_runs_at_once() {
    let acme = Publisher::new("acme");
    let api = Api::start(&[&acme.line], false).await;
    let wasm = testing_plugin("hostile").wasm;
    let manifest = manifest_as("hostile", "acme-hr", "0.1.0");
    let signed = signature::sign(&acme.pkcs8, "acme", wasm, &manifest).unwrap();

    // Viewers cannot stage.
    let (s, _) = api
        .call_as(
            &api.viewer,
            "POST",
            "/plugins/install",
            Some(upload(&signed, wasm)),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Staged: what it is and asks for, before anything runs.
    let (s, caps) = api
        .call("POST", "/plugins/install", Some(upload(&signed, wasm)))
        .await;
    assert_eq!(s, StatusCode::OK, "{caps}");
    assert_eq!(caps["id"], "acme-hr");
    assert_eq!(caps["world"], "hr-source");
    assert_eq!(caps["publisher"], "acme");
    assert_eq!(caps["signature"], "signed");
    assert_eq!(caps["allowed_hosts"], json!(["{base_url}"]));
    let secrets: Vec<&str> = caps["settings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["secret"] == true)
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(secrets, ["token"]);
    assert!(caps["replaces"].is_null());
    let token = caps["approval"].as_str().unwrap().to_string();
    let (s, again) = api
        .call("GET", &format!("/plugins/install/{token}"), None)
        .await;
    assert_eq!((s, &again["id"]), (StatusCode::OK, &json!("acme-hr")));
    let (s, _) = api.call("GET", "/plugins/acme-hr", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "not loaded before approval");
    assert!(!api.data().join("plugins/acme-hr.wasm").exists());

    // Approved: loaded at once, no restart.
    let (s, done) = api
        .call("POST", &format!("/plugins/install/{token}/approve"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["id"], "acme-hr");
    let (s, view) = api.call("GET", "/plugins/acme-hr", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(view["origin"], "installed");
    assert_eq!(view["publisher"], "acme");
    let (s, test) = api.call("POST", "/plugins/acme-hr/test", None).await;
    assert_eq!((s, &test["ok"]), (StatusCode::OK, &json!(true)), "{test}");
    assert!(api.data().join("plugins/acme-hr.wasm").is_file());
    assert!(api.data().join("plugins/acme-hr.toml").is_file());
    // The token is spent.
    let (s, _) = api
        .call("POST", &format!("/plugins/install/{token}/approve"), None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The staging folder is emptied.
    let staged = std::fs::read_dir(api.data().join("plugins/staged"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(staged, 0);

    // Upgrade: same id, new version; its settings stay.
    api.call(
        "PUT",
        "/plugins/acme-hr/settings",
        Some(json!({"settings": {"on_test": "kept"}})),
    )
    .await;
    let v2 = signature::sign(
        &acme.pkcs8,
        "acme",
        wasm,
        &manifest_as("hostile", "acme-hr", "0.2.0"),
    )
    .unwrap();
    let (s, caps) = api
        .call("POST", "/plugins/install", Some(upload(&v2, wasm)))
        .await;
    assert_eq!(s, StatusCode::OK, "{caps}");
    assert_eq!(caps["replaces"]["version"], "0.1.0");
    let token = caps["approval"].as_str().unwrap();
    let (s, done) = api
        .call("POST", &format!("/plugins/install/{token}/approve"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["replaced"], "0.1.0");
    let (_, view) = api.call("GET", "/plugins/acme-hr", None).await;
    assert_eq!(view["version"], "0.2.0");
    let on_test = view["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "on_test")
        .unwrap();
    assert_eq!(on_test["value"], "kept");

    // An upgrade may not change the world.
    let shipping = manifest_as("hostile", "acme-hr", "0.3.0")
        .replace("world = \"hr-source\"", "world = \"shipping\"");
    let shipping = signature::sign(&acme.pkcs8, "acme", wasm, &shipping).unwrap();
    let (s, err) = api
        .call("POST", "/plugins/install", Some(upload(&shipping, wasm)))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        err["error"].as_str().unwrap().contains("cannot make it"),
        "{err}"
    );

    // Removed at once; its files go; bundled plugins stay.
    let (s, removed) = api.call("DELETE", "/plugins/acme-hr", None).await;
    assert_eq!(s, StatusCode::OK, "{removed}");
    let (s, _) = api.call("GET", "/plugins/acme-hr", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(!api.data().join("plugins/acme-hr.wasm").exists());
    assert!(!api.data().join("plugins/acme-hr.toml").exists());
    let (s, err) = api.call("DELETE", "/plugins/merge-hris", None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(err["error"].as_str().unwrap().contains("bundled"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_installed_connector_is_seen_by_the_job_runner_until_removed() {
    let acme = Publisher::new("acme");
    let api = Api::start(&[&acme.line], false).await;
    let scim = testing_plugin("scim");
    let manifest = manifest_as("scim", "acme-scim", "1.0.0");
    let signed = signature::sign(&acme.pkcs8, "acme", scim.wasm, &manifest).unwrap();
    let connectors = api.server.state.connectors();
    assert!(matches!(
        connectors.app("acme-scim"),
        Err(Missing::NotInstalled)
    ));
    api.install(&signed, scim.wasm).await;
    // Installed, not yet set up: the runner's existing answer for that.
    assert!(matches!(
        connectors.app("acme-scim"),
        Err(Missing::NotConfigured)
    ));
    let (_, list) = api.call("GET", "/plugins", None).await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == "acme-scim" && p["world"] == "app-connector")
    );
    api.call("DELETE", "/plugins/acme-scim", None).await;
    // Jobs queued for it now fail as "not installed".
    assert!(matches!(
        connectors.app("acme-scim"),
        Err(Missing::NotInstalled)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsigned_tampered_and_unknown_plugins_are_refused_saying_why() {
    let acme = Publisher::new("acme");
    let api = Api::start(&[&acme.line], false).await;
    let wasm = testing_plugin("hostile").wasm;
    let manifest = manifest_as("hostile", "acme-hr", "0.1.0");
    let signed = signature::sign(&acme.pkcs8, "acme", wasm, &manifest).unwrap();
    let refused = |body: Value| {
        let api = &api;
        async move {
            let (s, err) = api.call("POST", "/plugins/install", Some(body)).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{err}");
            err["error"].as_str().unwrap().to_string()
        }
    };

    let err = refused(upload(&manifest, wasm)).await;
    assert!(err.contains("not signed"), "{err}");
    let mut tampered = wasm.to_vec();
    let last = tampered.len() - 1;
    tampered[last] ^= 0x55;
    let err = refused(upload(&signed, &tampered)).await;
    assert!(err.contains("does not match"), "{err}");
    let wider = signed.replace("{base_url}", "https://exfil.example.com");
    let err = refused(upload(&wider, wasm)).await;
    assert!(err.contains("does not match"), "{err}");
    let stranger = Publisher::new("mallory");
    let theirs = signature::sign(&stranger.pkcs8, "mallory", wasm, &manifest).unwrap();
    let err = refused(upload(&theirs, wasm)).await;
    assert!(err.contains("not a trusted publisher"), "{err}");
    // A bundled plugin's id stays refused, signed or not.
    let merge = signature::sign(
        &acme.pkcs8,
        "acme",
        wasm,
        &manifest_as("hostile", "merge-hris", "9.0.0"),
    )
    .unwrap();
    let err = refused(upload(&merge, wasm)).await;
    assert!(err.contains("bundled"), "{err}");
    // Nothing was staged or installed.
    let (s, _) = api.call("GET", "/plugins/acme-hr", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsigned_plugins_load_only_when_allowed_and_say_so() {
    let api = Api::start(&[], true).await;
    let wasm = testing_plugin("hostile").wasm;
    let manifest = manifest_as("hostile", "home-made", "0.1.0");
    let (s, caps) = api
        .call("POST", "/plugins/install", Some(upload(&manifest, wasm)))
        .await;
    assert_eq!(s, StatusCode::OK, "{caps}");
    assert_eq!(caps["signature"], "unsigned");
    assert!(caps["publisher"].is_null());
    // Cancelled: gone.
    let token = caps["approval"].as_str().unwrap();
    let (s, _) = api
        .call("DELETE", &format!("/plugins/install/{token}"), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = api
        .call("POST", &format!("/plugins/install/{token}/approve"), None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    api.install(&manifest, wasm).await;
    let (_, view) = api.call("GET", "/plugins/home-made", None).await;
    assert!(view["publisher"].is_null(), "{view}");
    // A broken signature is refused even then.
    let mut tampered = signature::sign(
        &signature::generate_pkcs8().unwrap(),
        "acme",
        wasm,
        &manifest,
    )
    .unwrap();
    tampered = tampered.replace("Hostile test plugin", "Friendly plugin");
    let (s, _) = api
        .call("POST", "/plugins/install", Some(upload(&tampered, wasm)))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

/// `tenure plugin install --yes` with a server running: through the admin socket, in
/// use at once; `tenure plugin remove` likewise.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_installs_and_removes_through_a_running_server() {
    let acme = Publisher::new("acme");
    let api = Api::start(&[&acme.line], false).await;
    let data = api.data().to_path_buf();
    let _socket = tenure::http::admin::spawn(&data, api.server.state.clone()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let wasm_path = dir.path().join("acme_hr.wasm");
    std::fs::write(&wasm_path, testing_plugin("hostile").wasm).unwrap();
    std::fs::write(
        dir.path().join("manifest.toml"),
        manifest_as("hostile", "acme-hr", "0.1.0"),
    )
    .unwrap();
    let key_dir = dir.path().join("keys");
    let tenure = |args: &[&str]| {
        std::process::Command::new(common::BIN)
            .args(args)
            .env_remove("TENURE_SECRET_KEY")
            .output()
            .unwrap()
    };
    // A stranger's key and signature, made with the CLI.
    let out = tenure(&[
        "plugin",
        "keygen",
        "--out",
        key_dir.to_str().unwrap(),
        "--publisher",
        "stranger",
    ]);
    assert!(out.status.success(), "{out:?}");
    let key = key_dir.join("plugin-signing-key.pk8");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = printed
        .lines()
        .find_map(|l| l.trim().strip_prefix("\"stranger:"))
        .expect(&printed);
    assert!(line.ends_with('"'));
    let out = tenure(&[
        "plugin",
        "sign",
        "--key",
        key.to_str().unwrap(),
        "--publisher",
        "stranger",
        wasm_path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");

    // Signed by a key this appliance does not trust: refused, with the reason.
    let data_arg = data.to_str().unwrap();
    let wasm_arg = wasm_path.to_str().unwrap();
    let out = tenure(&[
        "plugin",
        "install",
        "--yes",
        "--data-dir",
        data_arg,
        wasm_arg,
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a trusted publisher"), "{err}");

    // Signed with the trusted key: shown, installed, in use at once.
    let manifest = std::fs::read_to_string(dir.path().join("manifest.toml")).unwrap();
    let resigned = signature::sign(
        &acme.pkcs8,
        "acme",
        testing_plugin("hostile").wasm,
        &manifest,
    )
    .unwrap();
    std::fs::write(dir.path().join("manifest.toml"), resigned).unwrap();
    // Without a terminal and without --yes, nothing is installed.
    let out = tenure(&["plugin", "install", "--data-dir", data_arg, wasm_arg]);
    assert!(!out.status.success());
    assert!(api.server.state.plugins.get("acme-hr").is_none());
    let out = tenure(&[
        "plugin",
        "install",
        "--yes",
        "--data-dir",
        data_arg,
        wasm_arg,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(stdout.contains("signed by: acme (trusted)"), "{stdout}");
    assert!(stdout.contains("asks for secrets: token"), "{stdout}");
    assert!(stdout.contains("installed acme-hr 0.1.0"), "{stdout}");
    let (s, test) = api.call("POST", "/plugins/acme-hr/test", None).await;
    assert_eq!((s, &test["ok"]), (StatusCode::OK, &json!(true)));

    let out = tenure(&["plugin", "remove", "--data-dir", data_arg, "acme-hr"]);
    assert!(out.status.success(), "{out:?}");
    assert!(api.server.state.plugins.get("acme-hr").is_none());
}

/// A multipart/form-data body with the CSRF token, the component and the manifest.
fn multipart(csrf: &str, wasm: &[u8], manifest: &str) -> (String, Vec<u8>) {
    let boundary = "tenure-test-boundary-7d1c";
    let mut body = Vec::new();
    let mut part = |name: &str, file: Option<&str>, bytes: &[u8]| {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let disposition = match file {
            Some(f) => format!(
                "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            ),
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n"),
        };
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    };
    part("csrf", None, csrf.as_bytes());
    part("wasm", Some("plugin.wasm"), wasm);
    part("manifest", Some("manifest.toml"), manifest.as_bytes());
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Settings → Integrations → Install a plugin: upload, the approval screen, approve,
/// the plugin's settings page, remove.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ui_shows_what_a_plugin_asks_for_before_installing_it() {
    let acme = Publisher::new("acme");
    let trusted = vec![acme.line.clone()];
    let server = common::InProcess::start_with(move |config, _| {
        config.plugins.trusted_keys = trusted;
    })
    .await;
    let ui = common::ui_client::Ui::on(server);
    ui.add_user("root", true);
    ui.add_user("nora", false);
    let root = ui.sign_in("root").await;
    let nora = ui.sign_in("nora").await;
    let list = ui.get("/settings/plugins", Some(&root)).await;
    assert_eq!(list.status, StatusCode::OK);
    let csrf = list.csrf();
    let wasm = testing_plugin("hostile").wasm;
    let manifest = signature::sign(
        &acme.pkcs8,
        "acme",
        wasm,
        &manifest_as("hostile", "acme-hr", "0.1.0"),
    )
    .unwrap();
    let send = |session: &str, csrf: &str, manifest: &str| {
        let (content_type, body) = multipart(csrf, wasm, manifest);
        ui.http
            .post(format!("{}/settings/plugins/install", ui.base))
            .header("cookie", format!("tenure_session={session}"))
            .header("content-type", content_type)
            .body(body)
    };

    // Not an admin: refused. A wrong CSRF token: refused.
    let nora_csrf = ui.get("/account", Some(&nora)).await.csrf();
    let r = ui.send(send(&nora, &nora_csrf, &manifest)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = ui.send(send(&root, "forged", &manifest)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Unsigned: refused with the reason, on the page.
    let unsigned = manifest_as("hostile", "acme-hr", "0.1.0");
    let r = ui.send(send(&root, &csrf, &unsigned)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("not signed"), "{}", r.body);

    // The approval screen, before anything runs.
    let r = ui.send(send(&root, &csrf, &manifest)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for shown in [
        "Install Hostile test plugin?",
        "World: hr-source",
        "Signed by: <strong>acme</strong> (trusted)",
        "<code>{base_url}</code>",
        "Asks for secrets: token",
    ] {
        assert!(r.body.contains(shown), "{shown} not in {}", r.body);
    }
    assert!(ui.state.plugins.get("acme-hr").is_none());
    let at = r.body.find("/settings/plugins/install/").unwrap();
    let approve = r.body[at..].split('"').next().unwrap().to_string();
    assert!(approve.ends_with("/approve"), "{approve}");

    let r = ui.post(&approve, Some(&root), &[("csrf", &csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/settings/integrations/acme-hr");
    assert!(ui.state.plugins.get("acme-hr").is_some());
    let page = ui.get("/settings/integrations/acme-hr", Some(&root)).await;
    assert_eq!(page.status, StatusCode::OK);
    let list = ui.get("/settings/plugins", Some(&root)).await;
    assert!(list.body.contains("signed by acme"), "{}", list.body);

    let r = ui
        .post(
            "/settings/plugins/acme-hr/remove",
            Some(&root),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(ui.state.plugins.get("acme-hr").is_none());
    let r = ui
        .post(
            "/settings/plugins/merge-hris/remove",
            Some(&root),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(ui.state.plugins.get("merge-hris").is_some());
}
