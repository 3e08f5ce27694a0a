//! Groups and channels end to end through the real `tenure` binary: rules name Okta
//! groups, Entra groups, Slack channels and the groups of a SCIM application (a real
//! `scim2-server`) by name, checked against the connectors when saved; a hire from HR
//! joins them, a department change moves exactly what the champion chose, and an
//! offboarding leaves every one. Okta answers 429s and Slack `ok:false` `ratelimited`
//! along the way, and nothing is done twice.

mod common;

use common::running::Tenure;
use common::start_smtp;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tenure_fakes::ServerHandle;
use tenure_fakes::graph::FakeGraph;
use tenure_fakes::merge::{FakeMerge, MergeEmployee, MergeGroup};
use tenure_fakes::okta::FakeOkta;
use tenure_fakes::slack::FakeSlack;

const SCIM_TOKEN: &str = "scim-token";

/// A running `scim2-server` (PyPI), killed when dropped.
struct ScimServer {
    child: std::process::Child,
    /// `http://127.0.0.1:<port>/v2`.
    base: String,
}

impl Drop for ScimServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl ScimServer {
    async fn start() -> ScimServer {
        let port = common::free_port();
        let child = std::process::Command::new(common::python())
            .args([
                "-m",
                "scim2_server.testserver.cli",
                "--hostname",
                "127.0.0.1",
            ])
            .args(["--port", &port.to_string(), "--bearer-token", SCIM_TOKEN])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("scim2-server starts (tests/.venv has it)");
        let server = ScimServer {
            child,
            base: format!("http://127.0.0.1:{port}/v2"),
        };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "scim2-server never listened"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server
    }

