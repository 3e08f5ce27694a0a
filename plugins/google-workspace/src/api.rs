//! Google Workspace's Admin SDK as a service account with domain-wide delegation sees
//! it, as far as the connector uses it (Google's Directory API and Data Transfer API
//! references; Tenure's fake of them in `tests/fakes/src/google` follows the same).
//!
//! - Token: `POST <token_url>`, form `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`
//!   and `assertion`, a JWT the host signs with the service account's key (it never
//!   enters the plugin): `iss` the key's `client_email`, `sub` the admin to act as,
//!   `scope` (all of [`SCOPES`], space-separated), `aud` the token URL, `iat`, `exp`.
//!   One token serves every call; delegation that lacks one scope fails every token
//!   request (401 `unauthorized_client`), so test-connection finds it.
//! - Directory API, `<api_url>/admin/directory/v1`:
//!   `GET /users/{userKey}` (id, primary email or alias; 404 when none),
//!   `GET /users?customer=&maxResults=`, `POST /users` (409 reason `duplicate` when the
//!   address is taken), `PATCH /users/{userKey}` (only the fields sent change; arrays
//!   such as `organizations` are replaced whole), `DELETE /users/{userKey}` → 204,
//!   `POST /users/{userKey}/signOut` → 204 (scope `admin.directory.user.security` only),
//!   `GET /groups?customer=` and `GET /groups?userKey=` (paged by `pageToken`,
//!   `maxResults` ≤ 200), `GET /groups/{groupKey}`, `POST /groups/{groupKey}/members`
//!   `{email, role}` (409 "Member already exists."), `DELETE
//!   /groups/{groupKey}/members/{memberKey}` → 204 (404 when not a member).
//! - Data Transfer API, `<api_url>/admin/datatransfer/v1`: `POST /transfers`
//!   `{oldOwnerUserId, newOwnerUserId, applicationDataTransfers}` (user *ids*) →
//!   `overallTransferStatusCode` `inProgress`; `GET /transfers/{id}` until `completed`;
//!   `GET /transfers?oldOwnerUserId=&newOwnerUserId=` (paged).
//! - Errors: `{"error": {"code", "message", "errors": [{"message", "domain", "reason"}]}}`.
//!   Quota is a **403** with reason `userRateLimitExceeded`, `rateLimitExceeded` or
//!   `quotaExceeded` (sometimes a 429): slow down, not a credentials problem.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tenure_sdk::http::{self, Method, RequestBuilder, Response};
use tenure_sdk::jwt::JwtBearer;
use tenure_sdk::oauth::TokenSource;
use tenure_sdk::{Account, Error, Group, settings};

pub const DEFAULT_TOKEN_URL: &str = "https://oauth2.googleapis.com/token";
pub const DEFAULT_API_URL: &str = "https://admin.googleapis.com";
const DIRECTORY: &str = "admin/directory/v1";
const DATATRANSFER: &str = "admin/datatransfer/v1";

/// The setting (kind `signing-key`) with the service account's key.
pub const KEY: &str = "service_account_key";

/// What the token asks for: users; sign-out (the only scope `users.signOut` takes);
/// group members; reading groups (`groups.list` and `groups.get` take no member
/// scope); data transfers.
pub const SCOPES: [&str; 5] = [
    "https://www.googleapis.com/auth/admin.directory.user",
    "https://www.googleapis.com/auth/admin.directory.user.security",
    "https://www.googleapis.com/auth/admin.directory.group.member",
    "https://www.googleapis.com/auth/admin.directory.group.readonly",
    "https://www.googleapis.com/auth/admin.datatransfer",
];

/// The Data Transfer API's id of "Drive and Docs" (Google documents it; `GET
/// /applications` lists it with the parameter `PRIVACY_LEVEL`).
pub const DRIVE_APPLICATION_ID: &str = "55656082996";

/// Reasons of a 403 (or 429) that mean "too many requests", not "not allowed".
const QUOTA_REASONS: [&str; 3] = [
    "userRateLimitExceeded",
    "rateLimitExceeded",
    "quotaExceeded",
];

/// The settings, read once per call.
pub struct Client {
    token_url: String,
    api_url: String,
    admin_email: String,
    pub customer: String,
    pub org_unit: String,
    scope: String,
}

