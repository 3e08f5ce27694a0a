//! The client against scripted SCIM answers (the SDK's fake host).

use super::*;
use serde_json::{Value, json};
use tenure_sdk::Error;
use tenure_sdk::testing::{self, FakeHost, Method, Reply};

const BASE: &str = "https://app.example.com/scim/v2";

fn scim() -> Scim {
    Scim::new(&format!("{BASE}/"), "tok-123456")
}

fn user(id: &str, name: &str, active: bool) -> Value {
    json!({"schemas": [USER_SCHEMA], "id": id, "userName": name, "active": active,
        "emails": [{"value": name, "primary": true}]})
}

fn list(resources: Vec<Value>, total: u64, start: u64) -> Reply {
    Reply::json(
        200,
        &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": total, "startIndex": start, "itemsPerPage": resources.len(),
            "Resources": resources}),
    )
}

fn error(status: u16, scim_type: &str) -> Reply {
    Reply::json(
        status,
        &json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "status": status.to_string(), "scimType": scim_type, "detail": "nope"}),
    )
}

#[test]
fn find_user_filters_by_a_quoted_user_name_with_the_token() {
    let host = FakeHost::new();
    host.on_prefix(Method::Get, &format!("{BASE}/Users?"))
        .reply(list(vec![user("u1", "Ada@Example.com", false)], 1, 1));
    let found = scim().find_user(r#"ada@example.com"#).unwrap().unwrap();
    assert_eq!(
        found.account(),
        testing::account("u1", "Ada@Example.com").with_active(false)
    );
    let sent = host.last_request();
    assert_eq!(
        sent.query("filter").as_deref(),
        Some(r#"userName eq "ada@example.com""#)
    );
    assert_eq!(sent.header("authorization"), Some("Bearer tok-123456"));
    assert!(
        sent.header("accept")
            .unwrap()
            .starts_with("application/scim+json")
    );

    // A quote in the name stays inside the literal.
    scim().find_user(r#"a"b"#).unwrap();
    assert_eq!(
        host.last_request().query("filter").as_deref(),
        Some(r#"userName eq "a\"b""#)
    );
}

#[test]
fn a_service_that_ignores_the_filter_finds_nobody_else() {
    let host = FakeHost::new();
    host.on_prefix(Method::Get, &format!("{BASE}/Users?"))
        .reply(list(vec![user("u2", "bob@example.com", true)], 1, 1));
    assert_eq!(scim().find_user("ada@example.com").unwrap(), None);
}

#[test]
fn create_sends_scim_json_and_a_409_finds_the_user() {
    let host = FakeHost::new();
    host.on(Method::Post, &format!("{BASE}/Users"))
        .once()
        .reply(Reply::json(201, &user("u1", "ada@example.com", true)));
    let body = user_body(&testing::person("ada@example.com"), true);
    let (u, created) = scim().create_or_find("ada@example.com", &body).unwrap();
    assert!(created);
    assert_eq!(u.id, "u1");
    let sent = host.last_request();
    assert_eq!(sent.header("content-type"), Some(MEDIA_TYPE));
    let sent_body: Value = sent.json();
    assert_eq!(sent_body["userName"], "ada@example.com");
    assert_eq!(sent_body["emails"][0]["primary"], true);

    host.on(Method::Post, &format!("{BASE}/Users"))
        .reply(error(409, "uniqueness"));
    host.on_prefix(Method::Get, &format!("{BASE}/Users?"))
        .once()
        .reply(list(vec![user("u1", "ada@example.com", true)], 1, 1));
    let (u, created) = scim().create_or_find("ada@example.com", &body).unwrap();
    assert!(!created);
    assert_eq!(u.id, "u1");

    // Taken by something the filter cannot see: a conflict for a person.
    host.on_prefix(Method::Get, &format!("{BASE}/Users?"))
        .reply(list(vec![], 0, 1));
    assert!(matches!(
        scim().create_or_find("ada@example.com", &body),
        Err(Error::Conflict(m)) if m.contains("uniqueness")
    ));
}

#[test]
fn set_active_patches_active_and_a_missing_user_is_not_found() {
    let host = FakeHost::new();
    host.on(Method::Patch, &format!("{BASE}/Users/u1"))
        .reply(Reply::status(204));
    scim().set_active("u1", false).unwrap();
    let body: Value = host.last_request().json();
    assert_eq!(
        body,
        json!({"schemas": [PATCH_SCHEMA], "Operations": [{"op": "replace", "path": "active", "value": false}]})
    );
    host.on(Method::Patch, &format!("{BASE}/Users/gone"))
        .reply(error(404, "invalidValue"));
    assert!(matches!(
        scim().set_active("gone", true),
        Err(Error::NotFound(_))
    ));
}

#[test]
fn delete_treats_gone_as_done() {
    let host = FakeHost::new();
    host.on(Method::Delete, &format!("{BASE}/Users/u1"))
        .once()
        .reply(Reply::status(204));
    host.on(Method::Delete, &format!("{BASE}/Users/u1"))
        .reply(Reply::status(404));
    scim().delete_user("u1").unwrap();
    scim().delete_user("u1").unwrap();
    host.on(Method::Delete, &format!("{BASE}/Users/u2"))
        .reply(Reply::status(401));
    assert!(matches!(
        scim().delete_user("u2"),
        Err(Error::Unauthorized(_))
    ));
}

#[test]
fn ids_are_encoded_in_paths() {
    let host = FakeHost::new();
    host.on(Method::Get, &format!("{BASE}/Users/a%2Fb"))
        .reply(Reply::status(404));
    assert_eq!(scim().get_user("a/b").unwrap(), None);
}

#[test]
fn find_group_compares_display_names_case_insensitively() {
    let host = FakeHost::new();
    host.on_prefix(Method::Get, &format!("{BASE}/Groups?"))
        .reply(list(
            vec![json!({"id": "g1", "displayName": "Engineering"})],
            1,
            1,
        ));
    let g = scim().find_group("engineering").unwrap().unwrap();
    assert_eq!(g.id, "g1");
    let sent = host.last_request();
    assert_eq!(
        sent.query("filter").as_deref(),
        Some(r#"displayName eq "engineering""#)
    );
    assert_eq!(sent.query("excludedAttributes").as_deref(), Some("members"));
}

#[test]
fn list_groups_pages_by_start_index_and_falls_back_without_sw() {
    let host = FakeHost::new();
    host.on_prefix(Method::Get, &format!("{BASE}/Groups?"))
        .reply_with(|req| {
            if req.query("filter").is_some() {
                return error(400, "invalidFilter");
            }
            match req.query("startIndex").as_deref() {
                Some("1") => list(
                    vec![
                        json!({"id": "g1", "displayName": "Eng"}),
                        json!({"id": "g2", "displayName": "Sales"}),
                    ],
                    3,
                    1,
                ),
                _ => list(vec![json!({"id": "g3", "displayName": "eng-ops"})], 3, 3),
            }
        });
    let first = scim().list_groups(Some("ENG"), 1).unwrap();
    assert_eq!(
        first
            .items
            .iter()
            .map(|g| g.id.as_str())
            .collect::<Vec<_>>(),
        ["g1"]
    );
    assert_eq!(first.next_start, Some(3));
    let second = scim().list_groups(Some("eng"), 3).unwrap();
    assert_eq!(second.items[0].id, "g3");
    assert_eq!(second.next_start, None);
}

#[test]
fn a_users_groups_come_from_the_members_filter_or_the_groups_attribute() {
    let host = FakeHost::new();
    host.on_prefix(Method::Get, &format!("{BASE}/Groups?"))
        .once()
        .reply(list(vec![json!({"id": "g1", "displayName": "Eng"})], 1, 1));
    let groups = scim().all_groups_of("u1").unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(
        host.last_request().query("filter").as_deref(),
        Some(r#"members[value eq "u1"]"#)
    );

    host.on_prefix(Method::Get, &format!("{BASE}/Groups?"))
        .reply(error(400, "invalidFilter"));
    let mut u = user("u1", "ada@example.com", true);
    u["groups"] = json!([{"value": "g9", "display": "Ops"}]);
    host.on(Method::Get, &format!("{BASE}/Users/u1"))
        .reply(Reply::json(200, &u));
    let groups = scim().all_groups_of("u1").unwrap();
    assert_eq!(
        groups,
        vec![Group {
            id: "g9".into(),
            display_name: "Ops".into()
        }]
    );
}

#[test]
fn members_are_added_and_removed_idempotently() {
    let host = FakeHost::new();
    host.on(Method::Patch, &format!("{BASE}/Groups/g1"))
        .once()
        .reply(Reply::status(204));
    scim().add_member("g1", "u1").unwrap();
    let body: Value = host.last_request().json();
    assert_eq!(
        body["Operations"],
        json!([{"op": "add", "path": "members", "value": [{"value": "u1"}]}])
    );
    host.on(Method::Patch, &format!("{BASE}/Groups/g1"))
        .once()
        .reply(error(400, "noTarget"));
    scim().remove_member("g1", "u1").unwrap();
    let body: Value = host.last_request().json();
    assert_eq!(
        body["Operations"],
        json!([{"op": "remove", "path": r#"members[value eq "u1"]"#}])
    );
    host.on(Method::Patch, &format!("{BASE}/Groups/g1"))
        .reply(error(400, "invalidPath"));
    assert!(matches!(
        scim().remove_member("g1", "u1"),
        Err(Error::InvalidInput(_))
    ));
    host.on(Method::Patch, &format!("{BASE}/Groups/gone"))
        .reply(Reply::status(404));
    assert!(matches!(
        scim().add_member("gone", "u1"),
        Err(Error::NotFound(_))
    ));
}

#[test]
fn rate_limits_and_outages_map_for_retries() {
    let host = FakeHost::new();
    host.on_prefix(Method::Get, &format!("{BASE}/Users?"))
        .once()
        .reply(Reply::status(429).header("retry-after", "7"));
    host.on_prefix(Method::Get, &format!("{BASE}/Users?"))
        .reply(Reply::status(502));
    assert_eq!(scim().find_user("a@b.c"), Err(Error::RateLimited(7)));
    assert!(matches!(
        scim().find_user("a@b.c"),
        Err(Error::Unavailable(_))
    ));
}

trait WithActive {
    fn with_active(self, active: bool) -> Self;
}
impl WithActive for tenure_sdk::Account {
    fn with_active(mut self, active: bool) -> Self {
        self.active = active;
        self
    }
}
