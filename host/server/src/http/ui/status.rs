//! What the status page shows: each integration's connection, checked at once.

use crate::app::AppState;
use crate::plugins::is_configured;
use std::time::Duration;
use tenure_web::{PluginRow, StatusPage};

/// A connection check slower than this shows as such rather than holding the page.
const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

pub async fn collect(state: &AppState) -> StatusPage {
    // Check every integration at once; a slow one costs at most CHECK_TIMEOUT.
    let mut checks = tokio::task::JoinSet::new();
    for p in state.plugins.loaded().iter() {
        let p = p.clone();
        let store = state.store.clone();
        checks.spawn(async move {
            let m = p.manifest();
            let connection = match is_configured(&store, m) {
                Ok(false) => None,
                Err(e) => Some(Err(format!("cannot read settings: {e}"))),
                Ok(true) => Some(
                    tokio::time::timeout(CHECK_TIMEOUT, p.test_connection())
                        .await
                        .map(|r| r.map_err(|e| e.to_string()))
                        .unwrap_or_else(|_| Err("no answer within 3 s".into())),
                ),
            };
            PluginRow {
                id: m.id.clone(),
                name: m.name.clone(),
                version: m.version.clone(),
                world: m.world.to_string(),
                connection,
            }
        });
    }
    let mut plugins: Vec<PluginRow> = checks.join_all().await;
    plugins.sort_by(|a, b| a.id.cmp(&b.id));
    let schema_version = state.store.schema_version().unwrap_or(0);
    StatusPage {
        version: env!("CARGO_PKG_VERSION").into(),
        schema_version,
        demo: state.demo,
        plugins,
    }
}
