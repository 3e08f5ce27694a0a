//! The TriNet fake, over real HTTP, as a client sees it.

use std::collections::{HashMap, HashSet};

use base64::Engine as _;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::*;

const COMPANY: &str = "ACME01";
const CLIENT: &str = "test-client";
const SECRET: &str = "test-secret";

struct Resp {
    status: u16,
    headers: HashMap<String, String>,
    body: Value,
}

/// A minimal HTTP/1.1 request, enough to see exactly what the fake sends.
async fn request(method: &str, origin: &str, path: &str, headers: &[(&str, &str)]) -> Resp {
    let addr = origin.strip_prefix("http://").expect("http origin");
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if method == "POST" {
        req.push_str("Content-Length: 0\r\n");
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let body = &raw[split + 4..];
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let body = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(body).expect("JSON body")
    };
    Resp {
        status,
        headers,
        body,
    }
}

fn basic(id: &str, secret: &str) -> String {
    let raw = format!("{id}:{secret}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

async fn token_for(origin: &str, id: &str, secret: &str) -> Resp {
    let auth = basic(id, secret);
    request(
        "GET",
        origin,
        "/oauth/accesstoken?grant_type=client_credentials",
        &[("Authorization", &auth)],
    )
    .await
}

async fn token(origin: &str) -> String {
    let r = token_for(origin, CLIENT, SECRET).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["access_token"].as_str().unwrap().to_string()
}

async fn api(origin: &str, token: &str, path: &str) -> Resp {
    let auth = format!("Bearer {token}");
    request("GET", origin, path, &[("Authorization", &auth)]).await
}

async fn start(fake: &FakeTriNet) -> (String, ServerHandle) {
    fake.clone().serve(0).await.expect("serve")
}

fn list(r: &Resp) -> &Vec<Value> {
    r.body["data"]["employeeData"]
        .as_array()
        .expect("employeeData")
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|e| e["employeeId"].as_str().unwrap().to_string())
        .collect()
}

fn faultstring(r: &Resp) -> &str {
    r.body["fault"]["faultstring"].as_str().unwrap_or("")
}

#[tokio::test]
async fn token_endpoint_checks_basic_auth_and_answers_like_trinet() {
    let fake = FakeTriNet::new(COMPANY, CLIENT, SECRET);
    let (origin, _h) = start(&fake).await;

    let ok = token_for(&origin, CLIENT, SECRET).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body["token_type"], "BearerToken");
    assert_eq!(
        ok.body["expires_in"], "3599",
        "a string, as TriNet sends it"
    );
    assert_eq!(ok.body["client_id"], CLIENT);
    assert!(
        ok.body["issued_at"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .is_ok()
    );
    let t = ok.body["access_token"].as_str().unwrap();
    assert_eq!(t.len(), 28);
    assert!(t.bytes().all(|b| b.is_ascii_alphanumeric()));
    let again = token(&origin).await;
    assert_ne!(again, t, "every request issues a new token");

    let wrong_secret = token_for(&origin, CLIENT, "nope").await;
    assert_eq!(wrong_secret.status, 401);
    assert_eq!(wrong_secret.body["ErrorCode"], "invalid_client");
    let wrong_id = token_for(&origin, "someone", SECRET).await;
    assert_eq!(wrong_id.status, 401);
    assert_eq!(wrong_id.body["Error"], "ClientId is Invalid");

    let anonymous = request(
        "GET",
        &origin,
        "/oauth/accesstoken?grant_type=client_credentials",
        &[],
    )
    .await;
    assert_eq!(anonymous.status, 401);
    let auth = basic(CLIENT, SECRET);
    let no_grant = request(
        "GET",
        &origin,
        "/oauth/accesstoken",
        &[("Authorization", &auth)],
    )
    .await;
    assert_eq!(no_grant.status, 400);
    let other_grant = request(
        "GET",
        &origin,
        "/oauth/accesstoken?grant_type=password",
        &[("Authorization", &auth)],
    )
    .await;
    assert_eq!(other_grant.status, 400);
    assert_eq!(other_grant.body["ErrorCode"], "unsupported_grant_type");
    let post = request(
        "POST",
        &origin,
        "/oauth/accesstoken?grant_type=client_credentials",
        &[("Authorization", &auth)],
    )
    .await;
    assert_eq!(post.status, 200);

    assert_eq!(fake.token_request_count(), 8);
    assert_eq!(fake.request_count(), 0, "token requests are counted apart");
}

#[tokio::test]
async fn api_needs_a_live_token_for_its_own_company() {
    let fake = FakeTriNet::new(COMPANY, CLIENT, SECRET).with_employees(3);
    fake.set_now("2026-06-01T12:00:00Z");
    let (origin, _h) = start(&fake).await;
    let path = format!("/v1/company/{COMPANY}/employees");

    let none = request("GET", &origin, &path, &[]).await;
    assert_eq!(none.status, 401);
    assert_eq!(faultstring(&none), "Invalid access token");
    let bogus = api(&origin, "not-a-token", &path).await;
    assert_eq!(bogus.status, 401);

    let t = token(&origin).await;
    assert_eq!(api(&origin, &t, &path).await.status, 200);
    let other = api(&origin, &t, "/v1/company/OTHER/employees").await;
    assert_eq!(other.status, 403);
    assert!(faultstring(&other).contains("OTHER"));

    // Tokens live expires_in seconds by the fake's clock.
    fake.set_now("2026-06-01T12:59:58Z");
    assert_eq!(api(&origin, &t, &path).await.status, 200);
    fake.set_now("2026-06-01T12:59:59Z");
    let expired = api(&origin, &t, &path).await;
    assert_eq!(expired.status, 401);
    assert_eq!(faultstring(&expired), "Access Token expired");

    // A shorter lifetime applies to tokens issued afterwards; revoking kills them all.
    fake.set_token_expires_in(10);
    let short = token_for(&origin, CLIENT, SECRET).await;
    assert_eq!(short.body["expires_in"], "10");
    let t2 = short.body["access_token"].as_str().unwrap().to_string();
    assert_eq!(api(&origin, &t2, &path).await.status, 200);
    fake.revoke_tokens();
    assert_eq!(api(&origin, &t2, &path).await.status, 401);

    assert_eq!(fake.request_count(), 8);
}

#[tokio::test]
async fn employees_page_with_limit_and_offset() {
    let fake = FakeTriNet::new(COMPANY, CLIENT, SECRET).with_employees(250);
    let (origin, _h) = start(&fake).await;
    let t = token(&origin).await;

    let mut seen = Vec::new();
    let mut offset = 0;
    let mut sizes = Vec::new();
    loop {
        let r = api(
            &origin,
            &t,
            &format!("/v1/company/{COMPANY}/employees?viewType=All&limit=100&offset={offset}"),
        )
        .await;
        assert_eq!(r.status, 200);
        let page = list(&r);
        sizes.push(page.len());
        seen.extend(ids(page));
        offset += page.len();
        if !r.body["data"]["hasMore"].as_bool().unwrap() {
            break;
        }
    }
    assert_eq!(sizes, vec![100, 100, 50]);
    assert_eq!(
        seen,
        fake.employee_ids(),
        "every employee once, in id order"
    );
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 250);
    assert_eq!(fake.employee_list_offsets(), vec![0, 100, 200]);

    // No limit: 100; too large: clamped; past the end: empty.
    let r = api(&origin, &t, &format!("/v1/company/{COMPANY}/employees")).await;
    assert_eq!(list(&r).len(), 100);
    assert_eq!(r.body["data"]["hasMore"], true);
    let r = api(
        &origin,
        &t,
        &format!("/v1/company/{COMPANY}/employees?limit=1000"),
    )
    .await;
    assert_eq!(list(&r).len(), 100);
    let r = api(
        &origin,
        &t,
        &format!("/v1/company/{COMPANY}/employees?offset=900"),
    )
    .await;
    assert!(list(&r).is_empty());
    assert_eq!(r.body["data"]["hasMore"], false);
    // Bad numbers and views are refused.
    for q in ["limit=ten", "offset=-1", "viewType=Everything"] {
        let r = api(&origin, &t, &format!("/v1/company/{COMPANY}/employees?{q}")).await;
        assert_eq!(r.status, 400, "{q}");
        assert!(r.body["message"].as_str().is_some());
    }
    // A status filter.
    let r = api(
        &origin,
        &t,
        &format!("/v1/company/{COMPANY}/employees?employmentStatus=T,U&limit=100"),
    )
    .await;
    let left = list(&r);
    assert!(!left.is_empty());
    assert!(left.iter().all(|e| {
        let s = e["employmentInfo"]["employmentStatus"].as_str().unwrap();
        s == "T" || s == "U"
    }));
}

