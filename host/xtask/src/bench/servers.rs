//! The two processes under test, started in a fresh data directory: the fake Merge
//! (`tenure-fakes merge`), seeded, and `tenure serve` connected to it, with an admin
//! API token (`tenure token create`, before serving) and a UI session (the first admin,
//! made on the first-start page with the setup code the server prints, then signed in).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::http::Conn;
use super::procs::{self, Proc};
use super::table::{Table, Verdict, duration, thousands};
use super::{MERGE_ACCOUNT_TOKEN, MERGE_API_KEY, Settings};
use crate::Result;

const METRICS_TOKEN: &str = "bench-metrics-token";
const ADMIN_USER: &str = "bench";
const ADMIN_PASSWORD: &str = "bench-admin-password";

/// Both processes, running. Dropping this stops them, the server first.
pub struct Servers {
    pub server: Proc,
    /// Held only to keep the fake running (and stop it on drop).
    _fake: Proc,
    /// `127.0.0.1:PORT` of tenure and of the fake.
    pub addr: String,
    pub merge_addr: String,
    /// An admin API token.
    pub token: String,
    /// The server's code for creating the first admin.
    pub setup_code: String,
}

/// Starts both in `dir` (emptied first): the fake seeded with `settings`, tenure with
/// a configuration naming it.
pub fn start(
    release: &Path,
    dir: &Path,
    settings: &Settings,
    table: &mut Table,
) -> Result<Servers> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let data = dir.join("data");
    let config = dir.join("tenure.toml");

    let mut cmd = Command::new(release.join("tenure-fakes"));
    cmd.args(["merge", "--port", "0", "--rate-limit-per-minute", "0"])
        .args(["--employees", &settings.employees.to_string()])
        .args(["--pending-percent", &settings.pending_percent.to_string()])
        .args([
            "--api-key",
            MERGE_API_KEY,
            "--account-token",
            MERGE_ACCOUNT_TOKEN,
        ]);
    let started = Instant::now();
    let mut fake = Proc::spawn("tenure-fakes merge", cmd, &dir.join("fake.log"))?;
    let merge_origin = fake
        .wait_for("listening on ", Duration::from_secs(600))?
        .trim()
        .to_string();
    let merge_addr = merge_origin
        .strip_prefix("http://")
        .ok_or_else(|| format!("the fake announced {merge_origin:?}"))?
        .to_string();
    eprintln!(
        "bench: fake Merge at {merge_origin}, {} employees seeded in {}",
        thousands(settings.employees as u64),
        duration(started.elapsed())
    );

    std::fs::write(&config, config_text(&data, &merge_origin))
        .map_err(|e| format!("cannot write {}: {e}", config.display()))?;
    let out = procs::output(tenure(
        release,
        &["token", "create", "--name", "bench", "--role", "admin"],
        &config,
        &data,
    ))?;
    let token = out
        .split_whitespace()
        .last()
        .filter(|t| t.starts_with("tnr_"))
        .ok_or_else(|| format!("`tenure token create` printed no token: {out}"))?
        .to_string();

    let mut cmd = tenure(
        release,
        &["serve", "--listen", "127.0.0.1:0"],
        &config,
        &data,
    );
    cmd.env("TENURE_LOG_FORMAT", "json");
    let started = Instant::now();
    let mut server = Proc::spawn("tenure serve", cmd, &dir.join("tenure.log"))?;
    let rest = server.wait_for("serving on http://", Duration::from_secs(300))?;
    let addr: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
        .collect();
    table.add(
        "server start-up (to listening)",
        duration(started.elapsed()),
        "",
        Verdict::Info,
        "opens the database, compiles the plugins",
    );
    let setup_code = server
        .wait_for("with the setup code: ", Duration::from_secs(10))?
        .trim()
        .to_string();
    Ok(Servers {
        server,
        _fake: fake,
        addr,
        merge_addr,
        token,
        setup_code,
    })
}

