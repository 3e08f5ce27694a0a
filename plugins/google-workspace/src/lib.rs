//! Tenure app connector for Google Workspace: work email accounts through the Admin
//! SDK (Directory API and Data Transfer API), as a service account with domain-wide
//! delegation acting as a super admin (see `api.rs` for the endpoints used).
//!
//! - **find / provision**: by the person's sign-in address (`GET /users/{email}`, which
//!   also finds aliases); create only when there is none, in the org unit of the
//!   settings, with a first password that must be changed. A 409 on create is the
//!   account made meanwhile: found, not created.
//! - **credentials**: `temporary-password` (the host's, changed at first sign-in) and
//!   `none` for single sign-on: Google requires a password, so the account gets a
//!   random 32-character one that nobody is given (from the host's secure random); the
//!   person signs in through the identity provider. Google sends no invitations through
//!   the API, so `invitation` is not offered.
//! - **entitlements**: not managed here. Google Workspace licences follow the org unit
//!   (automatic licensing) or the Enterprise License Manager API; choose the org unit
//!   setting accordingly. `set_entitlements` stays unsupported (a person is asked).
//! - **offboard**, in this order: hand Drive and Docs files to the given person (the
//!   manager) with the Data Transfer API, sign the user out everywhere, suspend. A
//!   transfer runs on at Google: the call then answers an operation (the transfer id)
//!   that `operation_status` polls. Mail forwarding and auto-replies would need the
//!   Gmail API with delegation to each user (not the Admin SDK): left to a person.
//! - **groups**: by address (`GET /groups/{email}`) or display name (groups paged
//!   through, compared case-insensitively); members added by address, removed by id.
//! - **every call may be retried**: found before created, a transfer already asked for
//!   is not asked for again, "already a member" and "already gone" are success.

mod api;

use api::{Client, ExternalId, Groups, Name, NewUser, Transfer, Transfers, User};
use serde_json::{Map, Value, json};
use tenure_sdk::http::{self, Method};
use tenure_sdk::{
    Account, AppConnector, Capabilities, Credential, CredentialKind, Error, Group, GroupPage,
    LeaverOptions, OffboardCapabilities, Operation, OperationState, Person, ProvisionRequest,
    Provisioned, log, time,
};

struct GoogleWorkspace;

/// Groups looked at, at most, when a group is named by its display name (200 a page).
const MAX_GROUP_PAGES: usize = 25;
/// Pages of earlier transfers looked at, at most, before one is asked for.
const MAX_TRANSFER_PAGES: usize = 10;
/// A completed transfer between the same two people asked for this recently is the
/// one a retried offboard asked for (older ones were another hand-over).
const RECENT_TRANSFER_SECONDS: i64 = 7 * 24 * 3600;
/// Length of the password of an account made for single sign-on (Google takes 8–100).
const SSO_PASSWORD_CHARS: usize = 32;

/// What the connector does; `offboard` checks requests against it too.
fn capabilities() -> Capabilities {
    Capabilities {
        find: true,
        provision: true,
        update_profile: true,
        // Licences follow org units (or the Licensing API): not managed here.
        entitlements: false,
        offboard: OffboardCapabilities {
            disable: true,
            revoke_sessions: true,
            transfer_data: true,
            // Gmail forwarding and vacation replies need the Gmail API with delegation
            // to each user, not the Admin SDK.
            forward_mail: false,
            auto_reply: false,
            remove_entitlements: false,
        },
        reactivate: true,
        delete: true,
        groups: true,
        credentials: vec![CredentialKind::TemporaryPassword, CredentialKind::None],
    }
}

/// `organizations` with the primary entry's title and department set from `who`
/// (other entries and fields kept); `None` when HR has neither.
fn organizations(existing: &[Value], who: &Person) -> Option<Vec<Value>> {
    if who.title.is_none() && who.department.is_none() {
        return None;
    }
    let mut orgs = existing.to_vec();
    let primary = orgs
        .iter()
        .position(|o| o.get("primary").and_then(Value::as_bool) == Some(true))
        .or(if orgs.is_empty() { None } else { Some(0) });
    let i = match primary {
        Some(i) if orgs[i].is_object() => i,
        Some(i) => {
            orgs[i] = json!({"primary": true, "type": "work"});
            i
        }
        None => {
            orgs.push(json!({"primary": true, "type": "work"}));
            orgs.len() - 1
        }
    };
    let entry = orgs[i].as_object_mut().expect("an object");
    if let Some(title) = &who.title {
        entry.insert("title".into(), json!(title));
    }
    if let Some(department) = &who.department {
        entry.insert("department".into(), json!(department));
    }
    Some(orgs)
}

