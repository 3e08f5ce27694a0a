//! Settings → Users: local accounts and their roles. Admin is on the account; the
//! champion roles put the user in the catalog's champion lists (who gets which tasks).

use super::settings_catalog::champions_of;
use super::{Form, Signed, forbidden, page, redirect_with, server_error};
use crate::app::AppState;
use crate::auth::password::{check_password_policy, hash_password};
use crate::auth::session::now_secs;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use tenure_domain::{Champion, Champions};
use tenure_store::UserRecord;
use tenure_web::Flash;
use tenure_web::pages::settings::users::{UserRow, users};

const HERE: &str = "/settings/users";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/settings/users", get(list).post(create))
        .route("/settings/users/{id}", post(update))
}

async fn list(signed: Signed, State(state): State<AppState>) -> Response {
    if !signed.user.admin {
        return forbidden(&signed, "managing users");
    }
    let records = match state.store.users() {
        Ok(r) => r,
        Err(e) => return server_error(&signed, e),
    };
    let (champions, apps) = state
        .engine
        .read(|k| (k.catalog.champions.clone(), k.catalog.applications.clone()))
        .await;
    let listed = |list: &[Champion], id: &str| list.iter().any(|c| c.user.0 == id);
    let rows = records
        .into_iter()
        .map(|u| UserRow {
            onboarding: listed(&champions.onboarding, &u.id),
            hardware: listed(&champions.hardware, &u.id),
            application: listed(&champions.default_application, &u.id),
            champion_of: apps
                .iter()
                .filter(|a| listed(&a.champions, &u.id))
                .map(|a| a.name.clone())
                .collect(),
            id: u.id,
            name: u.name,
            email: u.email,
            admin: u.admin,
            disabled: u.disabled,
        })
        .collect();
    page(&signed, users(&signed.chrome(), rows, None))
}

/// Puts `champion` in or out of `list` as `wanted` says.
fn place(list: &mut Vec<Champion>, champion: &Champion, wanted: bool) {
    list.retain(|c| c.user != champion.user);
    if wanted {
        list.push(champion.clone());
    }
}

/// Sets the user's champion roles in the catalog (re-applied like any catalog edit).
async fn set_roles(form: &Form, state: &AppState, user: &str) -> Result<(), String> {
    let roles = form.all("role");
    let has = |r: &str| roles.iter().any(|x| x == r);
    let champion = champions_of(state, &[user.to_string()])?.remove(0);
    let mut catalog = state.engine.read(|k| k.catalog.clone()).await;
    let before: Champions = catalog.champions.clone();
    place(
        &mut catalog.champions.onboarding,
        &champion,
        has("onboarding"),
    );
    place(&mut catalog.champions.hardware, &champion, has("hardware"));
    place(
        &mut catalog.champions.default_application,
        &champion,
        has("application"),
    );
    if catalog.champions == before {
        return Ok(());
    }
    state
        .engine
        .set_catalog(catalog, form.signed.user.user_id())
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// argon2 in one of the sign-in throttle's hashing slots, not on an async worker.
async fn hash_off_the_runtime(state: &AppState, password: &str) -> Result<String, String> {
    let password = password.to_string();
    match state
        .guards
        .sign_in
        .hash(move || hash_password(&password))
        .await
    {
        Ok(Ok(h)) => Ok(h),
        Ok(Err(e)) => Err(e.to_string()),
        Err(refusal) => Err(refusal.message()),
    }
}

async fn create(State(state): State<AppState>, form: Form) -> Response {
    if !form.signed.user.admin {
        return forbidden(&form.signed, "managing users");
    }
    let id = form.get("user").to_lowercase();
    let name = form.get("name");
    let email = form.get("email");
    let password = form.raw("password");
    if let Err(e) = tenure_store::check_user_id(&id) {
        return redirect_with(HERE, Flash::Err(e.to_string()));
    }
    if name.is_empty() || !email.contains('@') {
        return redirect_with(HERE, Flash::Err("Give a name and an email.".into()));
    }
    if let Err(e) = check_password_policy(password) {
        return redirect_with(HERE, Flash::Err(e));
    }
    let hash = match hash_off_the_runtime(&state, password).await {
        Ok(h) => h,
        Err(e) => return redirect_with(HERE, Flash::Err(e)),
    };
    let record = UserRecord {
        id: id.clone(),
        name: name.clone(),
        email,
        admin: form.all("role").iter().any(|r| r == "admin"),
        password_hash: hash,
        created_at: now_secs(),
        disabled: false,
        oidc_subject: None,
    };
    if let Err(e) = state.store.create_user(&record) {
        return redirect_with(HERE, Flash::Err(e.to_string()));
    }
    tracing::info!(user = %id, by = %form.signed.user.id, "user created");
    if let Err(e) = set_roles(&form, &state, &id).await {
        return redirect_with(
            HERE,
            Flash::Err(format!("User created, roles not set: {e}")),
        );
    }
    redirect_with(HERE, Flash::Ok(format!("{name} can sign in now.")))
}

async fn update(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    if !form.signed.user.admin {
        return forbidden(&form.signed, "managing users");
    }
    let mut record = match state.store.user(&id) {
        Ok(Some(r)) => r,
        Ok(None) => return redirect_with(HERE, Flash::Err(format!("There is no user `{id}`."))),
        Err(e) => return server_error(&form.signed, e),
    };
    let admin = form.all("role").iter().any(|r| r == "admin");
    let disabled = form.get("disabled") == "yes";
    if id == form.signed.user.id && (!admin || disabled) {
        return redirect_with(
            HERE,
            Flash::Err("You cannot take away your own admin role or disable yourself.".into()),
        );
    }
    record.admin = admin;
    record.disabled = disabled;
    let reset = Some(form.raw("new_password")).filter(|p| !p.is_empty());
    if reset.is_some() && id == form.signed.user.id {
        return redirect_with(
            HERE,
            Flash::Err(
                "Change your own password under My account, where it asks for the current one."
                    .into(),
            ),
        );
    }
    if let Some(password) = reset {
        if let Err(e) = check_password_policy(password) {
            return redirect_with(HERE, Flash::Err(e));
        }
        match hash_off_the_runtime(&state, password).await {
            Ok(h) => record.password_hash = h,
            Err(e) => return redirect_with(HERE, Flash::Err(e)),
        }
    }
    if let Err(e) = state.store.update_user(&record) {
        return server_error(&form.signed, e);
    }
    if disabled || reset.is_some() {
        let _ = state.store.delete_sessions_of(&id);
    }
    tracing::info!(user = %id, admin, disabled, password_reset = reset.is_some(), by = %form.signed.user.id, "user changed");
    if let Err(e) = set_roles(&form, &state, &id).await {
        return redirect_with(HERE, Flash::Err(e));
    }
    redirect_with(HERE, Flash::Ok(format!("{} saved.", record.name)))
}
