//! Whether the secret key is the one the stored secrets were written with.
//!
//! A lost `secret.key` must stop tenure with a clear message instead of leaving every
//! secret silently unreadable. Two means: each secret is tried at start-up
//! ([`Store::check_secret_key`]), and a check value (a known constant sealed with the key,
//! META `secret_key_check`) is written with the first secret, so a key that differs is
//! noticed before any secret is read and no new secret is stored under a second key.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use redb::{ReadableTable, ReadableTableMetadata, WriteTransaction};

use crate::codec::{get_json, put_json};
use crate::tables::{META, PLUGIN_SECRETS, SECRET_KEY_CHECK_KEY};
use crate::{Store, StoreError};

/// The sealed constant. Its associated data has an empty plugin id, which no plugin can
/// have, so no stored secret can pass for it.
const CHECK_PLUGIN: &str = "";
const CHECK_PLAINTEXT: &str = "tenure secret key check v1";

/// What the secret key can read of the stored secrets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecretKeyCheck {
    /// The key is not the one the secrets were stored with: the stored check value says
    /// so or, in a database from before check values, not one secret decrypts.
    pub wrong_key: bool,
    /// The secrets this key cannot decrypt (or that are damaged), as (plugin, key), sorted.
    pub unreadable: Vec<(String, String)>,
}

impl Store {
    /// The start-up check: which secrets this key cannot read. When it reads them all
    /// (or there are none), this key's check value is recorded.
    pub fn check_secret_key(&self) -> Result<SecretKeyCheck, StoreError> {
        let txn = self.db.begin_write()?;
        let matches = self.check_value_matches(&txn)?;
        let (total, unreadable) = {
            let table = txn.open_table(PLUGIN_SECRETS)?;
            (table.len()?, self.unreadable_in(&table)?)
        };
        let wrong_key = total > 0
            && match matches {
                Some(matches) => !matches,
                None => unreadable.len() as u64 == total,
            };
        if unreadable.is_empty() && matches != Some(true) {
            self.record_check_value(&txn)?;
            txn.commit()?;
        } else {
            txn.abort()?;
        }
        Ok(SecretKeyCheck {
            wrong_key,
            unreadable,
        })
    }

    /// The secrets this key cannot decrypt (or that are damaged), as (plugin, key), sorted.
    pub fn unreadable_secrets(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.read(|txn| self.unreadable_in(&txn.open_table(PLUGIN_SECRETS)?))
    }

    /// Deletes the secrets this key cannot decrypt and makes this key the store's key;
    /// returns what was deleted, as (plugin, key). For starting over after a lost key.
    pub fn forget_unreadable_secrets(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.write(|txn| {
            let mut table = txn.open_table(PLUGIN_SECRETS)?;
            let unreadable = self.unreadable_in(&table)?;
            for (plugin, key) in &unreadable {
                table.remove(crate::codec::join_key(&[plugin, key]).as_str())?;
                tracing::warn!(
                    plugin = plugin.as_str(),
                    key = key.as_str(),
                    "discarded a secret the secret key cannot decrypt"
                );
            }
            drop(table);
            self.record_check_value(txn)?;
            Ok(unreadable)
        })
    }

    /// Called before a secret is stored in `txn`: refuses when the store's secrets were
    /// written with another key, and records this key's check value when there is none.
    pub(crate) fn guard_secret_key(&self, txn: &WriteTransaction) -> Result<(), StoreError> {
        let matches = self.check_value_matches(txn)?;
        if matches == Some(true) {
            return Ok(());
        }
        let table = txn.open_table(PLUGIN_SECRETS)?;
        let total = table.len()?;
        // Without a check value, one readable secret proves the key.
        let proven =
            total == 0 || (matches.is_none() && (self.unreadable_in(&table)?.len() as u64) < total);
        drop(table);
        if !proven {
            return Err(StoreError::WrongSecretKey);
        }
        self.record_check_value(txn)
    }

    /// Whether the stored check value opens with this key; `None` when there is none (or
    /// it is damaged, which is logged: it is written again once the key is proven).
    fn check_value_matches(&self, txn: &WriteTransaction) -> Result<Option<bool>, StoreError> {
        let meta = txn.open_table(META)?;
        let stored = match get_json::<String, _>(&meta, SECRET_KEY_CHECK_KEY) {
            Ok(stored) => stored,
            Err(e) => {
                tracing::warn!("ignoring the secret key check value: {e}");
                return Ok(None);
            }
        };
        let Some(sealed) = stored.and_then(|text| STANDARD.decode(text).ok()) else {
            return Ok(None);
        };
        let opened = self
            .secret_box
            .open(CHECK_PLUGIN, SECRET_KEY_CHECK_KEY, &sealed);
        Ok(Some(opened.is_ok_and(|text| text == CHECK_PLAINTEXT)))
    }

    fn record_check_value(&self, txn: &WriteTransaction) -> Result<(), StoreError> {
        let sealed = self
            .secret_box
            .seal(CHECK_PLUGIN, SECRET_KEY_CHECK_KEY, CHECK_PLAINTEXT)?;
        put_json(
            &mut txn.open_table(META)?,
            SECRET_KEY_CHECK_KEY,
            &STANDARD.encode(sealed),
        )
    }

    /// The entries of `table` (the secrets table) that do not decrypt with this key.
    fn unreadable_in(
        &self,
        table: &impl ReadableTable<&'static str, &'static [u8]>,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let mut unreadable = Vec::new();
        for row in table.iter()? {
            let (entry, sealed) = row?;
            let (plugin, key) = entry
                .value()
                .split_once(crate::codec::KEY_SEPARATOR)
                .unwrap_or((entry.value(), ""));
            if self.secret_box.open(plugin, key, sealed.value()).is_err() {
                unreadable.push((plugin.to_string(), key.to_string()));
            }
        }
        Ok(unreadable)
    }
}
