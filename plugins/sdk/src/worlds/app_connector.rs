use super::not_implemented;
use crate::bindings::app_connector::exports::tenure::plugin::app_connector::Guest;
use crate::{
    Account, Capabilities, Error, Group, GroupPage, LeaverOptions, OffboardCapabilities, Operation,
    OperationState, Person, ProvisionRequest, Provisioned,
};
use std::marker::PhantomData;

/// An application where people have accounts, licences and group memberships (world
/// `app-connector`, register with [`crate::export_app_connector!`]).
///
/// # What the host relies on
///
/// - **Every call may be retried** with the same arguments: after a timeout, a crash,
///   [`Error::RateLimited`] or [`Error::Unavailable`]. Doing a call twice must be the
///   same as doing it once: find before create, treat "already so" as success.
/// - **[`AppConnector::describe`] tells the truth.** The host calls only what it lists
///   and opens a manual task for the rest. Every capability set to `true` needs its
///   method implemented; every method left to its default (which answers
///   [`Error::Unsupported`]) must be `false` there.
///   [`crate::testing::assert_capabilities_match`] checks this in a unit test.
/// - Accounts are named by the application's own id (`Account::id`), which the host
///   stores after [`AppConnector::provision`] or [`AppConnector::find_account`].
///
/// Required: `describe`, `test_connection`, `find_account`, `provision`. The rest
/// default to [`Error::Unsupported`].
pub trait AppConnector {
    /// What this connector can do: constants, never the network (called often).
    /// Start from [`Capabilities::minimal`] and switch on what you implement.
    fn describe() -> Capabilities;

    /// Checks that the settings reach the application and the credentials work, with
    /// one cheap authenticated read. Wrong or missing credentials, or a permission the
    /// connector needs and lacks: [`Error::Unauthorized`] saying which.
    fn test_connection() -> Result<(), Error>;

    /// Looks up the person's account without changing anything: by
    /// [`Person::sign_in`] (the `login` when set, else the work email), compared the
    /// way the application compares them (usually case-insensitively). An account that
    /// exists but is disabled is returned with `active: false`.
    ///
    /// `Ok(None)` when there is none — not [`Error::NotFound`].
    fn find_account(who: Person) -> Result<Option<Account>, Error>;

    /// Creates the person's account, or finds it when it exists already.
    ///
    /// - **Never create twice.** Find before create (as [`AppConnector::find_account`]
    ///   does); when the application accepts an idempotency key, pass
    ///   `request.idempotency_key` (stable across retries of the same job). A create
    ///   that answers "already exists" (409) is a find, not an error.
    /// - **Found is not created:** return [`Provisioned::found`] (`created: false`) and
    ///   change nothing about it — not its credential, not its profile. A found
    ///   disabled account stays disabled (the host calls
    ///   [`AppConnector::reactivate`] when it means to).
    /// - Created: issue `request.credential` (a temporary password must be changed at
    ///   first sign-in; never log it), then assign `request.entitlements` (ids from the
    ///   app's settings), and return [`Provisioned::created`] with the activation link
    ///   when the system issues one.
    /// - A credential kind not listed in `describe().credentials`:
    ///   [`Error::Unsupported`]; a value the application rejects (a name, a domain it
    ///   does not own): [`Error::InvalidInput`]; the address taken by someone else:
    ///   [`Error::Conflict`].
    fn provision(request: ProvisionRequest) -> Result<Provisioned, Error>;

    /// Brings names, title, department and manager in line with `who` (only the
    /// fields the application has; leave the others). Unchanged is success. An
    /// account that is gone: [`Error::NotFound`]. Capability: `update_profile`.
    fn update_profile(account_id: String, who: Person) -> Result<(), Error> {
        let _ = (account_id, who);
        Err(not_implemented("updating profiles"))
    }

    /// Makes the account's entitlements (licences, plans) exactly `entitlements` among
    /// those this connector manages: assign the missing, remove the others; leave
    /// entitlements it does not manage alone. Already so is success. No licence
    /// left to assign: [`Error::Conflict`] with which. Capability: `entitlements`.
    fn set_entitlements(account_id: String, entitlements: Vec<String>) -> Result<(), Error> {
        let _ = (account_id, entitlements);
        Err(not_implemented("setting entitlements"))
    }

