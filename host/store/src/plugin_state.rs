//! What the store keeps per plugin: settings, encrypted secrets and key-value entries with
//! optional expiry. Keys are `plugin\0key`; one plugin can never see another's entries.

use redb::{ReadableTable, ReadableTableMetadata, TableHandle};

use crate::codec::{check_part, decode_json, get_json, join_key, prefix_range, put_json};
use crate::tables::{PLUGIN_KV, PLUGIN_SECRETS, PLUGIN_SETTINGS, Table};
use crate::{Store, StoreError};

/// The composite key of one plugin entry, after checking both parts.
fn entry_key(plugin: &str, key: &str) -> Result<String, StoreError> {
    check_part("plugin id", plugin)?;
    check_part("key", key)?;
    Ok(join_key(&[plugin, key]))
}

/// KV value layout: tag 0 = no expiry, then the value; tag 1 = expiry as big-endian i64
/// unix seconds, then the value.
fn encode_kv(value: &[u8], expires_at: Option<i64>) -> Vec<u8> {
    let mut out = Vec::with_capacity(9 + value.len());
    match expires_at {
        None => out.push(0),
        Some(at) => {
            out.push(1);
            out.extend_from_slice(&at.to_be_bytes());
        }
    }
    out.extend_from_slice(value);
    out
}

/// Splits a stored KV entry into (expiry, value); `None` when damaged.
fn decode_kv(stored: &[u8]) -> Option<(Option<i64>, &[u8])> {
    match stored.split_first()? {
        (0, value) => Some((None, value)),
        (1, rest) if rest.len() >= 8 => {
            let (at, value) = rest.split_at(8);
            Some((Some(i64::from_be_bytes(at.try_into().ok()?)), value))
        }
        _ => None,
    }
}

fn is_expired(expires_at: Option<i64>, now_unix: i64) -> bool {
    expires_at.is_some_and(|at| at <= now_unix)
}

impl Store {
    /// Sets a non-secret plugin setting.
    pub fn set_setting(&self, plugin: &str, key: &str, value: &str) -> Result<(), StoreError> {
        let entry = entry_key(plugin, key)?;
        self.write(|txn| put_json(&mut txn.open_table(PLUGIN_SETTINGS)?, &entry, value))
    }

    /// One plugin setting, if set.
    pub fn setting(&self, plugin: &str, key: &str) -> Result<Option<String>, StoreError> {
        let entry = entry_key(plugin, key)?;
        self.read(|txn| get_json(&txn.open_table(PLUGIN_SETTINGS)?, &entry))
    }

    /// All settings of a plugin, sorted by key.
    pub fn settings(&self, plugin: &str) -> Result<Vec<(String, String)>, StoreError> {
        check_part("plugin id", plugin)?;
        self.read(|txn| {
            let table = txn.open_table(PLUGIN_SETTINGS)?;
            let (lo, hi) = prefix_range(plugin);
            let mut settings = Vec::new();
            for row in table.range(lo.as_str()..hi.as_str())? {
                let (key, value) = row?;
                let value = decode_json(table.name(), key.value(), value.value())?;
                settings.push((key.value()[lo.len()..].to_string(), value));
            }
            Ok(settings)
        })
    }

    /// Encrypts and stores a plugin secret. Refused ([`StoreError::WrongSecretKey`]) when
    /// the stored secrets were written with another key.
    pub fn set_secret(&self, plugin: &str, key: &str, plaintext: &str) -> Result<(), StoreError> {
        let entry = entry_key(plugin, key)?;
        let sealed = self.secret_box.seal(plugin, key, plaintext)?;
        self.write(|txn| {
            self.guard_secret_key(txn)?;
            txn.open_table(PLUGIN_SECRETS)?
                .insert(entry.as_str(), sealed.as_slice())?;
            Ok(())
        })
    }

    /// Decrypts a plugin secret, if set.
    pub fn secret(&self, plugin: &str, key: &str) -> Result<Option<String>, StoreError> {
        let entry = entry_key(plugin, key)?;
        let sealed = self.read(|txn| {
            let table = txn.open_table(PLUGIN_SECRETS)?;
            let sealed = table
                .get(entry.as_str())?
                .map(|guard| guard.value().to_vec());
            Ok(sealed)
        })?;
        sealed
            .map(|sealed| self.secret_box.open(plugin, key, &sealed))
            .transpose()
    }

