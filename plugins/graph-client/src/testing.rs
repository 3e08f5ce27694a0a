//! Scripted Microsoft Graph for the native unit tests of the connectors built on this
//! client (`microsoft365`, `entra`): a fake host holding a connector's settings and a
//! token endpoint, Graph's error body, the answers both connectors' tests script alike,
//! and the requests a connector sent to Graph. Native targets only (the SDK's fake
//! host is): nothing here reaches a plugin's component.

use serde_json::{Value, json};
use tenure_sdk::testing::{FakeHost, Method, RecordedRequest, Reply};

/// The tenant the tests configure.
pub const TENANT: &str = "contoso.onmicrosoft.com";
/// The token endpoint of [`TENANT`] in the global cloud.
pub const TOKEN_URL: &str =
    "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token";
/// Graph's `/v1.0` in the global cloud.
pub const API: &str = "https://graph.microsoft.com/v1.0";

/// A fake host with the connector's manifest and its three required settings
/// (`tenant_id` = [`TENANT`], `client_id`, `client_secret`), and no token endpoint yet.
pub fn settings_host(manifest_toml: &str, client_id: &str, client_secret: &str) -> FakeHost {
    FakeHost::new()
        .with_manifest(manifest_toml)
        .config("tenant_id", TENANT)
        .config("client_id", client_id)
        .secret("client_secret", client_secret)
}

/// [`settings_host`] whose token endpoint issues `access_token` to every request.
pub fn host(
    manifest_toml: &str,
    client_id: &str,
    client_secret: &str,
    access_token: &str,
) -> FakeHost {
    let host = settings_host(manifest_toml, client_id, client_secret);
    host.on(Method::Post, TOKEN_URL).reply(Reply::json(
        200,
        &json!({"token_type": "Bearer", "expires_in": 3599, "access_token": access_token}),
    ));
    host
}

/// Graph's error body, as Microsoft documents it.
pub fn graph_error(status: u16, code: &str, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({"error": {"code": code, "message": message,
            "innerError": {"date": "2025-01-01T00:00:00", "request-id": "r", "client-request-id": "r"}}}),
    )
}

/// Graph's 404 for an object that does not exist (a user, a group, a member).
pub fn not_found(id: &str) -> Reply {
    graph_error(
        404,
        "Request_ResourceNotFound",
        &format!("Resource '{id}' does not exist."),
    )
}

/// Graph's answer to a call the app's permissions do not cover, with `status`.
pub fn insufficient_privileges(status: u16, code: &str) -> Reply {
    graph_error(
        status,
        code,
        "Insufficient privileges to complete the operation.",
    )
}

/// Graph's 403 `Authorization_RequestDenied`.
pub fn denied() -> Reply {
    insufficient_privileges(403, "Authorization_RequestDenied")
}

/// Graph's 400 to adding a member a group already has.
pub fn already_a_member() -> Reply {
    graph_error(
        400,
        "Request_BadRequest",
        "One or more added object references already exist for the following modified properties: 'members'.",
    )
}

/// Graph's 429 asking to retry after `seconds`.
pub fn throttled(seconds: &str) -> Reply {
    graph_error(429, "TooManyRequests", "Too many requests.").header("retry-after", seconds)
}

/// A 200 collection of `values`, the last page.
pub fn values(values: Value) -> Reply {
    Reply::json(200, &json!({ "value": values }))
}

/// The first page of a user's group memberships, read through the group cast.
pub fn memberships_url(user: &str) -> String {
    format!(
        "{API}/users/{user}/memberOf/microsoft.graph.group?%24select=id%2CdisplayName&%24top=999"
    )
}

/// The requests sent to Graph (not to the token endpoint).
pub fn api_requests(host: &FakeHost) -> Vec<RecordedRequest> {
    host.requests()
        .into_iter()
        .filter(|r| !r.url.starts_with(TOKEN_URL))
        .collect()
}

/// The requests sent to Graph (not to the token endpoint), as "METHOD url".
pub fn api_calls(host: &FakeHost) -> Vec<String> {
    api_requests(host)
        .iter()
        .map(|r| {
            let method = format!("{:?}", r.method);
            format!("{} {}", method.trim_start_matches("Method::"), r.url)
        })
        .collect()
}

/// Scripts a group `g9` that is gone and a user `u1` who is not a member of `g1`:
/// adding `u1` to `g9` answers 404, removing `u1` from `g1` answers 404.
pub fn gone_group_and_non_member(host: &FakeHost) {
    host.on(Method::Post, &format!("{API}/groups/g9/members/$ref"))
        .reply(not_found("g9"));
    host.on(Method::Delete, &format!("{API}/groups/g1/members/u1/$ref"))
        .reply(not_found("u1"));
}

/// Asserts the last request added `user` to a group by reference to the directory object.
pub fn assert_added_by_ref(host: &FakeHost, user: &str) {
    let body: Value = host.last_request().json();
    assert_eq!(
        body,
        json!({"@odata.id": format!("{API}/directoryObjects/{user}")})
    );
}
