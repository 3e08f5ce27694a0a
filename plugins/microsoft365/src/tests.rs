//! Unit tests against the SDK's fake host: Graph's answers scripted as Microsoft
//! documents them (and as the host's Graph fake in `tests/fakes/src/graph` serves them),
//! the connector's requests checked in order.

use super::*;
use graph_client::testing::{
    API, TOKEN_URL, already_a_member, api_calls, api_requests, denied, graph_error,
    memberships_url, not_found, throttled, values,
};
use serde_json::json;
use std::cell::RefCell;
use std::rc::Rc;
use tenure_sdk::testing::{self, FakeHost, Method, Reply};

const SECRET: &str = "client-secret-value~42";
const E3: &str = "6fd2c87f-b296-42f0-b197-1e91e994b900";
const SPE_E3: &str = "05e9a617-0261-4cee-bb44-138d3ef5d965";

/// A fake host with the manifest and the three required settings, no token endpoint.
fn settings_host() -> FakeHost {
    graph_client::testing::settings_host(include_str!("../manifest.toml"), "app-123", SECRET)
}

/// A fake host with the manifest, the three required settings and a token endpoint.
fn host() -> FakeHost {
    graph_client::testing::host(include_str!("../manifest.toml"), "app-123", SECRET, "tok-1")
}

fn ada() -> Person {
    Person {
        title: Some("Engineer".into()),
        department: Some("R&D".into()),
        ..testing::person("ada@contoso.com")
    }
}

/// No user with Ada's user principal name, and none with her mail.
fn no_ada(host: &FakeHost) {
    host.on_prefix(Method::Get, &format!("{API}/users/ada%40contoso.com?"))
        .reply(graph_error(
            404,
            "Request_ResourceNotFound",
            "Resource 'ada@contoso.com' does not exist or one of its queried reference-property objects are not present.",
        ));
    host.on_prefix(Method::Get, &format!("{API}/users?%24filter="))
        .reply(values(json!([])));
}

fn created_ada() -> Reply {
    Reply::json(
        201,
        &json!({"id": "u-ada", "userPrincipalName": "ada@contoso.com", "displayName": "Ada Lovelace"}),
    )
}

fn skus(consumed: u32) -> Reply {
    Reply::json(
        200,
        &json!({"value": [
            {"skuId": E3, "skuPartNumber": "ENTERPRISEPACK", "consumedUnits": consumed,
             "prepaidUnits": {"enabled": 100, "suspended": 0, "warning": 0}},
            {"skuId": SPE_E3, "skuPartNumber": "SPE_E3", "consumedUnits": 3,
             "prepaidUnits": {"enabled": 100, "suspended": 0, "warning": 0}},
        ]}),
    )
}

#[test]
fn describe_matches_the_methods_implemented() {
    testing::assert_capabilities_match::<Microsoft365>();
}

#[test]
fn test_connection_gets_a_graph_token_with_the_client_credentials_and_caches_it() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{API}/users?"))
        .reply(Reply::json(200, &json!({"value": [{"id": "u0"}]})));

    Microsoft365::test_connection().unwrap();
    Microsoft365::test_connection().unwrap();

    let tokens = host.requests_to(Method::Post, TOKEN_URL);
    assert_eq!(tokens.len(), 1, "the second call uses the cached token");
    let t = &tokens[0];
    assert_eq!(t.form("grant_type").as_deref(), Some("client_credentials"));
    assert_eq!(t.form("client_id").as_deref(), Some("app-123"));
    assert_eq!(t.form("client_secret").as_deref(), Some(SECRET));
    assert_eq!(
        t.form("scope").as_deref(),
        Some("https://graph.microsoft.com/.default")
    );
    let read = host.last_request();
    assert_eq!(read.path(), format!("{API}/users"));
    assert_eq!(read.query("$top").as_deref(), Some("1"));
    assert_eq!(read.header("authorization"), Some("Bearer tok-1"));
}

#[test]
fn missing_settings_are_unauthorized_and_send_nothing() {
    let host = host();
    host.set_secret("client_secret", None);
    assert!(matches!(
        Microsoft365::test_connection(),
        Err(Error::Unauthorized(m)) if m.contains("client_secret")
    ));
    host.set_config("tenant_id", None);
    assert!(matches!(
        Microsoft365::find_account(ada()),
        Err(Error::Unauthorized(m)) if m.contains("tenant_id")
    ));
    assert!(host.requests().is_empty());
}

#[test]
fn a_token_endpoint_refusing_the_secret_is_unauthorized() {
    let host = settings_host();
    host.on(Method::Post, TOKEN_URL).reply(Reply::json(
        401,
        &json!({"error": "invalid_client",
            "error_description": format!("AADSTS7000215: Invalid client secret provided: {SECRET}.")}),
    ));
    let e = Microsoft365::test_connection().unwrap_err();
    let Error::Unauthorized(m) = e else {
        panic!("expected unauthorized, got {e:?}")
    };
    assert!(m.contains("AADSTS7000215"), "{m}");
    assert!(!m.contains(SECRET), "the secret is never echoed: {m}");
}