    /// Names only (never values) of the secrets a plugin has set, sorted.
    pub fn secret_names(&self, plugin: &str) -> Result<Vec<String>, StoreError> {
        check_part("plugin id", plugin)?;
        self.read(|txn| plugin_keys(&txn.open_table(PLUGIN_SECRETS)?, plugin))
    }

    /// Removes a plugin secret; removing one that is not set is fine.
    pub fn delete_secret(&self, plugin: &str, key: &str) -> Result<(), StoreError> {
        self.remove(PLUGIN_SECRETS, &entry_key(plugin, key)?)
    }

    /// A plugin's value under `key`, unless absent or expired at `now_unix`.
    pub fn kv_get(
        &self,
        plugin: &str,
        key: &str,
        now_unix: i64,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let entry = entry_key(plugin, key)?;
        self.read(|txn| {
            let table = txn.open_table(PLUGIN_KV)?;
            let Some(guard) = table.get(entry.as_str())? else {
                return Ok(None);
            };
            let (expires_at, value) =
                decode_kv(guard.value()).ok_or_else(|| StoreError::Corrupt {
                    table: PLUGIN_KV.name().to_string(),
                    key: entry.clone(),
                    reason: "unknown entry format".to_string(),
                })?;
            Ok((!is_expired(expires_at, now_unix)).then(|| value.to_vec()))
        })
    }

    /// Stores a plugin value, optionally expiring at `expires_at_unix` (unix seconds).
    pub fn kv_set(
        &self,
        plugin: &str,
        key: &str,
        value: &[u8],
        expires_at_unix: Option<i64>,
    ) -> Result<(), StoreError> {
        let entry = entry_key(plugin, key)?;
        let stored = encode_kv(value, expires_at_unix);
        self.write(|txn| {
            txn.open_table(PLUGIN_KV)?
                .insert(entry.as_str(), stored.as_slice())?;
            Ok(())
        })
    }

    /// Removes a plugin value; removing one that is not set is fine.
    pub fn kv_delete(&self, plugin: &str, key: &str) -> Result<(), StoreError> {
        self.remove(PLUGIN_KV, &entry_key(plugin, key)?)
    }

    /// Drops entries expired at `now_unix` (all plugins); returns how many. Damaged entries
    /// are kept for a person to look at.
    pub fn kv_purge_expired(&self, now_unix: i64) -> Result<usize, StoreError> {
        self.write(|txn| {
            let mut table = txn.open_table(PLUGIN_KV)?;
            let before = table.len()?;
            table.retain(|_, stored| {
                !decode_kv(stored).is_some_and(|(expires_at, _)| is_expired(expires_at, now_unix))
            })?;
            let purged = before - table.len()?;
            if purged > 0 {
                tracing::debug!(purged, "purged expired plugin key-value entries");
            }
            Ok(usize::try_from(purged).unwrap_or(usize::MAX))
        })
    }

    fn remove(&self, table: Table, entry: &str) -> Result<(), StoreError> {
        self.write(|txn| {
            txn.open_table(table)?.remove(entry)?;
            Ok(())
        })
    }
}

/// The keys (without the plugin prefix) of one plugin's entries in `table`, sorted.
fn plugin_keys(
    table: &impl ReadableTable<&'static str, &'static [u8]>,
    plugin: &str,
) -> Result<Vec<String>, StoreError> {
    let (lo, hi) = prefix_range(plugin);
    let mut names = Vec::new();
    for row in table.range(lo.as_str()..hi.as_str())? {
        let (key, _) = row?;
        names.push(key.value()[lo.len()..].to_string());
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kv_encoding_round_trips() {
        assert_eq!(decode_kv(&encode_kv(b"v", None)), Some((None, &b"v"[..])));
        assert_eq!(
            decode_kv(&encode_kv(b"", Some(-5))),
            Some((Some(-5), &b""[..]))
        );
        assert_eq!(decode_kv(&[7]), None);
        assert_eq!(decode_kv(&[1, 0]), None);
    }
}
