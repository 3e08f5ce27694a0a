//! Okta for Tenure: people in Okta's Universal Directory and their Okta group
//! memberships, through the Okta Management API (`/api/v1`) of one org.
//!
//! - **Accounts** are Okta users, named by their id (`00u...`); found by login (the
//!   person's `login`, else the work email), then by primary email.
//! - **Provisioning** finds before it creates; a create that answers `E0000001` "An
//!   object with this field already exists" (a retry whose answer was lost) is a find.
//!   With the setting `activation` = `activate` (default) the account is activated at
//!   once, with `stage` it is created `STAGED` for an Okta admin to activate. The
//!   first credential:
//!   - `invitation`: no credential; activated, Okta emails the person an activation
//!     link (to the primary email, the work address) and the user is `PROVISIONED`
//!     until they set a password;
//!   - `temporary-password`: the password, with `nextLogin=changePassword`: the user
//!     is `PASSWORD_EXPIRED` and must choose a new one at first sign-in. Okta accepts
//!     `nextLogin` only with activation, so `stage` refuses this credential;
//!   - `none` (single sign-on): the user is created with the `FEDERATION`
//!     authentication provider (`provider=true`): `ACTIVE` with no password and no
//!     email, for orgs whose people sign in through an external identity provider.
//! - **Offboarding**: sessions cleared (`DELETE /users/{id}/sessions?oauthTokens=true`,
//!   which also revokes the OAuth tokens Okta issued to them), then the user
//!   **suspended** — or **deactivated** when `deactivate_on_offboard` is on
//!   (destructive: app assignments go). See [`Okta::offboard`].
//! - **Groups**: Okta groups (type `OKTA_GROUP`), by name.
//!
//! `api.rs` holds the client, errors and paging; `token.rs` the service app's tokens;
//! `users.rs` and `groups.rs` the endpoints; `manifest.toml` the settings.

mod api;
mod groups;
mod token;
mod users;

use serde_json::{Map, Value, json};
use tenure_sdk::http::{self, Method};
use tenure_sdk::{
    Account, AppConnector, Capabilities, Credential, CredentialKind, Error, Group, GroupPage,
    LeaverOptions, OffboardCapabilities, Operation, Person, ProvisionRequest, Provisioned, log,
    settings,
};

use api::OktaError;
use users::User;

/// The Okta connector. (Named for the product; the API client is [`api::OktaApi`].)
pub struct Okta;

/// What the connector does; `offboard` checks requests against it too.
fn capabilities() -> Capabilities {
    Capabilities {
        find: true,
        provision: true,
        update_profile: true,
        // Okta has no licences of its own to assign: apps are assigned through groups.
        entitlements: false,
        offboard: OffboardCapabilities {
            disable: true,
            revoke_sessions: true,
            remove_entitlements: false,
            transfer_data: false,
            forward_mail: false,
            auto_reply: false,
        },
        reactivate: true,
        delete: true,
        groups: true,
        credentials: vec![
            CredentialKind::Invitation,
            CredentialKind::TemporaryPassword,
            CredentialKind::None,
        ],
    }
}

/// Whether new accounts are activated (`activation` = `activate`, the default) or
/// left `STAGED`.
fn activate_new_accounts() -> Result<bool, Error> {
    match settings::config("activation")
        .unwrap_or_else(|| "activate".into())
        .trim()
        .to_ascii_lowercase()
        .as_str()
    {
        "activate" | "active" => Ok(true),
        "stage" | "staged" => Ok(false),
        other => Err(Error::Unauthorized(format!(
            "the setting `activation` is {:?}: set it to activate or stage",
            http::excerpt(other)
        ))),
    }
}

/// `Some(text)` unless blank.
fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// Okta requires a first and a last name: HR's, else split from the display name,
/// else the sign-in name.
fn names(who: &Person) -> (String, String) {
    let given = non_empty(Some(&who.given_name));
    let family = non_empty(Some(&who.family_name));
    if let (Some(g), Some(f)) = (given, family) {
        return (g.to_string(), f.to_string());
    }
    let display = non_empty(Some(&who.display_name)).unwrap_or(who.sign_in());
    let (first, last) = display.rsplit_once(' ').unwrap_or((display, display));
    (
        given.unwrap_or(first).to_string(),
        family.unwrap_or(last).to_string(),
    )
}

