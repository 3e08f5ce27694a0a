//! The mass-termination guard: a sync that would offboard a large share of the company
//! at once is far more likely a broken HR feed than a real event, so its offboardings
//! wait for an admin.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::employee::EmployeeRef;
use crate::ids::{HoldId, UserId};

/// When a sync's offboardings are held.
///
/// Held when the sync would offboard at least `minimum` employees AND more than `share`
/// of the employees who were employed (pending or active) before it. The minimum keeps
/// one or two people leaving a small company from needing approval; with the defaults
/// (10%, 3) a 20-person company holds at 3 offboardings, a 500-person one at 51.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MassTerminationGuard {
    /// 0.0..=1.0; values outside are clamped.
    pub share: f64,
    pub minimum: usize,
}

impl Default for MassTerminationGuard {
    fn default() -> Self {
        Self {
            share: 0.10,
            minimum: 3,
        }
    }
}

impl MassTerminationGuard {
    /// Whether `offboardings` out of `employed` trips the guard.
    pub fn trips(&self, offboardings: usize, employed: usize) -> bool {
        let share = if self.share.is_nan() {
            0.0
        } else {
            self.share.clamp(0.0, 1.0)
        };
        offboardings >= self.minimum.max(1) && offboardings as f64 > share * employed as f64
    }

    /// The reason a person reads on the hold.
    pub fn reason(&self, offboardings: usize, employed: usize) -> String {
        format!(
            "this sync would offboard {offboardings} of {employed} employees, more than the {}% \
             an admin allows without approval; check the HR data, then approve or reject",
            (self.share * 100.0).round()
        )
    }
}

/// One offboarding waiting in a hold.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldOffboarding {
    pub employee: EmployeeRef,
    pub final_day: Date,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldResolution {
    pub approved: bool,
    pub by: UserId,
    pub at: Timestamp,
}

/// Offboardings held for an admin's approval.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldOffboardings {
    pub id: HoldId,
    pub at: Timestamp,
    pub employees: Vec<HeldOffboarding>,
    pub reason: String,
    pub resolution: Option<HoldResolution>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoldError {
    #[error("there is no held offboarding {0}")]
    NotFound(HoldId),
    #[error("held offboarding {0} was already decided")]
    AlreadyResolved(HoldId),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_numbers_never_trip_the_guard() {
        let guard = MassTerminationGuard::default();
        assert!(!guard.trips(2, 5));
        assert!(guard.trips(3, 5));
        assert!(!guard.trips(3, 30));
        assert!(guard.trips(4, 30));
        assert!(!guard.trips(50, 500));
        assert!(guard.trips(51, 500));
    }
}
