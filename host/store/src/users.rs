//! Local user accounts and browser sessions.
//!
//! A user is keyed by its login name. The password is stored only as a PHC string (the
//! server hashes it). A session is keyed by the hex SHA-256 of its cookie token: the server
//! hashes the token, the store never sees it.

use redb::{ReadableTable, ReadableTableMetadata, WriteTransaction};
use serde::{Deserialize, Serialize};

use crate::codec::{check_part, decode_json, get_json, put_json};
use crate::tables::{SESSIONS, USERS};
use crate::{Store, StoreError};

/// The longest login name.
pub const MAX_USER_ID_LEN: usize = 64;

/// A local account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRecord {
    /// The login name: 1 to 64 of `a-z`, `0-9`, `.`, `_`, `-` (see [`check_user_id`]).
    pub id: String,
    /// The name shown to people.
    pub name: String,
    pub email: String,
    pub admin: bool,
    /// The password as a PHC string (`$argon2id$...`).
    pub password_hash: String,
    /// Unix seconds.
    pub created_at: i64,
    /// A disabled user cannot sign in.
    #[serde(default)]
    pub disabled: bool,
    /// The `sub` of this person at the single sign-on identity provider (`[oidc]`), set
    /// on their first sign-in there. None for local-only accounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oidc_subject: Option<String>,
}

/// One signed-in browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// The user's login name.
    pub user: String,
    /// The CSRF token of forms in this session.
    pub csrf: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds; the session is gone from this second on.
    pub expires_at: i64,
}

/// Refuses a login name that is not 1 to 64 of `a-z`, `0-9`, `.`, `_`, `-`.
pub fn check_user_id(id: &str) -> Result<(), StoreError> {
    let reason = if id.is_empty() {
        "it must not be empty"
    } else if id.len() > MAX_USER_ID_LEN {
        "it must be at most 64 characters"
    } else if !id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
    {
        "use only lower-case letters a-z, digits and . _ -"
    } else {
        return Ok(());
    };
    Err(StoreError::InvalidName {
        what: "user name",
        name: id.to_string(),
        reason,
    })
}

/// Inserts `user` in `txn`; refuses an id that is taken.
fn insert_new_user(txn: &WriteTransaction, user: &UserRecord) -> Result<(), StoreError> {
    let mut table = txn.open_table(USERS)?;
    if table.get(user.id.as_str())?.is_some() {
        return Err(StoreError::Conflict(format!(
            "a user named `{}` exists already",
            user.id
        )));
    }
    put_json(&mut table, &user.id, user)
}

impl Store {
    /// Creates a user; refuses an invalid login name or one that is taken.
    pub fn create_user(&self, user: &UserRecord) -> Result<(), StoreError> {
        check_user_id(&user.id)?;
        self.write(|txn| insert_new_user(txn, user))
    }

    /// Creates `user` only when there is no user at all, checked and written in one write
    /// transaction (so two first-run requests cannot both create an administrator).
    /// Returns false, and changes nothing, when a user exists already.
    pub fn create_first_admin(&self, user: &UserRecord) -> Result<bool, StoreError> {
        check_user_id(&user.id)?;
        self.write(|txn| {
            if !txn.open_table(USERS)?.is_empty()? {
                return Ok(false);
            }
            insert_new_user(txn, user)?;
            Ok(true)
        })
    }

    /// Replaces the stored record of `user.id`; a [`StoreError::Conflict`] when there is
    /// no such user.
    pub fn update_user(&self, user: &UserRecord) -> Result<(), StoreError> {
        self.write(|txn| {
            let mut table = txn.open_table(USERS)?;
            if table.get(user.id.as_str())?.is_none() {
                return Err(StoreError::Conflict(format!(
                    "there is no user named `{}`",
                    user.id
                )));
            }
            put_json(&mut table, &user.id, user)
        })
    }

    /// The user with this login name, if any.
    pub fn user(&self, id: &str) -> Result<Option<UserRecord>, StoreError> {
        self.read(|txn| get_json(&txn.open_table(USERS)?, id))
    }

    /// Every user, by login name.
    pub fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        self.read(|txn| {
            let table = txn.open_table(USERS)?;
            let mut out = Vec::new();
            // Keys are the ids, so the table's order is the order by id.
            for row in table.iter()? {
                let (k, v) = row?;
                out.push(decode_json::<UserRecord>("users", k.value(), v.value())?);
            }
            Ok(out)
        })
    }

    /// How many users there are (disabled ones included).
    pub fn user_count(&self) -> Result<u64, StoreError> {
        self.read(|txn| Ok(txn.open_table(USERS)?.len()?))
    }

    /// Stores (or replaces) the session with this token hash.
    pub fn put_session(&self, hash: &str, session: &SessionRecord) -> Result<(), StoreError> {
        check_part("session hash", hash)?;
        self.write(|txn| put_json(&mut txn.open_table(SESSIONS)?, hash, session))
    }

    /// The session with this token hash, unless there is none or it has expired
    /// (`expires_at <= now`).
    pub fn session(&self, hash: &str, now: i64) -> Result<Option<SessionRecord>, StoreError> {
        let session: Option<SessionRecord> =
            self.read(|txn| get_json(&txn.open_table(SESSIONS)?, hash))?;
        Ok(session.filter(|s| s.expires_at > now))
    }

    /// Ends the session with this token hash; false when there was none.
    pub fn delete_session(&self, hash: &str) -> Result<bool, StoreError> {
        self.write(|txn| Ok(txn.open_table(SESSIONS)?.remove(hash)?.is_some()))
    }

    /// Ends every session of `user` (signing out everywhere, a disabled user, a new
    /// password); returns how many there were.
    pub fn delete_sessions_of(&self, user: &str) -> Result<usize, StoreError> {
        self.remove_sessions(|s| s.user == user)
    }

    /// Drops every session expired at `now`; returns how many.
    pub fn purge_sessions(&self, now: i64) -> Result<usize, StoreError> {
        self.remove_sessions(|s| s.expires_at <= now)
    }

    fn remove_sessions(
        &self,
        doomed: impl Fn(&SessionRecord) -> bool,
    ) -> Result<usize, StoreError> {
        self.write(|txn| {
            let mut table = txn.open_table(SESSIONS)?;
            let mut removed = 0;
            let mut failed = None;
            table.retain(
                |k, v| match decode_json::<SessionRecord>("sessions", k, v) {
                    Ok(session) if doomed(&session) => {
                        removed += 1;
                        false
                    }
                    Ok(_) => true,
                    Err(err) => {
                        failed.get_or_insert(err);
                        true
                    }
                },
            )?;
            match failed {
                Some(err) => Err(err),
                None => Ok(removed),
            }
        })
    }
}
