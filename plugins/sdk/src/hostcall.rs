//! The one seam between the SDK and the host. Every host import the SDK uses goes
//! through here: on wasm32 to the generated bindings, natively to the thread's
//! [`crate::testing::FakeHost`], so that a plugin's `cargo test` runs its code without
//! a host (the generated import stubs cannot be called natively).
//!
//! Plugins never call the bindings themselves; they use [`crate::http`],
//! [`crate::settings`], [`crate::kv`], [`crate::log`], [`crate::jwt`] and
//! [`crate::time`], which come here.

pub(crate) use crate::bindings::imports::tenure::plugin::host::{Level, SignError};
pub(crate) use crate::bindings::imports::tenure::plugin::http::{HttpError, Request, Response};

#[cfg(target_arch = "wasm32")]
mod imp {
    use super::*;
    use crate::bindings::imports::tenure::plugin::{host, http};

    pub fn log(level: Level, message: &str) {
        host::log(level, message)
    }
    pub fn config(key: &str) -> Option<String> {
        host::config(key)
    }
    pub fn secret(key: &str) -> Option<String> {
        host::secret(key)
    }
    pub fn sign_jwt(key: &str, claims: &str) -> Result<String, SignError> {
        host::sign_jwt(key, claims)
    }
    pub fn signing_identity(key: &str) -> Option<String> {
        host::signing_identity(key)
    }
    pub fn kv_get(key: &str) -> Option<Vec<u8>> {
        host::kv_get(key)
    }
    pub fn kv_set(key: &str, value: &[u8], ttl_seconds: Option<u32>) {
        host::kv_set(key, value, ttl_seconds)
    }
    pub fn kv_delete(key: &str) {
        host::kv_delete(key)
    }
    pub fn now() -> String {
        host::now()
    }
    pub fn send(req: &Request) -> Result<Response, HttpError> {
        http::send(req)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use super::*;
    use crate::testing::fake;

    pub fn log(level: Level, message: &str) {
        fake::log(level, message)
    }
    pub fn config(key: &str) -> Option<String> {
        fake::config(key)
    }
    pub fn secret(key: &str) -> Option<String> {
        fake::secret(key)
    }
    pub fn sign_jwt(key: &str, claims: &str) -> Result<String, SignError> {
        fake::sign_jwt(key, claims)
    }
    pub fn signing_identity(key: &str) -> Option<String> {
        fake::signing_identity(key)
    }
    pub fn kv_get(key: &str) -> Option<Vec<u8>> {
        fake::kv_get(key)
    }
    pub fn kv_set(key: &str, value: &[u8], ttl_seconds: Option<u32>) {
        fake::kv_set(key, value, ttl_seconds)
    }
    pub fn kv_delete(key: &str) {
        fake::kv_delete(key)
    }
    pub fn now() -> String {
        fake::now()
    }
    pub fn send(req: &Request) -> Result<Response, HttpError> {
        fake::send(req)
    }
}

pub(crate) use imp::*;
