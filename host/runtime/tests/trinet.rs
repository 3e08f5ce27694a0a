//! The trinet plugin against the fake TriNet API, through the real runtime.

mod common;

use common::*;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tenure_fakes::trinet::{FakeTriNet, TriNetEmployee, TriNetName};
use tenure_runtime::types::{EmploymentStatus, Error, HrEmployee, HrPage};
use tenure_runtime::{CallError, MemoryStateStore, Plugin};

const PLUGIN: &str = "trinet";
const COMPANY: &str = "ACME01";
const CLIENT: &str = "test-client-id";
const SECRET: &str = "test-client-secret";

struct Setup {
    fake: FakeTriNet,
    plugin: Plugin,
    state: Arc<MemoryStateStore>,
    _server: tenure_fakes::ServerHandle,
}

async fn setup_with_secret(employees: usize, secret: &str) -> Setup {
    let fake = FakeTriNet::new(COMPANY, CLIENT, SECRET).with_employees(employees);
    let (origin, server) = fake.clone().serve(0).await.unwrap();
    let (rt, state) = strict_runtime();
    state.set_setting(PLUGIN, "base_url", &origin);
    state.set_setting(PLUGIN, "company_id", COMPANY);
    state.set_setting(PLUGIN, "client_id", CLIENT);
    state.set_secret(PLUGIN, "client_secret", secret);
    let (manifest, wasm) = bundled(PLUGIN);
    let plugin = rt.load(manifest, wasm).unwrap();
    Setup {
        fake,
        plugin,
        state,
        _server: server,
    }
}

async fn setup(employees: usize) -> Setup {
    setup_with_secret(employees, SECRET).await
}

/// Reads every page from `cursor = None` on.
async fn read_all(p: &Plugin, since: Option<&str>) -> Vec<HrPage> {
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

fn everyone(pages: Vec<HrPage>) -> Vec<HrEmployee> {
    pages.into_iter().flat_map(|p| p.employees).collect()
}

fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn plugin_error(r: Result<HrPage, CallError>) -> Error {
    match r {
        Err(CallError::Plugin(e)) => e,
        other => panic!("expected a plugin error, got {other:?}"),
    }
}

#[tokio::test]
async fn every_page_is_read_once_in_order_and_mapped() {
    let s = setup(250).await;
    let pages = read_all(&s.plugin, None).await;
    assert_eq!(
        pages.iter().map(|p| p.employees.len()).collect::<Vec<_>>(),
        vec![100, 100, 50]
    );
    assert_eq!(
        s.fake.employee_list_offsets(),
        vec![0, 100, 200],
        "each page requested once"
    );
    let all = everyone(pages);
    let ids: Vec<&str> = all.iter().map(|e| e.source_id.as_str()).collect();
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 250);
    assert_eq!(ids, s.fake.employee_ids(), "in TriNet's order");

    let today = today();
    for e in &all {
        let src = s.fake.employee(&e.source_id).unwrap();
        let name = src.primary_name().unwrap();
        assert_eq!(e.given_name, name.first_name);
        assert_eq!(e.family_name, name.last_name);
        assert_eq!(
            e.preferred_name,
            src.preferred_name().map(|n| n.first_name.clone())
        );
        let dept = s.fake.department(src.department_id.as_deref().unwrap());
        assert_eq!(e.department, dept.map(|d| d.name));
        let office = s.fake.location(src.location_id.as_deref().unwrap());
        assert_eq!(e.work_location, office.map(|l| l.name));
        assert_eq!(e.title, src.business_title);
        assert_eq!(e.work_email, src.work_email);
        assert_eq!(e.manager_source_id, src.supervisor_id);
        assert_eq!(
            e.groups,
            src.custom_group_a.iter().cloned().collect::<Vec<_>>()
        );
        assert_eq!(e.start_date, src.service_date);
        assert_eq!(e.termination_date, src.termination_date);
        assert!(!e.deleted);
        let starts_later = src.service_date.as_deref() > Some(today.as_str());
        let expected = match src.employment_status.as_str() {
            "A" if starts_later => "pending",
            "A" | "L" | "P" | "S" => "active",
            "T" | "U" | "D" => "inactive",
            other => panic!("unexpected seed status {other}"),
        };
        let got = match &e.status {
            EmploymentStatus::Pending => "pending",
            EmploymentStatus::Active => "active",
            EmploymentStatus::Inactive => "inactive",
            EmploymentStatus::Unknown(u) => panic!("unknown status {u} for {}", e.source_id),
        };
        assert_eq!(got, expected, "{} ({})", e.source_id, src.employment_status);
        for d in [&e.start_date, &e.termination_date].into_iter().flatten() {
            assert_eq!(d.len(), 10, "a calendar date: {d}");
        }
    }

    let count = |f: &dyn Fn(&HrEmployee) -> bool| all.iter().filter(|e| f(e)).count();
    assert!(count(&|e| matches!(e.status, EmploymentStatus::Pending)) >= 10);
    assert!(
        count(&|e| matches!(e.status, EmploymentStatus::Inactive) && e.termination_date.is_some())
            >= 25
    );
    assert!(count(&|e| e.preferred_name.is_some()) >= 10);
    assert_eq!(count(&|e| e.department.is_some()), 250);

    // Locations give country and time zone.
    let at = |loc: &str| {
        all.iter()
            .find(|e| {
                s.fake
                    .employee(&e.source_id)
                    .unwrap()
                    .location_id
                    .as_deref()
                    == Some(loc)
            })
            .unwrap_or_else(|| panic!("someone works at {loc}"))
    };
    let sf = at("SF01");
    assert_eq!(sf.work_country.as_deref(), Some("US"));
    assert_eq!(sf.work_time_zone.as_deref(), Some("America/Los_Angeles"));
    let nyc = at("NYC01");
    assert_eq!(nyc.work_time_zone.as_deref(), Some("America/New_York"));
    let london = at("LON01");
    assert_eq!(london.work_country.as_deref(), Some("GB"));
    let remote = at("RMT01");
    assert_eq!(remote.work_country.as_deref(), Some("US"));
    assert_eq!(remote.work_time_zone, None, "no state, no guess");
}

