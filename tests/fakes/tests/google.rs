//! The Google Workspace fake, over real HTTP, as a client sees it.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD as B64URL};
use common::{Body, Resp, send};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use serde_json::{Value, json};
use tenure_fakes::ServerHandle;
use tenure_fakes::google::{
    DRIVE_APPLICATION_ID, FakeGoogle, TEST_SERVICE_ACCOUNT_EMAIL, TEST_SERVICE_ACCOUNT_JSON,
};

const DOMAIN: &str = "acme.example";
const ADMIN: &str = "admin@acme.example";
const GOOGLE_TOKEN_URL: &str = "https://oauth2.googleapis.com/token";
const USER: &str = "https://www.googleapis.com/auth/admin.directory.user";
const USER_SECURITY: &str = "https://www.googleapis.com/auth/admin.directory.user.security";
const DATATRANSFER: &str = "https://www.googleapis.com/auth/admin.datatransfer";

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Signs claims with the test service account's key, as google-auth does.
fn sign(claims: &Value) -> String {
    let sa: Value = serde_json::from_str(TEST_SERVICE_ACCOUNT_JSON).unwrap();
    let pem = sa["private_key"].as_str().unwrap();
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let pair = RsaKeyPair::from_pkcs8(&B64.decode(b64).unwrap()).unwrap();
    let header = json!({ "alg": "RS256", "typ": "JWT", "kid": sa["private_key_id"] });
    let msg = format!(
        "{}.{}",
        B64URL.encode(header.to_string()),
        B64URL.encode(claims.to_string())
    );
    let mut sig = vec![0; pair.public().modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        msg.as_bytes(),
        &mut sig,
    )
    .unwrap();
    format!("{msg}.{}", B64URL.encode(sig))
}

fn claims(sub: &str, scope: &str) -> Value {
    let iat = now();
    json!({
        "iss": TEST_SERVICE_ACCOUNT_EMAIL,
        "sub": sub,
        "scope": scope,
        "aud": GOOGLE_TOKEN_URL,
        "iat": iat,
        "exp": iat + 3600,
    })
}

async fn token_request(origin: &str, assertion: &str) -> Resp {
    let form = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        ("assertion", assertion),
    ];
    send(origin, "POST", "/token", &[], Body::Form(&form)).await
}

async fn token_for(origin: &str, sub: &str, scope: &str) -> String {
    let r = token_request(origin, &sign(&claims(sub, scope))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["access_token"].as_str().unwrap().to_string()
}

struct Running {
    fake: FakeGoogle,
    origin: String,
    token: String,
    _handle: ServerHandle,
}

async fn start(fake: FakeGoogle) -> Running {
    let (origin, handle) = fake.clone().serve(0).await.unwrap();
    let scopes = format!(
        "{USER} {USER_SECURITY} {DATATRANSFER} https://www.googleapis.com/auth/admin.directory.group.member"
    );
    let token = token_for(&origin, ADMIN, &scopes).await;
    Running {
        fake,
        origin,
        token,
        _handle: handle,
    }
}

impl Running {
    async fn call_as(&self, token: &str, method: &str, path: &str, body: Option<Value>) -> Resp {
        let auth = format!("Bearer {token}");
        let body = body.unwrap_or(Value::Null);
        let b = if body.is_null() {
            Body::None
        } else {
            Body::Json(&body)
        };
        send(
            &self.origin,
            method,
            path,
            &[("Authorization", auth.as_str())],
            b,
        )
        .await
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        self.call_as(&self.token, method, path, body).await
    }

    async fn insert(&self, local: &str) -> Resp {
        self.call(
            "POST",
            "/admin/directory/v1/users",
            Some(json!({
                "primaryEmail": format!("{local}@{DOMAIN}"),
                "name": { "givenName": "New", "familyName": "Hire" },
                "password": "Welcome-2026!",
                "changePasswordAtNextLogin": true,
            })),
        )
        .await
    }
}

fn assert_google_error(r: &Resp, status: u16, reason: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.body["error"]["code"], status, "{}", r.body);
    assert_eq!(r.body["error"]["errors"][0]["reason"], reason, "{}", r.body);
}

