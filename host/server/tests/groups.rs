//! Groups and channels end to end through the real `tenure` binary: rules name Okta and
//! Entra groups by name (checked against the connectors when saved), a hire from HR
//! joins them, a department change moves exactly what the champion chose, and an
//! offboarding leaves every one, with Okta answering 429s along the way and nothing
//! done twice.

mod common;

use common::running::Tenure;
use common::start_smtp;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tenure_fakes::ServerHandle;
use tenure_fakes::graph::FakeGraph;
use tenure_fakes::merge::{FakeMerge, MergeEmployee, MergeGroup};
use tenure_fakes::okta::FakeOkta;

const TENANT: &str = "acme-tenant";
const GRAPH_CLIENT: &str = "graph-client";
const GRAPH_SECRET: &str = "graph-secret";
const OKTA_TOKEN: &str = "okta-token";
const ADA: &str = "ada.lovelace@acme.test";

struct Vendors {
    graph: FakeGraph,
    okta: FakeOkta,
    merge: FakeMerge,
    departments: [String; 2],
    _servers: Vec<ServerHandle>,
}

/// Merge with two departments, Okta (at most `okta_per_second` calls a second) and
/// Microsoft Graph with their groups, and the configuration that connects them.
async fn vendors(okta_per_second: u32) -> (Vendors, String) {
    tenure_runtime::install_crypto_provider();
    let graph = FakeGraph::new(TENANT, GRAPH_CLIENT, GRAPH_SECRET);
    for g in ["Engineering Team", "Sales Team"] {
        graph.add_group(g);
    }
    let okta = FakeOkta::new(OKTA_TOKEN).with_rate_limit(okta_per_second, Duration::from_secs(1));
    for g in ["Engineering", "Sales"] {
        okta.add_group(g);
    }
    let merge = FakeMerge::new("key", "acct");
    let department = |name: &str| {
        merge.add_group(MergeGroup {
            name: Some(name.into()),
            group_type: Some("DEPARTMENT".into()),
            ..MergeGroup::default()
        })
    };
    let departments = [department("Engineering"), department("Sales")];
    let (graph_origin, g) = graph.clone().serve(0).await.unwrap();
    let (okta_origin, o) = okta.clone().serve(0).await.unwrap();
    let (merge_origin, m) = merge.clone().serve(0).await.unwrap();
    let graph_settings = format!(
        "tenant_id = \"{TENANT}\"\nclient_id = \"{GRAPH_CLIENT}\"\nclient_secret = \"{GRAPH_SECRET}\"\n\
         login_url = \"{graph_origin}\"\ngraph_url = \"{graph_origin}\"\n"
    );
    let config = format!(
        "[integrations.merge-hris]\nbase_url = \"{merge_origin}\"\napi_key = \"key\"\naccount_token = \"acct\"\n\n\
         [integrations.microsoft365]\n{graph_settings}usage_location_default = \"US\"\n\n\
         [integrations.entra]\n{graph_settings}\n\
         [integrations.okta]\norg_url = \"{okta_origin}\"\napi_token = \"{OKTA_TOKEN}\"\n\n\
         [jobs]\nfirst_backoff_secs = 1\nmax_backoff_secs = 4\npoll_millis = 200\nmax_attempts = 40\n"
    );
    (
        Vendors {
            graph,
            okta,
            merge,
            departments,
            _servers: vec![g, o, m],
        },
        config,
    )
}

fn group(connector: &str, name: &str) -> Value {
    json!({"connector": connector, "id": "", "name": name})
}

