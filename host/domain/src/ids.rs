//! Identifiers every layer shares, and the source of new ones.
//!
//! The planner never invents an id: the shell hands it an [`IdSource`] so that ids stay
//! unique across restarts (a counter kept in the store, ULIDs, ...) while the planner
//! stays deterministic.

use serde::{Deserialize, Serialize};

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_id!(
    /// A plugin's id as its manifest declares it (`merge-hris`, `okta`, ...).
    PluginId
);
string_id!(
    /// Tenure's own id for an employee (`E-12`); it never changes, not on merge nor rehire.
    EmployeeId
);
string_id!(
    /// A task's id.
    TaskId
);
string_id!(
    /// A held batch of offboardings awaiting an admin's decision.
    HoldId
);
string_id!(
    /// An application in the catalog (`slack`, `figma`).
    AppId
);
string_id!(
    /// A custom group created by an admin.
    GroupId
);
string_id!(
    /// A Tenure user (admin or champion).
    UserId
);

string_id!(
    /// A company asset (a laptop, a phone): `A-12`.
    AssetId
);
string_id!(
    /// A return shipment booked with a carrier: `R-7`.
    ShipmentId
);
string_id!(
    /// An MDM command (lock, wipe) sent to a device: `M-3`.
    CommandId
);
string_id!(
    /// An order from the hardware store: `O-4`.
    OrderId
);

/// Where new ids come from. The shell provides it; tests use [`SequentialIds`].
///
/// An id drawn for a plan that is never committed is simply never used: ids must be
/// unique, not dense.
pub trait IdSource {
    fn employee_id(&mut self) -> EmployeeId;
    fn task_id(&mut self) -> TaskId;
    fn hold_id(&mut self) -> HoldId;
    fn asset_id(&mut self) -> AssetId;
    fn shipment_id(&mut self) -> ShipmentId;
    fn command_id(&mut self) -> CommandId;
    fn order_id(&mut self) -> OrderId;
}

/// Ids `E-1`, `T-2`, `H-3`, ... from one counter. Deterministic; for tests and for a
/// shell that persists `next` in the same transaction as the plan.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequentialIds {
    pub next: u64,
}

impl SequentialIds {
    pub fn starting_at(next: u64) -> Self {
        Self { next }
    }

    fn draw(&mut self, prefix: &str) -> String {
        let id = format!("{prefix}-{}", self.next);
        self.next += 1;
        id
    }
}

impl Default for SequentialIds {
    fn default() -> Self {
        Self { next: 1 }
    }
}

impl IdSource for SequentialIds {
    fn employee_id(&mut self) -> EmployeeId {
        EmployeeId(self.draw("E"))
    }

    fn task_id(&mut self) -> TaskId {
        TaskId(self.draw("T"))
    }

    fn hold_id(&mut self) -> HoldId {
        HoldId(self.draw("H"))
    }

    fn asset_id(&mut self) -> AssetId {
        AssetId(self.draw("A"))
    }

    fn shipment_id(&mut self) -> ShipmentId {
        ShipmentId(self.draw("R"))
    }

    fn command_id(&mut self) -> CommandId {
        CommandId(self.draw("M"))
    }

    fn order_id(&mut self) -> OrderId {
        OrderId(self.draw("O"))
    }
}
