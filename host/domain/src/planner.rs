//! The lifecycle planner: (what the store knows, what HR says, the rules, now) in,
//! effects out. No I/O, no clock: the caller passes `now` and a source of ids.
//!
//! - [`plan`] — a page of HR records from a sync.
//! - [`due`] — the daily run: starts that have come, offboardings whose final day has come.
//! - [`approve_held`] / [`reject_held`] — an admin's decision on held offboardings.
//! - [`add_pre_hire`], [`offboard_now`], [`reconcile_access`] — admin actions.
//! - [`act_on_task`] — a champion completes, cancels or reassigns a task.
//! - [`decide`] — a champion's decision on Complete IT Setup, Group Change or Offboard.
//! - [`crate::dry_run::dry_run`] — what would happen, without changing anything.

mod context;
mod decisions;
mod due;
mod holds;
mod manual;
mod sync;
mod tasks;
mod work;

pub use context::PlanContext;
pub use decisions::{decide, decide_with};
pub use due::due;
pub use holds::{approve_held, reject_held};
pub use manual::{ManualError, PreHire, add_pre_hire, job_failed, offboard_now, reconcile_access};
pub use sync::plan;
pub(crate) use sync::{Facts, plan_edit};
pub use tasks::{TaskAction, TaskError, act_on_task};
