//! The fake host, and the SDK's helpers run against it.

#![cfg(not(target_arch = "wasm32"))]

use serde_json::json;
use tenure_sdk::http;
use tenure_sdk::jwt::JwtBearer;
use tenure_sdk::oauth::{ClientAuth, ClientCredentials, TokenSource};
use tenure_sdk::testing::{FakeHost, Level, Method, Reply, jwt_claims};
use tenure_sdk::{Error, kv, log, settings, time};

const MANIFEST: &str = r#"
id = "example"
name = "Example"
version = "0.1.0"
world = "app-connector"
allowed_hosts = ["https://api.example.com", "https://*.example.net", "{base_url}"]

[[settings]]
key = "base_url"
label = "Tenant URL"
kind = "url"
default = "https://tenant.example.org/api"

[[settings]]
key = "api_key"
label = "API key"
kind = "secret"
required = true

[[settings]]
key = "service_account"
label = "Service account key"
kind = "signing-key"
"#;

#[test]
#[should_panic(expected = "no fake host is installed")]
fn host_calls_without_a_fake_host_say_how_to_get_one() {
    let _ = settings::config("x");
}

#[test]
fn settings_follow_the_manifest() {
    let host = FakeHost::new()
        .with_manifest(MANIFEST)
        .secret("api_key", "k-1")
        .signing_key("service_account", Some("svc@p.iam.gserviceaccount.com"));
    assert_eq!(
        settings::config("base_url").as_deref(),
        Some("https://tenant.example.org/api")
    );
    assert_eq!(settings::secret("api_key").as_deref(), Some("k-1"));
    // The host never hands a secret or a signing key to `config`, nor a key to `secret`.
    assert_eq!(settings::config("api_key"), None);
    assert_eq!(settings::secret("service_account"), None);
    assert_eq!(settings::config("undeclared"), None);
    assert!(host.logged("does not declare"));
    host.set_config("base_url", Some("https://other.example.org"));
    assert_eq!(
        settings::config("base_url").as_deref(),
        Some("https://other.example.org")
    );
    host.set_secret("api_key", None);
    assert!(matches!(
        settings::required_secret("api_key"),
        Err(Error::Unauthorized(m)) if m.contains("api_key")
    ));
}

#[test]
#[should_panic(expected = "not secret")]
fn setting_a_secret_the_manifest_calls_a_url_fails_the_test() {
    let _host = FakeHost::new()
        .with_manifest(MANIFEST)
        .secret("base_url", "x");
}

#[test]
#[should_panic(expected = "cannot have a default")]
fn a_manifest_the_host_would_refuse_fails_the_test() {
    let bad = MANIFEST.replace("required = true", "default = \"k\"");
    let _host = FakeHost::new().with_manifest(&bad);
}

#[test]
fn requests_outside_the_allowlist_are_denied_with_the_fix() {
    let host = FakeHost::new().with_manifest(MANIFEST);
    host.on_prefix(Method::Get, "https://")
        .reply(Reply::status(204));
    for ok in [
        "https://api.example.com/v1",
        "https://eu.example.net/x",
        "https://tenant.example.org/other/path",
    ] {
        assert!(http::get(ok).send().is_ok(), "{ok}");
    }
    let e = http::get("https://evil.example/steal").send().unwrap_err();
    let Error::Other(m) = e else { panic!("{e:?}") };
    assert!(
        m.contains("add \"https://evil.example\" to allowed_hosts"),
        "{m}"
    );
    assert!(http::get("https://example.net/").send().is_err());
    assert!(http::get("http://api.example.com/").send().is_err());
    assert_eq!(host.requests().len(), 6);
}

