//! Microsoft 365 work accounts for Tenure: Entra ID users and their Exchange Online
//! mailboxes, through Microsoft Graph with an app registration's client credentials.
//!
//! - **Accounts** are Entra users, named by their object id; found by user principal
//!   name (the person's `login`, else the work email), then by `mail`.
//! - **Provisioning** finds before it creates; a create that answers `ObjectConflict`
//!   (a retry whose first answer was lost) is a find. Licences (`entitlements`: SKU ids
//!   or part numbers) are checked (known, seats free, a usage location to give) *before*
//!   the user is created, then assigned.
//! - **Credentials**: `temporary-password` (changed at first sign-in) and `none`: an
//!   Entra account always has a password unless its domain is federated, so `none`
//!   sets a random, unguessable one that nobody is ever given — for tenants whose users
//!   sign in through a federated identity provider, or are onboarded with a Temporary
//!   Access Pass or self-service password reset. Invitations are not offered.
//! - **Offboarding**, in this order: sessions revoked; forwarding and automatic reply
//!   set (they live in the mailbox, which goes with the licences); the account
//!   disabled; licences removed last (see [`Microsoft365::offboard`]).
//! - **Groups**: security and Microsoft 365 groups, by display name.
//!
//! Graph itself (token, requests, paging, errors, users, groups) is the shared
//! `tenure-graph-client` crate, which the `entra` connector uses too; see
//! `manifest.toml` for the settings and the permissions the app registration needs.

mod licences;
mod mail;

use graph::{Graph, User};
use graph_client as graph;
use serde_json::{Map, Value, json};
use tenure_sdk::http::{self, Method};
use tenure_sdk::{
    Account, AppConnector, Capabilities, Credential, CredentialKind, Error, Group, GroupPage,
    LeaverOptions, OffboardCapabilities, Operation, Person, ProvisionRequest, Provisioned, log,
    settings,
};

struct Microsoft365;

/// Writes to users (create, update, disable, delete, manager).
const USERS: &str = "User.ReadWrite.All";
/// `revokeSignInSessions` (least privileged; older tenants: Directory.ReadWrite.All).
const REVOKE: &str = "User.RevokeSessions.All";
/// Reading a user's group memberships.
const READ_MEMBERSHIPS: &str = "Directory.Read.All";

/// What the connector does; `offboard` checks requests against it too.
fn capabilities() -> Capabilities {
    Capabilities {
        find: true,
        provision: true,
        update_profile: true,
        entitlements: true,
        offboard: OffboardCapabilities {
            disable: true,
            revoke_sessions: true,
            remove_entitlements: true,
            // Handing a leaver's OneDrive to the manager is no single Graph call: it takes
            // a site-collection admin grant in SharePoint (or copying the files), which
            // this connector does not do. Asked for it, `offboard` answers unsupported and
            // the host gives the step to a person.
            transfer_data: false,
            forward_mail: true,
            auto_reply: true,
        },
        reactivate: true,
        delete: true,
        groups: true,
        credentials: vec![CredentialKind::TemporaryPassword, CredentialKind::None],
    }
}

/// A two-letter country code, upper case; anything else is `None`.
fn country_code(value: &str) -> Option<String> {
    let v = value.trim();
    (v.len() == 2 && v.bytes().all(|b| b.is_ascii_alphabetic())).then(|| v.to_ascii_uppercase())
}

/// The person's work country, else the `usage_location_default` setting.
fn usage_location(who: &Person) -> Option<String> {
    if let Some(c) = who.country.as_deref() {
        match country_code(c) {
            Some(code) => return Some(code),
            None => log::warn(&format!(
                "the work country {:?} of {} is not a two-letter ISO code; using the default usage location",
                http::excerpt(c),
                who.work_email
            )),
        }
    }
    let default = settings::config("usage_location_default")?;
    let code = country_code(&default);
    if code.is_none() {
        log::warn(
            "the setting `usage_location_default` is not a two-letter ISO country code; ignored",
        );
    }
    code
}

/// `mailNickname` from an address's local part: Graph refuses `@ ( ) \ [ ] " ; : < > ,`,
/// spaces and non-ASCII; kept are ASCII letters, digits and `. - _`, at most 64, no dot at
/// either end.
fn mail_nickname(address: &str) -> String {
    let local = address.split('@').next().unwrap_or("");
    let kept: String = local
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(64)
        .collect();
    let trimmed = kept.trim_matches('.');
    if trimmed.is_empty() {
        "user".to_string()
    } else {
        trimmed.to_string()
    }
}

