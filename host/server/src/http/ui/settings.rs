//! Settings (admins only): integrations with forms from each plugin's manifest, the
//! connection test, sync with its progress and runs, quarantine, the audit log and the
//! appliance's status.

use super::{Form, Signed, forbidden, not_found, page, redirect_with};
use crate::app::AppState;
use crate::plugins::{BlankSecret, is_configured, save_settings};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tenure_runtime::{Plugin, SettingKind};
use tenure_store::SyncRun;
use tenure_web::Flash;
use tenure_web::pages::settings::integrations::{Integration, RunRow, SettingField, TestOutcome};
use tenure_web::pages::settings::{integrations, records};

/// A connection test slower than this is reported as such rather than holding the page.
const CHECK_TIMEOUT: Duration = Duration::from_secs(5);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/settings", get(overview))
        .route("/settings/integrations/{id}", get(plugin_page).post(save))
        .route("/settings/integrations/{id}/test", post(test))
        .route("/settings/sync", get(sync_page).post(start_sync))
        .route("/settings/quarantine", get(quarantine))
        .route("/holds", get(holds))
        .route("/holds/{id}", get(holds))
        .route("/holds/{id}/approve", post(approve))
        .route("/holds/{id}/reject", post(reject))
        .route("/settings/audit", get(audit))
        .route("/settings/status", get(status))
}

fn integration(state: &AppState, p: &Plugin) -> Integration {
    let m = p.manifest();
    let secrets = state.store.secret_names(&m.id).unwrap_or_default();
    let fields = m
        .settings
        .iter()
        .map(|s| {
            let secret = s.kind.is_secret();
            let value = if secret {
                None
            } else {
                state.store.setting(&m.id, &s.key).ok().flatten()
            };
            SettingField {
                key: s.key.clone(),
                label: s.label.clone(),
                kind: match s.kind {
                    SettingKind::Secret => "secret",
                    SettingKind::SigningKey => "signing-key",
                    SettingKind::Url => "url",
                    _ => "text",
                },
                required: s.required,
                help: s.help.clone(),
                is_set: if secret {
                    secrets.contains(&s.key)
                } else {
                    value.is_some()
                },
                value: value.or_else(|| s.default.clone()).unwrap_or_default(),
            }
        })
        .collect();
    Integration {
        id: m.id.clone(),
        name: m.name.clone(),
        description: m.description.clone(),
        world: m.world.to_string(),
        configured: is_configured(&state.store, m).unwrap_or(false),
        allowed_hosts: m.allowed_hosts.clone(),
        fields,
    }
}

#[derive(serde::Deserialize)]
struct FirstRun {
    first: Option<String>,
}

async fn overview(
    signed: Signed,
    State(state): State<AppState>,
    Query(q): Query<FirstRun>,
) -> Response {
    if !signed.user.admin {
        return forbidden(&signed, "changing settings");
    }
    let mut plugins: Vec<Integration> = state
        .plugins
        .loaded()
        .iter()
        .map(|p| integration(&state, p))
        .collect();
    plugins.sort_by(|a, b| a.name.cmp(&b.name));
    let first = q.first.is_some() || state.configured_hr_sources().is_empty();
    let parked = state.store.parked().unwrap_or_default();
    page(
        &signed,
        integrations::overview(&signed.chrome(), plugins, first, &parked),
    )
}

fn find(state: &AppState, id: &str) -> Option<Arc<Plugin>> {
    state.plugins.get(id)
}

async fn plugin_page(
    signed: Signed,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    if !signed.user.admin {
        return forbidden(&signed, "changing settings");
    }
    let Some(p) = find(&state, &id) else {
        return not_found(&signed, &format!("No plugin `{id}` is installed."));
    };
    page(
        &signed,
        integrations::form(&signed.chrome(), integration(&state, &p), None, None),
    )
}

async fn save(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    let signed = &form.signed;
    if !signed.user.admin {
        return forbidden(signed, "changing settings");
    }
    let Some(p) = find(&state, &id) else {
        return not_found(signed, &format!("No plugin `{id}` is installed."));
    };
    let update: BTreeMap<String, String> = form
        .prefixed("setting.")
        .map(|(k, v)| (k.to_string(), v.trim().to_string()))
        .collect();
    let to = format!("/settings/integrations/{id}");
    if let Err(e) = crate::secret_binding::check_update(&state.store, p.manifest(), &update) {
        return redirect_with(&to, Flash::Err(e));
    }
    match save_settings(&state.store, p.manifest(), &update, BlankSecret::Keep) {
        Ok(()) => {
            let keys: Vec<&String> = update.keys().collect();
            tracing::info!(plugin = %id, by = %signed.user.id, ?keys, "settings changed");
            state.engine.jobs_queued().notify_one();
            redirect_with(&to, Flash::Ok("Settings saved.".into()))
        }
        Err(e) => redirect_with(&to, Flash::Err(e)),
    }
}

