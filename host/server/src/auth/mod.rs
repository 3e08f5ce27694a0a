//! Local accounts and browser sessions.

pub mod oidc;
pub mod password;
pub mod session;
pub mod throttle;