    /// Takes the leaver steps in `options`, in a safe order: sessions revoked and data
    /// handed over before the account is disabled, entitlements removed last. Steps
    /// already done are success (a disabled account disabled again). The host asks
    /// only for steps `describe().offboard` lists; check with
    /// [`LeaverOptions::check`] first and answer [`Error::Unsupported`] before changing
    /// anything when asked for another.
    ///
    /// Returns [`Operation::done`] when everything is done, or an operation to poll
    /// with [`AppConnector::operation_status`] when a step goes on remotely (a data
    /// transfer). An account that is gone: [`Error::NotFound`] (the host treats a
    /// leaver's missing account as offboarded). Capability: `offboard`.
    fn offboard(
        account_id: String,
        who: Person,
        options: LeaverOptions,
    ) -> Result<Operation, Error> {
        let _ = (account_id, who, options);
        Err(not_implemented("offboarding"))
    }

    /// Where an operation returned by [`AppConnector::offboard`] stands. Needed only
    /// when `offboard` returns operations with an id.
    fn operation_status(operation_id: String) -> Result<Operation, Error> {
        let _ = operation_id;
        Err(not_implemented("operation status"))
    }

    /// Turns a disabled account back on (a rehire). Already active is success.
    /// Capability: `reactivate`.
    fn reactivate(account_id: String) -> Result<(), Error> {
        let _ = account_id;
        Err(not_implemented("reactivating accounts"))
    }

    /// Deletes the account for good. Already gone (404) is success. Capability:
    /// `delete`.
    fn delete_account(account_id: String) -> Result<(), Error> {
        let _ = account_id;
        Err(not_implemented("deleting accounts"))
    }

    /// Finds a group, team or channel by its name (exact; case-insensitive where the
    /// application is). `Ok(None)` when there is none. Capability: `groups` (all four
    /// group methods).
    fn find_group(name: String) -> Result<Option<Group>, Error> {
        let _ = name;
        Err(not_implemented("groups"))
    }

    /// One page of the groups the account is a member of; `cursor` is `None` first,
    /// then the previous page's `next_cursor`. Capability: `groups`.
    fn list_memberships(account_id: String, cursor: Option<String>) -> Result<GroupPage, Error> {
        let _ = (account_id, cursor);
        Err(not_implemented("groups"))
    }

    /// Adds the account to the group; **already a member is success**. A group that is
    /// gone: [`Error::NotFound`]. Capability: `groups`.
    fn add_to_group(account_id: String, group_id: String) -> Result<(), Error> {
        let _ = (account_id, group_id);
        Err(not_implemented("groups"))
    }

    /// Removes the account from the group; **not a member is success** (and so is a
    /// group that is gone). Capability: `groups`.
    fn remove_from_group(account_id: String, group_id: String) -> Result<(), Error> {
        let _ = (account_id, group_id);
        Err(not_implemented("groups"))
    }

    /// One page of the groups, teams or channels whose name starts with `prefix`
    /// (case-insensitive where the application is), or of all of them when `prefix` is
    /// `None` or empty: the group picker of Settings → Rules lists them as an admin
    /// types. Return `next_cursor` while more pages follow; the host passes it back as
    /// `cursor`. Keep pages to a few hundred: the picker shows the first.
    ///
    /// Optional even with `groups`: without it the picker only checks a typed name with
    /// [`AppConnector::find_group`]. (WIT: `group-directory.list-groups`, world
    /// `app-connector-directory-plugin`.)
    fn list_groups(prefix: Option<String>, cursor: Option<String>) -> Result<GroupPage, Error> {
        let _ = (prefix, cursor);
        Err(not_implemented("list-groups"))
    }
}

impl Capabilities {
    /// Nothing but what every connector must do (find and provision, with no
    /// credential: single sign-on). Switch on the rest:
    ///
    /// ```ignore
    /// Capabilities { groups: true, ..Capabilities::minimal() }
    /// ```
    pub fn minimal() -> Capabilities {
        Capabilities {
            find: true,
            provision: true,
            update_profile: false,
            entitlements: false,
            offboard: OffboardCapabilities::none(),
            reactivate: false,
            delete: false,
            groups: false,
            credentials: vec![crate::CredentialKind::None],
        }
    }
}

impl OffboardCapabilities {
    /// No leaver step.
    pub fn none() -> OffboardCapabilities {
        OffboardCapabilities {
            disable: false,
            revoke_sessions: false,
            remove_entitlements: false,
            transfer_data: false,
            forward_mail: false,
            auto_reply: false,
        }
    }

    /// Whether any leaver step is possible (then `offboard` must be implemented).
    pub fn any(&self) -> bool {
        self.disable
            || self.revoke_sessions
            || self.remove_entitlements
            || self.transfer_data
            || self.forward_mail
            || self.auto_reply
    }
}

