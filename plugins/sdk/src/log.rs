//! Logging through the host: each line lands in the appliance's log tagged with the
//! plugin's id, cut to one line. Never log secrets, tokens or whole remote bodies.
//! In native tests the fake host keeps the lines ([`crate::testing::FakeHost::logs`])
//! and prints them, so a failing test shows them.

use crate::hostcall::{self, Level};

/// Detail for whoever debugs the connector.
pub fn debug(message: &str) {
    hostcall::log(Level::Debug, message);
}
/// Something worth knowing in normal operation.
pub fn info(message: &str) {
    hostcall::log(Level::Info, message);
}
/// Something an administrator may want to fix (a missing permission the connector
/// can work around, an odd record it skipped).
pub fn warn(message: &str) {
    hostcall::log(Level::Warn, message);
}
/// A failure; the call's [`crate::Error`] says the same to the host.
pub fn error(message: &str) {
    hostcall::log(Level::Error, message);
}
