//! Where devices go back to: the warehouse and the company's sites, configured once.

use serde::{Deserialize, Serialize};

use super::address::PostalAddress;

/// The key of the warehouse among the places devices ship to.
pub const WAREHOUSE: &str = "warehouse";

/// A company site (an office) or the warehouse.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    /// Short key: `warehouse`, `berlin`, `nyc`.
    pub key: String,
    /// "Berlin office".
    pub name: String,
    pub address: PostalAddress,
}

/// The hardware settings an admin keeps (Settings → Hardware).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HardwareSettings {
    #[serde(default)]
    pub warehouse: Option<Site>,
    #[serde(default)]
    pub sites: Vec<Site>,
    /// What a returned laptop weighs with its charger, for the carrier.
    #[serde(default = "default_weight")]
    pub parcel_weight_grams: u32,
    /// ISO 4217 code of asset costs and declared values.
    #[serde(default = "default_currency")]
    pub currency: String,
    /// The store: products the hardware champions may order.
    #[serde(default)]
    pub products: Vec<super::store::Product>,
}

fn default_weight() -> u32 {
    2500
}

fn default_currency() -> String {
    "USD".into()
}

impl Default for HardwareSettings {
    fn default() -> Self {
        HardwareSettings {
            warehouse: None,
            sites: Vec::new(),
            parcel_weight_grams: default_weight(),
            currency: default_currency(),
            products: Vec::new(),
        }
    }
}

impl HardwareSettings {
    /// The warehouse (`warehouse`) or a site by key.
    pub fn place(&self, key: &str) -> Option<&Site> {
        if key == WAREHOUSE {
            return self.warehouse.as_ref();
        }
        self.sites.iter().find(|s| s.key == key)
    }

    /// Every place devices can be kept or sent to, the warehouse first.
    pub fn places(&self) -> impl Iterator<Item = &Site> {
        self.warehouse.iter().chain(self.sites.iter())
    }
}
