//! Prints what the lifecycle costs at 100,000 employees:
//! - the initial sync from the fake Merge (1,000 pages of 100) through the real
//!   merge-hris plugin, the planner and redb (one transaction per page);
//! - an incremental sync of 100 changed employees;
//! - the planner alone over 100,000 records (pure, in memory): the first pass that
//!   creates everyone, a second pass that finds nothing to do, and the daily due run.
//!
//! `cargo bench -p tenure --bench lifecycle` (TENURE_BENCH_EMPLOYEES to change 100,000;
//! TENURE_BENCH_PART=planner or =sync for one half).

use std::time::Instant;
use tenure::app::AppState;
use tenure::config::Config;
use tenure_domain::jiff::{Timestamp, tz::TimeZone};
use tenure_domain::{
    AppId, Application, Catalog, Champion, Champions, GroupRef, InMemoryKnown, PlanContext,
    RawHrRecord, RawStatus, Rule, SequentialIds, UserId, due, plan,
};
use tenure_fakes::merge::FakeMerge;

/// The binary's allocator, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PAGE: usize = 100;

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn catalog() -> Catalog {
    let champion = |u: &str| Champion {
        user: UserId(u.into()),
        name: u.into(),
        email: format!("{u}@acme.test"),
    };
    let app = |id: &str| Application {
        id: AppId(id.into()),
        name: id.into(),
        connector: None,
        champions: vec![],
        provisioning: Default::default(),
    };
    let rule = |dept: &str, apps: &[&str]| Rule {
        group: GroupRef::Department(dept.into()),
        applications: apps.iter().map(|a| AppId((*a).into())).collect(),
        external_groups: vec![],
    };
    Catalog {
        champions: Champions {
            onboarding: vec![champion("ona")],
            hardware: vec![champion("hank")],
            default_application: vec![champion("dana")],
        },
        applications: ["github", "figma", "salesforce", "notion"]
            .into_iter()
            .map(app)
            .collect(),
        rules: vec![
            rule("Engineering", &["github", "notion"]),
            rule("Design", &["figma", "notion"]),
            rule("Sales", &["salesforce", "notion"]),
        ],
        custom_groups: vec![],
    }
}

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

async fn syncs(n: usize) {
    let started = Instant::now();
    let fake = FakeMerge::new("key", "acct").with_employees(n);
    fake.set_rate_limit_per_minute(0);
    let ids = fake.employee_ids();
    let (origin, _server) = fake.clone().serve(0).await.unwrap();
    println!(
        "fake Merge seeded with {n} employees in {:.1} s",
        secs(started)
    );

    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    config.server.data_dir = dir.path().join("data");
    // The fake Merge listens on loopback, over plain http.
    config.runtime.allow_local_http = true;
    {
        let store = tenure::app::open_store(&config.server.data_dir).unwrap();
        store.set_catalog(&catalog()).unwrap();
        store
            .set_setting("merge-hris", "base_url", &origin)
            .unwrap();
        store.set_secret("merge-hris", "api_key", "key").unwrap();
        store
            .set_secret("merge-hris", "account_token", "acct")
            .unwrap();
    }
    let state = AppState::build(&config, false).unwrap();
    let plugin = state
        .plugins
        .get("merge-hris")
        .expect("merge-hris is bundled");

    let t = Instant::now();
    let run = state.engine.sync(&plugin).await.unwrap();
    let initial = secs(t);
    println!(
        "initial sync: {} records in {} pages: {initial:.2} s ({:.0} records/s; {} created, {} tasks opened, {} quarantined) — target < 10 s",
        run.records,
        run.pages,
        run.records as f64 / initial,
        run.created,
        run.tasks_opened,
        run.quarantined
    );
    println!(
        "  of which reading (plugin + fake Merge) {:.2} s, planning {:.2} s, committing {:.2} s",
        run.read_ms as f64 / 1e3,
        run.plan_ms as f64 / 1e3,
        run.commit_ms as f64 / 1e3
    );
    println!(
        "resident memory after the initial sync: {:.0} MiB",
        rss_mib()
    );

    let stamp = Timestamp::now().as_second();
    for (k, id) in ids.iter().step_by((n / 100).max(1)).take(100).enumerate() {
        fake.update_employee(id, |e| e.preferred_name = Some(format!("Pref{stamp}{k}")));
    }
    let t = Instant::now();
    let run = state.engine.sync(&plugin).await.unwrap();
    println!(
        "incremental sync: {} records, {} changed, {} pages: {:.0} ms — target < 200 ms",
        run.records,
        run.changed,
        run.pages,
        secs(t) * 1e3
    );
    let t = Instant::now();
    state.engine.run_due().await.unwrap();
    println!(
        "due run over {n} employees (engine): {:.0} ms",
        secs(t) * 1e3
    );
}

