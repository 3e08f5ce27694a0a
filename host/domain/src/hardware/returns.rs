//! Getting a leaver's devices back: the champion's choice per device, and the return
//! shipment booked with a carrier (one per leaver: every shipped device goes in one box
//! to one place).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::address::PostalAddress;
use crate::employee::EmployeeRef;
use crate::ids::{AssetId, PluginId, ShipmentId, TaskId};
use crate::task::{DeviceRetrieval, MdmAction};

/// The champion's choice for one assigned device on the Offboard task.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceChoice {
    pub asset: AssetId,
    pub retrieval: DeviceRetrieval,
    /// Only for a device its MDM manages; `none` otherwise.
    #[serde(default)]
    pub mdm: MdmAction,
}

/// What the shell asks the carrier to book, before anything is committed.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnDraft {
    /// `warehouse` or a site key.
    pub place: String,
    pub origin: PostalAddress,
    pub destination: PostalAddress,
    pub assets: Vec<AssetId>,
    /// "Laptop and charger: MacBook Pro 14" (carriers cap it; the connector trims).
    pub description: String,
    pub weight_grams: u32,
    /// The sum of the devices' costs, for insurance; `None` when none is known.
    pub declared_value_cents: Option<u64>,
    pub currency: String,
    /// The same for a retry of the same booking: `<task>-return`.
    pub reference: String,
}

/// What the carrier answered (the images stay with the shell).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    pub carrier: PluginId,
    pub tracking_number: String,
    /// What the label-free drop-off code encodes (rendered as a QR code in the email).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_off_text: Option<String>,
    /// The carrier gave a printable label (kept by the shell, attached to the email).
    #[serde(default)]
    pub has_label: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_url: Option<String>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ShipmentState {
    /// No carrier is set up: a hardware champion sends a label by hand and marks the
    /// device received when it arrives.
    ByHand,
    /// Booked; the employee has the code or label; not yet with the carrier.
    Booked,
    InTransit,
    Delivered {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<String>,
    },
    /// The carrier reported a problem (damaged, returned to sender, address issue).
    Exception {
        reason: String,
    },
    /// Cancelled with the carrier; a new one can be booked.
    Voided,
}

impl ShipmentState {
    pub fn words(&self) -> String {
        match self {
            ShipmentState::ByHand => "by hand (no carrier set up)".into(),
            ShipmentState::Booked => "booked, waiting for drop-off".into(),
            ShipmentState::InTransit => "in transit".into(),
            ShipmentState::Delivered { at: Some(at) } => format!("delivered {at}"),
            ShipmentState::Delivered { at: None } => "delivered".into(),
            ShipmentState::Exception { reason } => format!("problem: {reason}"),
            ShipmentState::Voided => "voided".into(),
        }
    }

    /// Still to follow with the carrier.
    pub fn is_open(&self) -> bool {
        matches!(
            self,
            ShipmentState::Booked | ShipmentState::InTransit | ShipmentState::Exception { .. }
        )
    }
}

/// A return shipment of a leaver's devices.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnShipment {
    pub id: ShipmentId,
    pub employee: EmployeeRef,
    /// The Offboard task that asked for it.
    pub task: TaskId,
    pub assets: Vec<AssetId>,
    /// `warehouse` or a site key.
    pub place: String,
    pub origin: PostalAddress,
    pub destination: PostalAddress,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking: Option<Booking>,
    pub state: ShipmentState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_value_cents: Option<u64>,
    /// The carrier's words for the latest event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_event: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// When to ask the carrier next; `None` once it needs no more following.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_check: Option<Timestamp>,
    /// The shipment this one replaced (a voided or failed one, rebooked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<ShipmentId>,
}

impl ReturnShipment {
    pub fn tracking_number(&self) -> Option<&str> {
        self.booking.as_ref().map(|b| b.tracking_number.as_str())
    }
}
