//! The merge-hris plugin against the fake Merge, through the real runtime.

mod common;

use common::*;
use std::collections::HashSet;
use std::sync::Arc;
use tenure_fakes::merge::{FakeMerge, MergeEmployee};
use tenure_runtime::types::{EmploymentStatus, Error};
use tenure_runtime::{CallError, MemoryStateStore, Plugin};

const KEY: &str = "test-key";
const ACCOUNT: &str = "test-account";

struct Setup {
    fake: FakeMerge,
    plugin: Plugin,
    state: Arc<MemoryStateStore>,
    _server: tenure_fakes::ServerHandle,
}

async fn setup(employees: usize) -> Setup {
    let fake = FakeMerge::new(KEY, ACCOUNT).with_employees(employees);
    let (origin, server) = fake.clone().serve(0).await.unwrap();
    let (rt, state) = strict_runtime();
    state.set_setting("merge-hris", "base_url", &origin);
    state.set_secret("merge-hris", "api_key", KEY);
    state.set_secret("merge-hris", "account_token", ACCOUNT);
    let (manifest, wasm) = bundled("merge-hris");
    let plugin = rt.load(manifest, wasm).unwrap();
    Setup {
        fake,
        plugin,
        state,
        _server: server,
    }
}

/// Reads every page from `cursor = None` on; returns the pages.
async fn read_all(p: &Plugin, since: Option<&str>) -> Vec<tenure_runtime::types::HrPage> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = p.hr_fetch(since, cursor.as_deref()).await.expect("page");
        cursor = page.next_cursor.clone();
        pages.push(page);
        if cursor.is_none() {
            return pages;
        }
        assert!(pages.len() < 100, "paging does not end");
    }
}

#[tokio::test]
async fn three_pages_are_read_in_order_and_mapped() {
    let s = setup(250).await;
    let pages = read_all(&s.plugin, None).await;
    assert_eq!(
        pages.iter().map(|p| p.employees.len()).collect::<Vec<_>>(),
        vec![100, 100, 50]
    );
    let ids: Vec<String> = pages
        .iter()
        .flat_map(|p| p.employees.iter().map(|e| e.source_id.clone()))
        .collect();
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        250,
        "every employee once"
    );
    assert_eq!(ids, s.fake.employee_ids(), "in the source's order");

    let all: Vec<_> = pages.into_iter().flat_map(|p| p.employees).collect();
    // Expanded relations are mapped: departments, titles, countries.
    assert!(all.iter().filter(|e| e.department.is_some()).count() > 200);
    assert!(all.iter().filter(|e| e.title.is_some()).count() > 200);
    assert!(all.iter().any(|e| e.work_country.is_some()));
    assert!(
        all.iter()
            .any(|e| matches!(e.status, EmploymentStatus::Pending))
    );
    assert!(all.iter().any(|e| matches!(e.status, EmploymentStatus::Inactive) && e.termination_date.is_some()));
    for e in &all {
        if let Some(d) = &e.start_date {
            assert_eq!(d.len(), 10, "start date is a calendar date: {d}");
        }
    }
}

#[tokio::test]
async fn incremental_read_returns_only_changes() {
    let s = setup(120).await;
    s.fake.set_now("2026-06-01T12:00:00Z");
    let id = s.fake.employee_ids()[7].clone();
    s.fake
        .update_employee(&id, |e| e.last_name = Some("Renamed".into()));
    let new_id = s.fake.add_employee(MergeEmployee {
        first_name: Some("Nia".into()),
        last_name: Some("New".into()),
        work_email: Some("nia.new@example.com".into()),
        employment_status: Some("PENDING".into()),
        start_date: Some("2026-07-01T00:00:00Z".into()),
        ..Default::default()
    });

    let pages = read_all(&s.plugin, Some("2026-06-01T00:00:00Z")).await;
    let changed: Vec<_> = pages.into_iter().flat_map(|p| p.employees).collect();
    let ids: HashSet<_> = changed.iter().map(|e| e.source_id.as_str()).collect();
    assert_eq!(ids, HashSet::from([id.as_str(), new_id.as_str()]));
    let nia = changed.iter().find(|e| e.source_id == new_id).unwrap();
    assert_eq!(nia.start_date.as_deref(), Some("2026-07-01"));
    assert!(matches!(nia.status, EmploymentStatus::Pending));
}

