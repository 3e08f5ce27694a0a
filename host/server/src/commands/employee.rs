//! `tenure employee add`: a pre-hire, through the running server when there is one
//! (the database is locked to it), else in this process.

use super::admin_client;
use crate::app::AppState;
use crate::config::Config;
use crate::http::admin::{PreHireAdded, add_pre_hire};
use crate::lifecycle::NewPreHire;

pub async fn add(config: &Config, body: NewPreHire) -> anyhow::Result<()> {
    let added: PreHireAdded = match AppState::build(config, false) {
        Ok(state) => add_pre_hire(&state, body).await?,
        Err(e) if admin_client::is_locked(&e) => {
            admin_client::post(&config.server.data_dir, "/employees", &body).await?
        }
        Err(e) => return Err(e),
    };
    println!("{}", added.summary);
    Ok(())
}