#[tokio::test]
async fn the_token_endpoint_verifies_the_assertion() {
    let fake = FakeGoogle::new(DOMAIN, ADMIN).with_users(3);
    let (origin, _h) = fake.clone().serve(0).await.unwrap();
    let good = claims(ADMIN, USER);
    let r = token_request(&origin, &sign(&good)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["token_type"], "Bearer");
    assert!(
        r.body["access_token"]
            .as_str()
            .unwrap()
            .starts_with("ya29.")
    );

    // A changed claim breaks the signature.
    let jwt = sign(&good);
    let mut parts: Vec<String> = jwt.split('.').map(str::to_string).collect();
    parts[1] = B64URL.encode(claims("user0001@acme.example", USER).to_string());
    let r = token_request(&origin, &parts.join(".")).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.body,
        json!({ "error": "invalid_grant", "error_description": "Invalid JWT Signature." })
    );

    let invalid_grant = |r: &Resp| {
        assert_eq!(r.status, 400, "{}", r.body);
        assert_eq!(r.body["error"], "invalid_grant", "{}", r.body);
    };
    let mut c = good.clone();
    c["aud"] = json!("https://example.com/token");
    invalid_grant(&token_request(&origin, &sign(&c)).await);
    let mut c = good.clone();
    c["aud"] = json!(format!("{origin}/token"));
    assert_eq!(token_request(&origin, &sign(&c)).await.status, 200);
    let mut c = good.clone();
    c["exp"] = json!(now() + 7200);
    invalid_grant(&token_request(&origin, &sign(&c)).await);
    let mut c = good.clone();
    c["iat"] = json!(now() - 7200);
    c["exp"] = json!(now() - 3600);
    invalid_grant(&token_request(&origin, &sign(&c)).await);
    let mut c = good.clone();
    c["iss"] = json!("someone@else.iam.gserviceaccount.com");
    invalid_grant(&token_request(&origin, &sign(&c)).await);
    invalid_grant(&token_request(&origin, &sign(&claims("nobody@acme.example", USER))).await);

    let r = token_request(&origin, &sign(&claims(ADMIN, ""))).await;
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (400, Some("invalid_scope"))
    );
    fake.set_delegated_scopes(&[USER]);
    let r = token_request(&origin, &sign(&claims(ADMIN, USER_SECURITY))).await;
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (401, Some("unauthorized_client"))
    );

    // The key is deleted: nothing verifies until a key is trusted again.
    fake.revoke_key();
    let r = token_request(&origin, &sign(&good)).await;
    assert_eq!(r.body["error_description"], "Invalid JWT Signature.");
    fake.set_service_account_json(TEST_SERVICE_ACCOUNT_JSON)
        .unwrap();
    assert_eq!(token_request(&origin, &sign(&good)).await.status, 200);

    // A strict audience.
    let strict =
        FakeGoogle::new(DOMAIN, ADMIN).with_token_audience("https://tokens.acme.example/token");
    let (strict_origin, _s) = strict.serve(0).await.unwrap();
    invalid_grant(&token_request(&strict_origin, &sign(&good)).await);
}

#[tokio::test]
async fn calls_need_a_token_the_scope_and_an_admin() {
    let g = start(FakeGoogle::new(DOMAIN, ADMIN).with_users(2)).await;
    let r = send(
        &g.origin,
        "GET",
        "/admin/directory/v1/users/user0001@acme.example",
        &[],
        Body::None,
    )
    .await;
    assert_google_error(&r, 401, "required");
    let r = g
        .call_as(
            "ya29.made-up",
            "GET",
            "/admin/directory/v1/users/user0001@acme.example",
            None,
        )
        .await;
    assert_google_error(&r, 401, "authError");

    let user_only = token_for(&g.origin, ADMIN, USER).await;
    let r = g
        .call_as(
            &user_only,
            "POST",
            "/admin/directory/v1/users/user0001@acme.example/signOut",
            None,
        )
        .await;
    assert_google_error(&r, 403, "insufficientPermissions");
    assert_eq!(
        r.body["error"]["message"],
        "Request had insufficient authentication scopes."
    );
    let r = g
        .call_as(
            &user_only,
            "GET",
            "/admin/datatransfer/v1/applications",
            None,
        )
        .await;
    assert_google_error(&r, 403, "insufficientPermissions");

    // A user who is no admin gets a token, and then 403.
    let not_admin = token_for(&g.origin, "user0002@acme.example", USER).await;
    let r = g
        .call_as(
            &not_admin,
            "GET",
            "/admin/directory/v1/users/user0001@acme.example",
            None,
        )
        .await;
    assert_google_error(&r, 403, "forbidden");

    g.fake.revoke_tokens();
    let r = g
        .call(
            "GET",
            "/admin/directory/v1/users/user0001@acme.example",
            None,
        )
        .await;
    assert_google_error(&r, 401, "authError");
}

