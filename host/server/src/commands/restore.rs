//! `tenure restore FILE`: puts a backup in place of the database, with tenure stopped.
//!
//! The backup is copied into the data directory first (mode 0600) and checked there:
//! it must be a tenure database of this schema version or an older one (which is
//! migrated), and the current secret key must decrypt its secrets. Only then is the
//! current database moved aside, to `tenure.redb.before-restore-<time>` (never
//! deleted), and the checked copy renamed into its place.

use crate::app::{ensure_data_dir, secret_key};
use crate::backup_schedule::stamp;
use crate::config::Config;
use crate::http::admin::SOCKET_NAME;
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use tenure_store::migrations::CURRENT_VERSION;
use tenure_store::redb::{Database, DatabaseError};
use tenure_store::{SecretKeyCheck, Store, StoreError};

const DB_FILE: &str = "tenure.redb";
const KEY_FILE: &str = "secret.key";
const STOP_FIRST: &str =
    "stop tenure first (systemctl stop tenure), then run `tenure restore` again";

pub fn run(config: &Config, file: &Path, force: bool) -> anyhow::Result<()> {
    let data_dir = &config.server.data_dir;
    let backup =
        std::path::absolute(file).with_context(|| format!("cannot resolve {}", file.display()))?;
    if !backup.is_file() {
        bail!("{} is not a file", backup.display());
    }
    refuse_while_serving(data_dir)?;
    ensure_data_dir(data_dir)?;
    let live = data_dir.join(DB_FILE);
    if same_file(&backup, &live) {
        bail!("{} is the database itself, not a backup", backup.display());
    }
    // Holding the current database keeps a server from starting on it meanwhile.
    let held = hold(&live)?;

    let now = time::OffsetDateTime::now_utc();
    let staging = Staging::copy(
        &backup,
        &data_dir.join(format!("{DB_FILE}.restoring-{}", stamp(now))),
    )?;
    let found =
        Store::recorded_schema_version(staging.path()).map_err(|e| refusal_for(&backup, e))?;
    if found > CURRENT_VERSION {
        bail!(
            "refusing to restore {}: {}",
            backup.display(),
            StoreError::NewerSchema {
                found,
                known: CURRENT_VERSION
            }
        );
    }

    let key_path = data_dir.join(KEY_FILE);
    let from_env = std::env::var("TENURE_SECRET_KEY").is_ok_and(|t| !t.trim().is_empty());
    let key_created = !from_env && !key_path.exists();
    let key = secret_key(data_dir)?;
    let store = Store::open(staging.path(), key)
        .with_context(|| format!("cannot open the backup {}", backup.display()))?;
    let check = store
        .check_secret_key()
        .context("cannot check the secret key against the backup's secrets")?;
    if !check.unreadable.is_empty() && !force {
        drop(store);
        if key_created {
            // A new key would only hide which one the backup needs.
            let _ = std::fs::remove_file(&key_path);
        }
        bail!(key_refusal(
            &check,
            &backup,
            &key_path,
            from_env,
            key_created
        ));
    }
    let counts = store.table_counts()?;
    let version = store.schema_version()?;
    drop(store);

    let aside = data_dir.join(format!("{DB_FILE}.before-restore-{}", stamp(now)));
    let moved_aside = live.exists();
    if moved_aside {
        if aside.exists() {
            bail!("{} exists already; try again in a second", aside.display());
        }
        std::fs::rename(&live, &aside).with_context(|| {
            format!(
                "cannot move the current database aside to {}",
                aside.display()
            )
        })?;
    }
    if let Err(e) = staging.put_in_place(&live) {
        if moved_aside {
            let _ = std::fs::rename(&aside, &live);
        }
        return Err(e);
    }
    drop(held);

    let rows: u64 = counts.iter().map(|(_, n)| n).sum();
    println!("restored {} into {}", backup.display(), live.display());
    if found < CURRENT_VERSION {
        println!("schema version {found}, upgraded to {version}");
    } else {
        println!("schema version {version}");
    }
    println!("{} tables, {rows} rows:", counts.len());
    for (table, n) in &counts {
        println!("  {table:<20} {n}");
    }
    if moved_aside {
        println!("the previous database is kept as {}", aside.display());
    }
    if !check.unreadable.is_empty() {
        println!(
            "{} secret(s) do not decrypt with the current key; tenure will not start until \
             you run `tenure secrets forget-unreadable` and enter them again",
            check.unreadable.len()
        );
    }
    Ok(())
}