/// `relations` with the manager replaced by `who`'s (others kept); `None` when HR
/// names no manager.
fn relations(existing: &[Value], who: &Person) -> Option<Vec<Value>> {
    let manager = who.manager_email.as_deref()?;
    let mut rels: Vec<Value> = existing
        .iter()
        .filter(|r| r.get("type").and_then(Value::as_str) != Some("manager"))
        .cloned()
        .collect();
    rels.push(json!({"type": "manager", "value": manager}));
    Some(rels)
}

/// A password nobody is given, for an account that signs in through SSO.
fn unguessable_password() -> Result<String, Error> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = [0u8; SSO_PASSWORD_CHARS];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Other(format!("no random numbers for a password: {e}")))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 63)]))
        .collect())
}

fn find(client: &Client, who: &Person) -> Result<Option<Account>, Error> {
    Ok(client.find_user(who.sign_in())?.map(User::into_account))
}

/// `Ok(())` for 2xx, and for 404 where "gone" is what the caller wanted.
fn done_or_gone(resp: http::Response) -> Result<(), Error> {
    if resp.is_success() || resp.status == 404 {
        Ok(())
    } else {
        Err(api::to_error(&resp))
    }
}

/// Where a transfer stands, as an operation.
fn operation(t: &Transfer) -> Operation {
    match t.overall_transfer_status_code.as_str() {
        "completed" => Operation::done(),
        "failed" => Operation {
            id: Some(t.id.clone()),
            state: OperationState::Failed(format!(
                "Google's transfer {} of Drive and Docs files failed; transfer them in the Admin console (Directory → Users → the user → Transfer ownership) or retry",
                http::excerpt(&t.id)
            )),
        },
        _ => Operation::in_progress(t.id.clone()),
    }
}

/// A Drive and Docs transfer from `old` to `new` this offboarding asked for already:
/// one still going, or one completed recently. Failed ones are asked for again.
fn earlier_transfer(client: &Client, old: &str, new: &str) -> Result<Option<Transfer>, Error> {
    let now = time::now_unix();
    let mut completed = None;
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_TRANSFER_PAGES {
        let page: Transfers = client
            .send(
                http::get(&client.datatransfer(&["transfers"]))
                    .query("oldOwnerUserId", old)
                    .query("newOwnerUserId", new)
                    .query_opt("pageToken", cursor.as_deref()),
            )?
            .json()?;
        for t in page.data_transfers {
            let drive = t
                .application_data_transfers
                .iter()
                .any(|a| a.is(api::DRIVE_APPLICATION_ID));
            if !drive || t.old_owner_user_id != old || t.new_owner_user_id != new {
                continue;
            }
            match t.overall_transfer_status_code.as_str() {
                "failed" => {}
                "completed" => {
                    let recent = t
                        .request_time
                        .as_deref()
                        .and_then(time::parse_rfc3339)
                        .is_some_and(|at| now - at <= RECENT_TRANSFER_SECONDS);
                    if recent {
                        completed = Some(t);
                    }
                }
                _ => return Ok(Some(t)),
            }
        }
        match page.next_page_token.filter(|c| !c.is_empty()) {
            Some(c) => cursor = Some(c),
            None => return Ok(completed),
        }
    }
    Ok(completed)
}

