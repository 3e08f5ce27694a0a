//! Unit tests against the SDK's fake host, with Slack's answers as its docs give them.

use super::*;
use serde_json::{Value, json};
use tenure_sdk::testing::{self, FakeHost, Method, Reply};

const API: &str = "https://slack.com/api";
const SCIM: &str = "https://api.slack.com/scim/v2";

fn host() -> FakeHost {
    FakeHost::new()
        .with_manifest(include_str!("../manifest.toml"))
        .secret("bot_token", "xoxb-bot-token")
}

fn scim_host() -> FakeHost {
    host()
        .config("scim_enabled", "true")
        .secret("scim_token", "xoxp-admin-token")
}

fn ok(extra: Value) -> Reply {
    let mut v = json!({"ok": true});
    v.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    Reply::json(200, &v)
}

fn fail(code: &str) -> Reply {
    Reply::json(200, &json!({"ok": false, "error": code}))
}

fn channels(list: &[(&str, &str)], next: &str) -> Reply {
    let chans: Vec<Value> = list
        .iter()
        .map(|(id, name)| json!({"id": id, "name": name, "is_channel": true}))
        .collect();
    ok(json!({"channels": chans, "response_metadata": {"next_cursor": next}}))
}

fn ada() -> Person {
    testing::person("ada@example.com")
}

fn disable() -> LeaverOptions {
    LeaverOptions {
        disable: true,
        revoke_sessions: false,
        remove_entitlements: false,
        transfer_data_to: None,
        forward_mail_to: None,
        auto_reply: None,
    }
}

#[test]
fn describe_matches_the_methods_implemented() {
    testing::assert_capabilities_match::<Slack>();
}

#[test]
fn without_scim_accounts_are_a_clear_no() {
    let _host = host();
    let caps = Slack::describe();
    assert!(caps.find && caps.groups);
    assert!(!caps.provision && !caps.offboard.disable && !caps.reactivate && !caps.delete);
    assert!(matches!(
        Slack::provision(testing::provision_request(ada())),
        Err(Error::Unsupported(m)) if m.contains("SCIM")
    ));
    assert!(matches!(
        Slack::offboard("U1".into(), ada(), disable()),
        Err(Error::Unsupported(_))
    ));
}

#[test]
fn with_scim_accounts_are_offered() {
    let _host = scim_host();
    let caps = Slack::describe();
    assert!(caps.provision && caps.offboard.disable && caps.reactivate && caps.update_profile);
    assert!(!caps.delete);
}

#[test]
fn find_account_looks_the_email_up_with_the_bot_token() {
    let host = host();
    host.on(Method::Post, &format!("{API}/users.lookupByEmail"))
        .once()
        .reply(ok(json!({"user": {"id": "U1", "deleted": false, "profile": {"email": "ada@example.com"}}})));
    host.on(Method::Post, &format!("{API}/users.lookupByEmail"))
        .reply(fail("users_not_found"));
    let found = Slack::find_account(ada()).unwrap().unwrap();
    assert_eq!((found.id.as_str(), found.active), ("U1", true));
    let sent = host.last_request();
    assert_eq!(sent.form("email").as_deref(), Some("ada@example.com"));
    assert_eq!(sent.header("authorization"), Some("Bearer xoxb-bot-token"));
    assert_eq!(Slack::find_account(ada()).unwrap(), None);
}

/// Whether an error is the one expected.
type Check = fn(&Error) -> bool;

#[test]
fn web_api_errors_map_to_the_contract() {
    let host = host();
    let cases: Vec<(Reply, Check)> = vec![
        (fail("invalid_auth"), |e| {
            matches!(e, Error::Unauthorized(_))
        }),
        (fail("token_revoked"), |e| {
            matches!(e, Error::Unauthorized(_))
        }),
        (
            Reply::json(
                200,
                &json!({"ok": false, "error": "missing_scope", "needed": "users:read.email"}),
            ),
            |e| matches!(e, Error::Unauthorized(m) if m.contains("users:read.email")),
        ),
        (
            Reply::json(200, &json!({"ok": false, "error": "ratelimited"}))
                .header("retry-after", "9"),
            |e| *e == Error::RateLimited(9),
        ),
        (Reply::status(429).header("retry-after", "30"), |e| {
            *e == Error::RateLimited(30)
        }),
        (fail("internal_error"), |e| {
            matches!(e, Error::Unavailable(_))
        }),
        (Reply::status(503), |e| matches!(e, Error::Unavailable(_))),
        (
            fail("something_new"),
            |e| matches!(e, Error::Other(m) if m.contains("something_new")),
        ),
    ];
    for (reply, check) in cases {
        host.on(Method::Post, &format!("{API}/users.lookupByEmail"))
            .once()
            .reply(reply);
        let e = Slack::find_account(ada()).unwrap_err();
        assert!(check(&e), "{e:?}");
        assert!(!format!("{e:?}").contains("xoxb-bot-token"));
    }
}