#[tokio::test]
async fn the_two_views_follow_trinets_templates() {
    let fake = FakeTriNet::new(COMPANY, CLIENT, SECRET).with_employees(40);
    let (origin, _h) = start(&fake).await;
    let t = token(&origin).await;
    let terminated = fake
        .employee_ids()
        .into_iter()
        .find(|id| fake.employee(id).unwrap().employment_status == "T")
        .unwrap();
    let e = fake.employee(&terminated).unwrap();

    let basic = api(
        &origin,
        &t,
        &format!("/v1/company/{COMPANY}/employees/{terminated}"),
    )
    .await;
    let info = &basic.body["data"]["employmentInfo"];
    assert_eq!(info["departmentId"].as_str(), e.department_id.as_deref());
    assert_eq!(info["locationId"].as_str(), e.location_id.as_deref());
    assert_eq!(info["supervisorId"].as_str(), e.supervisor_id.as_deref());
    assert!(info.get("terminationDate").is_none());

    let all = api(
        &origin,
        &t,
        &format!("/v1/company/{COMPANY}/employees/{terminated}?viewType=All"),
    )
    .await;
    let info = &all.body["data"]["employmentInfo"];
    let dept = fake
        .department(e.department_id.as_deref().unwrap())
        .unwrap();
    assert_eq!(info["department"]["deptId"], dept.id.as_str());
    assert_eq!(info["department"]["deptName"], dept.name.as_str());
    assert_eq!(
        info["location"]["locationId"].as_str(),
        e.location_id.as_deref()
    );
    assert_eq!(
        info["supervisor"]["supervisorId"].as_str(),
        e.supervisor_id.as_deref()
    );
    assert_eq!(
        info["terminationDate"].as_str(),
        e.termination_date.as_deref()
    );
    assert_eq!(info["employmentStatus"], "T");
    let names = all.body["data"]["names"].as_array().unwrap();
    assert_eq!(names[0]["nameType"], "PRI");

    let missing = api(&origin, &t, &format!("/v1/company/{COMPANY}/employees/999")).await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn departments_and_locations() {
    let fake = FakeTriNet::new(COMPANY, CLIENT, SECRET).with_employees(1);
    let (origin, _h) = start(&fake).await;
    let t = token(&origin).await;
    let d = api(&origin, &t, &format!("/v1/company/{COMPANY}/departments")).await;
    let d = d.body["data"].as_array().unwrap();
    assert_eq!(d.len(), 8);
    assert!(
        d.iter()
            .any(|x| x["deptId"] == "D110" && x["deptName"] == "Engineering")
    );
    let l = api(&origin, &t, &format!("/v1/company/{COMPANY}/locations")).await;
    let l = l.body["data"].as_array().unwrap();
    assert!(
        l.iter()
            .any(|x| x["locationId"] == "SF01" && x["state"] == "CA" && x["country"] == "USA")
    );
    assert!(l.iter().any(|x| x["country"] == "GBR"));

    fake.add_department(TriNetDepartment {
        id: "D110".into(),
        name: "R&D".into(),
    });
    let d = api(&origin, &t, &format!("/v1/company/{COMPANY}/departments")).await;
    assert!(
        d.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["deptId"] == "D110" && x["deptName"] == "R&D")
    );

    let unknown = api(&origin, &t, "/v2/whatever").await;
    assert_eq!(unknown.status, 404);
    assert!(faultstring(&unknown).contains("Unable to identify proxy"));
}

