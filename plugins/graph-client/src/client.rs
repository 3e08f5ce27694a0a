//! The Graph client: settings, token, requests, paging, errors, users.
//!
//! - Token: `POST <login>/<tenant>/oauth2/v2.0/token`, form `grant_type=client_credentials`,
//!   `client_id`, `client_secret`, `scope=https://graph.microsoft.com/.default`
//!   (cached by the SDK in the key-value store until a minute before it expires; a 401
//!   from Graph drops it and retries once with a new one).
//! - API base `<graph>/v1.0`. Errors are `{"error": {"code", "message", "details"?}}`;
//!   429 and 503 carry `Retry-After` (seconds), which the SDK turns into
//!   `rate-limited(seconds)` and `unavailable`.
//! - Lists are paged by an absolute `@odata.nextLink`, followed only on this Graph's
//!   API base (the token goes nowhere else).
//! - Users: `GET /users/{id | userPrincipalName}` (404 `Request_ResourceNotFound`);
//!   `accountEnabled` and `usageLocation` come only through `$select`.
//!   `GET /users?$filter=mail eq '...'`.

use serde::Deserialize;
use serde_json::Value;
use tenure_sdk::http::{self, Method, RequestBuilder, Response};
use tenure_sdk::oauth::{ClientAuth, ClientCredentials, TokenSource};
use tenure_sdk::{Account, Error, settings};

pub const DEFAULT_LOGIN_URL: &str = "https://login.microsoftonline.com";
pub const DEFAULT_GRAPH_URL: &str = "https://graph.microsoft.com";
/// Every application permission granted to the app registration, for Microsoft Graph.
pub const SCOPE: &str = "https://graph.microsoft.com/.default";

/// The user properties the connector reads (`accountEnabled` and `usageLocation` only
/// come when asked for).
pub const USER_SELECT: &str = "id,userPrincipalName,accountEnabled,usageLocation";

/// A Graph client for one call: the settings, read once.
pub struct Graph {
    /// `<graph origin>/v1.0`, no trailing slash.
    pub base: String,
    token_url: String,
    client_id: String,
    client_secret: String,
}

impl Graph {
    /// Reads the settings; a missing one is [`Error::Unauthorized`] (the host parks the
    /// connector until an administrator fills it in).
    pub fn from_settings() -> Result<Graph, Error> {
        let tenant = settings::required_config("tenant_id")?;
        let client_id = settings::required_config("client_id")?;
        let client_secret = settings::required_secret("client_secret")?;
        let login = settings::config("login_url").unwrap_or_else(|| DEFAULT_LOGIN_URL.into());
        let graph = settings::config("graph_url").unwrap_or_else(|| DEFAULT_GRAPH_URL.into());
        let graph = graph.trim().trim_end_matches('/');
        // An administrator who pastes the API base keeps working.
        let graph = graph.strip_suffix("/v1.0").unwrap_or(graph);
        Ok(Graph {
            base: format!("{graph}/v1.0"),
            token_url: http::join(
                login.trim(),
                &format!(
                    "{}/oauth2/v2.0/token",
                    http::encode_component(tenant.trim())
                ),
            ),
            client_id: client_id.trim().to_string(),
            client_secret,
        })
    }

