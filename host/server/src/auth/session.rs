//! Browser sessions: a random token in an HttpOnly cookie, its SHA-256 in the store with
//! the user, a CSRF token and an expiry. Roles: `admin` on the account; the champion
//! roles are the catalog's champion lists, so who gets tasks and who may work them can
//! never disagree.

use crate::app::AppState;
use crate::http::api::hash_token;
use base64::Engine;
use tenure_domain::{Catalog, Task, TaskKind, UserId};
use tenure_store::{SessionRecord, UserRecord};

pub const SESSION_COOKIE: &str = "tenure_session";
pub const FLASH_COOKIE: &str = "tenure_flash";
/// Sessions last a working week; signing out ends them at once.
pub const SESSION_SECS: i64 = 5 * 24 * 3600;

/// The signed-in user and what they may do.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: String,
    pub name: String,
    pub email: String,
    pub admin: bool,
    pub onboarding: bool,
    pub hardware: bool,
    pub application: bool,
    pub csrf: String,
    /// The cookie token's hash (to sign out).
    pub session: String,
}

impl CurrentUser {
    pub fn user_id(&self) -> UserId {
        UserId(self.id.clone())
    }

    pub fn is_champion(&self) -> bool {
        self.onboarding || self.hardware || self.application
    }

    /// Admins and champions see employees.
    pub fn sees_employees(&self) -> bool {
        self.admin || self.is_champion()
    }

    /// Adds pre-hires and offboards by hand.
    pub fn manages_lifecycle(&self) -> bool {
        self.admin || self.onboarding
    }

    /// Whether this user may see and work `task`: admins, its assignees, and champions
    /// of the kind the task belongs to.
    pub fn may_work(&self, task: &Task) -> bool {
        if self.admin || task.assignees.iter().any(|a| a.0 == self.id) {
            return true;
        }
        match &task.kind {
            TaskKind::CompleteItSetup { .. } => self.onboarding,
            TaskKind::OffboardEmployee { .. } => self.onboarding || self.hardware,
            TaskKind::EquipNewHire { .. } => self.hardware,
            TaskKind::GroupChange { .. } | TaskKind::ManualApp { .. } => self.application,
        }
    }

    /// Builds the user from their account and the catalog's champion lists.
    pub fn from_record(
        user: &UserRecord,
        catalog: &Catalog,
        csrf: String,
        session: String,
    ) -> Self {
        let listed = |list: &[tenure_domain::Champion]| list.iter().any(|c| c.user.0 == user.id);
        let app_champion = listed(&catalog.champions.default_application)
            || catalog.applications.iter().any(|a| listed(&a.champions));
        CurrentUser {
            id: user.id.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
            admin: user.admin,
            onboarding: listed(&catalog.champions.onboarding),
            hardware: listed(&catalog.champions.hardware),
            application: app_champion,
            csrf,
            session,
        }
    }
}

fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn now_secs() -> i64 {
    tenure_domain::jiff::Timestamp::now().as_second()
}

/// Starts a session for `user`; returns the cookie token.
pub fn start(state: &AppState, user: &str) -> Result<String, tenure_store::StoreError> {
    let token = random_token();
    let now = now_secs();
    state.store.purge_sessions(now)?;
    state.store.put_session(
        &hash_token(&token),
        &SessionRecord {
            user: user.to_string(),
            csrf: random_token(),
            created_at: now,
            expires_at: now + SESSION_SECS,
        },
    )?;
    Ok(token)
}

/// `Set-Cookie` for the session: HttpOnly, SameSite=Lax, Secure when the appliance is
/// reached over HTTPS.
pub fn session_cookie(state: &AppState, token: &str, max_age: i64) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// Constant-time comparison of two tokens.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
