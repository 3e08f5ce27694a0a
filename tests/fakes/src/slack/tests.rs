//! The Slack fake, over real HTTP, as a client sees it.

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::*;

const BOT: &str = "xoxb-test-bot";
const ADMIN: &str = "xoxp-test-admin";

struct Resp {
    status: u16,
    retry_after: Option<String>,
    body: Value,
}

/// One HTTP/1.1 request with `Connection: close`.
async fn send(
    origin: &str,
    method: &str,
    path: &str,
    token: &str,
    ctype: &str,
    body: &str,
) -> Resp {
    let addr = origin.strip_prefix("http://").unwrap();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: {ctype}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let retry_after = head.lines().find_map(|l| {
        l.to_ascii_lowercase()
            .strip_prefix("retry-after: ")
            .map(str::to_string)
    });
    let body = serde_json::from_slice(&raw[split + 4..]).unwrap_or(Value::Null);
    Resp {
        status,
        retry_after,
        body,
    }
}

/// A Web API call with `token` and a form body: the whole answer.
async fn web_as(origin: &str, method: &str, token: &str, form: &str) -> Resp {
    send(
        origin,
        "POST",
        &format!("/api/{method}"),
        token,
        "application/x-www-form-urlencoded",
        form,
    )
    .await
}

/// A Web API call as the bot: the JSON answer.
async fn web(origin: &str, method: &str, form: &str) -> Value {
    web_as(origin, method, BOT, form).await.body
}

async fn scim(origin: &str, method: &str, path: &str, body: Value) -> Resp {
    send(
        origin,
        method,
        &format!("/scim/v2/{path}"),
        ADMIN,
        "application/scim+json",
        &body.to_string(),
    )
    .await
}

#[tokio::test]
async fn tokens_are_checked() {
    let fake = FakeSlack::new(BOT, ADMIN);
    let (origin, _h) = fake.clone().serve(0).await.unwrap();
    let r = web_as(&origin, "auth.test", "xoxb-wrong", "").await;
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (200, Some("invalid_auth"))
    );
    assert_eq!(web(&origin, "auth.test", "").await["user_id"], BOT_USER_ID);
    let r = send(
        &origin,
        "GET",
        "/scim/v2/Users",
        BOT,
        "application/json",
        "",
    )
    .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body["Errors"]["code"], 401);
}

#[tokio::test]
async fn channels_page_and_private_ones_need_the_bot() {
    let fake = FakeSlack::new(BOT, ADMIN);
    for i in 0..5 {
        fake.add_channel(&format!("team-{i}"), false, false);
    }
    let secret = fake.add_channel("secret", true, false);
    let mine = fake.add_channel("eng-private", true, true);
    let old = fake.add_channel("old", false, true);
    fake.archive_channel(&old);
    let (origin, _h) = fake.clone().serve(0).await.unwrap();

    let mut seen = Vec::new();
    let mut cursor = String::new();
    for _ in 0..10 {
        let page = web(
            &origin,
            "conversations.list",
            &format!("types=public_channel%2Cprivate_channel&exclude_archived=true&limit=2&cursor={cursor}"),
        )
        .await;
        assert_eq!(page["ok"], true, "{page}");
        for c in page["channels"].as_array().unwrap() {
            seen.push(c["id"].as_str().unwrap().to_string());
        }
        cursor = page["response_metadata"]["next_cursor"]
            .as_str()
            .unwrap()
            .to_string();
        if cursor.is_empty() {
            break;
        }
    }
    assert_eq!(seen.len(), 6);
    assert!(seen.contains(&mine) && !seen.contains(&secret) && !seen.contains(&old));
    let bad = web(&origin, "conversations.list", "cursor=bm9wZQ").await;
    assert_eq!(bad["error"], "invalid_cursor");
}

