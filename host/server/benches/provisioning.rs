//! Prints what provisioning costs: N hires (1,000 by default) whose Complete IT Setup
//! asks for Microsoft 365, Google Workspace, Okta and Slack, and whose rules put them in
//! an Okta group, an Entra group and a Slack channel — through the real job runner, the
//! bundled microsoft365, google-workspace, okta, slack and entra plugins and redb,
//! against the fakes with rate limits on. Reports the time until every account and
//! membership exists, what each fake holds (exactly N of each), requests, and peak RSS.
//!
//! `cargo bench -p tenure --bench provisioning` (TENURE_BENCH_HIRES to change 1,000;
//! TENURE_BENCH_RATE for the fakes' requests per second, default 100).

use std::time::{Duration, Instant};
use tenure::app::AppState;
use tenure::config::Config;
use tenure_domain::{
    AppId, Application, Catalog, Champion, Champions, Decision, FirstCredential, PluginId,
    Provisioning, SetupDecision, TaskKind, UserId,
};
use tenure_engine::lifecycle::NewPreHire;
use tenure_fakes::google::TEST_SERVICE_ACCOUNT_JSON;
use tenure_fakes::{FakeGoogle, FakeGraph};

/// The binary's allocator, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn status_kib(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .unwrap_or(0.0)
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn app(id: &str, name: &str, connector: &str, licences: Vec<String>) -> Application {
    Application {
        id: AppId(id.into()),
        name: name.into(),
        connector: Some(PluginId(connector.into())),
        champions: vec![],
        provisioning: Provisioning {
            entitlements: licences,
            credential: FirstCredential::TemporaryPassword,
            ..Provisioning::default()
        },
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    tenure_runtime::install_crypto_provider();
    let hires = env("TENURE_BENCH_HIRES", 1000);
    let rate = env("TENURE_BENCH_RATE", 100) as u32;
    let graph = FakeGraph::new("bench", "cid", "secret")
        .with_sku(
            "BENCHPACK",
            "11111111-2222-3333-4444-555555555555",
            hires as u32 + 10,
        )
        .with_rate_limit(rate, Duration::from_secs(1));
    let google = FakeGoogle::new("acme.test", "admin@acme.test")
        .with_rate_limit(rate, Duration::from_secs(1));
    let okta = tenure_fakes::okta::FakeOkta::new("okta-token")
        .with_rate_limit(rate, Duration::from_secs(1));
    let okta_group = okta.add_group("Staff");
    let slack = tenure_fakes::slack::FakeSlack::new("xoxb-bench", "xoxp-bench").with_scim(true);
    let channel = slack.add_channel("staff", false, true);
    let entra_group = graph.add_group("Staff");
    let (graph_origin, _g1) = graph.clone().serve(0).await.unwrap();
    let (google_origin, _g2) = google.clone().serve(0).await.unwrap();
    let (okta_origin, _g3) = okta.clone().serve(0).await.unwrap();
    let (slack_origin, _g4) = slack.clone().serve(0).await.unwrap();

    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    config.server.data_dir = dir.path().join("data");
    config.runtime.allow_local_http = true;
    let state = AppState::build(&config, false).unwrap();
    let s = &state.store;
    s.set_setting("microsoft365", "tenant_id", "bench").unwrap();
    s.set_setting("microsoft365", "client_id", "cid").unwrap();
    s.set_secret("microsoft365", "client_secret", "secret")
        .unwrap();
    s.set_setting("microsoft365", "login_url", &graph_origin)
        .unwrap();
    s.set_setting("microsoft365", "graph_url", &graph_origin)
        .unwrap();
    s.set_setting("microsoft365", "usage_location_default", "US")
        .unwrap();
    s.set_secret(
        "google-workspace",
        "service_account_key",
        TEST_SERVICE_ACCOUNT_JSON,
    )
    .unwrap();
    s.set_setting("google-workspace", "admin_email", "admin@acme.test")
        .unwrap();
    s.set_setting(
        "google-workspace",
        "token_url",
        &format!("{google_origin}/token"),
    )
    .unwrap();
    s.set_setting("google-workspace", "api_url", &google_origin)
        .unwrap();
    for key in ["tenant_id", "client_id", "login_url", "graph_url"] {
        let v = s.setting("microsoft365", key).unwrap().unwrap();
        s.set_setting("entra", key, &v).unwrap();
    }
    s.set_secret("entra", "client_secret", "secret").unwrap();
    s.set_setting("okta", "org_url", &okta_origin).unwrap();
    s.set_secret("okta", "api_token", "okta-token").unwrap();
    s.set_secret("slack", "bot_token", "xoxb-bench").unwrap();
    s.set_setting("slack", "scim_enabled", "true").unwrap();
    s.set_secret("slack", "scim_token", "xoxp-bench").unwrap();
    s.set_setting("slack", "api_url", &format!("{slack_origin}/api/"))
        .unwrap();
    s.set_setting("slack", "scim_url", &format!("{slack_origin}/scim/v2/"))
        .unwrap();
    let champion = Champion {
        user: UserId("bench".into()),
        name: "Bench".into(),
        email: "bench@acme.test".into(),
    };
    let catalog = Catalog {
        champions: Champions {
            onboarding: vec![champion.clone()],
            hardware: vec![champion.clone()],
            default_application: vec![champion],
        },
        applications: vec![
            app(
                "m365",
                "Microsoft 365",
                "microsoft365",
                vec!["11111111-2222-3333-4444-555555555555".into()],
            ),
            app("gws", "Google Workspace", "google-workspace", vec![]),
            Application {
                provisioning: Provisioning::default(),
                ..app("okta", "Okta", "okta", vec![])
            },
            Application {
                provisioning: Provisioning::default(),
                ..app("slack", "Slack", "slack", vec![])
            },
        ],
        custom_groups: vec![tenure_domain::CustomGroup {
            id: tenure_domain::GroupId("all".into()),
            name: "All staff".into(),
            members: vec![],
            matches: Some(tenure_domain::GroupMatch::default()),
        }],
        rules: vec![tenure_domain::Rule {
            group: tenure_domain::GroupRef::Custom(tenure_domain::GroupId("all".into())),
            applications: vec![],
            external_groups: [
                ("okta", &okta_group),
                ("entra", &entra_group),
                ("slack", &channel),
            ]
            .into_iter()
            .map(|(c, id)| tenure_domain::ExternalGroup {
                connector: PluginId(c.into()),
                id: id.clone(),
                name: "Staff".into(),
            })
            .collect(),
        }],
    };
    let by = UserId("bench".into());
    state.engine.set_catalog(catalog, by.clone()).await.unwrap();

    let queued = Instant::now();
    for n in 0..hires {
        let plan = state
            .engine
            .add_pre_hire(
                NewPreHire {
                    given_name: "Bench".into(),
                    family_name: format!("P{n:05}"),
                    work_email: format!("bench.p{n:05}@acme.test"),
                    personal_email: Some(format!("p{n:05}@home.test")),
                    department: None,
                    title: None,
                    start_date: None,
                },
                by.clone(),
            )
            .await
            .unwrap();
        let task = plan
            .tasks()
            .find(|t| matches!(t.kind, TaskKind::CompleteItSetup { .. }))
            .unwrap()
            .id
            .clone();
        let decision = Decision::Setup(SetupDecision {
            applications: ["m365", "gws", "okta", "slack"]
                .map(|a| AppId(a.into()))
                .into(),
            accounts_now: true,
            ..SetupDecision::default()
        });
        state
            .engine
            .decide(&task, decision, by.clone())
            .await
            .unwrap();
    }
    let queue_secs = queued.elapsed().as_secs_f64();
    let started = Instant::now();
    let _runner = state.start_jobs(&config);
    let mut peak_kib = 0.0f64;
    loop {
        peak_kib = peak_kib.max(status_kib("VmRSS:"));
        let waiting = state.store.unfinished_jobs().unwrap();
        if waiting == 0 {
            break;
        }
        if started.elapsed() > Duration::from_secs(1800) {
            println!("gave up after 30 min with {waiting} jobs waiting");
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let converge = started.elapsed().as_secs_f64();
    let failed = state
        .store
        .list_jobs(&tenure_store::JobFilter {
            failed: true,
            limit: 10_000,
            ..Default::default()
        })
        .unwrap()
        .len();
    println!(
        "provisioning bench: {hires} hires × 4 apps and 3 groups, fakes limited to {rate} requests/s each"
    );
    println!("  queueing the decisions (planner + redb): {queue_secs:.1} s");
    println!(
        "  all accounts and memberships made in:   {converge:.1} s ({:.1} jobs/s)",
        (7 * hires) as f64 / converge
    );
    println!(
        "  Okta users / in group Staff:            {} / {}",
        okta.users().len(),
        okta.group_members("Staff").len()
    );
    println!(
        "  Slack accounts / in #staff (bot aside): {} / {}",
        slack.users().len() - 1,
        slack.channel_members(&channel).len() - 1
    );
    println!(
        "  Entra group Staff members:              {}",
        graph.group_member_upns(&entra_group).len()
    );
    println!(
        "  Microsoft 365 (fake Graph) users:       {}",
        graph.user_count()
    );
    println!(
        "  Google Workspace users (without admin): {}",
        google.user_count() - 1
    );
    println!("  failed jobs:                            {failed}");
    println!(
        "  requests: Graph {} (token {}), Google {} (token {}), Okta {}",
        graph.request_count(),
        graph.token_request_count(),
        google.request_count(),
        google.token_request_count(),
        okta.request_count()
    );
    println!(
        "  peak RSS while converging:              {:.0} MiB (VmHWM {:.0} MiB)",
        peak_kib / 1024.0,
        status_kib("VmHWM:") / 1024.0
    );
}