#[test]
fn a_refused_token_is_renewed_once_then_unauthorized() {
    let host = settings_host();
    let issued = Rc::new(RefCell::new(0));
    let counter = issued.clone();
    host.on(Method::Post, TOKEN_URL).reply_with(move |_| {
        *counter.borrow_mut() += 1;
        Reply::json(
            200,
            &json!({"expires_in": 3599, "access_token": format!("tok-{}", counter.borrow())}),
        )
    });
    host.on_prefix(Method::Get, &format!("{API}/users/"))
        .reply(graph_error(
            401,
            "InvalidAuthenticationToken",
            "Access token validation failure. Invalid audience.",
        ));

    let e = Microsoft365::find_account(ada()).unwrap_err();

    assert!(
        matches!(&e, Error::Unauthorized(m) if m.contains("HTTP 401")),
        "{e:?}"
    );
    assert_eq!(
        *issued.borrow(),
        2,
        "one fresh token after the 401, no more"
    );
    let sent: Vec<_> = api_requests(&host)
        .iter()
        .map(|r| r.header("authorization").unwrap_or("").to_string())
        .collect();
    assert_eq!(sent, ["Bearer tok-1", "Bearer tok-2"]);
}

#[test]
fn a_429_is_rate_limited_for_the_seconds_graph_asks() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{API}/users/"))
        .reply(throttled("7"));
    assert_eq!(
        Microsoft365::find_account(ada()),
        Err(Error::RateLimited(7))
    );
}

#[test]
fn find_account_selects_account_enabled_and_reports_a_disabled_user_as_inactive() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{API}/users/ada%40contoso.com?"))
        .reply(Reply::json(
            200,
            &json!({"id": "u1", "userPrincipalName": "Ada@Contoso.com",
                "accountEnabled": false, "usageLocation": "GB"}),
        ));
    let found = Microsoft365::find_account(ada()).unwrap();
    assert_eq!(
        found,
        Some(Account {
            id: "u1".into(),
            login: "Ada@Contoso.com".into(),
            active: false
        })
    );
    assert_eq!(
        host.last_request().query("$select").as_deref(),
        Some("id,userPrincipalName,accountEnabled,usageLocation")
    );
}

#[test]
fn find_account_falls_back_on_the_mail_address() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{API}/users/ada%40contoso.com?"))
        .reply(graph_error(404, "Request_ResourceNotFound", "not there"));
    host.on_prefix(Method::Get, &format!("{API}/users?"))
        .reply(Reply::json(
            200,
            &json!({"value": [{"id": "u7", "userPrincipalName": "ada@contoso.onmicrosoft.com",
                "accountEnabled": true}]}),
        ));
    let found = Microsoft365::find_account(ada()).unwrap().unwrap();
    assert_eq!(found.id, "u7");
    assert_eq!(found.login, "ada@contoso.onmicrosoft.com");
    assert_eq!(
        host.last_request().query("$filter").as_deref(),
        Some("mail eq 'ada@contoso.com'")
    );
}

#[test]
fn find_account_by_login_and_none_when_nobody_matches() {
    let host = host();
    host.on_prefix(
        Method::Get,
        &format!("{API}/users/a.lovelace%40corp.contoso.com?"),
    )
    .reply(graph_error(404, "Request_ResourceNotFound", "not there"));
    host.on_prefix(Method::Get, &format!("{API}/users?"))
        .reply(values(json!([])));
    let who = Person {
        login: Some("a.lovelace@corp.contoso.com".into()),
        ..ada()
    };
    assert_eq!(Microsoft365::find_account(who), Ok(None));
    assert_eq!(
        host.last_request().query("$filter").as_deref(),
        Some("mail eq 'ada@contoso.com'")
    );
}

#[test]
fn provision_creates_with_the_upn_usage_location_and_a_forced_password_change() {
    let host = host();
    no_ada(&host);
    host.on(Method::Post, &format!("{API}/users"))
        .reply(created_ada());
    let request = ProvisionRequest {
        credential: Credential::TemporaryPassword("Tmp-Pa55-word!".into()),
        ..testing::provision_request(Person {
            country: Some("gb".into()),
            ..ada()
        })
    };

    let done = Microsoft365::provision(request).unwrap();

    assert_eq!(
        done,
        Provisioned::created(testing::account("u-ada", "ada@contoso.com"), None)
    );
    let create = host.last_request();
    assert_eq!(create.method, Method::Post);
    let body: serde_json::Value = create.json();
    assert_eq!(
        body,
        json!({
            "accountEnabled": true,
            "displayName": "Ada Lovelace",
            "mailNickname": "ada",
            "userPrincipalName": "ada@contoso.com",
            "givenName": "Ada",
            "surname": "Lovelace",
            "jobTitle": "Engineer",
            "department": "R&D",
            "usageLocation": "GB",
            "passwordProfile": {"password": "Tmp-Pa55-word!", "forceChangePasswordNextSignIn": true},
        })
    );
    assert!(
        !host
            .logs()
            .iter()
            .any(|(_, l)| l.contains("Tmp-Pa55-word!")),
        "the password is never logged"
    );
}