impl Client {
    pub fn from_settings() -> Result<Client, Error> {
        let admin_email = settings::required_config("admin_email")?;
        Ok(Client {
            token_url: settings::config("token_url").unwrap_or_else(|| DEFAULT_TOKEN_URL.into()),
            api_url: settings::config("api_url").unwrap_or_else(|| DEFAULT_API_URL.into()),
            admin_email: admin_email.trim().to_string(),
            customer: settings::config("customer").unwrap_or_else(|| "my_customer".into()),
            org_unit: settings::config("org_unit").unwrap_or_else(|| "/".into()),
            scope: SCOPES.join(" "),
        })
    }

    /// Google's service-account flow, acting as the admin, with the token URL of the
    /// settings as endpoint and audience (google-auth always puts Google's token URL
    /// in `aud`; with the default setting this is the same).
    fn jwt(&self) -> JwtBearer<'_> {
        JwtBearer {
            token_url: &self.token_url,
            ..JwtBearer::google(KEY, &self.scope, Some(&self.admin_email))
        }
    }

    /// A URL of the Directory API: `path` is made of segments, each encoded.
    pub fn directory(&self, segments: &[&str]) -> String {
        url(&http::join(&self.api_url, DIRECTORY), segments)
    }

    /// A URL of the Data Transfer API.
    pub fn datatransfer(&self, segments: &[&str]) -> String {
        url(&http::join(&self.api_url, DATATRANSFER), segments)
    }

    /// Sends `req` with a token (a new one once when the API answers 401); any answer.
    pub fn send_raw(&self, req: RequestBuilder) -> Result<Response, Error> {
        self.jwt()
            .send_raw(|token| req.clone().bearer(token))
            .map_err(explain_token_error)
    }

    /// [`Client::send_raw`], then a non-2xx answer becomes an [`Error`] ([`to_error`]).
    pub fn send(&self, req: RequestBuilder) -> Result<Response, Error> {
        let resp = self.send_raw(req)?;
        if resp.is_success() {
            Ok(resp)
        } else {
            Err(to_error(&resp))
        }
    }

    /// `GET /users?customer=..&maxResults=1`: the cheapest read that proves the token,
    /// the admin and the customer.
    pub fn list_one_user(&self) -> RequestBuilder {
        http::get(&self.directory(&["users"]))
            .query("customer", &self.customer)
            .query("maxResults", "1")
    }

    /// `GET /users/{userKey}`: `None` when Google has no such user. A 403 "Not
    /// Authorized" for an address is told apart from a credentials problem by
    /// [`Client::foreign_address`]: such an address has no account here either.
    pub fn find_user(&self, key: &str) -> Result<Option<User>, Error> {
        let resp = self.send_raw(http::get(&self.directory(&["users", key])))?;
        match resp.status {
            200..=299 => resp.json().map(Some),
            404 => Ok(None),
            _ => match self.foreign_address(&resp, key) {
                Some(_) => Ok(None),
                None => Err(to_error(&resp)),
            },
        }
    }

    /// Google answers 403 "Not Authorized to access this resource/api" (reason
    /// `forbidden`) both when the admin is not an admin and when an address is on a
    /// domain this customer does not own. When the same token can list users, it is
    /// the address: `Some(message)`, else `None` (a credentials problem).
    pub fn foreign_address(&self, resp: &Response, address: &str) -> Option<String> {
        if resp.status != 403 || !reasons(resp).iter().any(|r| r == "forbidden") {
            return None;
        }
        if !address.contains('@') || self.send(self.list_one_user()).is_err() {
            return None;
        }
        Some(format!(
            "Google refused `{}` (HTTP 403: {}): its domain is not one of this Google Workspace's domains (Admin console → Account → Domains)",
            http::excerpt(address),
            resp.detail()
        ))
    }
}

/// `base/seg1/seg2`, each segment percent-encoded (an email's `@`, an id's `/`).
fn url(base: &str, segments: &[&str]) -> String {
    let path: Vec<String> = segments.iter().map(|s| http::encode_component(s)).collect();
    http::join(base, &path.join("/"))
}

/// The `reason`s of a Google error body.
pub fn reasons(resp: &Response) -> Vec<String> {
    let Ok(v) = serde_json::from_slice::<Value>(&resp.body) else {
        return Vec::new();
    };
    v.pointer("/error/errors")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("reason").and_then(Value::as_str))
        .map(str::to_string)
        .collect()
}

