//! A loaded plugin: its manifest, its pre-instantiated component, and the machinery
//! that gives every call a fresh, limited instance.

use crate::bindings::{v0_1, v0_2};
use crate::config::EPOCH_TICK;
use crate::error::{CallError, LoadError};
use crate::manifest::{Manifest, World};
use crate::runtime::Runtime;
use crate::state::{CallState, Limiter, PluginContext};
use crate::version::{self, Contract};
use std::sync::Arc;
use std::time::Instant;
use wasmtime::component::{Component, ResourceTable};
use wasmtime::{Store, Trap, UpdateDeadline};
use wasmtime_wasi::WasiCtxBuilder;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;

/// A world's pre-instantiated component, bound with the contract version it was built
/// for. `calls` runs 0.2 directly and 0.1 through `adapt_v0_1`.
pub(crate) enum Versioned<Old, New> {
    V0_1(Old),
    V0_2(New),
}

/// The pre-instantiated component, typed by its world and contract version.
pub(crate) enum Pre {
    Hr(Versioned<v0_1::hr::HrSourcePluginPre<CallState>, v0_2::hr::HrSourcePluginPre<CallState>>),
    App(
        Versioned<
            v0_1::app::AppConnectorPluginPre<CallState>,
            v0_2::app::AppConnectorPluginPre<CallState>,
        >,
    ),
    Device(
        Versioned<
            v0_1::device::DeviceManagerPluginPre<CallState>,
            v0_2::device::DeviceManagerPluginPre<CallState>,
        >,
    ),
    Ship(
        Versioned<
            v0_1::ship::ShippingPluginPre<CallState>,
            v0_2::ship::ShippingPluginPre<CallState>,
        >,
    ),
}

/// A plugin ready to be called. Each call runs in a fresh instance.
pub struct Plugin {
    pub(crate) runtime: Arc<Runtime>,
    pub(crate) ctx: Arc<PluginContext>,
    pub(crate) pre: Pre,
    contract: version::Version,
    metrics: crate::metrics::PluginMetrics,
}

impl std::fmt::Debug for Plugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plugin")
            .field("id", &self.ctx.manifest.id)
            .field("world", &self.ctx.manifest.world)
            .finish()
    }
}

/// Checks the component against its manifest and pre-instantiates it with the bindings
/// of the contract version its export names (`tenure:plugin/<world>@<version>`).
pub(crate) fn prepare(
    runtime: Arc<Runtime>,
    ctx: Arc<PluginContext>,
    component: &Component,
) -> Result<Plugin, LoadError> {
    let id = ctx.manifest.id.clone();
    let world = ctx.manifest.world;

    // Which contract interfaces does it export, and for which version?
    let ty = component.component_type();
    let mut exported = Vec::new();
    for (name, _) in ty.exports(&runtime.engine) {
        if let Some((iface, v)) = version::parse_export_name(name) {
            exported.push((iface.to_string(), v));
        }
    }
    // The world's own interface first, then other worlds' own (what a mismatch is
    // reported by), optional interfaces last.
    let optional = |iface: &str| {
        [
            World::HrSource,
            World::AppConnector,
            World::DeviceManager,
            World::Shipping,
        ]
        .iter()
        .any(|w| w.optional_exports().contains(&iface))
    };
    exported.sort_by_key(|(iface, _)| (iface != world.export_interface(), optional(iface)));
    // Beside its own interface, only ones the world may add.
    let own_first = exported
        .first()
        .is_some_and(|(iface, _)| iface == world.export_interface());
    if own_first
        && let Some((extra, _)) = exported
            .iter()
            .skip(1)
            .find(|(iface, _)| !world.optional_exports().contains(&iface.as_str()))
    {
        return Err(LoadError::WorldMismatch {
            id,
            reason: format!(
                "the manifest says world `{world}` but the component also exports `{}/{extra}`",
                version::PACKAGE
            ),
        });
    }
    let Some((iface, v)) = exported.first().cloned() else {
        return Err(LoadError::WorldMismatch {
            id,
            reason: format!(
                "it exports no {} interface; the manifest says it is a {world} plugin",
                version::PACKAGE
            ),
        });
    };
    let contract = v.ok_or_else(|| LoadError::Version {
        id: id.clone(),
        reason: format!("its export `{iface}` names no contract version"),
    })?;
    let line = version::check(contract).map_err(|reason| LoadError::Version {
        id: id.clone(),
        reason,
    })?;
    if iface != world.export_interface() {
        return Err(LoadError::WorldMismatch {
            id,
            reason: format!(
                "the manifest says world `{world}` but the component exports `{}/{iface}`",
                version::PACKAGE
            ),
        });
    }

    let instance_pre =
        runtime
            .linker
            .instantiate_pre(component)
            .map_err(|e| LoadError::Imports {
                id: id.clone(),
                reason: format!("{e:#}"),
            })?;
    let mismatch = |e: wasmtime::Error| LoadError::WorldMismatch {
        id: id.clone(),
        reason: format!("its exports do not match world `{world}`: {e:#}"),
    };
    // The world's bindings in the plugin's version.
    macro_rules! typed {
        ($variant:ident, $module:ident, $pre:ident) => {
            Pre::$variant(match line {
                Contract::V0_1 => {
                    Versioned::V0_1(v0_1::$module::$pre::new(instance_pre).map_err(mismatch)?)
                }
                Contract::V0_2 => {
                    Versioned::V0_2(v0_2::$module::$pre::new(instance_pre).map_err(mismatch)?)
                }
            })
        };
    }
    let pre = match world {
        World::HrSource => typed!(Hr, hr, HrSourcePluginPre),
        World::AppConnector => typed!(App, app, AppConnectorPluginPre),
        World::DeviceManager => typed!(Device, device, DeviceManagerPluginPre),
        World::Shipping => typed!(Ship, ship, ShippingPluginPre),
    };
    Ok(Plugin {
        runtime,
        ctx,
        pre,
        contract,
        metrics: Default::default(),
    })
}

