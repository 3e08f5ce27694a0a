//! Tenure app connector for any application with a SCIM 2.0 provisioning endpoint
//! (RFC 7643 resources, RFC 7644 protocol), through the shared `scim-client`.
//!
//! - **find / provision**: the user whose `userName` is the person's sign-in name
//!   (`filter=userName eq "..."`); created with names, the work email, `externalId` =
//!   Tenure's employee id, title and department. A `409 uniqueness` on create is the
//!   account made meanwhile: found, not created.
//! - **credentials**: SCIM sets no first credential. `none` (single sign-on) and
//!   `invitation` both create the user and nothing more: whatever the application
//!   does for a new SCIM user (a welcome or invitation email, SSO only) is what the
//!   person gets. A temporary password is not offered.
//! - **update-profile**: the user is read and written back whole (`PUT`) with
//!   names, title, department and manager (the manager's SCIM id, when HR's manager
//!   has an account here); unchanged is not written.
//! - **offboard**: disable only, `PATCH active=false` (the user stays, and can be
//!   reactivated). **reactivate**: `active=true`. **delete**: `DELETE` (gone = done).
//! - **groups**: `displayName eq` (case-insensitive), memberships by the
//!   `members[value eq "id"]` filter (or the user's `groups` attribute where the
//!   service refuses that filter), members added and removed with `PATCH`.
//! - **group picker** (`list_groups`): `displayName sw "prefix"`, paged by
//!   `startIndex`; the cursor is the next start index.

use scim_client::{ENTERPRISE_USER_SCHEMA, Scim, User, user_body};
use serde_json::{Value, json};
use tenure_sdk::{
    Account, AppConnector, Capabilities, Credential, CredentialKind, Error, Group, GroupPage,
    LeaverOptions, OffboardCapabilities, Operation, Person, ProvisionRequest, Provisioned,
    settings,
};

struct ScimApp;

/// What the connector does; `offboard` checks requests against it too.
fn capabilities() -> Capabilities {
    Capabilities {
        find: true,
        provision: true,
        update_profile: true,
        entitlements: false,
        offboard: OffboardCapabilities {
            disable: true,
            ..OffboardCapabilities::none()
        },
        reactivate: true,
        delete: true,
        groups: true,
        credentials: vec![CredentialKind::None, CredentialKind::Invitation],
    }
}

/// The service named in the settings.
fn client() -> Result<Scim, Error> {
    let base = settings::required_config("base_url")?;
    let token = settings::required_secret("token")?;
    Ok(Scim::new(&base, &token))
}

/// `user` with names, title, department and manager from `who` (other attributes
/// kept; the server-maintained `meta` left out of a PUT).
fn updated(user: &User, who: &Person, manager_id: Option<&str>) -> Value {
    let mut body = user.raw.clone();
    let wanted = user_body(who, user.active);
    if let Some(obj) = body.as_object_mut() {
        obj.remove("meta");
        for key in ["name", "displayName", "title"] {
            if let Some(v) = wanted.get(key) {
                obj.insert(key.into(), v.clone());
            }
        }
        let mut ext = obj
            .get(ENTERPRISE_USER_SCHEMA)
            .cloned()
            .filter(Value::is_object)
            .unwrap_or_else(|| json!({}));
        if let Some(d) = &who.department {
            ext["department"] = json!(d);
        }
        if let Some(m) = manager_id {
            ext["manager"] = json!({"value": m});
        }
        if ext.as_object().is_some_and(|e| !e.is_empty()) {
            obj.insert(ENTERPRISE_USER_SCHEMA.into(), ext);
            let schemas = obj.entry("schemas").or_insert_with(|| json!([]));
            if let Some(list) = schemas.as_array_mut()
                && !list.iter().any(|s| s == ENTERPRISE_USER_SCHEMA)
            {
                list.push(json!(ENTERPRISE_USER_SCHEMA));
            }
        }
    }
    body
}