#[tokio::test]
async fn forced_429_carries_retry_after() {
    let fake = FakeTriNet::new(COMPANY, CLIENT, SECRET).with_employees(2);
    let (origin, _h) = start(&fake).await;
    let t = token(&origin).await;
    fake.fail_next_with_429(17);
    fake.fail_next_with_429(3);
    let path = format!("/v1/company/{COMPANY}/employees");
    let r = api(&origin, &t, &path).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.headers.get("retry-after").map(String::as_str), Some("17"));
    assert!(faultstring(&r).contains("Spike arrest"));
    assert_eq!(api(&origin, &t, &path).await.status, 429);
    assert_eq!(api(&origin, &t, &path).await.status, 200);
    // Token requests are not throttled, and a request that fails auth does not use up
    // a forced 429.
    fake.fail_next_with_429(5);
    assert_eq!(api(&origin, "bad", &path).await.status, 401);
    assert_eq!(token_for(&origin, CLIENT, SECRET).await.status, 200);
    assert_eq!(api(&origin, &t, &path).await.status, 429);
}

#[tokio::test]
async fn adding_and_changing_employees() {
    let fake = FakeTriNet::new(COMPANY, CLIENT, SECRET).with_employees(5);
    let (origin, _h) = start(&fake).await;
    let t = token(&origin).await;
    let id = fake.add_employee(TriNetEmployee {
        names: vec![TriNetName {
            first_name: "Nia".into(),
            last_name: "New".into(),
            name_type: "PRI".into(),
            ..Default::default()
        }],
        employment_status: "A".into(),
        service_date: Some("2030-01-06".into()),
        ..Default::default()
    });
    assert_eq!(id, "00100006");
    assert!(fake.update_employee(&id, |e| e.employment_status = "X".into()));
    assert!(!fake.update_employee("nobody", |_| {}));
    let r = api(
        &origin,
        &t,
        &format!("/v1/company/{COMPANY}/employees?viewType=All"),
    )
    .await;
    let last = list(&r).last().unwrap().clone();
    assert_eq!(last["employeeId"], id.as_str());
    assert_eq!(last["employmentInfo"]["employmentStatus"], "X");
    assert_eq!(last["employmentInfo"]["serviceDate"], "2030-01-06");
    assert_eq!(last["employmentInfo"]["department"], Value::Null);
}

