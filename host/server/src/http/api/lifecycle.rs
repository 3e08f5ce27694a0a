//! `/api/v1` for what the lifecycle leaves to review: held offboardings, quarantined HR
//! records, the audit log; and what the lifecycle routes share (paging, the acting user,
//! the answer listing a plan's effects).

use super::{Admin, ApiError, Caller};
use crate::app::AppState;
use crate::lifecycle::ActError;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tenure_domain::{AuditEntry, Effect, HeldOffboardings, HoldId, Plan, Quarantine, UserId};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/holds", get(holds))
        .route("/holds/{id}/{decision}", post(decide_hold))
        .route("/quarantine", get(quarantine))
        .route("/audit", get(audit))
}

/// `?offset=&limit=` (limit 50 by default, at most 500). Each list's query struct
/// carries the two fields itself: `serde(flatten)` cannot read numbers from a query
/// string.
#[derive(Debug, Default)]
pub struct PageQuery {
    offset: usize,
    limit: Option<usize>,
}

const MAX_LIMIT: usize = 500;

/// One page of a list, with how many items the whole list has.
#[derive(Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "{T}Page")]
pub struct Page<T> {
    pub total: usize,
    pub offset: usize,
    pub items: Vec<T>,
}

impl PageQuery {
    pub fn new(offset: usize, limit: Option<usize>) -> Self {
        PageQuery { offset, limit }
    }

    /// The page of an index that pages itself (skip, take).
    pub fn bounds(&self) -> (usize, usize) {
        (self.offset, self.limit.unwrap_or(50).min(MAX_LIMIT))
    }

    /// Counts `all` and clones only the requested page of it.
    pub fn take<'a, T: Clone + 'a>(&self, all: impl Iterator<Item = &'a T>) -> Page<T> {
        let limit = self.limit.unwrap_or(50).min(MAX_LIMIT);
        let mut total = 0;
        let mut items = Vec::new();
        for item in all {
            if total >= self.offset && items.len() < limit {
                items.push(item.clone());
            }
            total += 1;
        }
        Page {
            total,
            offset: self.offset,
            items,
        }
    }
}

/// What an action did: the effects of its plan.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Effects {
    pub effects: Vec<Effect>,
}

impl From<Plan> for Effects {
    fn from(plan: Plan) -> Self {
        Effects {
            effects: plan.effects,
        }
    }
}

/// The user an API token acts as, in the audit log.
pub fn user_of(caller: &Caller) -> UserId {
    UserId(format!("token:{}", caller.name))
}

impl From<ActError> for ApiError {
    fn from(e: ActError) -> Self {
        match e {
            ActError::Refused(m) => ApiError::BadRequest(m),
            ActError::Store(m) => ApiError::Internal(m),
        }
    }
}

async fn quarantine(_caller: Caller, State(state): State<AppState>) -> Json<Vec<Quarantine>> {
    Json(state.engine.read(|k| k.quarantine.clone()).await)
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct AuditQuery {
    limit: Option<usize>,
}

/// Newest first.
async fn audit(
    _caller: Caller,
    State(state): State<AppState>,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    Ok(Json(
        state.store.audit_log(q.limit.unwrap_or(100).min(1000))?,
    ))
}

async fn holds(_caller: Caller, State(state): State<AppState>) -> Json<Vec<HeldOffboardings>> {
    Json(
        state
            .engine
            .read(|k| k.holds.values().cloned().collect())
            .await,
    )
}

async fn decide_hold(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Path((id, decision)): Path<(String, String)>,
) -> Result<Json<Effects>, ApiError> {
    let by = user_of(&caller);
    let hold = HoldId(id);
    let plan = match decision.as_str() {
        "approve" => {
            state
                .engine
                .act(|k, ctx| tenure_domain::approve_held(k, &hold, &by, ctx))
                .await?
        }
        "reject" => {
            state
                .engine
                .act(|k, ctx| tenure_domain::reject_held(k, &hold, &by, ctx))
                .await?
        }
        other => {
            return Err(ApiError::NotFound(format!(
                "`{other}`: a hold is approved or rejected"
            )));
        }
    };
    Ok(Json(Effects::from(plan)))
}

impl From<tenure_domain::hardware::AssetError> for ApiError {
    fn from(e: tenure_domain::hardware::AssetError) -> Self {
        use tenure_domain::hardware::AssetError;
        match e {
            AssetError::NotFound(_) => ApiError::NotFound(e.to_string()),
            AssetError::DuplicateSerial(..) | AssetError::DuplicateTag(..) => {
                ApiError::Conflict(e.to_string())
            }
            other => ApiError::BadRequest(other.to_string()),
        }
    }
}
