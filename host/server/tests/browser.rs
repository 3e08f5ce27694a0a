//! A champion's day in a real headless Chromium (Debian's `chromium`, driven through
//! `chromedriver` by WebDriver): first start (first admin, then TriNet HR Plus set up
//! against the fake TriNet, connection tested, first sync watched), the catalog from
//! the settings pages, Complete IT Setup with two apps and hardware, a Group Change, and
//! an offboarding. Each step asserts what the page shows and the resulting state through
//! the REST API. With `TENURE_UPDATE_SCREENSHOTS=1` it refreshes web/screenshots/*.png.

mod common;

use common::InProcess;
use common::browser::{Page, browser};
use fantoccini::Locator;
use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};
use tenure::http::admin::{TokenCreate, create_token};
use tenure::http::api::Role;
use tenure_domain::jiff::{Timestamp, ToSpan, civil::Date, tz::TimeZone};
use tenure_fakes::trinet::{FakeTriNet, TriNetDepartment, TriNetEmployee, TriNetName};

fn today() -> Date {
    Timestamp::now().to_zoned(TimeZone::UTC).date()
}

fn person(given: &str, family: &str, dept: &str, start: Date) -> TriNetEmployee {
    TriNetEmployee {
        names: vec![TriNetName {
            first_name: given.into(),
            last_name: family.into(),
            name_type: "PRI".into(),
            ..TriNetName::default()
        }],
        employment_status: "A".into(),
        work_email: Some(format!("{given}.{family}@acme.test").to_lowercase()),
        department_id: Some(dept.into()),
        service_date: Some(start.to_string()),
        ..TriNetEmployee::default()
    }
}

/// The REST API, to check what the pages did.
struct Api {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl Api {
    async fn get(&self, path: &str) -> Value {
        let r = self
            .http
            .get(format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "GET {path}: {}", r.status());
        serde_json::from_slice(&r.bytes().await.unwrap()).unwrap()
    }

    async fn tasks(&self, query: &str) -> Vec<Value> {
        self.get(&format!("/tasks?{query}")).await["items"]
            .as_array()
            .unwrap()
            .clone()
    }

