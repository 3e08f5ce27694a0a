//! The shapes of the answers that handlers build with `json!` rather than return as a
//! type, and the error body every route shares. Each names the domain types it carries,
//! so their schemas still come from those types; `tests/openapi.rs` checks real answers
//! against them.

// Only their schemas are used: the handlers build the same shapes with `json!`.
#![allow(dead_code)]

use schemars::JsonSchema;
use tenure_domain::hardware::{Asset, MdmCommand, Order, ReturnShipment, RowError};
use tenure_domain::work_zone::WorkZone;
use tenure_domain::{AccessRecord, AssetId, Employee, Job, ParkedConnector, Task};
use tenure_store::SyncRun;

/// Every error: a sentence a person can act on.
#[derive(JsonSchema)]
#[schemars(rename = "Error")]
pub struct ErrorBody {
    pub error: String,
}

/// One employee with their tasks (newest first) and the zone their final day ends in.
#[derive(JsonSchema)]
pub struct EmployeeDetail {
    pub employee: Employee,
    pub tasks: Vec<Task>,
    pub work_zone: WorkZone,
}

/// What a sync did: one run per HR source that finished, and why the others failed.
#[derive(JsonSchema)]
pub struct SyncResult {
    pub reports: Vec<SyncRun>,
    pub errors: Vec<String>,
}

/// The HR sources a background sync started (`?background=true`).
#[derive(JsonSchema)]
pub struct SyncStarted {
    pub started: Vec<String>,
}

/// Jobs, newest first, and the connectors paused because their credentials were refused.
#[derive(JsonSchema)]
pub struct JobList {
    pub jobs: Vec<Job>,
    pub parked: Vec<ParkedConnector>,
}

/// Per application, what actually happened to an employee's access.
#[derive(JsonSchema)]
pub struct EmployeeAccess {
    pub access: Vec<AccessRecord>,
    /// Records still waiting for a connector or a person.
    pub pending: usize,
    /// Records whose account is being created now.
    pub provisioning: usize,
}

/// A group of an app connector's directory, for the group picker.
#[derive(JsonSchema)]
pub struct ConnectorGroup {
    pub id: String,
    pub name: String,
}

/// The groups found (at most 200).
#[derive(JsonSchema)]
pub struct ConnectorGroups {
    pub groups: Vec<ConnectorGroup>,
}

#[derive(JsonSchema)]
pub struct AssetList {
    pub assets: Vec<Asset>,
}

/// The new asset's id.
#[derive(JsonSchema)]
pub struct AssetCreated {
    pub id: Option<AssetId>,
}

/// The assets a CSV import added, and the rows it skipped with their reasons.
#[derive(JsonSchema)]
pub struct AssetImport {
    pub imported: Vec<AssetId>,
    pub skipped: Vec<RowError>,
}

/// One asset with its MDM commands.
#[derive(JsonSchema)]
pub struct AssetDetail {
    pub asset: Asset,
    pub commands: Vec<MdmCommand>,
}

/// A return shipment as it is now.
#[derive(JsonSchema)]
pub struct ReturnView {
    #[schemars(rename = "return")]
    pub shipment: Option<ReturnShipment>,
}

/// An employee's devices, returns (with tracking) and MDM commands.
#[derive(JsonSchema)]
pub struct EmployeeHardware {
    pub assets: Vec<Asset>,
    pub returns: Vec<ReturnShipment>,
    pub commands: Vec<MdmCommand>,
}

/// Store orders, newest first.
#[derive(JsonSchema)]
pub struct OrderList {
    pub orders: Vec<Order>,
}

/// A store order as it is now.
#[derive(JsonSchema)]
pub struct OrderView {
    pub order: Option<Order>,
}

/// What to do with a held batch of offboardings.
#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
pub enum HoldDecision {
    Approve,
    Reject,
}
