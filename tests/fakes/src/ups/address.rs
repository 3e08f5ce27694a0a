//! How the fake judges the Shipper, ShipTo and ShipFrom addresses of a shipment, as
//! UPS's address checks would: a city is required, a postal code must have its
//! country's format, and a US ZIP code must lie in the state given (by the first digit
//! of the ZIP, the national area). Where UPS knows a finer rule the fake does not.

use serde_json::Value;

use super::errors::UpsError;

/// The role of an address in a shipment, as UPS names it in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Shipper,
    ShipTo,
    ShipFrom,
}

impl Role {
    fn words(self) -> &'static str {
        match self {
            Role::Shipper => "shipper",
            Role::ShipTo => "ship to",
            Role::ShipFrom => "ship from",
        }
    }

    /// A code of this role: four digits for the role, two for the field (assumed: UPS's codes for
    /// ShipTo start 1202, Shipper 1201, ShipFrom 1205).
    fn code(self, last: &str) -> String {
        let prefix = match self {
            Role::Shipper => "1201",
            Role::ShipTo => "1202",
            Role::ShipFrom => "1205",
        };
        format!("{prefix}{last}")
    }
}

/// An address as the fake keeps it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Addr {
    pub name: String,
    pub city: String,
    pub state: String,
    pub postal: String,
    pub country: String,
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("").trim()
}

/// The `{Name, Address{AddressLine, City, StateProvinceCode, PostalCode, CountryCode}}`
/// of `party`, checked; errors are UPS's 400s naming the role.
pub(crate) fn check(party: Option<&Value>, role: Role) -> Result<Addr, UpsError> {
    let missing = |what: &str, code: &str| {
        UpsError::bad_request(
            &role.code(code),
            format!("Missing or invalid {} {what}", role.words()),
        )
    };
    let Some(party) = party.filter(|p| p.is_object()) else {
        return Err(missing("address", "00"));
    };
    let name = text(party, "Name");
    if name.is_empty() || name.chars().count() > 35 {
        return Err(missing("name", "01"));
    }
    let a = party.get("Address").cloned().unwrap_or(Value::Null);
    let lines: Vec<&str> = match a.get("AddressLine") {
        Some(Value::Array(l)) => l.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(s)) => vec![s.as_str()],
        _ => Vec::new(),
    };
    if lines.iter().all(|l| l.trim().is_empty()) || lines.len() > 3 {
        return Err(missing("address line", "02"));
    }
    let city = text(&a, "City");
    if city.is_empty() {
        return Err(missing("city", "03"));
    }
    let country = text(&a, "CountryCode").to_ascii_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(missing("country code", "08"));
    }
    let state = text(&a, "StateProvinceCode").to_ascii_uppercase();
    if matches!(country.as_str(), "US" | "CA") && state.len() != 2 {
        return Err(missing("state province code", "06"));
    }
    let postal = text(&a, "PostalCode").to_ascii_uppercase();
    if !postal_fits(&country, &postal) {
        return Err(UpsError::bad_request(
            &role.code("07"),
            format!(
                "The {} postal code {postal:?} is not a valid postal code for {country}.",
                role.words()
            ),
        ));
    }
    if country == "US" && !zip_in_state(&postal, &state) {
        return Err(UpsError::bad_request(
            &role.code("09"),
            format!(
                "The {} postal code {postal} is invalid for {state} United States.",
                role.words()
            ),
        ));
    }
    Ok(Addr {
        name: name.into(),
        city: city.into(),
        state,
        postal,
        country,
    })
}

/// Whether `postal` has `country`'s format (a few countries by rule; elsewhere up to
/// ten letters, digits, spaces and dashes, or none).
pub(crate) fn postal_fits(country: &str, postal: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match country {
        "US" | "PR" => match postal.split_once('-') {
            None => digits(postal, 5),
            Some((zip, plus4)) => digits(zip, 5) && digits(plus4, 4),
        },
        "CA" => {
            let p: Vec<u8> = postal.bytes().filter(|b| *b != b' ').collect();
            p.len() == 6
                && p.iter().enumerate().all(|(i, b)| {
                    if i % 2 == 0 {
                        b.is_ascii_alphabetic()
                    } else {
                        b.is_ascii_digit()
                    }
                })
        }
        "DE" | "FR" | "ES" | "IT" => digits(postal, 5),
        "NL" => {
            let p: Vec<u8> = postal.bytes().filter(|b| *b != b' ').collect();
            p.len() == 6
                && p[..4].iter().all(u8::is_ascii_digit)
                && p[4..].iter().all(u8::is_ascii_alphabetic)
        }
        "GB" => {
            let p = postal.replace(' ', "");
            (5..=7).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric())
        }
        _ => {
            postal.len() <= 10
                && postal
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-')
        }
    }
}

/// Whether a US ZIP code's national area (its first digit) holds `state`.
pub(crate) fn zip_in_state(zip: &str, state: &str) -> bool {
    const AREAS: [&[&str]; 10] = [
        &[
            "CT", "MA", "ME", "NH", "NJ", "NY", "PR", "RI", "VT", "VI", "AE",
        ],
        &["DE", "NY", "PA"],
        &["DC", "MD", "NC", "SC", "VA", "WV"],
        &["AL", "FL", "GA", "MS", "TN", "AA"],
        &["IN", "KY", "MI", "OH"],
        &["IA", "MN", "MT", "ND", "SD", "WI"],
        &["IL", "KS", "MO", "NE"],
        &["AR", "LA", "OK", "TX"],
        &["AZ", "CO", "ID", "NM", "NV", "UT", "WY"],
        &[
            "AK", "CA", "HI", "OR", "WA", "AP", "AS", "GU", "MP", "PW", "FM", "MH",
        ],
    ];
    let Some(area) = zip.bytes().next().filter(u8::is_ascii_digit) else {
        return false;
    };
    AREAS[usize::from(area - b'0')].contains(&state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn party(city: &str, state: &str, postal: &str, country: &str) -> Value {
        json!({"Name": "Ada", "Address": {"AddressLine": ["1 Main St"], "City": city,
            "StateProvinceCode": state, "PostalCode": postal, "CountryCode": country}})
    }

    #[test]
    fn us_postal_codes_are_zip_or_zip_plus_four() {
        assert!(postal_fits("US", "30303"));
        assert!(postal_fits("US", "30303-1234"));
        assert!(!postal_fits("US", "3030"));
        assert!(!postal_fits("US", "30303-12"));
        assert!(!postal_fits("US", "ABCDE"));
        assert!(postal_fits("CA", "K1A 0B1"));
        assert!(!postal_fits("CA", "12345"));
        assert!(postal_fits("NL", "1012 AB"));
    }

    #[test]
    fn addresses_are_refused_with_the_role_named() {
        let e = check(Some(&party("", "GA", "30303", "US")), Role::ShipFrom).unwrap_err();
        assert_eq!(e.message, "Missing or invalid ship from city");
        let e = check(Some(&party("Atlanta", "GA", "3030", "US")), Role::ShipTo).unwrap_err();
        assert!(
            e.message.contains("ship to postal code \"3030\""),
            "{}",
            e.message
        );
        let e = check(Some(&party("Atlanta", "CA", "30303", "US")), Role::Shipper).unwrap_err();
        assert_eq!(
            e.message,
            "The shipper postal code 30303 is invalid for CA United States."
        );
        let ok = check(Some(&party("Atlanta", "ga", "30303", "us")), Role::ShipTo).unwrap();
        assert_eq!((ok.state.as_str(), ok.country.as_str()), ("GA", "US"));
    }
}
