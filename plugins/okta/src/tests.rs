//! Unit tests against the SDK's fake host: Okta's answers scripted as Okta documents
//! them (and as the fake in `tests/fakes/src/okta` serves them), the connector's
//! requests checked in order.

use super::*;
use serde_json::json;
use std::cell::RefCell;
use std::rc::Rc;
use tenure_sdk::testing::{self, FakeHost, Method, Reply};

const ORG: &str = "https://acme.okta.com";
const USERS: &str = "https://acme.okta.com/api/v1/users";
const TOKEN: &str = "00abcSSWS-token-value";
/// 2025-01-01T00:00:00Z, the fake host's clock at start.
const NOW: i64 = 1_735_689_600;

fn okta_host() -> FakeHost {
    FakeHost::new()
        .with_manifest(include_str!("../manifest.toml"))
        .config("org_url", ORG)
        .secret("api_token", TOKEN)
}

fn okta_error(status: u16, code: &str, summary: &str, causes: &[&str]) -> Reply {
    let causes: Vec<_> = causes.iter().map(|c| json!({"errorSummary": c})).collect();
    Reply::json(
        status,
        &json!({"errorCode": code, "errorSummary": summary, "errorLink": code,
            "errorId": "oae123", "errorCauses": causes}),
    )
}

fn not_found() -> Reply {
    okta_error(
        404,
        "E0000007",
        "Not found: Resource not found: ada@acme.com (User)",
        &[],
    )
}

fn user(id: &str, login: &str, status: &str) -> serde_json::Value {
    json!({"id": id, "status": status, "created": "2025-01-01T00:00:00.000Z",
        "profile": {"login": login, "email": login, "firstName": "Ada", "lastName": "Lovelace"},
        "credentials": {}, "_links": {}})
}

fn ada() -> Person {
    testing::person("ada@acme.com")
}

/// "METHOD url" of every request.
fn calls(host: &FakeHost) -> Vec<String> {
    host.requests()
        .iter()
        .map(|r| {
            let m = format!("{:?}", r.method);
            format!("{} {}", m.trim_start_matches("Method::"), r.url)
        })
        .collect()
}

fn leaver(disable: bool, revoke_sessions: bool) -> LeaverOptions {
    LeaverOptions {
        disable,
        revoke_sessions,
        ..testing::leaver_options()
    }
}

#[test]
fn describe_matches_the_methods_implemented() {
    testing::assert_capabilities_match::<Okta>();
}

#[test]
fn finds_by_login_with_the_api_token() {
    let host = okta_host();
    host.on(Method::Get, &format!("{USERS}/ada%40acme.com"))
        .reply(Reply::json(200, &user("00u1", "ada@acme.com", "ACTIVE")));
    let found = Okta::find_account(ada()).unwrap().unwrap();
    assert_eq!(found, testing::account("00u1", "ada@acme.com"));
    assert_eq!(
        host.last_request().header("authorization"),
        Some(format!("SSWS {TOKEN}").as_str())
    );
}

