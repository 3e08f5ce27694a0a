//! Unit tests against the SDK's fake host, with SCIM answers as RFC 7644 gives them.

use super::*;
use serde_json::json;
use tenure_sdk::testing::{self, FakeHost, Method, Reply};

const BASE: &str = "https://app.example.com/scim/v2";

fn host() -> FakeHost {
    FakeHost::new()
        .with_manifest(include_str!("../manifest.toml"))
        .config("base_url", BASE)
        .secret("token", "scim-token-1")
}

fn user(id: &str, name: &str, active: bool) -> Value {
    json!({"schemas": [scim_client::USER_SCHEMA], "id": id, "userName": name, "active": active,
        "name": {"givenName": "Old", "familyName": "Name"},
        "meta": {"resourceType": "User", "version": "W/\"1\""}})
}

fn list(resources: Vec<Value>) -> Reply {
    let n = resources.len();
    Reply::json(
        200,
        &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": n, "startIndex": 1, "itemsPerPage": n, "Resources": resources}),
    )
}

fn ada() -> Person {
    testing::person("ada@example.com")
}

#[test]
fn describe_matches_the_methods_implemented() {
    testing::assert_capabilities_match::<ScimApp>();
}

#[test]
fn settings_missing_park_the_connector() {
    let _host = FakeHost::new().with_manifest(include_str!("../manifest.toml"));
    assert!(
        matches!(ScimApp::test_connection(), Err(Error::Unauthorized(m)) if m.contains("base_url"))
    );
}

#[test]
fn test_connection_reads_one_user_with_the_token() {
    let host = host();
    host.on_prefix(Method::Get, BASE).reply(list(vec![]));
    ScimApp::test_connection().unwrap();
    assert_eq!(
        host.last_request().header("authorization"),
        Some("Bearer scim-token-1")
    );
}

#[test]
fn provision_finds_before_it_creates() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{BASE}/Users?"))
        .reply(list(vec![user("u1", "ada@example.com", false)]));
    let done = ScimApp::provision(testing::provision_request(ada())).unwrap();
    assert!(!done.created);
    assert!(!done.account.active);
    assert_eq!(host.requests().len(), 1);
}

#[test]
fn provision_creates_with_hr_fields_and_a_409_is_found() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{BASE}/Users?"))
        .once()
        .reply(list(vec![]));
    host.on(Method::Post, &format!("{BASE}/Users"))
        .once()
        .reply(Reply::json(201, &user("u1", "ada@example.com", true)));
    let mut who = ada();
    who.department = Some("Engineering".into());
    who.title = Some("Engineer".into());
    let done = ScimApp::provision(testing::provision_request(who.clone())).unwrap();
    assert!(done.created);
    assert_eq!(done.account.id, "u1");
    let sent: Value = host.last_request().json();
    assert_eq!(sent["externalId"], who.employee_id);
    assert_eq!(sent["title"], "Engineer");
    assert_eq!(sent[ENTERPRISE_USER_SCHEMA]["department"], "Engineering");

    // A retry racing another create: 409, then the user is there.
    host.on_prefix(Method::Get, &format!("{BASE}/Users?"))
        .once()
        .reply(list(vec![]));
    host.on(Method::Post, &format!("{BASE}/Users")).reply(Reply::json(
        409,
        &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "409", "scimType": "uniqueness"}),
    ));
    host.on_prefix(Method::Get, &format!("{BASE}/Users?"))
        .reply(list(vec![user("u1", "ada@example.com", true)]));
    let done = ScimApp::provision(testing::provision_request(who)).unwrap();
    assert!(!done.created);
}

#[test]
fn a_temporary_password_is_unsupported() {
    let _host = host();
    let mut req = testing::provision_request(ada());
    req.credential = Credential::TemporaryPassword("Secret-1234".into());
    assert!(matches!(
        ScimApp::provision(req),
        Err(Error::Unsupported(_))
    ));
}

