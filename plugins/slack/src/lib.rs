//! Tenure app connector for Slack.
//!
//! - **channels** (Web API, bot token): a group is a public or private channel.
//!   `find-group` walks `conversations.list` (public and private, archived left out,
//!   200 a page, cursor paging, bounded) for the name without a leading `#`,
//!   case-insensitively. Private channels are visible only where the app is a
//!   member. `add-to-group` is `conversations.invite` (already in the channel is
//!   success; the app must be in the channel), `remove-from-group` is
//!   `conversations.kick` (not in the channel is success), `list-memberships` is
//!   `users.conversations`, and the group picker filters `conversations.list` by prefix.
//! - **find-account**: `users.lookupByEmail` with the work email (bot token); with
//!   SCIM on, a member the Web API does not find (a deactivated one) is looked up
//!   through SCIM by email.
//! - **accounts** (SCIM API, Business+ and Enterprise Grid, setting `scim_enabled`):
//!   provision creates the member (single sign-on: no credential), update-profile
//!   patches names and title, offboard disables with `DELETE /Users/{id}` (Slack
//!   deactivates the member; nothing is deleted), reactivate patches `active=true`.
//!   Without SCIM these are not offered: `describe` says so and a person does them.
//! - Web API errors arrive as HTTP 200 `{"ok": false, "error": "..."}` and map to
//!   the contract in `web::error_for`; rate limits come as HTTP 429 + `Retry-After`.

mod accounts;
mod web;

use tenure_sdk::{
    Account, AppConnector, Capabilities, CredentialKind, Error, Group, GroupPage, LeaverOptions,
    OffboardCapabilities, Operation, Person, ProvisionRequest, Provisioned, not_implemented,
};
use web::{CHANNEL_TYPES, Channel, Channels, MAX_PAGES, Member, PAGE_LIMIT, Web, channel_name};

struct Slack;

/// What the connector does with the current settings: channels always, accounts
/// only with SCIM.
fn capabilities() -> Capabilities {
    let scim = accounts::enabled();
    Capabilities {
        find: true,
        provision: scim,
        update_profile: scim,
        entitlements: false,
        offboard: OffboardCapabilities {
            disable: scim,
            ..OffboardCapabilities::none()
        },
        reactivate: scim,
        delete: false,
        groups: true,
        credentials: vec![CredentialKind::None],
    }
}

/// The SCIM client, or the default's "not implemented" when the plan has no SCIM.
fn scim(what: &str) -> Result<scim_client::Scim, Error> {
    if !accounts::enabled() {
        return Err(not_implemented(what));
    }
    accounts::client()
}

fn group(c: Channel) -> Group {
    Group {
        id: c.id,
        name: c.name,
    }
}

/// One page of `conversations.list`.
fn channels_page(web: &Web, cursor: Option<&str>) -> Result<Channels, Error> {
    let mut fields = vec![
        ("types", CHANNEL_TYPES),
        ("exclude_archived", "true"),
        ("limit", PAGE_LIMIT),
    ];
    if let Some(c) = cursor {
        fields.push(("cursor", c));
    }
    web.get("conversations.list", &fields)
}

fn find_member(who: &Person) -> Result<Option<Account>, Error> {
    #[derive(serde::Deserialize)]
    struct Lookup {
        user: Member,
    }
    let web = Web::from_settings()?;
    let email = who.work_email.as_str();
    let found: Option<Lookup> = web.call(
        "users.lookupByEmail",
        &[("email", email)],
        &["users_not_found"],
    )?;
    if let Some(Lookup { user }) = found {
        return Ok(Some(Account {
            login: user.profile.email.unwrap_or_else(|| email.to_string()),
            id: user.id,
            active: !user.deleted,
        }));
    }
    if accounts::enabled() {
        let scim = accounts::client()?;
        return Ok(accounts::find_by_email(&scim, email)?.map(|u| Account {
            login: email.to_string(),
            ..u.account()
        }));
    }
    Ok(None)
}

impl AppConnector for Slack {
    fn describe() -> Capabilities {
        capabilities()
    }

    fn test_connection() -> Result<(), Error> {
        let web = Web::from_settings()?;
        let _: serde_json::Value = web.get("auth.test", &[])?;
        if accounts::enabled() {
            accounts::client()?.test_connection()?;
        }
        Ok(())
    }

    fn find_account(who: Person) -> Result<Option<Account>, Error> {
        find_member(&who)
    }

