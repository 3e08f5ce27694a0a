//! Shared helpers of the server's integration tests.
#![allow(dead_code)]

pub mod browser;
pub mod oidc;
pub mod running;
pub mod ui_client;

/// A fresh Tenure serving on a loopback port inside the test process (default
/// configuration, data in a temporary directory that lives as long as this).
pub struct InProcess {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    pub state: tenure::app::AppState,
    _dir: tempfile::TempDir,
}

impl InProcess {
    pub async fn start() -> InProcess {
        InProcess::start_with(|_, _| {}).await
    }

    /// Like [`InProcess::start`], after `prepare` has changed the configuration or put
    /// files in the data directory.
    pub async fn start_with(
        prepare: impl FnOnce(&mut tenure::config::Config, &std::path::Path),
    ) -> InProcess {
        tenure_runtime::install_crypto_provider();
        let dir = tempfile::tempdir().unwrap();
        let mut config = tenure::config::Config::default();
        config.server.data_dir = dir.path().join("data");
        // The tests' fake HR and app servers listen on loopback, over plain http.
        config.runtime.allow_local_http = true;
        let data = config.server.data_dir.clone();
        prepare(&mut config, &data);
        let state = tenure::app::AppState::build(&config, false).unwrap();
        // As `tenure serve` does: decisions' jobs run against the app connectors.
        state.start_jobs(&config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(tenure::http::serve(
            listener,
            state.clone(),
            std::future::pending(),
        ));
        InProcess {
            base,
            state,
            _dir: dir,
        }
    }
}

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `tenure` binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_tenure");

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `tenure serve` on a free loopback port, with its logs (JSON) forwarded to the test's
/// output; killed when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// Everything it wrote to stderr so far.
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(data_dir: &Path, config: &Path) -> Server {
        let port = free_port();
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--config")
            .arg(config)
            .env("TENURE_LOG_FORMAT", "json")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tenure serve starts");
        // Forward the logs so a failure shows them, and keep them.
        let stderr = child.stderr.take().unwrap();
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("[tenure] {line}");
                kept.lock().unwrap().push(line);
            }
        });
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("tenure serve exited early: {status}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "tenure serve never listened"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Server { child, base, log }
    }

    /// The setup code the first start printed (waits up to 10 s for it).
    pub fn setup_code(&self) -> String {
        const MARK: &str = "with the setup code: ";
        let started = Instant::now();
        loop {
            let found = self.log.lock().unwrap().iter().find_map(|l| {
                l.find(MARK)
                    .map(|at| l[at + MARK.len()..].trim().chars().take(23).collect())
            });
            if let Some(code) = found {
                return code;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "tenure serve printed no setup code"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Everything it logged so far, one line each.
    pub fn log_text(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// SIGKILL: no shutdown at all, as when the machine loses power.
    pub fn kill_hard(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, as systemd stops it; returns whether it exited cleanly.
    pub fn terminate(mut self) -> bool {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            if started.elapsed() > Duration::from_secs(20) {
                let _ = self.child.kill();
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

pub fn python() -> PathBuf {
    let p = std::env::var_os("TENURE_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/.venv/bin/python")
        });
    assert!(
        p.exists(),
        "{} is missing: run `cargo xtask test`, which creates the test virtualenv",
        p.display()
    );
    p
}

pub struct Smtp {
    child: Child,
    pub port: u16,
    maildir: tempfile::TempDir,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start_smtp() -> Smtp {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let maildir = tempfile::tempdir().unwrap();
    let child = Command::new(python())
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(maildir.path().join("mail"))
        .stdout(Stdio::null())
        .spawn()
        .expect("aiosmtpd starts");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "aiosmtpd never listened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Smtp {
        child,
        port,
        maildir,
    }
}

pub fn delivered(smtp: &Smtp) -> Vec<String> {
    let dir = smtp.maildir.path().join("mail/new");
    let started = Instant::now();
    loop {
        let msgs: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect();
        if !msgs.is_empty() || started.elapsed() > Duration::from_secs(5) {
            return msgs;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits (up to 10 s) until at least `n` messages arrived; returns them all.
pub fn wait_for_mail(smtp: &Smtp, n: usize) -> Vec<String> {
    let started = Instant::now();
    loop {
        let msgs = delivered(smtp);
        if msgs.len() >= n || started.elapsed() > Duration::from_secs(10) {
            return msgs;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits (up to `secs`) for a message whose `To:` header names `to`; returns the raw
/// message (RFC 5322, as the server received it).
pub fn wait_for_mail_to(smtp: &Smtp, to: &str, secs: u64) -> Option<String> {
    let to = to.to_ascii_lowercase();
    let addressed = |m: &String| {
        m.lines().take_while(|l| !l.is_empty()).any(|l| {
            l.to_ascii_lowercase().starts_with("to:") && l.to_ascii_lowercase().contains(&to)
        })
    };
    let started = Instant::now();
    loop {
        if let Some(m) = delivered(smtp).into_iter().find(addressed) {
            return Some(m);
        }
        if started.elapsed() > Duration::from_secs(secs) {
            return None;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