    async fn employee(&self, email: &str) -> Value {
        let page = self.get(&format!("/employees?q={email}")).await;
        let id = page["items"][0]["id"].as_str().unwrap().to_string();
        self.get(&format!("/employees/{id}")).await
    }
}

fn apps_of(employee: &Value) -> Vec<String> {
    let mut apps: Vec<String> = employee["employee"]["access"]["grants"]["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    let adj = &employee["employee"]["adjustments"];
    if let Some(removed) = adj["removed"].as_array() {
        apps.retain(|a| !removed.iter().any(|r| r == a.as_str()));
    }
    if let Some(added) = adj["added"].as_array() {
        apps.extend(added.iter().map(|a| a.as_str().unwrap().to_string()));
    }
    apps.sort();
    apps
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_champion_onboards_changes_and_offboards_in_the_browser() {
    tenure_runtime::install_crypto_provider();
    // The HR system.
    let hr = FakeTriNet::new("ACME", "cid", "csecret");
    for (id, name) in [("D-ENG", "Engineering"), ("D-SALES", "Sales")] {
        hr.add_department(TriNetDepartment {
            id: id.into(),
            name: name.into(),
        });
    }
    let long_ago = today().checked_sub(700.days()).unwrap();
    hr.add_employee(person(
        "Nia",
        "New",
        "D-ENG",
        today().checked_add(7.days()).unwrap(),
    ));
    let dana = hr.add_employee(person("Dana", "Dev", "D-ENG", long_ago));
    hr.add_employee(person("Omar", "Old", "D-SALES", long_ago));
    for i in 0..8 {
        hr.add_employee(person("Staff", &format!("Member{i}"), "D-SALES", long_ago));
    }
    let (hr_origin, _hr_server) = hr.clone().serve(0).await.unwrap();

    // Tenure, fresh.
    let server = InProcess::start().await;
    let (base, state) = (server.base.clone(), &server.state);
    let api = Api {
        base: base.clone(),
        token: create_token(
            &state.store,
            &TokenCreate {
                name: "browser-test".into(),
                role: Role::Admin,
            },
        )
        .unwrap()
        .token,
        http: reqwest::Client::new(),
    };

    let (_driver, client) = browser().await;
    let shots = std::env::var_os("TENURE_UPDATE_SCREENSHOTS")
        .map(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/screenshots"));
    let page = Page {
        client,
        base,
        shots,
    };

    // First start: every page leads to creating the first admin.
    page.go("/tasks").await;
    assert_eq!(page.path().await, "/setup");
    page.shows(&["Welcome to Tenure", "Create the first administrator"])
        .await;
    // The code `tenure serve` prints on first start.
    let code = state
        .guards
        .setup
        .current()
        .expect("a setup code on first start");
    page.fill("#code", &code).await;
    page.fill("#user", "ada").await;
    page.fill("#name", "Ada Admin").await;
    page.fill("#email", "ada@acme.test").await;
    page.fill("#password", "short").await;
    // The browser's own check stops a short password; the server's too, without it.
    page.client
        .execute(
            "document.querySelector('#password').removeAttribute('minlength')",
            vec![],
        )
        .await
        .unwrap();
    page.press("Create administrator").await;
    page.shows(&["at least 12 characters"]).await;
    page.fill("#password", "correct horse battery").await;
    page.press("Create administrator").await;
    page.arrives("/settings?first=1").await;
    page.shows(&["Connect your HR system", "TriNet HR Plus", "Merge HRIS"])
        .await;
    page.shot("first-run").await;

    // Roles: Ada is every kind of champion (the catalog's champion lists).
    page.go("/settings/users").await;
    for role in ["onboarding", "hardware", "application"] {
        page.click(&format!(
            "form[action='/settings/users/ada'] input[value='{role}']"
        ))
        .await;
    }
    page.press("Save").await;
    page.shows(&["Ada Admin saved."]).await;
    let champions = api.get("/champions").await;
    assert_eq!(champions["onboarding"][0]["user"], "ada");

    // Applications and rules.
    for (id, name) in [
        ("github", "GitHub"),
        ("slack", "Slack"),
        ("figma", "Figma"),
        ("salesforce", "Salesforce"),
    ] {
        page.go("/settings/applications").await;
        page.fill("#app-name", name).await;
        page.fill("#app-id", id).await;
        page.press("Add application").await;
        page.shows(&[&format!("{name} added.")]).await;
    }
    // Okta holds the departments' groups; rules name them, checked when saved.
    let okta = tenure_fakes::okta::FakeOkta::new("okta-token");
    let okta_groups = [okta.add_group("Engineering"), okta.add_group("Sales")];
    let (okta_origin, _okta_server) = okta.clone().serve(0).await.unwrap();
    state
        .store
        .set_setting("okta", "org_url", &okta_origin)
        .unwrap();
    state
        .store
        .set_secret("okta", "api_token", "okta-token")
        .unwrap();
    page.go("/settings/groups").await;
    page.fill("#new-dept", "Engineering").await;
    page.fill("#new-ext", "okta:Engineers").await;
    page.client
        .find(Locator::Css("form:has(#new-dept) button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    page.shows(&["okta has no group or channel named `Engineers`"])
        .await;
    // Engineering's group typed by hand; Sales' found with the picker first.
    for (dept, apps, group, field) in [
        (
            "Engineering",
            ["github", "slack"],
            "okta:engineering",
            "#new-ext",
        ),
        (
            "Sales",
            ["salesforce", "slack"],
            "okta:Sales",
            "#new-ext-add",
        ),
    ] {
        page.go("/settings/groups").await;
        if dept == "Sales" {
            page.fill("#prefix", "sa").await;
            page.press("Search groups").await;
            page.shows(&["1 found", "okta:Sales"]).await;
            let option = page
                .client
                .find(Locator::Css(
                    "datalist#group-options option[value='okta:Sales']",
                ))
                .await;
            assert!(option.is_ok(), "the picker suggests what it found");
        }
        page.fill("#new-dept", dept).await;
        for app in apps {
            page.click(&format!("form:has(#new-dept) input[value='{app}']"))
                .await;
        }
        page.fill(field, group).await;
        page.client
            .find(Locator::Css("form:has(#new-dept) button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        page.shows(&["Rule saved."]).await;
    }
    assert_eq!(api.get("/rules").await.as_array().unwrap().len(), 2);

    // TriNet HR Plus: settings from its manifest, the secret write-only.
    page.go("/settings").await;
    page.click("a[aria-label='Set up TriNet HR Plus']").await;
    page.shows(&["Company ID", "Client ID", "Client Secret"])
        .await;
    page.fill("#setting-base_url", &hr_origin).await;
    page.fill("#setting-company_id", "ACME").await;
    page.fill("#setting-client_id", "cid").await;
    page.fill("#setting-client_secret", "csecret").await;
    page.press("Save").await;
    page.shows(&["Settings saved."]).await;
    let html = page.client.source().await.unwrap();
    assert!(
        !html.contains("csecret"),
        "a secret never goes back to the browser"
    );
    assert!(html.contains("stored — leave blank to keep"));
    page.press("Test connection").await;
    page.shows(&["Connection works."]).await;
    page.shot("integration").await;

    // The first sync, watched on the sync page.
    page.press("Start sync").await;
    page.arrives("/settings/sync").await;
    let started = Instant::now();
    loop {
        let text = page.text().await;
        if text.contains("trinet full") && !text.contains("Syncing") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "sync never finished:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        page.go("/settings/sync").await;
    }
    page.shows(&["Recent runs", "ok"]).await;
    page.shot("sync").await;

    // My tasks: Nia's Complete IT Setup, due on her start date.
    page.go("/tasks").await;
    page.shows(&["My tasks", "Complete IT Setup", "Nia New"])
        .await;
    page.shot("my-tasks").await;
    page.press("Complete IT Setup").await;
    page.shows(&[
        "suggested by Department Engineering",
        "Okta group Engineering",
    ])
    .await;
    assert!(page.checked("#app-github").await && page.checked("#app-slack").await);
    assert!(!page.checked("#app-figma").await);
    // The islands react at once: the count of selected apps, the hardware request.
    page.hydrated().await;
    page.shows(&["2 applications selected: GitHub, Slack."])
        .await;
    page.click("input[name='needs_hardware'][value='no']").await;
    assert!(
        !page.visible("#hardware").await,
        "no hardware: nothing to ask"
    );
    page.click("input[name='needs_hardware'][value='yes']")
        .await;
    assert!(page.visible("#hardware").await);
    // Two apps: GitHub from the rule, Figma added; Slack dropped. Hardware needed.
    page.click("#app-figma").await;
    page.click("#app-slack").await;
    page.shows(&["2 applications selected: GitHub, Figma."])
        .await;
    page.fill("#hardware", "MacBook Pro 14").await;
    page.shot("complete-it-setup").await;
    page.press("Confirm IT setup").await;
    // Ada equips new hires too: she goes straight on to Equip New Hire.
    page.shows(&[
        "IT setup confirmed. Now equip the new hire.",
        "Requested: MacBook Pro 14.",
    ])
    .await;
    let nia_now = api.employee("nia.new@acme.test").await;
    page.go(&format!(
        "/employees/{}",
        nia_now["employee"]["id"].as_str().unwrap()
    ))
    .await;
    page.shows(&["Nia New", "GitHub", "Figma", "MacBook Pro 14"])
        .await;
    page.shot("employee").await;
    assert_eq!(apps_of(&nia_now), ["figma", "github"]);
    let setup = api
        .tasks(&format!(
            "state=done&kind=complete_it_setup&employee={}",
            nia_now["employee"]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(setup[0]["decision"]["hardware"], "MacBook Pro 14");
    let equip = api.tasks("state=open&kind=equip_new_hire").await;
    assert_eq!(equip.len(), 1, "Equip New Hire opened for the hardware");
    assert_eq!(equip[0]["assignees"], json!(["ada"]));

    // A department change: Dana moves to Sales.
    hr.update_employee(&dana, |e| e.department_id = Some("D-SALES".into()));
    page.go("/settings/sync").await;
    page.press("Sync now").await;
    let started = Instant::now();
    while !api
        .tasks("state=open&kind=group_change")
        .await
        .iter()
        .any(|t| t["employee"]["name"] == "Dana Dev")
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no Group Change for Dana"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    page.go("/tasks").await;
    page.press("Group Change").await;
    page.shows(&[
        "Department Engineering",
        "Department Sales",
        "granted by Department Sales",
        "Groups and channels",
        "Okta group Engineering",
        "Okta group Sales",
        "automatic (okta)",
    ])
    .await;
    // Groups default to the rules: leave Engineering's, join Sales'. The champion
    // keeps Engineering's for the handover.
    let okta_field = |i: usize, value: &str| {
        format!(
            "input[name='group.group:okta:{}'][value='{value}']",
            okta_groups[i]
        )
    };
    assert!(page.checked(&okta_field(0, "remove")).await);
    assert!(page.checked(&okta_field(1, "grant")).await);
    page.click(&okta_field(0, "keep")).await;
    assert!(
        page.checked("input[name='choice.github'][value='remove']")
            .await
    );
    assert!(
        page.checked("input[name='choice.salesforce'][value='grant']")
            .await
    );
    assert!(
        page.checked("input[name='choice.slack'][value='keep']")
            .await
    );
    // Keep GitHub a while for the handover.
    page.click("input[name='choice.github'][value='keep']")
        .await;
    page.shot("group-change").await;
    page.press("Apply group change").await;
    page.shows(&["Group change applied.", "Dana Dev", "Salesforce"])
        .await;
    let dana_now = api.employee("dana.dev@acme.test").await;
    assert_eq!(apps_of(&dana_now), ["github", "salesforce", "slack"]);
    let kept = &dana_now["employee"]["adjustments"]["groups_added"];
    assert_eq!(kept[0]["name"], "Engineering", "{dana_now}");
    let done = api
        .tasks(&format!(
            "state=done&kind=group_change&employee={}",
            dana_now["employee"]["id"].as_str().unwrap()
        ))
        .await;
    let choices = &done[0]["decision"]["external_groups"];
    assert_eq!(choices[format!("group:okta:{}", okta_groups[0])], "keep");
    assert_eq!(choices[format!("group:okta:{}", okta_groups[1])], "grant");
    // Her page lists each group with where its membership stands.
    page.go(&format!(
        "/employees/{}",
        dana_now["employee"]["id"].as_str().unwrap()
    ))
    .await;
    page.shows(&[
        "Groups and channels",
        "Okta group Engineering",
        "Okta group Sales",
        "(via okta)",
    ])
    .await;

    // Offboarding today, from the employee's page.
    page.go("/employees").await;
    page.fill("#q", "omar").await;
    page.press("Search").await;
    page.shows(&["1–1 of 1"]).await;
    page.press("Omar Old").await;
    page.click("details.card summary").await;
    page.press("Offboard employee now").await;
    page.shows(&[
        "Offboarding opened",
        "Revoke access",
        "Salesforce",
        "Slack",
        "by hand: a task opens",
    ])
    .await;
    // Shipping needs a confirmed address: the page says so and keeps the task open.
    page.press("Confirm offboarding").await;
    page.shows(&["confirm the address the return label picks up from"])
        .await;
    page.hydrated().await;
    assert!(!page.visible("#site").await);
    page.click("input[name='retrieval'][value='ship_to_site']")
        .await;
    assert!(
        page.visible("#site").await,
        "a site is asked for when shipping to one"
    );
    page.click("input[name='retrieval'][value='keep']").await;
    page.shows(&["Nothing ships: no address needed."]).await;
    page.click("input[name='retrieval'][value='ship_to_warehouse']")
        .await;
    // Omar has no devices in inventory: nothing is locked, wiped or shipped from here,
    // and the page says a person sends the label.
    page.shows(&[
        "No devices of this employee are in inventory",
        "A hardware champion sends a return label by hand",
    ])
    .await;
    assert!(
        page.client
            .find(Locator::Css("input[name='mdm'][value='lock']"))
            .await
            .is_err(),
        "no MDM action without a device an MDM manages"
    );
    page.fill("#address", "12 Elm St, Springfield, IL 62701")
        .await;
    page.shot("offboard").await;
    page.press("Confirm offboarding").await;
    page.shows(&[
        "Offboarding confirmed.",
        "terminated",
        "ship to the warehouse",
        "12 Elm St",
    ])
    .await;
    let omar = api.employee("omar.old@acme.test").await;
    assert_eq!(omar["employee"]["status"], "terminated");
    let done = api.tasks("state=done&kind=offboard_employee").await;
    assert_eq!(done[0]["decision"]["mdm"], "none");
    assert_eq!(
        done[0]["decision"]["retrieval"]["method"],
        "ship_to_warehouse"
    );

    // The people list and signing out and in again.
    page.go("/employees").await;
    page.shows(&["Dana Dev", "Nia New", "pending", "terminated"])
        .await;
    page.shot("employees").await;
    // On a phone: the same pages, narrower.
    page.client.set_window_size(400, 820).await.unwrap();
    page.go(&format!(
        "/employees/{}",
        nia_now["employee"]["id"].as_str().unwrap()
    ))
    .await;
    page.shows(&["Nia New", "Applications", "GitHub"]).await;
    page.shot("phone-employee").await;
    page.client.set_window_size(1100, 860).await.unwrap();
    page.press("Sign out").await;
    page.arrives("/login").await;
    page.go("/employees").await;
    page.arrives("/login?next=%2Femployees").await;
    page.fill("#user", "ada").await;
    page.fill("#password", "wrong password!").await;
    page.press("Sign in").await;
    page.shows(&["do not match an active account"]).await;
    page.fill("#password", "correct horse battery").await;
    page.press("Sign in").await;
    page.arrives("/employees").await;

    page.client.close().await.unwrap();
}