/// How much of a plugin's stderr is kept per call (panic messages land there).
const STDERR_CAPACITY: usize = 16 << 10;

impl Plugin {
    pub fn manifest(&self) -> &Manifest {
        &self.ctx.manifest
    }

    pub fn id(&self) -> &str {
        &self.ctx.manifest.id
    }

    /// The contract version the component was built for (its calls and types are the
    /// host's 0.2 ones whatever it is).
    pub fn contract_version(&self) -> version::Version {
        self.contract
    }

    fn new_store(&self) -> Store<CallState> {
        let stderr = MemoryOutputPipe::new(STDERR_CAPACITY);
        let wasi = WasiCtxBuilder::new()
            .stdout(stderr.clone())
            .stderr(stderr.clone())
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .build();
        let state = CallState {
            allowlist: None,
            ctx: self.ctx.clone(),
            wasi,
            table: ResourceTable::new(),
            limiter: Limiter {
                memory_limit: self.runtime.config.memory_limit_bytes,
                hit: false,
            },
            stderr,
            cpu_ticks: 0,
        };
        let mut store = Store::new(&self.runtime.engine, state);
        store.limiter(|s| &mut s.limiter);
        // At every epoch tick the guest's code yields to the async runtime (so a loop
        // never holds a worker) and one tick of its CPU budget is spent; when the budget
        // is gone, the call traps.
        let budget = self.cpu_budget_ticks();
        store.set_epoch_deadline(1);
        store.epoch_deadline_callback(move |mut cx| {
            let spent = &mut cx.data_mut().cpu_ticks;
            *spent += 1;
            Ok(if *spent >= budget {
                UpdateDeadline::Interrupt
            } else {
                UpdateDeadline::Yield(1)
            })
        });
        store
    }

    fn cpu_budget_ticks(&self) -> u64 {
        let ticks = self.runtime.config.cpu_budget.as_millis() / EPOCH_TICK.as_millis();
        u64::try_from(ticks).unwrap_or(u64::MAX).max(1)
    }

    /// Runs `f` against a fresh store, enforcing the deadline and turning traps into
    /// [`CallError`]s. Records metrics.
    pub(crate) async fn run<R, E>(
        &self,
        function: &'static str,
        f: impl AsyncFnOnce(&mut Store<CallState>) -> wasmtime::Result<Result<R, E>>,
    ) -> Result<R, CallError>
    where
        E: Into<CallError>,
    {
        let started = Instant::now();
        let mut store = self.new_store();
        let deadline = self.runtime.config.call_deadline;
        // Guest code yields at every epoch tick, so this fires for a looping guest as
        // well as for slow host calls.
        let result = match tokio::time::timeout(deadline, f(&mut store)).await {
            Err(_) => Err(CallError::Deadline(deadline.as_secs().max(1))),
            Ok(Ok(Ok(r))) => Ok(r),
            Ok(Ok(Err(e))) => Err(e.into()),
            Ok(Err(trap)) => Err(self.classify(trap, &store)),
        };
        let outcome = match &result {
            Ok(_) => "ok",
            Err(e) => e.kind(),
        };
        if let Err(e) = &result
            && !matches!(e, CallError::Plugin(_))
        {
            tracing::warn!(plugin = self.id(), function, "plugin call failed: {e}");
        }
        self.metrics.record(
            &self.runtime.metrics,
            self.id(),
            function,
            outcome,
            started.elapsed().as_secs_f64(),
        );
        result
    }

    fn classify(&self, err: wasmtime::Error, store: &Store<CallState>) -> CallError {
        let state = store.data();
        if state.limiter.hit {
            return CallError::OutOfMemory(state.limiter.memory_limit >> 20);
        }
        match err.downcast_ref::<Trap>() {
            // Only the epoch callback interrupts, when the CPU budget is spent.
            Some(Trap::Interrupt) => {
                return CallError::CpuBudget(self.runtime.config.cpu_budget.as_secs().max(1));
            }
            Some(Trap::UnreachableCodeReached) => {
                let out = String::from_utf8_lossy(&state.stderr.contents()).into_owned();
                if let Some(msg) = panic_message(&out) {
                    return CallError::Trap(format!("it panicked: {msg}"));
                }
            }
            _ => {}
        }
        CallError::Trap(format!("{err:#}"))
    }
}

/// The message of a Rust panic as the guest's std prints it to stderr.
fn panic_message(stderr: &str) -> Option<String> {
    let at = stderr.rfind("panicked at ")?;
    let rest = &stderr[at..];
    let msg = rest.lines().nth(1).unwrap_or(rest);
    Some(crate::error::clean_message(msg, 500))
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_panic_message() {
        let out = "thread '<unnamed>' panicked at src/lib.rs:80:29:\nboom on purpose\nnote: run with RUST_BACKTRACE=1\n";
        assert_eq!(
            super::panic_message(out).as_deref(),
            Some("boom on purpose")
        );
        assert_eq!(super::panic_message("nothing here"), None);
    }
}