async fn test(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    let signed = &form.signed;
    if !signed.user.admin {
        return forbidden(signed, "testing connections");
    }
    let Some(p) = find(&state, &id) else {
        return not_found(signed, &format!("No plugin `{id}` is installed."));
    };
    let outcome = match tokio::time::timeout(CHECK_TIMEOUT, p.test_connection()).await {
        Ok(Ok(())) => TestOutcome::Passed,
        Ok(Err(e)) => TestOutcome::Failed(e.to_string()),
        Err(_) => TestOutcome::Failed(format!("no answer within {} s", CHECK_TIMEOUT.as_secs())),
    };
    page(
        signed,
        integrations::form(
            &signed.chrome(),
            integration(&state, &p),
            Some(outcome),
            None,
        ),
    )
}

fn row(r: SyncRun) -> RunRow {
    RunRow {
        source: r.source,
        mode: r.mode,
        started: r.started,
        finished: r.finished,
        pages: r.pages as u64,
        records: r.records as u64,
        created: r.created as u64,
        changed: r.changed as u64,
        quarantined: r.quarantined as u64,
        tasks_opened: r.tasks_opened as u64,
        error: r.error,
    }
}

async fn sync_page(signed: Signed, State(state): State<AppState>) -> Response {
    if !signed.user.admin {
        return forbidden(&signed, "seeing sync runs");
    }
    let running = state.engine.running().into_iter().map(row).collect();
    let store = state.store.clone();
    let runs = tokio::task::spawn_blocking(move || store.sync_runs(None, 50))
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default()
        .into_iter()
        .map(row)
        .collect();
    let sources = state
        .configured_hr_sources()
        .iter()
        .map(|p| p.id().to_string())
        .collect();
    page(
        &signed,
        integrations::sync_page(&signed.chrome(), running, runs, sources),
    )
}

async fn start_sync(State(state): State<AppState>, form: Form) -> Response {
    if !form.signed.user.admin {
        return forbidden(&form.signed, "starting a sync");
    }
    if state.configured_hr_sources().is_empty() {
        return redirect_with(
            "/settings",
            Flash::Err("No HR source is configured yet.".into()),
        );
    }
    tracing::info!(by = %form.signed.user.id, "sync started from the web UI");
    let background = state.clone();
    tokio::spawn(async move {
        background.sync_all().await;
    });
    // Give the run a moment to register so the page shows it running.
    for _ in 0..20 {
        if !state.engine.running().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    redirect_with("/settings/sync", Flash::Ok("Sync started.".into()))
}

async fn quarantine(signed: Signed, State(state): State<AppState>) -> Response {
    if !signed.user.admin {
        return forbidden(&signed, "seeing quarantined records");
    }
    let records = state.engine.read(|k| k.quarantine.clone()).await;
    page(&signed, records::quarantine(&signed.chrome(), records))
}

/// Every hold, open ones first, newest first; `/holds/<id>` (the email's link) too.
async fn holds(signed: Signed, State(state): State<AppState>) -> Response {
    if !signed.user.admin {
        return forbidden(&signed, "deciding on held offboardings");
    }
    let mut all: Vec<_> = state
        .engine
        .read(|k| k.holds.values().cloned().collect())
        .await;
    all.sort_by(|a: &tenure_domain::HeldOffboardings, b| {
        (a.resolution.is_some(), std::cmp::Reverse(a.at))
            .cmp(&(b.resolution.is_some(), std::cmp::Reverse(b.at)))
    });
    page(&signed, records::holds(&signed.chrome(), all))
}

async fn resolve(state: &AppState, id: String, form: &Form, approve: bool) -> Response {
    if !form.signed.user.admin {
        return forbidden(&form.signed, "deciding on held offboardings");
    }
    let hold = tenure_domain::HoldId(id);
    let by = form.signed.user.user_id();
    let result = state
        .engine
        .act(|k, ctx| {
            if approve {
                tenure_domain::approve_held(k, &hold, &by, ctx)
            } else {
                tenure_domain::reject_held(k, &hold, &by, ctx)
            }
        })
        .await;
    match result {
        Ok(plan) if approve => redirect_with(
            "/holds",
            Flash::Ok(format!(
                "Approved: {} offboardings opened.",
                plan.tasks()
                    .filter(|t| t.kind_name() == "offboard_employee")
                    .count()
            )),
        ),
        Ok(_) => redirect_with(
            "/holds",
            Flash::Ok("Rejected: nobody is offboarded.".into()),
        ),
        Err(e) => redirect_with("/holds", Flash::Err(e.to_string())),
    }
}

async fn approve(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    resolve(&state, id, &form, true).await
}

async fn reject(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    resolve(&state, id, &form, false).await
}

async fn audit(signed: Signed, State(state): State<AppState>) -> Response {
    if !signed.user.admin {
        return forbidden(&signed, "reading the audit log");
    }
    let store = state.store.clone();
    let entries = tokio::task::spawn_blocking(move || store.audit_log(500))
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    page(&signed, records::audit(&signed.chrome(), entries))
}

async fn status(signed: Signed, State(state): State<AppState>) -> Response {
    if !signed.user.admin {
        return forbidden(&signed, "seeing the status");
    }
    let page_data = super::status::collect(&state).await;
    page(
        &signed,
        tenure_web::render_status(&signed.chrome(), page_data),
    )
}
