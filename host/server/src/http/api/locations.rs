//! `/api/v1/locations`: the work locations employees have, the time zone their final days
//! are counted in, and the zone an admin sets for a location whose own is wrong or
//! missing (`PUT /api/v1/locations/zone`).

use super::{Admin, ApiError, Caller};
use crate::app::AppState;
use axum::extract::State;
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tenure_domain::Profile;
use tenure_domain::work_zone::{WorkZone, place_label, work_zone};

/// How many locations a listing shows, largest first (companies have a few hundred).
pub const LISTED: usize = 1_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/locations", get(list))
        .route("/locations/zone", put(set_zone))
}

/// One work location as admins see it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Location {
    /// The location's name, city, region and country as HR gives them, joined.
    pub label: String,
    /// Employees (current, future and former) at it.
    pub employees: usize,
    /// The zone in use for its people and where it came from; `None` for a location
    /// only an admin's zone still names (nobody is there now). People at one label
    /// share its place, so they share this zone unless HR gives someone their own.
    pub zone: Option<WorkZone>,
    /// The zone an admin set for it.
    #[serde(rename = "override")]
    pub admin_zone: Option<String>,
}

/// The work locations, largest first, and what the listing leaves out.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Locations {
    /// At most [`LISTED`].
    pub locations: Vec<Location>,
    /// Distinct locations in all (more than listed when the list was cut).
    pub total: usize,
    /// Employees whose HR record names no work location.
    pub without_location: usize,
    /// The company's zone (`[lifecycle] company_time_zone`), the last resort.
    pub company_time_zone: String,
}

/// The work locations, in one pass over the employees: people are grouped by the
/// borrowed fields of their place, and only each distinct place gets a label.
pub async fn collect(state: &AppState) -> Locations {
    let zones = state.engine.location_zones();
    let company = state.engine.company_time_zone().clone();
    let (mut locations, without_location) = state
        .engine
        .read(|known| {
            type Place<'a> = [Option<&'a str>; 4];
            let mut places: HashMap<Place<'_>, (usize, &Profile)> = HashMap::new();
            let mut without = 0;
            for e in known.employees.values() {
                let p = &e.profile;
                let place = [
                    p.work_location.as_deref(),
                    p.work_city.as_deref(),
                    p.work_region.as_deref(),
                    p.work_country.as_deref(),
                ];
                if place.iter().all(Option::is_none) {
                    without += 1;
                    continue;
                }
                places.entry(place).or_insert((0, p)).0 += 1;
            }
            // Places that differ only by which field holds a word share a label, and
            // an admin's zone is per label.
            let mut labelled: HashMap<String, (usize, usize, &Profile)> = HashMap::new();
            for (count, profile) in places.into_values() {
                let Some(label) = place_label(profile) else {
                    without += count;
                    continue;
                };
                let entry = labelled.entry(label).or_insert((0, 0, profile));
                entry.0 += count;
                // The largest group's person stands for the label.
                if count > entry.1 {
                    entry.1 = count;
                    entry.2 = profile;
                }
            }
            let mut rows: Vec<Location> = Vec::with_capacity(labelled.len());
            // Admins' zones for locations nobody is at now, so they can be cleared.
            for (label, zone) in zones.iter() {
                if !labelled.contains_key(label) {
                    rows.push(Location {
                        label: label.clone(),
                        employees: 0,
                        zone: None,
                        admin_zone: Some(zone.clone()),
                    });
                }
            }
            rows.extend(
                labelled
                    .into_iter()
                    .map(|(label, (count, _, profile))| Location {
                        employees: count,
                        zone: Some(work_zone(profile, &zones, &company)),
                        admin_zone: zones.get(&label).cloned(),
                        label,
                    }),
            );
            (rows, without)
        })
        .await;
    locations.sort_by(|a, b| b.employees.cmp(&a.employees).then(a.label.cmp(&b.label)));
    let total = locations.len();
    locations.truncate(LISTED);
    Locations {
        locations,
        total,
        without_location,
        company_time_zone: company.iana_name().unwrap_or("UTC").to_string(),
    }
}

async fn list(_caller: Caller, State(state): State<AppState>) -> Json<Locations> {
    Json(collect(&state).await)
}

/// The body of `PUT /api/v1/locations/zone`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub(super) struct SetZone {
    /// A work location's label, as the listing gives it.
    location: String,
    /// An IANA name; `null` (or absent) clears the admin's zone.
    #[serde(default)]
    zone: Option<String>,
}

async fn set_zone(
    Admin(caller): Admin,
    State(state): State<AppState>,
    Json(body): Json<SetZone>,
) -> Result<Json<Option<Location>>, ApiError> {
    state
        .engine
        .set_location_zone(&body.location, body.zone.as_deref())?;
    tracing::info!(location = %body.location, zone = ?body.zone, by = %format!("token:{}", caller.name), "work location zone set");
    let label = body.location.trim();
    let row = collect(&state)
        .await
        .locations
        .into_iter()
        .find(|l| l.label == label);
    Ok(Json(row))
}