/// The [`Error`] a Google answer means: quota (403 or 429 with a quota reason) is
/// `rate-limited` when Google says how long to wait (`Retry-After`), else `unavailable`
/// so that the host backs off exponentially with jitter, as Google asks clients to;
/// another 403 is `unauthorized` with what to fix; the rest as the SDK maps statuses.
pub fn to_error(resp: &Response) -> Error {
    let reasons = reasons(resp);
    let quota = reasons.iter().any(|r| QUOTA_REASONS.contains(&r.as_str()));
    if quota && matches!(resp.status, 403 | 429) {
        return match http::retry_after(resp) {
            Some(secs) => Error::RateLimited(secs),
            None => Error::Unavailable(format!(
                "Google's quota is spent for now (HTTP {}: {}); backing off",
                resp.status,
                reasons.join(", ")
            )),
        };
    }
    if resp.status == 403 {
        let fix = if reasons.iter().any(|r| r == "insufficientPermissions") {
            "the token lacks a scope: grant the service account's client ID every scope listed in the help of the service-account key setting (Admin console → Security → API controls → Domain-wide delegation)"
        } else {
            "check that admin_email is a super administrator of this Google Workspace and the customer setting is right"
        };
        return Error::Unauthorized(format!("HTTP 403: {}; {fix}", resp.detail()));
    }
    resp.to_error()
}

/// A refused token request (or a key the host cannot sign with) says what an admin
/// must check.
fn explain_token_error(e: Error) -> Error {
    match e {
        Error::Unauthorized(m) => Error::Unauthorized(format!(
            "{m} — check the service-account key, that its client ID has domain-wide delegation for the scopes listed in the key setting's help, and that admin_email is a super administrator"
        )),
        other => other,
    }
}

/// A user as the Directory API returns it (the fields read).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub primary_email: String,
    #[serde(default)]
    pub suspended: bool,
}

impl User {
    pub fn into_account(self) -> Account {
        Account {
            id: self.id,
            login: self.primary_email,
            active: !self.suspended,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Name<'a> {
    pub given_name: &'a str,
    pub family_name: &'a str,
}

#[derive(Debug, Serialize)]
pub struct ExternalId<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub value: &'a str,
}

/// `POST /users`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewUser<'a> {
    pub primary_email: &'a str,
    pub name: Name<'a>,
    pub password: &'a str,
    /// Google asks for a new password at the first sign-in with the password; it does
    /// not apply to sign-in through a third-party identity provider (SSO).
    pub change_password_at_next_login: bool,
    pub org_unit_path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_email: Option<&'a str>,
    /// Tenure's employee id, as an `organization` external id.
    pub external_ids: Vec<ExternalId<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organizations: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relations: Option<Vec<Value>>,
}

/// A group as `groups.get` and `groups.list` return it.
#[derive(Debug, Deserialize)]
pub struct ApiGroup {
    pub id: String,
    pub email: String,
    #[serde(default)]
    pub name: String,
}

impl From<ApiGroup> for Group {
    /// Tenure names Google groups by their address (`google:all@acme.test` in the
    /// catalog): the group's `name` here is its email, unique where display names are not.
    fn from(g: ApiGroup) -> Group {
        Group {
            id: g.id,
            name: g.email,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Groups {
    /// Google leaves the list out when it is empty.
    #[serde(default)]
    pub groups: Vec<ApiGroup>,
    #[serde(default)]
    pub next_page_token: Option<String>,
}

/// One application of a transfer; Google sends the id as a string (int64), some
/// clients as a number.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationTransfer {
    pub application_id: Value,
}

impl ApplicationTransfer {
    pub fn is(&self, id: &str) -> bool {
        match &self.application_id {
            Value::String(s) => s == id,
            Value::Number(n) => n.to_string() == id,
            _ => false,
        }
    }
}

/// A data transfer.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transfer {
    pub id: String,
    #[serde(default)]
    pub old_owner_user_id: String,
    #[serde(default)]
    pub new_owner_user_id: String,
    /// `inProgress`, `completed`, `failed` (anything else reads as still going).
    #[serde(default)]
    pub overall_transfer_status_code: String,
    #[serde(default)]
    pub request_time: Option<String>,
    #[serde(default)]
    pub application_data_transfers: Vec<ApplicationTransfer>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transfers {
    #[serde(default)]
    pub data_transfers: Vec<Transfer>,
    #[serde(default)]
    pub next_page_token: Option<String>,
}

/// A request with a JSON body (bodies here are `serde_json` values and structs of
/// strings: they always serialize).
pub fn with_json<T: Serialize + ?Sized>(
    method: Method,
    url: &str,
    body: &T,
) -> Result<RequestBuilder, Error> {
    http::request(method, url).json(body)
}