/// Okta and Microsoft 365 for both departments; each department's Okta group and
/// Entra group, named as an admin types them.
fn catalog(extra_okta_group: Option<&str>) -> Value {
    let champion =
        |user: &str| json!({"user": user, "name": user, "email": format!("{user}@acme.test")});
    let mut eng = vec![
        group("okta", "Engineering"),
        group("entra", "engineering team"),
    ];
    if let Some(g) = extra_okta_group {
        eng.push(group("okta", g));
    }
    json!({
        "champions": {
            "onboarding": [champion("ona")],
            "hardware": [champion("hal")],
            "default_application": [champion("dana")]
        },
        "applications": [
            {"id": "okta", "name": "Okta", "connector": "okta"},
            {"id": "m365", "name": "Microsoft 365", "connector": "microsoft365"}
        ],
        "rules": [
            {"group": {"kind": "department", "name": "Engineering"},
             "applications": ["okta", "m365"], "external_groups": eng},
            {"group": {"kind": "department", "name": "Sales"},
             "applications": ["okta", "m365"],
             "external_groups": [group("okta", "Sales"), group("entra", "Sales Team")]}
        ]
    })
}

fn ada(department: &str) -> MergeEmployee {
    MergeEmployee {
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        work_email: Some(ADA.into()),
        groups: vec![department.to_string()],
        employment_status: Some("ACTIVE".into()),
        start_date: Some("2024-01-08T00:00:00Z".into()),
        ..MergeEmployee::default()
    }
}

