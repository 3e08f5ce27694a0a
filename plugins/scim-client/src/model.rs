//! The parts of SCIM resources (RFC 7643) connectors read.

use serde::Deserialize;
use serde_json::Value;
use tenure_sdk::{Account, Error, Group as ContractGroup};

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const ENTERPRISE_USER_SCHEMA: &str =
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// The media type of SCIM bodies (RFC 7644 §3.1).
pub const MEDIA_TYPE: &str = "application/scim+json";

/// A user as the service returned it: the fields read, and the whole resource (for a
/// PUT that must send every attribute back).
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: String,
    pub user_name: String,
    /// Absent means active (RFC 7643 leaves it to the service; most default to true).
    pub active: bool,
    pub emails: Vec<String>,
    /// The `groups` attribute, when the service fills it in (read-only, optional).
    pub groups: Option<Vec<GroupRef>>,
    pub raw: Value,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserFields {
    id: String,
    #[serde(default)]
    user_name: String,
    active: Option<bool>,
    #[serde(default)]
    emails: Vec<MultiValue>,
    groups: Option<Vec<GroupRef>>,
}

#[derive(Deserialize)]
struct MultiValue {
    #[serde(default)]
    value: String,
}

/// A member or group reference: `{value, display}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct GroupRef {
    pub value: String,
    #[serde(default)]
    pub display: Option<String>,
}

impl User {
    /// Reads a user resource; one without an `id` is not a SCIM user.
    pub fn from_value(raw: Value) -> Result<User, Error> {
        let f: UserFields = serde_json::from_value(raw.clone()).map_err(|e| {
            Error::Other(format!(
                "the SCIM service answered a user that is not one: {}",
                tenure_sdk::http::excerpt(&e.to_string())
            ))
        })?;
        Ok(User {
            id: f.id,
            user_name: f.user_name,
            active: f.active.unwrap_or(true),
            emails: f.emails.into_iter().map(|e| e.value).collect(),
            groups: f.groups,
            raw,
        })
    }

    /// The account the host keeps: the SCIM id, the userName, active.
    pub fn account(&self) -> Account {
        Account {
            id: self.id.clone(),
            login: self.user_name.clone(),
            active: self.active,
        }
    }

    /// Whether `address` is the userName or one of the emails (case-insensitively).
    pub fn answers_to(&self, address: &str) -> bool {
        self.user_name.eq_ignore_ascii_case(address)
            || self.emails.iter().any(|e| e.eq_ignore_ascii_case(address))
    }
}

/// A group: id and display name.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub id: String,
    #[serde(default)]
    pub display_name: String,
}

impl From<Group> for ContractGroup {
    fn from(g: Group) -> ContractGroup {
        ContractGroup {
            id: g.id,
            name: g.display_name,
        }
    }
}

/// A `ListResponse` (RFC 7644 §3.4.2).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ListResponse<T> {
    #[serde(default)]
    pub total_results: u64,
    pub start_index: Option<u64>,
    #[serde(default = "Vec::new", rename = "Resources", alias = "resources")]
    pub resources: Vec<T>,
}

/// One page of a list, and where the next starts (1-based `startIndex`), if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_start: Option<u64>,
}

impl<T> ListResponse<T> {
    /// The page, with the next `startIndex` while items remain: the service's own
    /// start (or the one asked for) plus the items it gave.
    pub fn page<U>(
        self,
        asked_start: u64,
        map: impl FnMut(T) -> Result<U, Error>,
    ) -> Result<Page<U>, Error> {
        let start = self.start_index.unwrap_or(asked_start).max(1);
        let got = self.resources.len() as u64;
        let next = start + got;
        let items = self
            .resources
            .into_iter()
            .map(map)
            .collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            next_start: (got > 0 && next <= self.total_results).then_some(next),
        })
    }
}
