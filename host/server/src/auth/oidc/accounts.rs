//! Who a single sign-on is: the Tenure account linked to the provider's subject, else
//! the one with the same verified email (then linked), else a new one when
//! `create_users`. With a group mapping, the provider decides the roles on every
//! sign-in: admin on the account, champions in the catalog's lists (as Settings → Users
//! sets them).

use super::id_token::Verified;
use super::roles::{Roles, groups_of, groups_overflowed, roles_for};
use super::{Oidc, OidcError};
use crate::app::AppState;
use base64::Engine;
use tenure_domain::{Champion, UserId};
use tenure_store::{StoreError, UserRecord};

/// A login name from an email's local part: lower-case `a-z0-9._-`, at most 56
/// characters (room for a `-NN` suffix).
pub fn user_id_from_email(email: &str) -> String {
    let local = email.split('@').next().unwrap_or("");
    let mut id: String = local
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .take(56)
        .collect();
    id = id.trim_matches(['.', '-', '_']).to_string();
    if id.is_empty() { "user".into() } else { id }
}

/// A PHC string of argon2's shape that no password matches: a single sign-on account
/// has no password until an admin sets one (checking it still costs a full hash, so
/// the sign-in form does not tell such accounts apart).
fn unusable_password_hash() -> String {
    let b64 = base64::engine::general_purpose::STANDARD_NO_PAD;
    format!(
        "$argon2id$v=19$m=19456,t=2,p=1${}${}",
        b64.encode(rand::random::<[u8; 16]>()),
        b64.encode(rand::random::<[u8; 32]>())
    )
}

fn domain_of(email: &str) -> Option<String> {
    email
        .rsplit_once('@')
        .map(|(_, d)| d.to_ascii_lowercase())
        .filter(|d| !d.is_empty())
}

fn store_error(e: StoreError) -> OidcError {
    tracing::error!("single sign-on: the store failed: {e}");
    OidcError::Account("Tenure could not read or save your account; try again.".into())
}

/// Who signed in, as the rest of this module needs it.
struct Person<'a> {
    sub: &'a str,
    email: Option<String>,
    email_verified: Option<bool>,
    name: Option<String>,
}

impl Oidc {
    /// The checks that depend on the token only: the email domain and, with a group
    /// mapping, the roles (None: roles stay on the local account).
    fn admit(&self, who: &Verified) -> Result<Option<Roles>, OidcError> {
        let idp = self.display_name();
        let email = who.text("email").map(str::to_lowercase);
        let allowed = &self.config.allowed_email_domains;
        if !allowed.is_empty() {
            let domain = email.as_deref().and_then(domain_of);
            let shown = email.as_deref().unwrap_or("no email address");
            if !domain.is_some_and(|d| allowed.contains(&d)) {
                return Err(OidcError::Account(format!(
                    "your account at {idp} ({shown}) is not in an email domain that may use Tenure"
                )));
            }
            // Google: only Workspace accounts of the domain, not a consumer account
            // that happens to use a company address.
            if self.config.is_google()
                && !who
                    .text("hd")
                    .is_some_and(|hd| allowed.contains(&hd.to_ascii_lowercase()))
            {
                return Err(OidcError::Account(format!(
                    "your account at {idp} ({shown}) is not a Workspace account of an allowed domain"
                )));
            }
        }
        if !self.config.maps_groups() {
            return Ok(None);
        }
        let claim = &self.config.groups_claim;
        if groups_overflowed(&who.claims, claim) {
            return Err(OidcError::Account(format!(
                "your account at {idp} is in too many groups for the sign-in to list them; \
                 an admin can have {idp} send only the groups assigned to Tenure (or app roles)"
            )));
        }
        let roles = roles_for(&self.config, &groups_of(&who.claims, claim));
        if !roles.any() {
            return Err(OidcError::Account(format!(
                "your account at {idp} is not in any group that may use Tenure"
            )));
        }
        Ok(Some(roles))
    }

    /// Signs in the person `who` names: their account (found, linked or created), with
    /// the roles their groups give. A disabled account stays refused.
    pub async fn account_for(
        &self,
        state: &AppState,
        who: &Verified,
    ) -> Result<UserRecord, OidcError> {
        let roles = self.admit(who)?;
        let person = Person {
            sub: &who.sub,
            email: who.text("email").map(str::to_lowercase),
            email_verified: who.email_verified(),
            name: who.text("name").map(str::to_string),
        };
        let mut record = match self.find(state, &person)? {
            Some(r) => r,
            None => self.create(state, &person)?,
        };
        if record.disabled {
            return Err(OidcError::Account(
                "your Tenure account is disabled; an admin can enable it under Settings → Users"
                    .into(),
            ));
        }
        let mut changed = false;
        if record.oidc_subject.as_deref() != Some(person.sub) {
            record.oidc_subject = Some(person.sub.to_string());
            changed = true;
        }
        if let Some(roles) = roles
            && record.admin != roles.admin
        {
            if roles.admin || self.other_admins(state, &record.id)? {
                record.admin = roles.admin;
                changed = true;
            } else {
                tracing::warn!(user = %record.id, "single sign-on would take admin from the last admin: kept");
            }
        }
        if changed {
            state.store.update_user(&record).map_err(store_error)?;
        }
        if let Some(roles) = roles {
            self.place_champion(state, &record, roles).await?;
        }
        Ok(record)
    }

