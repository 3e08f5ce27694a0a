//! Every route against every role, as one table. A route added to the source without a
//! row here fails `every_route_in_the_source_has_a_row`, so nobody ships a route whose
//! role check was never decided.

mod common;

use common::ui_client::{Ui, champion};
use reqwest::StatusCode;
use tenure::http::admin::{TokenCreate, create_token};
use tenure::http::api::Role;
use tenure_domain::Catalog;

/// What a role gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum E {
    /// Public: answered without signing in (a refused password is an answer too).
    Open,
    /// Not signed in: 401 (API) or a redirect to sign in (UI).
    Auth,
    /// Signed in, role too small: 403.
    Deny,
    /// Allowed: anything but 401, 403, a sign-in redirect or a server error.
    Ok,
}
use E::*;

/// API rows: method, path (with ids filled in), expected for no token, viewer, admin.
const API: &[(&str, &str, [E; 3])] = &[
    ("GET", "/api/v1/openapi.json", [Open, Open, Open]),
    ("GET", "/api/v1/plugins", [Auth, Ok, Ok]),
    ("GET", "/api/v1/plugins/{id}", [Auth, Ok, Ok]),
    ("PUT", "/api/v1/plugins/{id}/settings", [Auth, Deny, Ok]),
    ("POST", "/api/v1/plugins/{id}/test", [Auth, Deny, Ok]),
    ("GET", "/api/v1/plugins/{id}/groups", [Auth, Deny, Ok]),
    ("POST", "/api/v1/plugins/install", [Auth, Deny, Ok]),
    ("GET", "/api/v1/plugins/install/{token}", [Auth, Deny, Ok]),
    (
        "DELETE",
        "/api/v1/plugins/install/{token}",
        [Auth, Deny, Ok],
    ),
    (
        "POST",
        "/api/v1/plugins/install/{token}/approve",
        [Auth, Deny, Ok],
    ),
    ("DELETE", "/api/v1/plugins/{id}", [Auth, Deny, Ok]),
    ("GET", "/api/v1/sync", [Auth, Ok, Ok]),
    ("POST", "/api/v1/sync", [Auth, Deny, Ok]),
    ("GET", "/api/v1/sync/runs", [Auth, Ok, Ok]),
    ("GET", "/api/v1/employees", [Auth, Ok, Ok]),
    ("POST", "/api/v1/employees", [Auth, Deny, Ok]),
    ("GET", "/api/v1/employees/{id}", [Auth, Ok, Ok]),
    ("POST", "/api/v1/employees/{id}/offboard", [Auth, Deny, Ok]),
    ("POST", "/api/v1/employees/{id}/dry-run", [Auth, Ok, Ok]),
    ("POST", "/api/v1/dry-run", [Auth, Ok, Ok]),
    ("GET", "/api/v1/locations", [Auth, Ok, Ok]),
    ("PUT", "/api/v1/locations/zone", [Auth, Deny, Ok]),
    ("GET", "/api/v1/tasks", [Auth, Ok, Ok]),
    ("GET", "/api/v1/tasks/{id}", [Auth, Ok, Ok]),
    ("POST", "/api/v1/tasks/{id}/actions", [Auth, Deny, Ok]),
    ("POST", "/api/v1/tasks/{id}/decision", [Auth, Deny, Ok]),
    ("GET", "/api/v1/catalog", [Auth, Ok, Ok]),
    ("PUT", "/api/v1/catalog", [Auth, Deny, Ok]),
    ("GET", "/api/v1/groups", [Auth, Ok, Ok]),
    ("PUT", "/api/v1/groups", [Auth, Deny, Ok]),
    ("GET", "/api/v1/rules", [Auth, Ok, Ok]),
    ("PUT", "/api/v1/rules", [Auth, Deny, Ok]),
    ("GET", "/api/v1/applications", [Auth, Ok, Ok]),
    ("PUT", "/api/v1/applications", [Auth, Deny, Ok]),
    ("GET", "/api/v1/champions", [Auth, Ok, Ok]),
    ("PUT", "/api/v1/champions", [Auth, Deny, Ok]),
    ("GET", "/api/v1/holds", [Auth, Ok, Ok]),
    ("POST", "/api/v1/holds/{id}/{decision}", [Auth, Deny, Ok]),
    ("GET", "/api/v1/quarantine", [Auth, Ok, Ok]),
    ("GET", "/api/v1/audit", [Auth, Ok, Ok]),
    ("GET", "/api/v1/jobs", [Auth, Ok, Ok]),
    ("POST", "/api/v1/jobs/{id}/retry", [Auth, Deny, Ok]),
    ("POST", "/api/v1/jobs/{id}/cancel", [Auth, Deny, Ok]),
    ("GET", "/api/v1/employees/{id}/access", [Auth, Ok, Ok]),
    ("GET", "/api/v1/hardware/settings", [Auth, Deny, Ok]),
    ("PUT", "/api/v1/hardware/settings", [Auth, Deny, Ok]),
    ("GET", "/api/v1/assets", [Auth, Deny, Ok]),
    ("POST", "/api/v1/assets", [Auth, Deny, Ok]),
    ("POST", "/api/v1/assets/import", [Auth, Deny, Ok]),
    ("POST", "/api/v1/assets/import-mdm", [Auth, Deny, Ok]),
    ("GET", "/api/v1/assets/{id}", [Auth, Deny, Ok]),
    ("POST", "/api/v1/assets/{id}/actions", [Auth, Deny, Ok]),
    ("POST", "/api/v1/returns/{id}/void", [Auth, Deny, Ok]),
    ("POST", "/api/v1/returns/{id}/rebook", [Auth, Deny, Ok]),
    ("GET", "/api/v1/employees/{id}/hardware", [Auth, Deny, Ok]),
    ("GET", "/api/v1/orders", [Auth, Deny, Ok]),
    ("POST", "/api/v1/orders", [Auth, Deny, Ok]),
    ("POST", "/api/v1/orders/{id}/actions", [Auth, Deny, Ok]),
];

