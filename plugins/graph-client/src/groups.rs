//! Group membership in Microsoft Entra ID through Graph, as Tenure's rules use it: find a
//! group by its display name, list a user's groups, add and remove a member, and page
//! through the groups for the administrator's picker.
//!
//! - `GET /groups?$filter=displayName eq '...'` (case-insensitive), `GET
//!   /groups?$filter=startswith(displayName,'...')&$top=n`, `GET /groups/{id}`.
//! - `GET /users/{id}/memberOf/microsoft.graph.group` (the OData cast leaves out
//!   directory roles and administrative units).
//! - `POST /groups/{id}/members/$ref` `{"@odata.id": ".../directoryObjects/{userId}"}`
//!   → 204; already a member → 400 "One or more added object references already exist
//!   for the following modified properties: 'members'."; a user or group that is gone
//!   → 404.
//! - `DELETE /groups/{id}/members/{userId}/$ref` → 204; not a member → 404.
//! - Graph manages the members of security groups and Microsoft 365 groups with assigned
//!   membership only. A dynamic group (`groupTypes` has `DynamicMembership`) takes its
//!   members from its `membershipRule`; distribution lists and mail-enabled security
//!   groups are managed in Exchange Online; a role-assignable group needs
//!   RoleManagement.ReadWrite.Directory as well. Graph refuses changes to them with 400
//!   (or 403, depending on the case); the connector then reads the group and says which
//!   it is, as [`Error::Unsupported`] (a person handles that group), rather than as a
//!   credential problem that would park the whole connector.

use serde::Deserialize;
use serde_json::json;
use tenure_sdk::http::{self, Method, Response};
use tenure_sdk::{Error, Group, GroupPage, log};

use crate::client::{Graph, List, error, literal, user_path};

/// The application permission that lists groups and changes their members.
pub const GROUP_MEMBERS: &str = "GroupMember.ReadWrite.All";

/// What the connector reads of a group: enough to tell whether Graph can change its
/// members.
const GROUP_SELECT: &str =
    "id,displayName,groupTypes,mailEnabled,securityEnabled,membershipRule,isAssignableToRole";

/// Pages of groups `find_group` reads for one display name (several groups of one name
/// fit in the first).
const MAX_FIND_PAGES: usize = 5;

/// Groups per page of the picker.
const PICKER_PAGE_SIZE: &str = "100";

/// A group as Graph describes it (`$select`ed with [`GROUP_SELECT`]), or an item of
/// `memberOf`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryGroup {
    pub id: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub group_types: Vec<String>,
    #[serde(default)]
    pub mail_enabled: Option<bool>,
    #[serde(default)]
    pub security_enabled: Option<bool>,
    #[serde(default)]
    pub membership_rule: Option<String>,
    #[serde(default)]
    pub is_assignable_to_role: Option<bool>,
    #[serde(rename = "@odata.type", default)]
    pub odata_type: Option<String>,
}

impl DirectoryGroup {
    fn name(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.id)
    }

    fn has_type(&self, t: &str) -> bool {
        self.group_types.iter().any(|g| g.eq_ignore_ascii_case(t))
    }

    /// Members come from a membership rule, never from requests.
    pub fn is_dynamic(&self) -> bool {
        self.has_type("DynamicMembership")
    }

    /// A distribution list or a mail-enabled security group: Exchange Online owns its
    /// members (a Microsoft 365 group is mail-enabled too, but Graph manages it).
    pub fn is_exchange_managed(&self) -> bool {
        self.mail_enabled == Some(true) && !self.has_type("Unified")
    }

    /// Why Graph cannot change this group's members, in words for the administrator;
    /// `None` when it can.
    pub fn refusal(&self) -> Option<String> {
        let name = http::excerpt(self.name());
        if self.is_dynamic() {
            let rule = self
                .membership_rule
                .as_deref()
                .map(|r| format!(" (rule: {})", http::excerpt(r)))
                .unwrap_or_default();
            return Some(format!(
                "the group `{name}` is dynamic: its members follow its membership rule{rule}, so nobody can be added or removed by hand; change the rule, or grant an assigned group instead"
            ));
        }
        if self.is_exchange_managed() {
            return Some(format!(
                "the group `{name}` is a distribution list or mail-enabled security group, whose members are managed in Exchange Online, not through Microsoft Graph; grant a security group or Microsoft 365 group instead"
            ));
        }
        None
    }

    /// Whether this `memberOf` item is a group (items without a type are, after the
    /// OData cast).
    fn is_group(&self) -> bool {
        self.odata_type
            .as_deref()
            .is_none_or(|t| t.eq_ignore_ascii_case("#microsoft.graph.group"))
    }

    fn into_group(self) -> Group {
        Group {
            name: self.display_name.unwrap_or_default(),
            id: self.id,
        }
    }
}

/// The group named `name` (Graph compares display names case-insensitively). Several of
/// that name: the one whose name matches exactly, else [`Error::Conflict`] with how
/// many. A group whose members Graph cannot change: [`Error::Unsupported`] saying why,
/// so that a rule granting it is refused when it is saved.
pub fn find_group(g: &Graph, name: &str) -> Result<Option<Group>, Error> {
    let found: Vec<DirectoryGroup> = g.all(
        g.request(Method::Get, "/groups")
            .query("$filter", &format!("displayName eq {}", literal(name)))
            .query("$select", GROUP_SELECT),
        GROUP_MEMBERS,
        MAX_FIND_PAGES,
    )?;
    let chosen = match found.len() {
        0 => return Ok(None),
        1 => found.into_iter().next(),
        n => {
            let mut exact: Vec<DirectoryGroup> = found
                .into_iter()
                .filter(|o| o.display_name.as_deref() == Some(name))
                .collect();
            if exact.len() != 1 {
                return Err(Error::Conflict(format!(
                    "{n} groups in Microsoft Entra ID are named `{}`: rename all but one, then save the rule again",
                    http::excerpt(name)
                )));
            }
            exact.pop()
        }
    };
    let Some(group) = chosen else {
        return Ok(None);
    };
    if let Some(why) = group.refusal() {
        return Err(Error::Unsupported(why));
    }
    Ok(Some(group.into_group()))
}

