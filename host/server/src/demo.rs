//! `tenure serve --demo`: a built-in fake HR system (Merge's API, with sample
//! employees) on a local port, the merge-hris integration pointed at it, fakes of
//! Microsoft 365 (Graph) and Google Workspace (Admin SDK) with the microsoft365 and
//! google-workspace connectors pointed at them, fakes of Okta, Slack, Fleet and UPS with
//! their connectors, a stocked inventory, an admin who is every kind of champion,
//! and a starter catalog, so every page has something in it. Outgoing mail is kept in
//! the mail view (/demo/mail) instead of being sent.

use crate::app::AppState;
use crate::auth::password::hash_password;
use crate::auth::session::now_secs;
use anyhow::Context;
use tenure_domain::{
    AppId, Application, Catalog, Champion, Champions, CustomGroup, ExternalGroup, FirstCredential,
    GroupId, GroupMatch, GroupRef, PluginId, Provisioning, Rule, UserId,
};
use tenure_fakes::merge::FakeMerge;
use tenure_store::UserRecord;

const DEMO_EMPLOYEES: usize = 250;
const DEMO_KEY: &str = "demo-api-key";
const DEMO_ACCOUNT: &str = "demo-account-token";
/// The demo's admin (printed in the log at start; a demo holds no real data).
pub const DEMO_USER: &str = "admin";
pub const DEMO_PASSWORD: &str = "tenure-demo-admin";

/// The demo's configuration: its fake HR system runs on this machine over plain
/// http, which plugins may reach only with `[runtime] allow_local_http`.
pub fn configure(mut config: crate::config::Config) -> crate::config::Config {
    config.runtime.allow_local_http = true;
    crate::demo_hardware::configure(&mut config);
    config
}

/// Keeps the fakes running while held.
pub struct Demo {
    _servers: Vec<tenure_fakes::ServerHandle>,
}

const GRAPH_TENANT: &str = "demo-tenant";
const GRAPH_CLIENT: &str = "demo-client";
const GRAPH_SECRET: &str = "demo-client-secret";
/// The demo HR company's domain is the Google customer's.
const GOOGLE_DOMAIN: &str = "acme-corp.example";
const GOOGLE_ADMIN: &str = "it-admin@acme-corp.example";

/// Fakes of Microsoft Graph and Google's Admin SDK, and the two connectors set up
/// against them (the Google key is the fakes' test-only service account).
async fn work_email(
    store: &tenure_store::Store,
    groups: &mut DemoGroups,
) -> anyhow::Result<Vec<tenure_fakes::ServerHandle>> {
    let graph = tenure_fakes::FakeGraph::new(GRAPH_TENANT, GRAPH_CLIENT, GRAPH_SECRET);
    for name in ENTRA_GROUPS {
        groups.entra.insert(name, graph.add_group(name));
    }
    let (graph_origin, graph_server) = graph
        .serve(0)
        .await
        .context("starting the demo Microsoft 365")?;
    store.set_setting("microsoft365", "tenant_id", GRAPH_TENANT)?;
    store.set_setting("microsoft365", "client_id", GRAPH_CLIENT)?;
    store.set_secret("microsoft365", "client_secret", GRAPH_SECRET)?;
    store.set_setting("microsoft365", "login_url", &graph_origin)?;
    store.set_setting("microsoft365", "graph_url", &graph_origin)?;
    store.set_setting("microsoft365", "usage_location_default", "US")?;
    let google = tenure_fakes::FakeGoogle::new(GOOGLE_DOMAIN, GOOGLE_ADMIN);
    let (google_origin, google_server) = google
        .serve(0)
        .await
        .context("starting the demo Google Workspace")?;
    store.set_secret(
        "google-workspace",
        "service_account_key",
        tenure_fakes::google::TEST_SERVICE_ACCOUNT_JSON,
    )?;
    store.set_setting("google-workspace", "admin_email", GOOGLE_ADMIN)?;
    store.set_setting(
        "google-workspace",
        "token_url",
        &format!("{google_origin}/token"),
    )?;
    store.set_setting("google-workspace", "api_url", &google_origin)?;
    // Entra groups live in the same tenant: the entra connector reads the same fake.
    for key in ["tenant_id", "client_id", "login_url", "graph_url"] {
        if let Some(v) = store.setting("microsoft365", key)? {
            store.set_setting("entra", key, &v)?;
        }
    }
    store.set_secret("entra", "client_secret", GRAPH_SECRET)?;
    tracing::info!(%graph_origin, %google_origin, "demo: fakes of Microsoft 365 (and its Entra groups) and Google Workspace are connected");
    Ok(vec![graph_server, google_server])
}

