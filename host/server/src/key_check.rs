//! The start-up check of the secret key: tenure refuses to start while the store holds
//! secrets the key cannot decrypt (a lost or replaced `secret.key`), and says what to do.
//! `tenure secrets forget-unreadable` is the way to start over.

use crate::app::open_store;
use anyhow::Context;
use std::path::{Path, PathBuf};
use tenure_store::{SecretKeyCheck, Store};

/// The key file in the data directory (see [`crate::app::secret_key`]).
const KEY_FILE: &str = "secret.key";

/// Where the key in use came from, as the refusal names it.
enum KeySource {
    Env,
    File(PathBuf),
    /// There was no key file: the one generated now was removed again.
    Missing(PathBuf),
}

/// [`open_store`], then refuses when any stored secret does not decrypt with the key,
/// with an error that says which secrets, why, and what to do.
pub fn open_store_checked(data_dir: &Path) -> anyhow::Result<Store> {
    let key_path = data_dir.join(KEY_FILE);
    let from_env = std::env::var("TENURE_SECRET_KEY").is_ok_and(|t| !t.trim().is_empty());
    let key_created = !from_env && !key_path.exists();
    let store = open_store(data_dir)?;
    let check = store
        .check_secret_key()
        .context("cannot check the secret key against the stored secrets")?;
    if check.unreadable.is_empty() {
        return Ok(store);
    }
    drop(store);
    let source = if from_env {
        KeySource::Env
    } else if key_created {
        // Leave the data directory as it was: a new key would only hide that one is lost.
        let _ = std::fs::remove_file(&key_path);
        KeySource::Missing(key_path)
    } else {
        KeySource::File(key_path)
    };
    tracing::error!(
        unreadable = check.unreadable.len(),
        "stored secrets do not decrypt with the secret key"
    );
    anyhow::bail!(refusal(&check, &source))
}

/// The error text: names of the secrets (never values), the cause, the two ways out.
fn refusal(check: &SecretKeyCheck, source: &KeySource) -> String {
    let names: Vec<String> = check
        .unreadable
        .iter()
        .map(|(plugin, key)| format!("{plugin}/{key}"))
        .collect();
    let what = format!(
        "refusing to start: the secret key cannot decrypt {} stored secret(s): {}",
        names.len(),
        names.join(", ")
    );
    let forget = "run `tenure secrets forget-unreadable` (it discards exactly these secrets), \
                  start tenure, and enter them again in the plugins' settings";
    if !check.wrong_key {
        return format!(
            "{what}.\nThe key is the one the other secrets were stored with, so these are \
             damaged. To go on: {forget}."
        );
    }
    let (cause, restore) = match source {
        KeySource::Env => (
            "TENURE_SECRET_KEY is not the key they were stored with".to_string(),
            "set TENURE_SECRET_KEY to the original key (or unset it if the original is in \
             <data dir>/secret.key)"
                .to_string(),
        ),
        KeySource::File(path) => (
            format!(
                "The key in {} is not the key they were stored with",
                path.display()
            ),
            format!(
                "put the original key back in {} from your backup (or set TENURE_SECRET_KEY \
                 to it)",
                path.display()
            ),
        ),
        KeySource::Missing(path) => (
            format!(
                "The secret key file {} is missing, and with it the key they were stored with",
                path.display()
            ),
            format!(
                "restore {} from your backup (or set TENURE_SECRET_KEY to the original key)",
                path.display()
            ),
        ),
    };
    let key = match source {
        KeySource::Missing(_) => "a new key",
        _ => "the current key",
    };
    format!(
        "{what}.\n{cause}.\nTo keep them: {restore}, then start tenure again.\n\
         To start over with {key} instead: {forget}."
    )
}