/// `tenure <sub...> --config C --data-dir D`, with no `TENURE_*` setting inherited.
fn tenure(release: &Path, sub: &[&str], config: &Path, data: &Path) -> Command {
    let mut cmd = Command::new(release.join("tenure"));
    cmd.args(sub)
        .arg("--config")
        .arg(config)
        .arg("--data-dir")
        .arg(data);
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("TENURE_") {
            cmd.env_remove(k);
        }
    }
    cmd
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The configuration: the fake as the Merge integration (plain http on loopback
/// allowed), a metrics token, no scheduled syncs (the bench starts them).
fn config_text(data: &Path, merge_origin: &str) -> String {
    format!(
        "# Written by `cargo xtask bench`.\n\
         [server]\n\
         data_dir = {data}\n\
         metrics_token = {metrics}\n\
         shutdown_grace_secs = 2\n\n\
         [runtime]\n\
         allow_local_http = true\n\n\
         [integrations.merge-hris]\n\
         base_url = {origin}\n\
         api_key = {key}\n\
         account_token = {token}\n\n\
         [lifecycle]\n\
         sync_interval_minutes = 0\n",
        data = toml_str(&data.to_string_lossy()),
        metrics = toml_str(METRICS_TOKEN),
        origin = toml_str(merge_origin),
        key = toml_str(MERGE_API_KEY),
        token = toml_str(MERGE_ACCOUNT_TOKEN),
    )
}

/// `GET /healthz`: 200, status ok, no plugin failed to load.
pub fn check_health(api: &mut Conn, table: &mut Table) {
    let figure = "GET /healthz answers";
    let checked = api
        .get("/healthz", &[])
        .map_err(|e| e.to_string())
        .and_then(|r| {
            let body = r.json().map_err(|e| format!("{}: {e}", r.summary()))?;
            let ok = r.status == 200
                && body.get("status").as_str() == Some("ok")
                && body.get("plugin_errors").as_u64() == Some(0);
            Ok((ok, r.summary()))
        });
    match checked {
        Ok((true, _)) => table.add(figure, "200 ok", "200 ok", Verdict::Met, "no plugin errors"),
        Ok((false, s)) => table.add(figure, "not ok", "200 ok", Verdict::Missed, s),
        Err(e) => table.failed(figure, "200 ok", &e),
    }
}

/// `GET /metrics` with the configured metrics token.
pub fn check_metrics(api: &mut Conn, table: &mut Table) {
    let figure = "GET /metrics with its token";
    let bearer = format!("Bearer {METRICS_TOKEN}");
    match api.get("/metrics", &[("Authorization", &bearer)]) {
        Ok(r) if r.status == 200 && r.text().contains("tenure_http_requests") => table.add(
            figure,
            "200",
            "200",
            Verdict::Met,
            "Prometheus text with tenure_http_requests",
        ),
        Ok(r) => table.add(
            figure,
            r.status.to_string(),
            "200",
            Verdict::Missed,
            r.summary(),
        ),
        Err(e) => table.failed(figure, "200", &e.to_string()),
    }
}

/// Creates the first admin on the first-start page (with the code the server printed),
/// signs in as them on the sign-in form, and returns that session's cookie,
/// `tenure_session=...`. Neither form needs a CSRF token (they check the `Origin`,
/// which a client without one passes).
pub fn admin_session(api: &mut Conn, setup_code: &str) -> Result<String> {
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let body = format!(
        "code={setup_code}&user={ADMIN_USER}&name=Bench&email=bench%40example.test&password={ADMIN_PASSWORD}"
    );
    let r = api
        .post("/setup", &form, body.as_bytes())
        .map_err(|e| format!("POST /setup: {e}"))?;
    if r.status != 303 || r.cookie("tenure_session").is_none() {
        return Err(format!("POST /setup made no first admin: {}", r.summary()));
    }
    let body = format!("user={ADMIN_USER}&password={ADMIN_PASSWORD}&next=%2Femployees");
    let r = api
        .post("/login", &form, body.as_bytes())
        .map_err(|e| format!("POST /login: {e}"))?;
    let cookie = r
        .cookie("tenure_session")
        .filter(|_| r.status == 303)
        .ok_or_else(|| format!("POST /login did not sign in: {}", r.summary()))?;
    let page = api
        .get("/employees", &[("Cookie", &cookie)])
        .map_err(|e| format!("GET /employees: {e}"))?;
    if page.status != 200 {
        return Err(format!(
            "the session does not open /employees: {}",
            page.summary()
        ));
    }
    Ok(cookie)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_names_the_fake_and_turns_the_scheduler_off() {
        let text = config_text(Path::new("/tmp/a \"b\""), "http://127.0.0.1:4000");
        assert!(text.contains("data_dir = \"/tmp/a \\\"b\\\"\""));
        assert!(text.contains("base_url = \"http://127.0.0.1:4000\""));
        assert!(text.contains("sync_interval_minutes = 0"));
        assert!(text.contains("allow_local_http = true"));
    }
}