/// One page of the user's direct group memberships (`memberOf`, cast to groups). The
/// cursor is Graph's `@odata.nextLink`, followed only on this Graph. `needs` names the
/// permission a 403 is about.
pub fn list_memberships(
    g: &Graph,
    account_id: &str,
    cursor: Option<String>,
    needs: &str,
) -> Result<GroupPage, Error> {
    let req = match cursor.filter(|c| !c.is_empty()) {
        Some(link) => g.cursor(&link)?,
        None => g
            .request(
                Method::Get,
                &format!("{}/memberOf/microsoft.graph.group", user_path(account_id)),
            )
            .query("$select", "id,displayName")
            .query("$top", "999"),
    };
    let page: List<DirectoryGroup> = g.send(req, needs)?.json()?;
    let next_cursor = g.next(page.next_link)?;
    let groups = page
        .value
        .into_iter()
        .filter(DirectoryGroup::is_group)
        .map(DirectoryGroup::into_group)
        .collect();
    Ok(GroupPage {
        groups,
        next_cursor,
    })
}

/// One page of the groups whose display name starts with `prefix` (case-insensitive;
/// all groups without one), for the administrator's picker; groups whose members Graph
/// cannot change are left out. The cursor is Graph's `@odata.nextLink`.
pub fn list_groups(
    g: &Graph,
    prefix: Option<String>,
    cursor: Option<String>,
) -> Result<GroupPage, Error> {
    let req = match cursor.filter(|c| !c.is_empty()) {
        Some(link) => g.cursor(&link)?,
        None => {
            let prefix = prefix.as_deref().map(str::trim).filter(|p| !p.is_empty());
            g.request(Method::Get, "/groups")
                .query_opt(
                    "$filter",
                    prefix
                        .map(|p| format!("startswith(displayName,{})", literal(p)))
                        .as_deref(),
                )
                .query("$select", GROUP_SELECT)
                .query("$top", PICKER_PAGE_SIZE)
        }
    };
    let page: List<DirectoryGroup> = g.send(req, GROUP_MEMBERS)?.json()?;
    let next_cursor = g.next(page.next_link)?;
    let groups = page
        .value
        .into_iter()
        .filter(|o| o.refusal().is_none())
        .map(DirectoryGroup::into_group)
        .collect();
    Ok(GroupPage {
        groups,
        next_cursor,
    })
}

fn members_ref(group_id: &str) -> String {
    format!("/groups/{}/members/$ref", http::encode_component(group_id))
}

/// Adds the user to the group; already a member is success.
pub fn add_member(g: &Graph, account_id: &str, group_id: &str) -> Result<(), Error> {
    let resp = g.send_raw(
        g.request(Method::Post, &members_ref(group_id))
            .json(&json!({ "@odata.id": g.reference("directoryObjects", account_id) }))?,
    )?;
    if resp.is_success() {
        return Ok(());
    }
    if resp.status == 400 && resp.detail().contains("already exist") {
        log::info(&format!("{account_id} is a member of {group_id} already"));
        return Ok(());
    }
    Err(refused(g, group_id, &resp))
}

/// Removes the user from the group; not a member (404) is success.
pub fn remove_member(g: &Graph, account_id: &str, group_id: &str) -> Result<(), Error> {
    let resp = g.send_raw(g.request(
        Method::Delete,
        &format!(
            "/groups/{}/members/{}/$ref",
            http::encode_component(group_id),
            http::encode_component(account_id)
        ),
    ))?;
    if resp.is_success() || resp.status == 404 {
        return Ok(());
    }
    Err(refused(g, group_id, &resp))
}

/// The error for a refused membership change. A 400 or 403 may be the group's kind
/// rather than the request or the credentials: the group is read to tell.
fn refused(g: &Graph, group_id: &str, resp: &Response) -> Error {
    if matches!(resp.status, 400 | 403)
        && let Ok(Some(group)) = group(g, group_id)
    {
        if let Some(why) = group.refusal() {
            return Error::Unsupported(why);
        }
        if resp.status == 403 && group.is_assignable_to_role == Some(true) {
            return Error::Unsupported(format!(
                "the group `{}` can be assigned Entra roles: changing its members also needs the application permission RoleManagement.ReadWrite.Directory, which this connector does not ask for; change it by hand ({})",
                http::excerpt(group.name()),
                resp.detail()
            ));
        }
    }
    error(resp, GROUP_MEMBERS)
}

/// The group with this id, `None` when it is gone.
fn group(g: &Graph, group_id: &str) -> Result<Option<DirectoryGroup>, Error> {
    let resp = g.send_raw(
        g.request(
            Method::Get,
            &format!("/groups/{}", http::encode_component(group_id)),
        )
        .query("$select", GROUP_SELECT),
    )?;
    match resp.status {
        404 => Ok(None),
        s if (200..300).contains(&s) => resp.json().map(Some),
        _ => Err(error(&resp, GROUP_MEMBERS)),
    }
}