#[test]
fn provision_finds_first_and_changes_nothing() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{API}/users/ada%40contoso.com?"))
        .reply(Reply::json(
            200,
            &json!({"id": "u1", "userPrincipalName": "ada@contoso.com", "accountEnabled": false}),
        ));
    let request = ProvisionRequest {
        credential: Credential::TemporaryPassword("Tmp-Pa55-word!".into()),
        entitlements: vec![E3.into()],
        ..testing::provision_request(ada())
    };
    let done = Microsoft365::provision(request).unwrap();
    assert_eq!(
        done,
        Provisioned::found(Account {
            id: "u1".into(),
            login: "ada@contoso.com".into(),
            active: false
        })
    );
    assert_eq!(
        api_calls(&host).len(),
        1,
        "one lookup; no create, no licence, no update"
    );
}

#[test]
fn an_object_conflict_on_create_is_the_account_an_earlier_attempt_made() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{API}/users/ada%40contoso.com?"))
        .once()
        .reply(graph_error(404, "Request_ResourceNotFound", "not there"));
    host.on_prefix(Method::Get, &format!("{API}/users?%24filter="))
        .once()
        .reply(values(json!([])));
    host.on(Method::Post, &format!("{API}/users")).reply(Reply::json(
        400,
        &json!({"error": {"code": "Request_BadRequest",
            "message": "Another object with the same value for property userPrincipalName already exists.",
            "details": [{"target": "userPrincipalName", "code": "ObjectConflict"}]}}),
    ));
    host.on_prefix(Method::Get, &format!("{API}/users/ada%40contoso.com?"))
        .reply(Reply::json(
            200,
            &json!({"id": "u2", "userPrincipalName": "ada@contoso.com", "accountEnabled": true}),
        ));

    let done = Microsoft365::provision(testing::provision_request(ada())).unwrap();

    assert_eq!(
        done,
        Provisioned::found(testing::account("u2", "ada@contoso.com"))
    );
}

#[test]
fn an_object_conflict_with_nobody_to_find_is_a_conflict_for_a_person() {
    let host = host();
    no_ada(&host);
    host.on(Method::Post, &format!("{API}/users")).reply(Reply::json(
        400,
        &json!({"error": {"code": "Request_BadRequest",
            "message": "Another object with the same value for property userPrincipalName already exists.",
            "details": [{"target": "userPrincipalName", "code": "ObjectConflict"}]}}),
    ));
    let e = Microsoft365::provision(testing::provision_request(ada())).unwrap_err();
    assert!(
        matches!(&e, Error::Conflict(m) if m.contains("Deleted users")),
        "{e:?}"
    );
}

#[test]
fn provision_assigns_the_licences_after_the_create() {
    let host = host().config("usage_location_default", "us");
    no_ada(&host);
    host.on(Method::Get, &format!("{API}/subscribedSkus"))
        .reply(skus(10));
    host.on(Method::Post, &format!("{API}/users"))
        .reply(created_ada());
    host.on(Method::Post, &format!("{API}/users/u-ada/assignLicense"))
        .reply(Reply::json(200, &json!({"id": "u-ada"})));
    let request = ProvisionRequest {
        // A part number and a SKU id, in any case.
        entitlements: vec!["enterprisepack".into(), SPE_E3.to_uppercase()],
        ..testing::provision_request(ada())
    };

    let done = Microsoft365::provision(request).unwrap();

    assert!(done.created);
    let calls = api_calls(&host);
    assert!(
        calls[2].starts_with(&format!("Get {API}/subscribedSkus")),
        "{calls:#?}"
    );
    assert_eq!(
        calls[3..],
        [
            format!("Post {API}/users"),
            format!("Post {API}/users/u-ada/assignLicense")
        ]
    );
    let create: serde_json::Value = api_requests(&host)[3].json();
    assert_eq!(
        create["usageLocation"], "US",
        "the default, as it must be before a licence"
    );
    let assign: serde_json::Value = host.last_request().json();
    assert_eq!(
        assign,
        json!({"addLicenses": [{"skuId": E3, "disabledPlans": []}, {"skuId": SPE_E3, "disabledPlans": []}],
            "removeLicenses": []})
    );
}

#[test]
fn licences_without_a_usage_location_are_invalid_input_before_anything_is_created() {
    let host = host();
    no_ada(&host);
    let request = ProvisionRequest {
        entitlements: vec![E3.into()],
        ..testing::provision_request(ada())
    };
    let e = Microsoft365::provision(request).unwrap_err();
    assert!(
        matches!(&e, Error::InvalidInput(m) if m.contains("usage_location_default")),
        "{e:?}"
    );
    assert!(
        host.requests_to(Method::Post, &format!("{API}/"))
            .is_empty()
    );
}

