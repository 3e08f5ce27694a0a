//! Tenure's state in redb: typed tables, schema migrations, encrypted secrets, plugin
//! key-value and online backup.
//!
//! Every table maps `&str` to `&[u8]` ([`tables`]); [`codec`] gives typed JSON access.
//! One write transaction per state change; readers never block writers.

mod api_tokens;
mod audit;
mod backup;
pub mod codec;
mod error;
mod jobs;
mod key_check;
mod lifecycle;
pub mod migrations;
mod notes;
mod plugin_state;
mod secrets;
pub mod tables;
mod users;

use std::fmt;
use std::path::Path;

use redb::{Database, ReadableDatabase};

pub use api_tokens::ApiTokenRecord;
pub use backup::{BackupStats, TableRows};
pub use error::StoreError;
pub use jobs::{FINISHED_KEPT, JobFilter, JobFinish};
pub use key_check::SecretKeyCheck;
pub use lifecycle::{INTERRUPTED, OutboxEntry, SyncRun, SyncState};
pub use redb;
pub use secrets::SecretKey;
pub use users::{SessionRecord, UserRecord, check_user_id};

use secrets::SecretBox;

/// The open database and the key that encrypts its secrets. Cheap to share behind an `Arc`.
pub struct Store {
    db: Database,
    secret_box: SecretBox,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

/// redb's page cache. The lifecycle state is read once at start and then kept in memory
/// by the engine, so the cache serves writes and the logs; redb's default (1 GiB) would
/// only make the appliance look bigger.
const CACHE_BYTES: usize = 16 * 1024 * 1024;

impl Store {
    /// Opens or creates the database at `path`, creating tables and running migrations to
    /// the current schema version inside one write transaction. `key` encrypts secrets.
    pub fn open(path: &Path, key: SecretKey) -> Result<Store, StoreError> {
        let db = Database::builder()
            .set_cache_size(CACHE_BYTES)
            .create(path)
            .map_err(|err| StoreError::open(path, err))?;
        let txn = db.begin_write()?;
        let version = migrations::migrate(&txn, migrations::MIGRATIONS)?;
        for table in tables::ALL_TABLES {
            txn.open_table(*table)?;
        }
        txn.commit()?;
        tracing::debug!(path = %path.display(), version, "store open");
        Ok(Store {
            db,
            secret_box: SecretBox::new(&key),
        })
    }

    /// The schema version recorded in the database.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        self.read(|txn| {
            let meta = txn.open_table(tables::META)?;
            Ok(codec::get_json(&meta, tables::SCHEMA_VERSION_KEY)?.unwrap_or(0))
        })
    }

    /// Escape hatch for later crates: runs `f` in one write transaction, committed when `f`
    /// returns `Ok` and rolled back otherwise.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&redb::WriteTransaction) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let txn = self.db.begin_write()?;
        let value = f(&txn)?;
        txn.commit()?;
        Ok(value)
    }

    /// Runs `f` in one read transaction: a consistent snapshot that blocks no writer.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&redb::ReadTransaction) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let txn = self.db.begin_read()?;
        f(&txn)
    }
}

#[cfg(test)]
mod jobs_tests;
#[cfg(test)]
mod tests;
