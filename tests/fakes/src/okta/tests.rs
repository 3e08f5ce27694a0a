//! The Okta fake over real HTTP, as a client sees it.

#[path = "../../tests/common/mod.rs"]
mod common;

use common::{Body, Resp, send};
use serde_json::{Value, json};

use super::*;

const TOKEN: &str = "00test-api-token";

fn ssws() -> [(&'static str, &'static str); 1] {
    [("Authorization", "SSWS 00test-api-token")]
}

async fn get(origin: &str, path: &str) -> Resp {
    send(origin, "GET", path, &ssws(), Body::None).await
}

async fn post(origin: &str, path: &str, body: &Value) -> Resp {
    send(origin, "POST", path, &ssws(), Body::Json(body)).await
}

fn new_user(login: &str) -> Value {
    json!({"profile": {"login": login, "email": login, "firstName": "Ada", "lastName": "Lovelace"}})
}

#[tokio::test]
async fn calls_need_the_api_token_and_carry_rate_limit_headers() {
    let okta = FakeOkta::new(TOKEN).start().await.unwrap();
    let r = send(
        &okta.origin,
        "GET",
        "/api/v1/users",
        &[("Authorization", "SSWS wrong")],
        Body::None,
    )
    .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body["errorCode"], "E0000011");
    assert_eq!(r.body["errorSummary"], "Invalid token provided");
    let r = get(&okta.origin, "/api/v1/users").await;
    assert_eq!(r.status, 200);
    for h in [
        "x-rate-limit-limit",
        "x-rate-limit-remaining",
        "x-rate-limit-reset",
        "x-okta-request-id",
    ] {
        assert!(r.header(h).is_some(), "{h}");
    }
}

#[tokio::test]
async fn creating_users_sets_the_status_okta_documents_and_refuses_a_taken_login() {
    let okta = FakeOkta::new(TOKEN).start().await.unwrap();
    let o = &okta.origin;
    let invited = post(o, "/api/v1/users?activate=true", &new_user("ada@acme.com")).await;
    assert_eq!(
        (invited.status, invited.body["status"].as_str()),
        (200, Some("PROVISIONED"))
    );
    assert_eq!(okta.fake.user("ada@acme.com").unwrap().activation_emails, 1);
    let mut with_password = new_user("bob@acme.com");
    with_password["credentials"] = json!({"password": {"value": "Temp-Passw0rd!"}});
    let r = post(
        o,
        "/api/v1/users?activate=true&nextLogin=changePassword",
        &with_password,
    )
    .await;
    assert_eq!(r.body["status"], "PASSWORD_EXPIRED");
    assert!(r.body["credentials"]["password"].is_object());
    assert!(r.body.to_string().find("Temp-Passw0rd!").is_none());
    let mut federated = new_user("cy@acme.com");
    federated["credentials"] = json!({"provider": {"type": "FEDERATION", "name": "FEDERATION"}});
    assert_eq!(
        post(o, "/api/v1/users?provider=true", &federated)
            .await
            .body["status"],
        "ACTIVE"
    );
    assert_eq!(
        post(o, "/api/v1/users?activate=false", &new_user("di@acme.com"))
            .await
            .body["status"],
        "STAGED"
    );
    let dup = post(o, "/api/v1/users", &new_user("ADA@acme.com")).await;
    assert_eq!(dup.status, 400);
    assert_eq!(dup.body["errorCode"], "E0000001");
    assert_eq!(
        dup.body["errorCauses"][0]["errorSummary"],
        "login: An object with this field already exists in the current organization"
    );
    let by_login = get(o, "/api/v1/users/ada%40acme.com").await;
    assert_eq!(by_login.body["id"], invited.body["id"]);
    let missing = get(o, "/api/v1/users/nobody%40acme.com").await;
    assert_eq!(
        (missing.status, missing.body["errorCode"].as_str()),
        (404, Some("E0000007"))
    );
}

