//! Settings → Locations (admins): employees' work locations, the zone each one's final
//! days end in, and the zone an admin sets for a location (or clears).

use super::{Form, Signed, forbidden, page, redirect_with, server_error};
use crate::app::AppState;
use crate::http::api::locations::collect;
use crate::lifecycle::ActError;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use tenure_web::Flash;
use tenure_web::pages::settings::locations::{LocationRow, LocationsPage, locations};

const HERE: &str = "/settings/locations";

pub fn router() -> Router<AppState> {
    Router::new().route("/settings/locations", get(list).post(set_zone))
}

/// The IANA names jiff knows, sorted (offered while typing a zone).
fn zone_names() -> Vec<String> {
    let mut names: Vec<String> = tenure_domain::jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_string())
        .collect();
    names.sort();
    names
}

async fn list(signed: Signed, State(state): State<AppState>) -> Response {
    if !signed.user.admin {
        return forbidden(&signed, "setting work locations' time zones");
    }
    let found = collect(&state).await;
    let rows = found
        .locations
        .into_iter()
        .map(|l| LocationRow {
            label: l.label,
            employees: l.employees,
            zone: l.zone,
            admin_zone: l.admin_zone,
        })
        .collect();
    let html = locations(
        &signed.chrome(),
        LocationsPage {
            rows,
            total: found.total,
            without_location: found.without_location,
            company_time_zone: found.company_time_zone,
            zone_names: zone_names(),
        },
    );
    page(&signed, html)
}

async fn set_zone(State(state): State<AppState>, form: Form) -> Response {
    let signed = &form.signed;
    if !signed.user.admin {
        return forbidden(signed, "setting work locations' time zones");
    }
    let location = form.get("location");
    let zone = if form.get("clear") == "yes" {
        None
    } else {
        form.opt("zone")
    };
    match state.engine.set_location_zone(&location, zone.as_deref()) {
        Ok(()) => {
            tracing::info!(%location, zone = ?zone, by = %signed.user.id, "work location zone set");
            // The name as saved (the database's spelling of what was typed).
            let saved = state.engine.location_zones().get(&location).cloned();
            let text = match saved {
                Some(z) => format!("Final days at {location} now end at midnight in {z}."),
                None => format!(
                    "{location} has no zone set by an admin now: its people's zone comes from their HR record, the location's place or the company."
                ),
            };
            redirect_with(HERE, Flash::Ok(text))
        }
        Err(ActError::Refused(reason)) => redirect_with(HERE, Flash::Err(reason)),
        Err(e) => server_error(signed, e),
    }
}