    fn provision(request: ProvisionRequest) -> Result<Provisioned, Error> {
        let scim = scim("creating Slack accounts (needs SCIM: Business+ or Enterprise Grid)")?;
        if request.credential != tenure_sdk::Credential::None {
            return Err(Error::Unsupported(
                "Slack accounts made through SCIM sign in with single sign-on: no password or invitation is set".into(),
            ));
        }
        if let Some(found) = find_member(&request.who)? {
            return Ok(Provisioned::found(found));
        }
        let (user, created) = accounts::create(&scim, &request.who)?;
        let account = Account {
            login: request.who.work_email.clone(),
            ..user.account()
        };
        Ok(if created {
            Provisioned::created(account, None)
        } else {
            Provisioned::found(account)
        })
    }

    fn update_profile(account_id: String, who: Person) -> Result<(), Error> {
        let scim = scim("updating Slack profiles (needs SCIM)")?;
        accounts::update_profile(&scim, &account_id, &who)
    }

    fn offboard(
        account_id: String,
        _who: Person,
        options: LeaverOptions,
    ) -> Result<Operation, Error> {
        let scim = scim("deactivating Slack accounts (needs SCIM)")?;
        options.check(&capabilities().offboard)?;
        if options.disable {
            // Slack's SCIM DELETE deactivates the member; it deletes nothing.
            scim.delete_user(&account_id)?;
        }
        Ok(Operation::done())
    }

    fn reactivate(account_id: String) -> Result<(), Error> {
        let scim = scim("reactivating Slack accounts (needs SCIM)")?;
        scim.set_active(&account_id, true)
    }

    fn find_group(name: String) -> Result<Option<Group>, Error> {
        let web = Web::from_settings()?;
        let wanted = channel_name(&name);
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let page = channels_page(&web, cursor.as_deref())?;
            let next = page.next_cursor();
            if let Some(c) = page
                .channels
                .into_iter()
                .find(|c| c.name.eq_ignore_ascii_case(wanted))
            {
                return Ok(Some(group(c)));
            }
            match next {
                Some(n) => cursor = Some(n),
                None => return Ok(None),
            }
        }
        Err(Error::Other(format!(
            "gave up looking for #{wanted} after {MAX_PAGES} pages of channels"
        )))
    }

    fn list_memberships(account_id: String, cursor: Option<String>) -> Result<GroupPage, Error> {
        let web = Web::from_settings()?;
        let mut fields = vec![
            ("user", account_id.as_str()),
            ("types", CHANNEL_TYPES),
            ("exclude_archived", "true"),
            ("limit", PAGE_LIMIT),
        ];
        if let Some(c) = cursor.as_deref() {
            fields.push(("cursor", c));
        }
        let page: Channels = web.get("users.conversations", &fields)?;
        let next_cursor = page.next_cursor();
        Ok(GroupPage {
            groups: page.channels.into_iter().map(group).collect(),
            next_cursor,
        })
    }

    fn add_to_group(account_id: String, group_id: String) -> Result<(), Error> {
        let web = Web::from_settings()?;
        let _: Option<serde_json::Value> = web.call(
            "conversations.invite",
            &[("channel", &group_id), ("users", &account_id)],
            &["already_in_channel"],
        )?;
        Ok(())
    }

    fn remove_from_group(account_id: String, group_id: String) -> Result<(), Error> {
        let web = Web::from_settings()?;
        let r: Result<Option<serde_json::Value>, Error> = web.call(
            "conversations.kick",
            &[("channel", &group_id), ("user", &account_id)],
            &["not_in_channel"],
        );
        match r {
            // A channel or member that is gone leaves nobody to remove.
            Ok(_) | Err(Error::NotFound(_)) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// The group picker: one page of `conversations.list`, the channels whose names
    /// start with `prefix` (without `#`, case-insensitively); a page may hold none
    /// while more follow.
    fn list_groups(prefix: Option<String>, cursor: Option<String>) -> Result<GroupPage, Error> {
        let web = Web::from_settings()?;
        let page = channels_page(&web, cursor.as_deref())?;
        let next_cursor = page.next_cursor();
        let prefix = prefix
            .as_deref()
            .map(|p| channel_name(p).to_lowercase())
            .unwrap_or_default();
        Ok(GroupPage {
            groups: page
                .channels
                .into_iter()
                .filter(|c| c.name.to_lowercase().starts_with(&prefix))
                .map(group)
                .collect(),
            next_cursor,
        })
    }
}

tenure_sdk::export_app_connector!(Slack);

#[cfg(test)]
mod tests;
