//! Typed access to the `&str -> &[u8]` tables: JSON values and `'\0'`-joined keys.

use redb::{ReadableTable, TableHandle};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::StoreError;

/// Separator between the parts of a composite key.
pub const KEY_SEPARATOR: char = '\0';

/// Reads and decodes the JSON value under `key`, if any.
pub fn get_json<T, Tb>(table: &Tb, key: &str) -> Result<Option<T>, StoreError>
where
    T: DeserializeOwned,
    Tb: ReadableTable<&'static str, &'static [u8]> + TableHandle,
{
    let Some(guard) = table.get(key)? else {
        return Ok(None);
    };
    decode_json(table.name(), key, guard.value()).map(Some)
}

/// Decodes one stored JSON value; `table` and `key` only name it in the error.
pub fn decode_json<T: DeserializeOwned>(
    table: &str,
    key: &str,
    bytes: &[u8],
) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|err| StoreError::Corrupt {
        table: table.to_string(),
        key: key.to_string(),
        reason: err.to_string(),
    })
}

/// Encodes `value` as JSON and stores it under `key`.
pub fn put_json<T: Serialize + ?Sized>(
    table: &mut redb::Table<'_, &'static str, &'static [u8]>,
    key: &str,
    value: &T,
) -> Result<(), StoreError> {
    let bytes = serde_json::to_vec(value).map_err(|err| StoreError::Encode {
        table: table.name().to_string(),
        key: key.to_string(),
        reason: err.to_string(),
    })?;
    table.insert(key, bytes.as_slice())?;
    Ok(())
}

/// Joins key parts with [`KEY_SEPARATOR`]. Parts must not contain it (see [`check_part`]).
pub fn join_key(parts: &[&str]) -> String {
    parts.join("\0")
}

/// The half-open key range holding every key that starts with `prefix` and a separator,
/// e.g. all keys of one plugin. Use as `table.range(lo.as_str()..hi.as_str())`.
pub fn prefix_range(prefix: &str) -> (String, String) {
    (format!("{prefix}\0"), format!("{prefix}\u{1}"))
}

/// Refuses a key part that would make a composite key ambiguous.
pub fn check_part(what: &'static str, part: &str) -> Result<(), StoreError> {
    let reason = if part.is_empty() {
        "it must not be empty"
    } else if part.contains(KEY_SEPARATOR) {
        "it must not contain a NUL character"
    } else {
        return Ok(());
    };
    Err(StoreError::InvalidName {
        what,
        name: part.to_string(),
        reason,
    })
}
