//! The endpoints put under load, API and UI, each for a fixed time over keep-alive
//! connections, with latency percentiles, throughput, errors and who used the CPU.

use std::time::Duration;

use super::http::{self, Conn};
use super::load;
use super::procs::{self, Proc};
use super::syncs::expect_json;
use super::table::{Table, Verdict, duration, limit, thousands};
use crate::Result;

/// Which credentials a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Auth {
    /// The admin API token.
    Token,
    /// The first admin's UI session cookie.
    Session,
    None,
}

struct Endpoint {
    path: String,
    what: &'static str,
    auth: Auth,
}

/// The id of the API list's first employee.
fn first_employee(api: &mut Conn, auth: &[(&str, &str)]) -> Result<String> {
    let path = "/api/v1/employees?limit=1";
    let r = api.get(path, auth).map_err(|e| format!("{path}: {e}"))?;
    expect_json(&r, path)?
        .get("items")
        .at(0)
        .get("id")
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("{path} lists no employee"))
}

/// Where the load goes, and what authenticates it.
pub struct Target<'a> {
    pub addr: &'a str,
    /// `Authorization: Bearer ...` of the API token.
    pub bearer: &'a str,
    /// `tenure_session=...`, when signing in worked.
    pub cookie: Option<&'a str>,
    pub server: &'a Proc,
}

/// Loads each endpoint in turn for `secs` over `connections`; one row each.
pub fn load_all(
    api: &mut Conn,
    to: &Target,
    secs: u64,
    connections: usize,
    p99_target: Duration,
    table: &mut Table,
) {
    let token = [("Authorization", to.bearer)];
    let profile = first_employee(api, &token);
    let endpoints = [
        (
            "/api/v1/employees?limit=50".to_string(),
            "API list",
            Auth::Token,
        ),
        (
            "/api/v1/employees?q=smith&limit=50".to_string(),
            "API search",
            Auth::Token,
        ),
        ("/employees?q=smith".to_string(), "UI search", Auth::Session),
        ("/employees".to_string(), "UI people list", Auth::Session),
        (
            profile
                .as_ref()
                .map_or(String::new(), |id| format!("/employees/{id}")),
            "UI profile of the API list's first employee",
            Auth::Session,
        ),
        ("/tasks".to_string(), "UI tasks, as admin", Auth::Session),
        ("/login".to_string(), "plain page, no session", Auth::None),
        (
            "/healthz".to_string(),
            "health check, no session",
            Auth::None,
        ),
    ]
    .map(|(path, what, auth)| Endpoint { path, what, auth });
    let target = format!("p99 < {}", limit(p99_target));
    for e in &endpoints {
        let header = match e.auth {
            Auth::Token => Some(("Authorization", to.bearer)),
            Auth::Session => to.cookie.map(|c| ("Cookie", c)),
            Auth::None => None,
        };
        if e.path.is_empty() {
            let why = profile.as_ref().err().cloned().unwrap_or_default();
            table.failed(format!("GET /employees/{{id}} ({})", e.what), &target, &why);
            continue;
        }
        let figure = format!("GET {}", e.path);
        if e.auth == Auth::Session && header.is_none() {
            table.failed(&figure, &target, "no UI session (see above)");
            continue;
        }
        eprintln!("bench: loading {figure} for {secs} s");
        let headers: Vec<(&str, &str)> = header.into_iter().collect();
        let req = http::request("GET", &e.path, to.addr, &headers, b"");
        let me = std::process::id();
        let (server_before, me_before) = (procs::cpu_ticks(to.server.pid()), procs::cpu_ticks(me));
        let stats = load::run(to.addr, &req, connections, Duration::from_secs(secs));
        let busy = |before: Option<u64>, pid: u32| -> Option<f64> {
            let ticks = procs::cpu_ticks(pid)?.checked_sub(before?)?;
            Some(ticks as f64 / procs::TICKS_PER_SEC / stats.elapsed.as_secs_f64() * 100.0)
        };
        let mut detail = format!(
            "{}: {} req/s, {} requests",
            e.what,
            thousands(stats.per_second().round() as u64),
            thousands(stats.requests as u64)
        );
        if let (Some(s), Some(c)) = (busy(server_before, to.server.pid()), busy(me_before, me)) {
            detail.push_str(&format!("; CPU: server {s:.0} %, load generator {c:.0} %"));
        }
        if stats.errors > 0 {
            detail.push_str(&format!(
                "; {} ERRORS, first: {}",
                thousands(stats.errors as u64),
                stats.first_error.as_deref().unwrap_or("?")
            ));
        }
        let p99 = stats.quantile(0.99);
        table.add(
            figure,
            format!(
                "p50 {} / p99 {}",
                duration(stats.quantile(0.5)),
                duration(p99)
            ),
            &target,
            Verdict::of(p99 < p99_target && stats.errors == 0 && stats.requests > 0),
            detail,
        );
    }
}