/// Waits until `id` has exactly the access records `want` (app or group name → state).
async fn access_becomes(t: &Tenure, id: &str, want: &[(&str, &str)], secs: u64) -> Value {
    let started = Instant::now();
    loop {
        let a = t.get(&format!("/employees/{id}/access")).await;
        let mut got: Vec<(String, String)> = a["access"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let name = r["group"]["name"].as_str().or(r["app"].as_str());
                (
                    name.unwrap().to_string(),
                    r["state"]["state"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        got.sort();
        let mut wanted: Vec<(String, String)> = want
            .iter()
            .map(|(a, s)| (a.to_string(), s.to_string()))
            .collect();
        wanted.sort();
        if got == wanted {
            return a;
        }
        assert!(
            started.elapsed() < Duration::from_secs(secs),
            "access never became {wanted:?}: {got:?}\njobs: {:#}",
            t.get("/jobs?state=all").await
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn graph_groups_of(graph: &FakeGraph, upn: &str) -> Vec<String> {
    let mut names: Vec<String> = graph
        .groups()
        .into_iter()
        .filter(|g| graph.group_member_upns(&g.id).iter().any(|u| u == upn))
        .map(|g| g.display_name)
        .collect();
    names.sort();
    names
}

fn okta_groups_of(okta: &FakeOkta, login: &str) -> Vec<String> {
    let mut names = okta.user_groups(login);
    names.retain(|g| g != "Everyone");
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hire_joins_the_department_groups_a_move_follows_the_champion_and_a_leaver_leaves_all() {
    let smtp = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    let (v, config) = vendors(6).await;
    let t = Tenure::start(dir.path(), &config, &smtp);

    // A group that does not exist is refused with its name; the rest resolve.
    let resp = t
        .http
        .put(format!("{}/catalog", t.base))
        .bearer_auth(&t.token)
        .json(&catalog(Some("Engineerz")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body = resp.text().await.unwrap();
    assert!(
        body.contains("okta has no group or channel named `Engineerz`"),
        "{body}"
    );
    t.call("PUT", "/catalog", Some(catalog(None))).await;
    let rules = t.get("/catalog").await["rules"].clone();
    let entra_eng = &rules[0]["external_groups"][1];
    assert_eq!(
        entra_eng["name"], "Engineering Team",
        "the directory's own spelling"
    );
    assert_ne!(entra_eng["id"], "", "resolved to the group's id");

    // A hire in Engineering: accounts and both department groups, once each.
    let hr_id = v.merge.add_employee(ada(&v.departments[0]));
    t.sync().await;
    let id = t.find(ADA).await["id"].as_str().unwrap().to_string();
    let setup = t
        .tasks(&format!("employee={id}&kind=complete_it_setup&state=open"))
        .await;
    t.call(
        "POST",
        &format!("/tasks/{}/decision", setup[0]["id"].as_str().unwrap()),
        Some(json!({"decision": "setup", "applications": ["okta", "m365"], "accounts_now": true})),
    )
    .await;
    access_becomes(
        &t,
        &id,
        &[
            ("okta", "active"),
            ("m365", "active"),
            ("Engineering", "active"),
            ("Engineering Team", "active"),
        ],
        180,
    )
    .await;
    assert_eq!(okta_groups_of(&v.okta, ADA), ["Engineering"]);
    assert_eq!(graph_groups_of(&v.graph, ADA), ["Engineering Team"]);

    // HR moves her to Sales. The champion keeps the Okta Engineering group for a
    // handover; the rest follows the rules.
    assert!(v.merge.update_employee(&hr_id, |e| {
        e.groups = vec![v.departments[1].clone()];
    }));
    t.sync().await;
    let change = t
        .tasks(&format!("employee={id}&kind=group_change&state=open"))
        .await;
    assert_eq!(change.len(), 1, "{change:?}");
    let key = |connector: &str, name: &str| {
        rules
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["external_groups"].as_array().unwrap().clone())
            .find(|g| g["connector"] == connector && g["name"] == name)
            .map(|g| format!("group:{connector}:{}", g["id"].as_str().unwrap()))
            .unwrap()
    };
    t.call(
        "POST",
        &format!("/tasks/{}/decision", change[0]["id"].as_str().unwrap()),
        Some(json!({
            "decision": "group_change",
            "applications": {},
            "external_groups": {(key("okta", "Engineering")): "keep"}
        })),
    )
    .await;
    access_becomes(
        &t,
        &id,
        &[
            ("okta", "active"),
            ("m365", "active"),
            ("Engineering", "active"),
            ("Engineering Team", "revoked"),
            ("Sales", "active"),
            ("Sales Team", "active"),
        ],
        180,
    )
    .await;
    assert_eq!(okta_groups_of(&v.okta, ADA), ["Engineering", "Sales"]);
    assert_eq!(graph_groups_of(&v.graph, ADA), ["Sales Team"]);

    // Offboarding leaves every group and channel, and suspends the Okta account.
    t.call("POST", &format!("/employees/{id}/offboard"), None)
        .await;
    let task = t
        .tasks(&format!("employee={id}&kind=offboard_employee&state=open"))
        .await;
    t.call(
        "POST",
        &format!("/tasks/{}/decision", task[0]["id"].as_str().unwrap()),
        Some(json!({"decision": "offboard", "retrieval": {"method": "keep"}, "mdm": "none"})),
    )
    .await;
    access_becomes(
        &t,
        &id,
        &[
            ("okta", "revoked"),
            ("m365", "revoked"),
            ("Engineering", "revoked"),
            ("Engineering Team", "revoked"),
            ("Sales", "revoked"),
            ("Sales Team", "revoked"),
        ],
        180,
    )
    .await;
    assert!(okta_groups_of(&v.okta, ADA).is_empty());
    assert!(graph_groups_of(&v.graph, ADA).is_empty());
    assert_eq!(v.okta.user_status(ADA).as_deref(), Some("SUSPENDED"));

    // Okta's limit was met and waited out; still one account, nothing done twice.
    assert_eq!(v.okta.users().len(), 1);
    let jobs = t.get("/jobs?state=all").await;
    let waited: u64 = jobs["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["intent"]["connector"] == "okta")
        .map(|j| j["rate_limited"].as_u64().unwrap_or(0))
        .sum();
    assert!(waited > 0, "Okta never said slow down: {jobs:#}");

    // The access API names each group with its connector.
    let access = t.get(&format!("/employees/{id}/access")).await;
    let sales = access["access"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["group"]["name"] == "Sales")
        .unwrap()
        .clone();
    assert_eq!(sales["group"]["connector"], "okta");
    assert_eq!(sales["connector"], "okta");
}
