//! App connectors backed by the runtime's plugins (contract 0.2; 0.1 plugins through the
//! runtime's adapter).

use std::sync::Arc;

use tenure_runtime::types as wit;
use tenure_runtime::{CallError, Plugin};

use super::connector::{
    Account, AppConnector, BoxFuture, Caps, ConnectorError, Credential, CredentialKind, Group,
    Leaver, OffboardCaps, OpState, Operation, ProvisionRequest, Provisioned, Who,
};

/// An app-connector plugin as the job runner calls it.
pub struct PluginConnector(pub Arc<Plugin>);

fn err(e: CallError) -> ConnectorError {
    match e {
        CallError::Plugin(e) => match e {
            wit::Error::Unauthorized(m) => ConnectorError::Unauthorized(m),
            wit::Error::NotFound(m) => ConnectorError::NotFound(m),
            wit::Error::Conflict(m) => ConnectorError::Conflict(m),
            wit::Error::RateLimited(s) => ConnectorError::RateLimited(s),
            wit::Error::InvalidInput(m) => ConnectorError::InvalidInput(m),
            wit::Error::Unavailable(m) => ConnectorError::Unavailable(m),
            wit::Error::Unsupported(m) => ConnectorError::Unsupported(m),
            wit::Error::Other(m) => ConnectorError::Other(m),
        },
        // The plugin's own problem, not the remote system's: retried, then a person.
        other => ConnectorError::Call(other.to_string()),
    }
}

fn person(w: &Who) -> wit::Person {
    wit::Person {
        employee_id: w.employee_id.clone(),
        work_email: w.work_email.clone(),
        login: w.login.clone(),
        personal_email: w.personal_email.clone(),
        given_name: w.given_name.clone(),
        family_name: w.family_name.clone(),
        display_name: w.display_name.clone(),
        department: w.department.clone(),
        title: w.title.clone(),
        manager_email: w.manager_email.clone(),
        country: w.country.clone(),
        time_zone: w.time_zone.clone(),
        start_date: w.start_date.clone(),
    }
}

fn account(a: wit::Account) -> Account {
    Account {
        id: a.id,
        login: a.login,
        active: a.active,
    }
}

fn operation(o: wit::Operation) -> Operation {
    Operation {
        id: o.id,
        state: match o.state {
            wit::OperationState::InProgress => OpState::InProgress,
            wit::OperationState::Done => OpState::Done,
            wit::OperationState::Failed(why) => OpState::Failed(why),
        },
    }
}

