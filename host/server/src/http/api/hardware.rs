//! `/api/v1/assets`, `/api/v1/returns`, `/api/v1/hardware/settings` and
//! `/api/v1/employees/{id}/hardware`: the company's devices, their returns and MDM
//! commands. Administrators only: returns carry home addresses.

use super::lifecycle::user_of;
use super::{Admin, ApiError};
use crate::app::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use tenure_domain::hardware::plan::{AssetChange, add_assets, change_asset};
use tenure_domain::hardware::{AssetFilter, AssetState, HardwareSettings, NewAsset, parse_csv};
use tenure_domain::{Actor, AssetId, EmployeeId, ShipmentId};

/// Most assets one list answers.
const MAX_LIST: usize = 1000;
/// Largest CSV accepted (bytes).
pub const MAX_CSV: usize = 2 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hardware/settings", get(settings).put(put_settings))
        .route("/assets", get(list).post(create))
        .route("/assets/import", post(import))
        .route("/assets/import-mdm", post(import_mdm))
        .route("/assets/{id}", get(one))
        .route("/assets/{id}/actions", post(act))
        .route("/returns/{id}/void", post(void))
        .route("/returns/{id}/rebook", post(rebook))
        .route("/employees/{id}/hardware", get(of_employee))
        .route("/orders", get(orders).post(place_order))
        .route("/orders/{id}/actions", post(move_order))
}

async fn settings(_admin: Admin, State(state): State<AppState>) -> Json<HardwareSettings> {
    Json(state.engine.read(|k| k.hardware.settings.clone()).await)
}

async fn put_settings(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Json(body): Json<HardwareSettings>,
) -> Result<Json<HardwareSettings>, ApiError> {
    state
        .engine
        .set_hardware_settings(body, user_of(&caller))
        .await
        .map(Json)
        .map_err(Into::into)
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub(super) struct ListQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    limit: Option<usize>,
}

async fn list(
    _admin: Admin,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let wanted = match q.state.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(AssetState::from_name(s).ok_or_else(|| {
            ApiError::BadRequest(format!(
                "state `{s}`: use in_stock, assigned, in_transit, received, in_repair or retired"
            ))
        })?),
        None => None,
    };
    let filter = AssetFilter {
        q: q.q,
        state: wanted,
        location: q.location.filter(|l| !l.is_empty()),
    };
    let limit = q.limit.unwrap_or(200).clamp(1, MAX_LIST);
    let assets = state
        .engine
        .read(|k| {
            k.hardware
                .search(&filter, limit)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
        .await;
    Ok(Json(json!({ "assets": assets })))
}

async fn create(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Json(body): Json<NewAsset>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let actor = Actor::User {
        id: user_of(&caller),
    };
    let mut ids = Vec::new();
    let mut refused = None;
    let done = state
        .engine
        .act(|known, ctx| {
            let (plan, new) = add_assets(known, vec![body], actor, ctx)
                .inspect_err(|e| refused = Some(e.clone()))?;
            ids = new;
            Ok::<_, tenure_domain::hardware::AssetError>(plan)
        })
        .await;
    // The planner's own error says which status fits (a taken serial: 409).
    if let Some(e) = refused {
        return Err(e.into());
    }
    done?;
    Ok((StatusCode::CREATED, Json(json!({ "id": ids.first() }))))
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub(super) struct ImportQuery {
    #[serde(default)]
    skip_bad_rows: bool,
}

/// A CSV file of assets: every bad row named; nothing imported while one is bad,
/// unless `skip_bad_rows=true` (then the good rows are, and the skipped ones listed).
async fn import(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Query(q): Query<ImportQuery>,
    body: String,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    if body.len() > MAX_CSV {
        return Err(ApiError::BadRequest(format!(
            "the file is larger than {} MB; split it",
            MAX_CSV / 1024 / 1024
        )));
    }
    let (imported, skipped) = import_csv(&state, &body, q.skip_bad_rows, &user_of(&caller))
        .await
        .map_err(|e| match e {
            ImportError::Rows(errors) => return_rows(errors),
            ImportError::Refused(m) => ApiError::BadRequest(m),
        })?;
    Ok((
        StatusCode::OK,
        Json(json!({ "imported": imported, "skipped": skipped })),
    ))
}

fn return_rows(errors: Vec<tenure_domain::hardware::RowError>) -> ApiError {
    let lines: Vec<String> = errors
        .iter()
        .map(|e| format!("row {}: {}", e.row, e.reason))
        .collect();
    ApiError::BadRequest(format!(
        "nothing imported; fix or skip these rows: {}",
        lines.join("; ")
    ))
}

/// Why an import did not happen.
pub enum ImportError {
    /// These rows are bad and the admin did not ask to skip them.
    Rows(Vec<tenure_domain::hardware::RowError>),
    Refused(String),
}

/// Checks and imports a CSV (shared by the API and the assets page).
pub async fn import_csv(
    state: &AppState,
    text: &str,
    skip_bad_rows: bool,
    by: &tenure_domain::UserId,
) -> Result<(Vec<AssetId>, Vec<tenure_domain::hardware::RowError>), ImportError> {
    let checked = state
        .engine
        .read(|k| parse_csv(text, &k.hardware))
        .await
        .map_err(ImportError::Refused)?;
    if !checked.errors.is_empty() && !skip_bad_rows {
        return Err(ImportError::Rows(checked.errors));
    }
    if checked.assets.is_empty() {
        return Ok((Vec::new(), checked.errors));
    }
    let actor = Actor::User { id: by.clone() };
    let mut ids = Vec::new();
    state
        .engine
        .act(|known, ctx| {
            let (plan, new) = add_assets(known, checked.assets, actor, ctx)?;
            ids = new;
            Ok::<_, tenure_domain::hardware::AssetError>(plan)
        })
        .await
        .map_err(|e| ImportError::Refused(e.to_string()))?;
    Ok((ids, checked.errors))
}

async fn one(
    _admin: Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = AssetId(id);
    let found = state
        .engine
        .read(|k| {
            let a = k.hardware.asset(&id)?.clone();
            let commands: Vec<_> = k
                .hardware
                .commands_for_asset(&id)
                .into_iter()
                .cloned()
                .collect();
            Some((a, commands))
        })
        .await;
    let (asset, commands) =
        found.ok_or_else(|| ApiError::NotFound(format!("there is no asset {id}")))?;
    Ok(Json(json!({ "asset": asset, "commands": commands })))
}

async fn act(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(change): Json<AssetChange>,
) -> Result<Json<Value>, ApiError> {
    let asset = AssetId(id.clone());
    let actor = Actor::User {
        id: user_of(&caller),
    };
    let mut refused = None;
    let done = state
        .engine
        .act(|known, ctx| {
            change_asset(known, &asset, change, actor, ctx).inspect_err(|e| {
                if let tenure_domain::TaskError::Asset(e) = e {
                    refused = Some(e.clone());
                }
            })
        })
        .await;
    if let Some(e) = refused {
        return Err(e.into());
    }
    done?;
    one(Admin(caller), State(state), Path(id)).await
}

async fn void(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = ShipmentId(id);
    let carrier = state.carrier();
    state
        .engine
        .void_return(carrier.as_deref(), &id, user_of(&caller))
        .await?;
    let s = state
        .engine
        .read(|k| k.hardware.shipments.get(&id).cloned())
        .await;
    Ok(Json(json!({ "return": s })))
}

async fn of_employee(
    _admin: Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = EmployeeId(id);
    let found = state
        .engine
        .read(|k| {
            k.employees.get(&id)?;
            let hw = &k.hardware;
            let assets: Vec<_> = hw.assigned_to(&id).into_iter().cloned().collect();
            let returns: Vec<_> = hw.shipments_for(&id).into_iter().cloned().collect();
            let commands: Vec<_> = hw
                .commands
                .values()
                .filter(|c| c.employee.id == id)
                .cloned()
                .collect();
            Some(json!({ "assets": assets, "returns": returns, "commands": commands }))
        })
        .await;
    found
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("there is no employee {id}")))
}