/// UI rows: method, path, expected for anonymous, a user with no role, an onboarding
/// champion, an admin.
const UI: &[(&str, &str, [E; 4])] = &[
    ("GET", "/healthz", [Open, Open, Open, Open]),
    ("GET", "/metrics", [Open, Open, Open, Open]),
    ("GET", "/pkg/{file}", [Open, Open, Open, Open]),
    ("GET", "/login", [Open, Open, Open, Open]),
    ("POST", "/login", [Open, Open, Open, Open]),
    ("GET", "/setup", [Open, Open, Open, Open]),
    ("POST", "/setup", [Open, Open, Open, Open]),
    ("GET", "/auth/oidc/start", [Open, Open, Open, Open]),
    ("GET", "/auth/oidc/callback", [Open, Open, Open, Open]),
    ("POST", "/webhooks/merge-hris", [Auth, Auth, Auth, Auth]),
    ("GET", "/", [Auth, Ok, Ok, Ok]),
    ("POST", "/logout", [Auth, Ok, Ok, Ok]),
    ("GET", "/account", [Auth, Ok, Ok, Ok]),
    ("POST", "/account/password", [Auth, Ok, Ok, Ok]),
    ("GET", "/tasks", [Auth, Ok, Ok, Ok]),
    ("GET", "/tasks/{id}", [Auth, Deny, Ok, Ok]),
    ("POST", "/tasks/{id}/setup", [Auth, Deny, Ok, Ok]),
    ("POST", "/tasks/{id}/group-change", [Auth, Deny, Ok, Ok]),
    ("POST", "/tasks/{id}/offboard", [Auth, Deny, Ok, Ok]),
    ("POST", "/tasks/{id}/equip", [Auth, Deny, Ok, Ok]),
    ("POST", "/tasks/{id}/receive", [Auth, Deny, Ok, Ok]),
    ("POST", "/tasks/{id}/complete", [Auth, Deny, Ok, Ok]),
    ("POST", "/tasks/{id}/cancel", [Auth, Deny, Ok, Ok]),
    ("GET", "/employees", [Auth, Deny, Ok, Ok]),
    ("POST", "/employees", [Auth, Deny, Ok, Ok]),
    ("GET", "/employees/new", [Auth, Deny, Ok, Ok]),
    ("GET", "/employees/{id}", [Auth, Deny, Ok, Ok]),
    ("POST", "/employees/{id}/offboard", [Auth, Deny, Ok, Ok]),
    ("GET", "/settings", [Auth, Deny, Deny, Ok]),
    ("GET", "/settings/integrations/{id}", [Auth, Deny, Deny, Ok]),
    ("GET", "/settings/plugins", [Auth, Deny, Deny, Ok]),
    ("POST", "/settings/plugins/install", [Auth, Deny, Deny, Ok]),
    (
        "POST",
        "/settings/plugins/install/{token}/approve",
        [Auth, Deny, Deny, Ok],
    ),
    (
        "POST",
        "/settings/plugins/install/{token}/cancel",
        [Auth, Deny, Deny, Ok],
    ),
    (
        "POST",
        "/settings/plugins/{id}/remove",
        [Auth, Deny, Deny, Ok],
    ),
    (
        "POST",
        "/settings/integrations/{id}",
        [Auth, Deny, Deny, Ok],
    ),
    (
        "POST",
        "/settings/integrations/{id}/test",
        [Auth, Deny, Deny, Ok],
    ),
    ("GET", "/settings/sync", [Auth, Deny, Deny, Ok]),
    ("POST", "/settings/sync", [Auth, Deny, Deny, Ok]),
    ("GET", "/settings/quarantine", [Auth, Deny, Deny, Ok]),
    ("GET", "/holds", [Auth, Deny, Deny, Ok]),
    ("GET", "/holds/{id}", [Auth, Deny, Deny, Ok]),
    ("POST", "/holds/{id}/approve", [Auth, Deny, Deny, Ok]),
    ("POST", "/holds/{id}/reject", [Auth, Deny, Deny, Ok]),
    ("GET", "/settings/audit", [Auth, Deny, Deny, Ok]),
    ("GET", "/settings/status", [Auth, Deny, Deny, Ok]),
    ("GET", "/settings/applications", [Auth, Deny, Deny, Ok]),
    ("POST", "/settings/applications", [Auth, Deny, Deny, Ok]),
    (
        "POST",
        "/settings/applications/{id}/delete",
        [Auth, Deny, Deny, Ok],
    ),
    (
        "POST",
        "/settings/applications/{id}/provisioning",
        [Auth, Deny, Deny, Ok],
    ),
    ("GET", "/settings/groups", [Auth, Deny, Deny, Ok]),
    ("POST", "/settings/groups/rule", [Auth, Deny, Deny, Ok]),
    ("POST", "/settings/groups/custom", [Auth, Deny, Deny, Ok]),
    ("GET", "/settings/users", [Auth, Deny, Deny, Ok]),
    ("POST", "/settings/users", [Auth, Deny, Deny, Ok]),
    ("POST", "/settings/users/{id}", [Auth, Deny, Deny, Ok]),
    ("GET", "/settings/jobs", [Auth, Deny, Deny, Ok]),
    ("GET", "/settings/locations", [Auth, Deny, Deny, Ok]),
    ("POST", "/settings/locations", [Auth, Deny, Deny, Ok]),
    ("GET", "/hardware", [Auth, Deny, Deny, Ok]),
    ("POST", "/hardware/assets", [Auth, Deny, Deny, Ok]),
    ("POST", "/hardware/import", [Auth, Deny, Deny, Ok]),
    ("POST", "/hardware/import-mdm", [Auth, Deny, Deny, Ok]),
    ("GET", "/hardware/assets/{id}", [Auth, Deny, Deny, Ok]),
    (
        "POST",
        "/hardware/assets/{id}/action",
        [Auth, Deny, Deny, Ok],
    ),
    ("GET", "/hardware/returns", [Auth, Deny, Deny, Ok]),
    ("GET", "/hardware/returns/{id}", [Auth, Deny, Deny, Ok]),
    (
        "POST",
        "/hardware/returns/{id}/void",
        [Auth, Deny, Deny, Ok],
    ),
    (
        "POST",
        "/hardware/returns/{id}/rebook",
        [Auth, Deny, Deny, Ok],
    ),
    ("GET", "/hardware/settings", [Auth, Deny, Deny, Ok]),
    ("GET", "/hardware/store", [Auth, Deny, Deny, Ok]),
    ("POST", "/hardware/store/products", [Auth, Deny, Deny, Ok]),
    ("POST", "/hardware/orders/{id}", [Auth, Deny, Deny, Ok]),
    ("POST", "/hardware/settings", [Auth, Deny, Deny, Ok]),
    ("GET", "/demo/mail", [Auth, Deny, Deny, Ok]),
    ("POST", "/settings/jobs/{id}/retry", [Auth, Deny, Deny, Ok]),
    ("POST", "/settings/jobs/{id}/cancel", [Auth, Deny, Deny, Ok]),
];

