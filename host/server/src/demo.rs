//! `tenure serve --demo`: a built-in fake HR system (Merge's API, with sample
//! employees) on a local port, the merge-hris integration pointed at it, an admin who
//! is every kind of champion, and a starter catalog, so every page has something in it.

use crate::app::AppState;
use crate::auth::password::hash_password;
use crate::auth::session::now_secs;
use anyhow::Context;
use tenure_domain::{
    AppId, Application, Catalog, Champion, Champions, CustomGroup, ExternalGroup, ExternalSystem,
    GroupId, GroupMatch, GroupRef, PluginId, Rule, UserId,
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
    config
}

/// Keeps the fake running while held.
pub struct Demo {
    _server: tenure_fakes::ServerHandle,
}

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
        })?;
    }
    tracing::info!("demo: sign in as `{DEMO_USER}` with password `{DEMO_PASSWORD}`");
    if state.engine.read(|k| k.catalog == Catalog::default()).await {
        state
            .engine
            .set_catalog(starter_catalog(), UserId(DEMO_USER.into()))
            .await
            .map_err(|e| anyhow::anyhow!("demo catalog: {e}"))?;
    }
    Ok(Demo { _server: server })
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

fn rule(group: GroupRef, apps: &[&str], channels: &[&str]) -> Rule {
    Rule {
        group,
        applications: apps.iter().map(|a| AppId((*a).into())).collect(),
        external_groups: channels
            .iter()
            .map(|c| ExternalGroup {
                system: ExternalSystem::Slack,
                id: (*c).into(),
                name: format!("#{c}"),
            })
            .collect(),
    }
}

/// Apps for the fake company's departments, a Managers group, and the demo admin as
/// every kind of champion.
fn starter_catalog() -> Catalog {
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
                &["github", "slack", "notion"],
                &["eng"],
            ),
            rule(dept("Sales"), &["salesforce", "slack"], &["sales"]),
            rule(
                dept("Marketing"),
                &["figma", "slack", "notion"],
                &["marketing"],
            ),
            rule(
                GroupRef::Custom(GroupId("managers".into())),
                &["lattice"],
                &[],
            ),
        ],
        champions: Champions {
            onboarding: vec![admin.clone()],
            hardware: vec![admin.clone()],
            default_application: vec![admin],
        },
        applications: vec![
            app("github", "GitHub", None),
            app("slack", "Slack", None),
            app("notion", "Notion", None),
            app("figma", "Figma", None),
            app("salesforce", "Salesforce", None),
            app("lattice", "Lattice", None),
        ],
    }
}
