//! Unit tests against the SDK's fake host: the plugin's own code, natively, in
//! milliseconds. Each scripts Example App's answers, calls a trait method, and checks
//! the result and the requests sent.

use super::*;
use serde_json::json;
use tenure_sdk::testing::{self, FakeHost, Method, Reply};

const API: &str = "https://api.example.com/v1";

/// A fake host with this plugin's manifest (its defaults and allowed hosts) and a token.
fn host() -> FakeHost {
    FakeHost::new()
        .with_manifest(include_str!("../manifest.toml"))
        .secret("api_token", "tok-123")
}

fn ada() -> Person {
    Person {
        title: Some("Engineer".into()),
        ..testing::person("ada@example.com")
    }
}

fn no_user(host: &FakeHost) {
    host.on(Method::Get, &format!("{API}/users?email=ada%40example.com"))
        .reply(Reply::json(200, &json!({"users": []})));
}

#[test]
fn describe_matches_the_methods_implemented() {
    testing::assert_capabilities_match::<ExampleApp>();
}

#[test]
fn test_connection_reads_me_with_the_token() {
    let host = host();
    host.on(Method::Get, &format!("{API}/me"))
        .reply(Reply::json(200, &json!({"id": "u0"})));
    ExampleApp::test_connection().unwrap();
    assert_eq!(
        host.last_request().header("authorization"),
        Some("Bearer tok-123")
    );
}

#[test]
fn a_wrong_token_is_unauthorized_and_a_missing_one_sends_nothing() {
    let host = host();
    host.on(Method::Get, &format!("{API}/me"))
        .reply(Reply::json(401, &json!({"message": "invalid token"})));
    assert_eq!(
        ExampleApp::test_connection(),
        Err(Error::Unauthorized("HTTP 401: invalid token".into()))
    );
    host.set_secret("api_token", None);
    assert!(matches!(
        ExampleApp::test_connection(),
        Err(Error::Unauthorized(m)) if m.contains("api_token")
    ));
    assert_eq!(host.requests().len(), 1);
}

#[test]
fn find_account_reports_a_suspended_account_as_inactive() {
    let host = host();
    host.on(Method::Get, &format!("{API}/users?email=ada%40example.com"))
        .reply(Reply::json(
            200,
            &json!({"users": [{"id": "u1", "email": "Ada@Example.com", "suspended": true}]}),
        ));
    let found = ExampleApp::find_account(ada()).unwrap();
    assert_eq!(
        found,
        Some(Account {
            id: "u1".into(),
            login: "Ada@Example.com".into(),
            active: false
        })
    );
}

#[test]
fn provision_creates_with_the_idempotency_key_and_the_invitation() {
    let host = host();
    no_user(&host);
    host.on(Method::Post, &format!("{API}/users"))
        .reply(Reply::json(
            201,
            &json!({"user": {"id": "u9", "email": "ada@example.com"},
                "invite_url": "https://app.example.com/invite/abc"}),
        ));
    let request = ProvisionRequest {
        credential: Credential::Invitation,
        ..testing::provision_request(ada())
    };

    let done = ExampleApp::provision(request).unwrap();

    assert!(done.created);
    assert_eq!(done.account.id, "u9");
    assert_eq!(
        done.activation_link.as_deref(),
        Some("https://app.example.com/invite/abc")
    );
    let create = host.last_request();
    assert_eq!(create.header("idempotency-key"), Some("job-1"));
    let body: serde_json::Value = create.json();
    assert_eq!(body["email"], "ada@example.com");
    assert_eq!(body["first_name"], "Ada");
    assert_eq!(body["title"], "Engineer");
    assert_eq!(body["external_id"], "emp-1");
    assert_eq!(body["send_invite"], true);
    assert!(body.get("password").is_none());
}

#[test]
fn provision_finds_before_it_creates_and_changes_nothing() {
    let host = host();
    host.on(Method::Get, &format!("{API}/users?email=ada%40example.com"))
        .reply(Reply::json(
            200,
            &json!({"users": [{"id": "u1", "email": "ada@example.com"}]}),
        ));
    let done = ExampleApp::provision(testing::provision_request(ada())).unwrap();
    assert_eq!(
        done,
        Provisioned::found(testing::account("u1", "ada@example.com"))
    );
    assert_eq!(host.requests().len(), 1, "no create, no update");
}

#[test]
fn a_conflict_on_create_is_the_account_made_meanwhile() {
    let host = host();
    host.on(Method::Get, &format!("{API}/users?email=ada%40example.com"))
        .once()
        .reply(Reply::json(200, &json!({"users": []})));
    host.on(Method::Post, &format!("{API}/users"))
        .reply(Reply::json(409, &json!({"message": "email taken"})));
    host.on(Method::Get, &format!("{API}/users?email=ada%40example.com"))
        .reply(Reply::json(
            200,
            &json!({"users": [{"id": "u2", "email": "ada@example.com"}]}),
        ));
    let done = ExampleApp::provision(testing::provision_request(ada())).unwrap();
    assert!(!done.created);
    assert_eq!(done.account.id, "u2");
}

