//! The 0.2 `app-connector` calls, answered by a connector built for 0.1.
//!
//! 0.1 knew five account calls (`ensure-account`, `suspend-account`, `restore-account`,
//! `delete-account`) and `list-groups`; 0.2 reshaped them. What a 0.1 connector can do
//! maps onto 0.2; what it cannot answers `unsupported` without calling it, so the host
//! hands that step to a person:
//!
//! | 0.2 call            | on a 0.1 connector                                                |
//! |---------------------|-------------------------------------------------------------------|
//! | `describe`          | `features` → capabilities (below)                                 |
//! | `test-connection`   | `test-connection`                                                 |
//! | `find-account`      | `unsupported` (0.1 cannot look up without creating)               |
//! | `provision`         | `ensure-account`; `unsupported` for a credential other than `none` or for entitlements; `created` is always false |
//! | `update-profile`    | `unsupported`                                                     |
//! | `set-entitlements`  | `unsupported`                                                     |
//! | `offboard`          | `suspend-account` when `disable` is asked; `unsupported` when any other step is; done at once |
//! | `operation-status`  | `unsupported` (offboard never returns an operation to poll)       |
//! | `reactivate`        | `restore-account`                                                 |
//! | `delete-account`    | `delete-account`                                                  |
//! | `find-group`        | `list-groups`, page by page (at most [`MAX_GROUP_PAGES`]), name matched case-insensitively |
//! | `list-groups` (group-directory) | one page of `list-groups`, names filtered by the prefix; the cursor passes through |
//! | `list-memberships`  | `unsupported`                                                     |
//! | `add-to-group`, `remove-from-group` | the same calls                                    |
//!
//! Capabilities from 0.1 `features`: `provision` true; `offboard.disable` and
//! `reactivate` = `suspend`; `delete` = `delete`; `groups` = `groups`; `credentials` =
//! `[none]`; everything else false (0.1's `licences` had no call to use it).
//!
//! 0.1 errors keep their case ([`super::records`]).

use super::records::Upgrade;
use crate::bindings::v0_1::app::exports::tenure::plugin::app_connector::Guest;
use crate::bindings::v0_1::imports::tenure::plugin::types as v1;
use crate::state::CallState;
use crate::types::{
    Account, Capabilities, Credential, CredentialKind, Error, Group, GroupPage, LeaverOptions,
    OffboardCapabilities, Operation, OperationState, Person, ProvisionRequest, Provisioned,
};
use wasmtime::Store;

/// The most pages of `list-groups` one `find-group` reads before it gives up.
pub(crate) const MAX_GROUP_PAGES: usize = 100;

/// A call's outcome: a trap (outer) or the contract's answer (inner).
type Answer<T> = wasmtime::Result<Result<T, Error>>;

/// What a 0.1 connector cannot do: the host does not retry and asks a person.
fn unsupported(what: &str) -> Error {
    Error::Unsupported(format!(
        "{what}: this connector is built for the plugin contract 0.1, which cannot do it \
         (a build of the connector for 0.2 may)"
    ))
}

pub(crate) async fn describe(
    guest: &Guest,
    store: &mut Store<CallState>,
) -> wasmtime::Result<Capabilities> {
    let features = guest.call_describe(&mut *store).await?;
    Ok(capabilities(&features))
}

fn capabilities(f: &v1::Features) -> Capabilities {
    Capabilities {
        find: false,
        provision: true,
        update_profile: false,
        entitlements: false,
        offboard: OffboardCapabilities {
            disable: f.suspend,
            revoke_sessions: false,
            remove_entitlements: false,
            transfer_data: false,
            forward_mail: false,
            auto_reply: false,
        },
        reactivate: f.suspend,
        delete: f.delete,
        groups: f.groups,
        credentials: vec![CredentialKind::None],
    }
}

pub(crate) async fn test_connection(guest: &Guest, store: &mut Store<CallState>) -> Answer<()> {
    Ok(guest.call_test_connection(&mut *store).await?.upgrade())
}

pub(crate) async fn find_account(
    _guest: &Guest,
    _store: &mut Store<CallState>,
    _who: &Person,
) -> Answer<Option<Account>> {
    Ok(Err(unsupported(
        "looking an account up without creating it (find-account)",
    )))
}

/// `ensure-account`. `created` is false even when the connector did create the
/// account: 0.1 does not tell a found account from a new one, and false is the answer
/// that promises nothing (no credential was set, no activation is pending).
pub(crate) async fn provision(
    guest: &Guest,
    store: &mut Store<CallState>,
    request: &ProvisionRequest,
) -> Answer<Provisioned> {
    // Never put the credential itself in a message: a temporary password is secret.
    match &request.credential {
        Credential::None => {}
        Credential::TemporaryPassword(_) => {
            return Ok(Err(unsupported(
                "creating an account with a temporary password",
            )));
        }
        Credential::Invitation => {
            return Ok(Err(unsupported("creating an account with an invitation")));
        }
    }
    if !request.entitlements.is_empty() {
        return Ok(Err(unsupported(
            "assigning licences or plans (entitlements) to a new account",
        )));
    }
    let who = v1::Person::from(&request.who);
    Ok(guest
        .call_ensure_account(&mut *store, &who)
        .await?
        .upgrade()
        .map(|account| Provisioned {
            account,
            created: false,
            activation_link: None,
        }))
}

pub(crate) async fn update_profile(
    _guest: &Guest,
    _store: &mut Store<CallState>,
    _account_id: &str,
    _who: &Person,
) -> Answer<()> {
    Ok(Err(unsupported("updating an account's profile")))
}

pub(crate) async fn set_entitlements(
    _guest: &Guest,
    _store: &mut Store<CallState>,
    _account_id: &str,
    _entitlements: &[String],
) -> Answer<()> {
    Ok(Err(unsupported("setting an account's licences or plans")))
}

