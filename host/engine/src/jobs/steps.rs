//! The steps of one job against a connector: provisioning finds before it creates and
//! turns a disabled account back on; revoking signs the person out, hands data over and
//! disables, as the app's settings and the connector's capabilities allow.

use std::time::Duration;

use tenure_domain::{ExternalGroup, FirstCredential, JobAction, Provisioning};

use super::connector::{
    AppConnector, ConnectorError, Credential, CredentialKind, Leaver, OpState, ProvisionRequest,
    Who,
};

/// A remote operation (a data transfer) is polled this many times before the job ends
/// and leaves it running remotely.
const POLLS: u32 = 3;

/// What a job needs besides its connector.
#[derive(Debug, Clone)]
pub struct JobInput {
    pub id: String,
    pub action: JobAction,
    pub who: Who,
    /// The account id a previous job recorded, when there is one.
    pub account_id: Option<String>,
    pub provisioning: Provisioning,
    /// A generated temporary password, used when the app asks for one.
    pub temporary_password: Option<String>,
    /// Between polls of a remote operation.
    pub poll_every: Duration,
    /// The app's name, for messages.
    pub app_name: String,
    /// The sign-in name of the account, once known.
    pub login: Option<String>,
    /// The first instant of the start date where the person works.
    pub start_at: Option<tenure_domain::jiff::Timestamp>,
    /// The group a `Join` or `Leave` acts on.
    pub group: Option<ExternalGroup>,
}

/// What a job did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The account, when there is (or was) one.
    pub account_id: Option<String>,
    /// Active after provisioning, gone after revoking.
    pub active: bool,
    /// In words, for the access record and the Jobs page.
    pub note: String,
    /// The temporary password the new account was created with, to deliver.
    pub temporary_password: Option<String>,
    /// The account's sign-in name, when the connector said.
    pub login: Option<String>,
}

pub async fn run(c: &dyn AppConnector, input: &JobInput) -> Result<Outcome, ConnectorError> {
    match input.action {
        JobAction::Provision => provision(c, input).await,
        JobAction::Revoke => revoke(c, input).await,
        JobAction::Join | JobAction::Leave => membership(c, input).await,
    }
}

/// Joins or leaves `input.group` with the person's account, which the connector finds
/// (another app's job may still be creating it: joining waits and retries, leaving
/// without an account has nothing to do).
async fn membership(c: &dyn AppConnector, input: &JobInput) -> Result<Outcome, ConnectorError> {
    let Some(group) = &input.group else {
        return Err(ConnectorError::Other("the job names no group".into()));
    };
    let join = input.action == JobAction::Join;
    let caps = c.describe().await?;
    if !caps.groups || !caps.find {
        return Err(ConnectorError::Unsupported(format!(
            "this connector cannot change memberships of {group}"
        )));
    }
    let account = c.find_account(&input.who).await?;
    let outcome = |account_id: Option<String>, note: String| Outcome {
        account_id,
        active: join,
        note,
        temporary_password: None,
        login: None,
    };
    let Some(account) = account else {
        if join {
            return Err(ConnectorError::Unavailable(format!(
                "{} has no account there yet to add to {group}",
                input.who.work_email
            )));
        }
        return Ok(outcome(None, format!("no account, so not in {group}")));
    };
    if join {
        c.add_to_group(&account.id, &group.id).await?;
        Ok(outcome(
            Some(account.id),
            format!("added {} to {group}", account.login),
        ))
    } else {
        c.remove_from_group(&account.id, &group.id).await?;
        Ok(outcome(
            Some(account.id),
            format!("removed {} from {group}", account.login),
        ))
    }
}