#[test]
fn finds_by_primary_email_when_the_login_differs_and_reports_a_suspended_user_inactive() {
    let host = okta_host();
    host.on(Method::Get, &format!("{USERS}/ada%40acme.com"))
        .reply(not_found());
    host.on_prefix(Method::Get, &format!("{USERS}?search="))
        .reply(Reply::json(
            200,
            &json!([user("00u2", "alovelace", "SUSPENDED")]),
        ));
    let found = Okta::find_account(ada()).unwrap().unwrap();
    assert_eq!(found.id, "00u2");
    assert!(!found.active);
    let search = host.last_request();
    assert_eq!(
        search.query("search").as_deref(),
        Some(r#"profile.email eq "ada@acme.com""#)
    );
}

#[test]
fn nobody_is_none_and_two_users_with_one_email_are_a_conflict() {
    let host = okta_host();
    host.on(Method::Get, &format!("{USERS}/ada%40acme.com"))
        .reply(not_found());
    host.on_prefix(Method::Get, &format!("{USERS}?search="))
        .once()
        .reply(Reply::json(200, &json!([])));
    assert_eq!(Okta::find_account(ada()), Ok(None));
    host.on_prefix(Method::Get, &format!("{USERS}?search="))
        .reply(Reply::json(
            200,
            &json!([user("00u2", "a1", "ACTIVE"), user("00u3", "a2", "ACTIVE")]),
        ));
    assert!(
        matches!(Okta::find_account(ada()), Err(Error::Conflict(m)) if m.contains("2 Okta users"))
    );
}

/// A directory of one optional user, answering GET by login and search, and POST.
fn directory(host: &FakeHost) -> Rc<RefCell<Option<serde_json::Value>>> {
    let store: Rc<RefCell<Option<serde_json::Value>>> = Rc::new(RefCell::new(None));
    let s = store.clone();
    host.on(Method::Get, &format!("{USERS}/ada%40acme.com"))
        .reply_with(move |_| match s.borrow().clone() {
            Some(u) => Reply::json(200, &u),
            None => not_found(),
        });
    let s = store.clone();
    host.on_prefix(Method::Get, &format!("{USERS}?search="))
        .reply_with(move |_| Reply::json(200, &json!(s.borrow().iter().collect::<Vec<_>>())));
    let s = store.clone();
    host.on_prefix(Method::Post, &format!("{USERS}?"))
        .reply_with(move |req| {
            let status = if req.query("activate").as_deref() == Some("false") {
                "STAGED"
            } else {
                "PROVISIONED"
            };
            let u = user("00unew", "ada@acme.com", status);
            *s.borrow_mut() = Some(u.clone());
            Reply::json(200, &u)
        });
    store
}

#[test]
fn provisioning_twice_makes_one_account() {
    let host = okta_host();
    directory(&host);
    let mut req = testing::provision_request(ada());
    req.credential = Credential::Invitation;
    let first = Okta::provision(req.clone()).unwrap();
    assert!(first.created);
    assert_eq!(first.account.id, "00unew");
    let second = Okta::provision(req).unwrap();
    assert!(!second.created);
    assert_eq!(second.account.id, "00unew");
    assert_eq!(host.requests_to(Method::Post, USERS).len(), 1);
    let post = &host.requests_to(Method::Post, USERS)[0];
    assert_eq!(post.query("activate").as_deref(), Some("true"));
    let body: serde_json::Value = post.json();
    assert_eq!(body["profile"]["login"], "ada@acme.com");
    assert_eq!(body["profile"]["email"], "ada@acme.com");
    assert_eq!(body["profile"]["firstName"], "Ada");
    assert!(body.get("credentials").is_none(), "{body}");
}

#[test]
fn a_create_that_finds_the_login_taken_returns_the_existing_user() {
    // The first attempt's answer was lost: the user exists, created a moment ago.
    let host = okta_host();
    let store: Rc<RefCell<bool>> = Rc::new(RefCell::new(false));
    let s = store.clone();
    host.on(Method::Get, &format!("{USERS}/ada%40acme.com"))
        .reply_with(move |_| {
            if *s.borrow() {
                Reply::json(200, &user("00uold", "ada@acme.com", "ACTIVE"))
            } else {
                not_found()
            }
        });
    host.on_prefix(Method::Get, &format!("{USERS}?search="))
        .reply(Reply::json(200, &json!([])));
    let s = store.clone();
    host.on_prefix(Method::Post, &format!("{USERS}?"))
        .reply_with(move |_| {
            *s.borrow_mut() = true;
            okta_error(
                400,
                "E0000001",
                "Api validation failed: login",
                &["login: An object with this field already exists in the current organization"],
            )
        });
    let done = Okta::provision(testing::provision_request(ada())).unwrap();
    assert!(!done.created);
    assert_eq!(done.account.id, "00uold");
}

#[test]
fn credentials_map_to_okta_create_options() {
    // Temporary password: activated, changed at first sign-in, never echoed.
    let host = okta_host();
    directory(&host);
    let mut req = testing::provision_request(ada());
    req.credential = Credential::TemporaryPassword("Temp-Passw0rd!".into());
    Okta::provision(req).unwrap();
    let post = host.requests_to(Method::Post, USERS).pop().unwrap();
    assert_eq!(post.query("activate").as_deref(), Some("true"));
    assert_eq!(post.query("nextLogin").as_deref(), Some("changePassword"));
    let body: serde_json::Value = post.json();
    assert_eq!(body["credentials"]["password"]["value"], "Temp-Passw0rd!");
    drop(host);

    // None: the federation provider, active without a password.
    let host = okta_host();
    directory(&host);
    Okta::provision(testing::provision_request(ada())).unwrap();
    let post = host.requests_to(Method::Post, USERS).pop().unwrap();
    assert_eq!(post.query("provider").as_deref(), Some("true"));
    let body: serde_json::Value = post.json();
    assert_eq!(body["credentials"]["provider"]["type"], "FEDERATION");
    drop(host);

    // Staged: activate=false; a temporary password cannot be staged.
    let host = okta_host();
    host.set_config("activation", Some("stage"));
    directory(&host);
    let mut req = testing::provision_request(ada());
    req.credential = Credential::TemporaryPassword("Temp-Passw0rd!".into());
    assert!(matches!(
        Okta::provision(req.clone()),
        Err(Error::Unsupported(_))
    ));
    assert!(host.requests_to(Method::Post, USERS).is_empty());
    req.credential = Credential::Invitation;
    let done = Okta::provision(req).unwrap();
    assert!(done.created);
    let post = host.requests_to(Method::Post, USERS).pop().unwrap();
    assert_eq!(post.query("activate").as_deref(), Some("false"));
}

#[test]
fn a_429_waits_until_the_rate_limit_reset_by_the_host_clock() {
    let host = okta_host();
    host.on_prefix(Method::Get, USERS).once().reply(
        okta_error(
            429,
            "E0000047",
            "API call exceeded rate limit due to too many requests.",
            &[],
        )
        .header("x-rate-limit-limit", "600")
        .header("x-rate-limit-remaining", "0")
        .header("x-rate-limit-reset", &(NOW + 37).to_string()),
    );
    assert_eq!(Okta::find_account(ada()), Err(Error::RateLimited(37)));
    // A reset already past (clocks differ) still waits a second.
    host.on_prefix(Method::Get, USERS).reply(
        okta_error(
            429,
            "E0000047",
            "API call exceeded rate limit due to too many requests.",
            &[],
        )
        .header("x-rate-limit-reset", &(NOW - 5).to_string()),
    );
    assert_eq!(Okta::find_account(ada()), Err(Error::RateLimited(1)));
}

#[test]
fn errors_map_to_what_the_host_does() {
    let cases = [
        (
            okta_error(401, "E0000011", "Invalid token provided", &[]),
            "unauthorized",
        ),
        (
            okta_error(
                403,
                "E0000006",
                "You do not have permission to perform the requested action",
                &[],
            ),
            "unauthorized",
        ),
        (
            okta_error(500, "E0000009", "Internal Server Error", &[]),
            "unavailable",
        ),
        (
            okta_error(
                400,
                "E0000001",
                "Api validation failed: firstName",
                &["firstName: The field cannot be left blank"],
            ),
            "invalid-input",
        ),
    ];
    for (reply, kind) in cases {
        let host = okta_host();
        host.on_prefix(Method::Post, &format!("{USERS}/00u1"))
            .reply(reply);
        let e = Okta::update_profile("00u1".into(), ada()).unwrap_err();
        let got = match &e {
            Error::Unauthorized(_) => "unauthorized",
            Error::Unavailable(_) => "unavailable",
            Error::InvalidInput(m) => {
                assert!(
                    m.contains("firstName: The field cannot be left blank"),
                    "{m}"
                );
                "invalid-input"
            }
            _ => "other",
        };
        assert_eq!(got, kind, "{e:?}");
        assert!(!e.message().contains(TOKEN));
    }
    let host = okta_host();
    host.on_prefix(Method::Post, &format!("{USERS}/00u1"))
        .reply(not_found());
    assert!(matches!(
        Okta::update_profile("00u1".into(), ada()),
        Err(Error::NotFound(_))
    ));
}

#[test]
fn offboarding_clears_sessions_then_suspends_and_never_deactivates_by_default() {
    let host = okta_host();
    host.on(Method::Get, &format!("{USERS}/00u1"))
        .reply(Reply::json(200, &user("00u1", "ada@acme.com", "ACTIVE")));
    host.on(
        Method::Delete,
        &format!("{USERS}/00u1/sessions?oauthTokens=true"),
    )
    .reply(Reply::status(204));
    host.on(Method::Post, &format!("{USERS}/00u1/lifecycle/suspend"))
        .reply(Reply::status(200));
    let done = Okta::offboard("00u1".into(), ada(), leaver(true, true)).unwrap();
    assert_eq!(done, Operation::done());
    assert_eq!(
        calls(&host),
        vec![
            format!("Get {USERS}/00u1"),
            format!("Delete {USERS}/00u1/sessions?oauthTokens=true"),
            format!("Post {USERS}/00u1/lifecycle/suspend"),
        ]
    );
}

#[test]
fn offboarding_deactivates_only_when_the_setting_says_so() {
    let host = okta_host();
    host.set_config("deactivate_on_offboard", Some("true"));
    host.on(Method::Get, &format!("{USERS}/00u1"))
        .reply(Reply::json(200, &user("00u1", "ada@acme.com", "ACTIVE")));
    host.on(
        Method::Delete,
        &format!("{USERS}/00u1/sessions?oauthTokens=true"),
    )
    .reply(Reply::status(204));
    host.on(Method::Post, &format!("{USERS}/00u1/lifecycle/deactivate"))
        .reply(Reply::status(200));
    Okta::offboard("00u1".into(), ada(), leaver(true, true)).unwrap();
    let posts = host.requests_to(Method::Post, USERS);
    assert_eq!(posts.len(), 1);
    assert!(posts[0].url.ends_with("/lifecycle/deactivate"));
}

#[test]
fn offboarding_a_suspended_user_again_changes_nothing() {
    let host = okta_host();
    host.on(Method::Get, &format!("{USERS}/00u1"))
        .reply(Reply::json(200, &user("00u1", "ada@acme.com", "SUSPENDED")));
    Okta::offboard("00u1".into(), ada(), leaver(true, false)).unwrap();
    assert_eq!(host.requests().len(), 1);
}

#[test]
fn a_never_activated_user_is_left_to_a_person_after_its_sessions_go() {
    let host = okta_host();
    host.on(Method::Get, &format!("{USERS}/00u1"))
        .reply(Reply::json(
            200,
            &user("00u1", "ada@acme.com", "PROVISIONED"),
        ));
    host.on(
        Method::Delete,
        &format!("{USERS}/00u1/sessions?oauthTokens=true"),
    )
    .reply(Reply::status(204));
    let e = Okta::offboard("00u1".into(), ada(), leaver(true, true)).unwrap_err();
    assert!(
        matches!(&e, Error::Unsupported(m) if m.contains("never activated")),
        "{e:?}"
    );
    assert!(host.requests_to(Method::Post, USERS).is_empty());
}

#[test]
fn an_offboard_step_it_cannot_take_is_refused_before_anything_changes() {
    let host = okta_host();
    let mut options = leaver(true, true);
    options.forward_mail_to = Some("boss@acme.com".into());
    assert!(matches!(
        Okta::offboard("00u1".into(), ada(), options),
        Err(Error::Unsupported(_))
    ));
    assert!(host.requests().is_empty());
}

#[test]
fn reactivating_unsuspends_a_suspended_user_and_activates_a_deactivated_one() {
    let host = okta_host();
    host.on(Method::Get, &format!("{USERS}/00u1"))
        .reply(Reply::json(200, &user("00u1", "ada@acme.com", "SUSPENDED")));
    host.on(Method::Post, &format!("{USERS}/00u1/lifecycle/unsuspend"))
        .reply(Reply::status(200));
    Okta::reactivate("00u1".into()).unwrap();
    host.on(Method::Get, &format!("{USERS}/00u2"))
        .reply(Reply::json(
            200,
            &user("00u2", "bob@acme.com", "DEPROVISIONED"),
        ));
    host.on(
        Method::Post,
        &format!("{USERS}/00u2/lifecycle/activate?sendEmail=true"),
    )
    .reply(Reply::json(200, &json!({})));
    Okta::reactivate("00u2".into()).unwrap();
    host.on(Method::Get, &format!("{USERS}/00u3"))
        .reply(Reply::json(200, &user("00u3", "cy@acme.com", "ACTIVE")));
    Okta::reactivate("00u3".into()).unwrap();
    assert_eq!(host.requests_to(Method::Post, USERS).len(), 2);
}

#[test]
fn deleting_deactivates_first_and_gone_is_done() {
    let host = okta_host();
    host.on(Method::Get, &format!("{USERS}/00u1"))
        .reply(Reply::json(200, &user("00u1", "ada@acme.com", "SUSPENDED")));
    host.on(Method::Post, &format!("{USERS}/00u1/lifecycle/deactivate"))
        .reply(Reply::status(200));
    host.on(Method::Delete, &format!("{USERS}/00u1"))
        .reply(Reply::status(204));
    Okta::delete_account("00u1".into()).unwrap();
    assert_eq!(
        calls(&host)[1..],
        [
            format!("Post {USERS}/00u1/lifecycle/deactivate"),
            format!("Delete {USERS}/00u1"),
        ]
    );
    host.on(Method::Get, &format!("{USERS}/00u9"))
        .reply(not_found());
    Okta::delete_account("00u9".into()).unwrap();
}

fn group(id: &str, name: &str, kind: &str) -> serde_json::Value {
    json!({"id": id, "type": kind, "profile": {"name": name, "description": null}})
}

#[test]
fn find_group_follows_pages_and_matches_names_exactly_ignoring_case() {
    let host = okta_host();
    let first = format!("{ORG}/api/v1/groups?q=Engineering&limit=200");
    host.on(Method::Get, &first).reply(
        Reply::json(200, &json!([group("00g1", "Engineering Leads", "OKTA_GROUP")]))
            .header(
                "link",
                &format!(r#"<{first}>; rel="self", <{ORG}/api/v1/groups?after=00g1&limit=200&q=Engineering>; rel="next""#),
            ),
    );
    host.on(
        Method::Get,
        &format!("{ORG}/api/v1/groups?q=Engineering&limit=200&after=00g1"),
    )
    .reply(Reply::json(
        200,
        &json!([group("00g2", "engineering", "OKTA_GROUP")]),
    ));
    let g = Okta::find_group("Engineering".into()).unwrap().unwrap();
    assert_eq!(g.id, "00g2");
    assert_eq!(g.name, "engineering");
}

#[test]
fn two_groups_of_one_name_are_a_clear_error_and_an_imported_group_is_refused() {
    let host = okta_host();
    host.on_prefix(Method::Get, &format!("{ORG}/api/v1/groups?q=Sales"))
        .once()
        .reply(Reply::json(
            200,
            &json!([
                group("00g1", "Sales", "OKTA_GROUP"),
                group("00g2", "SALES", "OKTA_GROUP")
            ]),
        ));
    let e = Okta::find_group("Sales".into()).unwrap_err();
    assert!(
        matches!(&e, Error::Conflict(m) if m.contains("2 Okta groups are named Sales")),
        "{e:?}"
    );
    host.on_prefix(Method::Get, &format!("{ORG}/api/v1/groups?q=Sales"))
        .reply(Reply::json(
            200,
            &json!([group("00g3", "Sales", "APP_GROUP")]),
        ));
    assert!(matches!(
        Okta::find_group("Sales".into()),
        Err(Error::InvalidInput(m)) if m.contains("APP_GROUP")
    ));
}

#[test]
fn memberships_page_with_the_after_cursor() {
    let host = okta_host();
    host.on(Method::Get, &format!("{USERS}/00u1/groups?limit=200"))
        .reply(
            Reply::json(200, &json!([group("00g1", "Everyone", "BUILT_IN")])).header(
                "link",
                &format!(r#"<{USERS}/00u1/groups?limit=200&after=00g1>; rel="next""#),
            ),
        );
    host.on(
        Method::Get,
        &format!("{USERS}/00u1/groups?limit=200&after=00g1"),
    )
    .reply(Reply::json(
        200,
        &json!([group("00g2", "Sales", "OKTA_GROUP")]),
    ));
    let page = Okta::list_memberships("00u1".into(), None).unwrap();
    assert_eq!(page.groups[0].name, "Everyone");
    assert_eq!(page.next_cursor.as_deref(), Some("00g1"));
    let page = Okta::list_memberships("00u1".into(), page.next_cursor).unwrap();
    assert_eq!(page.groups[0].id, "00g2");
    assert_eq!(page.next_cursor, None);
}

#[test]
fn the_group_picker_lists_okta_groups_by_prefix() {
    let host = okta_host();
    host.on(Method::Get, &format!("{ORG}/api/v1/groups?q=en&limit=200"))
        .reply(Reply::json(
            200,
            &json!([
                group("00g1", "Engineering", "OKTA_GROUP"),
                group("00g2", "Engineers (AD)", "APP_GROUP")
            ]),
        ));
    let page = Okta::list_groups(Some("en".into()), None).unwrap();
    assert_eq!(
        page.groups,
        vec![Group {
            id: "00g1".into(),
            name: "Engineering".into()
        }]
    );
}

#[test]
fn membership_changes_are_idempotent() {
    let host = okta_host();
    host.on(Method::Put, &format!("{ORG}/api/v1/groups/00g1/users/00u1"))
        .reply(Reply::status(204));
    Okta::add_to_group("00u1".into(), "00g1".into()).unwrap();
    Okta::add_to_group("00u1".into(), "00g1".into()).unwrap();
    host.on(
        Method::Delete,
        &format!("{ORG}/api/v1/groups/00g1/users/00u1"),
    )
    .reply(okta_error(
        404,
        "E0000007",
        "Not found: Resource not found: 00u1 (GroupMembership)",
        &[],
    ));
    Okta::remove_from_group("00u1".into(), "00g1".into()).unwrap();
    host.on(Method::Put, &format!("{ORG}/api/v1/groups/00g9/users/00u1"))
        .reply(okta_error(
            404,
            "E0000007",
            "Not found: Resource not found: 00g9 (UserGroup)",
            &[],
        ));
    assert!(matches!(
        Okta::add_to_group("00u1".into(), "00g9".into()),
        Err(Error::NotFound(_))
    ));
}

#[test]
fn a_service_app_signs_a_client_assertion_and_caches_the_token() {
    let host = FakeHost::new()
        .with_manifest(include_str!("../manifest.toml"))
        .config("org_url", ORG)
        .config("auth", "oauth")
        .config("client_id", "0oa-client")
        .signing_key("signing_key", None);
    let token_url = format!("{ORG}/oauth2/v1/token");
    host.on(Method::Post, &token_url).reply(Reply::json(
        200,
        &json!({"token_type": "Bearer", "expires_in": 3600, "access_token": "eyJ.access",
            "scope": "okta.users.manage okta.groups.manage"}),
    ));
    host.on_prefix(Method::Get, &format!("{USERS}?limit=1"))
        .reply(Reply::json(200, &json!([])));
    Okta::test_connection().unwrap();
    Okta::test_connection().unwrap();
    let tokens = host.requests_to(Method::Post, &token_url);
    assert_eq!(tokens.len(), 1, "the second call uses the cached token");
    let t = &tokens[0];
    assert_eq!(t.form("grant_type").as_deref(), Some("client_credentials"));
    assert_eq!(
        t.form("scope").as_deref(),
        Some("okta.users.manage okta.groups.manage")
    );
    assert_eq!(
        t.form("client_assertion_type").as_deref(),
        Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    );
    let claims = testing::jwt_claims(&t.form("client_assertion").unwrap());
    assert_eq!(claims["iss"], "0oa-client");
    assert_eq!(claims["sub"], "0oa-client");
    assert_eq!(claims["aud"], token_url.as_str());
    assert_eq!(claims["iat"], NOW);
    assert!(claims["exp"].as_i64().unwrap() <= NOW + 3600);
    assert_eq!(claims["jti"].as_str().unwrap().len(), 32);
    assert_eq!(
        host.last_request().header("authorization"),
        Some("Bearer eyJ.access")
    );
}

#[test]
fn a_refused_service_app_is_unauthorized_with_the_fix() {
    let host = FakeHost::new()
        .with_manifest(include_str!("../manifest.toml"))
        .config("org_url", ORG)
        .config("auth", "oauth")
        .config("client_id", "0oa-client")
        .signing_key("signing_key", None);
    host.on(Method::Post, &format!("{ORG}/oauth2/v1/token")).reply(Reply::json(
        400,
        &json!({"error": "invalid_dpop_proof", "error_description": "The DPoP proof JWT header is missing."}),
    ));
    let e = Okta::test_connection().unwrap_err();
    assert!(
        matches!(&e, Error::Unauthorized(m) if m.contains("DPoP")),
        "{e:?}"
    );
}

#[test]
fn missing_settings_are_unauthorized_and_send_nothing() {
    let host = okta_host();
    host.set_secret("api_token", None);
    assert!(
        matches!(Okta::test_connection(), Err(Error::Unauthorized(m)) if m.contains("api_token"))
    );
    host.set_config("auth", Some("oauth"));
    assert!(
        matches!(Okta::test_connection(), Err(Error::Unauthorized(m)) if m.contains("client_id"))
    );
    host.set_config("org_url", Some("https://acme-admin.okta.com"));
    assert!(
        matches!(Okta::test_connection(), Err(Error::Unauthorized(m)) if m.contains("Admin Console"))
    );
    assert!(host.requests().is_empty());
}

#[test]
fn paging_stops_when_the_rate_limit_bucket_is_empty() {
    let host = okta_host();
    host.on(Method::Get, &format!("{ORG}/api/v1/groups?q=Ops&limit=200"))
        .reply(
            Reply::json(200, &json!([group("00g1", "Ops EU", "OKTA_GROUP")]))
                .header("x-rate-limit-remaining", "0")
                .header("x-rate-limit-reset", &(NOW + 12).to_string())
                .header(
                    "link",
                    &format!(r#"<{ORG}/api/v1/groups?after=00g1&limit=200&q=Ops>; rel="next""#),
                ),
        );
    assert_eq!(Okta::find_group("Ops".into()), Err(Error::RateLimited(12)));
    assert_eq!(
        host.requests().len(),
        1,
        "the next page waits for the reset"
    );
}