impl LeaverOptions {
    /// The steps asked for, by name.
    pub fn requested(&self) -> Vec<&'static str> {
        let mut steps = Vec::new();
        if self.revoke_sessions {
            steps.push("revoke sessions");
        }
        if self.transfer_data_to.is_some() {
            steps.push("transfer data");
        }
        if self.forward_mail_to.is_some() {
            steps.push("forward mail");
        }
        if self.auto_reply.is_some() {
            steps.push("auto-reply");
        }
        if self.remove_entitlements {
            steps.push("remove entitlements");
        }
        if self.disable {
            steps.push("disable");
        }
        steps
    }

    /// `Ok(())` when `can` covers every step asked for, else [`Error::Unsupported`]
    /// naming the others. Call it before taking any step.
    pub fn check(&self, can: &OffboardCapabilities) -> Result<(), Error> {
        let mut missing = Vec::new();
        let asks = [
            (self.revoke_sessions, can.revoke_sessions, "revoke sessions"),
            (
                self.transfer_data_to.is_some(),
                can.transfer_data,
                "transfer data",
            ),
            (
                self.forward_mail_to.is_some(),
                can.forward_mail,
                "forward mail",
            ),
            (self.auto_reply.is_some(), can.auto_reply, "auto-reply"),
            (
                self.remove_entitlements,
                can.remove_entitlements,
                "remove entitlements",
            ),
            (self.disable, can.disable, "disable"),
        ];
        for (asked, able, name) in asks {
            if asked && !able {
                missing.push(name);
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(Error::Unsupported(format!(
                "this connector cannot {}: a person does it by hand",
                missing.join(", ")
            )))
        }
    }
}

impl Person {
    /// The name the person signs in with: `login` when set, else the work email.
    pub fn sign_in(&self) -> &str {
        self.login.as_deref().unwrap_or(&self.work_email)
    }
}

impl Provisioned {
    /// This call created `account`.
    pub fn created(account: Account, activation_link: Option<String>) -> Provisioned {
        Provisioned {
            account,
            created: true,
            activation_link,
        }
    }

    /// `account` existed already (a retry, a rehire, made by hand): nothing changed.
    pub fn found(account: Account) -> Provisioned {
        Provisioned {
            account,
            created: false,
            activation_link: None,
        }
    }
}

impl Operation {
    /// Finished: nothing to poll.
    pub fn done() -> Operation {
        Operation {
            id: None,
            state: OperationState::Done,
        }
    }

    /// Still going remotely: the host polls `operation_status(id)`.
    pub fn in_progress(id: impl Into<String>) -> Operation {
        Operation {
            id: Some(id.into()),
            state: OperationState::InProgress,
        }
    }
}

/// Wires an [`AppConnector`] to the generated bindings.
#[doc(hidden)]
pub struct AppConnectorExport<T>(PhantomData<T>);

impl<T: AppConnector> Guest for AppConnectorExport<T> {
    fn describe() -> Capabilities {
        T::describe()
    }
    fn test_connection() -> Result<(), Error> {
        T::test_connection()
    }
    fn find_account(who: Person) -> Result<Option<Account>, Error> {
        T::find_account(who)
    }
    fn provision(request: ProvisionRequest) -> Result<Provisioned, Error> {
        T::provision(request)
    }
    fn update_profile(account_id: String, who: Person) -> Result<(), Error> {
        T::update_profile(account_id, who)
    }
    fn set_entitlements(account_id: String, entitlements: Vec<String>) -> Result<(), Error> {
        T::set_entitlements(account_id, entitlements)
    }
    fn offboard(
        account_id: String,
        who: Person,
        options: LeaverOptions,
    ) -> Result<Operation, Error> {
        T::offboard(account_id, who, options)
    }
    fn operation_status(operation_id: String) -> Result<Operation, Error> {
        T::operation_status(operation_id)
    }
    fn reactivate(account_id: String) -> Result<(), Error> {
        T::reactivate(account_id)
    }
    fn delete_account(account_id: String) -> Result<(), Error> {
        T::delete_account(account_id)
    }
    fn find_group(name: String) -> Result<Option<Group>, Error> {
        T::find_group(name)
    }
    fn list_memberships(account_id: String, cursor: Option<String>) -> Result<GroupPage, Error> {
        T::list_memberships(account_id, cursor)
    }
    fn add_to_group(account_id: String, group_id: String) -> Result<(), Error> {
        T::add_to_group(account_id, group_id)
    }
    fn remove_from_group(account_id: String, group_id: String) -> Result<(), Error> {
        T::remove_from_group(account_id, group_id)
    }
}

impl<T: AppConnector>
    crate::bindings::app_connector::exports::tenure::plugin::group_directory::Guest
    for AppConnectorExport<T>
{
    fn list_groups(prefix: Option<String>, cursor: Option<String>) -> Result<GroupPage, Error> {
        T::list_groups(prefix, cursor)
    }
}
