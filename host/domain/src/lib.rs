//! Tenure's domain: pure types and rules, no I/O, no clock, no randomness.
//!
//! The lifecycle planner ([`planner`]) takes what the store knows ([`Known`]), what HR
//! says ([`RawHrRecord`]), the catalog of groups, rules, apps and champions, and the time
//! and ids the caller passes ([`PlanContext`]); it returns a [`Plan`] of effects and
//! audit entries for the shell to commit in one transaction.
//!
//! How the shell uses it:
//! - A sync: `plan(&known, &page, &mut ctx)`, then apply `plan.effects` in order, append
//!   `plan.audit`, upsert `plan.quarantined` (keyed by source and source id) and store
//!   the new cursor, all in ONE write transaction. [`InMemoryKnown::apply`] is the
//!   reference for what each effect means. Re-planning a committed page yields nothing.
//! - Hourly (and after each sync): [`due`] opens the offboardings whose final day has
//!   come and activates hires whose start date has come.
//! - Admin actions: [`approve_held`] / [`reject_held`], [`add_pre_hire`],
//!   [`offboard_now`], [`reconcile_access`] after editing groups, rules or apps, and
//!   [`dry_run()`] to preview any of it.
//! - Ids come from the shell's [`IdSource`]; `now` and the company time zone from
//!   [`PlanContext`]. The planner reads no clock and does no I/O.

pub mod access;
pub mod audit;
pub mod dates;
pub mod dry_run;
pub mod effect;
pub mod employee;
pub mod employees;
pub mod group_set;
pub mod groups;
pub mod guard;
pub mod hardware;
pub mod hr_record;
pub mod ids;
pub mod jobs;
pub mod known;
mod name_search;
pub mod planner;
pub mod task;
pub mod tasks;
pub mod work_zone;
pub mod zones;

pub use access::{AccessChange, AccessEvent, AccessRecord, AccessState};
pub use audit::{Actor, AuditAction, AuditEntry, Subject};
pub use dry_run::{DryRun, DryRunError, DryRunStep, WhatIf, dry_run};
pub use effect::{Effect, JobAction, JobIntent, NotificationKind, Plan};
pub use employee::{
    Adjustments, Employee, EmployeeRef, EmployeeStatus, FieldChange, Offboarding, Profile,
    SourceRef, Termination,
};
pub use employees::Employees;
pub use groups::{
    Access, Application, Catalog, Champion, Champions, CustomGroup, ExternalGroup, FirstCredential,
    Grants, GroupMatch, GroupRef, Provisioning, Rule,
};
pub use guard::{
    HeldOffboarding, HeldOffboardings, HoldError, HoldResolution, MassTerminationGuard,
};
pub use hr_record::{DateField, Quarantine, QuarantineReason, RawHrRecord, RawStatus};
pub use ids::{
    AppId, AssetId, CommandId, EmployeeId, GroupId, HoldId, IdSource, OrderId, PluginId,
    SequentialIds, ShipmentId, TaskId, UserId,
};
pub use jobs::{Failure, Job, JobState, Next, ParkedConnector, RetryPolicy};
pub use known::{InMemoryKnown, Known};
pub use planner::{
    ManualError, PlanContext, PreHire, TaskAction, TaskError, act_on_task, add_pre_hire,
    approve_held, decide, decide_with, due, job_failed, offboard_now, plan, reconcile_access,
    reject_held,
};
pub use task::{
    AppAction, AppChoice, Decision, DeviceRetrieval, Disposition, EquipDecision, GroupChange,
    GroupChangeDecision, ManualAppTask, MdmAction, OffboardDecision, ReceiveDecision,
    SetupDecision, StoreCheckout, Task, TaskKind, TaskState,
};
pub use tasks::Tasks;

/// Re-exported so callers name the same time types the domain uses.
pub use jiff;
