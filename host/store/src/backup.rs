//! Online, consistent backup: every table copied from one read snapshot into a new file.
//! Also what a restore checks a backup with: the tables, their rows, and the schema
//! version a file records.

use std::collections::BTreeSet;
use std::path::Path;

use redb::backends::FileBackend;
use redb::{
    Database, ReadOnlyDatabase, ReadTransaction, ReadableDatabase, ReadableTable,
    ReadableTableMetadata, TableDefinition, TableError, TableHandle,
};

use crate::tables::{ALL_TABLES, META, SCHEMA_VERSION_KEY};
use crate::{Store, StoreError};

/// The rows of one table as stored, `(key, value)` in key order.
pub type TableRows = Vec<(String, Vec<u8>)>;

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
        let names = table_names(&source)?;

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

impl Store {
    /// Every table of the database, sorted: those of [`ALL_TABLES`] and any other the
    /// file holds (a backup copies them all).
    pub fn table_names(&self) -> Result<Vec<String>, StoreError> {
        self.read(|txn| Ok(table_names(txn)?.into_iter().collect()))
    }

    /// Every row of table `name` as stored, in key order; none for a table the file
    /// does not have. Reads the whole table into memory: for checks and tests.
    pub fn table_rows(&self, name: &str) -> Result<TableRows, StoreError> {
        self.read(|txn| {
            let table = match txn.open_table(TableDefinition::<&str, &[u8]>::new(name)) {
                Ok(table) => table,
                Err(TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
                Err(e) => return Err(e.into()),
            };
            let mut rows = Vec::new();
            for row in table.iter()? {
                let (key, value) = row?;
                rows.push((key.value().to_string(), value.value().to_vec()));
            }
            Ok(rows)
        })
    }

    /// How many rows each table holds, by table name (sorted).
    pub fn table_counts(&self) -> Result<Vec<(String, u64)>, StoreError> {
        self.read(|txn| {
            let mut counts = Vec::new();
            for name in table_names(txn)? {
                let table = txn.open_table(TableDefinition::<&str, &[u8]>::new(&name))?;
                counts.push((name, table.len()?));
            }
            Ok(counts)
        })
    }

    /// The schema version recorded in the redb file at `path`, read without migrating
    /// it; refuses a file that is not a tenure database. The file is opened read-only;
    /// only one that was not closed cleanly (copied while tenure ran) is opened for
    /// writing, which lets redb repair it: check a copy of such a file, not the only one.
    pub fn recorded_schema_version(path: &Path) -> Result<u32, StoreError> {
        let not_a_backup = |reason: String| StoreError::NotABackup {
            path: path.to_path_buf(),
            reason,
        };
        let opened = match ReadOnlyDatabase::open(path) {
            Err(redb::DatabaseError::RepairAborted) => {
                Database::open(path).map(|db| Box::new(db) as Box<dyn ReadableDatabase>)
            }
            other => other.map(|db| Box::new(db) as Box<dyn ReadableDatabase>),
        };
        let db = match opened {
            Ok(db) => db,
            Err(redb::DatabaseError::DatabaseAlreadyOpen) => {
                return Err(StoreError::Locked {
                    path: path.to_path_buf(),
                });
            }
            Err(e) => return Err(not_a_backup(format!("it is not a redb database ({e})"))),
        };
        let txn = db.begin_read()?;
        let meta = match txn.open_table(META) {
            Ok(meta) => meta,
            Err(TableError::TableDoesNotExist(_)) => {
                return Err(not_a_backup("it has no tenure tables".into()));
            }
            Err(e) => return Err(not_a_backup(format!("its tables do not open ({e})"))),
        };
        match crate::codec::get_json::<u32, _>(&meta, SCHEMA_VERSION_KEY)? {
            Some(version) if version > 0 => Ok(version),
            _ => Err(not_a_backup("it records no schema version".into())),
        }
    }
}

/// The tables of [`ALL_TABLES`] and any other the file holds, sorted.
fn table_names(txn: &ReadTransaction) -> Result<BTreeSet<String>, StoreError> {
    let mut names: BTreeSet<String> = ALL_TABLES.iter().map(|t| t.name().to_string()).collect();
    names.extend(txn.list_tables()?.map(|t| t.name().to_string()));
    Ok(names)
}