/// The profile attributes Tenure keeps in line with HR (null clears an optional one).
fn profile(who: &Person) -> Map<String, Value> {
    let (first, last) = names(who);
    let mut p = Map::new();
    p.insert("firstName".into(), json!(first));
    p.insert("lastName".into(), json!(last));
    p.insert(
        "displayName".into(),
        json!(non_empty(Some(&who.display_name)).unwrap_or(&format!("{first} {last}"))),
    );
    for (key, value) in [
        ("title", non_empty(who.title.as_deref())),
        ("department", non_empty(who.department.as_deref())),
    ] {
        p.insert(key.into(), value.map_or(Value::Null, |v| json!(v)));
    }
    if let Some(country) = non_empty(who.country.as_deref())
        .filter(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        p.insert("countryCode".into(), json!(country.to_ascii_uppercase()));
    }
    p
}

/// Where a removal answered: 2xx and 404 (gone) are done.
fn done_or_gone(okta: &api::OktaApi, resp: http::Response) -> Result<(), Error> {
    if resp.is_success() || resp.status == 404 {
        Ok(())
    } else {
        Err(okta.error(&resp))
    }
}

/// Suspends `user` (signs-in refused, everything kept for a return). Suspended or
/// deactivated already: nothing to do. Okta suspends only activated users: a staged
/// user cannot sign in anyway; one who was sent an activation email and never used it
/// could still activate, and that is left to a person (or `deactivate_on_offboard`).
fn suspend(okta: &api::OktaApi, user: &User) -> Result<(), Error> {
    match user.status.as_str() {
        users::SUSPENDED | users::DEPROVISIONED => {
            log::info(&format!("{}: already {}", user.id, user.status));
            Ok(())
        }
        users::STAGED => {
            log::info(&format!(
                "{}: STAGED (never activated), so it cannot sign in; left as it is",
                user.id
            ));
            Ok(())
        }
        users::PROVISIONED => Err(Error::Unsupported(format!(
            "the Okta user {} ({}) was never activated: Okta cannot suspend it, and its activation email still works. Deactivate it in the Admin Console (Directory → People → the user → More Actions → Deactivate), or turn on the connector's setting deactivate_on_offboard",
            user.profile.login, user.id
        ))),
        _ => {
            let resp = okta.send_raw(okta.request(
                Method::Post,
                &format!("{}/lifecycle/suspend", api::user_path(&user.id)),
            ))?;
            if resp.is_success() {
                log::info(&format!("{}: suspended", user.id));
                return Ok(());
            }
            let e = OktaError::of(&resp);
            if resp.status == 400 && e.error_code == api::VALIDATION {
                return Err(Error::Unsupported(format!(
                    "{}: Okta cannot suspend the user {} in status {}; deactivate it in the Admin Console, or turn on the setting deactivate_on_offboard",
                    okta.error(&resp).message(),
                    user.profile.login,
                    user.status
                )));
            }
            Err(okta.error(&resp))
        }
    }
}

/// The message of an error, for quoting it in another.
trait Message {
    fn message(&self) -> String;
}

impl Message for Error {
    fn message(&self) -> String {
        match self {
            Error::Unauthorized(m)
            | Error::NotFound(m)
            | Error::Conflict(m)
            | Error::InvalidInput(m)
            | Error::Unavailable(m)
            | Error::Unsupported(m)
            | Error::Other(m) => m.clone(),
            Error::RateLimited(s) => format!("rate limited for {s} s"),
        }
    }
}

impl AppConnector for Okta {
    fn describe() -> Capabilities {
        capabilities()
    }

    /// One cheap authenticated read: the first user.
    fn test_connection() -> Result<(), Error> {
        let okta = api::OktaApi::from_settings()?;
        okta.send(
            okta.request(Method::Get, "/api/v1/users")
                .query("limit", "1"),
        )?;
        Ok(())
    }

    fn find_account(who: Person) -> Result<Option<Account>, Error> {
        let okta = api::OktaApi::from_settings()?;
        Ok(users::find(&okta, &who)?.map(|u| u.account()))
    }

