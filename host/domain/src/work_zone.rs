//! The time zone a person's days are counted in (their final day ends at midnight
//! there), and where it came from. In order:
//!
//! 1. an admin's choice for the person's work location ([`LocationZones`]), for a
//!    location whose derived zone is wrong or missing;
//! 2. the zone the HR source gives (TriNet's locations carry one);
//! 3. the zone of the work location's country, region or city ([`crate::zones`]) —
//!    Merge's locations carry those but no zone;
//! 4. the company's zone (`[lifecycle] company_time_zone`).

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::dates;
use crate::employee::Profile;
use crate::zones::{Derived, zone_for_place};

/// Admins' zones by work location ([`place_label`]) -> IANA name.
pub type LocationZones = BTreeMap<String, String>;

/// Where a person's zone came from.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneSource {
    /// An admin set it for the work location.
    Location,
    /// The HR record's own zone.
    Hr,
    /// Derived from the work location's country, region or city.
    Derived(Derived),
    /// Nothing better known: the company's zone.
    Company,
}

impl ZoneSource {
    /// For people: "set for the work location by an admin".
    pub fn describe(self) -> &'static str {
        match self {
            ZoneSource::Location => "set for the work location by an admin",
            ZoneSource::Hr => "from the HR record",
            ZoneSource::Derived(Derived::City) => "from the work location's city",
            ZoneSource::Derived(Derived::Region) => "from the work location's region",
            ZoneSource::Derived(Derived::Country) => "from the work location's country",
            ZoneSource::Company => "the company's zone (the work location does not settle it)",
        }
    }
}

/// The zone in use for a person, as pages and the API show it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkZone {
    /// IANA name.
    pub name: String,
    pub source: ZoneSource,
}

/// A work location as admins see and choose zones for it: the location's name, city,
/// region and country that HR gives, joined with ", " ("Sydney Office, Sydney, NSW, AU"),
/// each said once ("Berlin, DE" for the Berlin office in the city and state of Berlin).
/// `None` when HR gives none of them.
pub fn place_label(p: &Profile) -> Option<String> {
    let mut parts: Vec<&str> = Vec::with_capacity(4);
    for part in [
        p.work_location.as_deref(),
        p.work_city.as_deref(),
        p.work_region.as_deref(),
        p.work_country.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    {
        if !part.is_empty() && !parts.iter().any(|q| q.eq_ignore_ascii_case(part)) {
            parts.push(part);
        }
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The zone `p`'s days are counted in, and where it came from (see the module's order).
pub fn resolve(
    p: &Profile,
    locations: &LocationZones,
    company: &TimeZone,
) -> (TimeZone, ZoneSource) {
    if !locations.is_empty()
        && let Some(label) = place_label(p)
        && let Some(tz) = locations.get(&label).and_then(|n| dates::zone(n).ok())
    {
        return (tz, ZoneSource::Location);
    }
    if let Some(tz) = p
        .work_time_zone
        .as_deref()
        .and_then(|n| dates::zone(n).ok())
    {
        return (tz, ZoneSource::Hr);
    }
    let derived = zone_for_place(
        p.work_country.as_deref(),
        p.work_region.as_deref(),
        p.work_city.as_deref(),
    );
    if let Some((name, how)) = derived
        && let Ok(tz) = dates::zone(name)
    {
        return (tz, ZoneSource::Derived(how));
    }
    (company.clone(), ZoneSource::Company)
}

/// [`resolve`], named for display.
pub fn work_zone(p: &Profile, locations: &LocationZones, company: &TimeZone) -> WorkZone {
    let (tz, source) = resolve(p, locations, company);
    WorkZone {
        name: tz.iana_name().unwrap_or("UTC").to_string(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(country: &str, region: Option<&str>, city: Option<&str>) -> Profile {
        Profile {
            work_location: Some("Office".into()),
            work_country: Some(country.into()),
            work_region: region.map(String::from),
            work_city: city.map(String::from),
            ..Profile::default()
        }
    }

    fn named(p: &Profile, locations: &LocationZones) -> (String, ZoneSource) {
        let company = TimeZone::get("America/Chicago").unwrap();
        let w = work_zone(p, locations, &company);
        (w.name, w.source)
    }

    #[test]
    fn the_admin_then_hr_then_the_location_then_the_company() {
        let none = LocationZones::new();
        let sydney = profile("AU", Some("NSW"), Some("Sydney"));
        assert_eq!(
            named(&sydney, &none),
            (
                "Australia/Sydney".into(),
                ZoneSource::Derived(Derived::Region)
            )
        );
        let broken_hill = profile("AU", Some("NSW"), Some("Broken Hill"));
        assert_eq!(
            named(&broken_hill, &none),
            (
                "Australia/Broken_Hill".into(),
                ZoneSource::Derived(Derived::City)
            )
        );
        let mut with_hr = sydney.clone();
        with_hr.work_time_zone = Some("Australia/Brisbane".into());
        assert_eq!(named(&with_hr, &none).1, ZoneSource::Hr);
        // An unknown HR zone falls through to the location.
        with_hr.work_time_zone = Some("Mars/Olympus".into());
        assert_eq!(named(&with_hr, &none).0, "Australia/Sydney");

        let label = place_label(&sydney).unwrap();
        assert_eq!(label, "Office, Sydney, NSW, AU");
        let admin: LocationZones = [(label, "Australia/Perth".to_string())].into();
        assert_eq!(
            named(&sydney, &admin),
            ("Australia/Perth".into(), ZoneSource::Location)
        );

        // The US spans zones: without a region nothing is derived.
        assert_eq!(
            named(&profile("US", None, None), &none),
            ("America/Chicago".into(), ZoneSource::Company)
        );
        assert_eq!(
            named(&Profile::default(), &none),
            ("America/Chicago".into(), ZoneSource::Company)
        );
        assert_eq!(place_label(&Profile::default()), None);
        let berlin = Profile {
            work_location: Some("Berlin".into()),
            work_city: Some("Berlin".into()),
            work_region: Some("berlin".into()),
            work_country: Some("DE".into()),
            ..Profile::default()
        };
        assert_eq!(place_label(&berlin).as_deref(), Some("Berlin, DE"));
    }
}