#[test]
fn routes_answer_in_order_and_record_requests() {
    let host = FakeHost::new();
    host.on(Method::Get, "https://api.example.com/v1/users?limit=2")
        .once()
        .reply(Reply::status(503));
    host.on(Method::Get, "https://api.example.com/v1/users?limit=2")
        .reply(Reply::json(200, &json!([{"id": 1}])));
    host.on_prefix(Method::Post, "https://api.example.com/v1/users")
        .reply_with(|req| {
            let body: serde_json::Value = req.json();
            Reply::json(201, &json!({"id": 2, "email": body["email"]}))
        });

    let list = || http::get("https://api.example.com/v1/users").query("limit", "2");
    assert!(matches!(list().send(), Err(Error::Unavailable(_))));
    let users: Vec<serde_json::Value> = list().send().unwrap().json().unwrap();
    assert_eq!(users, vec![json!({"id": 1})]);
    let created: serde_json::Value = http::post("https://api.example.com/v1/users")
        .bearer("tok-1")
        .json(&json!({"email": "ada@example.com"}))
        .unwrap()
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(created["email"], "ada@example.com");

    let sent = host.last_request();
    assert_eq!(sent.method, Method::Post);
    assert_eq!(sent.header("Authorization"), Some("Bearer tok-1"));
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(sent.json::<serde_json::Value>()["email"], "ada@example.com");
    assert_eq!(host.requests()[0].query("limit").as_deref(), Some("2"));
    assert_eq!(
        host.requests_to(Method::Get, "https://api.example.com/v1/users")
            .len(),
        2
    );
}

#[test]
fn an_unscripted_request_fails_the_test_listing_what_was_asked() {
    let host = FakeHost::new();
    host.on(Method::Get, "https://api.example.com/a")
        .reply(Reply::status(200));
    let asked = std::panic::catch_unwind(|| {
        let _ = http::delete("https://api.example.com/users/7").send();
    })
    .unwrap_err();
    let msg = asked.downcast_ref::<String>().unwrap();
    assert!(
        msg.contains("no scripted answer for DELETE https://api.example.com/users/7"),
        "{msg}"
    );
    assert!(msg.contains("GET https://api.example.com/a"), "{msg}");
    assert!(msg.contains("host.on(Method::Delete"), "{msg}");
}

#[test]
fn json_keeps_a_content_type_set_before_and_reports_what_does_not_serialize() {
    let _host = FakeHost::new();
    let scim = http::post("https://x.example/Users")
        .header("Content-Type", "application/scim+json")
        .json(&json!({"userName": "ada"}))
        .unwrap();
    let url = scim.url();
    assert_eq!(url, "https://x.example/Users");
    let host = FakeHost::new();
    host.on_prefix(Method::Post, "https://x.example/")
        .reply(Reply::status(201));
    scim.send().unwrap();
    assert_eq!(
        host.last_request().header("content-type"),
        Some("application/scim+json")
    );

    let mut odd = std::collections::HashMap::new();
    odd.insert((1, 2), "a map with tuple keys is no JSON object");
    let e = http::post("https://x.example/").json(&odd).unwrap_err();
    assert!(matches!(e, Error::Other(m) if m.contains("does not serialize")));
}

#[test]
fn statuses_and_transport_failures_map_to_the_contracts_errors() {
    let host = FakeHost::new();
    let at = |p: &str| format!("https://api.example.com/{p}");
    host.on(Method::Get, &at("401"))
        .reply(Reply::json(401, &json!({"message": "bad key"})));
    host.on(Method::Get, &at("403")).reply(Reply::status(403));
    host.on(Method::Get, &at("429"))
        .reply(Reply::status(429).header("Retry-After", "17"));
    host.on(Method::Get, &at("429-date"))
        .reply(Reply::status(429).header("retry-after", "Wed, 01 Jan 2025 00:02:00 GMT"));
    host.on(Method::Get, &at("429-reset"))
        .reply(Reply::status(429).header("x-ratelimit-reset", "1735689630"));
    host.on(Method::Get, &at("429-bare"))
        .reply(Reply::status(429));
    host.on(Method::Get, &at("500"))
        .reply(Reply::text(500, "oops"));
    host.on(Method::Get, &at("408")).reply(Reply::status(408));
    host.on(Method::Get, &at("422")).reply(Reply::status(422));
    host.on(Method::Get, &at("409")).reply(Reply::status(409));
    host.on(Method::Get, &at("timeout")).reply(Reply::timeout());
    host.on(Method::Get, &at("reset"))
        .reply(Reply::transport("connection reset"));
    let get = |p: &str| http::get(&at(p)).send().unwrap_err();
    assert_eq!(get("401"), Error::Unauthorized("HTTP 401: bad key".into()));
    assert!(matches!(get("403"), Error::Unauthorized(_)));
    assert_eq!(get("429"), Error::RateLimited(17));
    assert_eq!(get("429-date"), Error::RateLimited(120));
    assert_eq!(get("429-reset"), Error::RateLimited(30));
    assert_eq!(get("429-bare"), Error::RateLimited(60));
    assert_eq!(get("500"), Error::Unavailable("HTTP 500: oops".into()));
    assert!(matches!(get("408"), Error::Unavailable(_)));
    assert!(matches!(get("422"), Error::InvalidInput(_)));
    assert!(matches!(get("409"), Error::Conflict(_)));
    assert!(matches!(get("timeout"), Error::Unavailable(_)));
    assert!(matches!(get("reset"), Error::Unavailable(m) if m == "connection reset"));
}

