//! `tenure backup FILE`: a consistent copy of the database, taken while tenure runs.
//! When a server holds the database, the backup is taken by the server itself,
//! through the admin socket; otherwise directly.

use super::admin_client;
use crate::config::Config;
use crate::http::admin::{BackupAnswer, BackupRequest};
use anyhow::{Context, bail};
use std::path::Path;

pub async fn run(config: &Config, file: &Path) -> anyhow::Result<()> {
    let dest =
        std::path::absolute(file).with_context(|| format!("cannot resolve {}", file.display()))?;
    if dest.exists() {
        bail!("{} exists already; choose a new file", dest.display());
    }
    let data_dir = &config.server.data_dir;
    let (tables, rows) = match crate::app::open_store(data_dir) {
        Ok(store) => {
            let stats = store.backup(&dest)?;
            (stats.tables, stats.rows)
        }
        Err(e) if admin_client::is_locked(&e) => {
            let a: BackupAnswer =
                admin_client::post(data_dir, "/backup", &BackupRequest { path: dest.clone() })
                    .await?;
            (a.tables, a.rows)
        }
        Err(e) => return Err(e),
    };
    println!(
        "backup written to {} ({tables} tables, {rows} rows)",
        dest.display()
    );
    Ok(())
}
