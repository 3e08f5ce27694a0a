//! Prints the cost of a plugin call: a fresh instance per call with no HTTP, and a
//! call that makes one HTTP request to a local server.
//!
//! `cargo bench -p tenure-runtime --bench call_overhead`

use std::sync::Arc;
use std::time::{Duration, Instant};
use tenure_runtime::{Manifest, MemoryStateStore, Runtime, RuntimeConfig, RuntimeMetrics};

fn hostile() -> (Manifest, &'static [u8]) {
    let b = tenure_plugins::TESTING
        .iter()
        .find(|b| b.manifest.contains("id = \"hostile\""))
        .expect("hostile plugin built");
    (Manifest::from_toml(b.manifest).unwrap(), b.wasm)
}

fn report(name: &str, samples: &mut [Duration]) {
    samples.sort();
    let n = samples.len();
    let total: Duration = samples.iter().sum();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "{name:<44} n={n:<6} mean={:>8.1} µs  p50={:>8.1} µs  p99={:>8.1} µs",
        us(total / n as u32),
        us(samples[n / 2]),
        us(samples[n * 99 / 100]),
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let state = Arc::new(MemoryStateStore::default());
        let runtime = Runtime::new(
            RuntimeConfig {
                // The HTTP part calls a server on this machine.
                allow_local_http: true,
                ..RuntimeConfig::default()
            },
            state.clone(),
            RuntimeMetrics::default(),
        )
        .unwrap();

        let compile_started = Instant::now();
        let (manifest, wasm) = hostile();
        let plugin = runtime.load(manifest, wasm).unwrap();
        println!(
            "compile + pre-instantiate (no cache)              {:>8.1} ms",
            compile_started.elapsed().as_secs_f64() * 1e3
        );

        // Fresh instance per call, no HTTP: instantiate, call, lift one small record.
        for _ in 0..200 {
            plugin.hr_fetch(None, None).await.unwrap();
        }
        let mut samples = Vec::new();
        for _ in 0..5_000 {
            let t = Instant::now();
            plugin.hr_fetch(None, None).await.unwrap();
            samples.push(t.elapsed());
        }
        report("fresh-instance call, no HTTP", &mut samples);

        // One HTTP request to a local server per call.
        let app = axum::Router::new().fallback(|| async { "hello" });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        state.set_setting("hostile", "base_url", &origin);
        let url = format!("{origin}/ping");
        for _ in 0..100 {
            plugin.hr_fetch(Some("http"), Some(&url)).await.unwrap();
        }
        let mut samples = Vec::new();
        for _ in 0..2_000 {
            let t = Instant::now();
            plugin.hr_fetch(Some("http"), Some(&url)).await.unwrap();
            samples.push(t.elapsed());
        }
        report(
            "fresh-instance call + 1 HTTP request (loopback)",
            &mut samples,
        );

        // The same request straight from the host, for comparison.
        let client = reqwest::Client::builder().build().unwrap();
        let mut samples = Vec::new();
        for _ in 0..2_000 {
            let t = Instant::now();
            client
                .get(&url)
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            samples.push(t.elapsed());
        }
        report("host-only HTTP request (baseline)", &mut samples);
    });
}