#[test]
fn errors_never_repeat_the_requests_credentials() {
    let host = FakeHost::new();
    host.on_prefix(Method::Get, "https://api.example.com/")
        .reply(Reply::json(
            401,
            &json!({"message": "token tok-SECRET-1 is revoked; key k-SECRET-2 unknown"}),
        ));
    host.on_prefix(Method::Post, "https://api.example.com/")
        .reply(Reply::text(400, "bad password pw-SECRET-3 for ada"));
    let e = http::get("https://api.example.com/me")
        .bearer("tok-SECRET-1")
        .query("api_key", "k-SECRET-2")
        .send()
        .unwrap_err();
    let Error::Unauthorized(m) = e else { panic!() };
    assert!(!m.contains("SECRET"), "{m}");
    assert!(m.contains("[redacted]"), "{m}");
    let e = http::post("https://api.example.com/login")
        .basic("ada", "pw-SECRET-3")
        .send()
        .unwrap_err();
    assert!(!e.to_string().contains("SECRET"), "{e}");
}

fn creds(token_url: &str) -> ClientCredentials<'_> {
    ClientCredentials {
        token_url,
        client_id: "client-1",
        client_secret: "s3cret-value",
        scope: None,
        auth: ClientAuth::Basic,
        method: Method::Post,
    }
}

#[test]
fn client_credentials_are_cached_until_shortly_before_expiry() {
    let host = FakeHost::new();
    let token_url = "https://auth.example.com/token";
    host.on(Method::Post, token_url).once().reply(Reply::json(
        200,
        &json!({"access_token": "t1", "expires_in": "3600"}),
    ));
    host.on(Method::Post, token_url).reply(Reply::json(
        200,
        &json!({"access_token": "t2", "expires_in": 3600}),
    ));
    assert_eq!(creds(token_url).token().unwrap(), "t1");
    assert_eq!(creds(token_url).token().unwrap(), "t1");
    let req = host.requests_to(Method::Post, token_url).remove(0);
    assert_eq!(
        req.form("grant_type").as_deref(),
        Some("client_credentials")
    );
    assert!(req.header("authorization").unwrap().starts_with("Basic "));
    host.advance(3540);
    assert_eq!(creds(token_url).token().unwrap(), "t2");
    assert_eq!(host.requests().len(), 2);
}

#[test]
fn a_401_drops_the_cached_token_and_retries_once() {
    let host = FakeHost::new();
    let token_url = "https://auth.example.com/token";
    host.kv_set(
        "oauth-token:https://auth.example.com/token:client-1:",
        br#"{"token":"stale"}"#,
        Some(600),
    );
    host.on(Method::Post, token_url)
        .reply(Reply::json(200, &json!({"access_token": "fresh"})));
    host.on(Method::Get, "https://api.example.com/me")
        .once()
        .reply(Reply::status(401));
    host.on(Method::Get, "https://api.example.com/me")
        .reply(Reply::json(200, &json!({"ok": true})));
    let resp = creds(token_url)
        .send(|t| http::get("https://api.example.com/me").bearer(t))
        .unwrap();
    assert_eq!(resp.status, 200);
    let sent = host.requests_to(Method::Get, "https://api.example.com/me");
    assert_eq!(sent[0].header("authorization"), Some("Bearer stale"));
    assert_eq!(sent[1].header("authorization"), Some("Bearer fresh"));
}

#[test]
fn a_refused_client_is_unauthorized_without_its_secret() {
    let host = FakeHost::new();
    host.on(Method::Post, "https://auth.example.com/token")
        .reply(Reply::json(400, &json!({"error": "invalid_client", "error_description": "secret s3cret-value is wrong"})));
    let e = creds("https://auth.example.com/token").token().unwrap_err();
    let Error::Unauthorized(m) = e else {
        panic!("{e:?}")
    };
    assert!(m.contains("HTTP 400") && !m.contains("s3cret-value"), "{m}");
}