#[tokio::test]
async fn the_token_is_fetched_once_and_reused_across_calls() {
    let s = setup(30).await;
    s.plugin.hr_test_connection().await.unwrap();
    read_all(&s.plugin, None).await;
    read_all(&s.plugin, None).await;
    assert_eq!(s.fake.token_request_count(), 1);
    // test-connection, then two single-page reads; departments and locations are read
    // once and reused.
    assert_eq!(s.fake.request_count(), 1 + (1 + 2) + 1);
}

#[tokio::test]
async fn a_401_drops_the_token_and_a_new_one_is_fetched() {
    let s = setup(5).await;
    read_all(&s.plugin, None).await;
    assert_eq!(s.fake.token_request_count(), 1);

    // Revoked at TriNet while still cached here.
    s.fake.revoke_tokens();
    assert_eq!(everyone(read_all(&s.plugin, None).await).len(), 5);
    assert_eq!(s.fake.token_request_count(), 2);

    // Expired by TriNet's clock before this side's cache let go of it.
    let later = time::OffsetDateTime::now_utc() + time::Duration::hours(2);
    s.fake.set_now(
        &later
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap(),
    );
    assert_eq!(everyone(read_all(&s.plugin, None).await).len(), 5);
    assert_eq!(s.fake.token_request_count(), 3);
    read_all(&s.plugin, None).await;
    assert_eq!(s.fake.token_request_count(), 3, "the new token is reused");
}

#[tokio::test]
async fn an_expiring_token_is_fetched_again() {
    let s = setup(5).await;
    // Cached for expires_in minus a minute of margin: 2 s here.
    s.fake.set_token_expires_in(62);
    read_all(&s.plugin, None).await;
    read_all(&s.plugin, None).await;
    assert_eq!(s.fake.token_request_count(), 1);
    tokio::time::sleep(Duration::from_millis(3100)).await;
    read_all(&s.plugin, None).await;
    assert_eq!(s.fake.token_request_count(), 2);
}

