//! The engine: one wasmtime `Engine` with the pooling allocator, epoch interruption
//! and the linker every plugin is instantiated against.

use crate::bindings::{v0_1, v0_2};
use crate::config::{EPOCH_TICK, RuntimeConfig};
use crate::egress::EgressPolicy;
use crate::error::LoadError;
use crate::http_client::HttpClient;
use crate::manifest::Manifest;
use crate::metrics::RuntimeMetrics;
use crate::plugin::Plugin;
use crate::state::{CallState, PluginContext, PluginStateStore};
use crate::{cache, plugin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};
use wasmtime::component::{Component, Linker};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

/// Installs rustls's ring provider as the process default (idempotent).
pub fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Another part of the process may have installed one already; that is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// Runs plugins. Cheap to share: clone the `Arc`.
pub struct Runtime {
    pub(crate) engine: Engine,
    pub(crate) linker: Linker<CallState>,
    pub(crate) config: RuntimeConfig,
    pub(crate) state: Arc<dyn PluginStateStore>,
    pub(crate) http: HttpClient,
    pub(crate) metrics: RuntimeMetrics,
    ticker_stop: Arc<AtomicBool>,
}

/// Bytes of an instance's memory and async stack zeroed in place rather than given back
/// to the kernel when the call ends (a small call touches about this much).
const KEEP_RESIDENT: usize = 128 << 10;

impl Runtime {
    pub fn new(
        config: RuntimeConfig,
        state: Arc<dyn PluginStateStore>,
        metrics: RuntimeMetrics,
    ) -> Result<Arc<Runtime>, String> {
        let mut pool = PoolingAllocationConfig::default();
        let slots = config.max_concurrent_calls.max(1);
        pool.total_component_instances(slots)
            .total_core_instances(slots * 4)
            .total_memories(slots * 2)
            .total_tables(slots * 4)
            .total_stacks(slots)
            .max_memory_size(config.memory_limit_bytes)
            // Every call is a fresh instance. Returning its pages to the kernel one
            // madvise at a time costs a TLB shootdown across cores per call; batch them,
            // and keep the first pages a call touches resident (zeroed in place).
            .decommit_batch_size(16)
            .linear_memory_keep_resident(KEEP_RESIDENT)
            .table_keep_resident(16 << 10)
            .async_stack_keep_resident(KEEP_RESIDENT);

        let mut wasm = Config::new();
        wasm.epoch_interruption(true)
            .concurrency_support(false)
            .wasm_component_model(true)
            .max_wasm_stack(1 << 20)
            .allocation_strategy(InstanceAllocationStrategy::Pooling(pool))
            // The pool reserves address space per slot; keep each slot to the cap.
            .memory_reservation(config.memory_limit_bytes as u64)
            .memory_reservation_for_growth(0);
        let engine = Engine::new(&wasm).map_err(|e| format!("wasmtime engine: {e:#}"))?;

        let mut linker: Linker<CallState> = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)
            .map_err(|e| format!("linking WASI: {e:#}"))?;
        // Every contract version's imports, side by side (`tenure:plugin/host@0.1.0` and
        // `@0.2.0` are different instances to the linker); 0.1's forward to 0.2's.
        v0_2::imports::Imports::add_to_linker::<_, wasmtime::component::HasSelf<CallState>>(
            &mut linker,
            |s| s,
        )
        .map_err(|e| format!("linking host imports: {e:#}"))?;
        v0_1::imports::Imports::add_to_linker::<_, wasmtime::component::HasSelf<CallState>>(
            &mut linker,
            |s| s,
        )
        .map_err(|e| format!("linking the 0.1 host imports: {e:#}"))?;

        let http = HttpClient::new(
            config.http_timeout,
            config.http_max_body_bytes,
            &config.extra_root_certs_pem,
            EgressPolicy::new(config.allow_local_http, config.own_addresses.clone()),
            metrics.clone(),
        )?;

        let ticker_stop = Arc::new(AtomicBool::new(false));
        spawn_epoch_ticker(engine.clone(), ticker_stop.clone());

        Ok(Arc::new(Runtime {
            engine,
            linker,
            config,
            state,
            http,
            metrics,
            ticker_stop,
        }))
    }

    pub fn config(&self) -> &RuntimeConfig {
        &self.config
    }

    pub fn metrics(&self) -> &RuntimeMetrics {
        &self.metrics
    }

    /// Compiles (or loads from cache) and checks a component against its manifest:
    /// contract version, declared world, and imports. Returns a ready plugin.
    pub fn load(self: &Arc<Self>, manifest: Manifest, wasm: &[u8]) -> Result<Plugin, LoadError> {
        manifest.validate().map_err(LoadError::Manifest)?;
        let component = self.compile(&manifest.id, wasm)?;
        let ctx = Arc::new(PluginContext {
            manifest,
            state: self.state.clone(),
            http: self.http.clone(),
        });
        plugin::prepare(self.clone(), ctx, &component)
    }

    fn compile(&self, id: &str, wasm: &[u8]) -> Result<Component, LoadError> {
        if !wasm.starts_with(b"\0asm") {
            return Err(LoadError::NotAComponent {
                id: id.into(),
                reason: "the file is not WebAssembly".into(),
            });
        }
        if let Some(dir) = &self.config.cache_dir
            && let Some(c) = cache::load(&self.engine, dir, wasm)
        {
            return Ok(c);
        }
        let component =
            Component::new(&self.engine, wasm).map_err(|e| LoadError::NotAComponent {
                id: id.into(),
                reason: format!("{e:#}"),
            })?;
        if let Some(dir) = &self.config.cache_dir {
            cache::store(&self.engine, dir, wasm, &component);
        }
        Ok(component)
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.ticker_stop.store(true, Ordering::Relaxed);
    }
}

/// Advances the engine's epoch every tick: running guest code yields at each one, and
/// a call's CPU budget is counted in them.
fn spawn_epoch_ticker(engine: Engine, stop: Arc<AtomicBool>) {
    std::thread::Builder::new()
        .name("tenure-epoch".into())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(EPOCH_TICK);
                engine.increment_epoch();
            }
        })
        .expect("spawning the epoch thread");
}