/// `(method, path)` of every `.route(...)` in the server's HTTP source (the admin socket,
/// a 0600 Unix socket for root and the tenure user, aside).
fn routes_in_source() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http");
    let mut files = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs")
                && !p.ends_with("admin.rs")
                && !p.ends_with("admin_plugins.rs")
            {
                files.push(p);
            }
        }
    }
    let mut out = Vec::new();
    for f in files {
        let prefix = if f.parent().unwrap().ends_with("api") {
            "/api/v1"
        } else {
            ""
        };
        let text = std::fs::read_to_string(&f).unwrap();
        for chunk in text.split(".route(").skip(1) {
            // rustfmt may put the path on the next line.
            let Some(chunk) = chunk.trim_start().strip_prefix('"') else {
                continue;
            };
            let (path, rest) = chunk.split_once('"').unwrap();
            // The handlers up to the end of the `.route(...)` call.
            let mut depth = 1;
            let end = rest
                .char_indices()
                .find(|(_, c)| {
                    match c {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(rest.len(), |(i, _)| i);
            let call = &rest[..end];
            for (word, method) in [
                ("get(", "GET"),
                ("post(", "POST"),
                ("put(", "PUT"),
                ("delete(", "DELETE"),
                ("patch(", "PATCH"),
            ] {
                let found = call
                    .match_indices(word)
                    .any(|(i, _)| i == 0 || !call.as_bytes()[i - 1].is_ascii_alphanumeric());
                if found {
                    out.push((method.to_string(), format!("{prefix}{path}")));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn every_route_in_the_source_has_a_row() {
    let rows: Vec<(String, String)> = API
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .chain(UI.iter().map(|(m, p, _)| (m.to_string(), p.to_string())))
        .collect();
    let source = routes_in_source();
    assert!(source.len() > 60, "found only {source:?}");
    for r in &source {
        assert!(
            rows.contains(r),
            "{} {} has no row in the route × role table of tests/routes.rs",
            r.0,
            r.1
        );
    }
    for r in &rows {
        assert!(
            source.contains(r),
            "{} {} is in the table but not served",
            r.0,
            r.1
        );
    }
}

fn fill(path: &str, task: &str, employee: &str) -> String {
    path.replace("/tasks/{id}", &format!("/tasks/{task}"))
        .replace("/employees/{id}", &format!("/employees/{employee}"))
        .replace("/install/{token}", "/install/none")
        .replace("/plugins/{id}", "/plugins/merge-hris")
        .replace("/integrations/{id}", "/integrations/merge-hris")
        .replace("/holds/{id}/{decision}", "/holds/h-none/approve")
        .replace("/holds/{id}", "/holds/h-none")
        .replace("/applications/{id}", "/applications/none")
        .replace("/users/{id}", "/users/nobody")
        .replace("/assets/{id}", "/assets/A-none")
        .replace("/returns/{id}", "/returns/R-none")
        .replace("/orders/{id}", "/orders/O-none")
        .replace("/pkg/{file}", "/pkg/tenure_web.js")
}

fn check(what: &str, want: E, status: StatusCode, location: &str) {
    let to_sign_in = status == StatusCode::SEE_OTHER && location.starts_with("/login");
    let ok = match want {
        Open => !status.is_server_error(),
        Auth => status == StatusCode::UNAUTHORIZED || to_sign_in,
        Deny => status == StatusCode::FORBIDDEN,
        Ok => {
            status != StatusCode::UNAUTHORIZED
                && status != StatusCode::FORBIDDEN
                && !to_sign_in
                && !status.is_server_error()
        }
    };
    assert!(ok, "{what}: expected {want:?}, got {status} {location}");
}

#[tokio::test]
async fn every_route_answers_each_role_as_the_table_says() {
    let ui = Ui::start().await;
    ui.add_user("root", true);
    ui.add_user("nora", false);
    ui.add_user("olga", false);
    let mut catalog = Catalog::default();
    catalog.champions.onboarding = vec![champion("olga")];
    ui.set_catalog(catalog, "root").await;
    // A pre-hire gives a real employee and Complete IT Setup task to aim at.
    let root = ui.sign_in("root").await;
    let r = ui.add_pre_hire(&root, "Nia", "nia@acme.test").await;
    let task = r.location().trim_start_matches("/tasks/").to_string();
    ui.state
        .store
        .set_secret("merge-hris", "webhook_signature_key", "whsec-test")
        .unwrap();
    let employee = ui
        .state
        .engine
        .read(|k| k.employees.keys().next().unwrap().to_string())
        .await;

    // UI, with sessions; each role's forms carry its own CSRF token.
    let nora = ui.sign_in("nora").await;
    let olga = ui.sign_in("olga").await;
    let sessions = [None, Some(nora), Some(olga), Some(root)];
    let mut csrfs = Vec::new();
    for s in &sessions {
        csrfs.push(match s {
            Some(s) => ui.get("/account", Some(s)).await.csrf(),
            None => String::new(),
        });
    }
    for (method, path, want) in UI {
        // Signing out and in again would end the sessions the table uses.
        if *path == "/logout" {
            continue;
        }
        let target = fill(path, &task, &employee);
        for (i, session) in sessions.iter().enumerate() {
            let r = if *method == "GET" {
                ui.get(&target, session.as_deref()).await
            } else {
                ui.post(&target, session.as_deref(), &[("csrf", &csrfs[i])])
                    .await
            };
            let role = ["anonymous", "no role", "onboarding champion", "admin"][i];
            check(
                &format!("{method} {path} as {role}"),
                want[i],
                r.status,
                r.location(),
            );
        }
    }
    // Sign-out last, for everyone.
    for (i, session) in sessions.iter().enumerate() {
        let r = ui
            .post("/logout", session.as_deref(), &[("csrf", &csrfs[i])])
            .await;
        // Signed in or not, sign-out ends at the sign-in page; only a session's own
        // CSRF token ends it (the session then no longer opens pages).
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().starts_with("/login"), "{}", r.location());
        if let Some(s) = session {
            assert!(
                ui.get("/tasks", Some(s))
                    .await
                    .location()
                    .starts_with("/login")
            );
        }
    }

    // API last: its admin rows replace the catalog the UI rows rely on.
    let viewer = create_token(
        &ui.state.store,
        &TokenCreate {
            name: "v".into(),
            role: Role::Viewer,
        },
    )
    .unwrap()
    .token;
    let admin = create_token(
        &ui.state.store,
        &TokenCreate {
            name: "a".into(),
            role: Role::Admin,
        },
    )
    .unwrap()
    .token;
    for (method, path, want) in API {
        let url = format!("{}{}", ui.base, fill(path, &task, &employee));
        for (who, token) in [
            ("no token", None),
            ("viewer", Some(&viewer)),
            ("admin", Some(&admin)),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, (w, t))| ((w, want[i]), t))
        {
            let mut req = ui
                .http
                .request(method.parse().unwrap(), &url)
                .header("content-type", "application/json")
                .body("{}");
            if let Some(t) = token {
                req = req.header("authorization", format!("Bearer {t}"));
            }
            let r = ui.send(req).await;
            check(
                &format!("{method} {path} as {}", who.0),
                who.1,
                r.status,
                r.location(),
            );
        }
    }
}