    fn credentials(&self) -> ClientCredentials<'_> {
        ClientCredentials {
            token_url: &self.token_url,
            client_id: &self.client_id,
            client_secret: &self.client_secret,
            scope: Some(SCOPE),
            auth: ClientAuth::Form,
            method: Method::Post,
        }
    }

    /// A request to `path` under `/v1.0` (the caller encodes ids into it).
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        http::request(method, &http::join(&self.base, path))
    }

    /// Sends `req` with a token; any status is `Ok`. A 401 drops the cached token and
    /// sends once more with a new one.
    pub fn send_raw(&self, req: RequestBuilder) -> Result<Response, Error> {
        self.credentials()
            .send_raw(|token| req.clone().bearer(token))
    }

    /// [`Graph::send_raw`], then a non-2xx answer becomes an [`Error`] (`needs` names
    /// the permission a 403 is about).
    pub fn send(&self, req: RequestBuilder, needs: &str) -> Result<Response, Error> {
        let resp = self.send_raw(req)?;
        if resp.is_success() {
            Ok(resp)
        } else {
            Err(error(&resp, needs))
        }
    }

    /// Whether `url` (an `@odata.nextLink`, or a cursor the host handed back) is on
    /// this Graph's API base. The token never goes anywhere else.
    pub fn owns(&self, url: &str) -> bool {
        url.get(..self.base.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(&self.base))
            && url[self.base.len()..].starts_with('/')
    }

    /// The `@odata.id` of a directory object, for `$ref` bodies.
    pub fn reference(&self, kind: &str, id: &str) -> String {
        format!("{}/{kind}/{}", self.base, http::encode_component(id))
    }

    /// The user with this object id or user principal name (`$select`ed), `None` on 404.
    /// `needs` names the permission a 403 is about (`User.Read.All`, `User.ReadWrite.All`).
    pub fn user(&self, key: &str, select: &str, needs: &str) -> Result<Option<User>, Error> {
        let resp = self.send_raw(
            self.request(Method::Get, &user_path(key))
                .query("$select", select),
        )?;
        if resp.status == 404 {
            return Ok(None);
        }
        if !resp.is_success() {
            return Err(error(&resp, needs));
        }
        resp.json().map(Some)
    }

    /// The users whose `mail` is `address` (compared case-insensitively by Graph).
    pub fn users_by_mail(&self, address: &str, needs: &str) -> Result<Vec<User>, Error> {
        let page: List<User> = self
            .send(
                self.request(Method::Get, "/users")
                    .query("$filter", &format!("mail eq {}", literal(address)))
                    .query("$select", USER_SELECT),
                needs,
            )?
            .json()?;
        Ok(page.value)
    }

    /// The user signing in as `login` (user principal name), else the one whose `mail`
    /// is `address`: an account whose user principal name differs from its address (made
    /// before the domain was verified, or by hand) is still the person's. Two users with
    /// that mail: [`Error::Conflict`].
    pub fn find_user(
        &self,
        login: &str,
        address: &str,
        needs: &str,
    ) -> Result<Option<User>, Error> {
        if let Some(u) = self.user(login, USER_SELECT, needs)? {
            return Ok(Some(u));
        }
        let mut found = self.users_by_mail(address, needs)?;
        match found.len() {
            0 | 1 => Ok(found.pop()),
            n => Err(Error::Conflict(format!(
                "{n} users in Microsoft Entra ID have the address {address}: merge or rename them, then retry"
            ))),
        }
    }

    /// Every item of a list, following `@odata.nextLink` (at most `max_pages`).
    pub fn all<T: serde::de::DeserializeOwned>(
        &self,
        first: RequestBuilder,
        needs: &str,
        max_pages: usize,
    ) -> Result<Vec<T>, Error> {
        tenure_sdk::paging::collect(max_pages, |cursor| {
            let req = match cursor {
                None => first.clone(),
                Some(link) => http::get(&link),
            };
            let page: List<T> = self.send(req, needs)?.json()?;
            let next = self.next(page.next_link)?;
            Ok((page.value, next))
        })
    }

    /// The request for a page cursor the host handed back (an `@odata.nextLink` this
    /// client returned earlier); [`Error::InvalidInput`] when it is not on this Graph's
    /// API base, before any token is sent.
    pub fn cursor(&self, cursor: &str) -> Result<RequestBuilder, Error> {
        if self.owns(cursor) {
            Ok(http::get(cursor))
        } else {
            Err(Error::InvalidInput(format!(
                "the page cursor is not a Microsoft Graph link of this connector ({}): start the listing again",
                http::excerpt(cursor)
            )))
        }
    }

    /// A page's `@odata.nextLink`, refused when it leaves this Graph.
    pub fn next(&self, link: Option<String>) -> Result<Option<String>, Error> {
        match link.filter(|l| !l.is_empty()) {
            None => Ok(None),
            Some(l) if self.owns(&l) => Ok(Some(l)),
            Some(l) => Err(Error::Other(format!(
                "Microsoft Graph answered a next page outside {}: {}",
                self.base,
                http::excerpt(&l)
            ))),
        }
    }
}

/// `/users/{key}`, the key encoded; Graph's documented form `/users('{key}')` for a user
/// principal name that starts with `$`.
pub fn user_path(key: &str) -> String {
    if key.starts_with('$') {
        format!(
            "/users({})",
            http::encode_component(&literal(key)).replace("%27", "'")
        )
    } else {
        format!("/users/{}", http::encode_component(key))
    }
}

/// An OData string literal: single-quoted, quotes doubled (`O'Brien` → `'O''Brien'`).
pub fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The [`Error`] a failed Graph answer means: the SDK's mapping, with a 403 naming the
/// permission the call needs.
pub fn error(resp: &Response, needs: &str) -> Error {
    match resp.status {
        403 => Error::Unauthorized(format!(
            "HTTP 403: {} — the app registration needs the Microsoft Graph application permission {needs} with admin consent (a user holding an admin role also needs the app to hold an Entra role such as User Administrator)",
            resp.detail()
        )),
        _ => resp.to_error(),
    }
}

/// Graph's `error.code`, when the body has one.
pub fn error_code(resp: &Response) -> Option<String> {
    let v: Value = serde_json::from_slice(&resp.body).ok()?;
    v.pointer("/error/code")?.as_str().map(str::to_string)
}

/// Whether the error's `details` (or its code) say `code` (`ObjectConflict`).
pub fn has_detail_code(resp: &Response, code: &str) -> bool {
    let Ok(v) = serde_json::from_slice::<Value>(&resp.body) else {
        return false;
    };
    let in_details = v
        .pointer("/error/details")
        .and_then(Value::as_array)
        .is_some_and(|ds| {
            ds.iter()
                .any(|d| d.get("code").and_then(Value::as_str) == Some(code))
        });
    in_details || v.pointer("/error/code").and_then(Value::as_str) == Some(code)
}

/// A page of a collection.
#[derive(Debug, Deserialize)]
pub struct List<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
}

/// A user, as far as `$select` asked.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub user_principal_name: Option<String>,
    /// Absent only when not selected.
    #[serde(default)]
    pub account_enabled: Option<bool>,
    #[serde(default)]
    pub usage_location: Option<String>,
    #[serde(default)]
    pub assigned_licenses: Vec<AssignedLicense>,
}

impl User {
    /// The account Tenure stores: the object id, the user principal name (what the
    /// person signs in with).
    pub fn account(self, fallback_login: &str) -> Account {
        Account {
            login: self
                .user_principal_name
                .unwrap_or_else(|| fallback_login.to_string()),
            id: self.id,
            active: self.account_enabled.unwrap_or(true),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignedLicense {
    pub sku_id: String,
}
