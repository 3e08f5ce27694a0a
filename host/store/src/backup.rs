//! Online, consistent backup: every table copied from one read snapshot into a new file.

use std::collections::BTreeSet;
use std::path::Path;

use redb::backends::FileBackend;
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition, TableHandle};

use crate::tables::ALL_TABLES;
use crate::{Store, StoreError};

/// What a backup copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupStats {
    pub tables: usize,
    pub rows: u64,
}

impl Store {
    /// Online, consistent backup: copies every table, inside one read transaction, into a
    /// NEW redb file at `dest` (refuses to overwrite an existing file). Writers are not
    /// blocked. The file is created with mode 0600 (it holds personal data and password
    /// hashes), whatever the umask. The backup opens with [`Store::open`] and the same
    /// secret key.
    pub fn backup(&self, dest: &Path) -> Result<BackupStats, StoreError> {
        // create_new both refuses an existing file and reserves the name against a race;
        // the mode is set at creation, so the file is never readable by others.
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = match options.open(dest) {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(StoreError::BackupTargetExists {
                    path: dest.to_path_buf(),
                });
            }
            Err(source) => {
                return Err(StoreError::Io {
                    action: "create the backup file",
                    path: dest.to_path_buf(),
                    source,
                });
            }
        };
        let result = self.copy_into(file, dest);
        if result.is_err() {
            // Leave no half-written backup behind to be mistaken for a good one.
            let _ = std::fs::remove_file(dest);
        }
        result
    }

    /// Copies into `file`, the new empty file at `dest` (named in messages only).
    fn copy_into(&self, file: std::fs::File, dest: &Path) -> Result<BackupStats, StoreError> {
        let source = self.db.begin_read()?;
        let mut names: BTreeSet<String> = ALL_TABLES.iter().map(|t| t.name().to_string()).collect();
        names.extend(source.list_tables()?.map(|t| t.name().to_string()));

        let target = FileBackend::new(file)
            .and_then(|backend| Database::builder().create_with_backend(backend))
            .map_err(|err| StoreError::open(dest, err))?;
        let txn = target.begin_write()?;
        let mut stats = BackupStats { tables: 0, rows: 0 };
        for name in &names {
            let definition: TableDefinition<&str, &[u8]> = TableDefinition::new(name);
            let from = source.open_table(definition)?;
            let mut to = txn.open_table(definition)?;
            for row in from.iter()? {
                let (key, value) = row?;
                to.insert(key.value(), value.value())?;
                stats.rows += 1;
            }
            stats.tables += 1;
        }
        txn.commit()?;
        target.close().map_err(|err| StoreError::open(dest, err))?;
        tracing::info!(dest = %dest.display(), tables = stats.tables, rows = stats.rows, "backup written");
        Ok(stats)
    }
}
