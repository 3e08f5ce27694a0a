//! A postal address: where a return starts (the employee's home) and where it goes (the
//! warehouse or a company site).

use serde::{Deserialize, Serialize};

/// A postal address as carriers want it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostalAddress {
    /// Who or what is there: a person, "Acme warehouse".
    pub name: String,
    /// Street lines, first to last (at most three).
    pub street: Vec<String>,
    pub city: String,
    /// State, province or region, where the country has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 ("US").
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("the address needs {0}")]
    Missing(&'static str),
    #[error("the country must be a two-letter ISO code like US or DE, not `{0}`")]
    Country(String),
    #[error("an address has at most three street lines")]
    TooManyLines,
    #[error("{0} is too long (at most 100 characters)")]
    TooLong(&'static str),
}

impl PostalAddress {
    /// Trims every field, drops empty lines and upper-cases the country; then checks
    /// what a carrier needs. The carrier may still refuse it (and say why).
    pub fn cleaned(self) -> Result<PostalAddress, AddressError> {
        let t = |s: String| s.trim().to_string();
        let opt = |s: Option<String>| s.map(t).filter(|s| !s.is_empty());
        let a = PostalAddress {
            name: t(self.name),
            street: self
                .street
                .into_iter()
                .map(t)
                .filter(|s| !s.is_empty())
                .collect(),
            city: t(self.city),
            region: opt(self.region),
            postal_code: t(self.postal_code),
            country: t(self.country).to_ascii_uppercase(),
            phone: opt(self.phone),
        };
        for (what, value) in [
            ("a name", &a.name),
            ("a city", &a.city),
            ("a postal code", &a.postal_code),
            ("a country", &a.country),
        ] {
            if value.is_empty() {
                return Err(AddressError::Missing(what));
            }
            if value.chars().count() > 100 {
                return Err(AddressError::TooLong(what));
            }
        }
        if a.street.is_empty() {
            return Err(AddressError::Missing("a street"));
        }
        if a.street.len() > 3 {
            return Err(AddressError::TooManyLines);
        }
        if a.street.iter().any(|l| l.chars().count() > 100) {
            return Err(AddressError::TooLong("a street line"));
        }
        if a.country.len() != 2 || !a.country.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(AddressError::Country(a.country));
        }
        Ok(a)
    }

    /// One line: "Ann Lee, 1 Main St, Springfield, IL 62701, US".
    pub fn one_line(&self) -> String {
        let mut parts = vec![self.name.clone()];
        parts.extend(self.street.iter().cloned());
        parts.push(self.city.clone());
        let mut last = String::new();
        if let Some(r) = &self.region {
            last.push_str(r);
            last.push(' ');
        }
        last.push_str(&self.postal_code);
        parts.push(last);
        parts.push(self.country.clone());
        parts.retain(|p| !p.is_empty());
        parts.join(", ")
    }
}
