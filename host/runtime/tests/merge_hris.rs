//! The merge-hris plugin against the fake Merge, through the real runtime.

mod common;

use common::*;
use std::collections::HashSet;
use std::sync::Arc;
use tenure_fakes::merge::{FakeMerge, MergeEmployee, MergeLocation};
use tenure_runtime::types::{EmploymentStatus, Error};
use tenure_runtime::{CallError, MemoryStateStore, Plugin, Runtime, RuntimeMetrics};

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

/// Every page from `cursor = None` on through `hr-places`: the pages and the places.
async fn read_all_placed(
    p: &Plugin,
    since: Option<&str>,
) -> (
    Vec<tenure_runtime::types::HrPage>,
    Vec<tenure_runtime::optional::WorkPlace>,
) {
    let (mut pages, mut places) = (Vec::new(), Vec::new());
    let mut cursor: Option<String> = None;
    loop {
        let (page, more) = p
            .hr_fetch_placed(since, cursor.as_deref())
            .await
            .expect("page");
        cursor = page.next_cursor.clone();
        pages.push(page);
        places.extend(more);
        if cursor.is_none() {
            return (pages, places);
        }
        assert!(pages.len() < 100, "paging does not end");
    }
}

#[tokio::test]
async fn work_places_come_with_the_pages_through_hr_places() {
    let s = setup(150).await;
    let perth = s.fake.add_location(MergeLocation {
        name: Some("Perth".into()),
        city: Some(" Perth ".into()),
        state: Some("WA".into()),
        country: Some("AU".into()),
        location_type: Some("WORK".into()),
        ..Default::default()
    });
    let blank = s.fake.add_location(MergeLocation {
        name: Some("Remote".into()),
        city: Some("  ".into()),
        country: Some("US".into()),
        location_type: Some("WORK".into()),
        ..Default::default()
    });
    let employee = |work_location: Option<String>| MergeEmployee {
        first_name: Some("Pat".into()),
        employment_status: Some("ACTIVE".into()),
        work_location,
        ..Default::default()
    };
    let in_perth = s.fake.add_employee(employee(Some(perth)));
    let remote = s.fake.add_employee(employee(Some(blank)));
    let nowhere = s.fake.add_employee(employee(None));

    let (placed_pages, places) = read_all_placed(&s.plugin, None).await;
    assert_eq!(
        placed_pages,
        read_all(&s.plugin, None).await,
        "the same pages as hr-source.fetch"
    );
    let employees: Vec<_> = placed_pages.into_iter().flat_map(|p| p.employees).collect();
    assert_eq!(employees.len(), 153);

    let place_of = |id: &str| {
        let mut of = places.iter().filter(|p| p.source_id == id);
        let place = of.next().map(|p| (p.region.as_deref(), p.city.as_deref()));
        assert!(of.next().is_none(), "one place per employee");
        place
    };
    assert_eq!(place_of(&in_perth), Some((Some("WA"), Some("Perth"))));
    assert_eq!(place_of(&remote), None, "a blank city and no state");
    assert_eq!(place_of(&nowhere), None, "no work location");
    // Each seeded employee works in one of the fake's offices, which has both.
    for e in employees
        .iter()
        .filter(|e| ![&in_perth, &remote, &nowhere].contains(&&e.source_id))
    {
        let (region, city) = place_of(&e.source_id).unwrap_or_else(|| panic!("{e:?}"));
        assert!(region.is_some() && city.is_some(), "{e:?}");
        if e.work_location.as_deref() == Some("Sydney") {
            assert_eq!((region, city), (Some("NSW"), Some("Sydney")));
        }
    }
    assert!(
        employees
            .iter()
            .any(|e| e.work_location.as_deref() == Some("Sydney")
                || e.work_location.as_deref() == Some("Berlin")),
        "the seed has offices abroad"
    );
    assert_eq!(places.len(), 151);
}

#[tokio::test]
async fn a_plugin_without_hr_places_is_fetched_with_no_places() {
    // The 0.1 build of this plugin (a fixture) is built for the base HR world only.
    let s = setup(120).await;
    // A runtime of its own over the same settings and secrets.
    let rt = Runtime::new(strict_config(), s.state.clone(), RuntimeMetrics::default()).unwrap();
    let (manifest, wasm) = fixture("merge-hris-0.1.0");
    let old = rt.load(manifest, &wasm).expect("the 0.1 build loads");

    let (pages, places) = read_all_placed(&old, None).await;
    assert!(places.is_empty(), "{places:?}");
    assert_eq!(pages, read_all(&old, None).await, "hr-source.fetch's pages");
    let ids: Vec<_> = pages
        .iter()
        .flat_map(|p| p.employees.iter().map(|e| e.source_id.clone()))
        .collect();
    assert_eq!(ids, s.fake.employee_ids());
}
