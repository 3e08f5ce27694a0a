//! `/api/v1/plugins`: the installed plugins, their settings (secrets write-only) and a
//! connection test.

use super::{Admin, ApiError, Caller};
use crate::app::AppState;
use crate::plugins::is_configured;
use axum::extract::{Path, State};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use tenure_runtime::{Plugin, SettingKind, World};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plugins", get(list))
        .route("/plugins/{id}", get(one))
        .route("/plugins/{id}/settings", put(update_settings))
        .route("/plugins/{id}/test", post(test))
        .route("/plugins/{id}/groups", get(list_groups))
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct SettingView {
    key: String,
    label: String,
    kind: SettingKind,
    required: bool,
    help: Option<String>,
    default: Option<String>,
    /// The current value; always null for secrets and signing keys.
    value: Option<String>,
    /// Whether a value is set (for secrets and signing keys, the only thing ever shown).
    is_set: bool,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct PluginView {
    id: String,
    name: String,
    version: String,
    world: World,
    description: Option<String>,
    allowed_hosts: Vec<String>,
    contract_version: String,
    configured: bool,
    settings: Vec<SettingView>,
    /// `bundled` or `installed`.
    origin: String,
    /// The trusted publisher that signed it; null when unsigned (`[plugins]
    /// allow_unsigned`).
    publisher: Option<String>,
}

fn find(state: &AppState, id: &str) -> Result<Arc<Plugin>, ApiError> {
    state
        .plugins
        .get(id)
        .ok_or_else(|| ApiError::NotFound(format!("no plugin `{id}` is installed")))
}

fn view(state: &AppState, p: &Plugin) -> Result<PluginView, ApiError> {
    let m = p.manifest();
    let secrets = state.store.secret_names(&m.id)?;
    let mut settings = Vec::new();
    for s in &m.settings {
        let (value, is_set) = if s.kind.is_secret() {
            (None, secrets.contains(&s.key))
        } else {
            let v = state.store.setting(&m.id, &s.key)?;
            let set = v.is_some();
            (v, set)
        };
        settings.push(SettingView {
            key: s.key.clone(),
            label: s.label.clone(),
            kind: s.kind,
            required: s.required,
            help: s.help.clone(),
            default: s.default.clone(),
            value,
            is_set,
        });
    }
    Ok(PluginView {
        id: m.id.clone(),
        name: m.name.clone(),
        version: m.version.clone(),
        world: m.world,
        description: m.description.clone(),
        allowed_hosts: m.allowed_hosts.clone(),
        contract_version: p.contract_version().to_string(),
        configured: is_configured(&state.store, m)
            .map_err(|e| ApiError::Internal(e.to_string()))?,
        settings,
        origin: match state.plugins.entry(&m.id).map(|e| e.origin) {
            Some(crate::plugins::Origin::Installed(_)) => "installed".into(),
            _ => "bundled".into(),
        },
        publisher: state
            .plugins
            .entry(&m.id)
            .and_then(|e| e.signed.publisher().map(str::to_string)),
    })
}

async fn list(
    _caller: Caller,
    State(state): State<AppState>,
) -> Result<Json<Vec<PluginView>>, ApiError> {
    let views = state
        .plugins
        .loaded()
        .iter()
        .map(|p| view(&state, p))
        .collect::<Result<_, _>>()?;
    Ok(Json(views))
}

async fn one(
    _caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PluginView>, ApiError> {
    let p = find(&state, &id)?;
    Ok(Json(view(&state, &p)?))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsUpdate {
    /// Setting key → new value. For a secret or a signing key, an empty string removes it.
    settings: BTreeMap<String, String>,
}

async fn update_settings(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(update): Json<SettingsUpdate>,
) -> Result<Json<PluginView>, ApiError> {
    let p = find(&state, &id)?;
    let m = p.manifest();
    crate::secret_binding::check_update(&state.store, m, &update.settings)
        .map_err(ApiError::BadRequest)?;
    crate::plugins::save_settings(
        &state.store,
        m,
        &update.settings,
        crate::plugins::BlankSecret::Delete,
    )
    .map_err(ApiError::BadRequest)?;
    tracing::info!(plugin = %id, by = %caller.name, keys = ?update.settings.keys().collect::<Vec<_>>(), "settings changed");
    state.engine.jobs_queued().notify_one();
    Ok(Json(view(&state, &p)?))
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct TestResult {
    ok: bool,
    error: Option<String>,
}

/// Makes the plugin call out with its credentials: admins only.
async fn test(
    _admin: Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<TestResult>, ApiError> {
    let p = find(&state, &id)?;
    Ok(Json(match p.test_connection().await {
        Ok(()) => TestResult {
            ok: true,
            error: None,
        },
        Err(e) => TestResult {
            ok: false,
            error: Some(e.to_string()),
        },
    }))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct GroupQuery {
    #[serde(default)]
    prefix: String,
}

/// The first page of a connector's groups whose name starts with `prefix`, for a
/// group picker (admins: it reads the directory). 400 when the connector cannot be
/// asked or cannot list.
async fn list_groups(
    Admin(_caller): Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<GroupQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    if q.prefix.len() > 200 {
        return Err(ApiError::BadRequest("the prefix is too long".into()));
    }
    let groups = crate::group_check::pick(&state, &id, &q.prefix)
        .await
        .map_err(ApiError::BadRequest)?;
    let groups: Vec<serde_json::Value> = groups
        .into_iter()
        .map(|g| serde_json::json!({"id": g.id, "name": g.name}))
        .collect();
    Ok(Json(serde_json::json!({ "groups": groups })))
}