fn record(i: usize) -> RawHrRecord {
    let departments = ["Engineering", "Design", "Sales", "Finance", "Support"];
    RawHrRecord {
        source: "bench".into(),
        source_id: i.to_string(),
        work_email: Some(format!("person{i}@acme.test")),
        personal_email: None,
        given_name: format!("Given{i}"),
        family_name: format!("Family{i}"),
        preferred_name: None,
        department: Some(departments[i % departments.len()].into()),
        groups: vec![],
        title: Some("Staff".into()),
        manager_source_id: None,
        work_location: None,
        work_time_zone: Some("America/Chicago".into()),
        work_country: Some("US".into()),
        work_region: None,
        work_city: None,
        status: RawStatus::Active,
        // One in 50 starts in a few weeks (onboarding); the rest started long ago.
        start_date: Some(
            if i.is_multiple_of(50) {
                "2027-01-04"
            } else {
                "2020-01-06"
            }
            .into(),
        ),
        termination_date: None,
        deleted: false,
    }
}

fn planner(n: usize) {
    let records: Vec<RawHrRecord> = (0..n).map(record).collect();
    println!(
        "resident memory with {n} HR records built: {:.0} MiB",
        rss_mib()
    );
    let now: Timestamp = "2026-11-25T15:00:00Z".parse().unwrap();
    let zone = TimeZone::get("America/Chicago").unwrap();
    let mut known = InMemoryKnown::new(catalog());
    let mut ids = SequentialIds::default();

    let t = Instant::now();
    let mut tasks = 0;
    for page in records.chunks(PAGE) {
        let p = plan(
            &known,
            page,
            &mut PlanContext::new(now, zone.clone(), &mut ids),
        );
        tasks += p.tasks().count();
        known.apply(&p);
        known.forget_logs();
    }
    println!(
        "planner, first pass over {n} records (pages of {PAGE}, applied in memory): {:.0} ms, {tasks} tasks — target < 1 s",
        secs(t) * 1e3
    );

    println!(
        "resident memory with {n} employees planned: {:.0} MiB",
        rss_mib()
    );
    let t = Instant::now();
    let mut effects = 0;
    for page in records.chunks(PAGE) {
        let p = plan(
            &known,
            page,
            &mut PlanContext::new(now, zone.clone(), &mut ids),
        );
        effects += p.effects.len();
    }
    println!(
        "planner, second pass over {n} records (nothing changed): {:.0} ms, {effects} effects",
        secs(t) * 1e3
    );

    let t = Instant::now();
    let p = due(&known, &mut PlanContext::new(now, zone, &mut ids));
    println!(
        "planner, due run over {n} employees: {:.0} ms, {} effects",
        secs(t) * 1e3,
        p.effects.len()
    );
}

fn main() {
    let n: usize = std::env::var("TENURE_BENCH_EMPLOYEES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    tenure_runtime::install_crypto_provider();
    let part = std::env::var("TENURE_BENCH_PART").unwrap_or_default();
    if part != "sync" {
        planner(n);
    }
    if part == "planner" {
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(syncs(n));
}
