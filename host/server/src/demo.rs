//! `tenure serve --demo`: a built-in fake HR system (Merge's API, with sample
//! employees) on a local port, and the merge-hris integration pointed at it.

use crate::app::AppState;
use anyhow::Context;
use tenure_fakes::merge::FakeMerge;

const DEMO_EMPLOYEES: usize = 250;
const DEMO_KEY: &str = "demo-api-key";
const DEMO_ACCOUNT: &str = "demo-account-token";

/// Keeps the fake running while held.
pub struct Demo {
    _server: tenure_fakes::ServerHandle,
}

pub async fn start(state: &AppState) -> anyhow::Result<Demo> {
    let fake = FakeMerge::new(DEMO_KEY, DEMO_ACCOUNT).with_employees(DEMO_EMPLOYEES);
    let (origin, server) = fake.serve(0).await.context("starting the demo HR system")?;
    let store = &state.store;
    store.set_setting("merge-hris", "base_url", &origin)?;
    store.set_secret("merge-hris", "api_key", DEMO_KEY)?;
    store.set_secret("merge-hris", "account_token", DEMO_ACCOUNT)?;
    tracing::info!(%origin, "demo: a fake Merge HRIS with {DEMO_EMPLOYEES} employees is connected");
    Ok(Demo { _server: server })
}
