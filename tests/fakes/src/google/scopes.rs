//! OAuth scopes, and which of them each method accepts (from the methods' discovery
//! documents: any one listed scope suffices).

const P: &str = "https://www.googleapis.com/auth/";

pub(crate) const USER: &str = "https://www.googleapis.com/auth/admin.directory.user";
pub(crate) const USER_READONLY: &str =
    "https://www.googleapis.com/auth/admin.directory.user.readonly";
pub(crate) const USER_SECURITY: &str =
    "https://www.googleapis.com/auth/admin.directory.user.security";
pub(crate) const GROUP: &str = "https://www.googleapis.com/auth/admin.directory.group";
pub(crate) const GROUP_READONLY: &str =
    "https://www.googleapis.com/auth/admin.directory.group.readonly";
pub(crate) const GROUP_MEMBER: &str =
    "https://www.googleapis.com/auth/admin.directory.group.member";
pub(crate) const GROUP_MEMBER_READONLY: &str =
    "https://www.googleapis.com/auth/admin.directory.group.member.readonly";
pub(crate) const DATATRANSFER: &str = "https://www.googleapis.com/auth/admin.datatransfer";
pub(crate) const DATATRANSFER_READONLY: &str =
    "https://www.googleapis.com/auth/admin.datatransfer.readonly";

/// Every scope the fake knows; domain-wide delegation grants them all by default.
pub(crate) const ALL: &[&str] = &[
    USER,
    USER_READONLY,
    USER_SECURITY,
    GROUP,
    GROUP_READONLY,
    GROUP_MEMBER,
    GROUP_MEMBER_READONLY,
    DATATRANSFER,
    DATATRANSFER_READONLY,
];

pub(crate) const USERS_READ: &[&str] = &[USER, USER_READONLY];
pub(crate) const USERS_WRITE: &[&str] = &[USER];
pub(crate) const USERS_SIGN_OUT: &[&str] = &[USER_SECURITY];
pub(crate) const GROUPS_READ: &[&str] = &[GROUP, GROUP_READONLY];
pub(crate) const MEMBERS_READ: &[&str] =
    &[GROUP, GROUP_MEMBER, GROUP_MEMBER_READONLY, GROUP_READONLY];
pub(crate) const MEMBERS_WRITE: &[&str] = &[GROUP, GROUP_MEMBER];
pub(crate) const TRANSFERS_READ: &[&str] = &[DATATRANSFER, DATATRANSFER_READONLY];
pub(crate) const TRANSFERS_WRITE: &[&str] = &[DATATRANSFER];

/// Whether a scope string is one of Google's (`https://www.googleapis.com/auth/...`).
pub(crate) fn is_google(scope: &str) -> bool {
    scope.starts_with(P)
}