#[test]
fn a_temporary_password_is_sent_and_never_echoed_in_errors() {
    let host = host();
    no_user(&host);
    host.on(Method::Post, &format!("{API}/users"))
        .reply(Reply::json(
            422,
            &json!({"message": "password Tmp-Pa55-word! is too weak"}),
        ));
    let request = ProvisionRequest {
        credential: Credential::TemporaryPassword("Tmp-Pa55-word!".into()),
        ..testing::provision_request(ada())
    };
    let e = ExampleApp::provision(request).unwrap_err();
    assert_eq!(
        e,
        Error::InvalidInput("HTTP 422: password [redacted] is too weak".into())
    );
    let body: serde_json::Value = host.last_request().json();
    assert_eq!(body["password"], "Tmp-Pa55-word!");
    assert_eq!(body["must_change_password"], true);
}

#[test]
fn rate_limits_and_outages_are_passed_on_for_the_host_to_retry() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{API}/users"))
        .once()
        .reply(Reply::status(429).header("retry-after", "12"));
    host.on_prefix(Method::Get, &format!("{API}/users"))
        .once()
        .reply(Reply::status(502));
    host.on_prefix(Method::Get, &format!("{API}/users"))
        .reply(Reply::timeout());
    assert_eq!(ExampleApp::find_account(ada()), Err(Error::RateLimited(12)));
    assert!(matches!(
        ExampleApp::find_account(ada()),
        Err(Error::Unavailable(_))
    ));
    assert!(matches!(
        ExampleApp::find_account(ada()),
        Err(Error::Unavailable(_))
    ));
}

#[test]
fn offboard_revokes_sessions_before_it_suspends() {
    let host = host();
    host.on(Method::Delete, &format!("{API}/users/u1/sessions"))
        .reply(Reply::status(204));
    host.on(Method::Post, &format!("{API}/users/u1/suspend"))
        .reply(Reply::json(200, &json!({"id": "u1", "suspended": true})));
    let options = LeaverOptions {
        disable: true,
        revoke_sessions: true,
        ..testing::leaver_options()
    };
    let op = ExampleApp::offboard("u1".into(), ada(), options).unwrap();
    assert_eq!(op, Operation::done());
    let order: Vec<_> = host
        .requests()
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    assert_eq!(
        order,
        [
            format!("{API}/users/u1/sessions"),
            format!("{API}/users/u1/suspend")
        ]
    );
}

#[test]
fn offboard_refuses_a_step_it_cannot_take_before_touching_anything() {
    let host = host();
    let options = LeaverOptions {
        disable: true,
        transfer_data_to: Some("boss@example.com".into()),
        ..testing::leaver_options()
    };
    let e = ExampleApp::offboard("u1".into(), ada(), options).unwrap_err();
    assert!(
        matches!(&e, Error::Unsupported(m) if m.contains("transfer data")),
        "{e:?}"
    );
    assert!(host.requests().is_empty());
}

#[test]
fn deleting_a_user_that_is_gone_is_success() {
    let host = host();
    host.on(Method::Delete, &format!("{API}/users/u1"))
        .reply(Reply::json(404, &json!({"message": "no such user"})));
    assert_eq!(ExampleApp::delete_account("u1".into()), Ok(()));
}

#[test]
fn groups_find_page_add_and_remove() {
    let host = host();
    host.on(Method::Get, &format!("{API}/groups?name=Engineering"))
        .reply(Reply::json(
            200,
            &json!({"groups": [{"id": "g1", "name": "engineering"}]}),
        ));
    host.on(Method::Get, &format!("{API}/users/u1/groups"))
        .reply(Reply::json(
            200,
            &json!({"groups": [{"id": "g1", "name": "engineering"}], "next_cursor": "c2"}),
        ));
    host.on(Method::Get, &format!("{API}/users/u1/groups?cursor=c2"))
        .reply(Reply::json(
            200,
            &json!({"groups": [], "next_cursor": null}),
        ));
    host.on(Method::Put, &format!("{API}/groups/g1/members/u1"))
        .reply(Reply::status(204));
    // Not a member any more: 404, which is success.
    host.on(Method::Delete, &format!("{API}/groups/g1/members/u1"))
        .reply(Reply::status(404));

    let g = ExampleApp::find_group("Engineering".into())
        .unwrap()
        .unwrap();
    assert_eq!((g.id.as_str(), g.name.as_str()), ("g1", "engineering"));
    let first = ExampleApp::list_memberships("u1".into(), None).unwrap();
    assert_eq!(first.next_cursor.as_deref(), Some("c2"));
    let last = ExampleApp::list_memberships("u1".into(), first.next_cursor).unwrap();
    assert_eq!(last.next_cursor, None);
    ExampleApp::add_to_group("u1".into(), "g1".into()).unwrap();
    ExampleApp::add_to_group("u1".into(), "g1".into()).unwrap();
    ExampleApp::remove_from_group("u1".into(), "g1".into()).unwrap();
}

#[test]
fn ids_are_encoded_into_paths() {
    let host = host();
    host.on(Method::Post, &format!("{API}/users/a%2Fb/unsuspend"))
        .reply(Reply::status(200));
    ExampleApp::reactivate("a/b".into()).unwrap();
    assert_eq!(host.requests().len(), 1);
}

#[test]
fn a_self_hosted_origin_from_the_settings_is_allowed() {
    let host = host();
    host.set_config("base_url", Some("https://apps.corp.example.org"));
    host.on(Method::Get, "https://apps.corp.example.org/v1/me")
        .reply(Reply::status(200));
    ExampleApp::test_connection().unwrap();
}

#[test]
fn licences_are_left_to_a_person() {
    let _host = host();
    let e = ExampleApp::set_entitlements("u1".into(), vec!["pro".into()]).unwrap_err();
    assert!(tenure_sdk::is_not_implemented(&e));
}
