//! The Microsoft Graph fake, over real HTTP, as a client sees it.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{Body, Resp, path_of, send};
use serde_json::{Value, json};
use tenure_fakes::ServerHandle;
use tenure_fakes::graph::{ENTERPRISEPACK, FakeGraph, GraphUser, SPE_E3};

const TENANT: &str = "contoso.onmicrosoft.com";
const CLIENT: &str = "11111111-2222-4333-8444-555555555555";
const SECRET: &str = "s3cret~value";

struct Running {
    fake: FakeGraph,
    origin: String,
    token: String,
    _handle: ServerHandle,
}

async fn token_request(
    origin: &str,
    tenant: &str,
    client: &str,
    secret: &str,
    scope: &str,
) -> Resp {
    let form = [
        ("client_id", client),
        ("client_secret", secret),
        ("grant_type", "client_credentials"),
        ("scope", scope),
    ];
    send(
        origin,
        "POST",
        &format!("/{tenant}/oauth2/v2.0/token"),
        &[],
        Body::Form(&form),
    )
    .await
}

async fn token(origin: &str) -> String {
    let r = token_request(
        origin,
        TENANT,
        CLIENT,
        SECRET,
        "https://graph.microsoft.com/.default",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["access_token"].as_str().unwrap().to_string()
}

async fn start(fake: FakeGraph) -> Running {
    let (origin, handle) = fake.clone().serve(0).await.unwrap();
    let token = token(&origin).await;
    Running {
        fake,
        origin,
        token,
        _handle: handle,
    }
}

impl Running {
    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let auth = format!("Bearer {}", self.token);
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

    async fn get(&self, path: &str) -> Resp {
        self.call("GET", path, None).await
    }

    async fn create(&self, upn: &str) -> Resp {
        self.call("POST", "/v1.0/users", Some(new_user(upn))).await
    }
}

fn new_user(upn: &str) -> Value {
    json!({
        "accountEnabled": true,
        "displayName": "New Hire",
        "mailNickname": upn.split('@').next().unwrap(),
        "userPrincipalName": upn,
        "passwordProfile": { "password": "Welcome-2026!", "forceChangePasswordNextSignIn": true },
    })
}

fn assert_graph_error(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.body["error"]["code"], code, "{}", r.body);
    let inner = &r.body["error"]["innerError"];
    for k in ["date", "request-id", "client-request-id"] {
        assert!(inner[k].is_string(), "innerError.{k} in {}", r.body);
    }
}

#[tokio::test]
async fn the_token_endpoint_checks_tenant_client_secret_and_scope() {
    let fake = FakeGraph::new(TENANT, CLIENT, SECRET);
    let (origin, _h) = fake.clone().serve(0).await.unwrap();
    let graph = "https://graph.microsoft.com/.default";

    let r = token_request(&origin, TENANT, CLIENT, "wrong", graph).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body["error"], "invalid_client");
    assert!(
        r.body["error_description"]
            .as_str()
            .unwrap()
            .starts_with("AADSTS7000215:")
    );
    assert_eq!(r.body["error_codes"], json!([7000215]));

    let r = token_request(&origin, TENANT, "other-app", SECRET, graph).await;
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (400, Some("unauthorized_client"))
    );
    let r = token_request(&origin, "other.onmicrosoft.com", CLIENT, SECRET, graph).await;
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let r = token_request(&origin, TENANT, CLIENT, SECRET, "User.Read").await;
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (400, Some("invalid_scope"))
    );

    let r = token_request(&origin, TENANT, CLIENT, SECRET, graph).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["token_type"], "Bearer");
    assert_eq!(r.body["expires_in"], 3599);
    // The tenant's GUID works in place of its name.
    let r = token_request(&origin, &fake.tenant_id(), CLIENT, SECRET, graph).await;
    assert_eq!(r.status, 200);
    assert_eq!(fake.token_request_count(), 6);
}

