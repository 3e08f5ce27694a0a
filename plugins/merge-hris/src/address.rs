//! A leaver's home address: `GET /employees/{id}?expand=home_location`, read only when
//! Tenure needs it (a device return), never synced.

use serde::Deserialize;
use tenure_sdk::{Address, Error};

use crate::Client;
use crate::model::Related;

#[derive(Deserialize)]
struct HomeLocation {
    street_1: Option<String>,
    street_2: Option<String>,
    city: Option<String>,
    state: Option<String>,
    zip_code: Option<String>,
    /// ISO alpha-2.
    country: Option<String>,
}

#[derive(Deserialize)]
struct WithHome {
    first_name: Option<String>,
    last_name: Option<String>,
    preferred_name: Option<String>,
    home_location: Option<Related<HomeLocation>>,
}

fn text(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The home address Merge has for the employee `id`; `None` when it has none, or one
/// without a street, city, postal code or country (a person completes it).
pub fn home_address(client: &Client, id: &str) -> Result<Option<Address>, Error> {
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::InvalidInput(format!(
            "`{id}` is not a Merge employee id"
        )));
    }
    let e: WithHome = client
        .get(&format!("/employees/{id}"))
        .query("expand", "home_location")
        .send()?
        .json()?;
    let Some(home) = e.home_location.and_then(Related::expanded) else {
        return Ok(None);
    };
    let given = text(e.preferred_name)
        .or(text(e.first_name))
        .unwrap_or_default();
    let name = [given, text(e.last_name).unwrap_or_default()]
        .join(" ")
        .trim()
        .to_string();
    let street: Vec<String> = [home.street_1, home.street_2]
        .into_iter()
        .filter_map(text)
        .collect();
    let (Some(city), Some(postal_code), Some(country)) =
        (text(home.city), text(home.zip_code), text(home.country))
    else {
        return Ok(None);
    };
    if street.is_empty() {
        return Ok(None);
    }
    Ok(Some(Address {
        name,
        street,
        city,
        region: text(home.state),
        postal_code,
        country: country.to_ascii_uppercase(),
        phone: None,
    }))
}
