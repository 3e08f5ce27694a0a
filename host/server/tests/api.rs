//! The REST API in process: bearer tokens, roles, plugin settings with write-only
//! secrets, connection tests against the fake Merge, the OpenAPI document.

mod common;

use common::InProcess;
use serde_json::{Value, json};
use tenure::app::AppState;
use tenure::http::admin::{TokenCreate, create_token};
use tenure::http::api::Role;
use tenure_fakes::FakeMerge;

struct Api {
    base: String,
    http: reqwest::Client,
    state: AppState,
    _server: InProcess,
}

impl Api {
    async fn start() -> Api {
        let server = InProcess::start().await;
        Api {
            base: server.base.clone(),
            http: reqwest::Client::new(),
            state: server.state.clone(),
            _server: server,
        }
    }

    fn token(&self, name: &str, role: Role) -> String {
        create_token(
            &self.state.store,
            &TokenCreate {
                name: name.into(),
                role,
            },
        )
        .unwrap()
        .token
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
}

#[tokio::test]
async fn every_api_route_needs_a_valid_token() {
    let api = Api::start().await;
    let (status, body) = api.call("GET", "/api/v1/plugins", None, None).await;
    assert_eq!(status, 401);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("tenure token create"),
        "{body}"
    );
    let (status, _) = api
        .call("GET", "/api/v1/plugins", Some("tnr_forged"), None)
        .await;
    assert_eq!(status, 401);
    let admin = api.token("ci", Role::Admin);
    let (status, _) = api.call("GET", "/api/v1/plugins", Some(&admin), None).await;
    assert_eq!(status, 200);
    api.state.store.revoke_api_token("ci").unwrap();
    let (status, _) = api.call("GET", "/api/v1/plugins", Some(&admin), None).await;
    assert_eq!(status, 401, "a revoked token stops working at once");
    let (status, body) = api
        .call("GET", "/api/v1/nothing-here", Some(&admin), None)
        .await;
    assert_eq!(
        status, 401,
        "unknown routes answer only after auth too: {body}"
    );
}

