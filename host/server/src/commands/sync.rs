//! `tenure sync`: every configured HR source, now. Through the running server when
//! there is one (the database is locked to it), else in this process.

use super::admin_client;
use crate::app::AppState;
use crate::config::Config;
use crate::http::admin::{SyncAnswer, sync_all};
use anyhow::bail;

pub async fn run(config: &Config) -> anyhow::Result<()> {
    let answer: SyncAnswer = match AppState::build(config, false) {
        Ok(state) => sync_all(&state).await,
        Err(e) if admin_client::is_locked(&e) => {
            admin_client::post(&config.server.data_dir, "/sync", &()).await?
        }
        Err(e) => return Err(e),
    };
    for line in &answer.lines {
        println!("{line}");
    }
    if answer.failed {
        bail!("the sync did not complete");
    }
    Ok(())
}