#[test]
fn find_group_pages_through_channels_without_the_hash() {
    let host = host();
    host.on(Method::Post, &format!("{API}/conversations.list"))
        .reply_with(|req| match req.form("cursor").as_deref() {
            None => channels(&[("C1", "general"), ("C2", "random")], "dXNlcjpVMDYx"),
            Some("dXNlcjpVMDYx") => channels(&[("G3", "eng-private")], ""),
            Some(other) => panic!("unexpected cursor {other}"),
        });
    let g = Slack::find_group("#Eng-Private".into()).unwrap().unwrap();
    assert_eq!((g.id.as_str(), g.name.as_str()), ("G3", "eng-private"));
    let first = &host.requests()[0];
    assert_eq!(
        first.form("types").as_deref(),
        Some("public_channel,private_channel")
    );
    assert_eq!(first.form("exclude_archived").as_deref(), Some("true"));
    assert_eq!(first.form("limit").as_deref(), Some("200"));
    assert_eq!(Slack::find_group("nowhere".into()).unwrap(), None);
}

#[test]
fn find_group_gives_up_on_endless_paging() {
    let host = host();
    host.on(Method::Post, &format!("{API}/conversations.list"))
        .reply(channels(&[("C1", "general")], "again"));
    assert!(matches!(
        Slack::find_group("x".into()),
        Err(Error::Other(_))
    ));
    assert_eq!(host.requests().len(), web::MAX_PAGES);
}

#[test]
fn invite_and_kick_are_idempotent() {
    let host = host();
    host.on(Method::Post, &format!("{API}/conversations.invite"))
        .once()
        .reply(ok(json!({"channel": {"id": "C1"}})));
    host.on(Method::Post, &format!("{API}/conversations.invite"))
        .once()
        .reply(fail("already_in_channel"));
    host.on(Method::Post, &format!("{API}/conversations.invite"))
        .reply(fail("not_in_channel"));
    Slack::add_to_group("U1".into(), "C1".into()).unwrap();
    let sent = host.last_request();
    assert_eq!(sent.form("channel").as_deref(), Some("C1"));
    assert_eq!(sent.form("users").as_deref(), Some("U1"));
    Slack::add_to_group("U1".into(), "C1".into()).unwrap();
    // The app itself is not in the channel: a person must add it.
    assert!(
        matches!(Slack::add_to_group("U1".into(), "C1".into()), Err(Error::InvalidInput(m)) if m.contains("Add apps"))
    );

    host.on(Method::Post, &format!("{API}/conversations.kick"))
        .once()
        .reply(ok(json!({})));
    host.on(Method::Post, &format!("{API}/conversations.kick"))
        .once()
        .reply(fail("not_in_channel"));
    host.on(Method::Post, &format!("{API}/conversations.kick"))
        .once()
        .reply(fail("channel_not_found"));
    host.on(Method::Post, &format!("{API}/conversations.kick"))
        .reply(fail("restricted_action"));
    Slack::remove_from_group("U1".into(), "C1".into()).unwrap();
    assert_eq!(host.last_request().form("user").as_deref(), Some("U1"));
    Slack::remove_from_group("U1".into(), "C1".into()).unwrap();
    Slack::remove_from_group("U1".into(), "C1".into()).unwrap();
    assert!(matches!(
        Slack::remove_from_group("U1".into(), "C1".into()),
        Err(Error::Unsupported(_))
    ));
}

#[test]
fn memberships_and_the_picker_page_with_cursors() {
    let host = host();
    host.on(Method::Post, &format!("{API}/users.conversations"))
        .reply(channels(&[("C1", "general")], "next-1"));
    let page = Slack::list_memberships("U1".into(), None).unwrap();
    assert_eq!(page.groups[0].id, "C1");
    assert_eq!(page.next_cursor.as_deref(), Some("next-1"));
    assert_eq!(host.last_request().form("user").as_deref(), Some("U1"));

    host.on(Method::Post, &format!("{API}/conversations.list"))
        .reply(channels(
            &[("C1", "general"), ("C2", "Eng"), ("C3", "eng-ops")],
            "",
        ));
    let picker = Slack::list_groups(Some("#ENG".into()), None).unwrap();
    assert_eq!(
        picker
            .groups
            .iter()
            .map(|g| g.id.as_str())
            .collect::<Vec<_>>(),
        ["C2", "C3"]
    );
    assert_eq!(picker.next_cursor, None);
}

