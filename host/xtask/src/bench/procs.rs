//! The processes under test: each started with its output kept (in memory, and in a
//! log file for reading afterwards), waited for by a line it prints, measured through
//! /proc, and stopped when its guard is dropped, on every way out of the bench.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::Result;

/// A running child process; dropping it stops it (SIGTERM, then SIGKILL after 5 s).
pub struct Proc {
    name: &'static str,
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    log: PathBuf,
}

impl Proc {
    /// Starts `cmd` with stdout and stderr captured into `log` and kept in memory.
    pub fn spawn(name: &'static str, mut cmd: Command, log: &Path) -> Result<Proc> {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {name} ({:?}): {e}", cmd.get_program()))?;
        let file = std::fs::File::create(log)
            .map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let file = Arc::new(Mutex::new(file));
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stdout = child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>);
        let stderr = child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>);
        for stream in [stdout, stderr].into_iter().flatten() {
            let (lines, file) = (lines.clone(), file.clone());
            thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(|l| l.ok()) {
                    if let Ok(mut f) = file.lock() {
                        let _ = writeln!(f, "{line}");
                    }
                    if let Ok(mut l) = lines.lock() {
                        l.push(line);
                    }
                }
            });
        }
        Ok(Proc {
            name,
            child,
            lines,
            log: log.to_path_buf(),
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until a line contains `marker` and returns what follows it on that line.
    /// Fails if the process exits first or `timeout` passes.
    pub fn wait_for(&mut self, marker: &str, timeout: Duration) -> Result<String> {
        let started = Instant::now();
        loop {
            if let Some(rest) = self.lines.lock().ok().and_then(|lines| {
                lines
                    .iter()
                    .find_map(|l| l.split_once(marker).map(|(_, rest)| rest.to_string()))
            }) {
                return Ok(rest);
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                // Give the readers a moment to take the last lines.
                thread::sleep(Duration::from_millis(200));
                return Err(format!(
                    "{} exited ({status}) before printing {marker:?}; its last lines:\n{}",
                    self.name,
                    self.tail(30)
                ));
            }
            if started.elapsed() > timeout {
                return Err(format!(
                    "{} did not print {marker:?} within {timeout:?}; its last lines:\n{}",
                    self.name,
                    self.tail(30)
                ));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// The last `n` lines it printed, and where the rest are.
    pub fn tail(&self, n: usize) -> String {
        let lines = self.lines.lock().map(|l| l.clone()).unwrap_or_default();
        let from = lines.len().saturating_sub(n);
        format!(
            "{}\n(all of it: {})",
            lines[from..].join("\n"),
            self.log.display()
        )
    }

    /// Resident memory now and at its peak, from /proc/PID/status.
    pub fn memory(&self) -> Result<Memory> {
        let path = format!("/proc/{}/status", self.pid());
        let status =
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
        let kib = |key: &str| -> Result<u64> {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{path} has no {key}"))
        };
        Ok(Memory {
            rss_kib: kib("VmRSS:")?,
            hwm_kib: kib("VmHWM:")?,
        })
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        // std has no signals: `kill` sends SIGTERM, so the server shuts down cleanly.
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `VmRSS` and `VmHWM` of a process.
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    pub rss_kib: u64,
    pub hwm_kib: u64,
}

impl Memory {
    pub fn rss_mib(&self) -> f64 {
        self.rss_kib as f64 / 1024.0
    }

    pub fn hwm_mib(&self) -> f64 {
        self.hwm_kib as f64 / 1024.0
    }
}

/// Runs a command to completion; its stdout, or an error with its stderr.
pub fn output(mut cmd: Command) -> Result<String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{:?} failed ({}): {}{}",
            cmd.get_program(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`; 100 on Linux).
pub const TICKS_PER_SEC: f64 = 100.0;

/// CPU time (user + system, all threads) process `pid` used so far, in clock ticks.
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After `pid (comm) `: state is field 0, utime 11, stime 12.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}
