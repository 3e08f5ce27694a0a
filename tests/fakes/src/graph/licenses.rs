//! Licences: `assignLicense`, `licenseDetails`, `subscribedSkus`.

use axum::body::Bytes;
use axum::extract::{Path, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::GraphLicense;
use super::errors::GraphError;
use super::query::base;
use super::render;
use super::routes::{Shr, entity, find_user, find_user_mut, object};

/// `POST /users/{id}/assignLicense`.
pub(crate) async fn assign(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, GraphError> {
    let body = object(&body)?;
    let invalid = |p: &str| GraphError::invalid_property(p, "User");
    let adds = body
        .get("addLicenses")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("addLicenses"))?;
    let removes = body
        .get("removeLicenses")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("removeLicenses"))?;
    let mut add = Vec::new();
    for a in adds {
        let sku_id = a
            .get("skuId")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("addLicenses"))?;
        let disabled_plans = match a.get("disabledPlans") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(p)) => p
                .iter()
                .map(|x| x.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| invalid("disabledPlans"))?,
            Some(_) => return Err(invalid("disabledPlans")),
        };
        add.push(GraphLicense {
            sku_id: sku_id.to_ascii_lowercase(),
            disabled_plans,
        });
    }
    let remove = removes
        .iter()
        .map(|x| x.as_str().map(str::to_ascii_lowercase))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| invalid("removeLicenses"))?;

    let mut st = s.state();
    let u = find_user(&st, &id)?;
    if u.usage_location.is_none() {
        return Err(GraphError::bad_request(
            "License assignment cannot be done for user with invalid usage location.",
        ));
    }
    for l in &add {
        let Some(sku) = st.sku(&l.sku_id) else {
            return Err(GraphError::bad_request(format!(
                "License {} does not correspond to a valid company License.",
                l.sku_id
            )));
        };
        let holds = u.licenses.iter().any(|h| h.sku_id == l.sku_id);
        if !holds && st.consumed(&sku.sku_id) >= sku.enabled {
            return Err(GraphError::bad_request(format!(
                "Subscription {} does not have any available licenses.",
                l.sku_id
            )));
        }
    }
    for r in &remove {
        if !u.licenses.iter().any(|h| h.sku_id == *r) {
            return Err(GraphError::bad_request(format!(
                "User does not have a corresponding license {r} to remove."
            )));
        }
    }
    let u = find_user_mut(&mut st, &id)?;
    u.licenses.retain(|h| !remove.contains(&h.sku_id));
    for l in add {
        match u.licenses.iter_mut().find(|h| h.sku_id == l.sku_id) {
            Some(h) => *h = l,
            None => u.licenses.push(l),
        }
    }
    // Exchange provisions a mailbox; its address is the user principal name.
    if !u.licenses.is_empty() && u.mail.is_none() {
        u.mail = Some(u.user_principal_name.clone());
    }
    let v = render::user(u, None)?;
    Ok(entity(StatusCode::OK, &headers, "users/$entity", v))
}

/// `GET /users/{id}/licenseDetails`.
pub(crate) async fn details(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, GraphError> {
    let st = s.state();
    let u = find_user(&st, &id)?;
    let value: Vec<Value> = u
        .licenses
        .iter()
        .filter_map(|l| st.sku(&l.sku_id).map(|sku| (l, sku)))
        .map(|(l, sku)| {
            json!({
                "id": format!("{}_{}", u.id, sku.sku_id),
                "skuId": sku.sku_id,
                "skuPartNumber": sku.sku_part_number,
                "servicePlans": render::service_plans(sku)
                    .into_iter()
                    .map(|mut p| {
                        let off = p["servicePlanId"]
                            .as_str()
                            .is_some_and(|id| l.disabled_plans.iter().any(|d| d == id));
                        if off {
                            p["provisioningStatus"] = json!("Disabled");
                        }
                        p
                    })
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(axum::Json(json!({
        "@odata.context": format!("{}/$metadata#users('{}')/licenseDetails", base(&headers), u.id),
        "value": value,
    }))
    .into_response())
}

/// `GET /subscribedSkus`.
pub(crate) async fn subscribed_skus(AxState(s): AxState<Shr>, headers: HeaderMap) -> Response {
    let st = s.state();
    let value: Vec<Value> = st
        .skus
        .iter()
        .map(|sku| render::subscribed_sku(&st, &s.tenant_id, sku))
        .collect();
    axum::Json(json!({
        "@odata.context": format!("{}/$metadata#subscribedSkus", base(&headers)),
        "value": value,
    }))
    .into_response()
}
