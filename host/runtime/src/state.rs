//! What a call's store holds, and the embedder's view of plugin state.

use crate::allowlist::Allowlist;
use crate::http_client::HttpClient;
use crate::manifest::{Manifest, SettingKind};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};
use wasmtime::component::ResourceTable;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

/// Where plugin settings, secrets and key-value live (the appliance backs it with
/// redb). Every method takes the plugin's id: the host passes the calling plugin's
/// own, so a plugin can never name another's state.
pub trait PluginStateStore: Send + Sync + 'static {
    fn setting(&self, plugin: &str, key: &str) -> Option<String>;
    /// Decrypted for the caller; the runtime hands it only to `plugin` itself.
    fn secret(&self, plugin: &str, key: &str) -> Option<String>;
    fn kv_get(&self, plugin: &str, key: &str, now_unix: i64) -> Option<Vec<u8>>;
    fn kv_set(&self, plugin: &str, key: &str, value: &[u8], expires_at_unix: Option<i64>);
    fn kv_delete(&self, plugin: &str, key: &str);
}

/// `(plugin, key)`, the key of every in-memory map.
type Scoped = (String, String);

/// A key-value entry: the value and its expiry (unix seconds).
type KvEntry = (Vec<u8>, Option<i64>);

/// An in-memory [`PluginStateStore`] for tests, benches and tools.
#[derive(Default)]
pub struct MemoryStateStore {
    settings: Mutex<HashMap<Scoped, String>>,
    secrets: Mutex<HashMap<Scoped, String>>,
    kv: Mutex<HashMap<Scoped, KvEntry>>,
}

impl MemoryStateStore {
    pub fn set_setting(&self, plugin: &str, key: &str, value: &str) {
        lock(&self.settings).insert((plugin.into(), key.into()), value.into());
    }
    pub fn set_secret(&self, plugin: &str, key: &str, value: &str) {
        lock(&self.secrets).insert((plugin.into(), key.into()), value.into());
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl PluginStateStore for MemoryStateStore {
    fn setting(&self, plugin: &str, key: &str) -> Option<String> {
        lock(&self.settings)
            .get(&(plugin.into(), key.into()))
            .cloned()
    }
    fn secret(&self, plugin: &str, key: &str) -> Option<String> {
        lock(&self.secrets)
            .get(&(plugin.into(), key.into()))
            .cloned()
    }
    fn kv_get(&self, plugin: &str, key: &str, now_unix: i64) -> Option<Vec<u8>> {
        lock(&self.kv)
            .get(&(plugin.into(), key.into()))
            .filter(|(_, exp)| exp.is_none_or(|e| e > now_unix))
            .map(|(v, _)| v.clone())
    }
    fn kv_set(&self, plugin: &str, key: &str, value: &[u8], expires_at_unix: Option<i64>) {
        lock(&self.kv).insert(
            (plugin.into(), key.into()),
            (value.to_vec(), expires_at_unix),
        );
    }
    fn kv_delete(&self, plugin: &str, key: &str) {
        lock(&self.kv).remove(&(plugin.into(), key.into()));
    }
}

/// Everything about a plugin that stays the same across its calls.
pub(crate) struct PluginContext {
    pub manifest: Manifest,
    pub state: Arc<dyn PluginStateStore>,
    pub http: HttpClient,
}

impl PluginContext {
    /// A non-secret setting, or the manifest's default. Undeclared keys, secrets and
    /// signing keys read as absent: `config` never reveals a secret.
    pub fn config(&self, key: &str) -> Option<String> {
        let spec = self.manifest.setting(key)?;
        if spec.kind.is_secret() {
            return None;
        }
        self.state
            .setting(&self.manifest.id, key)
            .or_else(|| spec.default.clone())
    }

    /// A secret the manifest declares, for this plugin only. Never a signing key: those
    /// only sign, in the host ([`Self::signing_key`]).
    pub fn secret(&self, key: &str) -> Option<String> {
        let spec = self.manifest.setting(key)?;
        if spec.kind != SettingKind::Secret {
            return None;
        }
        self.state.secret(&self.manifest.id, key)
    }

    /// The stored value of a `signing-key` setting (kept encrypted like a secret), for
    /// the host to sign with; it never enters the plugin. The error says why there is
    /// none.
    pub fn signing_key(&self, key: &str) -> Result<String, String> {
        match self.manifest.setting(key) {
            Some(spec) if spec.kind == SettingKind::SigningKey => self
                .state
                .secret(&self.manifest.id, key)
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| format!("the signing key `{key}` is not set")),
            _ => Err(format!(
                "`{key}` is not a signing-key setting of plugin `{}`",
                self.manifest.id
            )),
        }
    }

    pub fn allowlist(&self) -> Allowlist {
        Allowlist::resolve(&self.manifest, |k| self.config(k))
    }
}

pub(crate) fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Caps linear memory and table growth, and remembers that the cap was hit so the
/// call fails with "out of memory" rather than a bare trap.
pub(crate) struct Limiter {
    pub memory_limit: usize,
    pub hit: bool,
}

impl wasmtime::ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.memory_limit {
            self.hit = true;
            return Err(wasmtime::format_err!(
                "memory limit of {} MiB reached",
                self.memory_limit >> 20
            ));
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 100_000)
    }
}