#[test]
fn a_licence_with_no_free_seat_or_unknown_is_refused_before_anything_is_created() {
    let host = host().config("usage_location_default", "US");
    no_ada(&host);
    host.on(Method::Get, &format!("{API}/subscribedSkus"))
        .reply(skus(100));
    let full = ProvisionRequest {
        entitlements: vec![E3.into()],
        ..testing::provision_request(ada())
    };
    let e = Microsoft365::provision(full).unwrap_err();
    assert!(
        matches!(&e, Error::Conflict(m) if m.contains("ENTERPRISEPACK (100 of 100")),
        "{e:?}"
    );
    let unknown = ProvisionRequest {
        entitlements: vec!["E5".into()],
        ..testing::provision_request(ada())
    };
    let e = Microsoft365::provision(unknown).unwrap_err();
    assert!(
        matches!(&e, Error::InvalidInput(m) if m.contains("`E5`") && m.contains("SPE_E3")),
        "{e:?}"
    );
    assert!(
        host.requests_to(Method::Post, &format!("{API}/"))
            .is_empty()
    );
}

#[test]
fn credential_none_sets_an_unguessable_password_nobody_sees() {
    let host = host();
    no_ada(&host);
    host.on(Method::Post, &format!("{API}/users"))
        .reply(created_ada());
    Microsoft365::provision(testing::provision_request(ada())).unwrap();
    Microsoft365::provision(testing::provision_request(ada())).unwrap();

    let passwords: Vec<String> = host
        .requests_to(Method::Post, &format!("{API}/users"))
        .iter()
        .map(|r| {
            let body: serde_json::Value = r.json();
            assert_eq!(
                body["passwordProfile"]["forceChangePasswordNextSignIn"],
                true
            );
            body["passwordProfile"]["password"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_ne!(passwords[0], passwords[1]);
    for p in &passwords {
        assert_eq!(p.len(), 30);
        assert!(p.chars().any(|c| c.is_ascii_uppercase()));
        assert!(p.chars().any(|c| c.is_ascii_lowercase()));
        assert!(p.chars().any(|c| c.is_ascii_digit()));
        assert!(!host.logs().iter().any(|(_, l)| l.contains(p.as_str())));
    }
}

#[test]
fn an_invitation_is_unsupported() {
    let host = host();
    no_ada(&host);
    let request = ProvisionRequest {
        credential: Credential::Invitation,
        ..testing::provision_request(ada())
    };
    assert!(matches!(
        Microsoft365::provision(request),
        Err(Error::Unsupported(_))
    ));
    assert!(
        host.requests_to(Method::Post, &format!("{API}/"))
            .is_empty()
    );
}

#[test]
fn a_temporary_password_graph_echoes_is_redacted() {
    let host = host();
    no_ada(&host);
    host.on(Method::Post, &format!("{API}/users"))
        .reply(graph_error(
            400,
            "Request_BadRequest",
            "The password Tmp-Pa55-word! does not comply with password complexity requirements.",
        ));
    let request = ProvisionRequest {
        credential: Credential::TemporaryPassword("Tmp-Pa55-word!".into()),
        ..testing::provision_request(ada())
    };
    let e = Microsoft365::provision(request).unwrap_err();
    assert_eq!(
        e,
        Error::InvalidInput(
            "HTTP 400: The password [redacted] does not comply with password complexity requirements."
                .into()
        )
    );
}

#[test]
fn mail_nicknames_keep_only_what_graph_allows() {
    assert_eq!(mail_nickname("ada@contoso.com"), "ada");
    assert_eq!(mail_nickname("Zoë.O'Brien+hr@contoso.com"), "Zo.OBrienhr");
    assert_eq!(mail_nickname(".a (b) [c]; d:e,f<g>.@x"), "abcdefg");
    assert_eq!(mail_nickname("@x"), "user");
    assert_eq!(mail_nickname(&format!("{}@x", "a".repeat(80))).len(), 64);
}

/// A small stateful Graph for one user `u1` holding E3: revoke, rules, mailbox settings,
/// disable, licences. Its mailbox goes with its last licence, as Exchange's does.
#[derive(Default)]
struct Tenant {
    licences: Vec<String>,
    rules: Vec<serde_json::Value>,
    enabled: bool,
    revoked: usize,
    auto_reply: Option<serde_json::Value>,
}

fn tenant(host: &FakeHost) -> Rc<RefCell<Tenant>> {
    let t = Rc::new(RefCell::new(Tenant {
        licences: vec![E3.into()],
        enabled: true,
        ..Tenant::default()
    }));
    let no_mailbox = || {
        graph_error(
            404,
            "MailboxNotEnabledForRESTAPI",
            "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
        )
    };
    let s = t.clone();
    host.on(
        Method::Post,
        &format!("{API}/users/u1/revokeSignInSessions"),
    )
    .reply_with(move |_| {
        s.borrow_mut().revoked += 1;
        Reply::json(200, &json!({"value": true}))
    });
    let s = t.clone();
    host.on(
        Method::Get,
        &format!("{API}/users/u1/mailFolders/inbox/messageRules"),
    )
    .reply_with(move |_| {
        let s = s.borrow();
        if s.licences.is_empty() {
            return no_mailbox();
        }
        Reply::json(200, &json!({"value": s.rules}))
    });
    let s = t.clone();
    host.on(
        Method::Post,
        &format!("{API}/users/u1/mailFolders/inbox/messageRules"),
    )
    .reply_with(move |req| {
        let mut s = s.borrow_mut();
        if s.licences.is_empty() {
            return no_mailbox();
        }
        let mut rule: serde_json::Value = req.json();
        rule["id"] = json!(format!("rule-{}", s.rules.len() + 1));
        s.rules.push(rule.clone());
        Reply::json(201, &rule)
    });
    let s = t.clone();
    host.on(Method::Patch, &format!("{API}/users/u1/mailboxSettings"))
        .reply_with(move |req| {
            let mut s = s.borrow_mut();
            if s.licences.is_empty() {
                return no_mailbox();
            }
            let body: serde_json::Value = req.json();
            s.auto_reply = Some(body["automaticRepliesSetting"].clone());
            Reply::json(200, &body)
        });
    let s = t.clone();
    host.on(Method::Patch, &format!("{API}/users/u1"))
        .reply_with(move |req| {
            let body: serde_json::Value = req.json();
            if let Some(e) = body["accountEnabled"].as_bool() {
                s.borrow_mut().enabled = e;
            }
            Reply::status(204)
        });
    let s = t.clone();
    host.on(
        Method::Get,
        &format!("{API}/users/u1?%24select=id%2CassignedLicenses"),
    )
    .reply_with(move |_| {
        let held: Vec<_> = s
            .borrow()
            .licences
            .iter()
            .map(|l| json!({"skuId": l, "disabledPlans": []}))
            .collect();
        Reply::json(200, &json!({"id": "u1", "assignedLicenses": held}))
    });
    let s = t.clone();
    host.on(Method::Post, &format!("{API}/users/u1/assignLicense"))
        .reply_with(move |req| {
            let body: serde_json::Value = req.json();
            let mut s = s.borrow_mut();
            for r in body["removeLicenses"].as_array().unwrap() {
                let r = r.as_str().unwrap();
                if !s.licences.iter().any(|l| l == r) {
                    return graph_error(
                        400,
                        "Request_BadRequest",
                        &format!("User does not have a corresponding license {r} to remove."),
                    );
                }
                s.licences.retain(|l| l != r);
            }
            Reply::json(200, &json!({"id": "u1"}))
        });
    t
}

fn every_step() -> LeaverOptions {
    LeaverOptions {
        disable: true,
        revoke_sessions: true,
        remove_entitlements: true,
        forward_mail_to: Some("grace@contoso.com".into()),
        auto_reply: Some("Ada has left <Contoso>.\nPlease write to Grace.".into()),
        ..testing::leaver_options()
    }
}

#[test]
fn offboard_signs_out_sets_mail_disables_then_frees_the_licences() {
    let host = host();
    let t = tenant(&host);

    let op = Microsoft365::offboard("u1".into(), ada(), every_step()).unwrap();

    assert_eq!(op, Operation::done());
    assert_eq!(
        api_calls(&host),
        [
            format!("Post {API}/users/u1/revokeSignInSessions"),
            format!("Get {API}/users/u1/mailFolders/inbox/messageRules"),
            format!("Post {API}/users/u1/mailFolders/inbox/messageRules"),
            format!("Patch {API}/users/u1/mailboxSettings"),
            format!("Patch {API}/users/u1"),
            format!("Get {API}/users/u1?%24select=id%2CassignedLicenses"),
            format!("Post {API}/users/u1/assignLicense"),
        ]
    );
    let reqs = api_requests(&host);
    let rule: serde_json::Value = reqs[2].json();
    assert_eq!(rule["displayName"], mail::RULE_NAME);
    assert_eq!(
        rule["actions"]["forwardTo"],
        json!([{"emailAddress": {"address": "grace@contoso.com"}}])
    );
    let reply: serde_json::Value = reqs[3].json();
    assert_eq!(
        reply["automaticRepliesSetting"],
        json!({"status": "alwaysEnabled", "externalAudience": "all",
            "internalReplyMessage": "Ada has left &lt;Contoso&gt;.<br>Please write to Grace.",
            "externalReplyMessage": "Ada has left &lt;Contoso&gt;.<br>Please write to Grace."})
    );
    let disable: serde_json::Value = reqs[4].json();
    assert_eq!(disable, json!({"accountEnabled": false}));
    let free: serde_json::Value = reqs[6].json();
    assert_eq!(free, json!({"addLicenses": [], "removeLicenses": [E3]}));
    let t = t.borrow();
    assert!(!t.enabled && t.licences.is_empty() && t.rules.len() == 1);
}

#[test]
fn offboarding_twice_is_the_same_as_once() {
    let host = host();
    let t = tenant(&host);
    Microsoft365::offboard("u1".into(), ada(), every_step()).unwrap();
    host.clear_requests();

    // The retry: the licences (and with them the mailbox) are gone already.
    let op = Microsoft365::offboard("u1".into(), ada(), every_step()).unwrap();

    assert_eq!(op, Operation::done());
    assert_eq!(
        api_calls(&host),
        [
            format!("Post {API}/users/u1/revokeSignInSessions"),
            format!("Get {API}/users/u1/mailFolders/inbox/messageRules"),
            format!("Patch {API}/users/u1"),
            format!("Get {API}/users/u1?%24select=id%2CassignedLicenses"),
        ],
        "no second rule, no licence to remove"
    );
    let t = t.borrow();
    assert_eq!(t.rules.len(), 1);
    assert_eq!(t.revoked, 2);
    assert!(!t.enabled);
}

#[test]
fn a_forwarding_rule_already_there_is_not_added_twice() {
    let host = host();
    let t = tenant(&host);
    let options = LeaverOptions {
        disable: true,
        forward_mail_to: Some("Grace@Contoso.com".into()),
        ..testing::leaver_options()
    };
    Microsoft365::offboard("u1".into(), ada(), options.clone()).unwrap();
    Microsoft365::offboard("u1".into(), ada(), options).unwrap();
    assert_eq!(t.borrow().rules.len(), 1);
    assert_eq!(
        host.requests_to(
            Method::Post,
            &format!("{API}/users/u1/mailFolders/inbox/messageRules")
        )
        .len(),
        1
    );
}

#[test]
fn a_user_without_a_mailbox_is_still_disabled_and_keeps_its_licences() {
    let host = host();
    let t = tenant(&host);
    t.borrow_mut().licences.clear();

    let e = Microsoft365::offboard("u1".into(), ada(), every_step()).unwrap_err();

    assert!(
        matches!(&e, Error::InvalidInput(m) if m.contains("no Exchange Online mailbox")),
        "{e:?}"
    );
    assert!(!t.borrow().enabled, "disabled all the same");
    assert_eq!(
        api_calls(&host).last().unwrap(),
        &format!("Patch {API}/users/u1")
    );
}

#[test]
fn offboard_refuses_a_data_transfer_before_touching_anything() {
    let host = host();
    let options = LeaverOptions {
        transfer_data_to: Some("grace@contoso.com".into()),
        ..every_step()
    };
    let e = Microsoft365::offboard("u1".into(), ada(), options).unwrap_err();
    assert!(
        matches!(&e, Error::Unsupported(m) if m.contains("transfer data")),
        "{e:?}"
    );
    assert!(host.requests().is_empty());
}

#[test]
fn offboarding_a_user_that_is_gone_is_not_found() {
    let host = host();
    host.on(
        Method::Post,
        &format!("{API}/users/u9/revokeSignInSessions"),
    )
    .reply(graph_error(
        404,
        "Request_ResourceNotFound",
        "Resource 'u9' does not exist.",
    ));
    let e = Microsoft365::offboard("u9".into(), ada(), every_step()).unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
}

#[test]
fn reactivate_enables_and_delete_treats_gone_as_done() {
    let host = host();
    host.on(Method::Patch, &format!("{API}/users/u1"))
        .reply(Reply::status(204));
    host.on(Method::Delete, &format!("{API}/users/u1"))
        .reply(not_found("u1"));
    Microsoft365::reactivate("u1".into()).unwrap();
    let body: serde_json::Value = host.last_request().json();
    assert_eq!(body, json!({"accountEnabled": true}));
    assert_eq!(Microsoft365::delete_account("u1".into()), Ok(()));
}

#[test]
fn a_403_names_the_permission_to_grant() {
    let host = host();
    host.on(Method::Patch, &format!("{API}/users/u1"))
        .reply(denied());
    let e = Microsoft365::reactivate("u1".into()).unwrap_err();
    assert!(
        matches!(&e, Error::Unauthorized(m) if m.contains("User.ReadWrite.All") && m.contains("Insufficient privileges")),
        "{e:?}"
    );
}

#[test]
fn set_entitlements_assigns_the_missing_and_removes_the_others() {
    let host = host();
    host.on(Method::Get, &format!("{API}/subscribedSkus"))
        .reply(skus(10));
    host.on(
        Method::Get,
        &format!("{API}/users/u1?%24select=id%2CusageLocation%2CassignedLicenses"),
    )
    .reply(Reply::json(
        200,
        &json!({"id": "u1", "usageLocation": "DE", "assignedLicenses": [{"skuId": E3, "disabledPlans": []}]}),
    ));
    host.on(Method::Post, &format!("{API}/users/u1/assignLicense"))
        .reply(Reply::json(200, &json!({"id": "u1"})));

    Microsoft365::set_entitlements("u1".into(), vec!["SPE_E3".into()]).unwrap();

    let body: serde_json::Value = host.last_request().json();
    assert_eq!(
        body,
        json!({"addLicenses": [{"skuId": SPE_E3, "disabledPlans": []}], "removeLicenses": [E3]})
    );

    // Already so: no assignLicense.
    host.clear_requests();
    Microsoft365::set_entitlements("u1".into(), vec![E3.into()]).unwrap();
    assert!(
        host.requests_to(Method::Post, &format!("{API}/users/u1/assignLicense"))
            .is_empty()
    );
}

#[test]
fn set_entitlements_gives_a_user_without_usage_location_the_default_first() {
    let host = host().config("usage_location_default", "NL");
    host.on(Method::Get, &format!("{API}/subscribedSkus"))
        .reply(skus(10));
    host.on_prefix(Method::Get, &format!("{API}/users/u1?"))
        .reply(Reply::json(
            200,
            &json!({"id": "u1", "usageLocation": null, "assignedLicenses": []}),
        ));
    host.on(Method::Patch, &format!("{API}/users/u1"))
        .reply(Reply::status(204));
    host.on(Method::Post, &format!("{API}/users/u1/assignLicense"))
        .reply(Reply::json(200, &json!({"id": "u1"})));

    Microsoft365::set_entitlements("u1".into(), vec![E3.into()]).unwrap();

    let calls = api_calls(&host);
    assert_eq!(calls[2], format!("Patch {API}/users/u1"));
    assert_eq!(calls[3], format!("Post {API}/users/u1/assignLicense"));
    let patch: serde_json::Value = api_requests(&host)[2].json();
    assert_eq!(patch, json!({"usageLocation": "NL"}));

    host.set_config("usage_location_default", None);
    let e = Microsoft365::set_entitlements("u1".into(), vec![E3.into()]).unwrap_err();
    assert!(
        matches!(&e, Error::InvalidInput(m) if m.contains("usage_location_default")),
        "{e:?}"
    );
}

#[test]
fn update_profile_patches_the_names_and_sets_the_manager() {
    let host = host();
    host.on(Method::Patch, &format!("{API}/users/u1"))
        .reply(Reply::status(204));
    host.on_prefix(Method::Get, &format!("{API}/users/grace%40contoso.com?"))
        .reply(Reply::json(
            200,
            &json!({"id": "u-grace", "userPrincipalName": "grace@contoso.com"}),
        ));
    host.on(Method::Put, &format!("{API}/users/u1/manager/$ref"))
        .reply(Reply::status(204));
    let who = Person {
        department: None,
        manager_email: Some("grace@contoso.com".into()),
        country: Some("FR".into()),
        ..ada()
    };

    Microsoft365::update_profile("u1".into(), who).unwrap();

    let reqs = api_requests(&host);
    let patch: serde_json::Value = reqs[0].json();
    assert_eq!(
        patch,
        json!({"displayName": "Ada Lovelace", "givenName": "Ada", "surname": "Lovelace",
            "jobTitle": "Engineer", "department": null, "usageLocation": "FR"})
    );
    let manager: serde_json::Value = host.last_request().json();
    assert_eq!(
        manager,
        json!({"@odata.id": format!("{API}/users/u-grace")})
    );
}

#[test]
fn update_profile_skips_a_manager_without_an_account() {
    let host = host();
    host.on(Method::Patch, &format!("{API}/users/u1"))
        .reply(Reply::status(204));
    host.on_prefix(Method::Get, &format!("{API}/users/"))
        .reply(graph_error(404, "Request_ResourceNotFound", "not there"));
    host.on_prefix(Method::Get, &format!("{API}/users?"))
        .reply(values(json!([])));
    let who = Person {
        manager_email: Some("boss@contoso.com".into()),
        ..ada()
    };
    Microsoft365::update_profile("u1".into(), who).unwrap();
    assert!(host.logged("manager boss@contoso.com of u1 has no Microsoft 365 account"));
    assert!(host.requests_to(Method::Put, API).is_empty());
}

#[test]
fn find_group_escapes_quotes_in_the_name() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{API}/groups?"))
        .reply(Reply::json(
            200,
            &json!({"value": [{"id": "g1", "displayName": "O'Brien's team"}]}),
        ));
    let g = Microsoft365::find_group("O'Brien's team".into())
        .unwrap()
        .unwrap();
    assert_eq!((g.id.as_str(), g.name.as_str()), ("g1", "O'Brien's team"));
    assert_eq!(
        host.last_request().query("$filter").as_deref(),
        Some("displayName eq 'O''Brien''s team'")
    );
}

#[test]
fn find_group_none_and_ambiguous() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{API}/groups?"))
        .once()
        .reply(values(json!([])));
    host.on_prefix(Method::Get, &format!("{API}/groups?"))
        .reply(Reply::json(
            200,
            &json!({"value": [{"id": "g1", "displayName": "sales"}, {"id": "g2", "displayName": "SALES"}]}),
        ));
    assert_eq!(Microsoft365::find_group("Sales".into()), Ok(None));
    assert!(matches!(
        Microsoft365::find_group("Sales".into()),
        Err(Error::Conflict(_))
    ));
    assert_eq!(
        Microsoft365::find_group("sales".into())
            .unwrap()
            .unwrap()
            .id,
        "g1"
    );
}

#[test]
fn memberships_page_by_the_next_link_across_two_pages() {
    let host = host();
    let next = format!(
        "{API}/users/u1/memberOf/microsoft.graph.group?%24select=id%2CdisplayName&%24top=999&%24skiptoken=X1"
    );
    host.on(Method::Get, &memberships_url("u1")).reply(Reply::json(
        200,
        &json!({"@odata.nextLink": next, "value": [
            {"@odata.type": "#microsoft.graph.group", "id": "g1", "displayName": "Engineering"},
            {"@odata.type": "#microsoft.graph.directoryRole", "id": "r1", "displayName": "Global Reader"},
        ]}),
    ));
    host.on(Method::Get, &next).reply(Reply::json(
        200,
        &json!({"value": [{"@odata.type": "#microsoft.graph.group", "id": "g2", "displayName": "All staff"}]}),
    ));

    let first = Microsoft365::list_memberships("u1".into(), None).unwrap();
    assert_eq!(
        first.groups,
        [Group {
            id: "g1".into(),
            name: "Engineering".into()
        }]
    );
    assert_eq!(first.next_cursor.as_deref(), Some(next.as_str()));
    let last = Microsoft365::list_memberships("u1".into(), first.next_cursor).unwrap();
    assert_eq!(
        last.groups,
        [Group {
            id: "g2".into(),
            name: "All staff".into()
        }]
    );
    assert_eq!(last.next_cursor, None);
}

#[test]
fn a_cursor_or_next_link_off_this_graph_is_refused() {
    let host = host();
    let e = Microsoft365::list_memberships(
        "u1".into(),
        Some("https://graph.microsoft.com.evil.example/v1.0/users/u1/memberOf".into()),
    )
    .unwrap_err();
    assert!(matches!(e, Error::InvalidInput(_)), "{e:?}");
    assert!(host.requests().is_empty(), "the token goes nowhere");

    host.on_prefix(Method::Get, &format!("{API}/users/u1/memberOf"))
        .reply(Reply::json(
            200,
            &json!({"@odata.nextLink": "https://elsewhere.example/v1.0/x", "value": []}),
        ));
    assert!(matches!(
        Microsoft365::list_memberships("u1".into(), None),
        Err(Error::Other(_))
    ));
}

#[test]
fn adding_a_member_twice_is_success() {
    let host = host();
    host.on(Method::Post, &format!("{API}/groups/g1/members/$ref"))
        .once()
        .reply(Reply::status(204));
    host.on(Method::Post, &format!("{API}/groups/g1/members/$ref"))
        .reply(already_a_member());
    Microsoft365::add_to_group("u1".into(), "g1".into()).unwrap();
    Microsoft365::add_to_group("u1".into(), "g1".into()).unwrap();
    graph_client::testing::assert_added_by_ref(&host, "u1");
}

#[test]
fn adding_to_a_group_that_is_gone_is_not_found_and_removing_a_non_member_is_success() {
    let host = host();
    graph_client::testing::gone_group_and_non_member(&host);
    assert!(matches!(
        Microsoft365::add_to_group("u1".into(), "g9".into()),
        Err(Error::NotFound(_))
    ));
    assert_eq!(
        Microsoft365::remove_from_group("u1".into(), "g1".into()),
        Ok(())
    );
}

#[test]
fn a_national_cloud_from_the_settings_is_used_for_token_and_api() {
    let host = host();
    host.set_config("login_url", Some("https://login.microsoftonline.us/"));
    host.set_config("graph_url", Some("https://graph.microsoft.us/v1.0"));
    host.on(
        Method::Post,
        "https://login.microsoftonline.us/contoso.onmicrosoft.com/oauth2/v2.0/token",
    )
    .reply(Reply::json(
        200,
        &json!({"expires_in": 3599, "access_token": "tok-us"}),
    ));
    host.on_prefix(Method::Get, "https://graph.microsoft.us/v1.0/users?")
        .reply(values(json!([])));
    Microsoft365::test_connection().unwrap();
    assert_eq!(
        host.last_request().header("authorization"),
        Some("Bearer tok-us")
    );
}

#[test]
fn ids_are_encoded_into_paths() {
    let host = host();
    host.on(Method::Patch, &format!("{API}/users/a%2Fb"))
        .reply(Reply::status(204));
    Microsoft365::reactivate("a/b".into()).unwrap();
    assert_eq!(api_calls(&host).len(), 1);
}

#[test]
fn secrets_and_tokens_never_reach_the_log() {
    let host = host();
    let _t = tenant(&host);
    Microsoft365::offboard("u1".into(), ada(), every_step()).unwrap();
    assert!(!host.logs().is_empty());
    for (_, line) in host.logs() {
        assert!(!line.contains(SECRET) && !line.contains("tok-1"), "{line}");
    }
}

#[test]
fn the_group_picker_lists_groups_by_prefix_through_the_shared_client() {
    let host = host();
    host.on_prefix(Method::Get, &format!("{API}/groups?%24filter="))
        .reply(Reply::json(
            200,
            &json!({"value": [
                {"id": "g1", "displayName": "Sales EMEA", "groupTypes": []},
                {"id": "g2", "displayName": "Sales (rule)", "groupTypes": ["DynamicMembership"]},
            ]}),
        ));
    let page = Microsoft365::list_groups(Some("sales".into()), None).unwrap();
    assert_eq!(
        page.groups,
        [Group {
            id: "g1".into(),
            name: "Sales EMEA".into()
        }]
    );
    assert_eq!(page.next_cursor, None);
    assert_eq!(
        host.last_request().query("$filter").as_deref(),
        Some("startswith(displayName,'sales')")
    );
}
