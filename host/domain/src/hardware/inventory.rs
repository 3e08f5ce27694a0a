//! Everything hardware the planner knows, in memory, with the indexes lookups need.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::asset::{Asset, AssetError, AssetState, NewAsset, serial_key};
use super::mdm::{CommandState, MdmCommand};
use super::returns::ReturnShipment;
use super::settings::HardwareSettings;
use super::store::Order;
use crate::ids::{AssetId, CommandId, EmployeeId, OrderId, ShipmentId};

/// Assets, returns, MDM commands and the hardware settings.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Hardware {
    pub settings: HardwareSettings,
    assets: BTreeMap<AssetId, Asset>,
    pub shipments: BTreeMap<ShipmentId, ReturnShipment>,
    pub commands: BTreeMap<CommandId, MdmCommand>,
    pub orders: BTreeMap<OrderId, Order>,
    #[serde(skip)]
    serials: HashMap<String, AssetId>,
    #[serde(skip)]
    tags: HashMap<String, AssetId>,
}

/// A search of the inventory (the assets page and `GET /api/v1/assets`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetFilter {
    /// Words found in the model, serial, tag or assignee's name (case-insensitive).
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub state: Option<AssetState>,
    /// A site key or `warehouse`.
    #[serde(default)]
    pub location: Option<String>,
}

impl Hardware {
    pub fn asset(&self, id: &AssetId) -> Option<&Asset> {
        self.assets.get(id)
    }

    pub fn assets(&self) -> impl Iterator<Item = &Asset> {
        self.assets.values()
    }

    pub fn asset_count(&self) -> usize {
        self.assets.len()
    }

    /// Inserts or replaces an asset, keeping the serial and tag indexes right.
    pub fn put_asset(&mut self, asset: Asset) {
        if let Some(old) = self.assets.get(&asset.id) {
            self.serials.remove(&serial_key(&old.serial));
            if let Some(tag) = &old.tag {
                self.tags.remove(&serial_key(tag));
            }
        }
        self.serials
            .insert(serial_key(&asset.serial), asset.id.clone());
        if let Some(tag) = &asset.tag {
            self.tags.insert(serial_key(tag), asset.id.clone());
        }
        self.assets.insert(asset.id.clone(), asset);
    }

    /// Rebuilds the indexes (after deserializing).
    pub fn reindex(&mut self) {
        let assets = std::mem::take(&mut self.assets);
        self.serials.clear();
        self.tags.clear();
        for a in assets.into_values() {
            self.put_asset(a);
        }
    }

    pub fn by_serial(&self, serial: &str) -> Option<&Asset> {
        self.serials
            .get(&serial_key(serial))
            .and_then(|id| self.assets.get(id))
    }

    /// Refuses a new asset whose serial or tag is taken, or whose place is unknown.
    pub fn check_new(&self, new: &NewAsset) -> Result<(), AssetError> {
        if let Some(a) = self.by_serial(&new.serial) {
            return Err(AssetError::DuplicateSerial(
                new.serial.clone(),
                a.id.clone(),
            ));
        }
        if let Some(tag) = &new.tag
            && let Some(id) = self.tags.get(&serial_key(tag))
        {
            return Err(AssetError::DuplicateTag(tag.clone(), id.clone()));
        }
        if let Some(place) = &new.location
            && self.settings.place(place).is_none()
        {
            return Err(AssetError::UnknownPlace(place.clone()));
        }
        Ok(())
    }

    /// The devices someone has (or had, while their return is on its way). A device
    /// they kept when they left is retired and no longer counts.
    pub fn assigned_to(&self, employee: &EmployeeId) -> Vec<&Asset> {
        self.assets
            .values()
            .filter(|a| matches!(a.state, AssetState::Assigned | AssetState::InTransit))
            .filter(|a| a.assignee.as_ref().is_some_and(|w| &w.id == employee))
            .collect()
    }

    pub fn search(&self, f: &AssetFilter, limit: usize) -> Vec<&Asset> {
        let words: Vec<String> =
            f.q.as_deref()
                .unwrap_or("")
                .split_whitespace()
                .map(str::to_lowercase)
                .collect();
        self.assets
            .values()
            .filter(|a| f.state.is_none_or(|s| a.state == s))
            .filter(|a| {
                f.location
                    .as_deref()
                    .is_none_or(|l| a.location.as_deref() == Some(l))
            })
            .filter(|a| {
                if words.is_empty() {
                    return true;
                }
                let hay = format!(
                    "{} {} {} {}",
                    a.model,
                    a.serial,
                    a.tag.as_deref().unwrap_or(""),
                    a.assignee.as_ref().map(|w| w.name.as_str()).unwrap_or("")
                )
                .to_lowercase();
                words.iter().all(|w| hay.contains(w.as_str()))
            })
            .take(limit)
            .collect()
    }

    pub fn shipments_for(&self, employee: &EmployeeId) -> Vec<&ReturnShipment> {
        self.shipments
            .values()
            .filter(|s| &s.employee.id == employee)
            .collect()
    }

    pub fn commands_for_asset(&self, asset: &AssetId) -> Vec<&MdmCommand> {
        self.commands
            .values()
            .filter(|c| &c.asset == asset)
            .collect()
    }

    /// Shipments to ask the carrier about now.
    pub fn shipments_due(&self, now: Timestamp) -> Vec<&ReturnShipment> {
        self.shipments
            .values()
            .filter(|s| s.state.is_open() && s.next_check.is_some_and(|t| t <= now))
            .collect()
    }

    /// Commands to send or follow now.
    pub fn commands_due(&self, now: Timestamp) -> Vec<&MdmCommand> {
        self.commands
            .values()
            .filter(|c| matches!(c.state, CommandState::Queued | CommandState::Pending))
            .filter(|c| c.not_before.is_none_or(|t| t <= now))
            .filter(|c| c.next_try.is_none_or(|t| t <= now))
            .collect()
    }
}
