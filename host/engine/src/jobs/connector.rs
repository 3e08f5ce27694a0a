//! What the job runner needs from an app connector, in the host's own terms. The
//! runtime's plugins (contract 0.2, or 0.1 through the runtime's adapter) implement it;
//! tests implement it in memory.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A boxed future, so that connectors can be trait objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A person as a connector sees them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Who {
    pub employee_id: String,
    pub work_email: String,
    pub login: Option<String>,
    pub personal_email: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub display_name: String,
    pub department: Option<String>,
    pub title: Option<String>,
    pub manager_email: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    pub time_zone: Option<String>,
    /// `yyyy-mm-dd`.
    pub start_date: Option<String>,
}

/// Leaver steps a connector can take.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OffboardCaps {
    pub disable: bool,
    pub revoke_sessions: bool,
    pub remove_entitlements: bool,
    pub transfer_data: bool,
    pub forward_mail: bool,
    pub auto_reply: bool,
}

/// First credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialKind {
    None,
    TemporaryPassword,
    Invitation,
}

/// What a connector can do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caps {
    pub find: bool,
    pub provision: bool,
    pub entitlements: bool,
    pub offboard: OffboardCaps,
    pub reactivate: bool,
    /// Group and channel memberships (`find-group`, `add-to-group`, ...).
    pub groups: bool,
    pub credentials: Vec<CredentialKind>,
}

/// A group, team or channel in the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: String,
    pub name: String,
}

/// The first credential of a new account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    None,
    TemporaryPassword(String),
    Invitation,
}

/// Create an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionRequest {
    pub who: Who,
    pub credential: Credential,
    pub entitlements: Vec<String>,
    pub idempotency_key: String,
}

/// An account in the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: String,
    pub login: String,
    pub active: bool,
}

/// What `provision` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provisioned {
    pub account: Account,
    pub created: bool,
    pub activation_link: Option<String>,
}

/// Leaver steps asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Leaver {
    pub disable: bool,
    pub revoke_sessions: bool,
    pub remove_entitlements: bool,
    pub transfer_data_to: Option<String>,
    pub forward_mail_to: Option<String>,
    pub auto_reply: Option<String>,
}

/// Where a remote operation stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpState {
    InProgress,
    Done,
    Failed(String),
}

/// A remote operation (a data transfer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub id: Option<String>,
    pub state: OpState,
}

/// Why a connector call failed, as the runner acts on it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectorError {
    #[error("the credentials were refused: {0}")]
    Unauthorized(String),
    #[error("asked to wait {0} s")]
    RateLimited(u32),
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error("the application refused the request: {0}")]
    InvalidInput(String),
    #[error("the connector cannot do this: {0}")]
    Unsupported(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("{0}")]
    Other(String),
    /// The call itself failed in the host: a timeout, a trap, the CPU budget spent.
    #[error("the connector's call failed: {0}")]
    Call(String),
}

/// An app connector.
pub trait AppConnector: Send + Sync {
    fn describe(&self) -> BoxFuture<'_, Result<Caps, ConnectorError>>;
    fn find_account<'a>(
        &'a self,
        who: &'a Who,
    ) -> BoxFuture<'a, Result<Option<Account>, ConnectorError>>;
    fn provision<'a>(
        &'a self,
        request: &'a ProvisionRequest,
    ) -> BoxFuture<'a, Result<Provisioned, ConnectorError>>;
    fn reactivate<'a>(&'a self, account_id: &'a str) -> BoxFuture<'a, Result<(), ConnectorError>>;
    /// Makes the account's licences exactly `entitlements` (among those it manages).
    fn set_entitlements<'a>(
        &'a self,
        account_id: &'a str,
        entitlements: &'a [String],
    ) -> BoxFuture<'a, Result<(), ConnectorError>>;
    fn offboard<'a>(
        &'a self,
        account_id: &'a str,
        who: &'a Who,
        options: &'a Leaver,
    ) -> BoxFuture<'a, Result<Operation, ConnectorError>>;
    fn operation_status<'a>(
        &'a self,
        operation_id: &'a str,
    ) -> BoxFuture<'a, Result<Operation, ConnectorError>>;
    /// Adds the account to the group; already a member is success.
    fn add_to_group<'a>(
        &'a self,
        account_id: &'a str,
        group_id: &'a str,
    ) -> BoxFuture<'a, Result<(), ConnectorError>> {
        let _ = (account_id, group_id);
        Box::pin(async { Err(ConnectorError::Unsupported("groups".into())) })
    }
    /// Removes the account from the group; not a member is success.
    fn remove_from_group<'a>(
        &'a self,
        account_id: &'a str,
        group_id: &'a str,
    ) -> BoxFuture<'a, Result<(), ConnectorError>> {
        let _ = (account_id, group_id);
        Box::pin(async { Err(ConnectorError::Unsupported("groups".into())) })
    }
    /// A group by its exact name (case-insensitive where the application is).
    fn find_group<'a>(
        &'a self,
        name: &'a str,
    ) -> BoxFuture<'a, Result<Option<Group>, ConnectorError>> {
        let _ = name;
        Box::pin(async { Err(ConnectorError::Unsupported("groups".into())) })
    }
    /// The first page of groups whose name starts with `prefix`, for the picker.
    fn list_groups<'a>(
        &'a self,
        prefix: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Group>, ConnectorError>> {
        let _ = prefix;
        Box::pin(async { Err(ConnectorError::Unsupported("listing groups".into())) })
    }
}

/// Why there is no connector to call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// No plugin with this id is installed.
    NotInstalled,
    /// Installed, but an admin has not filled in its settings.
    NotConfigured,
    /// Installed, but not an app connector.
    WrongKind(String),
}

/// Finds the app connector of a plugin id.
pub trait Connectors: Send + Sync {
    fn app(&self, id: &str) -> Result<Arc<dyn AppConnector>, Missing>;
}
