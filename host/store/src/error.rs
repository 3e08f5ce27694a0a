//! The one error type of the store. Every message says what went wrong in words a person
//! running tenure can act on, and never contains a secret value.

use std::path::PathBuf;

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("the database at {} is locked by another tenure process", path.display())]
    Locked { path: PathBuf },

    /// The change conflicts with what is stored (a name taken, ...).
    #[error("{0}")]
    Conflict(String),

    #[error("cannot open the database at {}: {source}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: redb::DatabaseError,
    },

    #[error(
        "the database is schema version {found}, written by a newer tenure; this tenure ({}) \
         knows schema versions up to {known}. Run the newer tenure again, or restore a backup \
         taken before the upgrade (`tenure restore FILE`)",
        env!("CARGO_PKG_VERSION")
    )]
    NewerSchema { found: u32, known: u32 },

    /// A file offered as a backup is not a tenure database.
    #[error("{} is not a tenure backup: {reason}", path.display())]
    NotABackup { path: PathBuf, reason: String },

    #[error(
        "secret for {plugin}/{key} cannot be decrypted: the secret key is not the one it was stored with \
         (or the stored value was copied from another plugin or key)"
    )]
    SecretUndecryptable { plugin: String, key: String },

    #[error(
        "the secret key is not the one this database's secrets were stored with: restore that \
         key, or discard the secrets it cannot read, before storing new ones"
    )]
    WrongSecretKey,

    #[error(
        "the secret key is not valid: {reason}; expected 64 hex characters or base64 of 32 bytes"
    )]
    InvalidSecretKey { reason: String },

    #[error("cannot {action} the secret key file {}: {source}", path.display())]
    KeyFile {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("backup target {} exists already", path.display())]
    BackupTargetExists { path: PathBuf },

    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{what} {name:?} is not allowed: {reason}")]
    InvalidName {
        what: &'static str,
        name: String,
        reason: &'static str,
    },

    #[error("the value stored in table {table} under {key:?} is damaged: {reason}")]
    Corrupt {
        table: String,
        key: String,
        reason: String,
    },

    #[error("cannot encode the value for table {table} under {key:?}: {reason}")]
    Encode {
        table: String,
        key: String,
        reason: String,
    },

    #[error("encrypting the secret {plugin}/{key} failed")]
    Encrypt { plugin: String, key: String },

    #[error("storage error: {0}")]
    Storage(#[from] redb::Error),
}

macro_rules! from_redb {
    ($($ty:ty),*) => {$(
        impl From<$ty> for StoreError {
            fn from(err: $ty) -> Self {
                StoreError::Storage(err.into())
            }
        }
    )*};
}

from_redb!(
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError
);

impl StoreError {
    /// Maps an error from opening a redb file, turning "already open" into the locked message.
    pub(crate) fn open(path: &std::path::Path, err: redb::DatabaseError) -> StoreError {
        match err {
            redb::DatabaseError::DatabaseAlreadyOpen => StoreError::Locked {
                path: path.to_path_buf(),
            },
            source => StoreError::Open {
                path: path.to_path_buf(),
                source,
            },
        }
    }
}