/// Hands the leaver's Drive and Docs files (private and shared) to `to`.
fn transfer_files(client: &Client, account_id: &str, to: &str) -> Result<Operation, Error> {
    let old = client.find_user(account_id)?.ok_or_else(|| {
        Error::NotFound(format!(
            "Google Workspace has no user `{}` any more",
            http::excerpt(account_id)
        ))
    })?;
    let new = client.find_user(to)?.ok_or_else(|| {
        Error::InvalidInput(format!(
            "cannot hand {}'s files to {}: Google Workspace has no account with that address; set the leaver's manager (or the person to receive the files) to someone with a Google Workspace account",
            old.primary_email,
            http::excerpt(to)
        ))
    })?;
    if new.id == old.id {
        return Err(Error::InvalidInput(format!(
            "cannot hand {}'s files to themselves: name another person to receive them",
            old.primary_email
        )));
    }
    // A retry of this call: the transfer asked for the first time is still the one.
    if let Some(t) = earlier_transfer(client, &old.id, &new.id)? {
        log::info(&format!(
            "Drive and Docs transfer {} for this leaver was asked for already",
            t.id
        ));
        return Ok(operation(&t));
    }
    let body = json!({
        "oldOwnerUserId": old.id,
        "newOwnerUserId": new.id,
        "applicationDataTransfers": [{
            "applicationId": api::DRIVE_APPLICATION_ID,
            "applicationTransferParams": [
                {"key": "PRIVACY_LEVEL", "value": ["PRIVATE", "SHARED"]}
            ],
        }],
    });
    let t: Transfer = client
        .send(api::with_json(
            Method::Post,
            &client.datatransfer(&["transfers"]),
            &body,
        )?)?
        .json()?;
    Ok(operation(&t))
}

impl AppConnector for GoogleWorkspace {
    fn describe() -> Capabilities {
        capabilities()
    }

    fn test_connection() -> Result<(), Error> {
        let client = Client::from_settings()?;
        let resp = client.send_raw(client.list_one_user())?;
        match resp.status {
            200..=299 => Ok(()),
            // An unknown customer id: 400 "Bad Request" (a domain: 404).
            400 | 404 => Err(Error::Unauthorized(format!(
                "Google does not accept the customer `{}` (HTTP {}: {}): set it to my_customer or your customer ID (Admin console → Account → Account settings)",
                http::excerpt(&client.customer),
                resp.status,
                resp.detail()
            ))),
            _ => Err(api::to_error(&resp)),
        }
    }

    fn find_account(who: Person) -> Result<Option<Account>, Error> {
        find(&Client::from_settings()?, &who)
    }

    fn provision(request: ProvisionRequest) -> Result<Provisioned, Error> {
        let client = Client::from_settings()?;
        let who = &request.who;
        // Find before create: a retry, a rehire or an account made by hand is found,
        // and left as it is (a suspended one stays suspended).
        if let Some(account) = find(&client, who)? {
            return Ok(Provisioned::found(account));
        }
        let password = match &request.credential {
            Credential::TemporaryPassword(p) => p.clone(),
            Credential::None => unguessable_password()?,
            Credential::Invitation => {
                return Err(Error::Unsupported(
                    "Google Workspace sends no invitations through the Admin SDK: provision with a temporary password, or none for single sign-on".into(),
                ));
            }
        };
        let address = who.sign_in();
        let body = NewUser {
            primary_email: address,
            name: Name {
                given_name: &who.given_name,
                family_name: &who.family_name,
            },
            password: &password,
            change_password_at_next_login: true,
            org_unit_path: &client.org_unit,
            recovery_email: who
                .personal_email
                .as_deref()
                .filter(|e| !e.trim().is_empty()),
            external_ids: vec![ExternalId {
                kind: "organization",
                value: &who.employee_id,
            }],
            organizations: organizations(&[], who),
            relations: relations(&[], who),
        };
        let req =
            api::with_json(Method::Post, &client.directory(&["users"]), &body)?.redact(&password);
        let resp = client.send_raw(req)?;
        if resp.status == 409 {
            // Made between our find and our create (a retry, another job): found.
            return match find(&client, who)? {
                Some(account) => Ok(Provisioned::found(account)),
                None => Err(Error::Conflict(format!(
                    "Google says {address} is taken (HTTP 409: {}), but by no user: a group or another resource has the address",
                    resp.detail()
                ))),
            };
        }
        if !resp.is_success() {
            return Err(match client.foreign_address(&resp, address) {
                Some(message) => Error::InvalidInput(message),
                None => api::to_error(&resp),
            });
        }
        let user: User = resp.json()?;
        if !request.entitlements.is_empty() {
            log::warn(
                "Google Workspace licences follow the org unit: the requested entitlements were not assigned by the connector",
            );
        }
        Ok(Provisioned::created(user.into_account(), None))
    }