    /// A group, as the application's administrator makes it.
    async fn add_group(&self, name: &str) {
        let resp = reqwest::Client::new()
            .post(format!("{}/Groups", self.base))
            .bearer_auth(SCIM_TOKEN)
            .header("content-type", "application/scim+json")
            .body(
                json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": name})
                    .to_string(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    }

    /// The display names of the groups `user_name` is a member of.
    async fn groups_of(&self, user_name: &str) -> Vec<String> {
        let get = |path: String| async move {
            reqwest::Client::new()
                .get(format!("{}/{path}", self.base))
                .bearer_auth(SCIM_TOKEN)
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .map(|b| serde_json::from_slice::<Value>(&b).unwrap())
                .unwrap()
        };
        let users = get(format!("Users?filter=userName eq \"{user_name}\"")).await;
        let Some(id) = users["Resources"][0]["id"].as_str() else {
            return Vec::new();
        };
        let groups = get("Groups".into()).await;
        let mut names: Vec<String> = groups["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| {
                g["members"]
                    .as_array()
                    .is_some_and(|m| m.iter().any(|m| m["value"] == id))
            })
            .map(|g| g["displayName"].as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    }
}

const TENANT: &str = "acme-tenant";
const GRAPH_CLIENT: &str = "graph-client";
const GRAPH_SECRET: &str = "graph-secret";
const OKTA_TOKEN: &str = "okta-token";
const ADA: &str = "ada.lovelace@acme.test";

struct Vendors {
    graph: FakeGraph,
    okta: FakeOkta,
    slack: FakeSlack,
    scim: ScimServer,
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
    let slack = FakeSlack::new("xoxb-bot", "xoxp-scim").with_scim(true);
    slack.add_channel("eng", false, true);
    slack.add_channel("sales", true, true);
    let scim = ScimServer::start().await;
    for g in ["Engineers", "Sellers"] {
        scim.add_group(g).await;
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
    let (slack_origin, s) = slack.clone().serve(0).await.unwrap();
    let scim_base = scim.base.clone();
    let graph_settings = format!(
        "tenant_id = \"{TENANT}\"\nclient_id = \"{GRAPH_CLIENT}\"\nclient_secret = \"{GRAPH_SECRET}\"\n\
         login_url = \"{graph_origin}\"\ngraph_url = \"{graph_origin}\"\n"
    );
    let config = format!(
        "[integrations.merge-hris]\nbase_url = \"{merge_origin}\"\napi_key = \"key\"\naccount_token = \"acct\"\n\n\
         [integrations.microsoft365]\n{graph_settings}usage_location_default = \"US\"\n\n\
         [integrations.entra]\n{graph_settings}\n\
         [integrations.okta]\norg_url = \"{okta_origin}\"\napi_token = \"{OKTA_TOKEN}\"\n\n\
         [integrations.slack]\nbot_token = \"xoxb-bot\"\nscim_enabled = \"true\"\nscim_token = \"xoxp-scim\"\n\
         api_url = \"{slack_origin}/api/\"\nscim_url = \"{slack_origin}/scim/v2/\"\n\n\
         [integrations.scim]\nbase_url = \"{scim_base}\"\ntoken = \"{SCIM_TOKEN}\"\n\n\
         [jobs]\nfirst_backoff_secs = 1\nmax_backoff_secs = 4\npoll_millis = 200\nmax_attempts = 40\n"
    );
    (
        Vendors {
            graph,
            okta,
            slack,
            scim,
            merge,
            departments,
            _servers: vec![g, o, m, s],
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
        group("slack", "#eng"),
        group("scim", "Engineers"),
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
            {"id": "m365", "name": "Microsoft 365", "connector": "microsoft365"},
            {"id": "slack", "name": "Slack", "connector": "slack"},
            {"id": "wiki", "name": "Wiki", "connector": "scim"}
        ],
        "rules": [
            {"group": {"kind": "department", "name": "Engineering"},
             "applications": ["okta", "m365", "slack", "wiki"], "external_groups": eng},
            {"group": {"kind": "department", "name": "Sales"},
             "applications": ["okta", "m365", "slack", "wiki"],
             "external_groups": [group("okta", "Sales"), group("entra", "Sales Team"),
                                 group("slack", "sales"), group("scim", "Sellers")]}
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
        start_date: Some(format!(
            "{}T00:00:00Z",
            tenure_domain::jiff::Timestamp::now().strftime("%Y-%m-%d")
        )),
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

/// The channels (of the two the test makes) `email` is in.
fn slack_channels_of(slack: &FakeSlack, email: &str) -> Vec<String> {
    let Some(user) = slack.user_by_email(email) else {
        return Vec::new();
    };
    let mut names: Vec<String> = slack
        .channels()
        .into_iter()
        .filter(|c| c.members.contains(&user.id))
        .map(|c| c.name)
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
        .header("content-type", "application/json")
        .body(catalog(Some("Engineerz")).to_string())
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

    // A hire in Engineering: accounts and the department's groups, once each; Slack
    // says `ratelimited` (HTTP 200, ok:false) to the first calls.
    v.slack.rate_limit_next(3, false);
    // The first sync imports who works there already (nobody); Ada is hired after.
    t.sync().await;
    let hr_id = v.merge.add_employee(ada(&v.departments[0]));
    t.sync().await;
    let id = t.find(ADA).await["id"].as_str().unwrap().to_string();
    let setup = t
        .tasks(&format!("employee={id}&kind=complete_it_setup&state=open"))
        .await;
    t.call(
        "POST",
        &format!("/tasks/{}/decision", setup[0]["id"].as_str().unwrap()),
        Some(json!({"decision": "setup", "applications": ["okta", "m365", "slack", "wiki"], "accounts_now": true})),
    )
    .await;
    access_becomes(
        &t,
        &id,
        &[
            ("okta", "active"),
            ("m365", "active"),
            ("slack", "active"),
            ("wiki", "active"),
            ("Engineering", "active"),
            ("Engineering Team", "active"),
            ("eng", "active"),
            ("Engineers", "active"),
        ],
        180,
    )
    .await;
    assert_eq!(okta_groups_of(&v.okta, ADA), ["Engineering"]);
    assert_eq!(graph_groups_of(&v.graph, ADA), ["Engineering Team"]);
    assert_eq!(slack_channels_of(&v.slack, ADA), ["eng"]);
    assert_eq!(v.scim.groups_of(ADA).await, ["Engineers"]);

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
            ("slack", "active"),
            ("wiki", "active"),
            ("Engineering", "active"),
            ("Engineering Team", "revoked"),
            ("eng", "revoked"),
            ("Engineers", "revoked"),
            ("Sales", "active"),
            ("Sales Team", "active"),
            ("sales", "active"),
            ("Sellers", "active"),
        ],
        180,
    )
    .await;
    assert_eq!(okta_groups_of(&v.okta, ADA), ["Engineering", "Sales"]);
    assert_eq!(graph_groups_of(&v.graph, ADA), ["Sales Team"]);
    assert_eq!(slack_channels_of(&v.slack, ADA), ["sales"]);
    assert_eq!(v.scim.groups_of(ADA).await, ["Sellers"]);

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
            ("slack", "revoked"),
            ("wiki", "revoked"),
            ("Engineering", "revoked"),
            ("Engineering Team", "revoked"),
            ("eng", "revoked"),
            ("Engineers", "revoked"),
            ("Sales", "revoked"),
            ("Sales Team", "revoked"),
            ("sales", "revoked"),
            ("Sellers", "revoked"),
        ],
        180,
    )
    .await;
    assert!(okta_groups_of(&v.okta, ADA).is_empty());
    assert!(graph_groups_of(&v.graph, ADA).is_empty());
    assert!(slack_channels_of(&v.slack, ADA).is_empty());
    assert!(v.scim.groups_of(ADA).await.is_empty());
    assert_eq!(v.okta.user_status(ADA).as_deref(), Some("SUSPENDED"));
    let slack_user = v.slack.user_by_email(ADA).unwrap();
    assert!(!slack_user.active, "deactivated through SCIM");

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
    let slack_waited: u64 = jobs["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["intent"]["connector"] == "slack")
        .map(|j| j["rate_limited"].as_u64().unwrap_or(0))
        .sum();
    assert!(
        slack_waited > 0,
        "Slack's ok:false ratelimited was not waited out"
    );
    assert_eq!(
        v.slack.users().iter().filter(|u| u.email == ADA).count(),
        1,
        "one Slack account"
    );

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