#[test]
fn jwt_bearer_signs_in_the_host_and_caches_the_token() {
    let host = FakeHost::new()
        .with_manifest(MANIFEST)
        .signing_key("service_account", Some("svc@p.iam.gserviceaccount.com"));
    host.set_now("2025-06-01T12:00:00Z");
    let google = JwtBearer::google(
        "service_account",
        "https://www.googleapis.com/auth/admin.directory.user",
        Some("admin@example.com"),
    );
    // Google's token endpoint is not in this manifest's allowed hosts.
    let e = google.token().unwrap_err();
    assert!(
        matches!(&e, Error::Other(m) if m.contains("oauth2.googleapis.com")),
        "{e:?}"
    );

    let manifest = MANIFEST.replace(
        "\"{base_url}\"]",
        "\"{base_url}\", \"https://oauth2.googleapis.com\"]",
    );
    let host = FakeHost::new()
        .with_manifest(&manifest)
        .signing_key("service_account", Some("svc@p.iam.gserviceaccount.com"));
    host.set_now("2025-06-01T12:00:00Z");
    host.on(Method::Post, tenure_sdk::jwt::GOOGLE_TOKEN_URL)
        .reply(Reply::json(
            200,
            &json!({"access_token": "ya29.x", "expires_in": 3599}),
        ));
    assert_eq!(google.token().unwrap(), "ya29.x");
    assert_eq!(google.token().unwrap(), "ya29.x");
    let reqs = host.requests();
    assert_eq!(reqs.len(), 1, "the second token came from the cache");
    assert_eq!(
        reqs[0].form("grant_type").as_deref(),
        Some("urn:ietf:params:oauth:grant-type:jwt-bearer")
    );
    let claims = jwt_claims(&reqs[0].form("assertion").unwrap());
    let iat = time::parse_rfc3339("2025-06-01T12:00:00Z").unwrap();
    assert_eq!(
        claims,
        json!({
            "iss": "svc@p.iam.gserviceaccount.com",
            "scope": "https://www.googleapis.com/auth/admin.directory.user",
            "sub": "admin@example.com",
            "aud": "https://oauth2.googleapis.com/token",
            "iat": iat,
            "exp": iat + 3600,
        })
    );
}

#[test]
fn a_missing_signing_key_is_unauthorized() {
    let _host = FakeHost::new().with_manifest(MANIFEST);
    let e = tenure_sdk::jwt::sign("service_account", &serde_json::Map::new()).unwrap_err();
    assert!(matches!(e, Error::Unauthorized(m) if m.contains("service_account")));
    assert_eq!(tenure_sdk::jwt::identity("service_account"), None);
}

#[test]
fn kv_entries_expire_on_the_fake_clock_and_oversized_writes_are_dropped() {
    let host = FakeHost::new();
    kv::set("a", b"1", Some(60));
    kv::set("b", b"2", None);
    assert!(kv::set_json("c", &json!({"x": 1}), None));
    assert_eq!(kv::get("a").as_deref(), Some(&b"1"[..]));
    assert_eq!(host.kv_ttl("a"), Some(60));
    host.advance(60);
    assert_eq!(kv::get("a"), None);
    assert_eq!(host.kv_keys(), vec!["b".to_string(), "c".to_string()]);
    kv::delete("b");
    assert_eq!(host.kv("b"), None);
    kv::set("big", &vec![0u8; kv::MAX_VALUE_BYTES + 1], None);
    assert_eq!(kv::get("big"), None);
    assert!(host.logged("ignored"));
    assert!(!kv::set_json("big", &"x".repeat(kv::MAX_VALUE_BYTES), None));
}

#[test]
fn the_clock_and_the_log() {
    let host = FakeHost::new();
    assert_eq!(time::now(), "2025-01-01T00:00:00Z");
    host.advance(86_400 + 61);
    assert_eq!(tenure_sdk::now(), "2025-01-02T00:01:01Z");
    assert_eq!(time::today(), "2025-01-02");
    log::warn("skipped a record");
    assert_eq!(
        host.logs(),
        vec![(Level::Warn, "skipped a record".to_string())]
    );
}

#[test]
fn debug_output_never_shows_credentials() {
    let req = http::get("https://api.example.com/x")
        .bearer("tok-SECRET-1")
        .query("api_key", "k-SECRET-2");
    let shown = format!("{req:?}");
    assert!(!shown.contains("SECRET"), "{shown}");
    let shown = format!("{:?}", creds("https://auth.example.com/token"));
    assert!(!shown.contains("s3cret-value"), "{shown}");
}