    /// The account linked to this subject, else the one with this verified email.
    fn find(&self, state: &AppState, p: &Person) -> Result<Option<UserRecord>, OidcError> {
        let users = state.store.users().map_err(store_error)?;
        if let Some(u) = users
            .iter()
            .find(|u| u.oidc_subject.as_deref() == Some(p.sub))
        {
            return Ok(Some(u.clone()));
        }
        let Some(email) = &p.email else {
            return Ok(None);
        };
        let same: Vec<&UserRecord> = users
            .iter()
            .filter(|u| u.email.eq_ignore_ascii_case(email))
            .collect();
        let idp = self.display_name();
        match same.as_slice() {
            [] => Ok(None),
            // Linking by email needs the provider to vouch for it.
            [_] if p.email_verified == Some(false) => Err(OidcError::Account(format!(
                "{idp} has not verified your email address {email}, so it cannot be matched \
                 to your Tenure account"
            ))),
            [u] if u.oidc_subject.is_some() => Err(OidcError::Account(format!(
                "the Tenure account for {email} is linked to another {idp} account"
            ))),
            [u] => Ok(Some((*u).clone())),
            _ => Err(OidcError::Account(format!(
                "several Tenure accounts have the email {email}; an admin must give each its own"
            ))),
        }
    }

    /// A new account for a first sign-in, named after the email.
    fn create(&self, state: &AppState, p: &Person) -> Result<UserRecord, OidcError> {
        let idp = self.display_name();
        let Some(email) = &p.email else {
            return Err(OidcError::Account(format!(
                "{idp} sent no email address for your account, so Tenure cannot create one"
            )));
        };
        if !self.config.create_users {
            return Err(OidcError::Account(format!(
                "there is no Tenure account for {email}; an admin can create one under \
                 Settings → Users"
            )));
        }
        if p.email_verified == Some(false) {
            return Err(OidcError::Account(format!(
                "{idp} has not verified your email address {email}"
            )));
        }
        let base = user_id_from_email(email);
        for n in 1..=100 {
            let id = if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            let record = UserRecord {
                id,
                name: p.name.clone().unwrap_or_else(|| email.clone()),
                email: email.clone(),
                admin: false,
                password_hash: unusable_password_hash(),
                created_at: crate::auth::session::now_secs(),
                disabled: false,
                oidc_subject: Some(p.sub.to_string()),
            };
            match state.store.create_user(&record) {
                Ok(()) => {
                    tracing::info!(user = %record.id, "account created at its first single sign-on");
                    return Ok(record);
                }
                Err(StoreError::Conflict(_)) => continue,
                Err(e) => return Err(store_error(e)),
            }
        }
        Err(OidcError::Account(format!(
            "no free user name for {email}; an admin can create the account under Settings → Users"
        )))
    }

    /// Whether an enabled admin other than `id` exists.
    fn other_admins(&self, state: &AppState, id: &str) -> Result<bool, OidcError> {
        Ok(state
            .store
            .users()
            .map_err(store_error)?
            .iter()
            .any(|u| u.admin && !u.disabled && u.id != id))
    }

    /// Puts the user in or out of the catalog's champion lists as `roles` say.
    async fn place_champion(
        &self,
        state: &AppState,
        user: &UserRecord,
        roles: Roles,
    ) -> Result<(), OidcError> {
        let _one_at_a_time = self.roles_lock.lock().await;
        let champion = Champion {
            user: UserId(user.id.clone()),
            name: user.name.clone(),
            email: user.email.clone(),
        };
        let mut catalog = state.engine.read(|k| k.catalog.clone()).await;
        let before = catalog.champions.clone();
        let place = |list: &mut Vec<Champion>, wanted: bool| {
            let at = list.iter().position(|c| c.user == champion.user);
            match (at, wanted) {
                (Some(_), true) | (None, false) => {}
                (Some(i), false) => {
                    list.remove(i);
                }
                (None, true) => list.push(champion.clone()),
            }
        };
        place(&mut catalog.champions.onboarding, roles.onboarding);
        place(&mut catalog.champions.hardware, roles.hardware);
        place(
            &mut catalog.champions.default_application,
            roles.default_application,
        );
        if catalog.champions == before {
            return Ok(());
        }
        tracing::info!(user = %user.id, ?roles, "champion roles set from the identity provider's groups");
        state
            .engine
            .set_catalog(catalog, champion.user.clone())
            .await
            .map(|_| ())
            .map_err(|e| {
                tracing::error!("single sign-on: cannot set champion roles: {e}");
                OidcError::Account("Tenure could not save your roles; try again.".into())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_names_come_from_the_email() {
        assert_eq!(user_id_from_email("Ada.Lovelace@acme.test"), "ada.lovelace");
        assert_eq!(user_id_from_email("pat+it@acme.test"), "pat-it");
        assert_eq!(user_id_from_email("-é-@acme.test"), "user");
        assert_eq!(
            user_id_from_email(&format!("{}@x", "a".repeat(80))).len(),
            56
        );
        tenure_store::check_user_id(&user_id_from_email("Zoë O'Neil@acme.test")).unwrap();
    }

    #[test]
    fn an_sso_account_has_no_password_that_matches() {
        let hash = unusable_password_hash();
        assert!(hash.starts_with("$argon2id$"));
        assert!(!crate::auth::password::verify_password("", &hash));
        assert_ne!(hash, unusable_password_hash());
    }
}
