//! Work time zones, in process: employees synced from the fake Merge get the zone of
//! their work location; the API and Settings → Locations list the locations and let an
//! admin set a location's zone, which then wins; the profile says which zone and why.

mod common;

use common::ui_client::{Ui, with_flash};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tenure::http::admin::{TokenCreate, create_token};
use tenure::http::api::Role;
use tenure_fakes::{FakeMerge, ServerHandle};

struct Synced {
    ui: Ui,
    admin: String,
    viewer: String,
    /// Every synced employee as `GET /api/v1/employees` lists them.
    employees: Vec<Value>,
    _merge: ServerHandle,
}

impl Synced {
    async fn call(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .ui
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.ui.base))
            .header("authorization", format!("Bearer {token}"));
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let r = self.ui.send(req).await;
        let body = serde_json::from_str(&r.body).unwrap_or(Value::String(r.body));
        (r.status.as_u16(), body)
    }

    /// The id of the first employee whose work location is `office`.
    fn at(&self, office: &str) -> String {
        self.employees
            .iter()
            .find(|e| e["profile"]["work_location"] == office)
            .unwrap_or_else(|| panic!("nobody works in {office}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// `{name, source}` of `GET /api/v1/employees/{id}`.
    async fn zone_of(&self, id: &str) -> Value {
        let (status, body) = self
            .call(
                "GET",
                &format!("/api/v1/employees/{id}"),
                &self.viewer,
                None,
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(body["employee"].is_object() && body["tasks"].is_array());
        body["work_zone"].clone()
    }

    /// The row of `GET /api/v1/locations` whose label starts with `office`.
    async fn location(&self, office: &str) -> Value {
        let (status, body) = self
            .call("GET", "/api/v1/locations", &self.viewer, None)
            .await;
        assert_eq!(status, 200, "{body}");
        body["locations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| {
                l["label"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("{office}, "))
            })
            .unwrap_or_else(|| panic!("{office} is not listed: {body}"))
            .clone()
    }
}

/// A Tenure whose Merge (the fake, seeded with offices in nine cities) has been synced.
async fn synced() -> Synced {
    let ui = Ui::start().await;
    let token = |name: &str, role| {
        create_token(
            &ui.state.store,
            &TokenCreate {
                name: name.into(),
                role,
            },
        )
        .unwrap()
        .token
    };
    let (admin, viewer) = (token("admin", Role::Admin), token("viewer", Role::Viewer));
    let merge = FakeMerge::new("key", "acct").with_employees(150);
    let (origin, server) = merge.serve(0).await.unwrap();
    let mut s = Synced {
        ui,
        admin,
        viewer,
        employees: Vec::new(),
        _merge: server,
    };
    let settings =
        json!({"settings": {"base_url": origin, "api_key": "key", "account_token": "acct"}});
    let (status, body) = s
        .call(
            "PUT",
            "/api/v1/plugins/merge-hris/settings",
            &s.admin,
            Some(settings),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = s.call("POST", "/api/v1/sync", &s.admin, None).await;
    assert_eq!(status, 200, "{body}");
    let (_, list) = s
        .call("GET", "/api/v1/employees?limit=500", &s.viewer, None)
        .await;
    s.employees = list["items"].as_array().unwrap().clone();
    assert!(s.employees.len() >= 150, "{list}");
    s
}

#[tokio::test(flavor = "multi_thread")]
async fn synced_employees_get_their_locations_zone_and_an_admins_zone_wins() {
    let s = synced().await;
    let berlin = s.at("Berlin");
    let london = s.at("London");
    let sydney = s.at("Sydney");
    assert_eq!(s.zone_of(&berlin).await["name"], "Europe/Berlin");
    assert_eq!(s.zone_of(&london).await["name"], "Europe/London");
    let derived = s.zone_of(&berlin).await["source"]["derived"].clone();
    assert!(
        ["country", "region", "city"].contains(&derived.as_str().unwrap()),
        "{derived}"
    );
    // Australia spans zones: only the city or state (NSW) settles Sydney's.
    let sydney_zone = s.zone_of(&sydney).await;
    let placed = s
        .employees
        .iter()
        .find(|e| e["id"] == sydney.as_str())
        .unwrap()["profile"]["work_city"]
        .is_string();
    if placed {
        assert_eq!(sydney_zone["name"], "Australia/Sydney", "{sydney_zone}");
    } else {
        assert_eq!(sydney_zone["source"], "company", "{sydney_zone}");
    }

    // The listing: each office once, with its head count and zone.
    let (_, all) = s.call("GET", "/api/v1/locations", &s.viewer, None).await;
    // The default `[lifecycle] company_time_zone`.
    assert_eq!(all["company_time_zone"], "UTC", "{all}");
    assert_eq!(all["without_location"], 0, "{all}");
    let rows = all["locations"].as_array().unwrap();
    let counts: Vec<u64> = rows
        .iter()
        .map(|r| r["employees"].as_u64().unwrap())
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "most people first: {counts:?}"
    );
    let at_berlin = s
        .employees
        .iter()
        .filter(|e| e["profile"]["work_location"] == "Berlin")
        .count() as u64;
    let row = s.location("Berlin").await;
    assert_eq!(row["employees"], at_berlin, "{row}");
    assert_eq!(row["zone"]["name"], "Europe/Berlin", "{row}");
    assert_eq!(row["override"], Value::Null, "{row}");
    let label = s.location("Sydney").await["label"].clone();

    // Only admins set a zone; an unknown zone is refused with the reason.
    let set = |zone: Value| json!({"location": label, "zone": zone});
    let (status, _) = s
        .call(
            "PUT",
            "/api/v1/locations/zone",
            &s.viewer,
            Some(set(json!("Australia/Perth"))),
        )
        .await;
    assert_eq!(status, 403);
    let (status, body) = s
        .call(
            "PUT",
            "/api/v1/locations/zone",
            &s.admin,
            Some(set(json!("Mars/Olympus_Mons"))),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("is not a time zone"),
        "{body}"
    );
    assert_eq!(
        s.zone_of(&sydney).await,
        sydney_zone,
        "a refusal changes nothing"
    );

    let (status, body) = s
        .call(
            "PUT",
            "/api/v1/locations/zone",
            &s.admin,
            Some(set(json!("Australia/Perth"))),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["override"], "Australia/Perth", "{body}");
    assert_eq!(
        s.zone_of(&sydney).await,
        json!({"name": "Australia/Perth", "source": "location"})
    );
    assert_eq!(s.location("Sydney").await["override"], "Australia/Perth");
    assert_eq!(
        s.zone_of(&berlin).await["name"],
        "Europe/Berlin",
        "other locations keep theirs"
    );

    // Cleared, the location's own zone is back.
    let (status, _) = s
        .call(
            "PUT",
            "/api/v1/locations/zone",
            &s.admin,
            Some(set(Value::Null)),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(s.zone_of(&sydney).await, sydney_zone);
    assert_eq!(s.location("Sydney").await["override"], Value::Null);

    let (_, doc) = s.call("GET", "/api/v1/openapi.json", &s.viewer, None).await;
    for path in ["/api/v1/locations", "/api/v1/locations/zone"] {
        assert!(doc["paths"].get(path).is_some(), "{path} is not documented");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_profile_says_which_zone_and_settings_locations_sets_one() {
    let s = synced().await;
    let ui = &s.ui;
    ui.add_user("root", true);
    ui.add_user("nora", false);
    let root = ui.sign_in("root").await;
    let nora = ui.sign_in("nora").await;
    let berlin = s.at("Berlin");

    let profile = ui.get(&format!("/employees/{berlin}"), Some(&root)).await;
    assert_eq!(profile.status, StatusCode::OK);
    assert!(
        profile.body.contains("<dt>Time zone</dt>"),
        "{}",
        profile.body
    );
    assert!(
        profile
            .body
            .contains("Europe/Berlin — from the work location"),
        "{}",
        profile.body
    );
    assert!(
        profile.body.contains("<dt>Work location</dt><dd>Berlin, "),
        "{}",
        profile.body
    );

    assert_eq!(
        ui.get("/settings/locations", Some(&nora)).await.status,
        StatusCode::FORBIDDEN
    );
    let page = ui.get("/settings/locations", Some(&root)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("aria-label=\"Work locations\""));
    assert!(
        page.body.contains("ends at midnight"),
        "the page says what the zone does"
    );
    assert!(
        page.body.contains("<option value=\"Europe/Paris\">"),
        "zone names are offered"
    );
    let label = s.location("Berlin").await["label"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        page.body.contains(&format!("<td>{label}</td>")),
        "{}",
        page.body
    );
    assert!(page.body.contains("Europe/Berlin (from the work location"));
    let csrf = page.csrf();

    let post = |zone: &'static str, clear: bool| {
        let form = [
            ("csrf", csrf.clone()),
            ("location", label.clone()),
            ("zone", zone.to_string()),
            ("clear", if clear { "yes" } else { "" }.to_string()),
        ];
        let session = root.clone();
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            ui.post("/settings/locations", Some(&session), &pairs).await
        }
    };
    let refused = post("Europe/Atlantis", false).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    let shown = ui
        .get("/settings/locations", Some(&with_flash(&refused, &root)))
        .await;
    assert!(shown.body.contains("is not a time zone"), "{}", shown.body);

    let saved = post("Europe/Paris", false).await;
    assert_eq!(
        (saved.status, saved.location()),
        (StatusCode::SEE_OTHER, "/settings/locations")
    );
    let shown = ui
        .get("/settings/locations", Some(&with_flash(&saved, &root)))
        .await;
    assert!(
        shown.body.contains("now end at midnight in Europe/Paris"),
        "{}",
        shown.body
    );
    assert!(
        shown
            .body
            .contains("Europe/Paris (set for the work location by an admin)")
    );
    let profile = ui.get(&format!("/employees/{berlin}"), Some(&root)).await;
    assert!(
        profile
            .body
            .contains("Europe/Paris — set for the work location by an admin"),
        "{}",
        profile.body
    );

    let cleared = post("Europe/Paris", true).await;
    assert_eq!(cleared.status, StatusCode::SEE_OTHER);
    assert_eq!(s.zone_of(&berlin).await["name"], "Europe/Berlin");
    let nora_csrf = ui.get("/account", Some(&nora)).await.csrf();
    let form = [
        ("csrf", nora_csrf.as_str()),
        ("location", &label),
        ("zone", "UTC"),
    ];
    let r = ui.post("/settings/locations", Some(&nora), &form).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "only admins set zones");
    assert_eq!(s.zone_of(&berlin).await["name"], "Europe/Berlin");
}