#[test]
fn seeding_is_deterministic_and_varied() {
    let big = FakeTriNet::new(COMPANY, CLIENT, SECRET).with_employees(400);
    let small = FakeTriNet::new(COMPANY, CLIENT, SECRET).with_employees(60);
    for id in small.employee_ids() {
        assert_eq!(small.employee(&id), big.employee(&id), "{id}");
    }
    let all: Vec<TriNetEmployee> = big
        .employee_ids()
        .iter()
        .map(|id| big.employee(id).unwrap())
        .collect();
    let count = |s: &str| all.iter().filter(|e| e.employment_status == s).count();
    for s in ["A", "T", "U", "L", "P", "S", "D"] {
        assert!(count(s) > 0, "status {s}");
    }
    assert!(count("A") > 260);
    let today = time::OffsetDateTime::now_utc().date();
    let today = format!(
        "{:04}-{:02}-{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    let pending = all
        .iter()
        .filter(|e| e.employment_status == "A" && e.service_date.as_deref() > Some(today.as_str()))
        .count();
    assert!(pending >= 15, "early-published new hires: {pending}");
    for e in &all {
        let left = matches!(e.employment_status.as_str(), "T" | "U" | "D");
        assert_eq!(e.termination_date.is_some(), left, "{}", e.employee_id);
        if let (Some(t), Some(s)) = (&e.termination_date, &e.service_date) {
            assert!(t > s);
            assert!(
                t.as_str() < today.as_str(),
                "terminations show after the fact"
            );
        }
        assert!(e.primary_name().is_some());
        assert!(
            big.department(e.department_id.as_deref().unwrap())
                .is_some()
        );
        assert!(big.location(e.location_id.as_deref().unwrap()).is_some());
        if let Some(boss) = &e.supervisor_id {
            assert!(big.employee(boss).is_some());
        }
    }
    assert!(all.iter().filter(|e| e.preferred_name().is_some()).count() > 20);
    let emails: HashSet<_> = all.iter().map(|e| e.work_email.clone()).collect();
    assert_eq!(emails.len(), all.len(), "work emails are unique");
    let depts: HashSet<_> = all.iter().map(|e| e.department_id.clone()).collect();
    assert_eq!(depts.len(), 8);
    let offices: HashSet<_> = all.iter().map(|e| e.location_id.clone()).collect();
    assert_eq!(offices.len(), 8);
    assert_eq!(all[0].supervisor_id, None, "the CEO reports to no one");
}