#[tokio::test]
async fn inserting_a_user_and_the_errors_of_users() {
    let g = start(FakeGoogle::new(DOMAIN, ADMIN)).await;
    let r = g.insert("ada").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["kind"], "admin#directory#user");
    let id = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 21);
    assert_eq!(r.body["name"]["fullName"], "New Hire");
    assert_eq!(r.body["suspended"], false);
    assert_eq!(r.body["orgUnitPath"], "/");
    assert!(r.body.get("password").is_none());

    let r = g.insert("ADA").await;
    assert_eq!(r.status, 409);
    assert_eq!(
        r.body,
        json!({"error": {"errors": [{"domain": "global", "reason": "duplicate",
            "message": "Entity already exists."}], "code": 409, "message": "Entity already exists."}})
    );
    let r = g
        .call("GET", "/admin/directory/v1/users/nobody@acme.example", None)
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.body,
        json!({"error": {"code": 404, "message": "Resource Not Found: userKey",
            "errors": [{"message": "Resource Not Found: userKey", "domain": "global", "reason": "notFound"}]}})
    );
    let r = g
        .call(
            "POST",
            "/admin/directory/v1/users",
            Some(json!({ "primaryEmail": "x@acme.example", "name": { "givenName": "X" }, "password": "Welcome-2026!" })),
        )
        .await;
    assert_google_error(&r, 400, "invalid");
    let r = g
        .call(
            "POST",
            "/admin/directory/v1/users",
            Some(json!({ "primaryEmail": "x@other.example", "name": { "givenName": "X", "familyName": "Y" }, "password": "Welcome-2026!" })),
        )
        .await;
    assert_google_error(&r, 403, "forbidden");

    let u = g.fake.user("Ada@Acme.example").unwrap();
    assert_eq!(u.id, id);
    assert_eq!(u.password, "Welcome-2026!");
    assert!(u.change_password_at_next_login);
    assert_eq!(g.fake.user(&id).unwrap().primary_email, "ada@acme.example");
}

#[tokio::test]
async fn suspending_moving_signing_out_and_deleting() {
    let g = start(FakeGoogle::new(DOMAIN, ADMIN)).await;
    let id = g.insert("leaver").await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = g
        .call(
            "PATCH",
            &format!("/admin/directory/v1/users/{id}"),
            Some(json!({ "suspended": true, "orgUnitPath": "/Leavers" })),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["suspended"], true);
    assert_eq!(r.body["suspensionReason"], "ADMIN");
    let r = g
        .call(
            "PUT",
            "/admin/directory/v1/users/leaver@acme.example",
            Some(json!({ "password": "Another-2026!", "changePasswordAtNextLogin": false })),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["orgUnitPath"], "/Leavers");
    for _ in 0..3 {
        let r = g
            .call(
                "POST",
                "/admin/directory/v1/users/leaver@acme.example/signOut",
                None,
            )
            .await;
        assert_eq!((r.status, &r.body), (204, &Value::Null));
    }
    let u = g.fake.user(&id).unwrap();
    assert!(u.suspended);
    assert_eq!(u.org_unit_path, "/Leavers");
    assert_eq!(u.password, "Another-2026!");
    assert!(!u.change_password_at_next_login);
    assert_eq!(u.sign_out_count, 3);

    let r = g
        .call("DELETE", &format!("/admin/directory/v1/users/{id}"), None)
        .await;
    assert_eq!(r.status, 204);
    assert!(g.fake.user(&id).is_none());
}

