//! The syncs through the API: `POST /api/v1/sync` timed end to end, with the counts and
//! phases of the server's own record of the run; what they leave (open tasks); and the
//! HR changes an incremental sync then reads (the fake's `POST /_fake/touch`).

use std::time::{Duration, Instant};

use super::http::{Conn, Response};
use super::json::Json;
use super::table::{Table, Verdict, duration, limit, thousands};
use crate::Result;

/// Runs a sync and adds its row. Returns the run's mode (`full` or `incremental`).
pub fn timed(
    api: &mut Conn,
    auth: &[(&str, &str)],
    figure: &str,
    target: Duration,
    table: &mut Table,
) -> Result<String> {
    eprintln!("bench: {figure} ...");
    let started = Instant::now();
    let r = api
        .post("/api/v1/sync", auth, b"")
        .map_err(|e| format!("POST /api/v1/sync: {e}"))?;
    let took = started.elapsed();
    let body = expect_json(&r, "POST /api/v1/sync")?;
    if let Some(e) = body.get("errors").as_array().first() {
        return Err(format!("the sync failed: {}", e.as_str().unwrap_or("?")));
    }
    let reported = body.get("reports").at(0).clone();
    // The record the server keeps of the same run (newest first).
    let runs = api
        .get("/api/v1/sync/runs?limit=1", auth)
        .map_err(|e| e.to_string())
        .and_then(|r| expect_json(&r, "GET /api/v1/sync/runs"));
    let run = match &runs {
        Ok(list) if list.at(0).get("id") == reported.get("id") => list.at(0).clone(),
        _ => reported,
    };
    let n = |k: &str| thousands(run.get(k).as_u64().unwrap_or(0));
    let ms = |k: &str| duration(Duration::from_millis(run.get(k).as_u64().unwrap_or(0)));
    let mode = run.get("mode").as_str().unwrap_or("?").to_string();
    let mut detail = format!(
        "{mode}: {} records in {} pages, {} created, {} changed, {} tasks opened; \
         read {}, plan {}, commit {}",
        n("records"),
        n("pages"),
        n("created"),
        n("changed"),
        n("tasks_opened"),
        ms("read_ms"),
        ms("plan_ms"),
        ms("commit_ms")
    );
    let stopped = run.get("error").as_str();
    if let Some(e) = stopped {
        detail.push_str(&format!("; stopped early: {e}"));
    }
    table.add(
        figure,
        duration(took),
        format!("< {}", limit(target)),
        Verdict::of(took < target && stopped.is_none()),
        detail,
    );
    Ok(mode)
}

/// The body of a 2xx answer as JSON.
pub fn expect_json(r: &Response, what: &str) -> Result<Json> {
    if !r.ok() {
        return Err(format!("{what}: {}", r.summary()));
    }
    r.json().map_err(|e| format!("{what}: {e}"))
}

/// `total` of an API list.
fn total(api: &mut Conn, auth: &[(&str, &str)], path: &str) -> Result<u64> {
    let r = api.get(path, auth).map_err(|e| format!("{path}: {e}"))?;
    expect_json(&r, path)?
        .get("total")
        .as_u64()
        .ok_or_else(|| format!("{path} has no total"))
}

/// The open tasks the initial sync left (the UI's task list is loaded with them),
/// against `wanted`.
pub fn open_tasks(api: &mut Conn, auth: &[(&str, &str)], wanted: u64, table: &mut Table) {
    let figure = "open tasks after initial sync";
    let target = format!("≥ {}", thousands(wanted));
    let mut count = |path: &str| total(api, auth, path);
    let counts = count("/api/v1/tasks?state=open&limit=1").and_then(|open| {
        Ok((
            open,
            count("/api/v1/tasks?state=open&kind=complete_it_setup&limit=1")?,
            count("/api/v1/employees?limit=1")?,
        ))
    });
    match counts {
        Ok((open, setup, employees)) => table.add(
            figure,
            thousands(open),
            target,
            Verdict::of(open >= wanted),
            format!(
                "{} of them Complete IT Setup; {} employees known",
                thousands(setup),
                thousands(employees)
            ),
        ),
        Err(e) => table.failed(figure, target, &e),
    }
}

/// Has the fake change `n` employees as an HR edit would.
pub fn touch(merge_addr: &str, api_key: &str, n: usize) -> Result {
    let mut fake = Conn::new(merge_addr, Duration::from_secs(60));
    let bearer = format!("Bearer {api_key}");
    let path = format!("/_fake/touch?n={n}");
    let r = fake
        .post(&path, &[("Authorization", &bearer)], b"")
        .map_err(|e| format!("POST {path} (fake Merge): {e}"))?;
    let touched = expect_json(&r, &path)?.get("touched").as_u64().unwrap_or(0);
    if touched as usize != n {
        return Err(format!("the fake changed {touched} employees, not {n}"));
    }
    Ok(())
}
