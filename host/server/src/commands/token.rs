//! `tenure token create|list|revoke`: bearer tokens for the API.

use super::admin_client;
use crate::config::Config;
use crate::http::admin::{TokenCreate, TokenCreated, TokenRevoke, TokenRevoked};
use crate::http::api::Role;
use anyhow::bail;

pub async fn create(config: &Config, name: &str, role: Role) -> anyhow::Result<()> {
    let req = TokenCreate {
        name: name.to_string(),
        role,
    };
    let created = match crate::app::open_store(&config.server.data_dir) {
        Ok(store) => crate::http::admin::create_token(&store, &req)?,
        Err(e) if admin_client::is_locked(&e) => {
            admin_client::post::<_, TokenCreated>(&config.server.data_dir, "/tokens", &req).await?
        }
        Err(e) => return Err(e),
    };
    // The token is the last word, for scripts: it is shown only this once.
    println!(
        "created {} token `{}` (store it now; it is not shown again): {}",
        role.as_str(),
        name,
        created.token
    );
    Ok(())
}

pub fn list(config: &Config) -> anyhow::Result<()> {
    let store = crate::app::open_store(&config.server.data_dir)?;
    println!("{:<24} {:<8} CREATED (unix)", "NAME", "ROLE");
    for t in store.api_tokens()? {
        println!("{:<24} {:<8} {}", t.name, t.role, t.created_at);
    }
    Ok(())
}

pub async fn revoke(config: &Config, name: &str) -> anyhow::Result<()> {
    let req = TokenRevoke { name: name.into() };
    let revoked = match crate::app::open_store(&config.server.data_dir) {
        Ok(store) => store.revoke_api_token(name)?,
        Err(e) if admin_client::is_locked(&e) => {
            admin_client::post::<_, TokenRevoked>(&config.server.data_dir, "/tokens/revoke", &req)
                .await?
                .revoked
        }
        Err(e) => return Err(e),
    };
    if !revoked {
        bail!("no token is named `{name}`");
    }
    println!("revoked token `{name}`");
    Ok(())
}