/// A password nobody is given (credential `none`): 26 random characters of 64 (156 bits),
/// then one random upper-case letter, lower-case letter and digit, and a symbol, so that
/// Entra's complexity rule (three of four classes) always holds.
fn unguessable_password() -> Result<String, Error> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = [0u8; 29];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Other(format!("no randomness for a password: {e}")))?;
    let mut password: String = bytes[..26]
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 63)]))
        .collect();
    password.push(char::from(b'A' + bytes[26] % 26));
    password.push(char::from(b'a' + bytes[27] % 26));
    password.push(char::from(b'0' + bytes[28] % 10));
    password.push('!');
    Ok(password)
}

/// `Some(text)` unless blank.
fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// The display name Entra requires (never empty).
fn display_name(who: &Person) -> String {
    if let Some(d) = non_empty(Some(who.display_name.as_str())) {
        return d.to_string();
    }
    let joined = format!("{} {}", who.given_name.trim(), who.family_name.trim());
    match non_empty(Some(joined.as_str())) {
        Some(j) => j.to_string(),
        None => who.sign_in().to_string(),
    }
}

/// The user signing in as `login`, else the one whose `mail` is `address`.
fn find_user(g: &Graph, login: &str, address: &str) -> Result<Option<User>, Error> {
    g.find_user(login, address, USERS)
}

fn find(g: &Graph, who: &Person) -> Result<Option<Account>, Error> {
    Ok(find_user(g, who.sign_in(), &who.work_email)?.map(|u| u.account(who.sign_in())))
}

/// `Ok(())` for 2xx and for 404 (gone is what a removal wanted).
fn done_or_gone(resp: http::Response, needs: &str) -> Result<(), Error> {
    if resp.is_success() || resp.status == 404 {
        Ok(())
    } else {
        Err(graph::error(&resp, needs))
    }
}

fn set_enabled(g: &Graph, user_id: &str, enabled: bool) -> Result<(), Error> {
    g.send(
        g.request(Method::Patch, &graph::user_path(user_id))
            .json(&json!({ "accountEnabled": enabled }))?,
        USERS,
    )?;
    log::info(&format!(
        "{user_id}: {}",
        if enabled { "enabled" } else { "disabled" }
    ));
    Ok(())
}

/// Removes every licence the user holds (none: no request).
fn remove_all_licences(g: &Graph, user_id: &str) -> Result<(), Error> {
    let user = g
        .user(user_id, "id,assignedLicenses", USERS)?
        .ok_or_else(|| Error::NotFound(format!("the user {user_id} is gone")))?;
    let held: Vec<String> = user
        .assigned_licenses
        .into_iter()
        .map(|l| l.sku_id.to_ascii_lowercase())
        .collect();
    licences::assign(g, user_id, &[], &held)
}

impl AppConnector for Microsoft365 {
    fn describe() -> Capabilities {
        capabilities()
    }

    /// A token, then one cheap read of the directory.
    fn test_connection() -> Result<(), Error> {
        let g = Graph::from_settings()?;
        g.send(
            g.request(Method::Get, "/users")
                .query("$top", "1")
                .query("$select", "id"),
            USERS,
        )?;
        Ok(())
    }

    fn find_account(who: Person) -> Result<Option<Account>, Error> {
        find(&Graph::from_settings()?, &who)
    }