/// Okta's fake with the demo's groups, and the okta connector set up against it.
async fn identity(
    store: &tenure_store::Store,
    groups: &mut DemoGroups,
) -> anyhow::Result<tenure_fakes::ServerHandle> {
    let okta = tenure_fakes::okta::FakeOkta::new(OKTA_TOKEN);
    for name in OKTA_GROUPS {
        groups.okta.insert(name, okta.add_group(name));
    }
    let (origin, server) = okta.serve(0).await.context("starting the demo Okta")?;
    store.set_setting("okta", "org_url", &origin)?;
    store.set_secret("okta", "api_token", OKTA_TOKEN)?;
    tracing::info!(%origin, "demo: a fake Okta org is connected");
    Ok(server)
}

/// Slack's fake (a Business+ workspace: accounts through SCIM) with the demo's
/// channels, and the slack connector set up against it.
async fn chat(
    store: &tenure_store::Store,
    groups: &mut DemoGroups,
) -> anyhow::Result<tenure_fakes::ServerHandle> {
    let slack = tenure_fakes::slack::FakeSlack::new(SLACK_BOT, SLACK_SCIM).with_scim(true);
    for name in SLACK_CHANNELS {
        groups
            .slack
            .insert(name, slack.add_channel(name, false, true));
    }
    let (origin, server) = slack.serve(0).await.context("starting the demo Slack")?;
    store.set_secret("slack", "bot_token", SLACK_BOT)?;
    store.set_setting("slack", "scim_enabled", "true")?;
    store.set_secret("slack", "scim_token", SLACK_SCIM)?;
    store.set_setting("slack", "api_url", &format!("{origin}/api/"))?;
    store.set_setting("slack", "scim_url", &format!("{origin}/scim/v2/"))?;
    tracing::info!(%origin, "demo: a fake Slack workspace is connected");
    Ok(server)
}

/// The demo's groups and channels in each connector, by name, with the fakes' ids.
#[derive(Default)]
struct DemoGroups {
    okta: std::collections::BTreeMap<&'static str, String>,
    entra: std::collections::BTreeMap<&'static str, String>,
    slack: std::collections::BTreeMap<&'static str, String>,
}

const SLACK_BOT: &str = "xoxb-demo-bot";
const SLACK_SCIM: &str = "xoxp-demo-scim";
const SLACK_CHANNELS: [&str; 4] = ["general", "eng", "sales", "marketing"];

const OKTA_TOKEN: &str = "demo-okta-api-token";
const OKTA_GROUPS: [&str; 4] = ["Engineering", "Sales", "Marketing", "Managers"];
const ENTRA_GROUPS: [&str; 2] = ["Sales Team", "Marketing Team"];