    fn provision(request: ProvisionRequest) -> Result<Provisioned, Error> {
        let okta = api::OktaApi::from_settings()?;
        let activate = activate_new_accounts()?;
        let who = &request.who;
        if !request.entitlements.is_empty() {
            return Err(Error::Unsupported(
                "Okta has no licences to assign: give apps through Okta groups instead".into(),
            ));
        }
        if let Some(found) = users::find(&okta, who)? {
            return Ok(Provisioned::found(found.account()));
        }
        let mut p = profile(who);
        p.insert("login".into(), json!(who.sign_in()));
        p.insert("email".into(), json!(who.work_email));
        if let Some(personal) = non_empty(who.personal_email.as_deref()) {
            p.insert("secondEmail".into(), json!(personal));
        }
        let mut body = Map::new();
        body.insert("profile".into(), Value::Object(p));
        let mut req = okta
            .request(Method::Post, "/api/v1/users")
            .query("activate", if activate { "true" } else { "false" });
        let how = match &request.credential {
            Credential::Invitation => {
                if activate {
                    "no password; Okta emails the activation link"
                } else {
                    "no password, staged"
                }
            }
            Credential::TemporaryPassword(password) => {
                if !activate {
                    return Err(Error::Unsupported(
                        "with the setting activation = stage, Okta cannot require a temporary password to be changed at first sign-in (it takes nextLogin=changePassword only when it activates): choose an invitation, or set activation to activate".into(),
                    ));
                }
                body.insert(
                    "credentials".into(),
                    json!({"password": {"value": password}}),
                );
                req = req.query("nextLogin", "changePassword").redact(password);
                "a temporary password to change at first sign-in"
            }
            Credential::None => {
                body.insert(
                    "credentials".into(),
                    json!({"provider": {"type": "FEDERATION", "name": "FEDERATION"}}),
                );
                req = req.query("provider", "true");
                "no password (federated sign-in)"
            }
        };
        let resp = okta.send_raw(req.json(&Value::Object(body))?)?;
        if resp.status == 400 && OktaError::of(&resp).already_exists() {
            // Made meanwhile, most likely by this job's earlier attempt whose answer was
            // lost: found, not created.
            return match users::find(&okta, who)? {
                Some(u) => Ok(Provisioned::found(u.account())),
                None => Err(Error::Conflict(format!(
                    "{} is taken in Okta by a user this connector cannot find by login or email: {}",
                    who.sign_in(),
                    okta.error(&resp).message()
                ))),
            };
        }
        if !resp.is_success() {
            return Err(okta.error(&resp));
        }
        let created: User = resp.json()?;
        log::info(&format!(
            "created {} ({}, {}) with {how}",
            created.profile.login, created.id, created.status
        ));
        Ok(Provisioned::created(created.account(), None))
    }

    /// Names, display name, title, department, country code, and the manager
    /// (`managerId`, the manager's Okta id) when HR names one who has an Okta account.
    /// A partial update (`POST /api/v1/users/{id}`): other attributes stay.
    fn update_profile(account_id: String, who: Person) -> Result<(), Error> {
        let okta = api::OktaApi::from_settings()?;
        let mut p = profile(&who);
        if let Some(manager_email) = non_empty(who.manager_email.as_deref()) {
            match users::get(&okta, manager_email)? {
                Some(m) if m.id != account_id => {
                    p.insert("managerId".into(), json!(m.id));
                }
                Some(_) => {}
                None => log::info(&format!(
                    "the manager {manager_email} of {account_id} has no Okta account; managerId left as it is"
                )),
            }
        }
        okta.send(
            okta.request(Method::Post, &api::user_path(&account_id))
                .json(&json!({ "profile": p }))?,
        )?;
        Ok(())
    }