#[tokio::test]
async fn a_bad_client_secret_is_unauthorized() {
    let s = setup_with_secret(3, "wrong-secret").await;
    let err = plugin_error(s.plugin.hr_fetch(None, None).await);
    assert!(
        matches!(&err, Error::Unauthorized(m) if m.contains("Client credentials are invalid")),
        "{err:?}"
    );
    let err = s.plugin.hr_test_connection().await.unwrap_err();
    assert!(
        matches!(err, CallError::Plugin(Error::Unauthorized(_))),
        "{err:?}"
    );
    assert_eq!(s.fake.request_count(), 0, "no API call without a token");

    // Fixing the secret fixes the connection.
    s.state.set_secret(PLUGIN, "client_secret", SECRET);
    s.plugin.hr_test_connection().await.unwrap();
}

#[tokio::test]
async fn another_company_is_unauthorized() {
    let s = setup(3).await;
    s.state.set_setting(PLUGIN, "company_id", "OTHER");
    let err = plugin_error(s.plugin.hr_fetch(None, None).await);
    assert!(
        matches!(&err, Error::Unauthorized(m) if m.contains("403") && m.contains("Company ID")),
        "{err:?}"
    );
    assert_eq!(
        s.fake.token_request_count(),
        1,
        "a 403 is not a token problem"
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
    assert_eq!(
        s.plugin.hr_fetch(None, None).await.unwrap().employees.len(),
        3
    );
}

#[tokio::test]
async fn an_unknown_status_letter_comes_through_as_unknown() {
    let s = setup(3).await;
    let id = s.fake.add_employee(TriNetEmployee {
        names: vec![TriNetName {
            first_name: "Rita".into(),
            last_name: "Retired".into(),
            name_type: "PRI".into(),
            ..Default::default()
        }],
        employment_status: "R".into(),
        department_id: Some("D160".into()),
        ..Default::default()
    });
    let all = everyone(read_all(&s.plugin, None).await);
    let rita = all.iter().find(|e| e.source_id == id).unwrap();
    assert!(
        matches!(&rita.status, EmploymentStatus::Unknown(code) if code == "R"),
        "{:?}",
        rita.status
    );
    assert_eq!(rita.department.as_deref(), Some("Finance"));
}

#[tokio::test]
async fn since_reads_everyone_for_the_host_to_compare() {
    let s = setup(120).await;
    let all = everyone(read_all(&s.plugin, Some("2026-01-01T00:00:00Z")).await);
    assert_eq!(all.len(), 120);
}

#[tokio::test]
async fn missing_settings_are_named() {
    let (rt, state) = strict_runtime();
    let (manifest, wasm) = bundled(PLUGIN);
    let p = rt.load(manifest, wasm).unwrap();
    let err = p.hr_test_connection().await.unwrap_err();
    assert!(err.to_string().contains("company_id"), "{err}");
    state.set_setting(PLUGIN, "company_id", COMPANY);
    state.set_setting(PLUGIN, "client_id", CLIENT);
    let err = p.hr_test_connection().await.unwrap_err();
    assert!(err.to_string().contains("client_secret"), "{err}");
}

#[tokio::test]
async fn the_default_origin_is_trinets() {
    // Without base_url the plugin calls https://api.trinet.com, which is allowed.
    let (rt, state) = strict_runtime();
    state.set_setting(PLUGIN, "company_id", COMPANY);
    state.set_setting(PLUGIN, "client_id", CLIENT);
    state.set_secret(PLUGIN, "client_secret", SECRET);
    let (manifest, wasm) = bundled(PLUGIN);
    let p = rt.load(manifest, wasm).unwrap();
    let err = p.hr_test_connection().await.unwrap_err();
    // No internet here: the request was allowed and then failed to connect.
    assert!(!err.to_string().contains("allowed hosts"), "{err}");
    assert_eq!(
        rt.metrics().http_count(PLUGIN, "api.trinet.com", "denied"),
        0
    );
}