    fn provision(request: ProvisionRequest) -> Result<Provisioned, Error> {
        let g = Graph::from_settings()?;
        let who = &request.who;
        let upn = who.sign_in();
        // Find before create: a retry, a rehire or an account made by hand is returned as
        // it is (a disabled one stays disabled; the host reactivates when it means to).
        if let Some(account) = find(&g, who)? {
            return Ok(Provisioned::found(account));
        }
        let password = match &request.credential {
            Credential::TemporaryPassword(p) => p.clone(),
            Credential::None => unguessable_password()?,
            Credential::Invitation => {
                return Err(Error::Unsupported(
                    "Microsoft 365 accounts are not created by invitation here: choose a temporary password, or none for single sign-on".into(),
                ));
            }
        };
        let usage = usage_location(who);
        // Licences are checked before the user exists, so that a refusal leaves nothing
        // half done (a retry would find the account and never license it).
        let skus = if request.entitlements.is_empty() {
            Vec::new()
        } else {
            if usage.is_none() {
                return Err(Error::InvalidInput(format!(
                    "{} needs a usage location for a licence: the HR record has no work country, and the connector's setting `usage_location_default` (a two-letter country code such as US) is not set",
                    who.work_email
                )));
            }
            let subscribed = licences::subscribed(&g)?;
            let ids = licences::resolve(&subscribed, &request.entitlements)?;
            licences::check_seats(&subscribed, &ids)?;
            ids
        };

        let mut body = Map::new();
        body.insert("accountEnabled".into(), json!(true));
        body.insert("displayName".into(), json!(display_name(who)));
        body.insert("mailNickname".into(), json!(mail_nickname(&who.work_email)));
        body.insert("userPrincipalName".into(), json!(upn));
        for (key, value) in [
            ("givenName", non_empty(Some(who.given_name.as_str()))),
            ("surname", non_empty(Some(who.family_name.as_str()))),
            ("jobTitle", non_empty(who.title.as_deref())),
            ("department", non_empty(who.department.as_deref())),
            ("usageLocation", usage.as_deref()),
        ] {
            if let Some(v) = value {
                body.insert(key.into(), json!(v));
            }
        }
        body.insert(
            "passwordProfile".into(),
            json!({ "password": password, "forceChangePasswordNextSignIn": true }),
        );
        let resp = g.send_raw(
            g.request(Method::Post, "/users")
                .json(&Value::Object(body))?
                .redact(&password),
        )?;
        if resp.status == 400 && graph::has_detail_code(&resp, "ObjectConflict") {
            // Made meanwhile — most likely by this job's earlier attempt, whose answer was
            // lost: found, not created.
            return match find(&g, who)? {
                Some(account) => Ok(Provisioned::found(account)),
                None => Err(Error::Conflict(format!(
                    "{upn} (or its mail alias) is taken by another directory object this connector cannot see, such as a user in Deleted users: restore or permanently delete it, then retry ({})",
                    resp.detail()
                ))),
            };
        }
        if !resp.is_success() {
            return Err(graph::error(&resp, USERS));
        }
        let created: User = resp.json()?;
        log::info(&format!(
            "created {upn} ({}) with {}",
            created.id,
            match request.credential {
                Credential::TemporaryPassword(_) => "a temporary password",
                _ => "an unguessable password nobody receives (single sign-on)",
            }
        ));
        licences::assign(&g, &created.id, &skus, &[])?;
        Ok(Provisioned::created(
            Account {
                id: created.id,
                login: created
                    .user_principal_name
                    .unwrap_or_else(|| upn.to_string()),
                active: true,
            },
            None,
        ))
    }

    /// Names, title, department, the usage location when HR has a work country, and the
    /// manager when HR names one who has an account (a manager without one is skipped and
    /// logged; HR naming no manager leaves Entra's as it is).
    fn update_profile(account_id: String, who: Person) -> Result<(), Error> {
        let g = Graph::from_settings()?;
        let mut body = Map::new();
        body.insert("displayName".into(), json!(display_name(&who)));
        for (key, value) in [
            ("givenName", non_empty(Some(who.given_name.as_str()))),
            ("surname", non_empty(Some(who.family_name.as_str()))),
            ("jobTitle", non_empty(who.title.as_deref())),
            ("department", non_empty(who.department.as_deref())),
        ] {
            body.insert(key.into(), value.map_or(Value::Null, |v| json!(v)));
        }
        if let Some(code) = who.country.as_deref().and_then(country_code) {
            body.insert("usageLocation".into(), json!(code));
        }
        g.send(
            g.request(Method::Patch, &graph::user_path(&account_id))
                .json(&Value::Object(body))?,
            USERS,
        )?;
        let Some(manager_email) = non_empty(who.manager_email.as_deref()) else {
            return Ok(());
        };
        let Some(manager) = find_user(&g, manager_email, manager_email)? else {
            log::info(&format!(
                "the manager {manager_email} of {account_id} has no Microsoft 365 account; the manager was left as it is"
            ));
            return Ok(());
        };
        if manager.id.eq_ignore_ascii_case(&account_id) {
            return Ok(());
        }
        g.send(
            g.request(
                Method::Put,
                &format!("{}/manager/$ref", graph::user_path(&account_id)),
            )
            .json(&json!({ "@odata.id": g.reference("users", &manager.id) }))?,
            USERS,
        )?;
        Ok(())
    }

    /// Makes the user's licences exactly `entitlements`: the missing assigned, every other
    /// subscription of the tenant the user holds removed, in one `assignLicense`.
    fn set_entitlements(account_id: String, entitlements: Vec<String>) -> Result<(), Error> {
        let g = Graph::from_settings()?;
        let subscribed = licences::subscribed(&g)?;
        let wanted = licences::resolve(&subscribed, &entitlements)?;
        let user = g
            .user(&account_id, "id,usageLocation,assignedLicenses", USERS)?
            .ok_or_else(|| Error::NotFound(format!("the user {account_id} is gone")))?;
        let held: Vec<String> = user
            .assigned_licenses
            .iter()
            .map(|l| l.sku_id.to_ascii_lowercase())
            .collect();
        let add: Vec<String> = wanted
            .iter()
            .filter(|w| !held.contains(w))
            .cloned()
            .collect();
        let remove: Vec<String> = held
            .iter()
            .filter(|h| !wanted.contains(h))
            .filter(|h| subscribed.iter().any(|s| s.sku_id.eq_ignore_ascii_case(h)))
            .cloned()
            .collect();
        if !add.is_empty() {
            licences::check_seats(&subscribed, &add)?;
            if user
                .usage_location
                .as_deref()
                .and_then(country_code)
                .is_none()
            {
                let Some(code) = settings::config("usage_location_default")
                    .as_deref()
                    .and_then(country_code)
                else {
                    return Err(Error::InvalidInput(format!(
                        "the user {account_id} has no usage location, which a licence needs: set it in Entra, or set the connector's setting `usage_location_default` (a two-letter country code such as US)"
                    )));
                };
                g.send(
                    g.request(Method::Patch, &graph::user_path(&account_id))
                        .json(&json!({ "usageLocation": code }))?,
                    USERS,
                )?;
            }
        }
        licences::assign(&g, &account_id, &add, &remove)
    }