#[tokio::test]
async fn secrets_are_write_only_and_only_admins_change_settings() {
    let api = Api::start().await;
    let fake = FakeMerge::new("k-123-secret", "acct").with_employees(2);
    let (origin, _server) = fake.clone().serve(0).await.unwrap();
    let admin = api.token("admin", Role::Admin);
    let viewer = api.token("dashboard", Role::Viewer);
    let update = json!({"settings": {"base_url": origin, "api_key": "k-123-secret", "account_token": "acct"}});

    let (status, body) = api
        .call(
            "PUT",
            "/api/v1/plugins/merge-hris/settings",
            Some(&viewer),
            Some(update.clone()),
        )
        .await;
    assert_eq!(status, 403, "{body}");

    let (status, body) = api
        .call(
            "PUT",
            "/api/v1/plugins/merge-hris/settings",
            Some(&admin),
            Some(update),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        !body.to_string().contains("k-123-secret"),
        "a secret came back: {body}"
    );
    assert_eq!(body["configured"], true);
    let setting = |key: &str| {
        body["settings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == key)
            .unwrap()
            .clone()
    };
    assert_eq!(setting("api_key")["is_set"], true);
    assert_eq!(setting("api_key")["value"], Value::Null);
    assert_eq!(setting("base_url")["value"], json!(origin));

    // Testing makes the plugin call out with its credentials: admins only.
    let (status, _) = api
        .call(
            "POST",
            "/api/v1/plugins/merge-hris/test",
            Some(&viewer),
            None,
        )
        .await;
    assert_eq!(status, 403);
    let (status, body) = api
        .call(
            "POST",
            "/api/v1/plugins/merge-hris/test",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!((status, body["ok"].clone()), (200, json!(true)), "{body}");

    let wrong = json!({"settings": {"api_key": "wrong"}});
    api.call(
        "PUT",
        "/api/v1/plugins/merge-hris/settings",
        Some(&admin),
        Some(wrong),
    )
    .await;
    let (_, body) = api
        .call(
            "POST",
            "/api/v1/plugins/merge-hris/test",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(body["ok"], false);
    assert!(
        body["error"].as_str().unwrap().contains("unauthorized"),
        "{body}"
    );

    let bad = json!({"settings": {"api_token": "x"}});
    let (status, body) = api
        .call(
            "PUT",
            "/api/v1/plugins/merge-hris/settings",
            Some(&admin),
            Some(bad),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap().contains("api_key"),
        "lists the real settings: {body}"
    );

    let (status, body) = api
        .call("GET", "/api/v1/plugins/okta-nope", Some(&admin), None)
        .await;
    assert_eq!(status, 404, "{body}");
}

#[tokio::test]
async fn the_openapi_document_describes_the_routes() {
    let api = Api::start().await;
    let admin = api.token("docs", Role::Admin);
    let (status, doc) = api
        .call("GET", "/api/v1/openapi.json", Some(&admin), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/v1/plugins",
        "/api/v1/plugins/{id}",
        "/api/v1/plugins/{id}/settings",
        "/api/v1/plugins/{id}/test",
        "/api/v1/sync",
        "/api/v1/employees",
        "/api/v1/employees/{id}/offboard",
        "/api/v1/tasks",
        "/api/v1/quarantine",
        "/api/v1/audit",
        "/api/v1/catalog",
        "/api/v1/holds/{id}/{decision}",
        "/api/v1/sync/runs",
        "/api/v1/tasks/{id}",
        "/api/v1/tasks/{id}/actions",
        "/api/v1/groups",
        "/api/v1/rules",
        "/api/v1/applications",
        "/api/v1/champions",
        "/api/v1/employees/{id}/dry-run",
        "/api/v1/dry-run",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
}

#[tokio::test]
async fn groups_rules_applications_and_champions_are_edited_part_by_part() {
    let api = Api::start().await;
    let admin = api.token("admin", Role::Admin);
    let viewer = api.token("viewer", Role::Viewer);
    let rule = json!([{
        "group": {"kind": "custom", "name": "contractors"},
        "applications": ["github"],
        "external_groups": [{"system": "okta", "id": "00g1", "name": "Contractors"}]
    }]);

    let (status, body) = api
        .call("PUT", "/api/v1/rules", Some(&admin), Some(rule.clone()))
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"],
        "a rule names custom group `contractors`, which does not exist"
    );
    let groups = json!([{"id": "contractors", "name": "Contractors", "match": {"title_contains": "contractor"}}]);
    let (status, _) = api
        .call("PUT", "/api/v1/groups", Some(&viewer), Some(groups.clone()))
        .await;
    assert_eq!(status, 403, "viewers read only");
    let (status, _) = api
        .call("PUT", "/api/v1/groups", Some(&admin), Some(groups))
        .await;
    assert_eq!(status, 200);
    let (status, body) = api
        .call("PUT", "/api/v1/rules", Some(&admin), Some(rule.clone()))
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"],
        "a rule grants application `github`, which is not in the applications"
    );
    let apps = json!([{"id": "github", "name": "GitHub", "connector": null}]);
    assert_eq!(
        api.call("PUT", "/api/v1/applications", Some(&admin), Some(apps))
            .await
            .0,
        200
    );
    // The rule's Okta group is checked against Okta, which has no settings yet.
    let (status, body) = api
        .call("PUT", "/api/v1/rules", Some(&admin), Some(rule.clone()))
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"],
        "fill in okta's settings (Settings → Integrations) before naming its groups"
    );
    let mut plain = rule.clone();
    plain[0]["external_groups"] = json!([]);
    assert_eq!(
        api.call("PUT", "/api/v1/rules", Some(&admin), Some(plain.clone()))
            .await
            .0,
        200
    );
    let champions =
        json!({"onboarding": [{"user": "ona", "name": "Ona", "email": "ona@acme.test"}]});
    assert_eq!(
        api.call("PUT", "/api/v1/champions", Some(&admin), Some(champions))
            .await
            .0,
        200
    );

    let (_, rules) = api.call("GET", "/api/v1/rules", Some(&viewer), None).await;
    assert_eq!(rules, plain);
    let (_, groups) = api.call("GET", "/api/v1/groups", Some(&viewer), None).await;
    assert_eq!(groups["custom"][0]["id"], "contractors");
    assert_eq!(groups["departments"], json!({}));
    let (_, catalog) = api
        .call("GET", "/api/v1/catalog", Some(&viewer), None)
        .await;
    assert_eq!(catalog["champions"]["onboarding"][0]["user"], "ona");
    assert_eq!(catalog["applications"][0]["name"], "GitHub");

    let (_, audit) = api
        .call("GET", "/api/v1/audit?limit=10", Some(&viewer), None)
        .await;
    let details: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "catalog_changed")
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert_eq!(
        details,
        vec![
            "champions: 0 → 1",
            "rules: 0 → 1",
            "applications: 0 → 1",
            "custom groups: 0 → 1"
        ],
        "every edit, newest first, with who made it"
    );
    assert_eq!(audit[0]["actor"]["id"], "token:admin");
}

