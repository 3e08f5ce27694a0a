//! A SCIM 2.0 client (RFC 7643 resources, RFC 7644 protocol) over the Tenure guest
//! SDK's HTTP, for connectors of applications that provision accounts through SCIM.
//!
//! ```ignore
//! let scim = Scim::new(&settings::required_config("base_url")?, &settings::required_secret("token")?);
//! let (user, created) = scim.create_or_find("ada@example.com", &body)?;
//! scim.add_member(&group.id, &user.id)?;
//! scim.set_active(&user.id, false)?;
//! ```
//!
//! Every call is safe to repeat: a create that meets `409 uniqueness` finds the user,
//! adding a member twice and removing a non-member succeed, and deleting a user that
//! is gone succeeds. Errors follow [`errors::to_error`]. Bodies are sent as
//! `application/scim+json`; every list is read a bounded number of pages.

mod client;
pub mod errors;
pub mod filter;
mod groups;
mod model;
mod users;

pub use client::Scim;
pub use model::{
    ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, Group, GroupRef, MEDIA_TYPE, PATCH_SCHEMA, Page,
    USER_SCHEMA, User,
};
pub use users::user_body;

/// Items asked for per page (`count`). Services may give fewer.
pub const PAGE_SIZE: u64 = 100;
/// Pages read at most when one list is walked whole.
pub const MAX_PAGES: usize = 50;

#[cfg(test)]
mod tests;