#[tokio::test]
async fn a_bad_token_is_unauthorized() {
    let s = setup(3).await;
    s.state.set_secret("merge-hris", "api_key", "wrong");
    let err = s.plugin.hr_fetch(None, None).await.unwrap_err();
    assert!(
        matches!(err, CallError::Plugin(Error::Unauthorized(_))),
        "{err:?}"
    );
    assert!(s.plugin.hr_test_connection().await.is_err());

    s.state.set_secret("merge-hris", "api_key", KEY);
    s.state
        .set_secret("merge-hris", "account_token", "someone-else");
    let err = s.plugin.hr_fetch(None, None).await.unwrap_err();
    assert!(
        matches!(err, CallError::Plugin(Error::Unauthorized(_))),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_429_is_rate_limited_with_the_servers_seconds() {
    let s = setup(3).await;
    s.fake.fail_next_with_429(17);
    let err = s.plugin.hr_fetch(None, None).await.unwrap_err();
    assert!(
        matches!(err, CallError::Plugin(Error::RateLimited(17))),
        "{err:?}"
    );
    assert_eq!(err.retry_after(), Some(17));
    // The next call goes through.
    assert_eq!(
        s.plugin.hr_fetch(None, None).await.unwrap().employees.len(),
        3
    );
}

#[tokio::test]
async fn missing_secrets_are_a_settings_problem() {
    let s = setup(1).await;
    let (rt, _) = strict_runtime();
    let (manifest, wasm) = bundled("merge-hris");
    let unconfigured = rt.load(manifest, wasm).unwrap();
    let err = unconfigured.hr_test_connection().await.unwrap_err();
    assert!(err.to_string().contains("api_key"), "{err}");
    drop(s);
}

#[tokio::test]
async fn the_default_origin_is_merges_and_nothing_else_is_reachable() {
    // Without base_url the plugin calls https://api.merge.dev, which is allowed; a
    // base_url elsewhere is allowed only because the administrator set it.
    let (rt, state) = strict_runtime();
    state.set_secret("merge-hris", "api_key", KEY);
    state.set_secret("merge-hris", "account_token", ACCOUNT);
    let (manifest, wasm) = bundled("merge-hris");
    let p = rt.load(manifest, wasm).unwrap();
    let err = p.hr_test_connection().await.unwrap_err();
    // No internet here: the request was allowed and then failed to connect.
    assert!(
        !err.to_string().contains("not among the allowed hosts"),
        "{err}"
    );
    assert_eq!(
        rt.metrics()
            .http_count("merge-hris", "api.merge.dev", "denied"),
        0
    );
}

#[tokio::test]
async fn a_home_address_is_read_on_request_through_hr_addresses() {
    let s = setup(0).await;
    let home = s.fake.add_location(tenure_fakes::merge::MergeLocation {
        street_1: Some("12 Elm St".into()),
        city: Some("Springfield".into()),
        state: Some("IL".into()),
        zip_code: Some("62704".into()),
        country: Some("US".into()),
        location_type: Some("HOME".into()),
        ..Default::default()
    });
    let ann = s.fake.add_employee(MergeEmployee {
        first_name: Some("Ann".into()),
        last_name: Some("Lee".into()),
        home_location: Some(home),
        ..MergeEmployee::default()
    });
    let bob = s.fake.add_employee(MergeEmployee {
        first_name: Some("Bob".into()),
        ..MergeEmployee::default()
    });
    let a = s.plugin.hr_home_address(&ann).await.unwrap().unwrap();
    assert_eq!(a.name, "Ann Lee");
    assert_eq!(a.street, vec!["12 Elm St".to_string()]);
    assert_eq!(
        (a.city.as_str(), a.postal_code.as_str()),
        ("Springfield", "62704")
    );
    assert_eq!(s.plugin.hr_home_address(&bob).await.unwrap(), None);
    assert!(matches!(
        s.plugin.hr_home_address("no-such-id").await,
        Err(CallError::Plugin(Error::NotFound(_)))
    ));
}
