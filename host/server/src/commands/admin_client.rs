//! Talks to a running server through its admin socket (the database is locked to it).

use crate::http::admin::{AdminError, SOCKET_NAME};
use anyhow::{Context, bail};
use serde::{Serialize, de::DeserializeOwned};
use std::path::Path;

pub async fn post<Req: Serialize, Resp: DeserializeOwned>(
    data_dir: &Path,
    path: &str,
    req: &Req,
) -> anyhow::Result<Resp> {
    let socket = data_dir.join(SOCKET_NAME);
    let client = reqwest::Client::builder()
        .unix_socket(socket.clone())
        .build()
        .context("cannot create the admin client")?;
    let resp = client
        .post(format!("http://tenure{path}"))
        .header("content-type", "application/json")
        .body(serde_json::to_vec(req)?)
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
        bail!("the server refused: {}", err.error);
    }
    Ok(serde_json::from_slice(&bytes)?)
}

/// Whether opening the store failed because a server holds it.
pub fn is_locked(e: &anyhow::Error) -> bool {
    matches!(
        e.downcast_ref::<tenure_store::StoreError>(),
        Some(tenure_store::StoreError::Locked { .. })
    )
}