/// Refuses while a server answers on the data directory's admin socket.
fn refuse_while_serving(data_dir: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        let socket = data_dir.join(SOCKET_NAME);
        if std::os::unix::net::UnixStream::connect(&socket).is_ok() {
            bail!(
                "tenure is running on {} (its admin socket {} answers): {STOP_FIRST}",
                data_dir.display(),
                socket.display()
            );
        }
    }
    Ok(())
}

/// Opens the current database to hold its lock during the swap; refuses when another
/// process holds it. A database that does not open (damaged: a reason to restore) is
/// replaced all the same.
fn hold(live: &Path) -> anyhow::Result<Option<Database>> {
    if !live.exists() {
        return Ok(None);
    }
    match Database::open(live) {
        Ok(db) => Ok(Some(db)),
        Err(DatabaseError::DatabaseAlreadyOpen) => bail!(
            "the database {} is in use by a running tenure: {STOP_FIRST}",
            live.display()
        ),
        Err(e) => {
            tracing::warn!(path = %live.display(), "the current database does not open ({e}); it is moved aside as it is");
            Ok(None)
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn refusal_for(backup: &Path, e: StoreError) -> anyhow::Error {
    match e {
        StoreError::NotABackup { reason, .. } => {
            anyhow::anyhow!("{} is not a tenure backup: {reason}", backup.display())
        }
        other => anyhow::Error::new(other).context(format!("cannot read {}", backup.display())),
    }
}

/// Why the backup's secrets do not decrypt, and the ways on.
fn key_refusal(
    check: &SecretKeyCheck,
    backup: &Path,
    key_path: &Path,
    from_env: bool,
    key_created: bool,
) -> String {
    let names: Vec<String> = check
        .unreadable
        .iter()
        .map(|(plugin, key)| format!("{plugin}/{key}"))
        .collect();
    let what = format!(
        "refusing to restore {}: the current secret key cannot decrypt {} of its secret(s): {}",
        backup.display(),
        names.len(),
        names.join(", ")
    );
    let force = format!(
        "To restore it anyway and enter those secrets again: `tenure restore --force {}`, \
         then `tenure secrets forget-unreadable`",
        backup.display()
    );
    if !check.wrong_key {
        return format!(
            "{what}.\nThe key is the one its other secrets were stored with, so these are damaged.\n{force}."
        );
    }
    let key = if from_env {
        "TENURE_SECRET_KEY".to_string()
    } else if key_created {
        format!("there is no {}", key_path.display())
    } else {
        key_path.display().to_string()
    };
    format!(
        "{what}.\nThe backup was taken under another secret key ({key}). A backup holds \
         everything but the secret key: put the secret.key that was in use when the backup \
         was taken in {} (or set TENURE_SECRET_KEY to it), then run `tenure restore` again.\n\
         {force}.",
        key_path.display()
    )
}

/// The checked copy of the backup inside the data directory; removed unless it was put
/// in place.
struct Staging {
    path: PathBuf,
    placed: bool,
}

impl Staging {
    /// Copies `from` to `to`, a new file with mode 0600.
    fn copy(from: &Path, to: &Path) -> anyhow::Result<Staging> {
        let mut src = std::fs::File::open(from)
            .with_context(|| format!("cannot read the backup {}", from.display()))?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut dst = options
            .open(to)
            .with_context(|| format!("cannot create {}", to.display()))?;
        let staging = Staging {
            path: to.to_path_buf(),
            placed: false,
        };
        std::io::copy(&mut src, &mut dst)
            .and_then(|_| dst.sync_all())
            .with_context(|| format!("cannot copy the backup to {}", to.display()))?;
        Ok(staging)
    }

    fn path(&self) -> &Path {
        &self.path
    }

    fn put_in_place(mut self, live: &Path) -> anyhow::Result<()> {
        std::fs::rename(&self.path, live)
            .with_context(|| format!("cannot move the restored database to {}", live.display()))?;
        self.placed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.placed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
