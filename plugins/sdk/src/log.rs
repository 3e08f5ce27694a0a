//! Logging through the host (lines are tagged with the plugin's id). Never log secrets.

use crate::wit::tenure::plugin::host::{self, Level};

pub fn debug(message: &str) {
    host::log(Level::Debug, message);
}
pub fn info(message: &str) {
    host::log(Level::Info, message);
}
pub fn warn(message: &str) {
    host::log(Level::Warn, message);
}
pub fn error(message: &str) {
    host::log(Level::Error, message);
}
