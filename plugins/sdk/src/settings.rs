//! The plugin's settings, as the administrator set them (see the manifest).

use crate::Error;
use crate::wit::tenure::plugin::host;

/// A non-secret setting, or its manifest default.
pub fn config(key: &str) -> Option<String> {
    host::config(key).filter(|v| !v.trim().is_empty())
}

/// A secret setting, decrypted for this plugin only.
pub fn secret(key: &str) -> Option<String> {
    host::secret(key).filter(|v| !v.is_empty())
}

/// A setting that must be present; its absence is a settings problem a person must fix.
pub fn required_config(key: &str) -> Result<String, Error> {
    config(key).ok_or_else(|| Error::InvalidInput(format!("the setting `{key}` is not set")))
}

/// A secret that must be present.
pub fn required_secret(key: &str) -> Result<String, Error> {
    secret(key).ok_or_else(|| Error::Unauthorized(format!("the secret `{key}` is not set")))
}