fn scim_user(id: &str, active: bool) -> Value {
    json!({"schemas": [scim_client::USER_SCHEMA], "id": id, "userName": "ada", "active": active,
        "emails": [{"value": "ada@example.com", "primary": true}]})
}

fn scim_list(users: Vec<Value>) -> Reply {
    let n = users.len();
    Reply::json(
        200,
        &json!({"totalResults": n, "itemsPerPage": n, "startIndex": 1, "Resources": users}),
    )
}

#[test]
fn provision_creates_through_scim_with_a_slack_username() {
    let host = scim_host();
    host.on(Method::Post, &format!("{API}/users.lookupByEmail"))
        .reply(fail("users_not_found"));
    host.on_prefix(Method::Get, &format!("{SCIM}/Users?"))
        .reply(scim_list(vec![]));
    host.on(Method::Post, &format!("{SCIM}/Users"))
        .reply(Reply::json(201, &scim_user("U9", true)));
    let done = Slack::provision(testing::provision_request(ada())).unwrap();
    assert!(done.created);
    assert_eq!(done.account.id, "U9");
    assert_eq!(done.account.login, "ada@example.com");
    let sent = host.last_request();
    assert_eq!(
        sent.header("authorization"),
        Some("Bearer xoxp-admin-token")
    );
    let body: Value = sent.json();
    assert_eq!(body["userName"], "ada");
    assert_eq!(body["emails"][0]["value"], "ada@example.com");
    let lookup = host.requests_to(Method::Get, &format!("{SCIM}/Users?"));
    assert_eq!(
        lookup[0].query("filter").as_deref(),
        Some(r#"email eq "ada@example.com""#)
    );
}

#[test]
fn a_deactivated_member_is_found_through_scim_and_not_created_again() {
    let host = scim_host();
    host.on(Method::Post, &format!("{API}/users.lookupByEmail"))
        .reply(fail("users_not_found"));
    host.on_prefix(Method::Get, &format!("{SCIM}/Users?"))
        .reply(scim_list(vec![scim_user("U9", false)]));
    let done = Slack::provision(testing::provision_request(ada())).unwrap();
    assert!(!done.created);
    assert!(!done.account.active);
    assert!(
        host.requests_to(Method::Post, &format!("{SCIM}/Users"))
            .is_empty()
    );
}

#[test]
fn offboard_deactivates_with_delete_and_reactivate_patches_active() {
    let host = scim_host();
    host.on(Method::Delete, &format!("{SCIM}/Users/U9"))
        .reply(Reply::status(204));
    host.on(Method::Patch, &format!("{SCIM}/Users/U9"))
        .reply(Reply::json(200, &scim_user("U9", true)));
    assert_eq!(
        Slack::offboard("U9".into(), ada(), disable()).unwrap(),
        Operation::done()
    );
    Slack::reactivate("U9".into()).unwrap();
    let body: Value = host.last_request().json();
    assert_eq!(
        body["Operations"][0],
        json!({"op": "replace", "path": "active", "value": true})
    );
}

#[test]
fn a_plan_without_scim_answers_unauthorized_with_slacks_words() {
    let host = scim_host();
    host.on(Method::Delete, &format!("{SCIM}/Users/U9"))
        .reply(Reply::json(
            403,
            &json!({"Errors": {"description": "invalid_authentication", "code": 403}}),
        ));
    assert!(matches!(
        Slack::offboard("U9".into(), ada(), disable()),
        Err(Error::Unauthorized(m)) if m.contains("invalid_authentication")
    ));
}

#[test]
fn scim_on_without_its_token_parks_the_connector() {
    let _host = host().config("scim_enabled", "true");
    assert!(
        matches!(Slack::reactivate("U9".into()), Err(Error::Unauthorized(m)) if m.contains("scim_token"))
    );
}

#[test]
fn usernames_follow_slacks_rules() {
    assert_eq!(
        accounts::user_name("Ada.Lovelace+x@example.com"),
        "ada.lovelace"
    );
    assert_eq!(
        accounts::user_name("a-very-long-local-part-indeed@x.com").len(),
        21
    );
}