#[test]
fn update_profile_puts_the_user_back_with_hr_fields_and_the_managers_id() {
    let host = host();
    host.on(Method::Get, &format!("{BASE}/Users/u1"))
        .reply(Reply::json(200, &user("u1", "ada@example.com", true)));
    host.on_prefix(Method::Get, &format!("{BASE}/Users?"))
        .reply(list(vec![user("m1", "boss@example.com", true)]));
    host.on(Method::Put, &format!("{BASE}/Users/u1"))
        .reply(Reply::json(200, &user("u1", "ada@example.com", true)));
    let mut who = ada();
    who.manager_email = Some("boss@example.com".into());
    who.department = Some("Ops".into());
    ScimApp::update_profile("u1".into(), who.clone()).unwrap();
    let put: Value = host.last_request().json();
    assert_eq!(put["name"]["givenName"], who.given_name);
    assert_eq!(put["userName"], "ada@example.com");
    assert_eq!(put[ENTERPRISE_USER_SCHEMA]["manager"]["value"], "m1");
    assert_eq!(put[ENTERPRISE_USER_SCHEMA]["department"], "Ops");
    assert!(put.get("meta").is_none());
}

#[test]
fn offboard_deactivates_and_asks_nothing_else() {
    let host = host();
    host.on(Method::Patch, &format!("{BASE}/Users/u1"))
        .reply(Reply::status(204));
    let mut opts = testing::leaver_options();
    opts.disable = true;
    opts.revoke_sessions = false;
    opts.remove_entitlements = false;
    opts.transfer_data_to = None;
    opts.forward_mail_to = None;
    opts.auto_reply = None;
    assert_eq!(
        ScimApp::offboard("u1".into(), ada(), opts.clone()).unwrap(),
        Operation::done()
    );
    let body: Value = host.last_request().json();
    assert_eq!(
        body["Operations"][0],
        json!({"op": "replace", "path": "active", "value": false})
    );

    opts.revoke_sessions = true;
    assert!(matches!(
        ScimApp::offboard("u1".into(), ada(), opts),
        Err(Error::Unsupported(_))
    ));
    assert_eq!(host.requests().len(), 1);
}

#[test]
fn reactivate_and_delete() {
    let host = host();
    host.on(Method::Patch, &format!("{BASE}/Users/u1"))
        .reply(Reply::status(204));
    host.on(Method::Delete, &format!("{BASE}/Users/u1"))
        .reply(Reply::status(404));
    ScimApp::reactivate("u1".into()).unwrap();
    let body: Value = host.last_request().json();
    assert_eq!(body["Operations"][0]["value"], true);
    ScimApp::delete_account("u1".into()).unwrap();
}

#[test]
fn groups_are_found_joined_left_and_listed() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{BASE}/Groups?"))
        .reply(list(vec![
            json!({"id": "g1", "displayName": "Engineering"}),
        ]));
    host.on(Method::Patch, &format!("{BASE}/Groups/g1"))
        .reply(Reply::status(204));
    host.on(Method::Patch, &format!("{BASE}/Groups/gone"))
        .reply(Reply::status(404));
    assert_eq!(
        ScimApp::find_group("ENGINEERING".into()).unwrap(),
        Some(Group {
            id: "g1".into(),
            name: "Engineering".into()
        })
    );
    ScimApp::add_to_group("u1".into(), "g1".into()).unwrap();
    ScimApp::remove_from_group("u1".into(), "g1".into()).unwrap();
    ScimApp::remove_from_group("u1".into(), "gone".into()).unwrap();
    assert!(matches!(
        ScimApp::add_to_group("u1".into(), "gone".into()),
        Err(Error::NotFound(_))
    ));
    let page = ScimApp::list_memberships("u1".into(), None).unwrap();
    assert_eq!(page.groups.len(), 1);
    assert_eq!(
        host.last_request().query("filter").as_deref(),
        Some(r#"members[value eq "u1"]"#)
    );
    assert_eq!(page.next_cursor, None);
    let picker = ScimApp::list_groups(Some("eng".into()), None).unwrap();
    assert_eq!(picker.groups[0].name, "Engineering");
    assert!(matches!(
        ScimApp::list_memberships("u1".into(), Some("zero".into())),
        Err(Error::InvalidInput(_))
    ));
}
