//! `/api/v1/catalog` and its parts: groups (departments from HR, custom groups from
//! admins), rules, applications and champions. A `PUT` replaces that part and re-applies
//! the rules to everyone employed; the answer lists what that changed.

use super::lifecycle::{Effects, user_of};
use super::{Admin, ApiError, Caller};
use crate::app::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use std::collections::BTreeMap;
use tenure_domain::{Application, Catalog, Champions, CustomGroup, Rule};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/catalog", get(get_catalog).put(put_catalog))
        .route("/groups", get(get_groups).put(put_groups))
        .route("/rules", get(get_rules).put(put_rules))
        .route("/applications", get(get_apps).put(put_apps))
        .route("/champions", get(get_champions).put(put_champions))
}

async fn catalog(state: &AppState) -> Catalog {
    state.engine.read(|k| k.catalog.clone()).await
}

async fn replace(
    caller: &Caller,
    state: &AppState,
    edit: impl FnOnce(&mut Catalog),
) -> Result<Json<Effects>, ApiError> {
    let before = catalog(state).await;
    let mut next = before.clone();
    edit(&mut next);
    validate(&next)?;
    crate::group_check::resolve(state, &before, &mut next)
        .await
        .map_err(ApiError::BadRequest)?;
    let plan = state.engine.set_catalog(next, user_of(caller)).await?;
    Ok(Json(Effects::from(plan)))
}

/// Refuses a catalog whose references do not resolve, naming the first that does not.
pub(crate) fn validate(c: &Catalog) -> Result<(), ApiError> {
    let bad = |m: String| Err(ApiError::BadRequest(m));
    let mut ids = std::collections::BTreeSet::new();
    for app in &c.applications {
        if app.id.0.trim().is_empty() || app.name.trim().is_empty() {
            return bad("every application needs an id and a name".into());
        }
        if !ids.insert(&app.id) {
            return bad(format!("application id `{}` is used twice", app.id));
        }
    }
    let mut groups = std::collections::BTreeSet::new();
    for g in &c.custom_groups {
        if g.id.0.trim().is_empty() || g.name.trim().is_empty() {
            return bad("every custom group needs an id and a name".into());
        }
        if !groups.insert(&g.id) {
            return bad(format!("custom group id `{}` is used twice", g.id));
        }
    }
    for rule in &c.rules {
        if let tenure_domain::GroupRef::Custom(id) = &rule.group
            && !groups.contains(id)
        {
            return bad(format!(
                "a rule names custom group `{id}`, which does not exist"
            ));
        }
        if let Some(app) = rule.applications.iter().find(|a| !ids.contains(a)) {
            return bad(format!(
                "a rule grants application `{app}`, which is not in the applications"
            ));
        }
    }
    Ok(())
}

async fn get_catalog(_c: Caller, State(state): State<AppState>) -> Json<Catalog> {
    Json(catalog(&state).await)
}

async fn put_catalog(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Json(body): Json<Catalog>,
) -> Result<Json<Effects>, ApiError> {
    replace(&caller, &state, |c| *c = body).await
}

/// Departments HR uses (with how many employed people are in each) and custom groups.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Groups {
    departments: BTreeMap<String, usize>,
    custom: Vec<CustomGroup>,
}

async fn get_groups(_c: Caller, State(state): State<AppState>) -> Json<Groups> {
    let groups = state
        .engine
        .read(|k| {
            let mut departments = BTreeMap::new();
            for e in k.employees.values().filter(|e| e.is_employed()) {
                if let Some(d) = &e.profile.department {
                    *departments.entry(d.clone()).or_insert(0) += 1;
                }
            }
            Groups {
                departments,
                custom: k.catalog.custom_groups.clone(),
            }
        })
        .await;
    Json(groups)
}

/// Replaces the custom groups (departments come from HR).
async fn put_groups(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Json(body): Json<Vec<CustomGroup>>,
) -> Result<Json<Effects>, ApiError> {
    replace(&caller, &state, |c| c.custom_groups = body).await
}

async fn get_rules(_c: Caller, State(state): State<AppState>) -> Json<Vec<Rule>> {
    Json(catalog(&state).await.rules)
}

async fn put_rules(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Json(body): Json<Vec<Rule>>,
) -> Result<Json<Effects>, ApiError> {
    replace(&caller, &state, |c| c.rules = body).await
}

async fn get_apps(_c: Caller, State(state): State<AppState>) -> Json<Vec<Application>> {
    Json(catalog(&state).await.applications)
}

async fn put_apps(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Json(body): Json<Vec<Application>>,
) -> Result<Json<Effects>, ApiError> {
    replace(&caller, &state, |c| c.applications = body).await
}

async fn get_champions(_c: Caller, State(state): State<AppState>) -> Json<Champions> {
    Json(catalog(&state).await.champions)
}

async fn put_champions(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Json(body): Json<Champions>,
) -> Result<Json<Effects>, ApiError> {
    replace(&caller, &state, |c| c.champions = body).await
}
