//! A small key-value store private to this plugin, kept by the host across calls
//! (token caches, lookup tables, cursors). Keys are at most 256 bytes and values at
//! most 64 KiB: the host ignores (and logs) a larger write. An entry with a TTL reads
//! as absent once it expired. Calls are stateless otherwise: this is the only memory
//! a plugin has between two calls. Never store secrets from the settings here.

use crate::hostcall;
use serde::{Serialize, de::DeserializeOwned};

/// The longest key the host keeps, in bytes.
pub const MAX_KEY_BYTES: usize = 256;
/// The largest value the host keeps, in bytes.
pub const MAX_VALUE_BYTES: usize = 64 << 10;

/// The value under `key`, unless absent or expired.
pub fn get(key: &str) -> Option<Vec<u8>> {
    hostcall::kv_get(key)
}

/// Stores `value` under `key`; with `ttl_seconds` it expires after that long.
pub fn set(key: &str, value: &[u8], ttl_seconds: Option<u32>) {
    hostcall::kv_set(key, value, ttl_seconds)
}

/// Removes `key` (absent is fine).
pub fn delete(key: &str) {
    hostcall::kv_delete(key)
}

/// Reads a JSON value; a value that no longer parses (an older plugin version wrote
/// it) reads as absent.
pub fn get_json<T: DeserializeOwned>(key: &str) -> Option<T> {
    get(key).and_then(|bytes| serde_json::from_slice(&bytes).ok())
}

/// Writes a value as JSON. Returns whether it was written: `false` when it does not
/// serialize or is over [`MAX_VALUE_BYTES`] (or the key over [`MAX_KEY_BYTES`]).
pub fn set_json<T: Serialize + ?Sized>(key: &str, value: &T, ttl_seconds: Option<u32>) -> bool {
    match serde_json::to_vec(value) {
        Ok(bytes) if bytes.len() <= MAX_VALUE_BYTES && key.len() <= MAX_KEY_BYTES => {
            set(key, &bytes, ttl_seconds);
            true
        }
        _ => false,
    }
}
