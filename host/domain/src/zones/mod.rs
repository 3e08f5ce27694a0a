//! The IANA time zone of a work location.
//!
//! HR systems give a work location's country, region (state, province…) and city, but
//! no time zone. Tenure opens an offboarding on the employee's own final day, so it
//! derives the zone from the place with [`zone_for_place`]:
//!
//! 1. The country (alpha-2 "US", alpha-3 "USA" or an English name "United States") must be
//!    known, or there is no answer.
//! 2. A known region of that country ("CA", "US-CA", "California", "California State")
//!    decides: a city inside it that keeps another zone (El Paso in Texas) refines it to
//!    [`Derived::City`]; any other city leaves the region's zone, which is the zone of
//!    most of its people, as [`Derived::Region`].
//! 3. Without a known region, a well-known city of the country ("Chicago", "Tijuana")
//!    decides, as [`Derived::City`].
//! 4. Otherwise the country's own zone, as [`Derived::Country`], or `None` when the
//!    country spans several zones that differ today: the caller then falls back to the
//!    company's zone rather than guess.
//!
//! Matching ignores case, surrounding whitespace, punctuation and accents ("São Paulo" =
//! "sao paulo", "St. John's" = "Saint Johns"). Facts come from the IANA tz database
//! (`zone.tab`, `zone1970.tab` and the comments of its source files) and each zone
//! named here exists in the database jiff bundles (the tests check every one).
//!
//! Lookup allocates nothing: keys are normalized into stack buffers, the country is
//! found by binary search and a region by a scan of that country's short list.

mod americas;
mod asia_pacific;
mod cities;
mod countries;
mod normalize;
mod regions;
mod russia;
mod united_states;

use normalize::{Key, normalize};
use regions::{Place, Region};

/// Where a derived zone came from (the most specific level that decided it).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Derived {
    Country,
    Region,
    City,
}

/// The IANA zone for a work location, or None when the country is unknown or spans
/// several zones and neither region nor city settles it.
pub fn zone_for_place(
    country: Option<&str>,
    region: Option<&str>,
    city: Option<&str>,
) -> Option<(&'static str, Derived)> {
    let mut country_buf = Key::new();
    let country = countries::find(normalize(country?, &mut country_buf)?)?;
    let mut city_buf = Key::new();
    let city = city.and_then(|city| normalize(city, &mut city_buf));
    let mut region_buf = Key::new();
    let region = region
        .and_then(|region| normalize(region, &mut region_buf))
        .and_then(|key| find_region(regions::of(country.alpha2), country.alpha2, key));
    if let Some(region) = region {
        if let Some(place) = city.and_then(|key| find_place(region.cities, key)) {
            return Some((place.zone, Derived::City));
        }
        return Some((region.zone, Derived::Region));
    }
    if let Some(place) = city.and_then(|key| find_place(cities::of(country.alpha2), key)) {
        return Some((place.zone, Derived::City));
    }
    country.zone.map(|zone| (zone, Derived::Country))
}

/// Every zone the tables can return, with repeats: countries, regions, the places in
/// regions and well-known cities. For checking them against the tz database.
pub fn all_zones() -> impl Iterator<Item = &'static str> {
    countries::COUNTRIES.iter().flat_map(|country| {
        let regions = regions::of(country.alpha2).iter().flat_map(|region| {
            let places = region.cities.iter().map(|place| place.zone);
            core::iter::once(region.zone).chain(places)
        });
        let cities = cities::of(country.alpha2).iter().map(|place| place.zone);
        country.zone.into_iter().chain(regions).chain(cities)
    })
}

/// Words around a region's name that HR systems add ("Estado de São Paulo", "Tver Oblast").
const REGION_PREFIXES: &[&str] = &[
    "state of ",
    "province of ",
    "republic of ",
    "the ",
    "estado de ",
    "estado do ",
    "estado da ",
    "provincia de ",
    "provincia del ",
];
const REGION_SUFFIXES: &[&str] = &[
    " autonomous okrug",
    " autonomous oblast",
    " autonomous region",
    " okrug",
    " oblast",
    " oblysy",
    " krai",
    " kray",
    " republic",
    " province",
    " state",
    " region",
    " territory",
    " prefecture",
];

