//! Shared set-up of the runtime's integration tests.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;
use tenure_runtime::{Manifest, MemoryStateStore, Plugin, Runtime, RuntimeConfig, RuntimeMetrics};

pub fn runtime_with(config: RuntimeConfig) -> (Arc<Runtime>, Arc<MemoryStateStore>) {
    let state = Arc::new(MemoryStateStore::default());
    let rt = Runtime::new(config, state.clone(), RuntimeMetrics::default()).expect("runtime");
    (rt, state)
}

/// Short limits, so hostile tests finish quickly; plain http to loopback allowed, as
/// the tests' fake servers listen there.
pub fn strict_config() -> RuntimeConfig {
    RuntimeConfig {
        call_deadline: Duration::from_secs(2),
        memory_limit_bytes: 32 << 20,
        http_timeout: Duration::from_secs(5),
        max_concurrent_calls: 8,
        allow_local_http: true,
        ..RuntimeConfig::default()
    }
}

/// A runtime with [`strict_config`].
pub fn strict_runtime() -> (Arc<Runtime>, Arc<MemoryStateStore>) {
    runtime_with(strict_config())
}

fn find(list: &[tenure_plugins::Bundled], id: &str) -> (Manifest, &'static [u8]) {
    let b = list
        .iter()
        .find(|b| Manifest::from_toml(b.manifest).unwrap().id == id)
        .unwrap_or_else(|| panic!("plugin {id} is built"));
    (Manifest::from_toml(b.manifest).unwrap(), b.wasm)
}

pub fn bundled(id: &str) -> (Manifest, &'static [u8]) {
    find(tenure_plugins::BUNDLED, id)
}

pub fn hostile() -> (Manifest, &'static [u8]) {
    find(tenure_plugins::TESTING, "hostile")
}

/// A test-only plugin of `plugins/testing` by id.
pub fn testing(id: &str) -> (Manifest, &'static [u8]) {
    find(tenure_plugins::TESTING, id)
}

/// A plugin kept in `tests/fixtures` as `<name>.wasm` beside `<name>.toml`.
pub fn fixture(name: &str) -> (Manifest, Vec<u8>) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let toml = std::fs::read_to_string(dir.join(format!("{name}.toml"))).expect("fixture manifest");
    let wasm = std::fs::read(dir.join(format!("{name}.wasm"))).expect("fixture component");
    (Manifest::from_toml(&toml).expect("a valid manifest"), wasm)
}

/// Loads the hostile plugin under `id` (the same component can be loaded as several plugins).
pub fn load_hostile(rt: &Arc<Runtime>, id: &str) -> Plugin {
    let (mut manifest, wasm) = hostile();
    manifest.id = id.to_string();
    rt.load(manifest, wasm).expect("hostile loads")
}

/// A local HTTP server answering `200 hello` to everything; returns its origin.
pub async fn hello_server() -> String {
    let app = axum::Router::new().fallback(|| async { "hello" });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    origin
}
