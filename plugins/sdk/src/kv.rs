//! A small key-value store private to this plugin, kept by the host.

use crate::wit::tenure::plugin::host;
use serde::{Serialize, de::DeserializeOwned};

pub fn get(key: &str) -> Option<Vec<u8>> {
    host::kv_get(key)
}

pub fn set(key: &str, value: &[u8], ttl_seconds: Option<u32>) {
    host::kv_set(key, value, ttl_seconds)
}

pub fn delete(key: &str) {
    host::kv_delete(key)
}

/// Reads a JSON value; a value that no longer parses reads as absent.
pub fn get_json<T: DeserializeOwned>(key: &str) -> Option<T> {
    get(key).and_then(|bytes| serde_json::from_slice(&bytes).ok())
}

pub fn set_json<T: Serialize>(key: &str, value: &T, ttl_seconds: Option<u32>) {
    if let Ok(bytes) = serde_json::to_vec(value) {
        set(key, &bytes, ttl_seconds)
    }
}