#[tokio::test]
async fn api_calls_need_an_issued_token_and_rotation_can_lock_a_client_out() {
    let g = start(FakeGraph::new(TENANT, CLIENT, SECRET)).await;
    let r = send(&g.origin, "GET", "/v1.0/users", &[], Body::None).await;
    assert_graph_error(&r, 401, "InvalidAuthenticationToken");
    assert!(r.header("www-authenticate").is_some());
    let r = send(
        &g.origin,
        "GET",
        "/v1.0/users",
        &[
            ("Authorization", "Bearer made-up"),
            ("client-request-id", "abc-123"),
        ],
        Body::None,
    )
    .await;
    assert_graph_error(&r, 401, "InvalidAuthenticationToken");
    assert_eq!(
        r.body["error"]["innerError"]["client-request-id"],
        "abc-123"
    );
    assert_eq!(r.header("client-request-id"), Some("abc-123"));
    assert_eq!(g.get("/v1.0/users").await.status, 200);

    // The secret is rotated and old tokens revoked: the client is locked out until it
    // has the new secret.
    g.fake.set_credentials(CLIENT, "new-secret");
    g.fake.revoke_tokens();
    assert_eq!(g.get("/v1.0/users").await.status, 401);
    let graph = "https://graph.microsoft.com/.default";
    assert_eq!(
        token_request(&g.origin, TENANT, CLIENT, SECRET, graph)
            .await
            .status,
        401
    );
    let r = token_request(&g.origin, TENANT, CLIENT, "new-secret", graph).await;
    assert_eq!(r.status, 200);

    // Expired tokens are refused too.
    g.fake.set_token_expires_in(0);
    let r = token_request(&g.origin, TENANT, CLIENT, "new-secret", graph).await;
    let expired = format!("Bearer {}", r.body["access_token"].as_str().unwrap());
    let r = send(
        &g.origin,
        "GET",
        "/v1.0/users",
        &[("Authorization", &expired)],
        Body::None,
    )
    .await;
    assert_graph_error(&r, 401, "InvalidAuthenticationToken");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
}

#[tokio::test]
async fn creating_a_user_checks_what_entra_checks() {
    let g =
        start(FakeGraph::new(TENANT, CLIENT, SECRET).with_verified_domains(&["contoso.com"])).await;
    let r = g.create("ada@contoso.com").await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 36);
    assert_eq!(r.body["userPrincipalName"], "ada@contoso.com");
    assert!(
        r.body["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("/v1.0/$metadata#users/$entity")
    );
    // Default properties only.
    assert!(r.body.get("accountEnabled").is_none());

    let r = g.create("ADA@contoso.com").await;
    assert_graph_error(&r, 400, "Request_BadRequest");
    assert_eq!(
        r.body["error"]["message"],
        "Another object with the same value for property userPrincipalName already exists."
    );
    assert_eq!(
        r.body["error"]["details"],
        json!([{ "target": "userPrincipalName", "code": "ObjectConflict" }])
    );

    let mut missing = new_user("bob@contoso.com");
    missing.as_object_mut().unwrap().remove("mailNickname");
    let r = g.call("POST", "/v1.0/users", Some(missing)).await;
    assert_graph_error(&r, 400, "Request_BadRequest");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("'mailNickname'")
    );

    let mut weak = new_user("bob@contoso.com");
    weak["passwordProfile"]["password"] = json!("password");
    let r = g.call("POST", "/v1.0/users", Some(weak)).await;
    assert_graph_error(&r, 400, "Request_BadRequest");

    let r = g.create("bob@elsewhere.com").await;
    assert_graph_error(&r, 400, "Request_BadRequest");
    assert_eq!(g.fake.user_count(), 1);

    let u = g.fake.user("ADA@contoso.com").unwrap();
    assert_eq!(u.id, id);
    assert!(u.account_enabled);
    assert_eq!(u.password, "Welcome-2026!");
    assert!(u.force_change_password_next_sign_in);

    let r = g
        .get("/v1.0/users/ada@contoso.com?$select=accountEnabled,usageLocation")
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["accountEnabled"], true);
    assert_eq!(r.body["usageLocation"], Value::Null);
    let r = g.get("/v1.0/users/nobody@contoso.com").await;
    assert_graph_error(&r, 404, "Request_ResourceNotFound");
    let r = g.get(&format!("/v1.0/users/{id}?$select=nosuch")).await;
    assert_graph_error(&r, 400, "Request_BadRequest");
}

