//! A plugin's manifest: who it is, which world it implements, where it may connect,
//! and the settings an administrator fills in (the UI renders its form from them).

use serde::{Deserialize, Serialize};

/// The kind of system a plugin connects, i.e. the WIT world it exports.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum World {
    HrSource,
    AppConnector,
    DeviceManager,
    Shipping,
}

impl World {
    /// The WIT interface the plugin must export, without package or version.
    pub fn export_interface(self) -> &'static str {
        match self {
            World::HrSource => "hr-source",
            World::AppConnector => "app-connector",
            World::DeviceManager => "device-manager",
            World::Shipping => "shipping",
        }
    }

    /// Interfaces a plugin of this world may export beside its own: an app connector's
    /// `group-directory` (the group picker), an HR source's `hr-addresses` (a leaver's
    /// home address) and `hr-places` (the region and city of each work location), a
    /// device manager's `device-inventory` (asset import), a carrier's `return-shipping`
    /// (insured returns, drop-off codes).
    pub fn optional_exports(self) -> &'static [&'static str] {
        match self {
            World::AppConnector => &["group-directory"],
            World::HrSource => &["hr-addresses", "hr-places"],
            World::DeviceManager => &["device-inventory"],
            World::Shipping => &["return-shipping"],
        }
    }
}

impl std::fmt::Display for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.export_interface())
    }
}

/// The type of a setting, which decides how it is stored and shown.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SettingKind {
    Text,
    Url,
    Number,
    Bool,
    /// Stored encrypted, write-only in the UI, readable only by this plugin.
    Secret,
    /// A private key (a PKCS#8 PEM or a service-account JSON file): stored encrypted
    /// and write-only like a secret, but never handed to the plugin, which can only
    /// have the host sign with it (`sign-jwt`, contract 0.2).
    SigningKey,
}

impl SettingKind {
    /// Whether values of this kind are stored encrypted and never shown or sent back:
    /// secrets and signing keys.
    pub fn is_secret(self) -> bool {
        matches!(self, SettingKind::Secret | SettingKind::SigningKey)
    }
}

/// One setting the plugin reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingSpec {
    pub key: String,
    pub label: String,
    pub kind: SettingKind,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    pub help: Option<String>,
}

/// What a plugin declares about itself (`<id>.toml` beside `<id>.wasm`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Lower-case letters, digits and dashes; unique among loaded plugins.
    pub id: String,
    pub name: String,
    pub version: String,
    pub world: World,
    #[serde(default)]
    pub description: Option<String>,
    /// Origins the plugin may call: `https://api.example.com`, `https://*.example.com`
    /// (subdomains only), `http://127.0.0.1:8080`, or `{setting}` for the origin of a
    /// `url` setting the administrator fills in.
    #[serde(default)]
    pub allowed_hosts: Vec<String>,
    #[serde(default)]
    pub settings: Vec<SettingSpec>,
    /// The key id that signed the plugin (see [`crate::signature`]).
    #[serde(default)]
    pub publisher: Option<String>,
    /// `ed25519:<base64>` over the component and this manifest without this line.
    #[serde(default)]
    pub signature: Option<String>,
}

impl Manifest {
    /// Parses and validates a manifest.
    pub fn from_toml(text: &str) -> Result<Manifest, String> {
        let m: Manifest = toml::from_str(text).map_err(|e| e.message().to_string())?;
        m.validate()?;
        Ok(m)
    }

    pub fn validate(&self) -> Result<(), String> {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 64
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !self.id.starts_with('-');
        if !id_ok {
            return Err(format!(
                "plugin id `{}` must be 1-64 lower-case letters, digits or dashes",
                self.id
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for s in &self.settings {
            if !seen.insert(s.key.as_str()) {
                return Err(format!("setting `{}` is declared twice", s.key));
            }
            if s.kind.is_secret() && s.default.is_some() {
                return Err(format!("secret setting `{}` cannot have a default", s.key));
            }
        }
        for pattern in &self.allowed_hosts {
            crate::allowlist::HostPattern::parse(pattern, self)
                .map_err(|e| format!("allowed host `{pattern}`: {e}"))?;
        }
        Ok(())
    }

    pub fn setting(&self, key: &str) -> Option<&SettingSpec> {
        self.settings.iter().find(|s| s.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MERGE: &str = r#"
        id = "merge-hris"
        name = "Merge HRIS"
        version = "0.1.0"
        world = "hr-source"
        allowed_hosts = ["https://api.merge.dev", "{base_url}"]
        [[settings]]
        key = "base_url"
        label = "API origin"
        kind = "url"
        default = "https://api.merge.dev"
        [[settings]]
        key = "api_key"
        label = "API key"
        kind = "secret"
        required = true
    "#;

    #[test]
    fn parses_a_manifest() {
        let m = Manifest::from_toml(MERGE).unwrap();
        assert_eq!(m.world, World::HrSource);
        assert_eq!(m.setting("api_key").unwrap().kind, SettingKind::Secret);
    }

    #[test]
    fn a_signing_key_is_a_secret_without_a_default() {
        let with_key = format!(
            "{MERGE}\n[[settings]]\nkey = \"sa\"\nlabel = \"Service account key\"\nkind = \"signing-key\"\n"
        );
        let m = Manifest::from_toml(&with_key).unwrap();
        let kind = m.setting("sa").unwrap().kind;
        assert_eq!(kind, SettingKind::SigningKey);
        assert!(kind.is_secret() && SettingKind::Secret.is_secret());
        assert!(!SettingKind::Url.is_secret());
        let defaulted = format!("{with_key}default = \"x\"\n");
        assert!(
            Manifest::from_toml(&defaulted)
                .unwrap_err()
                .contains("default")
        );
    }

    #[test]
    fn rejects_bad_ids_unknown_fields_and_bad_hosts() {
        let bad_id = MERGE.replace("merge-hris", "Merge HRIS!");
        assert!(
            Manifest::from_toml(&bad_id)
                .unwrap_err()
                .contains("lower-case")
        );
        let unknown = format!("{MERGE}\nsurprise = 1");
        assert!(Manifest::from_toml(&unknown).is_err());
        let wildcard = MERGE.replace("https://api.merge.dev\"", "*\"");
        assert!(Manifest::from_toml(&wildcard).is_err());
        let undeclared = MERGE.replace("{base_url}", "{nowhere}");
        assert!(
            Manifest::from_toml(&undeclared)
                .unwrap_err()
                .contains("nowhere")
        );
    }
}