/// A cursor of this connector: the next 1-based start index.
fn start_index(cursor: Option<String>) -> Result<u64, Error> {
    match cursor {
        None => Ok(1),
        Some(c) => c.parse::<u64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            Error::InvalidInput(format!(
                "not a cursor of the SCIM connector: {}",
                tenure_sdk::http::excerpt(&c)
            ))
        }),
    }
}

fn group_page(page: scim_client::Page<scim_client::Group>) -> GroupPage {
    GroupPage {
        groups: page.items.into_iter().map(Group::from).collect(),
        next_cursor: page.next_start.map(|n| n.to_string()),
    }
}

impl AppConnector for ScimApp {
    fn describe() -> Capabilities {
        capabilities()
    }

    fn test_connection() -> Result<(), Error> {
        client()?.test_connection()
    }

    fn find_account(who: Person) -> Result<Option<Account>, Error> {
        Ok(client()?.find_user(who.sign_in())?.map(|u| u.account()))
    }

    fn provision(request: ProvisionRequest) -> Result<Provisioned, Error> {
        if let Credential::TemporaryPassword(_) = request.credential {
            return Err(Error::Unsupported(
                "SCIM sets no first password: choose single sign-on or the application's own invitation".into(),
            ));
        }
        let scim = client()?;
        let who = &request.who;
        if let Some(found) = scim.find_user(who.sign_in())? {
            return Ok(Provisioned::found(found.account()));
        }
        let (user, created) = scim.create_or_find(who.sign_in(), &user_body(who, true))?;
        Ok(if created {
            Provisioned::created(user.account(), None)
        } else {
            Provisioned::found(user.account())
        })
    }

    fn update_profile(account_id: String, who: Person) -> Result<(), Error> {
        let scim = client()?;
        let user = scim
            .get_user(&account_id)?
            .ok_or_else(|| Error::NotFound(format!("the SCIM user {account_id} does not exist")))?;
        let manager = match &who.manager_email {
            Some(email) => scim.find_user(email)?.map(|m| m.id),
            None => None,
        };
        let body = updated(&user, &who, manager.as_deref());
        let mut before = user.raw.clone();
        if let Some(obj) = before.as_object_mut() {
            obj.remove("meta");
        }
        if body == before {
            return Ok(());
        }
        scim.replace_user(&account_id, &body)
    }

    fn offboard(
        account_id: String,
        _who: Person,
        options: LeaverOptions,
    ) -> Result<Operation, Error> {
        options.check(&capabilities().offboard)?;
        if options.disable {
            client()?.set_active(&account_id, false)?;
        }
        Ok(Operation::done())
    }

    fn reactivate(account_id: String) -> Result<(), Error> {
        client()?.set_active(&account_id, true)
    }

    fn delete_account(account_id: String) -> Result<(), Error> {
        client()?.delete_user(&account_id)
    }

    fn find_group(name: String) -> Result<Option<Group>, Error> {
        Ok(client()?.find_group(&name)?.map(Group::from))
    }

    fn list_memberships(account_id: String, cursor: Option<String>) -> Result<GroupPage, Error> {
        let start = start_index(cursor)?;
        Ok(group_page(client()?.groups_of(&account_id, start)?))
    }

    fn add_to_group(account_id: String, group_id: String) -> Result<(), Error> {
        client()?.add_member(&group_id, &account_id)
    }

    fn remove_from_group(account_id: String, group_id: String) -> Result<(), Error> {
        match client()?.remove_member(&group_id, &account_id) {
            Err(Error::NotFound(_)) => Ok(()),
            other => other,
        }
    }

    /// The group picker: `displayName sw "prefix"` (case-insensitive), one page from
    /// the start index in `cursor`.
    fn list_groups(prefix: Option<String>, cursor: Option<String>) -> Result<GroupPage, Error> {
        let start = start_index(cursor)?;
        Ok(group_page(client()?.list_groups(prefix.as_deref(), start)?))
    }
}

tenure_sdk::export_app_connector!(ScimApp);

#[cfg(test)]
mod tests;
