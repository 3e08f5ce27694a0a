//! Commands sent to a leaver's devices through their MDM: lock or wipe, queued with the
//! offboarding and sent when its revocations are due.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::employee::EmployeeRef;
use crate::ids::{AssetId, CommandId, PluginId};
use crate::task::MdmAction;

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum CommandState {
    /// Waiting for its time (the end of the final day) or for a retry.
    Queued,
    /// The MDM took it; the device receives it when it is next online.
    Pending,
    /// The device confirmed it.
    Done,
    /// It will not happen: the reason says what a person should do.
    Failed { reason: String },
}

impl CommandState {
    pub fn words(&self) -> String {
        match self {
            CommandState::Queued => "queued".into(),
            CommandState::Pending => "sent, waiting for the device to come online".into(),
            CommandState::Done => "done".into(),
            CommandState::Failed { reason } => format!("failed: {reason}"),
        }
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MdmCommand {
    pub id: CommandId,
    pub asset: AssetId,
    pub employee: EmployeeRef,
    pub connector: PluginId,
    pub device_id: String,
    pub action: MdmAction,
    /// Not sent before this instant (the offboarding's revocations). `None`: at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<Timestamp>,
    pub state: CommandState,
    /// The unlock PIN the MDM issued, sealed with the store's key (never in logs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed_pin: Option<String>,
    #[serde(default)]
    pub attempts: u32,
    /// When the runner looks at it next; `None` once it is done or failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_try: Option<Timestamp>,
    pub updated_at: Timestamp,
}

impl MdmCommand {
    /// "lock", "wipe".
    pub fn verb(&self) -> &'static str {
        match self.action {
            MdmAction::Lock => "lock",
            MdmAction::Wipe => "wipe",
            MdmAction::None => "none",
        }
    }
}
