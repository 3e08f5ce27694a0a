//! Microsoft Entra ID group membership for Tenure, through Microsoft Graph with an app
//! registration's client credentials.
//!
//! - **Accounts** are Entra users, named by their object id; found by user principal
//!   name (the person's `login`, else the work email), then by `mail`. This connector
//!   creates, changes and disables no user: accounts come from the `microsoft365`
//!   connector or from the directory's own sync (Entra Connect, an HR-driven
//!   provisioning app), so `provision` is not offered.
//! - **Groups**: security groups and Microsoft 365 groups with assigned membership, named
//!   by display name in rules. Joiners are added, leavers and movers removed; "already
//!   a member" and "not a member" are success. Dynamic groups, distribution lists and
//!   mail-enabled security groups cannot take members through Graph: finding one for a
//!   rule, or changing its members, answers `unsupported` saying which it is.
//! - **Offboarding**: no step of its own. A leaver leaves their groups through the rules
//!   (`remove-from-group`); signing out, disabling and licences belong to the connector
//!   that owns the account.
//!
//! Graph itself (token, requests, paging, errors, users, groups) is the shared
//! `tenure-graph-client` crate, which `microsoft365` uses too. `manifest.toml` lists the
//! settings and the two application permissions the app registration needs.

use graph_client::{Graph, groups};
use tenure_sdk::http::Method;
use tenure_sdk::{
    Account, AppConnector, Capabilities, Error, Group, GroupPage, OffboardCapabilities, Person,
    ProvisionRequest, Provisioned, not_implemented,
};

struct Entra;

/// Finding users.
const READ_USERS: &str = "User.Read.All";
/// Reading a user's groups: the groups come through GroupMember.ReadWrite.All, the user
/// through User.Read.All (Graph's docs list Directory.Read.All as the least; with these
/// two, groups come back in full and other directory objects only by id).
const READ_MEMBERSHIPS: &str = "GroupMember.ReadWrite.All (and User.Read.All)";

/// Find and groups; nothing else (see the crate documentation).
fn capabilities() -> Capabilities {
    Capabilities {
        find: true,
        provision: false,
        update_profile: false,
        entitlements: false,
        offboard: OffboardCapabilities::none(),
        reactivate: false,
        delete: false,
        groups: true,
        credentials: Vec::new(),
    }
}

impl AppConnector for Entra {
    /// Find accounts, and manage group memberships. No provisioning (accounts come from
    /// Microsoft 365 or the directory's own sync) and no leaver step: leaving groups
    /// happens through `remove-from-group` when the rules no longer grant them.
    fn describe() -> Capabilities {
        capabilities()
    }

    /// A token, then one cheap read with each permission: a group, a user.
    fn test_connection() -> Result<(), Error> {
        let g = Graph::from_settings()?;
        g.send(
            g.request(Method::Get, "/groups")
                .query("$top", "1")
                .query("$select", "id"),
            groups::GROUP_MEMBERS,
        )?;
        g.send(
            g.request(Method::Get, "/users")
                .query("$top", "1")
                .query("$select", "id"),
            READ_USERS,
        )?;
        Ok(())
    }

    /// By user principal name, then by mail; a disabled user is returned inactive.
    fn find_account(who: Person) -> Result<Option<Account>, Error> {
        let g = Graph::from_settings()?;
        Ok(g.find_user(who.sign_in(), &who.work_email, READ_USERS)?
            .map(|u| u.account(who.sign_in())))
    }

    /// Not offered: Entra users come from the Microsoft 365 connector or the directory's
    /// own sync, and a join waits (`find-account` answering none) until the user exists.
    fn provision(_request: ProvisionRequest) -> Result<Provisioned, Error> {
        Err(not_implemented(
            "creating accounts (Entra users come from the Microsoft 365 connector or the directory's own sync)",
        ))
    }

    /// By display name, case-insensitively; several of that name: the exact match, else
    /// a conflict naming how many; a dynamic group or distribution list: unsupported.
    fn find_group(name: String) -> Result<Option<Group>, Error> {
        groups::find_group(&Graph::from_settings()?, &name)
    }

    /// One page of the user's direct group memberships; the cursor is Graph's
    /// `@odata.nextLink`, followed only on this connector's Graph origin.
    fn list_memberships(account_id: String, cursor: Option<String>) -> Result<GroupPage, Error> {
        groups::list_memberships(
            &Graph::from_settings()?,
            &account_id,
            cursor,
            READ_MEMBERSHIPS,
        )
    }

    /// `POST /groups/{id}/members/$ref`; already a member is success.
    fn add_to_group(account_id: String, group_id: String) -> Result<(), Error> {
        groups::add_member(&Graph::from_settings()?, &account_id, &group_id)
    }

    /// `DELETE /groups/{id}/members/{userId}/$ref`; not a member is success.
    fn remove_from_group(account_id: String, group_id: String) -> Result<(), Error> {
        groups::remove_member(&Graph::from_settings()?, &account_id, &group_id)
    }

    /// The group picker: one page of the groups whose display name starts with `prefix`
    /// (all without one), leaving out those that cannot take members; the cursor is
    /// Graph's `@odata.nextLink`.
    fn list_groups(prefix: Option<String>, cursor: Option<String>) -> Result<GroupPage, Error> {
        groups::list_groups(&Graph::from_settings()?, prefix, cursor)
    }
}

tenure_sdk::export_app_connector!(Entra);

#[cfg(test)]
mod tests;