#[tokio::test]
async fn users_page_by_next_link_and_filter_by_upn() {
    let g = start(FakeGraph::new(TENANT, CLIENT, SECRET).with_users(250)).await;
    let mut path = "/v1.0/users?$top=100&$select=id,userPrincipalName".to_string();
    let mut sizes = Vec::new();
    let mut ids = HashSet::new();
    loop {
        let r = g.get(&path).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let value = r.body["value"].as_array().unwrap();
        sizes.push(value.len());
        ids.extend(value.iter().map(|u| u["id"].as_str().unwrap().to_string()));
        match r.body["@odata.nextLink"].as_str() {
            Some(next) => {
                assert!(next.contains("$skiptoken="), "{next}");
                assert!(next.contains("$top=100"), "{next}");
                path = path_of(&g.origin, next).to_string();
            }
            None => break,
        }
    }
    assert_eq!(sizes, vec![100, 100, 50]);
    assert_eq!(ids.len(), 250);

    let r = g.get("/v1.0/users").await;
    assert_eq!(r.body["value"].as_array().unwrap().len(), 100);
    let r = g.get("/v1.0/users?$top=1000").await;
    assert_graph_error(&r, 400, "Request_UnsupportedQuery");
    let r = g.get("/v1.0/users?$top=999").await;
    assert_eq!(r.body["value"].as_array().unwrap().len(), 250);

    let filter = common::encode("userPrincipalName eq 'USER0042@tenure-demo.onmicrosoft.com'");
    let r = g.get(&format!("/v1.0/users?$filter={filter}")).await;
    let found = r.body["value"].as_array().unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0]["userPrincipalName"],
        "user0042@tenure-demo.onmicrosoft.com"
    );
    let filter = common::encode("mail eq 'nobody@x.com'");
    let r = g.get(&format!("/v1.0/users?$filter={filter}")).await;
    assert_eq!(r.body["value"], json!([]));
}

#[tokio::test]
async fn disabling_revoking_and_deleting() {
    let g = start(FakeGraph::new(TENANT, CLIENT, SECRET)).await;
    let id = g.create("leaver@contoso.com").await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = g
        .call(
            "PATCH",
            &format!("/v1.0/users/{id}"),
            Some(json!({ "accountEnabled": false })),
        )
        .await;
    assert_eq!((r.status, &r.body), (204, &Value::Null));
    assert!(!g.fake.user(&id).unwrap().account_enabled);
    for _ in 0..2 {
        let r = g
            .call(
                "POST",
                &format!("/v1.0/users/{id}/revokeSignInSessions"),
                None,
            )
            .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.body["value"], true);
    }
    assert_eq!(
        g.fake
            .user("leaver@contoso.com")
            .unwrap()
            .revoke_sign_in_sessions_count,
        2
    );
    let r = g
        .call(
            "PATCH",
            &format!("/v1.0/users/{id}"),
            Some(json!({ "favouriteColour": "blue" })),
        )
        .await;
    assert_graph_error(&r, 400, "Request_BadRequest");
    assert_eq!(
        g.call("DELETE", &format!("/v1.0/users/{id}"), None)
            .await
            .status,
        204
    );
    assert_graph_error(
        &g.call("DELETE", &format!("/v1.0/users/{id}"), None).await,
        404,
        "Request_ResourceNotFound",
    );
    assert_eq!(g.fake.user_count(), 0);
}