/// The data of one call's store.
pub(crate) struct CallState {
    pub ctx: Arc<PluginContext>,
    pub wasi: WasiCtx,
    pub table: ResourceTable,
    pub limiter: Limiter,
    pub stderr: MemoryOutputPipe,
    /// Epoch ticks of CPU the guest has used in this call.
    pub cpu_ticks: u64,
    /// The allowlist, resolved from the settings at the call's first request and kept
    /// for the rest of the call (calls without HTTP never pay for it).
    pub allowlist: Option<Allowlist>,
}

impl WasiView for CallState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::egress::EgressPolicy;
    use crate::metrics::RuntimeMetrics;
    use std::time::Duration;

    fn context() -> (PluginContext, Arc<MemoryStateStore>) {
        let manifest = Manifest::from_toml(
            r#"
            id = "google"
            name = "Google Workspace"
            version = "0.2.0"
            world = "app-connector"
            [[settings]]
            key = "service_account"
            label = "Service account key"
            kind = "signing-key"
            [[settings]]
            key = "token"
            label = "Token"
            kind = "secret"
            [[settings]]
            key = "domain"
            label = "Domain"
            kind = "text"
            "#,
        )
        .unwrap();
        let state = Arc::new(MemoryStateStore::default());
        let http = HttpClient::new(
            Duration::from_secs(1),
            1 << 20,
            &[],
            EgressPolicy::new(false, Vec::new()),
            RuntimeMetrics::default(),
        )
        .unwrap();
        let ctx = PluginContext {
            manifest,
            state: state.clone(),
            http,
        };
        (ctx, state)
    }

    #[test]
    fn a_signing_key_is_read_only_for_signing() {
        let (ctx, state) = context();
        assert_eq!(
            ctx.signing_key("service_account").unwrap_err(),
            "the signing key `service_account` is not set"
        );
        // Stored encrypted like a secret (the embedder keeps both the same way).
        state.set_secret("google", "service_account", "{\"private_key\": \"...\"}");
        state.set_secret("google", "token", "t0k3n");
        state.set_setting("google", "service_account", "leaked as a setting?");
        assert!(ctx.signing_key("service_account").is_ok());
        // Neither `secret` nor `config` hands it to the plugin.
        assert_eq!(ctx.secret("service_account"), None);
        assert_eq!(ctx.config("service_account"), None);
        assert_eq!(ctx.secret("token").as_deref(), Some("t0k3n"));
        // Only a signing-key setting signs.
        for other in ["token", "domain", "undeclared"] {
            assert!(
                ctx.signing_key(other)
                    .unwrap_err()
                    .contains("not a signing-key setting"),
                "{other}"
            );
        }
    }
}
