//! The local admin socket, `<data dir>/admin.sock` (mode 0600): admin commands that
//! need the running server — the database is locked to it — reach it here. Access is
//! governed by file permissions: whoever may read the data directory is an admin.

use crate::app::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const SOCKET_NAME: &str = "admin.sock";

#[derive(Debug, Serialize, Deserialize)]
pub struct BackupRequest {
    pub path: PathBuf,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct BackupAnswer {
    pub tables: usize,
    pub rows: u64,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct AdminError {
    pub error: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct TokenCreate {
    pub name: String,
    pub role: crate::http::api::Role,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct TokenCreated {
    pub token: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct TokenRevoke {
    pub name: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct TokenRevoked {
    pub revoked: bool,
}

/// Creates and stores a token; returns it (the only time it exists in clear).
pub fn create_token(
    store: &tenure_store::Store,
    req: &TokenCreate,
) -> Result<TokenCreated, tenure_store::StoreError> {
    let token = crate::http::api::new_token();
    let created_at = time::OffsetDateTime::now_utc().unix_timestamp();
    store.put_api_token(
        &crate::http::api::hash_token(&token),
        &tenure_store::ApiTokenRecord {
            name: req.name.clone(),
            role: req.role.as_str().into(),
            created_at,
        },
    )?;
    Ok(TokenCreated { token })
}

type AdminResult<T> = Result<Json<T>, (StatusCode, Json<AdminError>)>;

fn refused(e: impl std::fmt::Display) -> (StatusCode, Json<AdminError>) {
    (
        StatusCode::BAD_REQUEST,
        Json(AdminError {
            error: e.to_string(),
        }),
    )
}

async fn tokens_create(
    State(state): State<AppState>,
    Json(req): Json<TokenCreate>,
) -> AdminResult<TokenCreated> {
    create_token(&state.store, &req).map(Json).map_err(refused)
}

async fn tokens_revoke(
    State(state): State<AppState>,
    Json(req): Json<TokenRevoke>,
) -> AdminResult<TokenRevoked> {
    state
        .store
        .revoke_api_token(&req.name)
        .map(|revoked| Json(TokenRevoked { revoked }))
        .map_err(refused)
}

/// What `tenure sync` prints: one line per HR source.
#[derive(Debug, Serialize, Deserialize)]
pub struct SyncAnswer {
    pub lines: Vec<String>,
    pub failed: bool,
}

/// Syncs every configured HR source and describes the outcome.
pub async fn sync_all(state: &AppState) -> SyncAnswer {
    let mut lines = Vec::new();
    let mut failed = false;
    if state.configured_hr_sources().is_empty() {
        return SyncAnswer {
            lines: vec![
                "no HR source is configured (set merge-hris or trinet settings first)".into(),
            ],
            failed: true,
        };
    }
    for r in state.sync_all().await {
        match r {
            Ok(r) => lines.push(format!(
                "{}: {} records in {} pages; {} created, {} changed, {} quarantined, {} tasks opened, {} emails sent",
                r.source, r.records, r.pages, r.created, r.changed, r.quarantined, r.tasks_opened, r.emails_sent
            )),
            Err(e) => {
                failed = true;
                lines.push(format!("failed: {e}"));
            }
        }
    }
    SyncAnswer { lines, failed }
}

/// What `tenure employee add` prints.
#[derive(Debug, Serialize, Deserialize)]
pub struct PreHireAdded {
    pub employee: String,
    pub summary: String,
}

/// Adds a pre-hire as the local administrator (the audit log says `cli`).
pub async fn add_pre_hire(
    state: &AppState,
    body: crate::lifecycle::NewPreHire,
) -> anyhow::Result<PreHireAdded> {
    let plan = state
        .engine
        .add_pre_hire(body, tenure_domain::UserId("cli".into()))
        .await?;
    let mut employee = String::new();
    let mut lines = Vec::new();
    for effect in &plan.effects {
        match effect {
            tenure_domain::Effect::CreateEmployee { employee: e } => {
                employee = e.id.0.clone();
                lines.push(format!(
                    "added pre-hire {} {} <{}>",
                    e.id,
                    e.name(),
                    e.profile.work_email
                ));
            }
            tenure_domain::Effect::OpenTask { task } => {
                lines.push(format!("opened {} {}", task.title(), task.id));
            }
            _ => {}
        }
    }
    Ok(PreHireAdded {
        employee,
        summary: lines.join("\n"),
    })
}

async fn employees_add(
    State(state): State<AppState>,
    Json(body): Json<crate::lifecycle::NewPreHire>,
) -> AdminResult<PreHireAdded> {
    add_pre_hire(&state, body)
        .await
        .map(Json)
        .map_err(|e| refused(format!("{e:#}")))
}

async fn sync(State(state): State<AppState>) -> Json<SyncAnswer> {
    Json(sync_all(&state).await)
}

fn router(state: AppState) -> Router {
    Router::new()
        .route("/backup", post(backup))
        .route("/sync", post(sync))
        .route("/employees", post(employees_add))
        .route("/tokens", post(tokens_create))
        .route("/tokens/revoke", post(tokens_revoke))
        .merge(crate::http::admin_plugins::router())
        .with_state(state)
}

async fn backup(
    State(state): State<AppState>,
    Json(req): Json<BackupRequest>,
) -> Result<Json<BackupAnswer>, (StatusCode, Json<AdminError>)> {
    let store = state.store.clone();
    let result = tokio::task::spawn_blocking(move || store.backup(&req.path)).await;
    match result {
        Ok(Ok(stats)) => Ok(Json(BackupAnswer {
            tables: stats.tables,
            rows: stats.rows,
        })),
        Ok(Err(e)) => Err((
            StatusCode::BAD_REQUEST,
            Json(AdminError {
                error: e.to_string(),
            }),
        )),
        Err(e) => Err((
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(AdminError {
                error: e.to_string(),
            }),
        )),
    }
}

/// Listens on the admin socket until the task is dropped.
pub fn spawn(data_dir: &Path, state: AppState) -> std::io::Result<tokio::task::JoinHandle<()>> {
    let path = data_dir.join(SOCKET_NAME);
    // A socket left by a process that died is stale; a live server holds the database
    // lock, so reaching here means no other server uses it.
    let _ = std::fs::remove_file(&path);
    let listener = tokio::net::UnixListener::bind(&path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, router(state)).await {
            tracing::error!("admin socket stopped: {e}");
        }
    }))
}