#[tokio::test]
async fn users_page_by_page_token() {
    let g = start(FakeGoogle::new(DOMAIN, ADMIN).with_users(250)).await;
    let mut path = "/admin/directory/v1/users?customer=my_customer&maxResults=100".to_string();
    let mut sizes = Vec::new();
    let mut emails = Vec::new();
    loop {
        let r = g.call("GET", &path, None).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["kind"], "admin#directory#users");
        let users = r.body["users"].as_array().unwrap();
        sizes.push(users.len());
        emails.extend(
            users
                .iter()
                .map(|u| u["primaryEmail"].as_str().unwrap().to_string()),
        );
        match r.body["nextPageToken"].as_str() {
            Some(t) => {
                path = format!(
                    "/admin/directory/v1/users?customer=my_customer&maxResults=100&pageToken={}",
                    common::encode(t)
                )
            }
            None => break,
        }
    }
    assert_eq!(sizes, vec![100, 100, 51]);
    let mut sorted = emails.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(emails, sorted);

    let r = g
        .call(
            "GET",
            "/admin/directory/v1/users?customer=my_customer&maxResults=501",
            None,
        )
        .await;
    assert_google_error(&r, 400, "invalidParameter");
    let r = g
        .call("GET", "/admin/directory/v1/users?maxResults=5", None)
        .await;
    assert_google_error(&r, 400, "badRequest");
    let q = common::encode("email:USER0042@acme.example");
    let r = g
        .call(
            "GET",
            &format!("/admin/directory/v1/users?customer=my_customer&query={q}"),
            None,
        )
        .await;
    assert_eq!(r.body["users"].as_array().unwrap().len(), 1);
    let q = common::encode("email:nobody@acme.example");
    let r = g
        .call(
            "GET",
            &format!("/admin/directory/v1/users?customer=my_customer&query={q}"),
            None,
        )
        .await;
    assert!(r.body.get("users").is_none(), "{}", r.body);
}

#[tokio::test]
async fn group_members() {
    let g = start(FakeGoogle::new(DOMAIN, ADMIN).with_users(1)).await;
    g.fake.add_group("staff@acme.example", "Staff");
    let add = "/admin/directory/v1/groups/staff@acme.example/members";
    let body = json!({ "email": "user0001@acme.example", "role": "MEMBER" });
    let r = g.call("POST", add, Some(body.clone())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["kind"], "admin#directory#member");
    let r = g.call("POST", add, Some(body)).await;
    assert_google_error(&r, 409, "duplicate");
    assert_eq!(r.body["error"]["message"], "Member already exists.");
    assert_eq!(
        g.fake.group_members("staff@acme.example"),
        vec!["user0001@acme.example"]
    );
    let has = "/admin/directory/v1/groups/staff@acme.example/hasMember/user0001@acme.example";
    assert_eq!(
        g.call("GET", has, None).await.body,
        json!({ "isMember": true })
    );
    // Listing groups takes the group scope, which the member scope is not.
    let groups = "/admin/directory/v1/groups?userKey=user0001@acme.example";
    assert_google_error(
        &g.call("GET", groups, None).await,
        403,
        "insufficientPermissions",
    );
    let group_token = token_for(
        &g.origin,
        ADMIN,
        "https://www.googleapis.com/auth/admin.directory.group.readonly",
    )
    .await;
    let r = g.call_as(&group_token, "GET", groups, None).await;
    assert_eq!(r.body["groups"][0]["email"], "staff@acme.example");
    let del = "/admin/directory/v1/groups/staff@acme.example/members/user0001@acme.example";
    assert_eq!(g.call("DELETE", del, None).await.status, 204);
    assert_google_error(&g.call("DELETE", del, None).await, 404, "notFound");
    let r = g
        .call(
            "POST",
            "/admin/directory/v1/groups/nope@acme.example/members",
            Some(json!({ "email": "x@acme.example" })),
        )
        .await;
    assert_google_error(&r, 404, "notFound");
}

