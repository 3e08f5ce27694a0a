//! A company asset and the moves of its life. Each move checks the state it starts
//! from and records itself in the asset's history (the audit log keeps everything; the
//! asset its latest [`HISTORY_KEPT`] events).

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::employee::EmployeeRef;
use crate::ids::{AssetId, PluginId, ShipmentId};

/// Events an asset keeps inline; older ones are in the audit log.
pub const HISTORY_KEPT: usize = 50;

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssetState {
    /// On a shelf, free to assign.
    InStock,
    /// In someone's hands (also while their return is booked but not yet moving).
    Assigned,
    /// On its way back: the carrier has it.
    InTransit,
    /// Back at a site or the warehouse; to restock or reassign.
    Received,
    InRepair,
    /// Out of inventory for good (scrapped, sold, kept by a leaver).
    Retired,
}

impl AssetState {
    pub const ALL: [AssetState; 6] = [
        AssetState::InStock,
        AssetState::Assigned,
        AssetState::InTransit,
        AssetState::Received,
        AssetState::InRepair,
        AssetState::Retired,
    ];

    /// `in_stock`, `assigned`, ... (as the API and filters name states).
    pub fn name(self) -> &'static str {
        match self {
            AssetState::InStock => "in_stock",
            AssetState::Assigned => "assigned",
            AssetState::InTransit => "in_transit",
            AssetState::Received => "received",
            AssetState::InRepair => "in_repair",
            AssetState::Retired => "retired",
        }
    }

    pub fn from_name(name: &str) -> Option<AssetState> {
        AssetState::ALL.into_iter().find(|s| s.name() == name)
    }

    /// "in stock", "in transit", ...
    pub fn words(self) -> &'static str {
        match self {
            AssetState::InStock => "in stock",
            AssetState::Assigned => "assigned",
            AssetState::InTransit => "in transit",
            AssetState::Received => "received",
            AssetState::InRepair => "in repair",
            AssetState::Retired => "retired",
        }
    }
}

/// The MDM's device for this asset, found by serial number.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MdmLink {
    pub connector: PluginId,
    pub device_id: String,
    /// Whether the MDM can send it commands (lock, wipe).
    pub managed: bool,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetEvent {
    pub at: Timestamp,
    /// Who: a user id, `hr`, `carrier`, `mdm`.
    pub by: String,
    pub what: String,
}