#[tokio::test]
async fn licences_need_a_usage_location_and_a_free_seat() {
    let g = start(FakeGraph::new(TENANT, CLIENT, SECRET)).await;
    let id = g.create("licensed@contoso.com").await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let assign = format!("/v1.0/users/{id}/assignLicense");
    let add = |sku: &str| json!({ "addLicenses": [{ "skuId": sku, "disabledPlans": [] }], "removeLicenses": [] });

    let r = g.call("POST", &assign, Some(add(ENTERPRISEPACK))).await;
    assert_graph_error(&r, 400, "Request_BadRequest");
    assert_eq!(
        r.body["error"]["message"],
        "License assignment cannot be done for user with invalid usage location."
    );
    let r = g
        .call(
            "POST",
            &assign,
            Some(json!({ "addLicenses": [{ "skuId": ENTERPRISEPACK }] })),
        )
        .await;
    assert_graph_error(&r, 400, "Request_BadRequest");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("removeLicenses")
    );

    g.call(
        "PATCH",
        &format!("/v1.0/users/{id}"),
        Some(json!({ "usageLocation": "GB" })),
    )
    .await;
    let r = g
        .call(
            "POST",
            &assign,
            Some(add("00000000-0000-4000-8000-000000000000")),
        )
        .await;
    assert_graph_error(&r, 400, "Request_BadRequest");

    // A mailbox comes with the licence.
    let rules = format!("/v1.0/users/{id}/mailFolders/inbox/messageRules");
    let rule = json!({
        "displayName": "Forward", "sequence": 1, "isEnabled": true,
        "actions": { "forwardTo": [{ "emailAddress": { "address": "boss@contoso.com" } }] },
    });
    let r = g.call("POST", &rules, Some(rule.clone())).await;
    assert_graph_error(&r, 404, "MailboxNotEnabledForRESTAPI");

    let r = g.call("POST", &assign, Some(add(ENTERPRISEPACK))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["id"], id.as_str());
    assert_eq!(g.fake.consumed_units("ENTERPRISEPACK"), 1);
    let u = g.fake.user(&id).unwrap();
    assert_eq!(u.license_sku_ids(), vec![ENTERPRISEPACK.to_string()]);
    assert_eq!(u.mail.as_deref(), Some("licensed@contoso.com"));

    let r = g.get(&format!("/v1.0/users/{id}/licenseDetails")).await;
    assert_eq!(r.body["value"][0]["skuPartNumber"], "ENTERPRISEPACK");
    let r = g.get("/v1.0/subscribedSkus").await;
    let skus = r.body["value"].as_array().unwrap();
    let e3 = skus
        .iter()
        .find(|s| s["skuPartNumber"] == "ENTERPRISEPACK")
        .unwrap();
    assert_eq!(e3["consumedUnits"], 1);
    assert_eq!(e3["prepaidUnits"]["enabled"], 100);

    let r = g.call("POST", &rules, Some(rule)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.body["id"].is_string());
    let r = g.get(&rules).await;
    assert_eq!(r.body["value"].as_array().unwrap().len(), 1);
    assert_eq!(
        g.fake.user(&id).unwrap().forwarding_addresses(),
        vec!["boss@contoso.com"]
    );
    let r = g
        .call(
            "PATCH",
            &format!("/v1.0/users/{id}/mailboxSettings"),
            Some(json!({ "automaticRepliesSetting": { "status": "alwaysEnabled", "externalReplyMessage": "Gone." } })),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["automaticRepliesSetting"]["status"], "alwaysEnabled");
    assert_eq!(r.body["automaticRepliesSetting"]["externalAudience"], "all");
    let replies = g
        .fake
        .user(&id)
        .unwrap()
        .automatic_replies()
        .cloned()
        .unwrap();
    assert_eq!(replies["externalReplyMessage"], "Gone.");

    // No seat left.
    assert!(g.fake.set_sku_seats("SPE_E3", 0));
    let r = g.call("POST", &assign, Some(add(SPE_E3))).await;
    assert_graph_error(&r, 400, "Request_BadRequest");
    assert!(
        r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("available licenses")
    );

    // Removing frees the seat.
    let r = g
        .call(
            "POST",
            &assign,
            Some(json!({ "addLicenses": [], "removeLicenses": [ENTERPRISEPACK] })),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(g.fake.consumed_units("ENTERPRISEPACK"), 0);
}