/// The addresses of a rebooked return; each defaults to the voided one's.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Rebook {
    #[serde(default)]
    origin: Option<tenure_domain::hardware::PostalAddress>,
    #[serde(default)]
    destination: Option<tenure_domain::hardware::PostalAddress>,
}

async fn rebook(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Option<Json<Rebook>>,
) -> Result<Json<Value>, ApiError> {
    let body = body.map(|Json(b)| b).unwrap_or_default();
    let carrier = state.carrier().ok_or_else(|| {
        ApiError::BadRequest(
            "no carrier is set up (Settings → Integrations): send a label by hand".into(),
        )
    })?;
    let new = state
        .engine
        .rebook_return(
            &carrier,
            &ShipmentId(id),
            body.origin,
            body.destination,
            user_of(&caller),
        )
        .await?;
    let s = state
        .engine
        .read(|k| k.hardware.shipments.get(&new).cloned())
        .await;
    Ok(Json(json!({ "return": s })))
}

async fn orders(_admin: Admin, State(state): State<AppState>) -> Json<Value> {
    let mut all: Vec<_> = state
        .engine
        .read(|k| k.hardware.orders.values().cloned().collect())
        .await;
    all.sort_by_key(|x| std::cmp::Reverse(x.created_at));
    Json(json!({ "orders": all }))
}

/// A store order for an employee: `{employee, product, ship_to}`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct PlaceOrder {
    employee: EmployeeId,
    product: String,
    ship_to: tenure_domain::hardware::PostalAddress,
}

async fn place_order(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Json(body): Json<PlaceOrder>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let actor = Actor::User {
        id: user_of(&caller),
    };
    let plan = state
        .engine
        .act(|known, ctx| {
            tenure_domain::hardware::checkout(
                known,
                &body.employee,
                &body.product,
                body.ship_to,
                None,
                &actor,
                ctx,
            )
        })
        .await?;
    let order = plan.effects.iter().find_map(|e| match e {
        tenure_domain::Effect::PutOrder { order } => Some(order.clone()),
        _ => None,
    });
    Ok((StatusCode::CREATED, Json(json!({ "order": order }))))
}

async fn move_order(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(to): Json<tenure_domain::hardware::OrderMove>,
) -> Result<Json<Value>, ApiError> {
    let id = tenure_domain::OrderId(id);
    let actor = Actor::User {
        id: user_of(&caller),
    };
    state
        .engine
        .act(|known, ctx| tenure_domain::hardware::order_moved(known, &id, to, &actor, ctx))
        .await?;
    let order = state
        .engine
        .read(|k| k.hardware.orders.get(&id).cloned())
        .await;
    Ok(Json(json!({ "order": order })))
}

/// Imports the devices the MDMs know: `{added, linked}`.
async fn import_mdm(
    Admin(caller): Admin,
    State(state): State<AppState>,
) -> Result<Json<Value>, ApiError> {
    let done = state.import_from_mdm(user_of(&caller)).await?;
    Ok(Json(json!(done)))
}
