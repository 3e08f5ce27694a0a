//! The plugin call overhead, from the runtime's own bench
//! (`cargo bench -p tenure-runtime --bench call_overhead`, host/runtime/benches): its
//! lines are read here and the overhead of a call over the HTTP request it makes is
//! worked out from them.

use std::path::Path;
use std::process::{Command, Stdio};

use super::table::{Table, Verdict};
use crate::Result;

/// The overhead target, microseconds.
const OVERHEAD_TARGET_US: f64 = 30.0;

/// The names the bench prints its lines under.
const NO_HTTP: &str = "fresh-instance call, no HTTP";
const WITH_HTTP: &str = "fresh-instance call + 1 HTTP request (loopback)";
const BASELINE: &str = "host-only HTTP request (baseline)";
const COMPILE: &str = "compile + pre-instantiate (no cache)";

/// One line of the bench: `NAME n=N mean=X µs p50=Y µs p99=Z µs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub n: u64,
    pub mean_us: f64,
    pub p50_us: f64,
    pub p99_us: f64,
}

/// The number after `key=` in `line`.
fn field(line: &str, key: &str) -> Option<f64> {
    let rest = line.split_once(&format!("{key}="))?.1.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

pub fn parse(output: &str) -> Vec<Sample> {
    output
        .lines()
        .filter_map(|l| {
            let (name, _) = l.split_once(" n=")?;
            Some(Sample {
                name: name.trim().to_string(),
                n: field(l, " n")? as u64,
                mean_us: field(l, "mean")?,
                p50_us: field(l, "p50")?,
                p99_us: field(l, "p99")?,
            })
        })
        .collect()
}

/// Milliseconds of the `compile + pre-instantiate` line.
fn compile_ms(output: &str) -> Option<f64> {
    let rest = output.lines().find_map(|l| l.strip_prefix(COMPILE))?;
    rest.split_whitespace().next()?.parse().ok()
}

/// Runs the bench (building it in the bench profile) and adds its rows.
pub fn measure(root: &Path, table: &mut Table) -> Result {
    eprintln!("+ cargo bench -p tenure-runtime --bench call_overhead");
    let out = Command::new(crate::cargo())
        .args(["bench", "-p", "tenure-runtime", "--bench", "call_overhead"])
        .current_dir(root)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    eprint!("{text}");
    if !out.status.success() {
        return Err(format!(
            "cargo bench ... call_overhead failed ({})",
            out.status
        ));
    }
    add_rows(&text, table)
}

fn add_rows(text: &str, table: &mut Table) -> Result {
    let samples = parse(text);
    let find = |name: &str| samples.iter().find(|s| s.name == name);
    let fmt = |s: &Sample| format!("p50 {:.1} µs / p99 {:.1} µs", s.p50_us, s.p99_us);
    let detail = |s: &Sample| format!("mean {:.1} µs, n={}", s.mean_us, s.n);
    if let Some(ms) = compile_ms(text) {
        table.add(
            "plugin compile + pre-instantiate",
            format!("{ms:.0} ms"),
            "",
            Verdict::Info,
            "no cache; once per plugin at start-up",
        );
    }
    for name in [NO_HTTP, WITH_HTTP, BASELINE] {
        if let Some(s) = find(name) {
            table.add(
                format!("plugin: {name}"),
                fmt(s),
                "",
                Verdict::Info,
                detail(s),
            );
        }
    }
    match (find(WITH_HTTP), find(BASELINE)) {
        (Some(call), Some(base)) => {
            let p50 = call.p50_us - base.p50_us;
            let mean = call.mean_us - base.mean_us;
            table.add(
                "plugin call overhead over its HTTP",
                format!("{p50:.1} µs"),
                format!("< {OVERHEAD_TARGET_US:.0} µs"),
                Verdict::of(p50 < OVERHEAD_TARGET_US),
                format!(
                    "p50 of call + 1 HTTP minus p50 of the host-only request \
                     (means: {mean:.1} µs)"
                ),
            );
            Ok(())
        }
        _ => Err(format!(
            "call_overhead printed no `{WITH_HTTP}` or `{BASELINE}` line; it printed:\n{text}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUTPUT: &str = "\
compile + pre-instantiate (no cache)                 812.4 ms
fresh-instance call, no HTTP                 n=5000   mean=    41.2 µs  p50=    39.8 µs  p99=    77.0 µs
fresh-instance call + 1 HTTP request (loopback) n=2000   mean=   160.5 µs  p50=   150.0 µs  p99=   301.3 µs
host-only HTTP request (baseline)            n=2000   mean=    70.1 µs  p50=    65.5 µs  p99=   120.0 µs
";

    #[test]
    fn reads_the_bench_lines() {
        let s = parse(OUTPUT);
        assert_eq!(s.len(), 3);
        assert_eq!(
            s[1],
            Sample {
                name: WITH_HTTP.into(),
                n: 2000,
                mean_us: 160.5,
                p50_us: 150.0,
                p99_us: 301.3
            }
        );
        assert_eq!(compile_ms(OUTPUT), Some(812.4));
    }

    #[test]
    fn overhead_is_the_call_minus_the_bare_request() {
        let mut t = Table::default();
        add_rows(OUTPUT, &mut t).unwrap();
        let row = t.rows.last().unwrap();
        assert_eq!(row.measured, "84.5 µs");
        assert_eq!(row.verdict, Verdict::Missed);
        assert_eq!(t.rows.len(), 5);
        let without_baseline: String = OUTPUT.lines().take(3).collect::<Vec<_>>().join("\n");
        assert!(add_rows(&without_baseline, &mut Table::default()).is_err());
    }
}