#[tokio::test]
async fn group_members_by_reference() {
    let g = start(FakeGraph::new(TENANT, CLIENT, SECRET)).await;
    let gid = g.fake.add_group("Engineering");
    g.fake.add_group("Sales");
    let uid = g.create("joiner@contoso.com").await.body["id"]
        .as_str()
        .unwrap()
        .to_string();

    let filter = common::encode("displayName eq 'engineering'");
    let r = g.get(&format!("/v1.0/groups?$filter={filter}")).await;
    assert_eq!(r.body["value"][0]["id"], gid.as_str());
    assert_eq!(r.body["value"].as_array().unwrap().len(), 1);

    let reference =
        json!({ "@odata.id": format!("https://graph.microsoft.com/v1.0/directoryObjects/{uid}") });
    let add = format!("/v1.0/groups/{gid}/members/$ref");
    assert_eq!(
        g.call("POST", &add, Some(reference.clone())).await.status,
        204
    );
    let r = g.call("POST", &add, Some(reference)).await;
    assert_graph_error(&r, 400, "Request_BadRequest");
    assert_eq!(
        r.body["error"]["message"],
        "One or more added object references already exist for the following modified properties: 'members'."
    );
    assert_eq!(g.fake.group_members(&gid), vec![uid.clone()]);
    let r = g.get(&format!("/v1.0/users/{uid}/memberOf")).await;
    assert_eq!(r.body["value"][0]["@odata.type"], "#microsoft.graph.group");
    assert_eq!(r.body["value"][0]["displayName"], "Engineering");

    let remove = format!("/v1.0/groups/{gid}/members/{uid}/$ref");
    assert_eq!(g.call("DELETE", &remove, None).await.status, 204);
    assert_graph_error(
        &g.call("DELETE", &remove, None).await,
        404,
        "Request_ResourceNotFound",
    );
    assert!(g.fake.group_members(&gid).is_empty());
}

/// The status of each of `n` list calls.
async fn statuses(g: &Running, n: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(g.get("/v1.0/users?$top=1").await.status);
    }
    out
}

