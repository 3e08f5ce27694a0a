//! A plugin's secrets belong to the address they were entered for, as a password
//! manager binds a password to its site: a settings change that points a URL setting
//! at another origin must enter the plugin's stored secrets again in the same save.
//! Otherwise whoever holds an admin session could point `base_url` at their own server
//! and receive the API keys the UI never shows.

use std::collections::BTreeMap;
use tenure_runtime::{Manifest, SettingKind};
use tenure_store::Store;
use url::Url;

/// Checks a URL value before it is saved: http(s), a host, no user name or password,
/// no fragment. The error says what to write instead.
pub fn check_url(key: &str, value: &str) -> Result<Url, String> {
    let url = Url::parse(value)
        .map_err(|e| format!("`{key}` is not a URL ({e}); write it as https://host/path"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("`{key}` must be an http(s) URL, got `{value}`"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{key}` has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "`{key}` must not carry a user name or password; credentials go in the secret settings"
        ));
    }
    if url.fragment().is_some() || value.contains('#') {
        return Err(format!("`{key}` must not contain `#`"));
    }
    Ok(url)
}

fn origin(value: &str) -> Option<String> {
    let o = Url::parse(value.trim()).ok()?.origin();
    o.is_tuple().then(|| o.ascii_serialization())
}

/// Refuses `update` when it moves a URL setting to another origin while the plugin has
/// stored secrets that the update does not enter again. Also checks every URL value.
pub fn check_update(
    store: &Store,
    manifest: &Manifest,
    update: &BTreeMap<String, String>,
) -> Result<(), String> {
    let mut moved = Vec::new();
    for (key, value) in update {
        let Some(spec) = manifest.setting(key) else {
            continue; // save_settings names unknown keys
        };
        if spec.kind != SettingKind::Url || value.is_empty() {
            continue;
        }
        check_url(key, value)?;
        let before = store
            .setting(&manifest.id, key)
            .map_err(|e| format!("cannot read the settings: {e}"))?
            .or_else(|| spec.default.clone());
        let old = before.as_deref().and_then(origin);
        let new = origin(value);
        if old.is_some() && old != new {
            moved.push((
                key.as_str(),
                old.unwrap_or_default(),
                new.unwrap_or_default(),
            ));
        }
    }
    if moved.is_empty() {
        return Ok(());
    }
    let stored = store
        .secret_names(&manifest.id)
        .map_err(|e| format!("cannot read the settings: {e}"))?;
    let missing: Vec<&str> = stored
        .iter()
        .map(String::as_str)
        .filter(|k| update.get(*k).is_none_or(|v| v.is_empty()))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let (key, old, new) = &moved[0];
    Err(format!(
        "Changing `{key}` from {old} to {new} would send {}'s stored credentials to a new \
         address. Enter {} again in the same save.",
        manifest.name,
        missing.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn urls_carry_no_credentials_or_fragments() {
        assert!(check_url("base_url", "https://api.merge.dev/api").is_ok());
        assert!(check_url("base_url", "http://10.0.0.5:8080").is_ok());
        for bad in [
            "https://user:pw@api.merge.dev",
            "https://user@api.merge.dev",
            "https://evil.example/#https://api.merge.dev",
            "https://api.merge.dev#",
            "ftp://files.example",
            "javascript:alert(1)",
            "not a url",
        ] {
            assert!(check_url("base_url", bad).is_err(), "{bad} accepted");
        }
    }
}