async fn provision(c: &dyn AppConnector, input: &JobInput) -> Result<Outcome, ConnectorError> {
    let caps = c.describe().await?;
    let found = if caps.find {
        c.find_account(&input.who).await?
    } else {
        None
    };
    if let Some(account) = found {
        let mut note = format!("found the existing account {}", account.login);
        if !account.active {
            if !caps.reactivate {
                return Err(ConnectorError::Unsupported(format!(
                    "the account {} exists but is disabled, and this connector cannot turn it back on",
                    account.login
                )));
            }
            c.reactivate(&account.id).await?;
            note = format!("turned the existing account {} back on", account.login);
        }
        // An earlier attempt may have made the account and stopped before its licences
        // (or a rehire's were removed): found accounts get them too.
        let licences = &input.provisioning.entitlements;
        if caps.entitlements && !licences.is_empty() {
            c.set_entitlements(&account.id, licences).await?;
            note.push_str("; licences assigned");
        }
        return Ok(Outcome {
            account_id: Some(account.id),
            active: true,
            note,
            temporary_password: None,
            login: None,
        });
    }
    if !caps.provision {
        return Err(ConnectorError::Unsupported(
            "this connector does not create accounts".into(),
        ));
    }
    let wanted = input.provisioning.credential;
    let credential = match wanted {
        FirstCredential::None => Credential::None,
        FirstCredential::TemporaryPassword
            if caps
                .credentials
                .contains(&CredentialKind::TemporaryPassword) =>
        {
            match &input.temporary_password {
                Some(p) => Credential::TemporaryPassword(p.clone()),
                None => Credential::None,
            }
        }
        FirstCredential::Invitation if caps.credentials.contains(&CredentialKind::Invitation) => {
            Credential::Invitation
        }
        other => {
            return Err(ConnectorError::Unsupported(format!(
                "the app asks for a first credential ({other:?}) this connector cannot issue"
            )));
        }
    };
    let entitlements = if caps.entitlements {
        input.provisioning.entitlements.clone()
    } else if input.provisioning.entitlements.is_empty() {
        Vec::new()
    } else {
        return Err(ConnectorError::Unsupported(
            "the app lists licences, and this connector cannot assign them".into(),
        ));
    };
    let request = ProvisionRequest {
        who: input.who.clone(),
        credential: credential.clone(),
        entitlements,
        idempotency_key: input.id.clone(),
    };
    let done = c.provision(&request).await?;
    let mut note = if done.created {
        format!("created the account {}", done.account.login)
    } else {
        format!("found the existing account {}", done.account.login)
    };
    if !done.account.active {
        if !caps.reactivate {
            return Err(ConnectorError::Unsupported(format!(
                "the account {} exists but is disabled, and this connector cannot turn it back on",
                done.account.login
            )));
        }
        c.reactivate(&done.account.id).await?;
        note = format!("turned the existing account {} back on", done.account.login);
    }
    let temporary_password = match (&credential, done.created) {
        (Credential::TemporaryPassword(p), true) => Some(p.clone()),
        _ => None,
    };
    Ok(Outcome {
        account_id: Some(done.account.id),
        active: true,
        note,
        temporary_password,
        login: Some(done.account.login),
    })
}

async fn revoke(c: &dyn AppConnector, input: &JobInput) -> Result<Outcome, ConnectorError> {
    let caps = c.describe().await?;
    let account_id = match &input.account_id {
        Some(id) => Some(id.clone()),
        None if caps.find => c.find_account(&input.who).await?.map(|a| a.id),
        None => None,
    };
    let Some(account_id) = account_id else {
        return Ok(Outcome {
            account_id: None,
            active: false,
            note: "there was no account to revoke".into(),
            temporary_password: None,
            login: None,
        });
    };
    if !caps.offboard.disable {
        return Err(ConnectorError::Unsupported(
            "this connector cannot disable accounts".into(),
        ));
    }
    let p = &input.provisioning;
    let manager = input.who.manager_email.clone();
    let options = Leaver {
        disable: true,
        revoke_sessions: caps.offboard.revoke_sessions,
        remove_entitlements: p.remove_entitlements && caps.offboard.remove_entitlements,
        transfer_data_to: manager
            .clone()
            .filter(|_| p.transfer_data_to_manager && caps.offboard.transfer_data),
        forward_mail_to: manager
            .filter(|_| p.forward_mail_to_manager && caps.offboard.forward_mail),
        auto_reply: None,
    };
    let mut steps = Vec::new();
    if options.revoke_sessions {
        steps.push("signed out everywhere".to_string());
    }
    if options.remove_entitlements {
        steps.push("licences removed".into());
    }
    if let Some(to) = &options.forward_mail_to {
        steps.push(format!("mail forwarded to {to}"));
    }
    steps.push("account disabled".into());
    let mut op = c.offboard(&account_id, &input.who, &options).await?;
    let mut polls = 0;
    while op.state == OpState::InProgress && polls < POLLS {
        let Some(id) = op.id.clone() else { break };
        tokio::time::sleep(input.poll_every).await;
        op = c.operation_status(&id).await?;
        polls += 1;
    }
    if let Some(to) = &options.transfer_data_to {
        steps.push(match &op.state {
            OpState::Done => format!("files handed to {to}"),
            OpState::InProgress => format!("files being handed to {to}"),
            OpState::Failed(why) => format!("handing files to {to} failed: {why}"),
        });
    }
    Ok(Outcome {
        account_id: Some(account_id),
        active: false,
        note: steps.join("; "),
        temporary_password: None,
        login: None,
    })
}
