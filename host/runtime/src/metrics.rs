//! Prometheus metrics of plugin calls and their outbound HTTP.

use std::collections::HashMap;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct CallLabels {
    pub plugin: String,
    pub function: String,
    pub outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct DurationLabels {
    pub plugin: String,
    pub function: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct HttpLabels {
    pub plugin: String,
    pub host: String,
    pub outcome: String,
}

fn duration_histogram() -> Histogram {
    Histogram::new([0.001, 0.005, 0.025, 0.1, 0.5, 1.0, 5.0, 30.0])
}

/// The runtime's metrics; register them once with the appliance's registry.
#[derive(Clone)]
pub struct RuntimeMetrics {
    pub(crate) calls: Family<CallLabels, Counter>,
    pub(crate) call_seconds: Family<DurationLabels, Histogram, fn() -> Histogram>,
    pub(crate) http_requests: Family<HttpLabels, Counter>,
}

impl Default for RuntimeMetrics {
    fn default() -> Self {
        Self {
            calls: Family::default(),
            call_seconds: Family::new_with_constructor(duration_histogram),
            http_requests: Family::default(),
        }
    }
}

impl RuntimeMetrics {
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "tenure_plugin_calls",
            "Plugin calls by plugin, function and outcome",
            self.calls.clone(),
        );
        registry.register(
            "tenure_plugin_call_duration_seconds",
            "Duration of plugin calls",
            self.call_seconds.clone(),
        );
        registry.register(
            "tenure_plugin_http_requests",
            "Outbound HTTP requests of plugins by destination host and outcome",
            self.http_requests.clone(),
        );
    }

    /// How many outbound requests a plugin made with this outcome (for tests and the UI).
    pub fn http_count(&self, plugin: &str, host: &str, outcome: &str) -> u64 {
        self.http_requests
            .get_or_create(&HttpLabels {
                plugin: plugin.into(),
                host: host.into(),
                outcome: outcome.into(),
            })
            .get()
    }

    /// How many calls of a plugin's function ended with this outcome (`ok`, or a
    /// [`crate::CallError::kind`]); for tests and the UI.
    pub fn call_count(&self, plugin: &str, function: &str, outcome: &str) -> u64 {
        self.calls
            .get_or_create(&CallLabels {
                plugin: plugin.into(),
                function: function.into(),
                outcome: outcome.into(),
            })
            .get()
    }
}

/// One plugin's call counters and duration histograms, looked up once per (function,
/// outcome) and then reused: a call records its metrics without building label strings.
#[derive(Default)]
pub(crate) struct PluginMetrics {
    calls: std::sync::RwLock<HashMap<(&'static str, &'static str), Counter>>,
    seconds: std::sync::RwLock<HashMap<&'static str, Histogram>>,
}

impl PluginMetrics {
    /// Counts one call of `function` that ended with `outcome`, and its duration.
    pub fn record(
        &self,
        all: &RuntimeMetrics,
        plugin: &str,
        function: &'static str,
        outcome: &'static str,
        seconds: f64,
    ) {
        let counter = read(&self.calls).get(&(function, outcome)).cloned();
        let counter = counter.unwrap_or_else(|| {
            let c = all
                .calls
                .get_or_create(&CallLabels {
                    plugin: plugin.into(),
                    function: function.into(),
                    outcome: outcome.into(),
                })
                .clone();
            write(&self.calls).insert((function, outcome), c.clone());
            c
        });
        counter.inc();
        let histogram = read(&self.seconds).get(function).cloned();
        let histogram = histogram.unwrap_or_else(|| {
            let h = all
                .call_seconds
                .get_or_create(&DurationLabels {
                    plugin: plugin.into(),
                    function: function.into(),
                })
                .clone();
            write(&self.seconds).insert(function, h.clone());
            h
        });
        histogram.observe(seconds);
    }
}

fn read<T>(lock: &std::sync::RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|e| e.into_inner())
}

fn write<T>(lock: &std::sync::RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|e| e.into_inner())
}
