//! Hardware pages (admins and hardware champions): assets, add and import, one asset
//! and its moves, returns with void and rebook; Sites & warehouse (admins).

use super::tasks::address;
use super::{Form, Signed, forbidden, not_found, page, redirect_with, server_error};
use crate::app::AppState;
use crate::http::api::hardware::{ImportError, MAX_CSV, import_csv};
use crate::lifecycle::ActError;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use tenure_domain::hardware::plan::{AssetChange, add_assets, change_asset};
use tenure_domain::hardware::{
    AssetFilter, AssetState, HardwareSettings, NewAsset, OrderMove, Site, parse_money,
};
use tenure_domain::{Actor, AssetId, EmployeeId, ShipmentId};
use tenure_web::Flash;
use tenure_web::pages::hardware::{
    AssetPage, AssetsPage, ReturnPage, StorePage, asset_page, assets_page, return_page,
    returns_page, settings_page, store_page,
};

/// Rows the assets page shows.
const SHOWN: usize = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hardware", get(list))
        .route("/hardware/assets", post(add))
        .route("/hardware/import", post(import))
        .route("/hardware/import-mdm", post(import_mdm))
        .route("/hardware/assets/{id}", get(one))
        .route("/hardware/assets/{id}/action", post(act))
        .route("/hardware/returns", get(returns))
        .route("/hardware/returns/{id}", get(one_return))
        .route("/hardware/returns/{id}/void", post(void))
        .route("/hardware/returns/{id}/rebook", post(rebook))
        .route("/hardware/settings", get(settings).post(save_settings))
        .route("/hardware/store", get(store))
        .route("/hardware/store/products", post(save_product))
        .route("/hardware/orders/{id}", post(move_order))
}

/// The refusal for anyone but admins and hardware champions.
fn refused(signed: &Signed) -> Option<Response> {
    (!(signed.user.admin || signed.user.hardware)).then(|| forbidden(signed, "the hardware pages"))
}

fn actor(signed: &Signed) -> Actor {
    Actor::User {
        id: signed.user.user_id(),
    }
}

#[derive(serde::Deserialize, Default)]
struct ListQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    location: Option<String>,
}

async fn assets_data(state: &AppState, q: ListQuery) -> AssetsPage {
    let filter = AssetFilter {
        q: q.q.filter(|s| !s.trim().is_empty()),
        state: q.state.as_deref().and_then(AssetState::from_name),
        location: q.location.filter(|l| !l.is_empty()),
    };
    state
        .engine
        .read(|k| {
            let all = k.hardware.search(&filter, usize::MAX);
            AssetsPage {
                total: all.len(),
                rows: all.into_iter().take(SHOWN).cloned().collect(),
                filter: filter.clone(),
                settings: k.hardware.settings.clone(),
                ..AssetsPage::default()
            }
        })
        .await
}

