//! The Merge fake, over real HTTP, as a client sees it.

mod common;

use std::collections::{HashMap, HashSet};

use common::{Body, Resp};
use serde_json::Value;
use tenure_fakes::ServerHandle;
use tenure_fakes::merge::{FakeMerge, MergeEmployee, MergeEmployment};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KEY: &str = "test-api-key";
const TOKEN: &str = "test-account-token";

/// A GET through the fakes' test client.
async fn get_with(origin: &str, path: &str, headers: &[(&str, &str)]) -> Resp {
    common::send(origin, "GET", path, headers, Body::None).await
}

async fn get(origin: &str, path: &str) -> Resp {
    let bearer = format!("Bearer {KEY}");
    get_with(
        origin,
        path,
        &[("Authorization", &bearer), ("X-Account-Token", TOKEN)],
    )
    .await
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn start(fake: &FakeMerge) -> (String, ServerHandle) {
    fake.clone().serve(0).await.expect("serve")
}

/// Follows `next` from `first_query`, returning every page's results.
async fn all_pages(origin: &str, path: &str, query: &str) -> Vec<Vec<Value>> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{path}?{query}");
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={}", enc(c)));
        }
        let r = get(origin, &url).await;
        assert_eq!(r.status, 200, "{url}: {}", r.body);
        pages.push(r.body["results"].as_array().expect("results").clone());
        match r.body["next"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return pages,
        }
    }
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|e| e["id"].as_str().expect("id").to_string())
        .collect()
}