/// `suspend-account` for `disable`; any other leaver step is unsupported, and then
/// nothing is done. The steps are quick in 0.1: the operation is done at once.
pub(crate) async fn offboard(
    guest: &Guest,
    store: &mut Store<CallState>,
    account_id: &str,
    _who: &Person,
    options: &LeaverOptions,
) -> Answer<Operation> {
    let others = [
        (options.revoke_sessions, "revoking sessions"),
        (options.remove_entitlements, "removing licences or plans"),
        (options.transfer_data_to.is_some(), "transferring data"),
        (options.forward_mail_to.is_some(), "forwarding mail"),
        (options.auto_reply.is_some(), "setting an automatic reply"),
    ];
    let asked: Vec<&str> = others
        .iter()
        .filter(|(asked, _)| *asked)
        .map(|(_, step)| *step)
        .collect();
    if !asked.is_empty() {
        return Ok(Err(unsupported(&asked.join(", "))));
    }
    let done = Operation {
        id: None,
        state: OperationState::Done,
    };
    if !options.disable {
        return Ok(Ok(done));
    }
    Ok(guest
        .call_suspend_account(&mut *store, account_id)
        .await?
        .upgrade()
        .map(|()| done))
}

pub(crate) async fn operation_status(
    _guest: &Guest,
    _store: &mut Store<CallState>,
    _operation_id: &str,
) -> Answer<Operation> {
    Ok(Err(unsupported("following a remote operation")))
}

pub(crate) async fn reactivate(
    guest: &Guest,
    store: &mut Store<CallState>,
    account_id: &str,
) -> Answer<()> {
    Ok(guest
        .call_restore_account(&mut *store, account_id)
        .await?
        .upgrade())
}

pub(crate) async fn delete_account(
    guest: &Guest,
    store: &mut Store<CallState>,
    account_id: &str,
) -> Answer<()> {
    Ok(guest
        .call_delete_account(&mut *store, account_id)
        .await?
        .upgrade())
}

/// Reads `list-groups` page by page until a group's name matches `name`
/// case-insensitively, the pages end (`none`), or [`MAX_GROUP_PAGES`] pages were read
/// without either (`unsupported`: the connector cannot look groups up by name, and
/// `none` would claim the group does not exist).
pub(crate) async fn find_group(
    guest: &Guest,
    store: &mut Store<CallState>,
    name: &str,
) -> Answer<Option<Group>> {
    let wanted = name.to_lowercase();
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_GROUP_PAGES {
        let page = match guest
            .call_list_groups(&mut *store, cursor.as_deref())
            .await?
        {
            Ok(page) => page,
            Err(e) => return Ok(Err(e.upgrade())),
        };
        if let Some(group) = page
            .groups
            .into_iter()
            .find(|g| g.name.to_lowercase() == wanted)
        {
            return Ok(Ok(Some(group.upgrade())));
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(Ok(None)),
        }
    }
    Ok(Err(unsupported(&format!(
        "finding a group by name among more than {MAX_GROUP_PAGES} pages of groups"
    ))))
}

/// One page of 0.1's `list-groups` (which has no prefix), filtered by `prefix`
/// case-insensitively; its cursor passes through.
pub(crate) async fn list_groups(
    guest: &Guest,
    store: &mut Store<CallState>,
    prefix: Option<&str>,
    cursor: Option<&str>,
) -> Answer<GroupPage> {
    let prefix = prefix.unwrap_or("").to_lowercase();
    let page = match guest.call_list_groups(&mut *store, cursor).await? {
        Ok(page) => page,
        Err(e) => return Ok(Err(e.upgrade())),
    };
    Ok(Ok(GroupPage {
        groups: page
            .groups
            .into_iter()
            .filter(|g| g.name.to_lowercase().starts_with(&prefix))
            .map(Upgrade::upgrade)
            .collect(),
        next_cursor: page.next_cursor,
    }))
}

pub(crate) async fn list_memberships(
    _guest: &Guest,
    _store: &mut Store<CallState>,
    _account_id: &str,
    _cursor: Option<&str>,
) -> Answer<GroupPage> {
    Ok(Err(unsupported("listing an account's group memberships")))
}

pub(crate) async fn add_to_group(
    guest: &Guest,
    store: &mut Store<CallState>,
    account_id: &str,
    group_id: &str,
) -> Answer<()> {
    Ok(guest
        .call_add_to_group(&mut *store, account_id, group_id)
        .await?
        .upgrade())
}

pub(crate) async fn remove_from_group(
    guest: &Guest,
    store: &mut Store<CallState>,
    account_id: &str,
    group_id: &str,
) -> Answer<()> {
    Ok(guest
        .call_remove_from_group(&mut *store, account_id, group_id)
        .await?
        .upgrade())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_become_capabilities() {
        let caps = capabilities(&v1::Features {
            groups: true,
            suspend: true,
            delete: false,
            licences: true,
        });
        assert!(caps.provision && caps.groups && caps.reactivate && caps.offboard.disable);
        assert!(!caps.find && !caps.update_profile && !caps.entitlements && !caps.delete);
        assert!(!caps.offboard.revoke_sessions && !caps.offboard.transfer_data);
        assert_eq!(caps.credentials, vec![CredentialKind::None]);

        let none = capabilities(&v1::Features {
            groups: false,
            suspend: false,
            delete: true,
            licences: false,
        });
        assert!(!none.groups && !none.reactivate && !none.offboard.disable && none.delete);
    }

    #[test]
    fn unsupported_says_why() {
        let Error::Unsupported(m) = unsupported("doing x") else {
            panic!("not unsupported")
        };
        assert!(m.starts_with("doing x") && m.contains("0.1"), "{m}");
    }
}
