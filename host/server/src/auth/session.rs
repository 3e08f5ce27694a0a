//! Browser sessions: a random token in an HttpOnly cookie, its SHA-256 in the store with
//! the user, a CSRF token and an expiry. Roles: `admin` on the account; the champion
//! roles are the catalog's champion lists, so who gets tasks and who may work them can
//! never disagree.

use crate::app::AppState;
use crate::http::api::hash_token;
use base64::Engine;
use std::collections::BTreeSet;
use tenure_domain::{AppId, Catalog, GroupChange, Task, TaskKind, UserId};
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
    /// In the default application champions: Group Changes, and every app's manual
    /// tasks.
    pub default_application: bool,
    /// The applications they champion by name: those apps' manual tasks, and Group
    /// Changes that touch those apps only.
    pub apps: BTreeSet<AppId>,
    pub csrf: String,
    /// The cookie token's hash (to sign out).
    pub session: String,
}

impl CurrentUser {
    pub fn user_id(&self) -> UserId {
        UserId(self.id.clone())
    }

    /// A champion of any application (the default list or an app's own).
    pub fn application(&self) -> bool {
        self.default_application || !self.apps.is_empty()
    }

    pub fn is_champion(&self) -> bool {
        self.onboarding || self.hardware || self.application()
    }

    /// Whether every app a decision names is theirs to decide: admins and default
    /// application champions decide any; an app's own champion only that app.
    pub fn may_decide_apps<'a>(
        &self,
        mut apps: impl Iterator<Item = &'a AppId>,
    ) -> Result<(), AppId> {
        if self.admin || self.default_application {
            return Ok(());
        }
        match apps.find(|a| !self.apps.contains(*a)) {
            Some(a) => Err(a.clone()),
            None => Ok(()),
        }
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
    /// of the kind the task belongs to; an application's own champion only that app's.
    pub fn may_work(&self, task: &Task) -> bool {
        if self.admin || task.assignees.iter().any(|a| a.0 == self.id) {
            return true;
        }
        match &task.kind {
            TaskKind::CompleteItSetup { .. } => self.onboarding,
            TaskKind::OffboardEmployee { .. } => self.onboarding || self.hardware,
            TaskKind::EquipNewHire { .. } | TaskKind::ReceiveDevices { .. } => self.hardware,
            TaskKind::ManualApp { app_task } => {
                self.default_application || self.apps.contains(&app_task.app)
            }
            TaskKind::GroupChange { change } => {
                self.default_application
                    || (!self.apps.is_empty()
                        && apps_touched(change).all(|a| self.apps.contains(a)))
            }
        }
    }

    /// Whether they may read shipping addresses on this employee's pages: admins, and
    /// hardware champions who may work one of the employee's hardware tasks.
    pub fn sees_addresses<'a>(
        &self,
        tasks_of_employee: impl IntoIterator<Item = &'a Task>,
    ) -> bool {
        self.admin
            || (self.hardware
                && tasks_of_employee.into_iter().any(|t| {
                    matches!(
                        t.kind,
                        TaskKind::OffboardEmployee { .. }
                            | TaskKind::EquipNewHire { .. }
                            | TaskKind::ReceiveDevices { .. }
                    ) && self.may_work(t)
                }))
    }

    /// Builds the user from their account and the catalog's champion lists.
    pub fn from_record(
        user: &UserRecord,
        catalog: &Catalog,
        csrf: String,
        session: String,
    ) -> Self {
        let listed = |list: &[tenure_domain::Champion]| list.iter().any(|c| c.user.0 == user.id);
        let apps = catalog
            .applications
            .iter()
            .filter(|a| listed(&a.champions))
            .map(|a| a.id.clone())
            .collect();
        CurrentUser {
            id: user.id.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
            admin: user.admin,
            onboarding: listed(&catalog.champions.onboarding),
            hardware: listed(&catalog.champions.hardware),
            default_application: listed(&catalog.champions.default_application),
            apps,
            csrf,
            session,
        }
    }
}

/// Every application a Group Change is about: held before, granted before or after.
fn apps_touched(change: &GroupChange) -> impl Iterator<Item = &AppId> {
    change
        .held_before
        .iter()
        .chain(&change.granted_before.applications)
        .chain(&change.granted_after.applications)
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

#[cfg(test)]
mod tests {
    use super::*;
    use tenure_domain::{
        AppAction, EmployeeId, EmployeeRef, Grants, GroupChange, ManualAppTask, TaskId, TaskState,
    };

    fn user(default_application: bool, apps: &[&str]) -> CurrentUser {
        CurrentUser {
            id: "u".into(),
            name: "U".into(),
            email: "u@acme.test".into(),
            admin: false,
            onboarding: false,
            hardware: false,
            default_application,
            apps: apps.iter().map(|a| AppId(a.to_string())).collect(),
            csrf: String::new(),
            session: String::new(),
        }
    }

    fn task(kind: TaskKind) -> Task {
        Task {
            id: TaskId("T-1".into()),
            kind,
            employee: EmployeeRef {
                id: EmployeeId("E-1".into()),
                name: "Nia".into(),
            },
            assignees: vec![],
            opened_at: tenure_domain::jiff::Timestamp::UNIX_EPOCH,
            state: TaskState::Open,
            decision: None,
        }
    }

    fn manual(app: &str) -> Task {
        task(TaskKind::ManualApp {
            app_task: ManualAppTask {
                app: AppId(app.into()),
                app_name: app.into(),
                action: AppAction::Grant,
                reason: None,
                group: None,
            },
        })
    }

    fn group_change(before: &[&str], after: &[&str]) -> Task {
        let grants = |apps: &[&str]| Grants {
            applications: apps.iter().map(|a| AppId(a.to_string())).collect(),
            external_groups: Default::default(),
        };
        task(TaskKind::GroupChange {
            change: Box::new(GroupChange::new(
                vec![],
                vec![],
                grants(before),
                grants(after),
            )),
        })
    }

    #[test]
    fn an_apps_champion_works_that_apps_tasks_only() {
        let zoom = user(false, &["zoom"]);
        assert!(zoom.may_work(&manual("zoom")));
        assert!(!zoom.may_work(&manual("slack")));
        assert!(zoom.may_work(&group_change(&[], &["zoom"])));
        assert!(!zoom.may_work(&group_change(&["slack"], &["zoom"])));
        assert!(zoom.may_decide_apps([AppId("zoom".into())].iter()).is_ok());
        assert_eq!(
            zoom.may_decide_apps([AppId("slack".into())].iter()),
            Err(AppId("slack".into()))
        );
        assert!(zoom.application() && zoom.is_champion());
    }

    #[test]
    fn default_application_champions_work_every_apps_tasks() {
        let d = user(true, &[]);
        assert!(d.may_work(&manual("slack")));
        assert!(d.may_work(&group_change(&["slack"], &["zoom"])));
        assert!(d.may_decide_apps([AppId("slack".into())].iter()).is_ok());
        let nobody = user(false, &[]);
        assert!(!nobody.may_work(&manual("slack")));
        assert!(!nobody.may_work(&group_change(&[], &[])));
    }
}