/// What an admin enters (form, CSV row, API) for a new asset.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAsset {
    pub model: String,
    pub serial: String,
    #[serde(default)]
    pub tag: Option<String>,
    #[serde(default)]
    pub purchase_date: Option<Date>,
    /// In cents of the hardware settings' currency.
    #[serde(default)]
    pub cost_cents: Option<u64>,
    #[serde(default)]
    pub warranty_end: Option<Date>,
    /// A site key or `warehouse`.
    #[serde(default)]
    pub location: Option<String>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asset {
    pub id: AssetId,
    pub model: String,
    pub serial: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_cents: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warranty_end: Option<Date>,
    pub state: AssetState,
    /// Where it is kept or goes back to: a site key or `warehouse`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Who has it. Stays set while a leaver's return is on its way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<EmployeeRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mdm: Option<MdmLink>,
    /// The return bringing it back, while there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_shipment: Option<ShipmentId>,
    #[serde(default)]
    pub history: Vec<AssetEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssetError {
    #[error("{0} is required")]
    Missing(&'static str),
    #[error("{0} is too long (at most 200 characters)")]
    TooLong(&'static str),
    #[error("serial number {0} is already in inventory ({1})")]
    DuplicateSerial(String, AssetId),
    #[error("asset tag {0} is already used by {1}")]
    DuplicateTag(String, AssetId),
    #[error("there is no asset {0}")]
    NotFound(AssetId),
    #[error("{asset} is {state}; it can't be {what}")]
    WrongState {
        asset: AssetId,
        state: &'static str,
        what: &'static str,
    },
    #[error("there is no site or warehouse `{0}` (Settings → Hardware)")]
    UnknownPlace(String),
    #[error("the warranty ends before the purchase date")]
    WarrantyBeforePurchase,
}

impl NewAsset {
    /// Trims and checks the fields (not uniqueness: see `Hardware::check_new`).
    pub fn cleaned(self) -> Result<NewAsset, AssetError> {
        let t = |s: String| s.trim().to_string();
        let opt = |s: Option<String>| s.map(t).filter(|s| !s.is_empty());
        let a = NewAsset {
            model: t(self.model),
            serial: t(self.serial),
            tag: opt(self.tag),
            location: opt(self.location),
            ..self
        };
        if a.model.is_empty() {
            return Err(AssetError::Missing("the model"));
        }
        if a.serial.is_empty() {
            return Err(AssetError::Missing("the serial number"));
        }
        for (what, v) in [
            ("the model", Some(&a.model)),
            ("the serial number", Some(&a.serial)),
            ("the asset tag", a.tag.as_ref()),
        ] {
            if v.is_some_and(|v| v.chars().count() > 200) {
                return Err(AssetError::TooLong(what));
            }
        }
        if let (Some(bought), Some(ends)) = (a.purchase_date, a.warranty_end)
            && ends < bought
        {
            return Err(AssetError::WarrantyBeforePurchase);
        }
        Ok(a)
    }
}

/// The key serials are compared by: trimmed, upper case (serials are printed in caps;
/// people type them in either).
pub fn serial_key(serial: &str) -> String {
    serial.trim().to_ascii_uppercase()
}

impl Asset {
    pub fn new(id: AssetId, new: NewAsset, at: Timestamp, by: &str) -> Asset {
        let mut a = Asset {
            id,
            model: new.model,
            serial: new.serial,
            tag: new.tag,
            purchase_date: new.purchase_date,
            cost_cents: new.cost_cents,
            warranty_end: new.warranty_end,
            state: AssetState::InStock,
            location: new.location,
            assignee: None,
            mdm: None,
            return_shipment: None,
            history: Vec::new(),
        };
        a.record(at, by, "added to inventory".into());
        a
    }

    /// "MacBook Pro 14 (C02XK1, tag T-0042)".
    pub fn label(&self) -> String {
        match &self.tag {
            Some(tag) => format!("{} ({}, tag {tag})", self.model, self.serial),
            None => format!("{} ({})", self.model, self.serial),
        }
    }

    pub fn record(&mut self, at: Timestamp, by: &str, what: String) {
        self.history.push(AssetEvent {
            at,
            by: by.into(),
            what,
        });
        if self.history.len() > HISTORY_KEPT {
            let extra = self.history.len() - HISTORY_KEPT;
            self.history.drain(..extra);
        }
    }

    fn wrong(&self, what: &'static str) -> AssetError {
        AssetError::WrongState {
            asset: self.id.clone(),
            state: self.state.words(),
            what,
        }
    }

    /// Hands it to `to`: from stock, or straight after it came back.
    pub fn assign(&mut self, to: EmployeeRef, at: Timestamp, by: &str) -> Result<(), AssetError> {
        if !matches!(self.state, AssetState::InStock | AssetState::Received) {
            return Err(self.wrong("assigned"));
        }
        self.record(at, by, format!("assigned to {to}"));
        self.state = AssetState::Assigned;
        self.assignee = Some(to);
        Ok(())
    }

    /// Puts it back on a shelf at `location` (a returned device, one from repair, or one
    /// taken back from someone by hand).
    pub fn restock(
        &mut self,
        location: Option<String>,
        at: Timestamp,
        by: &str,
    ) -> Result<(), AssetError> {
        if matches!(self.state, AssetState::Retired | AssetState::InTransit) {
            return Err(self.wrong("put back in stock"));
        }
        let place = location.clone().or_else(|| self.location.clone());
        let from = match &self.assignee {
            Some(who) => format!(" (taken back from {who})"),
            None => String::new(),
        };
        self.record(
            at,
            by,
            format!(
                "in stock{}{from}",
                place
                    .as_deref()
                    .map(|p| format!(" at {p}"))
                    .unwrap_or_default()
            ),
        );
        self.state = AssetState::InStock;
        self.location = place;
        self.assignee = None;
        self.return_shipment = None;
        Ok(())
    }

    pub fn send_to_repair(&mut self, at: Timestamp, by: &str) -> Result<(), AssetError> {
        if matches!(self.state, AssetState::Retired | AssetState::InTransit) {
            return Err(self.wrong("sent to repair"));
        }
        self.record(at, by, "sent to repair".into());
        self.state = AssetState::InRepair;
        Ok(())
    }

    /// Out of inventory for good, with the reason ("kept by Ann Lee when she left").
    pub fn retire(&mut self, reason: &str, at: Timestamp, by: &str) -> Result<(), AssetError> {
        if self.state == AssetState::Retired {
            return Err(self.wrong("retired"));
        }
        self.record(at, by, format!("retired: {reason}"));
        self.state = AssetState::Retired;
        self.return_shipment = None;
        Ok(())
    }

    /// A return was booked for it: it stays assigned until it is received.
    pub fn return_booked(&mut self, shipment: ShipmentId, what: String, at: Timestamp, by: &str) {
        self.record(at, by, what);
        self.return_shipment = Some(shipment);
    }

    /// The carrier has it.
    pub fn in_transit(&mut self, at: Timestamp) {
        if self.state == AssetState::Assigned {
            self.record(at, "carrier", "on its way back".into());
            self.state = AssetState::InTransit;
        }
    }

    /// It arrived at `location` (the return's destination, or handed in at a site): no
    /// longer anyone's; a hardware champion restocks or reassigns it.
    pub fn receive(
        &mut self,
        location: Option<String>,
        at: Timestamp,
        by: &str,
    ) -> Result<(), AssetError> {
        if !matches!(self.state, AssetState::Assigned | AssetState::InTransit) {
            return Err(self.wrong("received"));
        }
        let from = self
            .assignee
            .as_ref()
            .map(|w| format!(" from {w}"))
            .unwrap_or_default();
        let place = location.clone().or_else(|| self.location.clone());
        self.record(
            at,
            by,
            format!(
                "received{from}{}",
                place
                    .as_deref()
                    .map(|p| format!(" at {p}"))
                    .unwrap_or_default()
            ),
        );
        self.state = AssetState::Received;
        self.location = place;
        self.assignee = None;
        Ok(())
    }
}
