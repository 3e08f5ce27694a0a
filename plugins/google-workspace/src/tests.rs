//! Unit tests against the SDK's fake host: Google's answers are scripted as the
//! Admin SDK gives them (see `api.rs`), each test calls a trait method and checks the
//! result and the requests sent.

use super::*;
use serde_json::json;
use tenure_sdk::testing::{self, FakeHost, Method, RecordedRequest, Reply};

const TOKEN: &str = "https://oauth2.googleapis.com/token";
const DIR: &str = "https://admin.googleapis.com/admin/directory/v1";
const DT: &str = "https://admin.googleapis.com/admin/datatransfer/v1";
const SA: &str = "tenure@acme-project.iam.gserviceaccount.com";
const ADMIN: &str = "admin@acme.test";

/// A fake host with this plugin's manifest (defaults, kinds, allowed hosts), a
/// service-account key, the admin, and Google's token endpoint.
fn host() -> FakeHost {
    let host = FakeHost::new()
        .with_manifest(include_str!("../manifest.toml"))
        .signing_key(api::KEY, Some(SA))
        .config("admin_email", ADMIN);
    host.on(Method::Post, TOKEN).reply(Reply::json(
        200,
        &json!({"access_token": "ya29.t1", "expires_in": 3599, "token_type": "Bearer"}),
    ));
    host
}

fn ada() -> Person {
    testing::person("ada@acme.test")
}

fn user(id: &str, email: &str, suspended: bool) -> Value {
    json!({"kind": "admin#directory#user", "id": id, "primaryEmail": email,
        "name": {"givenName": "Ada", "familyName": "Lovelace", "fullName": "Ada Lovelace"},
        "suspended": suspended, "orgUnitPath": "/"})
}

/// Google's error body.
fn google_error(code: u16, reason: &str, message: &str) -> Reply {
    Reply::json(
        code,
        &json!({"error": {"code": code, "message": message,
            "errors": [{"message": message, "domain": "global", "reason": reason}]}}),
    )
}

fn transfer(id: &str, status: &str, requested: &str) -> Value {
    json!({"kind": "admin#datatransfer#DataTransfer", "id": id,
        "oldOwnerUserId": "u-ada", "newOwnerUserId": "u-boss",
        "overallTransferStatusCode": status, "requestTime": requested,
        "applicationDataTransfers": [{"applicationId": "55656082996",
            "applicationTransferParams": [{"key": "PRIVACY_LEVEL", "value": ["PRIVATE", "SHARED"]}]}]})
}

/// The requests to the APIs (not the token endpoint), as `METHOD url`.
fn api_calls(host: &FakeHost) -> Vec<String> {
    host.requests()
        .iter()
        .filter(|r| r.url != TOKEN)
        .map(|r| format!("{:?} {}", r.method, r.url))
        .collect()
}

fn token_requests(host: &FakeHost) -> Vec<RecordedRequest> {
    host.requests_to(Method::Post, TOKEN)
}

#[test]
fn describe_matches_the_methods_implemented() {
    testing::assert_capabilities_match::<GoogleWorkspace>();
}

#[test]
fn the_token_is_asked_for_as_the_admin_with_every_scope() {
    let host = host();
    host.on(
        Method::Get,
        &format!("{DIR}/users?customer=my_customer&maxResults=1"),
    )
    .reply(Reply::json(
        200,
        &json!({"users": [user("u0", ADMIN, false)]}),
    ));

    GoogleWorkspace::test_connection().unwrap();

    let token = &token_requests(&host)[0];
    assert_eq!(
        token.form("grant_type").as_deref(),
        Some("urn:ietf:params:oauth:grant-type:jwt-bearer")
    );
    let claims = testing::jwt_claims(&token.form("assertion").unwrap());
    assert_eq!(claims["scope"], api::SCOPES.join(" "));
    assert!(
        claims["scope"]
            .as_str()
            .unwrap()
            .contains("https://www.googleapis.com/auth/admin.directory.user.security")
    );
    assert_eq!(claims["sub"], ADMIN);
    assert_eq!(claims["iss"], SA);
    assert_eq!(claims["aud"], TOKEN);
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        3600
    );
    assert_eq!(
        host.last_request().header("authorization"),
        Some("Bearer ya29.t1")
    );
}

#[test]
fn the_token_is_reused_until_it_expires() {
    let host = host();
    host.on(Method::Get, &format!("{DIR}/users/ada%40acme.test"))
        .reply(Reply::json(200, &user("u-ada", "ada@acme.test", false)));
    GoogleWorkspace::find_account(ada()).unwrap();
    GoogleWorkspace::find_account(ada()).unwrap();
    assert_eq!(token_requests(&host).len(), 1);
    host.advance(3600);
    GoogleWorkspace::find_account(ada()).unwrap();
    assert_eq!(token_requests(&host).len(), 2);
}