/// The region a normalized key names: as given, without an ISO 3166-2 country prefix
/// ("us ca"), or without the words HR systems wrap around names.
fn find_region(regions: &'static [Region], alpha2: &str, key: &str) -> Option<&'static Region> {
    let exact = |key: &str| regions.iter().find(|r| r.keys.contains(&key));
    if let Some(found) = exact(key) {
        return Some(found);
    }
    let key = match key.strip_prefix(alpha2).and_then(|k| k.strip_prefix(' ')) {
        Some(rest) => match exact(rest) {
            Some(found) => return Some(found),
            None => rest,
        },
        None => key,
    };
    let key = REGION_PREFIXES
        .iter()
        .find_map(|p| key.strip_prefix(p))
        .unwrap_or(key);
    let key = REGION_SUFFIXES
        .iter()
        .find_map(|s| key.strip_suffix(s))
        .unwrap_or(key);
    exact(key)
}

/// The place a normalized key names in a short list.
fn find_place(places: &'static [Place], key: &str) -> Option<&'static Place> {
    places.iter().find(|p| p.keys.contains(&key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn each_key() -> impl Iterator<Item = &'static str> {
        let countries = countries::COUNTRIES.iter().map(|c| c.alpha2);
        countries.flat_map(|alpha2| {
            let regions = regions::of(alpha2).iter();
            let region_keys = regions.flat_map(|r| {
                r.keys
                    .iter()
                    .copied()
                    .chain(r.cities.iter().flat_map(|p| p.keys.iter().copied()))
            });
            let city_keys = cities::of(alpha2)
                .iter()
                .flat_map(|p| p.keys.iter().copied());
            region_keys.chain(city_keys)
        })
    }

    #[test]
    fn every_key_is_stored_normalized() {
        let names = countries::NAMES.iter().map(|(name, _)| *name);
        let codes = countries::ALPHA3.iter().map(|(a3, _)| *a3);
        for key in each_key().chain(names).chain(codes) {
            let mut buf = Key::new();
            assert_eq!(normalize(key, &mut buf), Some(key), "key {key:?}");
        }
    }

    #[test]
    fn country_tables_are_sorted_and_consistent() {
        let alpha2: Vec<_> = countries::COUNTRIES.iter().map(|c| c.alpha2).collect();
        assert!(
            alpha2.windows(2).all(|w| w[0] < w[1]),
            "COUNTRIES not sorted"
        );
        assert!(alpha2.len() >= 249, "every ISO 3166-1 country");
        let a3 = countries::ALPHA3;
        assert!(a3.windows(2).all(|w| w[0].0 < w[1].0), "ALPHA3 not sorted");
        assert_eq!(a3.len(), alpha2.len());
        let names = countries::NAMES;
        assert!(
            names.windows(2).all(|w| w[0].0 < w[1].0),
            "NAMES not sorted"
        );
        for (_, code) in a3.iter().chain(names) {
            assert!(alpha2.binary_search(code).is_ok(), "unknown code {code}");
        }
    }

    #[test]
    fn region_keys_are_unique_within_a_country() {
        for country in countries::COUNTRIES {
            let regions = regions::of(country.alpha2);
            let mut keys: Vec<_> = regions.iter().flat_map(|r| r.keys.iter()).collect();
            let total = keys.len();
            keys.sort();
            keys.dedup();
            assert_eq!(
                keys.len(),
                total,
                "duplicate region key in {}",
                country.alpha2
            );
            let mut cities: Vec<_> = cities::of(country.alpha2)
                .iter()
                .flat_map(|p| p.keys.iter())
                .collect();
            let total = cities.len();
            cities.sort();
            cities.dedup();
            assert_eq!(
                cities.len(),
                total,
                "duplicate city key in {}",
                country.alpha2
            );
        }
    }

    #[test]
    fn a_region_with_exceptions_names_other_zones_only() {
        for country in countries::COUNTRIES {
            for region in regions::of(country.alpha2) {
                for place in region.cities {
                    assert_ne!(
                        place.zone, region.zone,
                        "{:?} in {:?}",
                        place.keys, region.keys
                    );
                }
            }
        }
    }

    #[test]
    fn affixes_and_prefixes_are_stripped() {
        let texas = Some(("America/Chicago", Derived::Region));
        assert_eq!(zone_for_place(Some("US"), Some("US-TX"), None), texas);
        assert_eq!(
            zone_for_place(Some("US"), Some("State of Texas"), None),
            texas
        );
        let tver = Some(("Europe/Moscow", Derived::Region));
        assert_eq!(zone_for_place(Some("RU"), Some("Tver Oblast"), None), tver);
    }
}