#[tokio::test]
async fn paging_returns_every_employee_once() {
    let fake = FakeMerge::new(KEY, TOKEN).with_employees(250);
    let (origin, _h) = start(&fake).await;

    let first = get(&origin, "/api/hris/v1/employees").await;
    assert_eq!(first.status, 200);
    assert_eq!(
        first.body["results"].as_array().map(Vec::len),
        Some(100),
        "default page_size is 100"
    );
    assert!(first.body["previous"].is_null());
    let cursor = first.body["next"].as_str().expect("a next cursor");
    assert!(
        cursor.parse::<u64>().is_err(),
        "cursor must be opaque, not a number: {cursor}"
    );

    let pages = all_pages(&origin, "/api/hris/v1/employees", "page_size=100").await;
    assert_eq!(
        pages.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![100, 100, 50]
    );
    let all: Vec<String> = pages.iter().flat_map(|p| ids(p)).collect();
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(all.len(), 250);
    assert_eq!(unique.len(), 250);
    assert_eq!(all, fake.employee_ids(), "ordered by created_at, then id");

    // Ordered by created_at, then id.
    let flat: Vec<Value> = pages.concat();
    let keys: Vec<(String, String)> = flat
        .iter()
        .map(|e| {
            (
                e["created_at"].as_str().unwrap().to_string(),
                e["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);

    // `previous` on page 2 leads back to page 1.
    let p2 = get(
        &origin,
        &format!("/api/hris/v1/employees?cursor={}", enc(cursor)),
    )
    .await;
    let prev = p2.body["previous"].as_str().expect("previous on page 2");
    let back = get(
        &origin,
        &format!("/api/hris/v1/employees?cursor={}", enc(prev)),
    )
    .await;
    assert_eq!(
        ids(back.body["results"].as_array().unwrap()),
        ids(first.body["results"].as_array().unwrap())
    );
    assert!(back.body["previous"].is_null());
    let again = get(
        &origin,
        &format!(
            "/api/hris/v1/employees?cursor={}",
            enc(back.body["next"].as_str().unwrap())
        ),
    )
    .await;
    assert_eq!(
        ids(again.body["results"].as_array().unwrap()),
        ids(p2.body["results"].as_array().unwrap())
    );
}

#[tokio::test]
async fn page_size_is_clamped_and_bad_cursors_are_rejected() {
    let fake = FakeMerge::new(KEY, TOKEN).with_employees(150);
    let (origin, _h) = start(&fake).await;
    let big = get(&origin, "/api/hris/v1/employees?page_size=500").await;
    assert_eq!(big.body["results"].as_array().map(Vec::len), Some(100));
    let small = get(&origin, "/api/hris/v1/employees?page_size=7").await;
    assert_eq!(small.body["results"].as_array().map(Vec::len), Some(7));
    let junk = get(&origin, "/api/hris/v1/employees?page_size=abc").await;
    assert_eq!(junk.body["results"].as_array().map(Vec::len), Some(100));
    let bad = get(&origin, "/api/hris/v1/employees?cursor=NDI%3D").await; // base64("42")
    assert_eq!(bad.status, 404);
    assert_eq!(bad.body["detail"], "Invalid cursor");
    let bad_date = get(&origin, "/api/hris/v1/employees?modified_after=yesterday").await;
    assert_eq!(bad_date.status, 400);
    assert!(bad_date.body["modified_after"].is_array());
}

#[tokio::test]
async fn modified_after_and_before_filter_on_merge_timestamps() {
    let fake = FakeMerge::new(KEY, TOKEN).with_employees(120);
    fake.set_now("2026-03-01T12:00:00Z");
    let ids_all = fake.employee_ids();
    let changed = [&ids_all[5], &ids_all[50], &ids_all[110]];
    for id in changed {
        assert!(fake.update_employee(id, |e| e.mobile_phone_number = Some("+15555550123".into())));
    }
    assert_eq!(
        fake.employee(changed[0]).unwrap().modified_at.as_deref(),
        Some("2026-03-01T12:00:00Z")
    );
    let (origin, _h) = start(&fake).await;

    let q = format!("modified_after={}", enc("2026-03-01T00:00:00Z"));
    let after: Vec<String> = all_pages(&origin, "/api/hris/v1/employees", &q)
        .await
        .iter()
        .flat_map(|p| ids(p))
        .collect();
    let mut want: Vec<String> = changed.iter().map(|s| s.to_string()).collect();
    want.sort_by_key(|id| ids_all.iter().position(|x| x == id));
    assert_eq!(after, want);

    // Offsets and strictness: exactly at the instant is not "after".
    let at = get(
        &origin,
        &format!(
            "/api/hris/v1/employees?modified_after={}",
            enc("2026-03-01T13:00:00+01:00")
        ),
    )
    .await;
    assert_eq!(at.body["results"].as_array().map(Vec::len), Some(0));

    let before = all_pages(
        &origin,
        "/api/hris/v1/employees",
        &format!("modified_before={}", enc("2026-03-01T00:00:00Z")),
    )
    .await;
    assert_eq!(before.iter().map(Vec::len).sum::<usize>(), 117);

    // An employment changed by the update is bumped too; untouched ones are not.
    fake.set_now("2026-03-02T08:00:00Z");
    fake.update_employee(&ids_all[7], |e| {
        e.employments.push(MergeEmployment {
            job_title: Some("Principal Engineer".into()),
            effective_date: Some("2026-03-02T00:00:00Z".into()),
            employment_type: Some("FULL_TIME".into()),
            ..Default::default()
        })
    });
    let jobs = get(
        &origin,
        &format!(
            "/api/hris/v1/employments?modified_after={}",
            enc("2026-03-02T00:00:00Z")
        ),
    )
    .await;
    let jobs = jobs.body["results"].as_array().unwrap().clone();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0]["job_title"], "Principal Engineer");
    assert_eq!(jobs[0]["employee"], ids_all[7].as_str());
}

#[tokio::test]
async fn expand_returns_objects_and_ids_otherwise() {
    let fake = FakeMerge::new(KEY, TOKEN).with_employees(30);
    let (origin, _h) = start(&fake).await;

    let plain = get(&origin, "/api/hris/v1/employees?page_size=30").await;
    let e = &plain.body["results"][20];
    assert!(e["groups"][0].is_string());
    assert!(e["team"].is_string());
    assert!(e["work_location"].is_string());
    assert!(e["employments"][0].is_string());
    assert!(e["manager"].is_string());
    assert!(e["ssn"].is_null() && e["remote_data"].is_null());

    let expanded = get(
        &origin,
        "/api/hris/v1/employees?page_size=30&expand=groups,team,work_location,home_location,employments,manager,company,pay_group",
    )
    .await;
    let x = &expanded.body["results"][20];
    assert_eq!(x["id"], e["id"]);
    assert_eq!(x["groups"][0]["id"], e["groups"][0]);
    assert!(x["groups"][0]["type"].is_string());
    assert_eq!(x["team"]["id"], e["team"]);
    assert_eq!(x["work_location"]["location_type"], "WORK");
    assert_eq!(x["home_location"]["location_type"], "HOME");
    assert_eq!(x["employments"][0]["employee"], e["id"]);
    assert!(x["employments"][0]["job_title"].is_string());
    assert_eq!(x["manager"]["id"], e["manager"]);
    assert!(
        x["manager"]["groups"][0].is_string(),
        "nested objects are not expanded further"
    );
    assert_eq!(x["company"]["display_name"], "Acme Corporation");
    assert!(x["pay_group"]["pay_group_name"].is_string());

    // Repeated expand parameters are merged; unknown names are refused.
    let repeated = get(
        &origin,
        "/api/hris/v1/employees?page_size=1&expand=groups&expand=team",
    )
    .await;
    assert!(repeated.body["results"][0]["groups"][0].is_object());
    assert!(repeated.body["results"][0]["team"].is_object());
    let unknown = get(&origin, "/api/hris/v1/employees?expand=groups,%20team").await;
    assert_eq!(unknown.status, 400);

    // Sensitive fields and remote data only on request.
    let full = get(&origin, "/api/hris/v1/employees?page_size=30&include_sensitive_fields=true&include_remote_data=true").await;
    let results = full.body["results"].as_array().unwrap();
    assert!(results.iter().any(|e| e["ssn"].is_string()));
    assert!(results[0]["remote_data"][0]["path"].is_string());
}

#[tokio::test]
async fn bad_credentials_get_401() {
    let fake = FakeMerge::new(KEY, TOKEN).with_employees(3);
    let (origin, _h) = start(&fake).await;
    let path = "/api/hris/v1/employees";
    let bearer = format!("Bearer {KEY}");

    let wrong_key = get_with(
        &origin,
        path,
        &[("Authorization", "Bearer nope"), ("X-Account-Token", TOKEN)],
    )
    .await;
    assert_eq!(wrong_key.status, 401);
    assert!(wrong_key.body["detail"].is_string());
    assert!(wrong_key.headers.contains_key("www-authenticate"));

    let wrong_token = get_with(
        &origin,
        path,
        &[("Authorization", &bearer), ("X-Account-Token", "nope")],
    )
    .await;
    assert_eq!(wrong_token.status, 401);
    assert!(wrong_token.body["detail"].is_string());

    let no_token = get_with(&origin, path, &[("Authorization", &bearer)]).await;
    assert_eq!(no_token.status, 401);
    let no_auth = get_with(&origin, path, &[("X-Account-Token", TOKEN)]).await;
    assert_eq!(no_auth.status, 401);
    let not_bearer = get_with(
        &origin,
        path,
        &[("Authorization", KEY), ("X-Account-Token", TOKEN)],
    )
    .await;
    assert_eq!(not_bearer.status, 401);

    for other in [
        "/api/hris/v1/groups",
        "/api/hris/v1/sync-status",
        "/api/hris/v1/employees/x",
    ] {
        assert_eq!(
            get_with(&origin, other, &[("X-Account-Token", TOKEN)])
                .await
                .status,
            401,
            "{other}"
        );
    }
    assert_eq!(get(&origin, path).await.status, 200);
    assert_eq!(fake.request_count(), 9);
}

#[tokio::test]
async fn forced_429_carries_retry_after() {
    let fake = FakeMerge::new(KEY, TOKEN).with_employees(3);
    let (origin, _h) = start(&fake).await;
    fake.fail_next_with_429(7);
    let r = get(&origin, "/api/hris/v1/employees").await;
    assert_eq!(r.status, 429);
    assert_eq!(r.headers.get("retry-after").map(String::as_str), Some("7"));
    assert_eq!(
        r.body["detail"],
        "Request was throttled. Expected available in 7 seconds."
    );
    assert_eq!(get(&origin, "/api/hris/v1/employees").await.status, 200);
}

#[tokio::test]
async fn rate_limit_per_account_token() {
    let fake = FakeMerge::new(KEY, TOKEN).with_employees(3);
    fake.set_rate_limit_per_minute(5);
    let (origin, _h) = start(&fake).await;
    for i in 0..5 {
        assert_eq!(
            get(&origin, "/api/hris/v1/employees").await.status,
            200,
            "request {i}"
        );
    }
    let r = get(&origin, "/api/hris/v1/groups").await;
    assert_eq!(r.status, 429);
    let wait: u64 = r
        .headers
        .get("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    // Throttled requests do not count; a higher limit lets requests through again.
    fake.set_rate_limit_per_minute(6);
    assert_eq!(get(&origin, "/api/hris/v1/employees").await.status, 200);
    assert_eq!(get(&origin, "/api/hris/v1/employees").await.status, 429);
    fake.set_rate_limit_per_minute(0);
    assert_eq!(get(&origin, "/api/hris/v1/employees").await.status, 200);
    assert_eq!(fake.request_count(), 9);
}

#[tokio::test]
async fn deleted_employees_only_with_include_deleted_data() {
    let fake = FakeMerge::new(KEY, TOKEN).with_employees(10);
    let gone = fake.employee_ids()[4].clone();
    assert!(fake.delete_employee(&gone));
    let (origin, _h) = start(&fake).await;

    let default = get(&origin, "/api/hris/v1/employees").await;
    let listed = ids(default.body["results"].as_array().unwrap());
    assert_eq!(listed.len(), 9);
    assert!(!listed.contains(&gone));

    let with = get(&origin, "/api/hris/v1/employees?include_deleted_data=true").await;
    let results = with.body["results"].as_array().unwrap();
    assert_eq!(results.len(), 10);
    let deleted = results.iter().find(|e| e["id"] == gone.as_str()).unwrap();
    assert_eq!(deleted["remote_was_deleted"], true);

    // Retrieving by id still works.
    let one = get(&origin, &format!("/api/hris/v1/employees/{gone}")).await;
    assert_eq!(one.status, 200);
    assert_eq!(one.body["remote_was_deleted"], true);
}

#[tokio::test]
async fn filters_retrieve_and_other_models() {
    let fake = FakeMerge::new(KEY, TOKEN).with_employees(200);
    let id = fake.add_employee(MergeEmployee {
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        work_email: Some("ada@acme-corp.example".into()),
        employment_status: Some("PENDING".into()),
        start_date: Some("2026-12-01T00:00:00Z".into()),
        employments: vec![MergeEmployment {
            job_title: Some("Analyst".into()),
            ..Default::default()
        }],
        ..Default::default()
    });
    let (origin, _h) = start(&fake).await;

    let one = get(&origin, &format!("/api/hris/v1/employees/{id}")).await;
    assert_eq!(one.status, 200);
    assert_eq!(one.body["display_full_name"], "Ada Lovelace");
    assert!(one.body["remote_id"].is_string());
    assert_eq!(
        get(&origin, "/api/hris/v1/employees/no-such-id")
            .await
            .status,
        404
    );

    let by_email = get(
        &origin,
        "/api/hris/v1/employees?work_email=ada%40acme-corp.example",
    )
    .await;
    assert_eq!(
        ids(by_email.body["results"].as_array().unwrap()),
        vec![id.clone()]
    );
    let remote = one.body["remote_id"].as_str().unwrap();
    let by_remote = get(
        &origin,
        &format!("/api/hris/v1/employees?remote_id={}", enc(remote)),
    )
    .await;
    assert_eq!(
        ids(by_remote.body["results"].as_array().unwrap()),
        vec![id.clone()]
    );

    let mut counts = HashMap::new();
    for status in ["ACTIVE", "PENDING", "INACTIVE"] {
        let pages = all_pages(
            &origin,
            "/api/hris/v1/employees",
            &format!("employment_status={status}"),
        )
        .await;
        for e in pages.concat() {
            assert_eq!(e["employment_status"], status);
        }
        counts.insert(status, pages.iter().map(Vec::len).sum::<usize>());
    }
    assert_eq!(counts.values().sum::<usize>(), 201);
    assert!(
        counts["PENDING"] > 1 && counts["INACTIVE"] > 1,
        "{counts:?}"
    );
    assert_eq!(
        get(&origin, "/api/hris/v1/employees?employment_status=FIRED")
            .await
            .status,
        400
    );

    let groups = get(&origin, "/api/hris/v1/groups?page_size=100").await.body["results"]
        .as_array()
        .unwrap()
        .clone();
    let names: HashSet<&str> = groups.iter().filter_map(|g| g["name"].as_str()).collect();
    for dept in ["Engineering", "Sales", "Finance", "People", "IT"] {
        assert!(names.contains(dept), "{dept}");
    }
    let depts = get(&origin, "/api/hris/v1/groups?types=DEPARTMENT")
        .await
        .body["results"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(depts, 9);

    let offices = get(&origin, "/api/hris/v1/locations?location_type=WORK")
        .await
        .body["results"]
        .as_array()
        .unwrap()
        .clone();
    let countries: HashSet<&str> = offices
        .iter()
        .filter_map(|l| l["country"].as_str())
        .collect();
    assert!(countries.len() >= 5, "{countries:?}");

    let jobs = all_pages(&origin, "/api/hris/v1/employments", "expand=employee")
        .await
        .concat();
    assert!(jobs.len() > 201);
    assert!(jobs[0]["employee"]["id"].is_string());
    let teams = get(&origin, "/api/hris/v1/teams?expand=parent_team")
        .await
        .body["results"]
        .as_array()
        .unwrap()
        .clone();
    assert!(teams.iter().any(|t| t["parent_team"].is_object()));
    assert_eq!(
        get(&origin, "/api/hris/v1/companies").await.body["results"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    fake.set_sync_status("Employee", "SYNCING", false);
    let sync = get(&origin, "/api/hris/v1/sync-status").await;
    let rows = sync.body["results"].as_array().unwrap();
    let emp = rows.iter().find(|r| r["model_name"] == "Employee").unwrap();
    assert_eq!(emp["status"], "SYNCING");
    assert_eq!(emp["model_id"], "hris.Employee");
    // Every change made so far is before last_sync_finished.
    let finished = emp["last_sync_finished"].as_str().unwrap();
    let upto = all_pages(
        &origin,
        "/api/hris/v1/employees",
        &format!("modified_before={}", enc(finished)),
    )
    .await;
    assert_eq!(upto.iter().map(Vec::len).sum::<usize>(), 201);

    let account = get(&origin, "/api/hris/v1/account-details").await;
    assert_eq!(account.body["category"], "hris");
}

#[tokio::test]
async fn seeding_is_deterministic() {
    let a = FakeMerge::new(KEY, TOKEN).with_employees(60);
    let b = FakeMerge::new(KEY, TOKEN).with_employees(60);
    let c = FakeMerge::new(KEY, TOKEN).with_employees(90);
    let ids = a.employee_ids();
    assert_eq!(ids, b.employee_ids());
    assert_eq!(&c.employee_ids()[..60], &ids[..]);
    for id in &ids {
        let (x, y) = (a.employee(id).unwrap(), b.employee(id).unwrap());
        assert_eq!(x, y);
        if x.employment_status.as_deref() != Some("PENDING") {
            assert_eq!(Some(x), c.employee(id));
        }
    }
}

/// Pages through a big account with a light client (ids only), timing it.
async fn page_through(n: usize) {
    #[derive(serde::Deserialize)]
    struct Id {
        id: String,
    }
    #[derive(serde::Deserialize)]
    struct PageIds {
        next: Option<String>,
        results: Vec<Id>,
    }
    let t0 = std::time::Instant::now();
    let fake = FakeMerge::new(KEY, TOKEN).with_employees(n);
    fake.set_rate_limit_per_minute(0);
    let seeded = t0.elapsed();
    let (origin, _h) = start(&fake).await;
    let addr = origin.strip_prefix("http://").unwrap().to_string();
    let t1 = std::time::Instant::now();
    let mut seen = HashSet::new();
    let mut pages = 0;
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            None => "/api/hris/v1/employees?page_size=100".to_string(),
            Some(c) => format!("/api/hris/v1/employees?page_size=100&cursor={}", enc(c)),
        };
        let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {KEY}\r\nX-Account-Token: {TOKEN}\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(req.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.unwrap();
        assert!(
            raw.starts_with(b"HTTP/1.1 200"),
            "{}",
            String::from_utf8_lossy(&raw[..200.min(raw.len())])
        );
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let page: PageIds = serde_json::from_slice(&raw[split + 4..]).unwrap();
        pages += 1;
        for e in page.results {
            assert!(seen.insert(e.id), "an employee was listed twice");
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, n.div_ceil(100));
    assert_eq!(seen.len(), n);
    eprintln!(
        "seeded {n} employees in {seeded:?}; paged through them in {:?}",
        t1.elapsed()
    );
}

#[tokio::test]
async fn pages_through_20k_employees() {
    page_through(20_000).await;
}

/// The benchmark's size: 100,000 employees, 1,000 pages of 100. Slow in a debug build;
/// `cargo test -p tenure-fakes --release -- --ignored --nocapture` to time it.
#[tokio::test]
#[ignore]
async fn pages_through_100k_employees() {
    page_through(100_000).await;
}