async fn list(
    signed: Signed,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Response {
    if let Some(r) = refused(&signed) {
        return r;
    }
    let p = assets_data(&state, q).await;
    page(&signed, assets_page(&signed.chrome(), p))
}

async fn add(State(state): State<AppState>, form: Form) -> Response {
    let signed = &form.signed;
    if let Some(r) = refused(signed) {
        return r;
    }
    let date = |k: &str| -> Result<Option<tenure_domain::jiff::civil::Date>, String> {
        form.opt(k)
            .map(|v| v.parse().map_err(|_| format!("`{v}` is not a date")))
            .transpose()
    };
    let new = (|| -> Result<NewAsset, String> {
        Ok(NewAsset {
            model: form.get("model"),
            serial: form.get("serial"),
            tag: form.opt("tag"),
            purchase_date: date("purchase_date")?,
            cost_cents: form
                .opt("cost")
                .map(|c| parse_money(&c).ok_or(format!("`{c}` is not an amount like 1299.00")))
                .transpose()?,
            warranty_end: date("warranty_end")?,
            location: form.opt("location"),
        })
    })();
    let actor = actor(signed);
    let mut ids = Vec::new();
    let result = match new {
        Ok(new) => {
            state
                .engine
                .act(|known, ctx| {
                    let (plan, new) = add_assets(known, vec![new], actor, ctx)?;
                    ids = new;
                    Ok::<_, tenure_domain::hardware::AssetError>(plan)
                })
                .await
        }
        Err(e) => Err(ActError::Refused(e)),
    };
    match result {
        Ok(_) => match ids.first() {
            Some(id) => redirect_with(
                &format!("/hardware/assets/{id}"),
                Flash::Ok("Added.".into()),
            ),
            None => redirect_with("/hardware", Flash::Ok("Added.".into())),
        },
        Err(ActError::Refused(e)) => redirect_with("/hardware", Flash::Err(e)),
        Err(e) => server_error(signed, e),
    }
}

async fn import(State(state): State<AppState>, form: Form) -> Response {
    let signed = &form.signed;
    if let Some(r) = refused(signed) {
        return r;
    }
    let text = form.get("csv");
    if text.len() > MAX_CSV {
        return redirect_with(
            "/hardware",
            Flash::Err("The file is larger than 2 MB: split it.".into()),
        );
    }
    let skip = form.opt("skip_bad_rows").is_some();
    match import_csv(&state, &text, skip, &signed.user.user_id()).await {
        Ok((ids, skipped)) => {
            let plural = |n: usize, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            let mut msg = format!("Imported {}.", plural(ids.len(), "asset", "assets"));
            if !skipped.is_empty() {
                msg.push_str(&format!(
                    " Skipped {}.",
                    plural(skipped.len(), "bad row", "bad rows")
                ));
            }
            redirect_with("/hardware", Flash::Ok(msg))
        }
        Err(ImportError::Rows(errors)) => {
            let mut p = assets_data(&state, ListQuery::default()).await;
            p.import_errors = errors;
            p.csv = text;
            super::page_with_status(
                signed,
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                assets_page(&signed.chrome(), p),
            )
        }
        Err(ImportError::Refused(e)) => {
            let mut p = assets_data(&state, ListQuery::default()).await;
            p.error = Some(e);
            p.csv = text;
            super::page_with_status(
                signed,
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                assets_page(&signed.chrome(), p),
            )
        }
    }
}

async fn asset_data(state: &AppState, signed: &Signed, id: &AssetId) -> Option<AssetPage> {
    let found = state
        .engine
        .read(|k| {
            let asset = k.hardware.asset(id)?.clone();
            let commands: Vec<_> = k
                .hardware
                .commands_for_asset(id)
                .into_iter()
                .cloned()
                .collect();
            Some((asset, commands, k.hardware.settings.clone()))
        })
        .await;
    let (asset, commands, settings) = found?;
    // Unlock PINs: to those who may act on the device (admins, hardware champions).
    let pins = commands
        .iter()
        .filter(|_| signed.user.admin || signed.user.hardware)
        .filter_map(|c| {
            let sealed = c.sealed_pin.as_ref()?;
            let pin = state
                .store
                .open_note(&tenure_engine::lifecycle::pin_purpose(&c.id.0), sealed)
                .ok()?;
            Some((c.id.0.clone(), pin))
        })
        .collect();
    Some(AssetPage {
        asset,
        commands,
        pins,
        settings,
        error: None,
    })
}

async fn one(signed: Signed, State(state): State<AppState>, Path(id): Path<String>) -> Response {
    if let Some(r) = refused(&signed) {
        return r;
    }
    match asset_data(&state, &signed, &AssetId(id.clone())).await {
        Some(p) => page(&signed, asset_page(&signed.chrome(), p)),
        None => not_found(&signed, &format!("There is no asset {id}.")),
    }
}

async fn act(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    let signed = &form.signed;
    if let Some(r) = refused(signed) {
        return r;
    }
    let asset = AssetId(id.clone());
    let change = match form.get("action").as_str() {
        "assign" => {
            let who = form.get("employee");
            let found = state
                .engine
                .read(|k| {
                    let by_id = EmployeeId(who.clone());
                    if k.employees.get(&by_id).is_some() {
                        return Some(by_id);
                    }
                    k.employees
                        .by_email_key(&tenure_domain::employee::email_key(&who))
                        .next()
                        .map(|e| e.id.clone())
                })
                .await;
            match found {
                Some(employee) => Ok(AssetChange::Assign { employee }),
                None => Err(format!("there is no employee `{who}`")),
            }
        }
        "restock" => Ok(AssetChange::Restock {
            location: form.opt("location"),
        }),
        "receive" => Ok(AssetChange::Receive {
            location: form.opt("location"),
        }),
        "repair" => Ok(AssetChange::Repair),
        "retire" => Ok(AssetChange::Retire {
            reason: form.get("reason"),
        }),
        other => Err(format!("`{other}` is not something to do with an asset")),
    };
    let actor = actor(signed);
    let result = match change {
        Ok(change) => {
            state
                .engine
                .act(|known, ctx| change_asset(known, &asset, change, actor, ctx))
                .await
        }
        Err(e) => Err(ActError::Refused(e)),
    };
    let back = format!("/hardware/assets/{id}");
    match result {
        Ok(_) => redirect_with(&back, Flash::Ok("Done.".into())),
        Err(ActError::Refused(e)) => redirect_with(&back, Flash::Err(e)),
        Err(e) => server_error(signed, e),
    }
}

async fn returns(signed: Signed, State(state): State<AppState>) -> Response {
    if let Some(r) = refused(&signed) {
        return r;
    }
    let mut all: Vec<_> = state
        .engine
        .read(|k| k.hardware.shipments.values().cloned().collect())
        .await;
    all.sort_by_key(|x| std::cmp::Reverse(x.created_at));
    all.truncate(SHOWN);
    page(&signed, returns_page(&signed.chrome(), all, true))
}

async fn return_data(
    state: &AppState,
    id: &ShipmentId,
    error: Option<String>,
) -> Option<ReturnPage> {
    let shipment = state
        .engine
        .read(|k| k.hardware.shipments.get(id).cloned())
        .await?;
    Some(ReturnPage {
        shipment,
        show_address: true,
        carrier: state.carrier().map(|p| p.manifest().name.clone()),
        error,
    })
}

async fn one_return(
    signed: Signed,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Response {
    if let Some(r) = refused(&signed) {
        return r;
    }
    match return_data(&state, &ShipmentId(id.clone()), None).await {
        Some(p) => page(&signed, return_page(&signed.chrome(), p)),
        None => not_found(&signed, &format!("There is no return {id}.")),
    }
}

async fn void(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    let signed = &form.signed;
    if let Some(r) = refused(signed) {
        return r;
    }
    let carrier = state.carrier();
    let back = format!("/hardware/returns/{id}");
    match state
        .engine
        .void_return(carrier.as_deref(), &ShipmentId(id), signed.user.user_id())
        .await
    {
        Ok(_) => redirect_with(&back, Flash::Ok("Voided. Book a new one below.".into())),
        Err(ActError::Refused(e)) => redirect_with(&back, Flash::Err(e)),
        Err(e) => server_error(signed, e),
    }
}

async fn rebook(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    let signed = &form.signed;
    if let Some(r) = refused(signed) {
        return r;
    }
    let old = ShipmentId(id.clone());
    let Some(carrier) = state.carrier() else {
        return redirect_with(
            &format!("/hardware/returns/{id}"),
            Flash::Err("No carrier is set up (Settings → Integrations).".into()),
        );
    };
    match state
        .engine
        .rebook_return(
            &carrier,
            &old,
            address(&form, "origin"),
            address(&form, "destination"),
            signed.user.user_id(),
        )
        .await
    {
        Ok(new) => redirect_with(
            &format!("/hardware/returns/{new}"),
            Flash::Ok("Booked; the employee gets the new code by email.".into()),
        ),
        Err(ActError::Refused(e)) => match return_data(&state, &old, Some(e)).await {
            Some(p) => super::page_with_status(
                signed,
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                return_page(&signed.chrome(), p),
            ),
            None => not_found(signed, &format!("There is no return {id}.")),
        },
        Err(e) => server_error(signed, e),
    }
}

async fn settings(signed: Signed, State(state): State<AppState>) -> Response {
    if !signed.user.admin {
        return forbidden(&signed, "the hardware settings");
    }
    let s = state.engine.read(|k| k.hardware.settings.clone()).await;
    page(&signed, settings_page(&signed.chrome(), s, None))
}

fn site_from(form: &Form, prefix: &str) -> Option<Site> {
    let f = |k: &str| form.get(&format!("{prefix}.{k}"));
    let name = f("site_name");
    if name.is_empty() && f("city").is_empty() && f("key").is_empty() {
        return None;
    }
    Some(Site {
        key: f("key"),
        name,
        address: address(form, prefix).unwrap_or_default(),
    })
}

async fn save_settings(State(state): State<AppState>, form: Form) -> Response {
    let signed = &form.signed;
    if !signed.user.admin {
        return forbidden(signed, "the hardware settings");
    }
    let sites = (0..201)
        .map(|i| format!("site{i}"))
        .take_while(|p| form.prefixed(&format!("{p}.")).next().is_some())
        .filter_map(|p| site_from(&form, &p))
        .filter(|s| !s.key.is_empty())
        .collect();
    let products = state
        .engine
        .read(|k| k.hardware.settings.products.clone())
        .await;
    let settings = HardwareSettings {
        warehouse: site_from(&form, "warehouse"),
        sites,
        parcel_weight_grams: form.get("parcel_weight_grams").parse().unwrap_or(2500),
        currency: form.get("currency"),
        products,
    };
    match state
        .engine
        .set_hardware_settings(settings.clone(), signed.user.user_id())
        .await
    {
        Ok(_) => redirect_with("/hardware/settings", Flash::Ok("Saved.".into())),
        Err(ActError::Refused(e)) => super::page_with_status(
            signed,
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            settings_page(&signed.chrome(), settings, Some(e)),
        ),
        Err(e) => server_error(signed, e),
    }
}

async fn store(signed: Signed, State(state): State<AppState>) -> Response {
    if let Some(r) = refused(&signed) {
        return r;
    }
    let p = state
        .engine
        .read(|k| {
            let mut orders: Vec<_> = k.hardware.orders.values().cloned().collect();
            orders.sort_by_key(|x| std::cmp::Reverse(x.created_at));
            orders.truncate(SHOWN);
            StorePage {
                products: k.hardware.settings.products.clone(),
                orders,
                currency: k.hardware.settings.currency.clone(),
            }
        })
        .await;
    page(&signed, store_page(&signed.chrome(), p))
}

/// Adds, replaces (same key) or removes (empty model) a product (admins).
async fn save_product(State(state): State<AppState>, form: Form) -> Response {
    let signed = &form.signed;
    if !signed.user.admin {
        return forbidden(signed, "the store's products");
    }
    let mut settings = state.engine.read(|k| k.hardware.settings.clone()).await;
    let id = form.get("id").to_lowercase();
    settings.products.retain(|p| p.id != id);
    if form.opt("model").is_some() {
        let price = match parse_money(&form.get("price")) {
            Some(p) => p,
            None => {
                return redirect_with(
                    "/hardware/store",
                    Flash::Err(format!(
                        "`{}` is not a price like 1299.00",
                        form.get("price")
                    )),
                );
            }
        };
        settings.products.push(tenure_domain::hardware::Product {
            id,
            model: form.get("model"),
            specs: form.get("specs"),
            price_cents: price,
            supplier: form.get("supplier"),
            supplier_email: form.get("supplier_email"),
            link: form.opt("link"),
        });
    }
    match state
        .engine
        .set_hardware_settings(settings, signed.user.user_id())
        .await
    {
        Ok(_) => redirect_with("/hardware/store", Flash::Ok("Saved.".into())),
        Err(ActError::Refused(e)) => redirect_with("/hardware/store", Flash::Err(e)),
        Err(e) => server_error(signed, e),
    }
}

async fn move_order(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    let signed = &form.signed;
    if let Some(r) = refused(signed) {
        return r;
    }
    let to = match form.get("action").as_str() {
        "shipped" => Ok(OrderMove::Shipped {
            tracking: form.opt("tracking"),
        }),
        "delivered" => Ok(OrderMove::Delivered {
            serial: form.get("serial"),
            tag: form.opt("tag"),
        }),
        "cancel" => Ok(OrderMove::Cancel {
            reason: form.get("reason"),
        }),
        other => Err(format!("`{other}` is not a move of an order")),
    };
    let actor = actor(signed);
    let order = tenure_domain::OrderId(id);
    let result = match to {
        Ok(to) => {
            state
                .engine
                .act(|known, ctx| {
                    tenure_domain::hardware::order_moved(known, &order, to, &actor, ctx)
                })
                .await
        }
        Err(e) => Err(ActError::Refused(e)),
    };
    match result {
        Ok(_) => redirect_with("/hardware/store", Flash::Ok("Order updated.".into())),
        Err(ActError::Refused(e)) => redirect_with("/hardware/store", Flash::Err(e)),
        Err(e) => server_error(signed, e),
    }
}

async fn import_mdm(State(state): State<AppState>, form: Form) -> Response {
    let signed = &form.signed;
    if let Some(r) = refused(signed) {
        return r;
    }
    match state.import_from_mdm(signed.user.user_id()).await {
        Ok(done) => redirect_with(
            "/hardware",
            Flash::Ok(format!(
                "From the MDM: {} devices added, {} linked to assets already here.",
                done.added.len(),
                done.linked.len()
            )),
        ),
        Err(ActError::Refused(e)) => redirect_with("/hardware", Flash::Err(e)),
        Err(e) => server_error(signed, e),
    }
}
