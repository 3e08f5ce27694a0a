//! Example App's REST API (made up for this template), as far as the connector uses it.
//! A real connector's version of this file reads like the vendor's API reference:
//! endpoints, fields, and what each error means.
//!
//! - Auth: `Authorization: Bearer <api token>`.
//! - `GET /v1/me` — the token's own user (a cheap authenticated read).
//! - `GET /v1/users?email=` — `{"users": [User]}`, email compared case-insensitively.
//! - `POST /v1/users` — creates a user; honours `Idempotency-Key` (the same key within
//!   24 h returns the first answer); 409 when the email is taken.
//! - `PATCH /v1/users/{id}`, `POST /v1/users/{id}/suspend`, `.../unsuspend`,
//!   `DELETE /v1/users/{id}/sessions`, `DELETE /v1/users/{id}` — 404 when gone.
//! - `GET /v1/groups?name=` — `{"groups": [Group]}`.
//! - `GET /v1/users/{id}/groups?cursor=` — `{"groups": [Group], "next_cursor": ...}`.
//! - `PUT` / `DELETE /v1/groups/{group}/members/{user}` — idempotent; 204.
//! - Rate limits: 429 with `Retry-After` (seconds).

use serde::{Deserialize, Serialize};
use tenure_sdk::{Account, Error, Group, http, settings};

pub const DEFAULT_ORIGIN: &str = "https://api.example.com";

/// A user as Example App returns it.
#[derive(Debug, Deserialize)]
pub struct User {
    pub id: String,
    pub email: String,
    #[serde(default)]
    pub suspended: bool,
}

impl User {
    pub fn into_account(self) -> Account {
        Account {
            id: self.id,
            login: self.email,
            active: !self.suspended,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Users {
    pub users: Vec<User>,
}

/// The fields Tenure keeps in line with HR.
#[derive(Debug, Serialize)]
pub struct Profile<'a> {
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub display_name: &'a str,
    pub title: Option<&'a str>,
    pub department: Option<&'a str>,
    pub manager_email: Option<&'a str>,
}

/// `POST /v1/users`.
#[derive(Debug, Serialize)]
pub struct NewUser<'a> {
    pub email: &'a str,
    #[serde(flatten)]
    pub profile: Profile<'a>,
    /// Tenure's employee id, kept on the account.
    pub external_id: &'a str,
    /// Email an invitation to set up the account.
    pub send_invite: bool,
    /// A first password the person must change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<&'a str>,
    pub must_change_password: bool,
}

#[derive(Debug, Deserialize)]
pub struct Created {
    pub user: User,
    /// Present when `send_invite` was set.
    #[serde(default)]
    pub invite_url: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ApiGroup {
    pub id: String,
    pub name: String,
}

impl From<ApiGroup> for Group {
    fn from(g: ApiGroup) -> Group {
        Group {
            id: g.id,
            name: g.name,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct Groups {
    pub groups: Vec<ApiGroup>,
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// The settings, read once per call.
pub struct Client {
    base: String,
    token: String,
}

impl Client {
    pub fn from_settings() -> Result<Client, Error> {
        let origin = settings::config("base_url").unwrap_or_else(|| DEFAULT_ORIGIN.into());
        Ok(Client {
            base: http::join(&origin, "/v1"),
            token: settings::required_secret("api_token")?,
        })
    }

    /// A request to `path` (under `/v1`), authenticated.
    pub fn request(&self, method: http::Method, path: &str) -> http::RequestBuilder {
        http::request(method, &http::join(&self.base, path)).bearer(&self.token)
    }

    pub fn get(&self, path: &str) -> http::RequestBuilder {
        self.request(http::Method::Get, path)
    }

    /// `/users/{id}` and the like, the id encoded.
    pub fn path(parts: &[&str]) -> String {
        parts
            .iter()
            .map(|p| http::encode_component(p))
            .collect::<Vec<_>>()
            .join("/")
    }
}