    /// In this order: sessions cleared (and the OAuth tokens Okta issued to the person
    /// revoked), then the user suspended — or deactivated when the setting
    /// `deactivate_on_offboard` is on. Done already is success.
    fn offboard(
        account_id: String,
        _who: Person,
        options: LeaverOptions,
    ) -> Result<Operation, Error> {
        options.check(&capabilities().offboard)?;
        let okta = api::OktaApi::from_settings()?;
        let user = users::require(&okta, &account_id)?;
        if options.revoke_sessions {
            okta.send(
                okta.request(
                    Method::Delete,
                    &format!("{}/sessions", api::user_path(&account_id)),
                )
                .query("oauthTokens", "true"),
            )?;
            log::info(&format!("{account_id}: sessions cleared"));
        }
        if options.disable {
            if settings::flag("deactivate_on_offboard", false) {
                if user.status != users::DEPROVISIONED {
                    users::lifecycle(&okta, &account_id, "deactivate", &[])?;
                }
            } else {
                suspend(&okta, &user)?;
            }
        }
        Ok(Operation::done())
    }

    /// A rehire: a suspended user is unsuspended (everything they had comes back). A
    /// deactivated (or staged) user is activated: Okta emails them a new activation
    /// link and they set a password again (federated users are active at once); app
    /// assignments that deactivation removed come back only through their groups.
    fn reactivate(account_id: String) -> Result<(), Error> {
        let okta = api::OktaApi::from_settings()?;
        let user = users::require(&okta, &account_id)?;
        match user.status.as_str() {
            users::SUSPENDED => users::lifecycle(&okta, &account_id, "unsuspend", &[]),
            users::DEPROVISIONED | users::STAGED => {
                users::lifecycle(&okta, &account_id, "activate", &[("sendEmail", "true")])
            }
            _ => Ok(()),
        }
    }

    /// Deactivates the user (unless it is already), then deletes it for good. Gone is
    /// success.
    fn delete_account(account_id: String) -> Result<(), Error> {
        let okta = api::OktaApi::from_settings()?;
        let Some(user) = users::get(&okta, &account_id)? else {
            return Ok(());
        };
        if user.status != users::DEPROVISIONED {
            let resp = okta.send_raw(okta.request(
                Method::Post,
                &format!("{}/lifecycle/deactivate", api::user_path(&account_id)),
            ))?;
            done_or_gone(&okta, resp)?;
        }
        let resp = okta.send_raw(okta.request(Method::Delete, &api::user_path(&account_id)))?;
        done_or_gone(&okta, resp)?;
        log::info(&format!("{account_id}: deleted"));
        Ok(())
    }

    fn find_group(name: String) -> Result<Option<Group>, Error> {
        groups::find(&api::OktaApi::from_settings()?, &name)
    }

    /// One page of the user's groups (every type, `Everyone` included).
    fn list_memberships(account_id: String, cursor: Option<String>) -> Result<GroupPage, Error> {
        let okta = api::OktaApi::from_settings()?;
        groups::page(
            &okta,
            &format!("{}/groups", api::user_path(&account_id)),
            None,
            cursor.as_deref(),
            false,
        )
    }

    /// `PUT /api/v1/groups/{gid}/users/{uid}`: a member already is fine (204 again).
    fn add_to_group(account_id: String, group_id: String) -> Result<(), Error> {
        let okta = api::OktaApi::from_settings()?;
        okta.send(okta.request(
            Method::Put,
            &format!(
                "{}/users/{}",
                api::group_path(&group_id),
                http::encode_component(&account_id)
            ),
        ))?;
        Ok(())
    }

    /// `DELETE /api/v1/groups/{gid}/users/{uid}`; not a member, or gone: success.
    fn remove_from_group(account_id: String, group_id: String) -> Result<(), Error> {
        let okta = api::OktaApi::from_settings()?;
        let resp = okta.send_raw(okta.request(
            Method::Delete,
            &format!(
                "{}/users/{}",
                api::group_path(&group_id),
                http::encode_component(&account_id)
            ),
        ))?;
        done_or_gone(&okta, resp)
    }

    /// For the admin's group picker: one page of the Okta groups whose name starts with
    /// `prefix` (Okta's `q`, case-insensitive; all when none). The cursor is Okta's
    /// `after`.
    fn list_groups(prefix: Option<String>, cursor: Option<String>) -> Result<GroupPage, Error> {
        let okta = api::OktaApi::from_settings()?;
        let prefix = prefix.as_deref().map(str::trim).filter(|p| !p.is_empty());
        groups::page(&okta, "/api/v1/groups", prefix, cursor.as_deref(), true)
    }
}

tenure_sdk::export_app_connector!(Okta);

#[cfg(test)]
mod tests;
