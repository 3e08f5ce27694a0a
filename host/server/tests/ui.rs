//! The web UI over HTTP, in process: first start, sign-in and sessions, CSRF, roles on
//! every page, security headers, and secrets that never reach the browser.

mod common;

use common::ui_client::{Ui, champion, with_flash};
use reqwest::StatusCode;
use reqwest::header::SET_COOKIE;
use tenure_domain::Catalog;

#[tokio::test]
async fn first_start_creates_one_admin_then_asks_everyone_to_sign_in() {
    let ui = Ui::start().await;
    let r = ui.get("/tasks", None).await;
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/setup"));
    let r = ui.get("/login", None).await;
    assert_eq!(r.location(), "/setup", "nobody can sign in yet");
    let code = ui.state.guards.setup.current().expect("a setup code");

    let weak = ui
        .post(
            "/setup",
            None,
            &[
                ("code", &code),
                ("user", "ada"),
                ("name", "Ada"),
                ("email", "ada@acme.test"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::BAD_REQUEST);
    assert!(weak.body.contains("at least 12 characters"));
    let r = ui
        .post(
            "/setup",
            None,
            &[
                ("code", &code),
                ("user", "Ada"),
                ("name", "Ada"),
                ("email", "ada@acme.test"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/settings?first=1")
    );
    let cookie = r
        .headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("tenure_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let session = r.session().unwrap();
    let page = ui.get("/settings?first=1", Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Connect your HR system"));

    // The first-admin form is gone once someone exists; a second try creates nobody.
    let again = ui
        .post(
            "/setup",
            None,
            &[
                ("code", &code),
                ("user", "eve"),
                ("name", "Eve"),
                ("email", "eve@x.test"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(again.location(), "/login");
    assert_eq!(ui.state.store.user_count().unwrap(), 1);
    assert_eq!(
        ui.state.store.user("ada").unwrap().unwrap().name,
        "Ada",
        "ids are lower-cased"
    );

    // Anonymous again: back to sign-in, coming back here afterwards.
    let r = ui.get("/employees?q=a", None).await;
    assert_eq!(r.location(), "/login?next=%2Femployees%3Fq%3Da");
}

#[tokio::test]
async fn sign_in_refuses_wrong_passwords_disabled_users_and_foreign_next() {
    let ui = Ui::start().await;
    ui.add_user("ada", true);
    let wrong = ui
        .post(
            "/login",
            None,
            &[("user", "ada"), ("password", "not the password")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.session().is_none());
    let unknown = ui
        .post(
            "/login",
            None,
            &[("user", "nobody"), ("password", "a long enough password")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    // The same answer whether or not the user exists.
    assert!(wrong.body.contains("do not match") && unknown.body.contains("do not match"));

    let r = ui
        .post(
            "/login",
            None,
            &[
                ("user", "ada"),
                ("password", "a long enough password"),
                ("next", "//evil.test/x"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/", "never off-site");
    let session = r.session().unwrap();
    assert_eq!(
        ui.get("/tasks", Some(&session)).await.status,
        StatusCode::OK
    );

    // Sign out ends the session on the server, not only in the browser.
    let page = ui.get("/tasks", Some(&session)).await;
    let out = ui
        .post("/logout", Some(&session), &[("csrf", &page.csrf())])
        .await;
    assert_eq!(out.location(), "/login");
    assert!(
        ui.get("/tasks", Some(&session))
            .await
            .location()
            .starts_with("/login")
    );

    // A disabled account cannot sign in, and its sessions stop working.
    ui.add_user("bob", false);
    let bob = ui.sign_in("bob").await;
    let mut record = ui.state.store.user("bob").unwrap().unwrap();
    record.disabled = true;
    ui.state.store.update_user(&record).unwrap();
    assert!(
        ui.get("/tasks", Some(&bob))
            .await
            .location()
            .starts_with("/login")
    );
    let r = ui
        .post(
            "/login",
            None,
            &[("user", "bob"), ("password", "a long enough password")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn forms_need_the_sessions_csrf_token_and_our_origin() {
    let ui = Ui::start().await;
    ui.add_user("ada", true);
    let session = ui.sign_in("ada").await;
    let csrf = ui.get("/employees/new", Some(&session)).await.csrf();
    fn fields(token: &str) -> Vec<(&str, &str)> {
        vec![
            ("csrf", token),
            ("given_name", "Nia"),
            ("family_name", "New"),
            ("work_email", "nia@acme.test"),
        ]
    }
    let r = ui.post("/employees", Some(&session), &fields("")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("security token"));
    let r = ui
        .post("/employees", Some(&session), &fields("forged"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        ui.state.engine.read(|k| k.employees.len()).await,
        0,
        "nothing added"
    );

    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("csrf", csrf.as_str()),
            ("given_name", "Nia"),
            ("family_name", "New"),
            ("work_email", "nia@acme.test"),
        ])
        .finish();
    let foreign = ui
        .send(
            ui.http
                .post(format!("{}/employees", ui.base))
                .header("cookie", format!("tenure_session={session}"))
                .header("origin", "https://evil.test")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);

    let r = ui.post("/employees", Some(&session), &fields(&csrf)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.location().starts_with("/tasks/T-"),
        "straight on to Complete IT Setup: {}",
        r.location()
    );
    let setup = ui.get(r.location(), Some(&with_flash(&r, &session))).await;
    assert!(setup.body.contains("Complete IT Setup") && setup.body.contains("Employee added."));
    // A bad record comes back with the reason and what was typed.
    let dup = ui.post("/employees", Some(&session), &fields(&csrf)).await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        dup.body.contains("nia@acme.test") && dup.body.contains("already"),
        "{}",
        dup.body
    );
}

#[tokio::test]
async fn every_page_checks_the_role_its_work_needs() {
    let ui = Ui::start().await;
    ui.add_user("ada", true);
    ui.add_user("hank", false);
    ui.add_user("vic", false);
    let mut catalog = Catalog::default();
    catalog.champions.hardware = vec![champion("hank")];
    catalog.champions.onboarding = vec![champion("ada")];
    ui.set_catalog(catalog, "ada").await;
    let ada = ui.sign_in("ada").await;
    let r = ui.add_pre_hire(&ada, "Nia", "nia@acme.test").await;
    let setup_task = r.location().to_string();

    let hank = ui.sign_in("hank").await;
    for path in [
        "/settings",
        "/settings/users",
        "/settings/audit",
        "/settings/integrations/trinet",
        "/employees/new",
        &setup_task,
    ] {
        assert_eq!(
            ui.get(path, Some(&hank)).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(
        ui.get("/employees", Some(&hank)).await.status,
        StatusCode::OK
    );
    let tasks = ui.get("/tasks", Some(&hank)).await;
    assert!(
        !tasks.body.contains("Settings"),
        "no settings link for champions"
    );
    let csrf = tasks.csrf();
    let r = ui
        .post(
            "/settings/users",
            Some(&hank),
            &[
                ("csrf", &csrf),
                ("user", "mallory"),
                ("name", "M"),
                ("email", "m@x.test"),
                ("password", "a long enough password"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(ui.state.store.user("mallory").unwrap().is_none());

    // Confirming Complete IT Setup with hardware opens Equip New Hire for hank.
    let page = ui.get(&setup_task, Some(&ada)).await;
    let r = ui
        .post(
            &format!("{setup_task}/setup"),
            Some(&ada),
            &[
                ("csrf", &page.csrf()),
                ("needs_hardware", "yes"),
                ("hardware", "ThinkPad X1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let hank_tasks = ui.get("/tasks", Some(&hank)).await;
    assert!(
        hank_tasks.body.contains("Equip New Hire"),
        "{}",
        hank_tasks.body
    );

    // No role at all: own task list only.
    let vic = ui.sign_in("vic").await;
    assert_eq!(ui.get("/tasks", Some(&vic)).await.status, StatusCode::OK);
    assert_eq!(
        ui.get("/employees", Some(&vic)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn pages_are_hardened_and_secrets_stay_on_the_server() {
    let ui = Ui::start().await;
    ui.add_user("ada", true);
    let ada = ui.sign_in("ada").await;
    let page = ui.get("/settings/integrations/trinet", Some(&ada)).await;
    assert_eq!(page.status, StatusCode::OK);
    for header in [
        "content-security-policy",
        "x-frame-options",
        "cache-control",
    ] {
        assert!(page.headers.contains_key(header), "{header}");
    }
    assert!(page.body.contains("Company ID") && page.body.contains("Client Secret"));
    let r = ui
        .post(
            "/settings/integrations/trinet",
            Some(&ada),
            &[
                ("csrf", &page.csrf()),
                ("setting.company_id", "ACME"),
                ("setting.client_id", "cid"),
                ("setting.client_secret", "s3cret-value"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let after = ui.get("/settings/integrations/trinet", Some(&ada)).await;
    assert!(!after.body.contains("s3cret-value"));
    assert!(after.body.contains("stored — leave blank to keep"));
    // Saving again with the secret blank keeps it.
    ui.post(
        "/settings/integrations/trinet",
        Some(&ada),
        &[("csrf", &after.csrf()), ("setting.client_secret", "")],
    )
    .await;
    assert_eq!(
        ui.state
            .store
            .secret("trinet", "client_secret")
            .unwrap()
            .as_deref(),
        Some("s3cret-value")
    );
    let bad = ui
        .post(
            "/settings/integrations/trinet",
            Some(&ada),
            &[("csrf", &after.csrf()), ("setting.base_url", "ftp://x")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::SEE_OTHER);
    let shown = ui
        .get(
            "/settings/integrations/trinet",
            Some(&with_flash(&bad, &ada)),
        )
        .await;
    assert!(
        shown.body.contains("must be an http(s) URL"),
        "{}",
        shown.body
    );
}

#[tokio::test]
async fn held_offboardings_are_approved_from_the_page_the_email_links_to() {
    use tenure_fakes::trinet::{FakeTriNet, TriNetDepartment, TriNetEmployee, TriNetName};
    let ui = Ui::start().await;
    ui.add_user("ada", true);
    ui.add_user("hank", false);
    let hr = FakeTriNet::new("ACME", "cid", "csecret");
    hr.add_department(TriNetDepartment {
        id: "D1".into(),
        name: "Sales".into(),
    });
    let person = |i: usize| TriNetEmployee {
        names: vec![TriNetName {
            first_name: "Staff".into(),
            last_name: format!("Member{i}"),
            name_type: "PRI".into(),
            ..TriNetName::default()
        }],
        employment_status: "A".into(),
        work_email: Some(format!("staff{i}@acme.test")),
        department_id: Some("D1".into()),
        service_date: Some("2020-01-06".into()),
        ..TriNetEmployee::default()
    };
    let ids: Vec<String> = (0..10).map(|i| hr.add_employee(person(i))).collect();
    let (origin, _server) = hr.clone().serve(0).await.unwrap();
    let store = &ui.state.store;
    store.set_setting("trinet", "base_url", &origin).unwrap();
    store.set_setting("trinet", "company_id", "ACME").unwrap();
    store.set_setting("trinet", "client_id", "cid").unwrap();
    store
        .set_secret("trinet", "client_secret", "csecret")
        .unwrap();
    assert!(ui.state.sync_all().await.iter().all(Result::is_ok));
    let today = tenure_domain::jiff::Timestamp::now()
        .to_zoned(tenure_domain::jiff::tz::TimeZone::UTC)
        .date()
        .to_string();
    for id in &ids[..5] {
        hr.update_employee(id, |e| {
            e.employment_status = "T".into();
            e.termination_date = Some(today.clone());
        });
    }
    assert!(ui.state.sync_all().await.iter().all(Result::is_ok));
    let hold = ui
        .state
        .engine
        .read(|k| k.holds.keys().next().cloned())
        .await
        .expect("half the company leaving is held");

    let hank = ui.sign_in("hank").await;
    assert_eq!(
        ui.get(&format!("/holds/{hold}"), Some(&hank)).await.status,
        StatusCode::FORBIDDEN
    );
    let ada = ui.sign_in("ada").await;
    let page = ui.get(&format!("/holds/{hold}"), Some(&ada)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("5 offboardings held") && page.body.contains("Staff Member0"),
        "{}",
        page.body
    );
    let r = ui
        .post(
            &format!("/holds/{hold}/approve"),
            Some(&ada),
            &[("csrf", &page.csrf())],
        )
        .await;
    assert_eq!(r.location(), "/holds");
    let shown = ui.get("/holds", Some(&with_flash(&r, &ada))).await;
    assert!(
        shown.body.contains("Approved: 5 offboardings opened.")
            && shown.body.contains("Approved by ada"),
        "{}",
        shown.body
    );
    let open = ui
        .state
        .engine
        .read(|k| {
            k.tasks
                .values()
                .filter(|t| t.is_open() && t.kind_name() == "offboard_employee")
                .count()
        })
        .await;
    assert_eq!(open, 5);
}

#[tokio::test]
async fn passwords_change_by_their_owner_or_are_reset_by_an_admin() {
    let ui = Ui::start().await;
    ui.add_user("ada", true);
    ui.add_user("bob", false);
    let ada = ui.sign_in("ada").await;
    let other = ui.sign_in("ada").await;
    let page = ui.get("/account", Some(&ada)).await;
    assert!(page.body.contains("Change password") && page.body.contains("admin"));
    let csrf = page.csrf();
    let wrong = ui
        .post(
            "/account/password",
            Some(&ada),
            &[
                ("csrf", &csrf),
                ("current", "guess"),
                ("new", "another long password"),
            ],
        )
        .await;
    let shown = ui.get("/account", Some(&with_flash(&wrong, &ada))).await;
    assert!(shown.body.contains("The current password is not right."));
    let r = ui
        .post(
            "/account/password",
            Some(&ada),
            &[
                ("csrf", &csrf),
                ("current", "a long enough password"),
                ("new", "another long password"),
            ],
        )
        .await;
    let fresh = r.session().expect("a new session for this browser");
    assert_eq!(ui.get("/tasks", Some(&fresh)).await.status, StatusCode::OK);
    assert!(
        ui.get("/tasks", Some(&other))
            .await
            .location()
            .starts_with("/login"),
        "other sessions end"
    );
    let old = ui
        .post(
            "/login",
            None,
            &[("user", "ada"), ("password", "a long enough password")],
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);

    // An admin resets bob's password: bob's sessions end, the new one works.
    let bob = ui.sign_in("bob").await;
    let users = ui.get("/settings/users", Some(&fresh)).await;
    let r = ui
        .post(
            "/settings/users/bob",
            Some(&fresh),
            &[
                ("csrf", &users.csrf()),
                ("new_password", "bobs new long password"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/settings/users");
    assert!(
        ui.get("/tasks", Some(&bob))
            .await
            .location()
            .starts_with("/login")
    );
    let r = ui
        .post(
            "/login",
            None,
            &[("user", "bob"), ("password", "bobs new long password")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}