/// How many people the demo HR system holds: `TENURE_DEMO_EMPLOYEES`, else 250 (the
/// load figures in the README use 100,000).
fn demo_size() -> usize {
    std::env::var("TENURE_DEMO_EMPLOYEES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEMO_EMPLOYEES)
}

pub async fn start(state: &AppState) -> anyhow::Result<Demo> {
    let size = demo_size();
    let fake = FakeMerge::new(DEMO_KEY, DEMO_ACCOUNT).with_employees(size);
    if size > DEMO_EMPLOYEES {
        // A big demo company is for load figures: let its first sync run through.
        fake.set_rate_limit_per_minute(0);
    }
    let (origin, server) = fake.serve(0).await.context("starting the demo HR system")?;
    let store = &state.store;
    let mut groups = DemoGroups::default();
    let mut servers = work_email(store, &mut groups).await?;
    servers.push(identity(store, &mut groups).await?);
    servers.push(chat(store, &mut groups).await?);
    servers.push(server);
    store.set_setting("merge-hris", "base_url", &origin)?;
    store.set_secret("merge-hris", "api_key", DEMO_KEY)?;
    store.set_secret("merge-hris", "account_token", DEMO_ACCOUNT)?;
    tracing::info!(%origin, "demo: a fake Merge HRIS with {size} employees is connected");
    if store.user_count()? == 0 {
        store.create_first_admin(&UserRecord {
            id: DEMO_USER.into(),
            name: "Demo Admin".into(),
            email: "it@demo.tenure.test".into(),
            admin: true,
            password_hash: hash_password(DEMO_PASSWORD)?,
            created_at: now_secs(),
            disabled: false,
            oidc_subject: None,
        })?;
    }
    tracing::info!("demo: sign in as `{DEMO_USER}` with password `{DEMO_PASSWORD}`");
    if state.engine.read(|k| k.catalog == Catalog::default()).await {
        state
            .engine
            .set_catalog(starter_catalog(&groups), UserId(DEMO_USER.into()))
            .await
            .map_err(|e| anyhow::anyhow!("demo catalog: {e}"))?;
    }
    servers.extend(crate::demo_hardware::start(state, DEMO_USER).await?);
    tracing::info!("demo: mail is kept at /demo/mail instead of being sent");
    Ok(Demo { _servers: servers })
}

fn app(id: &str, name: &str, connector: Option<&str>) -> Application {
    Application {
        id: AppId(id.into()),
        name: name.into(),
        connector: connector.map(|c| PluginId(c.into())),
        champions: Vec::new(),
        provisioning: Default::default(),
    }
}

/// Work email through a connector: a licence, a first password emailed on the start
/// date, and leaver steps.
fn mail_app(id: &str, name: &str, connector: &str, licences: &[&str]) -> Application {
    Application {
        provisioning: Provisioning {
            entitlements: licences.iter().map(|l| (*l).to_string()).collect(),
            credential: FirstCredential::TemporaryPassword,
            remove_entitlements: !licences.is_empty(),
            transfer_data_to_manager: connector == "google-workspace",
            forward_mail_to_manager: connector == "microsoft365",
            ..Provisioning::default()
        },
        ..app(id, name, Some(connector))
    }
}

fn rule(group: GroupRef, apps: &[&str], groups: Vec<ExternalGroup>) -> Rule {
    Rule {
        group,
        applications: apps.iter().map(|a| AppId((*a).into())).collect(),
        external_groups: groups,
    }
}

/// A group of a demo fake, by its name there.
fn group_of(
    connector: &str,
    ids: &std::collections::BTreeMap<&'static str, String>,
    name: &str,
) -> ExternalGroup {
    ExternalGroup {
        connector: PluginId(connector.into()),
        id: ids.get(name).cloned().unwrap_or_else(|| name.into()),
        name: name.into(),
    }
}

/// Apps for the fake company's departments, a Managers group, and the demo admin as
/// every kind of champion.
fn starter_catalog(groups: &DemoGroups) -> Catalog {
    let okta = |name: &str| group_of("okta", &groups.okta, name);
    let entra = |name: &str| group_of("entra", &groups.entra, name);
    let slack = |name: &str| group_of("slack", &groups.slack, name);
    let admin = Champion {
        user: UserId(DEMO_USER.into()),
        name: "Demo Admin".into(),
        email: "it@demo.tenure.test".into(),
    };
    let dept = |d: &str| GroupRef::Department(d.into());
    Catalog {
        custom_groups: vec![CustomGroup {
            id: GroupId("managers".into()),
            name: "Management".into(),
            members: Vec::new(),
            matches: Some(GroupMatch {
                title_contains: Some("manager".into()),
                ..GroupMatch::default()
            }),
        }],
        rules: vec![
            rule(
                dept("Engineering"),
                &["okta", "google", "github", "slack", "notion"],
                vec![okta("Engineering"), slack("eng"), slack("general")],
            ),
            rule(
                dept("Sales"),
                &["okta", "m365", "salesforce", "slack"],
                vec![
                    okta("Sales"),
                    entra("Sales Team"),
                    slack("sales"),
                    slack("general"),
                ],
            ),
            rule(
                dept("Marketing"),
                &["okta", "m365", "figma", "slack", "notion"],
                vec![
                    okta("Marketing"),
                    entra("Marketing Team"),
                    slack("marketing"),
                    slack("general"),
                ],
            ),
            rule(
                GroupRef::Custom(GroupId("managers".into())),
                &["lattice"],
                vec![okta("Managers")],
            ),
        ],
        champions: Champions {
            onboarding: vec![admin.clone()],
            hardware: vec![admin.clone()],
            default_application: vec![admin],
        },
        applications: vec![
            mail_app(
                "m365",
                "Microsoft 365",
                "microsoft365",
                &[tenure_fakes::graph::ENTERPRISEPACK],
            ),
            mail_app("google", "Google Workspace", "google-workspace", &[]),
            Application {
                provisioning: Provisioning {
                    credential: FirstCredential::Invitation,
                    ..Provisioning::default()
                },
                ..app("okta", "Okta", Some("okta"))
            },
            app("github", "GitHub", None),
            app("slack", "Slack", Some("slack")),
            app("notion", "Notion", None),
            app("figma", "Figma", None),
            app("salesforce", "Salesforce", None),
            app("lattice", "Lattice", None),
        ],
    }
}