#[tokio::test]
async fn invite_and_kick_follow_slacks_codes() {
    let fake = FakeSlack::new(BOT, ADMIN);
    let eng = fake.add_channel("eng", false, true);
    let lonely = fake.add_channel("lonely", false, false);
    let secret = fake.add_channel("secret", true, false);
    let ada = fake.add_user("ada@example.com", "Ada", "Lovelace");
    let (origin, _h) = fake.clone().serve(0).await.unwrap();

    let invite = |c: &str| format!("channel={c}&users={ada}");
    assert_eq!(
        web(&origin, "conversations.invite", &invite(&eng)).await["ok"],
        true
    );
    assert_eq!(
        fake.channel_members(&eng),
        vec![BOT_USER_ID.to_string(), ada.clone()]
    );
    assert_eq!(
        web(&origin, "conversations.invite", &invite(&eng)).await["error"],
        "already_in_channel"
    );
    assert_eq!(
        web(&origin, "conversations.invite", &invite(&lonely)).await["error"],
        "not_in_channel"
    );
    assert_eq!(
        web(&origin, "conversations.invite", &invite(&secret)).await["error"],
        "channel_not_found"
    );
    assert_eq!(
        web(
            &origin,
            "conversations.invite",
            &format!("channel={eng}&users=U404")
        )
        .await["error"],
        "user_not_found"
    );

    let mine = web(
        &origin,
        "users.conversations",
        &format!("user={ada}&types=public_channel%2Cprivate_channel"),
    )
    .await;
    assert_eq!(mine["channels"][0]["id"], eng.as_str());

    let kick = format!("channel={eng}&user={ada}");
    assert_eq!(web(&origin, "conversations.kick", &kick).await["ok"], true);
    assert_eq!(
        web(&origin, "conversations.kick", &kick).await["error"],
        "not_in_channel"
    );
    // A JSON body works as well as a form.
    let r = send(
        &origin,
        "POST",
        "/api/conversations.invite",
        BOT,
        "application/json; charset=utf-8",
        &json!({"channel": eng, "users": ada}).to_string(),
    )
    .await;
    assert_eq!(r.body["ok"], true);
}

#[tokio::test]
async fn rate_limits_come_as_429_or_as_ok_false() {
    let fake = FakeSlack::new(BOT, ADMIN);
    let (origin, _h) = fake.clone().serve(0).await.unwrap();
    fake.rate_limit_next(1, true);
    let r = web_as(&origin, "auth.test", BOT, "").await;
    assert_eq!((r.status, r.retry_after.as_deref()), (429, Some("1")));
    assert_eq!(r.body["error"], "ratelimited");
    fake.rate_limit_next(1, false);
    let r = web_as(&origin, "auth.test", BOT, "").await;
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (200, Some("ratelimited"))
    );
    assert_eq!(web(&origin, "auth.test", "").await["ok"], true);
}

#[tokio::test]
async fn scim_users_are_created_found_deactivated_and_reactivated() {
    let fake = FakeSlack::new(BOT, ADMIN);
    let (origin, _h) = fake.clone().serve(0).await.unwrap();
    let body = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "ada",
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [{"value": "ada@example.com", "primary": true}]});
    let made = scim(&origin, "POST", "Users", body.clone()).await;
    assert_eq!(made.status, 201);
    let id = made.body["id"].as_str().unwrap().to_string();
    assert_eq!(scim(&origin, "POST", "Users", body).await.status, 409);

    let found = scim(
        &origin,
        "GET",
        "Users?filter=email%20eq%20%22ADA%40example.com%22",
        json!(null),
    )
    .await;
    assert_eq!(found.body["totalResults"], 1);
    assert_eq!(found.body["Resources"][0]["id"], id.as_str());

    assert_eq!(
        scim(&origin, "DELETE", &format!("Users/{id}"), json!(null))
            .await
            .status,
        204
    );
    assert_eq!(fake.user_active(&id), Some(false));
    assert_eq!(
        web(&origin, "users.lookupByEmail", "email=ada%40example.com").await["error"],
        "users_not_found"
    );
    let patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": true}]});
    assert_eq!(
        scim(&origin, "PATCH", &format!("Users/{id}"), patch)
            .await
            .status,
        200
    );
    assert_eq!(fake.user_active(&id), Some(true));
    assert_eq!(
        web(&origin, "users.lookupByEmail", "email=ada%40example.com").await["user"]["id"],
        id.as_str()
    );

    let page = scim(&origin, "GET", "Users?startIndex=2&count=1", json!(null)).await;
    assert_eq!(
        (
            page.body["totalResults"].as_u64(),
            page.body["itemsPerPage"].as_u64()
        ),
        (Some(2), Some(1))
    );

    fake.set_scim(false);
    let r = scim(&origin, "GET", "Users", json!(null)).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.body["Errors"]["code"], 403);
}