#[tokio::test]
async fn task_lists_refuse_unknown_filters_and_tasks_answer_404() {
    let api = Api::start().await;
    let viewer = api.token("viewer", Role::Viewer);
    let admin = api.token("admin", Role::Admin);
    let (status, body) = api
        .call("GET", "/api/v1/tasks?state=finished", Some(&viewer), None)
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"],
        "`finished` is not a task state; use one of: open, done, cancelled, all"
    );
    let (status, body) = api
        .call(
            "GET",
            "/api/v1/tasks?state=open&limit=5",
            Some(&viewer),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({"total": 0, "offset": 0, "items": []}));
    let (status, _) = api
        .call("GET", "/api/v1/tasks/T-9", Some(&viewer), None)
        .await;
    assert_eq!(status, 404);
    let action = json!({"action": "complete"});
    let (status, _) = api
        .call(
            "POST",
            "/api/v1/tasks/T-9/actions",
            Some(&viewer),
            Some(action.clone()),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = api
        .call(
            "POST",
            "/api/v1/tasks/T-9/actions",
            Some(&admin),
            Some(action),
        )
        .await;
    assert_eq!(status, 404);
    let (status, runs) = api
        .call("GET", "/api/v1/sync/runs", Some(&viewer), None)
        .await;
    assert_eq!((status, runs), (200, json!([])));
    let (_, sources) = api.call("GET", "/api/v1/sync", Some(&viewer), None).await;
    let ids: Vec<&str> = sources
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["source"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["merge-hris", "trinet"]);
    assert!(
        sources
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["configured"] == false)
    );
}

#[tokio::test]
async fn decisions_close_tasks_through_the_api_and_bad_ones_say_why() {
    let api = Api::start().await;
    let admin = api.token("admin", Role::Admin);
    let viewer = api.token("viewer", Role::Viewer);
    let catalog = json!({
        "applications": [{"id": "github", "name": "GitHub", "connector": null}],
        "champions": {"hardware": [{"user": "hank", "name": "Hank", "email": "hank@acme.test"}]}
    });
    let (status, _) = api
        .call("PUT", "/api/v1/catalog", Some(&admin), Some(catalog))
        .await;
    assert_eq!(status, 200);
    let hire = json!({"given_name": "Nia", "family_name": "New", "work_email": "nia@acme.test"});
    let (status, _) = api
        .call("POST", "/api/v1/employees", Some(&admin), Some(hire))
        .await;
    assert_eq!(status, 200, "pre-hire added");
    let (_, tasks) = api
        .call(
            "GET",
            "/api/v1/tasks?kind=complete_it_setup",
            Some(&admin),
            None,
        )
        .await;
    let id = tasks["items"][0]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/tasks/{id}/decision");
    let setup = json!({"decision": "setup", "applications": ["github"], "hardware": "ThinkPad"});
    let (status, _) = api
        .call("POST", &path, Some(&viewer), Some(setup.clone()))
        .await;
    assert_eq!(status, 403);
    let wrong = json!({"decision": "offboard", "retrieval": {"method": "keep"}});
    let (status, body) = api.call("POST", &path, Some(&admin), Some(wrong)).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"],
        "that decision does not fit a Complete IT Setup task"
    );
    let (status, task) = api.call("POST", &path, Some(&admin), Some(setup)).await;
    assert_eq!(status, 200, "{task}");
    assert_eq!(task["state"]["state"], "done");
    assert_eq!(task["decision"]["decision"], "setup");
    assert_eq!(task["decision"]["hardware"], "ThinkPad");
    let (_, equip) = api
        .call(
            "GET",
            "/api/v1/tasks?kind=equip_new_hire&assignee=hank",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(equip["total"], 1);
    assert_eq!(equip["items"][0]["kind"]["request"], "ThinkPad");
}