impl AppConnector for PluginConnector {
    fn describe(&self) -> BoxFuture<'_, Result<Caps, ConnectorError>> {
        Box::pin(async move {
            let c = self.0.app_describe().await.map_err(err)?;
            Ok(Caps {
                find: c.find,
                provision: c.provision,
                entitlements: c.entitlements,
                reactivate: c.reactivate,
                groups: c.groups,
                offboard: OffboardCaps {
                    disable: c.offboard.disable,
                    revoke_sessions: c.offboard.revoke_sessions,
                    remove_entitlements: c.offboard.remove_entitlements,
                    transfer_data: c.offboard.transfer_data,
                    forward_mail: c.offboard.forward_mail,
                    auto_reply: c.offboard.auto_reply,
                },
                credentials: c
                    .credentials
                    .into_iter()
                    .map(|k| match k {
                        wit::CredentialKind::None => CredentialKind::None,
                        wit::CredentialKind::TemporaryPassword => CredentialKind::TemporaryPassword,
                        wit::CredentialKind::Invitation => CredentialKind::Invitation,
                    })
                    .collect(),
            })
        })
    }

    fn find_account<'a>(
        &'a self,
        who: &'a Who,
    ) -> BoxFuture<'a, Result<Option<Account>, ConnectorError>> {
        Box::pin(async move {
            let found = self.0.app_find_account(&person(who)).await.map_err(err)?;
            Ok(found.map(account))
        })
    }

    fn provision<'a>(
        &'a self,
        r: &'a ProvisionRequest,
    ) -> BoxFuture<'a, Result<Provisioned, ConnectorError>> {
        Box::pin(async move {
            let request = wit::ProvisionRequest {
                who: person(&r.who),
                credential: match &r.credential {
                    Credential::None => wit::Credential::None,
                    Credential::TemporaryPassword(p) => {
                        wit::Credential::TemporaryPassword(p.clone())
                    }
                    Credential::Invitation => wit::Credential::Invitation,
                },
                entitlements: r.entitlements.clone(),
                idempotency_key: r.idempotency_key.clone(),
            };
            let done = self.0.app_provision(&request).await.map_err(err)?;
            Ok(Provisioned {
                account: account(done.account),
                created: done.created,
                activation_link: done.activation_link,
            })
        })
    }

    fn reactivate<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<(), ConnectorError>> {
        Box::pin(async move { self.0.app_reactivate(id).await.map_err(err) })
    }

    fn set_entitlements<'a>(
        &'a self,
        id: &'a str,
        entitlements: &'a [String],
    ) -> BoxFuture<'a, Result<(), ConnectorError>> {
        Box::pin(async move {
            self.0
                .app_set_entitlements(id, entitlements)
                .await
                .map_err(err)
        })
    }

    fn offboard<'a>(
        &'a self,
        id: &'a str,
        who: &'a Who,
        o: &'a Leaver,
    ) -> BoxFuture<'a, Result<Operation, ConnectorError>> {
        Box::pin(async move {
            let options = wit::LeaverOptions {
                disable: o.disable,
                revoke_sessions: o.revoke_sessions,
                remove_entitlements: o.remove_entitlements,
                transfer_data_to: o.transfer_data_to.clone(),
                forward_mail_to: o.forward_mail_to.clone(),
                auto_reply: o.auto_reply.clone(),
            };
            let op = self
                .0
                .app_offboard(id, &person(who), &options)
                .await
                .map_err(err)?;
            Ok(operation(op))
        })
    }

    fn operation_status<'a>(
        &'a self,
        id: &'a str,
    ) -> BoxFuture<'a, Result<Operation, ConnectorError>> {
        Box::pin(async move {
            Ok(operation(
                self.0.app_operation_status(id).await.map_err(err)?,
            ))
        })
    }

    fn add_to_group<'a>(
        &'a self,
        account_id: &'a str,
        group_id: &'a str,
    ) -> BoxFuture<'a, Result<(), ConnectorError>> {
        Box::pin(async move {
            self.0
                .app_add_to_group(account_id, group_id)
                .await
                .map_err(err)
        })
    }

    fn remove_from_group<'a>(
        &'a self,
        account_id: &'a str,
        group_id: &'a str,
    ) -> BoxFuture<'a, Result<(), ConnectorError>> {
        Box::pin(async move {
            self.0
                .app_remove_from_group(account_id, group_id)
                .await
                .map_err(err)
        })
    }

    fn find_group<'a>(
        &'a self,
        name: &'a str,
    ) -> BoxFuture<'a, Result<Option<Group>, ConnectorError>> {
        Box::pin(async move {
            let found = self.0.app_find_group(name).await.map_err(err)?;
            Ok(found.map(|g| Group {
                id: g.id,
                name: g.name,
            }))
        })
    }

    fn list_groups<'a>(
        &'a self,
        prefix: &'a str,
    ) -> BoxFuture<'a, Result<Vec<Group>, ConnectorError>> {
        Box::pin(async move {
            let prefix = (!prefix.is_empty()).then_some(prefix);
            let page = self.0.app_list_groups(prefix, None).await.map_err(err)?;
            Ok(page
                .groups
                .into_iter()
                .map(|g| Group {
                    id: g.id,
                    name: g.name,
                })
                .collect())
        })
    }
}
