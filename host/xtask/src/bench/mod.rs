//! `cargo xtask bench`: every performance figure of Tenure beside its target, from one
//! command. It builds the release binaries, runs the fake Merge (`tenure-fakes merge`)
//! and `tenure serve` as their own processes, syncs (initial, then 100 changes),
//! loads the API and UI pages, reads the server's memory, runs the plugin call bench,
//! and prints one table. Exit status 0 even when targets are missed (it is a report);
//! non-zero when something could not be run.
//!
//! `--quick`: 10,000 employees and 3 s per endpoint. `--no-build`: the release binaries
//! as they are (while the tree does not build). `TENURE_BENCH_EMPLOYEES`,
//! `TENURE_BENCH_SECS` and `TENURE_BENCH_PENDING_PERCENT` override either. Data and the
//! two processes' logs are in `target/bench-data/` (recreated by every run).

mod calls;
mod http;
mod json;
mod load;
mod pages;
mod procs;
mod servers;
mod syncs;
mod table;

use std::path::{Path, PathBuf};
use std::time::Duration;

use http::Conn;
use procs::Proc;
use table::{Table, Verdict, limit, thousands};

use crate::Result;

const INITIAL_SYNC_TARGET: Duration = Duration::from_secs(10);
const INCREMENTAL_SYNC_TARGET: Duration = Duration::from_millis(200);
const RSS_TARGET_MIB: f64 = 200.0;
/// Every loaded endpoint's p99.
const P99_TARGET: Duration = Duration::from_millis(20);
const BINARY_TARGET_MIB: f64 = 40.0;
/// Employees the fake changes before the incremental sync.
const CHANGED: usize = 100;
/// Open tasks wanted after the initial sync: one per this many employees (20,000 of
/// 100,000), for loading the task list.
const EMPLOYEES_PER_OPEN_TASK: usize = 5;
/// Connections (one thread each) the load generator keeps busy.
const CONNECTIONS: usize = 8;

/// The fake's own defaults (tests/fakes/src/bin/tenure-fakes.rs).
const MERGE_API_KEY: &str = "demo-api-key";
const MERGE_ACCOUNT_TOKEN: &str = "demo-account-token";

/// Sizes of one run.
#[derive(Debug, Clone, PartialEq)]
struct Settings {
    employees: usize,
    secs: u64,
    /// The share (%) of the fake's members that are new hires: each gets a Complete IT
    /// Setup task, so 21 % of 100,000 opens about 21,000.
    pending_percent: u8,
    /// Build the release binaries first (not with `--no-build`).
    build: bool,
}

impl Settings {
    fn from(args: &[String], env: impl Fn(&str) -> Option<String>) -> Result<Settings> {
        let (mut quick, mut build) = (false, true);
        for a in args {
            match a.as_str() {
                "--quick" => quick = true,
                "--no-build" => build = false,
                _ => return Err("usage: cargo xtask bench [--quick] [--no-build]".into()),
            }
        }
        let number =
            |name: &str, default: u64| -> Result<u64> {
                match env(name) {
                    None => Ok(default),
                    Some(v) => v.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                        format!("{name} must be a positive whole number, not {v:?}")
                    }),
                }
            };
        let pending = number("TENURE_BENCH_PENDING_PERCENT", 21)?;
        if pending > 92 {
            return Err("TENURE_BENCH_PENDING_PERCENT must be at most 92".into());
        }
        Ok(Settings {
            employees: number(
                "TENURE_BENCH_EMPLOYEES",
                if quick { 10_000 } else { 100_000 },
            )? as usize,
            secs: number("TENURE_BENCH_SECS", if quick { 3 } else { 10 })?,
            pending_percent: pending as u8,
            build,
        })
    }
}

pub(crate) fn bench(root: &Path, args: &[String]) -> Result {
    let settings = Settings::from(args, |k| std::env::var(k).ok())?;
    if settings.build {
        crate::ensure_wasm_target(root)?;
        crate::ensure_web_bundle_tools(root)?;
        crate::sh(
            root,
            &crate::cargo(),
            &["build", "--release", "-p", "tenure", "-p", "tenure-fakes"],
        )?;
    }
    let release = target_dir(root).join("release");
    let mut table = Table::default();

    // The servers stop when this returns, before the plugin bench runs.
    let servers = measure_servers(&release, &target_dir(root), &settings, &mut table);
    if let Err(e) = &servers {
        eprintln!("bench: the servers' part stopped: {e}");
        table.failed("servers (fake Merge, tenure serve)", "", e);
    }
    if let Err(e) = calls::measure(root, &mut table) {
        eprintln!("bench: {e}");
        table.failed("plugin call overhead over its HTTP", "< 30 µs", &e);
    }
    binary_size(&release.join("tenure"), &mut table);

    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!();
    println!(
        "Tenure bench: {} employees ({} % new hires), {} s per endpoint over {CONNECTIONS} \
         connections, {cores} cores; sizes in MiB",
        thousands(settings.employees as u64),
        settings.pending_percent,
        settings.secs
    );
    print!("{}", table.render());
    match table.failures() {
        0 => Ok(()),
        n => Err(format!("{n} measurement(s) failed to run (✗ failed above)")),
    }
}

fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// Everything measured against the two running processes, which stop when this
/// returns (their guards drop), whether it succeeded or not.
fn measure_servers(
    release: &Path,
    target: &Path,
    settings: &Settings,
    table: &mut Table,
) -> Result {
    let running = servers::start(release, &target.join("bench-data"), settings, table)?;
    let bearer = format!("Bearer {}", running.token);
    let auth = [("Authorization", bearer.as_str())];
    // A sync of 100,000 is one request that may take minutes.
    let mut api = Conn::new(&running.addr, Duration::from_secs(3600));
    memory_row(&running.server, "server RSS before sync", false, table);
    servers::check_health(&mut api, table);
    servers::check_metrics(&mut api, table);
    let cookie = servers::admin_session(&mut api, &running.setup_code)
        .map_err(|e| table.failed("UI session (first admin, sign-in)", "", &e))
        .ok();

    let figure = format!(
        "initial sync ({} employees)",
        thousands(settings.employees as u64)
    );
    let target = format!("< {}", limit(INITIAL_SYNC_TARGET));
    if let Err(e) = syncs::timed(&mut api, &auth, &figure, INITIAL_SYNC_TARGET, table) {
        table.failed(&figure, &target, &e);
    }
    let wanted = (settings.employees / EMPLOYEES_PER_OPEN_TASK) as u64;
    syncs::open_tasks(&mut api, &auth, wanted, table);
    memory_row(
        &running.server,
        "server RSS after initial sync",
        true,
        table,
    );

    let changed = CHANGED.min(settings.employees);
    let figure = format!("incremental sync ({changed} changes)");
    let target = format!("< {}", limit(INCREMENTAL_SYNC_TARGET));
    let incremental = syncs::touch(&running.merge_addr, MERGE_API_KEY, changed)
        .and_then(|()| syncs::timed(&mut api, &auth, &figure, INCREMENTAL_SYNC_TARGET, table));
    match incremental {
        Ok(mode) if mode != "incremental" => table.failed(
            format!("{figure}: mode"),
            "incremental",
            &format!("the second sync was a {mode} read"),
        ),
        Ok(_) => {}
        Err(e) => table.failed(&figure, &target, &e),
    }

    let to = pages::Target {
        addr: &running.addr,
        bearer: &bearer,
        cookie: cookie.as_deref(),
        server: &running.server,
    };
    pages::load_all(&mut api, &to, settings.secs, CONNECTIONS, P99_TARGET, table);
    memory_row(&running.server, "server RSS after load", true, table);
    Ok(())
}

/// The server's resident memory; against the target once it holds the employees
/// (`judged`).
fn memory_row(server: &Proc, figure: &str, judged: bool, table: &mut Table) {
    let target = if judged {
        format!("< {RSS_TARGET_MIB:.0} MiB")
    } else {
        String::new()
    };
    match server.memory() {
        Ok(m) => table.add(
            figure,
            format!("{:.0} MiB", m.rss_mib()),
            target,
            if judged {
                Verdict::of(m.rss_mib() < RSS_TARGET_MIB)
            } else {
                Verdict::Info
            },
            format!("VmRSS; peak (VmHWM) {:.0} MiB", m.hwm_mib()),
        ),
        Err(e) => table.failed(figure, target, &e),
    }
}

fn binary_size(binary: &Path, table: &mut Table) {
    let target = format!("< {BINARY_TARGET_MIB:.0} MiB");
    match std::fs::metadata(binary) {
        Ok(m) => {
            let mib = m.len() as f64 / (1024.0 * 1024.0);
            table.add(
                "binary size (target/release/tenure)",
                format!("{mib:.1} MiB"),
                target,
                Verdict::of(mib < BINARY_TARGET_MIB),
                format!("{} bytes", thousands(m.len())),
            );
        }
        Err(e) => table.failed("binary size", target, &format!("{}: {e}", binary.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_and_the_environment_size_the_run() {
        let none = |_: &str| None;
        let full = Settings::from(&[], none).unwrap();
        assert_eq!(
            (full.employees, full.secs, full.pending_percent),
            (100_000, 10, 21)
        );
        let quick = Settings::from(&["--quick".into()], none).unwrap();
        assert_eq!((quick.employees, quick.secs), (10_000, 3));
        let env = |k: &str| (k == "TENURE_BENCH_SECS").then(|| "1".to_string());
        assert_eq!(Settings::from(&["--quick".into()], env).unwrap().secs, 1);
        let bad = |k: &str| (k == "TENURE_BENCH_EMPLOYEES").then(|| "lots".to_string());
        assert!(Settings::from(&[], bad).is_err());
        assert!(Settings::from(&["--fast".into()], none).is_err());
        assert!(full.build);
        let as_is = Settings::from(&["--no-build".into(), "--quick".into()], none).unwrap();
        assert!(!as_is.build && as_is.employees == 10_000);
    }
}