#[tokio::test]
async fn injected_faults_are_deterministic_and_change_nothing() {
    let a = start(FakeGraph::new(TENANT, CLIENT, SECRET).with_faults(0.4)).await;
    let b = start(FakeGraph::new(TENANT, CLIENT, SECRET).with_faults(0.4)).await;
    let (sa, sb) = (statuses(&a, 60).await, statuses(&b, 60).await);
    assert_eq!(sa, sb);
    let failed = sa.iter().filter(|s| **s != 200).count();
    assert!((10..40).contains(&failed), "{sa:?}");
    assert!(sa.contains(&429) && sa.contains(&503), "{sa:?}");
    assert_eq!(a.fake.faults_injected(), failed);
    let c = start(
        FakeGraph::new(TENANT, CLIENT, SECRET)
            .with_faults(0.4)
            .with_fault_seed(9),
    )
    .await;
    assert_ne!(statuses(&c, 60).await, sa);

    // A failed create creates nothing; its answer says when to retry.
    let mut created = 0;
    for i in 0..20 {
        let r = a.create(&format!("u{i}@contoso.com")).await;
        match r.status {
            201 => created += 1,
            429 => {
                assert_graph_error(&r, 429, "TooManyRequests");
                assert_eq!(r.header("retry-after"), Some("1"));
            }
            503 => {
                assert_graph_error(&r, 503, "ServiceUnavailable");
                assert_eq!(r.header("retry-after"), Some("1"));
            }
            s => panic!("{s}"),
        }
    }
    assert_eq!(a.fake.user_count(), created);

    let none = start(FakeGraph::new(TENANT, CLIENT, SECRET)).await;
    assert!(statuses(&none, 50).await.iter().all(|s| *s == 200));
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after() {
    let g =
        start(FakeGraph::new(TENANT, CLIENT, SECRET).with_rate_limit(3, Duration::from_secs(60)))
            .await;
    assert_eq!(statuses(&g, 3).await, vec![200, 200, 200]);
    let r = g.get("/v1.0/users").await;
    assert_graph_error(&r, 429, "TooManyRequests");
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    // The token endpoint is not limited.
    assert!(!token(&g.origin).await.is_empty());
    g.fake.set_rate_limit(0, Duration::from_secs(60));
    assert_eq!(g.get("/v1.0/users").await.status, 200);
}

#[tokio::test]
async fn users_added_in_process_are_served() {
    let fake = FakeGraph::new(TENANT, CLIENT, SECRET);
    let id = fake.add_user(GraphUser {
        user_principal_name: "existing@contoso.com".into(),
        display_name: "Existing".into(),
        mail_nickname: "existing".into(),
        account_enabled: true,
        ..GraphUser::default()
    });
    let g = start(fake).await;
    let r = g.get("/v1.0/users/existing@contoso.com").await;
    assert_eq!(r.body["id"], id.as_str());
    assert_graph_error(
        &g.create("EXISTING@contoso.com").await,
        400,
        "Request_BadRequest",
    );
}

#[tokio::test]
async fn group_kinds_the_picker_filter_the_cast_and_refused_members() {
    let g = start(FakeGraph::new(TENANT, CLIENT, SECRET)).await;
    let eng = g.fake.add_group("Engineering");
    let berlin = g.fake.add_group("Eng Berlin");
    let dynamic = g
        .fake
        .add_dynamic_group("Eng (all)", "user.department -eq \"Engineering\"");
    let list = g.fake.add_group_with(tenure_fakes::graph::GraphGroup {
        display_name: "Eng news".into(),
        mail_enabled: true,
        ..Default::default()
    });
    g.fake.add_group("Sales");
    let uid = g.create("joiner@contoso.com").await.body["id"]
        .as_str()
        .unwrap()
        .to_string();

    // The picker: startswith, case-insensitive, paged by $top and nextLink.
    let filter = common::encode("startswith(displayName,'eng')");
    let select =
        "id,displayName,groupTypes,mailEnabled,securityEnabled,membershipRule,isAssignableToRole";
    let r = g
        .get(&format!(
            "/v1.0/groups?$filter={filter}&$select={select}&$top=2"
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let ids: Vec<&str> = r.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [eng.as_str(), berlin.as_str()]);
    let next = r.body["@odata.nextLink"].as_str().unwrap();
    let r = g.get(path_of(&g.origin, next)).await;
    assert_eq!(r.body["value"][0]["id"], dynamic.as_str());
    assert_eq!(
        r.body["value"][0]["groupTypes"],
        json!(["DynamicMembership"])
    );
    assert_eq!(
        r.body["value"][0]["membershipRule"],
        "user.department -eq \"Engineering\""
    );
    assert_eq!(r.body["value"][1]["mailEnabled"], true);
    assert!(r.body.get("@odata.nextLink").is_none());

    // Dynamic groups and distribution lists refuse members.
    let reference =
        json!({ "@odata.id": format!("https://graph.microsoft.com/v1.0/directoryObjects/{uid}") });
    for gid in [&dynamic, &list] {
        let r = g
            .call(
                "POST",
                &format!("/v1.0/groups/{gid}/members/$ref"),
                Some(reference.clone()),
            )
            .await;
        assert_graph_error(&r, 400, "Request_BadRequest");
        let r = g
            .call(
                "DELETE",
                &format!("/v1.0/groups/{gid}/members/{uid}/$ref"),
                None,
            )
            .await;
        assert_graph_error(&r, 400, "Request_BadRequest");
    }

    // The OData cast to groups, paged.
    for gid in [&eng, &berlin] {
        let r = g
            .call(
                "POST",
                &format!("/v1.0/groups/{gid}/members/%24ref"),
                Some(reference.clone()),
            )
            .await;
        assert_eq!(r.status, 204, "{}", r.body);
    }
    let r = g
        .get(&format!(
            "/v1.0/users/{uid}/memberOf/microsoft.graph.group?$select=id,displayName&$top=1"
        ))
        .await;
    assert_eq!(r.body["value"][0]["displayName"], "Engineering");
    assert_eq!(r.body["value"][0]["@odata.type"], "#microsoft.graph.group");
    let next = r.body["@odata.nextLink"].as_str().unwrap();
    assert!(next.contains("/memberOf/microsoft.graph.group?"), "{next}");
    let r = g.get(path_of(&g.origin, next)).await;
    assert_eq!(r.body["value"][0]["displayName"], "Eng Berlin");
    let r = g
        .get(&format!(
            "/v1.0/users/{uid}/memberOf/microsoft.graph.directoryRole"
        ))
        .await;
    assert_eq!(r.body["value"], json!([]));
    let r = g.get(&format!("/v1.0/users/{uid}/memberOf/nonsense")).await;
    assert_graph_error(&r, 400, "BadRequest");
    assert_eq!(
        g.fake.group_member_upns(&eng),
        vec!["joiner@contoso.com".to_string()]
    );
    assert_eq!(g.fake.groups_named("ENGINEERING").len(), 1);
    assert!(g.fake.remove_group_member(&eng, "joiner@contoso.com"));
    assert!(!g.fake.remove_group_member(&eng, "joiner@contoso.com"));
}