#[test]
fn the_token_url_of_the_settings_is_the_endpoint_and_the_audience() {
    let host = host();
    host.set_config("token_url", Some("http://127.0.0.1:7070/token"));
    host.set_config("api_url", Some("http://127.0.0.1:7070"));
    host.on(Method::Post, "http://127.0.0.1:7070/token")
        .reply(Reply::json(200, &json!({"access_token": "ya29.local"})));
    host.on(
        Method::Get,
        "http://127.0.0.1:7070/admin/directory/v1/users?customer=my_customer&maxResults=1",
    )
    .reply(Reply::json(200, &json!({"kind": "admin#directory#users"})));

    GoogleWorkspace::test_connection().unwrap();

    let token = &host.requests_to(Method::Post, "http://127.0.0.1:7070/token")[0];
    let claims = testing::jwt_claims(&token.form("assertion").unwrap());
    assert_eq!(claims["aud"], "http://127.0.0.1:7070/token");
    assert!(token_requests(&host).is_empty());
}

#[test]
fn refused_delegation_is_unauthorized_and_says_what_to_fix() {
    let host = FakeHost::new()
        .with_manifest(include_str!("../manifest.toml"))
        .signing_key(api::KEY, Some(SA))
        .config("admin_email", ADMIN);
    host.on(Method::Post, TOKEN).reply(Reply::json(
        401,
        &json!({"error": "unauthorized_client",
            "error_description": "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested."}),
    ));
    let e = GoogleWorkspace::test_connection().unwrap_err();
    assert!(
        matches!(&e, Error::Unauthorized(m) if m.contains("unauthorized") && m.contains("domain-wide delegation")),
        "{e:?}"
    );
    // No admin set: unauthorized, nothing sent.
    host.set_config("admin_email", None);
    host.clear_requests();
    assert!(matches!(
        GoogleWorkspace::test_connection(),
        Err(Error::Unauthorized(m)) if m.contains("admin_email")
    ));
    assert!(host.requests().is_empty());
}

#[test]
fn an_unknown_customer_fails_the_connection_test() {
    let host = host();
    host.set_config("customer", Some("C0nope"));
    host.on(
        Method::Get,
        &format!("{DIR}/users?customer=C0nope&maxResults=1"),
    )
    .reply(google_error(400, "badRequest", "Bad Request"));
    assert!(matches!(
        GoogleWorkspace::test_connection(),
        Err(Error::Unauthorized(m)) if m.contains("C0nope")
    ));
}

#[test]
fn find_account_reports_a_suspended_account_as_inactive() {
    let host = host();
    host.on(Method::Get, &format!("{DIR}/users/ada%40acme.test"))
        .reply(Reply::json(200, &user("u-ada", "Ada@acme.test", true)));
    assert_eq!(
        GoogleWorkspace::find_account(ada()).unwrap(),
        Some(Account {
            id: "u-ada".into(),
            login: "Ada@acme.test".into(),
            active: false
        })
    );
}

#[test]
fn find_account_uses_the_login_and_answers_none_for_a_404() {
    let host = host();
    host.on(Method::Get, &format!("{DIR}/users/a.lovelace%40acme.test"))
        .reply(google_error(404, "notFound", "Resource Not Found: userKey"));
    let who = Person {
        login: Some("a.lovelace@acme.test".into()),
        ..ada()
    };
    assert_eq!(GoogleWorkspace::find_account(who), Ok(None));
}

#[test]
fn provision_creates_in_the_org_unit_with_a_password_to_change() {
    let host = host();
    host.set_config("org_unit", Some("/Staff"));
    host.on(Method::Get, &format!("{DIR}/users/ada%40acme.test"))
        .reply(google_error(404, "notFound", "Resource Not Found: userKey"));
    host.on(Method::Post, &format!("{DIR}/users"))
        .reply(Reply::json(200, &user("u-ada", "ada@acme.test", false)));
    let who = Person {
        personal_email: Some("ada@home.example".into()),
        title: Some("Engineer".into()),
        department: Some("R&D".into()),
        manager_email: Some("boss@acme.test".into()),
        ..ada()
    };
    let request = ProvisionRequest {
        credential: Credential::TemporaryPassword("Tmp-Pa55-word!".into()),
        ..testing::provision_request(who)
    };

    let done = GoogleWorkspace::provision(request).unwrap();

    assert_eq!(
        done,
        Provisioned::created(testing::account("u-ada", "ada@acme.test"), None)
    );
    let body: Value = host.last_request().json();
    assert_eq!(body["primaryEmail"], "ada@acme.test");
    assert_eq!(
        body["name"],
        json!({"givenName": "Ada", "familyName": "Lovelace"})
    );
    assert_eq!(body["password"], "Tmp-Pa55-word!");
    assert_eq!(body["changePasswordAtNextLogin"], true);
    assert_eq!(body["orgUnitPath"], "/Staff");
    assert_eq!(body["recoveryEmail"], "ada@home.example");
    assert_eq!(
        body["externalIds"],
        json!([{"type": "organization", "value": "emp-1"}])
    );
    assert_eq!(
        body["organizations"],
        json!([{"primary": true, "type": "work", "title": "Engineer", "department": "R&D"}])
    );
    assert_eq!(
        body["relations"],
        json!([{"type": "manager", "value": "boss@acme.test"}])
    );
}

