//! `tenure backup FILE`: a consistent copy of the database, taken while tenure runs.
//! When a server holds the database, the backup is taken by the server itself,
//! through the admin socket; otherwise directly.

use crate::config::Config;
use crate::http::admin::{AdminError, BackupAnswer, BackupRequest, SOCKET_NAME};
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
        Err(e) if is_locked(&e) => via_server(data_dir, &dest).await?,
        Err(e) => return Err(e),
    };
    println!(
        "backup written to {} ({tables} tables, {rows} rows)",
        dest.display()
    );
    Ok(())
}

fn is_locked(e: &anyhow::Error) -> bool {
    matches!(
        e.downcast_ref::<tenure_store::StoreError>(),
        Some(tenure_store::StoreError::Locked { .. })
    )
}

async fn via_server(data_dir: &Path, dest: &Path) -> anyhow::Result<(usize, u64)> {
    let socket = data_dir.join(SOCKET_NAME);
    let client = reqwest::Client::builder()
        .unix_socket(socket.clone())
        .build()
        .context("cannot create the admin client")?;
    let body = serde_json::to_vec(&BackupRequest {
        path: dest.to_path_buf(),
    })?;
    let resp = client
        .post("http://tenure/backup")
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .with_context(|| {
            format!(
                "the database is in use, and the running server does not answer on {}",
                socket.display()
            )
        })?;
    let status = resp.status();
    let bytes = resp.bytes().await?;
    if !status.is_success() {
        let err: AdminError = serde_json::from_slice(&bytes).unwrap_or(AdminError {
            error: String::from_utf8_lossy(&bytes).into_owned(),
        });
        bail!("the server could not take the backup: {}", err.error);
    }
    let answer: BackupAnswer = serde_json::from_slice(&bytes)?;
    Ok((answer.tables, answer.rows))
}
