//! Licences: the tenant's subscriptions (`GET /subscribedSkus`) and `assignLicense`.
//!
//! Entitlement ids are SKU ids (GUIDs, as `subscribedSkus` lists them) or, for the
//! administrator's convenience, SKU part numbers (`ENTERPRISEPACK`, `SPE_E3`); both
//! compare case-insensitively.

use serde::Deserialize;
use serde_json::json;
use tenure_sdk::http::Method;
use tenure_sdk::{Error, log};

use crate::graph::Graph;

/// What `subscribedSkus` needs (`Organization.Read.All` is the least; the connector's
/// `Directory.Read.All` covers it).
const READ_SKUS: &str = "Directory.Read.All";
/// What `assignLicense` needs (`LicenseAssignment.ReadWrite.All` is the least; the
/// connector's `User.ReadWrite.All` covers it).
pub const ASSIGN: &str = "User.ReadWrite.All";

/// One subscription of the tenant (`GET /subscribedSkus`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sku {
    pub sku_id: String,
    #[serde(default)]
    pub sku_part_number: String,
    #[serde(default)]
    pub consumed_units: i64,
    #[serde(default)]
    pub prepaid_units: PrepaidUnits,
}

#[derive(Debug, Default, Deserialize)]
pub struct PrepaidUnits {
    #[serde(default)]
    pub enabled: i64,
}

/// The tenant's subscriptions.
pub fn subscribed(g: &Graph) -> Result<Vec<Sku>, Error> {
    g.all(g.request(Method::Get, "/subscribedSkus"), READ_SKUS, 5)
}

/// The SKU ids (lower case) that `entitlements` name, each once, in order. An id the
/// tenant does not subscribe to: [`Error::InvalidInput`] naming it and what there is.
pub fn resolve(skus: &[Sku], entitlements: &[String]) -> Result<Vec<String>, Error> {
    let mut ids: Vec<String> = Vec::new();
    for wanted in entitlements {
        let wanted = wanted.trim();
        let sku = skus.iter().find(|s| {
            s.sku_id.eq_ignore_ascii_case(wanted) || s.sku_part_number.eq_ignore_ascii_case(wanted)
        });
        let Some(sku) = sku else {
            let known: Vec<String> = skus
                .iter()
                .map(|s| format!("{} ({})", s.sku_part_number, s.sku_id))
                .collect();
            return Err(Error::InvalidInput(format!(
                "the licence `{}` is not one of this tenant's subscriptions; use a SKU id or part number from: {}",
                tenure_sdk::http::excerpt(wanted),
                known.join(", ")
            )));
        };
        let id = sku.sku_id.to_ascii_lowercase();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// [`Error::Conflict`] when one of `adding` has no free seat.
pub fn check_seats(skus: &[Sku], adding: &[String]) -> Result<(), Error> {
    let full: Vec<String> = adding
        .iter()
        .filter_map(|id| skus.iter().find(|s| s.sku_id.eq_ignore_ascii_case(id)))
        .filter(|s| s.consumed_units >= s.prepaid_units.enabled)
        .map(|s| {
            format!(
                "{} ({} of {} seats used)",
                s.sku_part_number, s.consumed_units, s.prepaid_units.enabled
            )
        })
        .collect();
    if full.is_empty() {
        Ok(())
    } else {
        Err(Error::Conflict(format!(
            "no licence left to assign: {}; buy more seats or free some, then retry",
            full.join(", ")
        )))
    }
}

/// `POST /users/{id}/assignLicense` with both arrays (Graph requires both, even empty).
/// Nothing to do: no request.
pub fn assign(g: &Graph, user_id: &str, add: &[String], remove: &[String]) -> Result<(), Error> {
    if add.is_empty() && remove.is_empty() {
        return Ok(());
    }
    let body = json!({
        "addLicenses": add.iter().map(|id| json!({"skuId": id, "disabledPlans": []})).collect::<Vec<_>>(),
        "removeLicenses": remove,
    });
    let req = g
        .request(
            Method::Post,
            &format!("{}/assignLicense", crate::graph::user_path(user_id)),
        )
        .json(&body)?;
    let resp = g.send_raw(req)?;
    if resp.is_success() {
        log::info(&format!(
            "licences of {user_id}: added {}, removed {}",
            if add.is_empty() {
                "none".into()
            } else {
                add.join(", ")
            },
            if remove.is_empty() {
                "none".into()
            } else {
                remove.join(", ")
            },
        ));
        return Ok(());
    }
    let detail = resp.detail();
    if resp.status == 400 && detail.contains("does not have any available licenses") {
        return Err(Error::Conflict(format!(
            "no licence left to assign: {detail}"
        )));
    }
    if resp.status == 400 && detail.to_ascii_lowercase().contains("usage location") {
        return Err(Error::InvalidInput(format!(
            "{detail} Set the person's work country in HR, or the connector's setting `usage_location_default`."
        )));
    }
    Err(crate::graph::error(&resp, ASSIGN))
}
