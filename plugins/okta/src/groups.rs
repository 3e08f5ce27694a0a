//! Okta groups.
//!
//! - `GET /api/v1/groups?q=<prefix>` finds groups whose name starts with the prefix
//!   (case-insensitive); pages by `Link` with `limit` and `after`.
//! - Types: `OKTA_GROUP` (made in Okta: its members are managed here), `APP_GROUP`
//!   (imported from Active Directory, LDAP or an app: members are managed there) and
//!   `BUILT_IN` (Everyone). Only `OKTA_GROUP`s are offered and used.
//! - `GET /api/v1/users/{id}/groups`, `PUT|DELETE /api/v1/groups/{gid}/users/{uid}`
//!   (204 either way).

use serde::Deserialize;
use tenure_sdk::http::Method;
use tenure_sdk::{Error, Group, GroupPage};

use crate::api::{self, OktaApi};

/// The type of groups whose members Okta manages itself.
pub const OKTA_GROUP: &str = "OKTA_GROUP";

#[derive(Deserialize, Debug, Clone)]
pub struct OktaGroup {
    pub id: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    pub profile: GroupProfile,
}

#[derive(Deserialize, Debug, Clone)]
pub struct GroupProfile {
    #[serde(default)]
    pub name: String,
}

impl OktaGroup {
    pub fn group(&self) -> Group {
        Group {
            id: self.id.clone(),
            name: self.profile.name.clone(),
        }
    }

    fn is_managed_here(&self) -> bool {
        self.kind.is_empty() || self.kind == OKTA_GROUP
    }
}

/// The group named `name` (exact, case-insensitive), `None` when there is none.
/// Several Okta groups of that name: [`Error::Conflict`]; only an imported group of
/// that name: [`Error::InvalidInput`] (its members are managed where it comes from).
pub fn find(okta: &OktaApi, name: &str) -> Result<Option<Group>, Error> {
    let wanted = name.trim();
    let found: Vec<OktaGroup> = okta.all(|| {
        okta.request(Method::Get, "/api/v1/groups")
            .query("q", wanted)
            .query("limit", api::PAGE_SIZE)
    })?;
    let named: Vec<&OktaGroup> = found
        .iter()
        .filter(|g| g.profile.name.trim().eq_ignore_ascii_case(wanted))
        .collect();
    let managed: Vec<&&OktaGroup> = named.iter().filter(|g| g.is_managed_here()).collect();
    match (managed.as_slice(), named.first()) {
        ([one], _) => Ok(Some(one.group())),
        ([], None) => Ok(None),
        ([], Some(other)) => Err(Error::InvalidInput(format!(
            "the Okta group {} is not an Okta group but of type {}: its members are managed where it is imported from (Active Directory, LDAP or an app), not in Okta",
            other.profile.name, other.kind
        ))),
        (many, _) => Err(Error::Conflict(format!(
            "{} Okta groups are named {wanted} ({}): rename all but one, then save the rule again",
            many.len(),
            many.iter()
                .map(|g| g.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// One page of `path`'s groups from `cursor` (an `after`); with `managed_only`, the
/// Okta groups only.
pub fn page(
    okta: &OktaApi,
    path: &str,
    q: Option<&str>,
    cursor: Option<&str>,
    managed_only: bool,
) -> Result<GroupPage, Error> {
    let req = okta
        .request(Method::Get, path)
        .query_opt("q", q)
        .query("limit", api::PAGE_SIZE)
        .query_opt("after", cursor.filter(|c| !c.is_empty()));
    let (items, next_cursor): (Vec<OktaGroup>, _) = okta.page(req)?;
    let prefix = q.map(str::to_lowercase);
    let groups = items
        .iter()
        .filter(|g| !managed_only || g.is_managed_here())
        .filter(|g| {
            prefix
                .as_deref()
                .is_none_or(|p| g.profile.name.to_lowercase().starts_with(p))
        })
        .map(OktaGroup::group)
        .collect();
    Ok(GroupPage {
        groups,
        next_cursor,
    })
}