#[test]
fn provision_for_single_sign_on_sets_a_random_password_nobody_is_given() {
    let host = host();
    host.on(Method::Get, &format!("{DIR}/users/ada%40acme.test"))
        .reply(google_error(404, "notFound", "Resource Not Found: userKey"));
    host.on(Method::Post, &format!("{DIR}/users"))
        .reply(Reply::json(200, &user("u-ada", "ada@acme.test", false)));

    let first = GoogleWorkspace::provision(testing::provision_request(ada())).unwrap();
    GoogleWorkspace::provision(testing::provision_request(ada())).unwrap();

    assert!(first.created);
    assert_eq!(first.activation_link, None);
    let creates = host.requests_to(Method::Post, &format!("{DIR}/users"));
    let passwords: Vec<String> = creates
        .iter()
        .map(|r| r.json::<Value>()["password"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(passwords[0].len(), 32);
    assert_ne!(passwords[0], passwords[1]);
    let body: Value = creates[0].json();
    assert_eq!(body["orgUnitPath"], "/");
    assert!(body.get("recoveryEmail").is_none());
    assert!(body.get("organizations").is_none());
    assert!(!host.logs().iter().any(|(_, l)| l.contains(&passwords[0])));
}

#[test]
fn provision_finds_before_it_creates_and_changes_nothing() {
    let host = host();
    host.on(Method::Get, &format!("{DIR}/users/ada%40acme.test"))
        .reply(Reply::json(200, &user("u-ada", "ada@acme.test", true)));
    let done = GoogleWorkspace::provision(testing::provision_request(ada())).unwrap();
    assert_eq!(
        done,
        Provisioned::found(Account {
            active: false,
            ..testing::account("u-ada", "ada@acme.test")
        })
    );
    assert_eq!(api_calls(&host).len(), 1, "no create, no update");
}

#[test]
fn a_duplicate_on_create_is_the_account_made_meanwhile() {
    let host = host();
    host.on(Method::Get, &format!("{DIR}/users/ada%40acme.test"))
        .once()
        .reply(google_error(404, "notFound", "Resource Not Found: userKey"));
    host.on(Method::Post, &format!("{DIR}/users"))
        .reply(google_error(409, "duplicate", "Entity already exists."));
    host.on(Method::Get, &format!("{DIR}/users/ada%40acme.test"))
        .reply(Reply::json(200, &user("u-ada", "ada@acme.test", false)));

    let done = GoogleWorkspace::provision(testing::provision_request(ada())).unwrap();

    assert_eq!(
        done,
        Provisioned::found(testing::account("u-ada", "ada@acme.test"))
    );
}

#[test]
fn an_address_taken_by_no_user_is_a_conflict() {
    let host = host();
    host.on(Method::Get, &format!("{DIR}/users/ada%40acme.test"))
        .reply(google_error(404, "notFound", "Resource Not Found: userKey"));
    host.on(Method::Post, &format!("{DIR}/users"))
        .reply(google_error(409, "duplicate", "Entity already exists."));
    assert!(matches!(
        GoogleWorkspace::provision(testing::provision_request(ada())),
        Err(Error::Conflict(m)) if m.contains("ada@acme.test")
    ));
}

#[test]
fn an_invitation_is_unsupported_and_nothing_is_created() {
    let host = host();
    host.on(Method::Get, &format!("{DIR}/users/ada%40acme.test"))
        .reply(google_error(404, "notFound", "Resource Not Found: userKey"));
    let request = ProvisionRequest {
        credential: Credential::Invitation,
        ..testing::provision_request(ada())
    };
    assert!(matches!(
        GoogleWorkspace::provision(request),
        Err(Error::Unsupported(_))
    ));
    assert!(
        host.requests_to(Method::Post, &format!("{DIR}/users"))
            .is_empty()
    );
}

#[test]
fn a_domain_the_customer_does_not_own_is_invalid_input_not_unauthorized() {
    let host = host();
    host.on(Method::Get, &format!("{DIR}/users/ada%40other.example"))
        .reply(google_error(404, "notFound", "Resource Not Found: userKey"));
    host.on(Method::Post, &format!("{DIR}/users"))
        .reply(google_error(
            403,
            "forbidden",
            "Not Authorized to access this resource/api",
        ));
    host.on(
        Method::Get,
        &format!("{DIR}/users?customer=my_customer&maxResults=1"),
    )
    .reply(Reply::json(
        200,
        &json!({"users": [user("u0", ADMIN, false)]}),
    ));
    let e = GoogleWorkspace::provision(testing::provision_request(testing::person(
        "ada@other.example",
    )))
    .unwrap_err();
    assert!(
        matches!(&e, Error::InvalidInput(m) if m.contains("ada@other.example") && m.contains("domain")),
        "{e:?}"
    );
}

#[test]
fn a_temporary_password_is_never_echoed_in_errors() {
    let host = host();
    host.on(Method::Get, &format!("{DIR}/users/ada%40acme.test"))
        .reply(google_error(404, "notFound", "Resource Not Found: userKey"));
    host.on(Method::Post, &format!("{DIR}/users"))
        .reply(google_error(
            400,
            "invalid",
            "Invalid Password Tmp-Pa55-word!",
        ));
    let request = ProvisionRequest {
        credential: Credential::TemporaryPassword("Tmp-Pa55-word!".into()),
        ..testing::provision_request(ada())
    };
    assert_eq!(
        GoogleWorkspace::provision(request),
        Err(Error::InvalidInput(
            "HTTP 400: Invalid Password [redacted]".into()
        ))
    );
}

/// Routes for offboarding u-ada with the files going to boss@acme.test (u-boss).
fn leaver_routes(host: &FakeHost) {
    host.on(Method::Get, &format!("{DIR}/users/u-ada"))
        .reply(Reply::json(200, &user("u-ada", "ada@acme.test", false)));
    host.on(Method::Get, &format!("{DIR}/users/boss%40acme.test"))
        .reply(Reply::json(200, &user("u-boss", "boss@acme.test", false)));
    host.on(Method::Post, &format!("{DIR}/users/u-ada/signOut"))
        .reply(Reply::status(204));
    host.on(Method::Patch, &format!("{DIR}/users/u-ada"))
        .reply(Reply::json(200, &user("u-ada", "ada@acme.test", true)));
}

fn every_leaver_step() -> LeaverOptions {
    LeaverOptions {
        disable: true,
        revoke_sessions: true,
        transfer_data_to: Some("boss@acme.test".into()),
        ..testing::leaver_options()
    }
}

const EARLIER_TRANSFERS: &str = "https://admin.googleapis.com/admin/datatransfer/v1/transfers?oldOwnerUserId=u-ada&newOwnerUserId=u-boss";

#[test]
fn offboard_hands_files_over_then_signs_out_then_suspends() {
    let host = host();
    leaver_routes(&host);
    host.on(Method::Get, EARLIER_TRANSFERS).reply(Reply::json(
        200,
        &json!({"kind": "admin#datatransfer#dataTransfersList"}),
    ));
    host.on(Method::Post, &format!("{DT}/transfers"))
        .reply(Reply::json(
            200,
            &transfer("t-1", "inProgress", "2025-01-01T00:00:00.000Z"),
        ));

    let op = GoogleWorkspace::offboard("u-ada".into(), ada(), every_leaver_step()).unwrap();

    assert_eq!(op, Operation::in_progress("t-1"));
    assert_eq!(
        api_calls(&host),
        [
            format!("Method::Get {DIR}/users/u-ada"),
            format!("Method::Get {DIR}/users/boss%40acme.test"),
            format!("Method::Get {EARLIER_TRANSFERS}"),
            format!("Method::Post {DT}/transfers"),
            format!("Method::Post {DIR}/users/u-ada/signOut"),
            format!("Method::Patch {DIR}/users/u-ada"),
        ]
    );
    let asked: Value = host.requests_to(Method::Post, &format!("{DT}/transfers"))[0].json();
    assert_eq!(
        asked,
        json!({"oldOwnerUserId": "u-ada", "newOwnerUserId": "u-boss",
            "applicationDataTransfers": [{"applicationId": "55656082996",
                "applicationTransferParams": [{"key": "PRIVACY_LEVEL", "value": ["PRIVATE", "SHARED"]}]}]})
    );
    let suspend: Value = host.last_request().json();
    assert_eq!(suspend, json!({"suspended": true}));
}

#[test]
fn a_retried_offboard_does_not_start_a_second_transfer() {
    let host = host();
    leaver_routes(&host);
    host.on(Method::Get, EARLIER_TRANSFERS).reply(Reply::json(
        200,
        &json!({"dataTransfers": [transfer("t-1", "inProgress", "2025-01-01T00:00:00.000Z")]}),
    ));

    let op = GoogleWorkspace::offboard("u-ada".into(), ada(), every_leaver_step()).unwrap();

    assert_eq!(op, Operation::in_progress("t-1"));
    assert!(
        host.requests_to(Method::Post, &format!("{DT}/transfers"))
            .is_empty()
    );
    // Signing out and suspending again are harmless, and done.
    assert_eq!(
        host.requests_to(Method::Patch, &format!("{DIR}/users/u-ada"))
            .len(),
        1
    );
}

#[test]
fn a_transfer_completed_just_now_is_done_and_an_old_or_failed_one_is_asked_for_again() {
    let host = host();
    leaver_routes(&host);
    host.on(Method::Get, EARLIER_TRANSFERS)
        .once()
        .reply(Reply::json(
            200,
            &json!({"dataTransfers": [transfer("t-1", "completed", "2024-12-31T22:00:00.000Z")]}),
        ));
    host.on(Method::Get, EARLIER_TRANSFERS).reply(Reply::json(
        200,
        &json!({"dataTransfers": [
            transfer("t-0", "completed", "2024-06-01T00:00:00.000Z"),
            transfer("t-1", "failed", "2024-12-31T22:00:00.000Z"),
        ]}),
    ));
    host.on(Method::Post, &format!("{DT}/transfers"))
        .reply(Reply::json(
            200,
            &transfer("t-2", "inProgress", "2025-01-01T00:00:00.000Z"),
        ));

    let options = LeaverOptions {
        transfer_data_to: Some("boss@acme.test".into()),
        ..testing::leaver_options()
    };
    assert_eq!(
        GoogleWorkspace::offboard("u-ada".into(), ada(), options.clone()),
        Ok(Operation::done())
    );
    assert_eq!(
        GoogleWorkspace::offboard("u-ada".into(), ada(), options),
        Ok(Operation::in_progress("t-2"))
    );
    assert_eq!(
        host.requests_to(Method::Post, &format!("{DT}/transfers"))
            .len(),
        1
    );
}

#[test]
fn a_manager_without_an_account_is_invalid_input_before_anything_changes() {
    let host = host();
    host.on(Method::Get, &format!("{DIR}/users/u-ada"))
        .reply(Reply::json(200, &user("u-ada", "ada@acme.test", false)));
    host.on(Method::Get, &format!("{DIR}/users/boss%40acme.test"))
        .reply(google_error(404, "notFound", "Resource Not Found: userKey"));

    let e = GoogleWorkspace::offboard("u-ada".into(), ada(), every_leaver_step()).unwrap_err();

    assert!(
        matches!(&e, Error::InvalidInput(m) if m.contains("boss@acme.test") && m.contains("no account")),
        "{e:?}"
    );
    assert!(
        host.requests()
            .iter()
            .all(|r| r.method == Method::Get || r.url == TOKEN)
    );
}

#[test]
fn offboarding_a_user_that_is_gone_is_not_found() {
    let host = host();
    host.on(Method::Get, &format!("{DIR}/users/u-ada"))
        .reply(google_error(404, "notFound", "Resource Not Found: userKey"));
    host.on(Method::Post, &format!("{DIR}/users/u-ada/signOut"))
        .reply(google_error(404, "notFound", "Resource Not Found: userKey"));
    assert!(matches!(
        GoogleWorkspace::offboard("u-ada".into(), ada(), every_leaver_step()),
        Err(Error::NotFound(_))
    ));
    let sign_out_only = LeaverOptions {
        revoke_sessions: true,
        disable: true,
        ..testing::leaver_options()
    };
    assert!(matches!(
        GoogleWorkspace::offboard("u-ada".into(), ada(), sign_out_only),
        Err(Error::NotFound(_))
    ));
}

#[test]
fn mail_forwarding_is_refused_before_anything_is_touched() {
    let host = host();
    let options = LeaverOptions {
        disable: true,
        forward_mail_to: Some("boss@acme.test".into()),
        ..testing::leaver_options()
    };
    let e = GoogleWorkspace::offboard("u-ada".into(), ada(), options).unwrap_err();
    assert!(
        matches!(&e, Error::Unsupported(m) if m.contains("forward mail")),
        "{e:?}"
    );
    assert!(host.requests().is_empty());
}

#[test]
fn operation_status_follows_the_transfer() {
    let host = host();
    for (id, status) in [
        ("t-1", "inProgress"),
        ("t-2", "completed"),
        ("t-3", "failed"),
    ] {
        host.on(Method::Get, &format!("{DT}/transfers/{id}"))
            .reply(Reply::json(
                200,
                &transfer(id, status, "2025-01-01T00:00:00.000Z"),
            ));
    }
    host.on(Method::Get, &format!("{DT}/transfers/t-4"))
        .reply(google_error(
            404,
            "notFound",
            "Resource Not Found: dataTransferId",
        ));

    assert_eq!(
        GoogleWorkspace::operation_status("t-1".into()),
        Ok(Operation::in_progress("t-1"))
    );
    assert_eq!(
        GoogleWorkspace::operation_status("t-2".into()),
        Ok(Operation::done())
    );
    let failed = GoogleWorkspace::operation_status("t-3".into()).unwrap();
    assert!(
        matches!(&failed.state, OperationState::Failed(m) if m.contains("t-3")),
        "{failed:?}"
    );
    assert!(matches!(
        GoogleWorkspace::operation_status("t-4".into()),
        Err(Error::NotFound(_))
    ));
}

#[test]
fn quota_403s_back_off_and_are_never_unauthorized() {
    let host = host();
    let url = format!("{DIR}/users/ada%40acme.test");
    host.on(Method::Get, &url).once().reply(google_error(
        403,
        "userRateLimitExceeded",
        "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user'",
    ));
    host.on(Method::Get, &url)
        .once()
        .reply(google_error(403, "quotaExceeded", "Quota exceeded").header("retry-after", "30"));
    host.on(Method::Get, &url).once().reply(google_error(
        403,
        "rateLimitExceeded",
        "Rate Limit Exceeded",
    ));
    host.on(Method::Get, &url)
        .once()
        .reply(google_error(503, "backendError", "Backend Error"));

    // Without Retry-After the host backs off (exponentially, with jitter).
    assert!(matches!(
        GoogleWorkspace::find_account(ada()),
        Err(Error::Unavailable(m)) if m.contains("userRateLimitExceeded")
    ));
    assert_eq!(
        GoogleWorkspace::find_account(ada()),
        Err(Error::RateLimited(30))
    );
    assert!(matches!(
        GoogleWorkspace::find_account(ada()),
        Err(Error::Unavailable(_))
    ));
    assert!(matches!(
        GoogleWorkspace::find_account(ada()),
        Err(Error::Unavailable(_))
    ));
}

#[test]
fn a_401_gets_one_new_token_then_is_unauthorized() {
    let host = host();
    host.on(Method::Get, &format!("{DIR}/users/ada%40acme.test"))
        .reply(google_error(401, "authError", "Invalid Credentials"));
    assert!(matches!(
        GoogleWorkspace::find_account(ada()),
        Err(Error::Unauthorized(m)) if m.contains("401")
    ));
    assert_eq!(token_requests(&host).len(), 2);
    assert_eq!(api_calls(&host).len(), 2);
}

#[test]
fn other_403s_are_unauthorized_and_say_what_to_fix() {
    let host = host();
    host.on(Method::Post, &format!("{DIR}/users/u-ada/signOut"))
        .reply(google_error(
            403,
            "insufficientPermissions",
            "Request had insufficient authentication scopes.",
        ));
    host.on(Method::Patch, &format!("{DIR}/users/u-ada"))
        .reply(google_error(
            403,
            "forbidden",
            "Not Authorized to access this resource/api",
        ));
    let sign_out = LeaverOptions {
        revoke_sessions: true,
        ..testing::leaver_options()
    };
    assert!(matches!(
        GoogleWorkspace::offboard("u-ada".into(), ada(), sign_out),
        Err(Error::Unauthorized(m)) if m.contains("scope")
    ));
    assert!(matches!(
        GoogleWorkspace::reactivate("u-ada".into()),
        Err(Error::Unauthorized(m)) if m.contains("super administrator")
    ));
}

#[test]
fn reactivate_unsuspends_and_deleting_a_gone_user_is_success() {
    let host = host();
    host.on(Method::Patch, &format!("{DIR}/users/u-ada"))
        .reply(Reply::json(200, &user("u-ada", "ada@acme.test", false)));
    host.on(Method::Delete, &format!("{DIR}/users/u-ada"))
        .once()
        .reply(Reply::status(204));
    host.on(Method::Delete, &format!("{DIR}/users/u-ada"))
        .reply(google_error(404, "notFound", "Resource Not Found: userKey"));

    GoogleWorkspace::reactivate("u-ada".into()).unwrap();
    assert_eq!(
        host.last_request().json::<Value>(),
        json!({"suspended": false})
    );
    assert_eq!(GoogleWorkspace::delete_account("u-ada".into()), Ok(()));
    assert_eq!(GoogleWorkspace::delete_account("u-ada".into()), Ok(()));
}

#[test]
fn update_profile_sends_what_changed_and_keeps_what_tenure_does_not_manage() {
    let host = host();
    let mut current = user("u-ada", "ada@acme.test", false);
    current["organizations"] = json!([{"primary": true, "title": "Intern", "costCenter": "CC-7"}]);
    current["relations"] = json!([
        {"type": "manager", "value": "old-boss@acme.test"},
        {"type": "assistant", "value": "sam@acme.test"}
    ]);
    host.on(Method::Get, &format!("{DIR}/users/u-ada"))
        .reply(Reply::json(200, &current));
    host.on(Method::Patch, &format!("{DIR}/users/u-ada"))
        .reply(Reply::json(200, &current));
    let who = Person {
        title: Some("Engineer".into()),
        manager_email: Some("boss@acme.test".into()),
        ..ada()
    };

    GoogleWorkspace::update_profile("u-ada".into(), who).unwrap();

    let patch: Value = host.last_request().json();
    assert_eq!(
        patch,
        json!({
            "organizations": [{"primary": true, "title": "Engineer", "costCenter": "CC-7"}],
            "relations": [
                {"type": "assistant", "value": "sam@acme.test"},
                {"type": "manager", "value": "boss@acme.test"}
            ],
        })
    );
}

#[test]
fn update_profile_with_nothing_new_sends_no_change_and_a_gone_user_is_not_found() {
    let host = host();
    host.on(Method::Get, &format!("{DIR}/users/u-ada"))
        .reply(Reply::json(200, &user("u-ada", "ada@acme.test", false)));
    host.on(Method::Get, &format!("{DIR}/users/u-gone"))
        .reply(google_error(404, "notFound", "Resource Not Found: userKey"));
    GoogleWorkspace::update_profile("u-ada".into(), ada()).unwrap();
    assert!(
        host.requests_to(Method::Patch, DIR).is_empty(),
        "names unchanged, no title, no manager"
    );
    assert!(matches!(
        GoogleWorkspace::update_profile("u-gone".into(), ada()),
        Err(Error::NotFound(_))
    ));
}

#[test]
fn members_added_twice_and_removed_twice_are_success() {
    let host = host();
    host.on(Method::Get, &format!("{DIR}/users/u-ada"))
        .reply(Reply::json(200, &user("u-ada", "ada@acme.test", false)));
    host.on(Method::Post, &format!("{DIR}/groups/g-1/members"))
        .once()
        .reply(Reply::json(
            200,
            &json!({"id": "u-ada", "email": "ada@acme.test", "role": "MEMBER"}),
        ));
    host.on(Method::Post, &format!("{DIR}/groups/g-1/members"))
        .reply(google_error(409, "duplicate", "Member already exists."));
    host.on(Method::Delete, &format!("{DIR}/groups/g-1/members/u-ada"))
        .once()
        .reply(Reply::status(204));
    host.on(Method::Delete, &format!("{DIR}/groups/g-1/members/u-ada"))
        .reply(google_error(
            404,
            "notFound",
            "Resource Not Found: memberKey",
        ));

    GoogleWorkspace::add_to_group("u-ada".into(), "g-1".into()).unwrap();
    GoogleWorkspace::add_to_group("u-ada".into(), "g-1".into()).unwrap();
    GoogleWorkspace::remove_from_group("u-ada".into(), "g-1".into()).unwrap();
    GoogleWorkspace::remove_from_group("u-ada".into(), "g-1".into()).unwrap();

    let added: Value = host.requests_to(Method::Post, &format!("{DIR}/groups"))[0].json();
    assert_eq!(added, json!({"email": "ada@acme.test", "role": "MEMBER"}));
}

#[test]
fn adding_to_a_group_that_is_gone_is_not_found() {
    let host = host();
    host.on(Method::Get, &format!("{DIR}/users/u-ada"))
        .reply(Reply::json(200, &user("u-ada", "ada@acme.test", false)));
    host.on(Method::Post, &format!("{DIR}/groups/g-9/members"))
        .reply(google_error(
            404,
            "notFound",
            "Resource Not Found: groupKey",
        ));
    assert!(matches!(
        GoogleWorkspace::add_to_group("u-ada".into(), "g-9".into()),
        Err(Error::NotFound(_))
    ));
}

#[test]
fn groups_are_found_by_address_or_by_display_name() {
    let host = host();
    host.on(Method::Get, &format!("{DIR}/groups/all%40acme.test"))
        .reply(Reply::json(
            200,
            &json!({"id": "g-all", "email": "all@acme.test", "name": "Everyone"}),
        ));
    host.on(Method::Get, &format!("{DIR}/groups/none%40acme.test"))
        .reply(google_error(
            404,
            "notFound",
            "Resource Not Found: groupKey",
        ));
    host.on(
        Method::Get,
        &format!("{DIR}/groups?customer=my_customer&maxResults=200"),
    )
    .reply(Reply::json(
        200,
        &json!({"groups": [{"id": "g-all", "email": "all@acme.test", "name": "Everyone"}],
            "nextPageToken": "p2"}),
    ));
    host.on(
        Method::Get,
        &format!("{DIR}/groups?customer=my_customer&maxResults=200&pageToken=p2"),
    )
    .reply(Reply::json(
        200,
        &json!({"groups": [{"id": "g-eng", "email": "eng@acme.test", "name": "Engineering"}]}),
    ));

    assert_eq!(
        GoogleWorkspace::find_group("all@acme.test".into()),
        Ok(Some(Group {
            id: "g-all".into(),
            name: "all@acme.test".into()
        }))
    );
    assert_eq!(
        GoogleWorkspace::find_group("none@acme.test".into()),
        Ok(None)
    );
    assert_eq!(
        GoogleWorkspace::find_group("engineering".into()),
        Ok(Some(Group {
            id: "g-eng".into(),
            name: "eng@acme.test".into()
        }))
    );
    assert_eq!(GoogleWorkspace::find_group("Sales".into()), Ok(None));
}

#[test]
fn memberships_are_paged_with_the_page_token() {
    let host = host();
    host.on(
        Method::Get,
        &format!("{DIR}/groups?userKey=u-ada&maxResults=200"),
    )
    .reply(Reply::json(
        200,
        &json!({"groups": [{"id": "g-all", "email": "all@acme.test", "name": "Everyone"}],
            "nextPageToken": "p2"}),
    ));
    host.on(
        Method::Get,
        &format!("{DIR}/groups?userKey=u-ada&maxResults=200&pageToken=p2"),
    )
    .reply(Reply::json(200, &json!({"kind": "admin#directory#groups"})));

    let first = GoogleWorkspace::list_memberships("u-ada".into(), None).unwrap();
    assert_eq!(
        first.groups,
        [Group {
            id: "g-all".into(),
            name: "all@acme.test".into()
        }]
    );
    assert_eq!(first.next_cursor.as_deref(), Some("p2"));
    let last = GoogleWorkspace::list_memberships("u-ada".into(), first.next_cursor).unwrap();
    assert!(last.groups.is_empty());
    assert_eq!(last.next_cursor, None);
}

#[test]
fn licences_are_left_to_a_person() {
    let _host = host();
    let e = GoogleWorkspace::set_entitlements("u-ada".into(), vec!["sku".into()]).unwrap_err();
    assert!(tenure_sdk::is_not_implemented(&e));
}

#[test]
fn a_forbidden_address_is_no_account_only_when_the_credentials_work() {
    let host = host();
    let list = format!("{DIR}/users?customer=my_customer&maxResults=1");
    host.on(Method::Get, &format!("{DIR}/users/ada%40other.example"))
        .reply(google_error(
            403,
            "forbidden",
            "Not Authorized to access this resource/api",
        ));
    host.on(Method::Get, &list).once().reply(Reply::json(
        200,
        &json!({"users": [user("u0", ADMIN, false)]}),
    ));
    host.on(Method::Get, &list).reply(google_error(
        403,
        "forbidden",
        "Not Authorized to access this resource/api",
    ));
    let who = testing::person("ada@other.example");
    assert_eq!(GoogleWorkspace::find_account(who.clone()), Ok(None));
    assert!(matches!(
        GoogleWorkspace::find_account(who),
        Err(Error::Unauthorized(m)) if m.contains("super administrator")
    ));
}

#[test]
fn the_group_picker_searches_addresses_by_prefix_and_pages_by_token() {
    let host = host();
    host.on(
        Method::Get,
        &format!("{DIR}/groups?customer=my_customer&query=email%3Aeng%2A&maxResults=200"),
    )
    .reply(Reply::json(
        200,
        &json!({"kind": "admin#directory#groups",
            "groups": [{"id": "g-eng", "email": "eng@acme.test", "name": "Engineering"}],
            "nextPageToken": "p2"}),
    ));
    host.on(
        Method::Get,
        &format!(
            "{DIR}/groups?customer=my_customer&query=email%3Aeng%2A&maxResults=200&pageToken=p2"
        ),
    )
    .reply(Reply::json(
        200,
        &json!({"groups": [{"id": "g-ops", "email": "eng-ops@acme.test", "name": "Eng ops"}]}),
    ));
    let first = GoogleWorkspace::list_groups(Some(" Eng ".into()), None).unwrap();
    assert_eq!(
        first.groups,
        [Group {
            id: "g-eng".into(),
            name: "eng@acme.test".into()
        }]
    );
    assert_eq!(first.next_cursor.as_deref(), Some("p2"));
    let last = GoogleWorkspace::list_groups(Some("eng".into()), first.next_cursor).unwrap();
    assert_eq!(last.groups[0].name, "eng-ops@acme.test");
    assert_eq!(last.next_cursor, None);
}

#[test]
fn the_group_picker_lists_every_group_without_a_prefix_and_none_for_a_space() {
    let host = host();
    host.on(
        Method::Get,
        &format!("{DIR}/groups?customer=my_customer&maxResults=200"),
    )
    .reply(Reply::json(200, &json!({"kind": "admin#directory#groups"})));
    let all = GoogleWorkspace::list_groups(None, None).unwrap();
    assert!(all.groups.is_empty() && all.next_cursor.is_none());
    let before = host.requests().len();
    let none = GoogleWorkspace::list_groups(Some("all staff".into()), None).unwrap();
    assert!(none.groups.is_empty());
    assert_eq!(host.requests().len(), before, "nothing asked");
}

#[test]
fn the_group_picker_maps_quota_to_rate_limited() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{DIR}/groups?"))
        .reply(
            google_error(403, "userRateLimitExceeded", "User Rate Limit Exceeded")
                .header("retry-after", "30"),
        );
    assert_eq!(
        GoogleWorkspace::list_groups(Some("x".into()), None),
        Err(Error::RateLimited(30))
    );
}
