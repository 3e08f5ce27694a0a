//! `[plugins]`: whose signatures the appliance trusts, and whether it loads unsigned
//! plugins at all. Every plugin is checked before it is compiled: bundled ones at
//! start, installed ones at start and at install.

use serde::Deserialize;
use tenure_runtime::Manifest;
use tenure_runtime::signature::{self, BUNDLED_PUBLISHER, SignatureError, TrustedKey};

/// `[plugins]` of the configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PluginsConfig {
    /// Publishers whose signed plugins may be installed: `"<key id>:<base64 public
    /// key>"`, as `tenure plugin keygen` prints.
    pub trusted_keys: Vec<String>,
    /// Loads plugins without a signature (marked "unsigned" in the UI and in `tenure
    /// plugin list`). A wrong signature is refused even then.
    pub allow_unsigned: bool,
}

impl PluginsConfig {
    /// The trust these settings describe. Errors name the bad entry.
    pub fn trust(&self) -> anyhow::Result<Trust> {
        let mut keys = vec![bundled_key()];
        for line in &self.trusted_keys {
            let key = TrustedKey::parse(line)
                .map_err(|e| anyhow::anyhow!("[plugins] trusted_keys: {e}"))?;
            if key.id == BUNDLED_PUBLISHER {
                anyhow::bail!(
                    "[plugins] trusted_keys: `{BUNDLED_PUBLISHER}` is the publisher of the \
                     bundled plugins; give the key another id"
                );
            }
            if keys.iter().any(|k| k.id == key.id) {
                anyhow::bail!("[plugins] trusted_keys: `{}` is listed twice", key.id);
            }
            keys.push(key);
        }
        Ok(Trust {
            keys,
            allow_unsigned: self.allow_unsigned,
        })
    }
}

/// The key that signed the bundled plugins of this build. Its private half existed
/// only while the build ran, so only plugins of this build's `plugins/` tree carry it.
fn bundled_key() -> TrustedKey {
    TrustedKey::new(BUNDLED_PUBLISHER, &tenure_plugins::BUNDLED_PUBLISHER_KEY)
        .expect("a 32-byte key")
}

/// Whose signatures count, and whether unsigned plugins load.
#[derive(Debug, Clone)]
pub struct Trust {
    keys: Vec<TrustedKey>,
    allow_unsigned: bool,
}

impl Default for Trust {
    /// Only the bundled plugins' key; unsigned plugins refused.
    fn default() -> Self {
        Trust {
            keys: vec![bundled_key()],
            allow_unsigned: false,
        }
    }
}

/// How a loaded plugin is signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signed {
    /// By a trusted publisher (`tenure-bundled` for the bundled plugins).
    By(String),
    /// Not signed, loaded because `[plugins] allow_unsigned = true`.
    Unsigned,
}

impl Signed {
    pub fn publisher(&self) -> Option<&str> {
        match self {
            Signed::By(p) => Some(p),
            Signed::Unsigned => None,
        }
    }
}

impl std::fmt::Display for Signed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Signed::By(p) => write!(f, "signed by {p} (trusted)"),
            Signed::Unsigned => f.write_str("unsigned"),
        }
    }
}

impl Trust {
    /// Checks a plugin's signature: `Ok` with who signed it (or `Unsigned` when that is
    /// allowed), else why it is refused.
    pub fn check(
        &self,
        manifest: &Manifest,
        manifest_text: &str,
        wasm: &[u8],
    ) -> Result<Signed, SignatureError> {
        match signature::verify(
            wasm,
            manifest_text,
            manifest.publisher.as_deref(),
            manifest.signature.as_deref(),
            &self.keys,
        ) {
            Ok(publisher) => Ok(Signed::By(publisher)),
            Err(SignatureError::Unsigned) if self.allow_unsigned => Ok(Signed::Unsigned),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_plugins_verify_and_bad_key_lines_are_refused() {
        let trust = PluginsConfig::default().trust().unwrap();
        for b in tenure_plugins::BUNDLED {
            let m = Manifest::from_toml(b.manifest).unwrap();
            assert_eq!(
                trust.check(&m, b.manifest, b.wasm),
                Ok(Signed::By(BUNDLED_PUBLISHER.into())),
                "{}",
                m.id
            );
        }
        let taken = PluginsConfig {
            trusted_keys: vec![format!(
                "{BUNDLED_PUBLISHER}:{}",
                bundled_key().line().split_once(':').unwrap().1
            )],
            allow_unsigned: false,
        };
        assert!(
            taken
                .trust()
                .unwrap_err()
                .to_string()
                .contains("another id")
        );
        let bad = PluginsConfig {
            trusted_keys: vec!["acme".into()],
            allow_unsigned: false,
        };
        assert!(
            bad.trust()
                .unwrap_err()
                .to_string()
                .contains("trusted_keys")
        );
    }
}