    /// The leaver steps asked for, in this order:
    ///
    /// 1. sessions revoked (`revokeSignInSessions`; twice is harmless);
    /// 2. forwarding rule and automatic reply — before the licences go, because the
    ///    mailbox goes with them;
    /// 3. the account disabled (`accountEnabled: false`);
    /// 4. licences removed, last: a licence that cannot be removed (one inherited from a
    ///    group) then leaves the account disabled rather than enabled.
    ///
    /// When a mail step fails, the account is still disabled (if asked) before the error
    /// is returned, and the licences are kept so the mailbox survives for the person who
    /// finishes by hand. Transferring data is unsupported (see [`capabilities`]).
    fn offboard(
        account_id: String,
        _who: Person,
        options: LeaverOptions,
    ) -> Result<Operation, Error> {
        // Refuse what we cannot do before doing anything.
        options.check(&capabilities().offboard)?;
        let g = Graph::from_settings()?;
        if options.revoke_sessions {
            g.send(
                g.request(
                    Method::Post,
                    &format!("{}/revokeSignInSessions", graph::user_path(&account_id)),
                ),
                REVOKE,
            )?;
            log::info(&format!("{account_id}: signed out everywhere"));
        }
        if let Err(e) = mail::apply(&g, &account_id, &options) {
            if options.disable {
                set_enabled(&g, &account_id, false)?;
            }
            return Err(e);
        }
        if options.disable {
            set_enabled(&g, &account_id, false)?;
        }
        if options.remove_entitlements {
            remove_all_licences(&g, &account_id)?;
        }
        Ok(Operation::done())
    }

    fn reactivate(account_id: String) -> Result<(), Error> {
        let g = Graph::from_settings()?;
        set_enabled(&g, &account_id, true)?;
        mail::forget(&account_id);
        Ok(())
    }

    /// Deletes the user (Entra keeps it in *Deleted users* for 30 days). Gone is success.
    fn delete_account(account_id: String) -> Result<(), Error> {
        let g = Graph::from_settings()?;
        let resp = g.send_raw(g.request(Method::Delete, &graph::user_path(&account_id)))?;
        done_or_gone(resp, USERS)?;
        mail::forget(&account_id);
        Ok(())
    }

    /// By display name (Graph compares it case-insensitively). Several groups of that
    /// name: the one whose name matches exactly, else [`Error::Conflict`]; a dynamic
    /// group or a distribution list: [`Error::Unsupported`].
    fn find_group(name: String) -> Result<Option<Group>, Error> {
        graph::groups::find_group(&Graph::from_settings()?, &name)
    }

    /// One page of the user's direct group memberships; the cursor is Graph's
    /// `@odata.nextLink`, followed only on this connector's Graph origin.
    fn list_memberships(account_id: String, cursor: Option<String>) -> Result<GroupPage, Error> {
        graph::groups::list_memberships(
            &Graph::from_settings()?,
            &account_id,
            cursor,
            READ_MEMBERSHIPS,
        )
    }

    /// Already a member is success.
    fn add_to_group(account_id: String, group_id: String) -> Result<(), Error> {
        graph::groups::add_member(&Graph::from_settings()?, &account_id, &group_id)
    }

    /// Not a member is success.
    fn remove_from_group(account_id: String, group_id: String) -> Result<(), Error> {
        graph::groups::remove_member(&Graph::from_settings()?, &account_id, &group_id)
    }

    /// The group picker: one page of the groups whose display name starts with `prefix`
    /// (all without one), leaving out those that cannot take members; the cursor is
    /// Graph's `@odata.nextLink`.
    fn list_groups(prefix: Option<String>, cursor: Option<String>) -> Result<GroupPage, Error> {
        graph::groups::list_groups(&Graph::from_settings()?, prefix, cursor)
    }
}

tenure_sdk::export_app_connector!(Microsoft365);

#[cfg(test)]
mod tests;
