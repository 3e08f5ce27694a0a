//! A template app connector: accounts and groups in "Example App", a made-up REST API
//! (see `api.rs`). Copy this crate to start a connector: rename it, replace `api.rs`
//! with the real API, keep the shape of each method.
//!
//! What it shows:
//! - find before create, and the idempotency key on create (never two accounts);
//! - "found is not created": an existing account is returned untouched;
//! - each credential kind, and `describe()` telling the truth (checked by a test);
//! - offboarding in a safe order (sessions revoked before the account is disabled);
//! - "already so" is success (a member added twice, a user deleted twice);
//! - unit tests against the SDK's fake host (`cargo test`).

mod api;

use api::{Client, Created, Groups, NewUser, Profile, Users};
use tenure_sdk::http::Method;
use tenure_sdk::{
    Account, AppConnector, Capabilities, Credential, CredentialKind, Error, Group, GroupPage,
    LeaverOptions, OffboardCapabilities, Operation, Person, ProvisionRequest, Provisioned,
};

struct ExampleApp;

/// What the connector does; `offboard` checks requests against it too.
fn capabilities() -> Capabilities {
    Capabilities {
        find: true,
        provision: true,
        update_profile: true,
        // Example App has no licences: `set_entitlements` keeps the SDK's default
        // (unsupported), so a person is asked if a licence is ever requested.
        entitlements: false,
        offboard: OffboardCapabilities {
            disable: true,
            revoke_sessions: true,
            ..OffboardCapabilities::none()
        },
        reactivate: true,
        delete: true,
        groups: true,
        credentials: vec![
            CredentialKind::None,
            CredentialKind::TemporaryPassword,
            CredentialKind::Invitation,
        ],
    }
}

fn profile(who: &Person) -> Profile<'_> {
    Profile {
        first_name: &who.given_name,
        last_name: &who.family_name,
        display_name: &who.display_name,
        title: who.title.as_deref(),
        department: who.department.as_deref(),
        manager_email: who.manager_email.as_deref(),
    }
}

/// `Ok(())` for 2xx, and for 404 where "gone" is what the caller wanted.
fn done_or_gone(resp: tenure_sdk::http::Response) -> Result<(), Error> {
    if resp.is_success() || resp.status == 404 {
        Ok(())
    } else {
        Err(resp.to_error())
    }
}

fn find(client: &Client, who: &Person) -> Result<Option<Account>, Error> {
    let found: Users = client
        .get("/users")
        .query("email", who.sign_in())
        .send()?
        .json()?;
    let wanted = who.sign_in().to_ascii_lowercase();
    Ok(found
        .users
        .into_iter()
        .find(|u| u.email.to_ascii_lowercase() == wanted)
        .map(api::User::into_account))
}

impl AppConnector for ExampleApp {
    fn describe() -> Capabilities {
        capabilities()
    }

    fn test_connection() -> Result<(), Error> {
        Client::from_settings()?.get("/me").send()?;
        Ok(())
    }

    fn find_account(who: Person) -> Result<Option<Account>, Error> {
        find(&Client::from_settings()?, &who)
    }

    fn provision(request: ProvisionRequest) -> Result<Provisioned, Error> {
        let client = Client::from_settings()?;
        let who = &request.who;
        // Find before create: a retry, a rehire or an account made by hand is found,
        // and left as it is.
        if let Some(account) = find(&client, who)? {
            return Ok(Provisioned::found(account));
        }
        let (send_invite, password) = match &request.credential {
            Credential::None => (false, None),
            Credential::Invitation => (true, None),
            Credential::TemporaryPassword(p) => (false, Some(p.as_str())),
        };
        let body = NewUser {
            email: who.sign_in(),
            profile: profile(who),
            external_id: &who.employee_id,
            send_invite,
            password,
            must_change_password: password.is_some(),
        };
        let mut req = client
            .request(Method::Post, "/users")
            // Stable across retries of the same job: a create that timed out after
            // Example App made the account answers the same account again.
            .header("idempotency-key", &request.idempotency_key)
            .json(&body)?;
        if let Some(p) = password {
            req = req.redact(p);
        }
        let resp = req.send_raw()?;
        if resp.status == 409 {
            // Made between our find and our create (or by another job): found.
            return match find(&client, who)? {
                Some(account) => Ok(Provisioned::found(account)),
                None => Err(resp.to_error()),
            };
        }
        let created: Created = resp.error_for_status()?.json()?;
        // Entitlements: Example App has none (`describe().entitlements` is false).
        if !request.entitlements.is_empty() {
            tenure_sdk::log::warn(
                "Example App has no licences; the requested entitlements were not assigned",
            );
        }
        Ok(Provisioned::created(
            created.user.into_account(),
            created.invite_url,
        ))
    }

    fn update_profile(account_id: String, who: Person) -> Result<(), Error> {
        let client = Client::from_settings()?;
        client
            .request(Method::Patch, &Client::path(&["users", &account_id]))
            .json(&profile(&who))?
            .send()?;
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
        // Sessions first, then the account: nobody stays signed in to a disabled account.
        if options.revoke_sessions {
            client
                .request(
                    Method::Delete,
                    &Client::path(&["users", &account_id, "sessions"]),
                )
                .send()?;
        }
        if options.disable {
            // Suspending a suspended user answers 200: already done is success.
            client
                .request(
                    Method::Post,
                    &Client::path(&["users", &account_id, "suspend"]),
                )
                .send()?;
        }
        Ok(Operation::done())
    }

    fn reactivate(account_id: String) -> Result<(), Error> {
        Client::from_settings()?
            .request(
                Method::Post,
                &Client::path(&["users", &account_id, "unsuspend"]),
            )
            .send()?;
        Ok(())
    }

    fn delete_account(account_id: String) -> Result<(), Error> {
        let resp = Client::from_settings()?
            .request(Method::Delete, &Client::path(&["users", &account_id]))
            .send_raw()?;
        done_or_gone(resp)
    }

    fn find_group(name: String) -> Result<Option<Group>, Error> {
        let groups: Groups = Client::from_settings()?
            .get("/groups")
            .query("name", &name)
            .send()?
            .json()?;
        Ok(groups
            .groups
            .into_iter()
            .find(|g| g.name.eq_ignore_ascii_case(&name))
            .map(Group::from))
    }

    fn list_memberships(account_id: String, cursor: Option<String>) -> Result<GroupPage, Error> {
        let page: Groups = Client::from_settings()?
            .get(&Client::path(&["users", &account_id, "groups"]))
            .query_opt("cursor", cursor.as_deref())
            .send()?
            .json()?;
        Ok(GroupPage {
            groups: page.groups.into_iter().map(Group::from).collect(),
            next_cursor: page.next_cursor.filter(|c| !c.is_empty()),
        })
    }

    fn add_to_group(account_id: String, group_id: String) -> Result<(), Error> {
        // PUT is idempotent: already a member answers 204 too.
        Client::from_settings()?
            .request(
                Method::Put,
                &Client::path(&["groups", &group_id, "members", &account_id]),
            )
            .send()?;
        Ok(())
    }

    fn remove_from_group(account_id: String, group_id: String) -> Result<(), Error> {
        // Not a member (404) is success.
        let resp = Client::from_settings()?
            .request(
                Method::Delete,
                &Client::path(&["groups", &group_id, "members", &account_id]),
            )
            .send_raw()?;
        done_or_gone(resp)
    }
}

tenure_sdk::export_app_connector!(ExampleApp);

#[cfg(test)]
mod tests;