#[tokio::test]
async fn users_page_by_link_and_search_finds_deactivated_users() {
    let okta = FakeOkta::new(TOKEN)
        .with_users(5, "acme.com")
        .start()
        .await
        .unwrap();
    let o = &okta.origin;
    let mut path = "/api/v1/users?limit=2".to_string();
    let mut seen = Vec::new();
    for _ in 0..5 {
        let r = get(o, &path).await;
        seen.extend(
            r.body
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["id"].as_str().unwrap().to_string()),
        );
        let link = r.header("link").unwrap().to_string();
        match link.split(", ").find(|l| l.ends_with("rel=\"next\"")) {
            Some(next) => {
                let url = next.trim_start_matches('<').split('>').next().unwrap();
                path = url.trim_start_matches(o.as_str()).to_string();
                assert!(path.contains("after="), "{path}");
            }
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    let id = seen[0].clone();
    assert_eq!(
        send(
            o,
            "DELETE",
            &format!("/api/v1/users/{id}"),
            &ssws(),
            Body::None
        )
        .await
        .status,
        204
    );
    assert_eq!(okta.fake.user_status(&id).as_deref(), Some("DEPROVISIONED"));
    assert_eq!(
        get(o, "/api/v1/users").await.body.as_array().unwrap().len(),
        4
    );
    let r = get(
        o,
        "/api/v1/users?search=profile.login%20eq%20%22USER0001%40acme.com%22",
    )
    .await;
    assert_eq!(r.body[0]["status"], "DEPROVISIONED");
}

#[tokio::test]
async fn lifecycle_follows_okta_transitions() {
    let okta = FakeOkta::new(TOKEN)
        .with_users(1, "acme.com")
        .start()
        .await
        .unwrap();
    let (o, id) = (&okta.origin, okta.fake.users()[0].id.clone());
    let op = |name: &str| format!("/api/v1/users/{id}/lifecycle/{name}");
    assert_eq!(
        post(o, &op("unsuspend"), &json!({})).await.body["errorCode"],
        "E0000001"
    );
    assert_eq!(
        send(
            o,
            "DELETE",
            &format!("/api/v1/users/{id}/sessions?oauthTokens=true"),
            &ssws(),
            Body::None
        )
        .await
        .status,
        204
    );
    assert_eq!(post(o, &op("suspend"), &json!({})).await.status, 200);
    assert_eq!(okta.fake.user_status(&id).as_deref(), Some("SUSPENDED"));
    assert_eq!(post(o, &op("suspend"), &json!({})).await.status, 400);
    assert_eq!(post(o, &op("unsuspend"), &json!({})).await.status, 200);
    assert_eq!(
        post(o, &op("activate"), &json!({})).await.body["errorCode"],
        "E0000016"
    );
    assert_eq!(post(o, &op("deactivate"), &json!({})).await.status, 200);
    assert_eq!(
        post(o, &op("activate?sendEmail=true"), &json!({}))
            .await
            .status,
        200
    );
    let u = okta.fake.user(&id).unwrap();
    assert_eq!(
        (u.status.as_str(), u.sessions_cleared, u.activation_emails),
        ("PROVISIONED", 1, 1)
    );
}

#[tokio::test]
async fn group_members_come_and_go_and_the_users_groups_page() {
    let fake = FakeOkta::new(TOKEN).with_users(1, "acme.com");
    let eng = fake.add_group("Engineering");
    fake.add_group("Engineering Leads");
    let ad = fake.add_app_group("Engineers (AD)");
    let okta = fake.start().await.unwrap();
    let (o, uid) = (&okta.origin, okta.fake.users()[0].id.clone());
    let r = get(o, "/api/v1/groups?q=engineering").await;
    assert_eq!(r.body.as_array().unwrap().len(), 2);
    let put = |g: &str| format!("/api/v1/groups/{g}/users/{uid}");
    for _ in 0..2 {
        assert_eq!(
            send(o, "PUT", &put(&eng), &ssws(), Body::None).await.status,
            204
        );
    }
    assert_eq!(
        okta.fake.group_members("Engineering"),
        vec!["user0001@acme.com"]
    );
    assert_eq!(
        send(o, "PUT", &put(&ad), &ssws(), Body::None).await.status,
        400
    );
    let mine = get(o, &format!("/api/v1/users/{uid}/groups?limit=1")).await;
    assert_eq!(mine.body[0]["profile"]["name"], "Everyone");
    assert!(mine.header("link").unwrap().contains("rel=\"next\""));
    for _ in 0..2 {
        assert_eq!(
            send(o, "DELETE", &put(&eng), &ssws(), Body::None)
                .await
                .status,
            204
        );
    }
    assert_eq!(okta.fake.user_groups(&uid), vec!["Everyone"]);
}

#[tokio::test]
async fn past_the_rate_limit_calls_get_429_until_the_reset() {
    let okta = FakeOkta::new(TOKEN)
        .with_rate_limit(2, std::time::Duration::from_secs(60))
        .start()
        .await
        .unwrap();
    let o = &okta.origin;
    assert_eq!(
        get(o, "/api/v1/users")
            .await
            .header("x-rate-limit-remaining"),
        Some("1")
    );
    assert_eq!(get(o, "/api/v1/users").await.status, 200);
    let r = get(o, "/api/v1/users").await;
    assert_eq!(
        (r.status, r.body["errorCode"].as_str()),
        (429, Some("E0000047"))
    );
    assert_eq!(r.header("x-rate-limit-remaining"), Some("0"));
    let reset: i64 = r.header("x-rate-limit-reset").unwrap().parse().unwrap();
    assert!(reset > state::now_unix() + 50, "{reset}");
}

async fn token(origin: &str, claims: &Value, scope: &str) -> Resp {
    let assertion = jwt::tests::sign(claims);
    send(
        origin,
        "POST",
        "/oauth2/v1/token",
        &[],
        Body::Form(&[
            ("grant_type", "client_credentials"),
            ("scope", scope),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", &assertion),
        ]),
    )
    .await
}

#[tokio::test]
async fn the_token_endpoint_verifies_the_signed_client_assertion() {
    let okta = FakeOkta::new(TOKEN)
        .with_test_service_app()
        .start()
        .await
        .unwrap();
    let o = &okta.origin;
    let now = state::now_unix();
    let claims = |aud: &str, jti: &str| json!({"iss": TEST_CLIENT_ID, "sub": TEST_CLIENT_ID, "aud": aud, "iat": now, "exp": now + 300, "jti": jti});
    let aud = format!("{o}/oauth2/v1/token");
    let ok = token(o, &claims(&aud, "j1"), "okta.users.read").await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let access = ok.body["access_token"].as_str().unwrap().to_string();
    let bearer = format!("Bearer {access}");
    let users = send(
        o,
        "GET",
        "/api/v1/users",
        &[("Authorization", &bearer)],
        Body::None,
    )
    .await;
    assert_eq!(users.status, 200);
    let denied = send(
        o,
        "GET",
        "/api/v1/groups",
        &[("Authorization", &bearer)],
        Body::None,
    )
    .await;
    assert_eq!(
        (denied.status, denied.body["errorCode"].as_str()),
        (403, Some("E0000006"))
    );
    let replay = token(o, &claims(&aud, "j1"), "okta.users.read").await;
    assert_eq!(
        (replay.status, replay.body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let wrong_aud = token(
        o,
        &claims("https://elsewhere/oauth2/v1/token", "j2"),
        "okta.users.read",
    )
    .await;
    assert_eq!(wrong_aud.status, 401);
    let scope = token(o, &claims(&aud, "j3"), "okta.apps.manage").await;
    assert_eq!(scope.body["error"], "invalid_scope");
}
