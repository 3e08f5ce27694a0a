//! The plugin's settings, as an administrator filled them in (see the manifest's
//! `[[settings]]`). Only settings the manifest declares read at all.
//!
//! | kind in the manifest | read with |
//! | --- | --- |
//! | `text`, `url`, `number`, `bool` | [`config`] / [`required_config`] (the default when unset) |
//! | `secret` | [`secret`] / [`required_secret`] |
//! | `signing-key` | never read: [`crate::jwt`] has the host sign with it |

use crate::{Error, hostcall};

/// A non-secret setting, or its manifest default. Blank reads as absent.
pub fn config(key: &str) -> Option<String> {
    hostcall::config(key).filter(|v| !v.trim().is_empty())
}

/// A secret setting, decrypted for this plugin only. Empty reads as absent. Never
/// log it, put it in an error, or store it in the key-value store.
pub fn secret(key: &str) -> Option<String> {
    hostcall::secret(key).filter(|v| !v.is_empty())
}

/// A setting that must be present. Its absence is a settings problem a person must
/// fix: [`Error::Unauthorized`], which parks the connector until the settings change.
pub fn required_config(key: &str) -> Result<String, Error> {
    config(key).ok_or_else(|| {
        Error::Unauthorized(format!(
            "the setting `{key}` is not set: fill it in on the connector's settings page"
        ))
    })
}

/// A secret that must be present; absent is [`Error::Unauthorized`].
pub fn required_secret(key: &str) -> Result<String, Error> {
    secret(key).ok_or_else(|| {
        Error::Unauthorized(format!(
            "the secret `{key}` is not set: fill it in on the connector's settings page"
        ))
    })
}

/// A `number` setting (or its default), parsed. Unset: `Ok(None)`; not a number:
/// [`Error::Unauthorized`] (a person must correct it).
pub fn number<T: std::str::FromStr>(key: &str) -> Result<Option<T>, Error> {
    match config(key) {
        None => Ok(None),
        Some(v) => v.trim().parse().map(Some).map_err(|_| {
            Error::Unauthorized(format!(
                "the setting `{key}` is not a number ({:?})",
                crate::http::excerpt(&v)
            ))
        }),
    }
}

/// A `bool` setting (or its default): `true`/`false` (also `yes`/`no`, `1`/`0`, `on`/
/// `off`); unset or anything else reads as `default`.
pub fn flag(key: &str, default: bool) -> bool {
    match config(key)
        .map(|v| v.trim().to_ascii_lowercase())
        .as_deref()
    {
        Some("true" | "yes" | "1" | "on") => true,
        Some("false" | "no" | "0" | "off") => false,
        _ => default,
    }
}
