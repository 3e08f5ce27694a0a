//! Okta users: finding them, their status, and the lifecycle operations.
//!
//! - `GET /api/v1/users/{id | login}` reads one user (any status), 404 `E0000007` when
//!   there is none; `GET /api/v1/users?search=profile.email eq "..."` finds users by
//!   their primary email (every status, deactivated ones too).
//! - Statuses: `STAGED` (created, not activated), `PROVISIONED` (activated, the person
//!   has not set a password yet), `ACTIVE`, `PASSWORD_EXPIRED`, `LOCKED_OUT`,
//!   `RECOVERY`, `SUSPENDED`, `DEPROVISIONED` (deactivated).
//! - `POST /api/v1/users/{id}/lifecycle/{suspend | unsuspend | activate | deactivate}`.

use serde::Deserialize;
use tenure_sdk::http::Method;
use tenure_sdk::{Account, Error, Person, log};

use crate::api::{self, OktaApi};

/// A user as Okta returns it, as far as it is read.
#[derive(Deserialize, Debug, Clone)]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub status: String,
    pub profile: Profile,
}

#[derive(Deserialize, Debug, Clone)]
pub struct Profile {
    pub login: String,
}

pub const SUSPENDED: &str = "SUSPENDED";
pub const DEPROVISIONED: &str = "DEPROVISIONED";
pub const STAGED: &str = "STAGED";
pub const PROVISIONED: &str = "PROVISIONED";

impl User {
    /// Disabled means suspended or deactivated; a staged or not yet activated account
    /// is not disabled (nobody turned it off).
    pub fn is_disabled(&self) -> bool {
        matches!(self.status.as_str(), SUSPENDED | DEPROVISIONED)
    }

    pub fn account(&self) -> Account {
        Account {
            id: self.id.clone(),
            login: self.profile.login.clone(),
            active: !self.is_disabled(),
        }
    }
}

/// The user `id_or_login` names, `None` when Okta has none.
pub fn get(okta: &OktaApi, id_or_login: &str) -> Result<Option<User>, Error> {
    let resp = okta.send_raw(okta.request(Method::Get, &api::user_path(id_or_login)))?;
    match resp.status {
        200..=299 => Ok(Some(resp.json()?)),
        404 => Ok(None),
        _ => Err(okta.error(&resp)),
    }
}

/// The user `id` names; gone is [`Error::NotFound`].
pub fn require(okta: &OktaApi, id: &str) -> Result<User, Error> {
    get(okta, id)?.ok_or_else(|| Error::NotFound(format!("the Okta user {id} is gone")))
}

/// The person's user: by login (the person's `login`, else the work email), then by
/// primary email. Two users with that email: [`Error::Conflict`].
pub fn find(okta: &OktaApi, who: &Person) -> Result<Option<User>, Error> {
    if let Some(u) = get(okta, who.sign_in())? {
        return Ok(Some(u));
    }
    // An account whose login differs from its email (made by hand, or before a
    // domain change) is still the person's: creating another would give two Okta
    // users one mailbox.
    let mut found: Vec<User> = okta.all(|| {
        okta.request(Method::Get, "/api/v1/users")
            .query(
                "search",
                &format!("profile.email eq {}", api::literal(&who.work_email)),
            )
            .query("limit", api::PAGE_SIZE)
    })?;
    match found.len() {
        0 | 1 => Ok(found.pop()),
        n => Err(Error::Conflict(format!(
            "{n} Okta users have the primary email {}: merge or change them, then retry",
            who.work_email
        ))),
    }
}

/// `POST /api/v1/users/{id}/lifecycle/{operation}` with the query given.
pub fn lifecycle(
    okta: &OktaApi,
    id: &str,
    operation: &str,
    query: &[(&str, &str)],
) -> Result<(), Error> {
    let mut req = okta.request(
        Method::Post,
        &format!("{}/lifecycle/{operation}", api::user_path(id)),
    );
    for (k, v) in query {
        req = req.query(k, v);
    }
    okta.send(req)?;
    log::info(&format!("{id}: {operation}"));
    Ok(())
}