#[tokio::test]
async fn data_transfers_take_user_ids_and_complete_after_polls() {
    let g = start(FakeGoogle::new(DOMAIN, ADMIN).with_users(1)).await;
    let old = g.fake.user("user0001@acme.example").unwrap().id;
    let new = g.fake.user(ADMIN).unwrap().id;
    let body = |old: &str, new: &str| {
        json!({
            "oldOwnerUserId": old,
            "newOwnerUserId": new,
            "applicationDataTransfers": [{
                "applicationId": DRIVE_APPLICATION_ID,
                "applicationTransferParams": [{ "key": "PRIVACY_LEVEL", "value": ["PRIVATE", "SHARED"] }],
            }],
        })
    };
    let r = g
        .call(
            "POST",
            "/admin/datatransfer/v1/transfers",
            Some(body("user0001@acme.example", ADMIN)),
        )
        .await;
    assert_google_error(&r, 400, "invalid");
    let r = g
        .call(
            "POST",
            "/admin/datatransfer/v1/transfers",
            Some(body(&old, &old)),
        )
        .await;
    assert_google_error(&r, 400, "invalid");

    g.fake.set_transfer_polls(2);
    let r = g
        .call(
            "POST",
            "/admin/datatransfer/v1/transfers",
            Some(body(&old, &new)),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["overallTransferStatusCode"], "inProgress");
    let id = r.body["id"].as_str().unwrap().to_string();
    let mut seen = Vec::new();
    for _ in 0..3 {
        let r = g
            .call(
                "GET",
                &format!("/admin/datatransfer/v1/transfers/{id}"),
                None,
            )
            .await;
        seen.push(
            r.body["overallTransferStatusCode"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(seen, ["inProgress", "inProgress", "completed"]);
    let t = &g.fake.transfers()[0];
    assert_eq!(
        (t.old_owner_user_id.as_str(), t.new_owner_user_id.as_str()),
        (old.as_str(), new.as_str())
    );
    assert_eq!(
        t.applications[0].params,
        vec![(
            "PRIVACY_LEVEL".to_string(),
            vec!["PRIVATE".to_string(), "SHARED".to_string()]
        )]
    );
    assert_eq!(t.status, "completed");
    let r = g
        .call("GET", "/admin/datatransfer/v1/applications", None)
        .await;
    assert_eq!(r.body["applications"].as_array().unwrap().len(), 2);
}

async fn statuses(g: &Running, n: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(
            g.call("GET", &format!("/admin/directory/v1/users/{ADMIN}"), None)
                .await
                .status,
        );
    }
    out
}

#[tokio::test]
async fn injected_faults_are_deterministic_and_quota_is_403() {
    let a = start(FakeGoogle::new(DOMAIN, ADMIN).with_faults(0.4)).await;
    let b = start(FakeGoogle::new(DOMAIN, ADMIN).with_faults(0.4)).await;
    let (sa, sb) = (statuses(&a, 60).await, statuses(&b, 60).await);
    assert_eq!(sa, sb);
    assert!(sa.contains(&403) && sa.contains(&503), "{sa:?}");
    assert_eq!(
        a.fake.faults_injected(),
        sa.iter().filter(|s| **s != 200).count()
    );
    let mut created = 0;
    for i in 0..20 {
        let r = a.insert(&format!("u{i}")).await;
        match r.status {
            200 => created += 1,
            403 => {
                assert_google_error(&r, 403, "userRateLimitExceeded");
                assert_eq!(r.body["error"]["errors"][0]["domain"], "usageLimits");
            }
            503 => assert_google_error(&r, 503, "backendError"),
            s => panic!("{s}"),
        }
    }
    assert_eq!(a.fake.user_count(), created + 1);

    let limited =
        start(FakeGoogle::new(DOMAIN, ADMIN).with_rate_limit(2, Duration::from_secs(100))).await;
    assert_eq!(statuses(&limited, 3).await, vec![200, 200, 403]);
    let r = limited
        .call("GET", &format!("/admin/directory/v1/users/{ADMIN}"), None)
        .await;
    assert_google_error(&r, 403, "userRateLimitExceeded");
}