    fn update_profile(account_id: String, who: Person) -> Result<(), Error> {
        let client = Client::from_settings()?;
        let url = client.directory(&["users", &account_id]);
        let resp = client.send_raw(http::get(&url))?;
        if resp.status == 404 {
            return Err(Error::NotFound(format!(
                "Google Workspace has no user `{}` any more",
                http::excerpt(&account_id)
            )));
        }
        if !resp.is_success() {
            return Err(api::to_error(&resp));
        }
        let current: Value = resp.json()?;
        let array = |key: &str| {
            current
                .get(key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        // Only what differs is sent; arrays are replaced whole by Google, so they are
        // sent with the entries Tenure does not manage kept.
        let mut patch = Map::new();
        let name = json!({"givenName": who.given_name, "familyName": who.family_name});
        let same_name = ["givenName", "familyName"]
            .iter()
            .all(|k| current.pointer(&format!("/name/{k}")) == name.get(*k));
        if !same_name {
            patch.insert("name".into(), name);
        }
        if let Some(orgs) = organizations(&array("organizations"), &who)
            && orgs != array("organizations")
        {
            patch.insert("organizations".into(), Value::Array(orgs));
        }
        if let Some(rels) = relations(&array("relations"), &who)
            && rels != array("relations")
        {
            patch.insert("relations".into(), Value::Array(rels));
        }
        if patch.is_empty() {
            return Ok(());
        }
        client.send(api::with_json(Method::Patch, &url, &patch)?)?;
        Ok(())
    }

    fn offboard(
        account_id: String,
        _who: Person,
        options: LeaverOptions,
    ) -> Result<Operation, Error> {
        // Refuse what we cannot do before doing anything.
        options.check(&capabilities().offboard)?;
        let client = Client::from_settings()?;
        // Files first (the manager is checked before anything changes), then sessions,
        // then the account. Google transfers a suspended user's files too, so the
        // transfer may go on after the suspension.
        let mut op = Operation::done();
        if let Some(to) = options.transfer_data_to.as_deref() {
            op = transfer_files(&client, &account_id, to)?;
        }
        if options.revoke_sessions {
            // Signing out a signed-out user answers 204 again.
            client.send(http::post(&client.directory(&[
                "users",
                &account_id,
                "signOut",
            ])))?;
        }
        if options.disable {
            // Suspending a suspended user changes nothing and answers 200.
            client.send(api::with_json(
                Method::Patch,
                &client.directory(&["users", &account_id]),
                &json!({"suspended": true}),
            )?)?;
        }
        Ok(op)
    }

    fn operation_status(operation_id: String) -> Result<Operation, Error> {
        let client = Client::from_settings()?;
        let t: Transfer = client
            .send(http::get(
                &client.datatransfer(&["transfers", &operation_id]),
            ))?
            .json()?;
        Ok(operation(&t))
    }

    fn reactivate(account_id: String) -> Result<(), Error> {
        let client = Client::from_settings()?;
        client.send(api::with_json(
            Method::Patch,
            &client.directory(&["users", &account_id]),
            &json!({"suspended": false}),
        )?)?;
        Ok(())
    }

    fn delete_account(account_id: String) -> Result<(), Error> {
        let client = Client::from_settings()?;
        done_or_gone(client.send_raw(http::delete(&client.directory(&["users", &account_id])))?)
    }

    fn find_group(name: String) -> Result<Option<Group>, Error> {
        let client = Client::from_settings()?;
        let name = name.trim();
        if name.contains('@') {
            let resp = client.send_raw(http::get(&client.directory(&["groups", name])))?;
            return match resp.status {
                200..=299 => Ok(Some(resp.json::<api::ApiGroup>()?.into())),
                404 => Ok(None),
                _ => Err(api::to_error(&resp)),
            };
        }
        // By display name: the Directory API's group search is not relied on; the
        // customer's groups are paged through and compared case-insensitively.
        let wanted = name.to_lowercase();
        let mut found: Vec<api::ApiGroup> = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_GROUP_PAGES {
            let page: Groups = client
                .send(
                    http::get(&client.directory(&["groups"]))
                        .query("customer", &client.customer)
                        .query("maxResults", "200")
                        .query_opt("pageToken", cursor.as_deref()),
                )?
                .json()?;
            found.extend(
                page.groups
                    .into_iter()
                    .filter(|g| g.name.to_lowercase() == wanted),
            );
            cursor = page.next_page_token.filter(|c| !c.is_empty());
            if cursor.is_none() {
                break;
            }
        }
        if found.len() > 1 {
            let addresses: Vec<&str> = found.iter().map(|g| g.email.as_str()).collect();
            return Err(Error::Conflict(format!(
                "several Google groups are named `{}` ({}): name the group by its address",
                http::excerpt(name),
                http::excerpt(&addresses.join(", "))
            )));
        }
        if found.is_empty() && cursor.is_some() {
            return Err(Error::InvalidInput(format!(
                "no group named `{}` among the first {} groups: name the group by its address",
                http::excerpt(name),
                MAX_GROUP_PAGES * 200
            )));
        }
        Ok(found.pop().map(Group::from))
    }

    fn list_memberships(account_id: String, cursor: Option<String>) -> Result<GroupPage, Error> {
        let client = Client::from_settings()?;
        let page: Groups = client
            .send(
                http::get(&client.directory(&["groups"]))
                    .query("userKey", &account_id)
                    .query("maxResults", "200")
                    .query_opt("pageToken", cursor.as_deref()),
            )?
            .json()?;
        Ok(GroupPage {
            groups: page.groups.into_iter().map(Group::from).collect(),
            next_cursor: page.next_page_token.filter(|c| !c.is_empty()),
        })
    }

    /// The group picker: one page of the customer's groups whose address starts with
    /// `prefix` (Tenure names Google groups by address), all without one; the cursor is
    /// Google's `pageToken`. Search: `groups.list` with `query=email:{prefix}*`.
    fn list_groups(prefix: Option<String>, cursor: Option<String>) -> Result<GroupPage, Error> {
        let prefix = prefix
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_lowercase);
        if prefix
            .as_deref()
            .is_some_and(|p| p.contains(char::is_whitespace))
        {
            // No address holds a space: nothing to ask Google.
            return Ok(GroupPage {
                groups: Vec::new(),
                next_cursor: None,
            });
        }
        let client = Client::from_settings()?;
        let query = prefix.map(|p| format!("email:{}*", p.replace('\'', "\\'")));
        let page: Groups = client
            .send(
                http::get(&client.directory(&["groups"]))
                    .query("customer", &client.customer)
                    .query_opt("query", query.as_deref())
                    .query("maxResults", "200")
                    .query_opt("pageToken", cursor.as_deref().filter(|c| !c.is_empty())),
            )?
            .json()?;
        Ok(GroupPage {
            groups: page.groups.into_iter().map(Group::from).collect(),
            next_cursor: page.next_page_token.filter(|c| !c.is_empty()),
        })
    }

    fn add_to_group(account_id: String, group_id: String) -> Result<(), Error> {
        let client = Client::from_settings()?;
        let user = client.find_user(&account_id)?.ok_or_else(|| {
            Error::NotFound(format!(
                "Google Workspace has no user `{}` any more",
                http::excerpt(&account_id)
            ))
        })?;
        let resp = client.send_raw(api::with_json(
            Method::Post,
            &client.directory(&["groups", &group_id, "members"]),
            &json!({"email": user.primary_email, "role": "MEMBER"}),
        )?)?;
        // 409 "Member already exists.": already so.
        if resp.is_success() || resp.status == 409 {
            Ok(())
        } else {
            Err(api::to_error(&resp))
        }
    }

    fn remove_from_group(account_id: String, group_id: String) -> Result<(), Error> {
        let client = Client::from_settings()?;
        // Not a member, or no such group: 404, which is what was wanted.
        done_or_gone(client.send_raw(http::delete(&client.directory(&[
            "groups",
            &group_id,
            "members",
            &account_id,
        ])))?)
    }
}

tenure_sdk::export_app_connector!(GoogleWorkspace);

#[cfg(test)]
mod tests;
