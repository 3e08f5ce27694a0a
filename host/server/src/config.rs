//! Configuration: a TOML file (optional) under `TENURE_*` environment variables and
//! command-line flags. Every setting has a default, so `tenure serve` needs none.

use anyhow::{Context, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
pub use tenure_engine::lifecycle::LifecycleConfig;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub server: ServerConfig,
    pub runtime: RuntimeSection,
    pub email: crate::email::EmailConfig,
    pub lifecycle: LifecycleConfig,
    /// `[jobs]`: the job runner that calls app connectors.
    pub jobs: tenure_engine::jobs::JobsConfig,
    /// `[hardware]`: how often returns are tracked and MDM commands followed.
    pub hardware: HardwareConfig,
    /// `[integrations.<plugin-id>]`: the plugin's settings by key. Secret and
    /// signing-key settings are moved into the encrypted store at start-up.
    pub integrations: BTreeMap<String, BTreeMap<String, toml::Value>>,
    /// `[backup]`: scheduled backups of the database and how many are kept.
    pub backup: crate::backup_schedule::BackupConfig,
    /// `[plugins]`: trusted publishers' keys and whether unsigned plugins load.
    pub plugins: crate::plugin_trust::PluginsConfig,
    /// `[oidc]`: single sign-on through an OpenID Connect identity provider.
    pub oidc: Option<crate::auth::oidc::OidcConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    pub listen: String,
    pub data_dir: PathBuf,
    /// Seconds to let in-flight requests finish on shutdown.
    pub shutdown_grace_secs: u64,
    /// How people reach the appliance, e.g. `https://tenure.example.com` (behind a TLS
    /// proxy: the proxy's address). Requests must name this host (or an IP address, or
    /// `localhost`), which defeats DNS rebinding; links in emails start with it; an
    /// `https://` address makes session cookies `Secure`. Default: `http://<listen>`.
    pub public_url: String,
    /// Lets `/metrics` answer callers other than this machine when they send
    /// `Authorization: Bearer <token>`. Unset: only loopback callers, not via a proxy.
    /// Prefer `TENURE_METRICS_TOKEN`.
    pub metrics_token: Option<String>,
    /// Connections served at once; more wait in the listen queue.
    pub max_connections: usize,
    /// `[server.tls]`: HTTPS served by the appliance itself. Off by default.
    pub tls: crate::http::tls::TlsConfig,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("tenure-data"),
            shutdown_grace_secs: 10,
            public_url: String::new(),
            metrics_token: None,
            max_connections: 512,
            tls: Default::default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RuntimeSection {
    /// Longest a plugin call may take, wall clock.
    pub call_deadline_secs: u64,
    /// CPU one plugin call may use (its own code; waiting on HTTP does not count). A
    /// plugin that loops fails that call when this is spent.
    pub cpu_budget_secs: u64,
    /// Memory cap of one plugin call.
    pub memory_limit_mib: usize,
    /// Timeout of one outbound HTTP request of a plugin.
    pub http_timeout_secs: u64,
    /// Plugins calls in flight at once.
    pub max_concurrent_calls: u32,
    /// Extra CA certificates (PEM files) trusted for plugins' outbound HTTPS.
    pub extra_ca_files: Vec<PathBuf>,
    /// Lets plugins reach plain `http://` URLs, loopback, and this appliance's own
    /// addresses. Off: https only, to other machines (private networks included).
    /// Link-local addresses (169.254.0.0/16, fe80::/10: cloud metadata) are refused
    /// even when on. `tenure serve --demo` turns it on for its local fake HR system.
    pub allow_local_http: bool,
}

impl Default for RuntimeSection {
    fn default() -> Self {
        let d = tenure_runtime::RuntimeConfig::default();
        Self {
            call_deadline_secs: d.call_deadline.as_secs(),
            cpu_budget_secs: d.cpu_budget.as_secs(),
            memory_limit_mib: d.memory_limit_bytes >> 20,
            http_timeout_secs: d.http_timeout.as_secs(),
            max_concurrent_calls: d.max_concurrent_calls,
            extra_ca_files: Vec::new(),
            allow_local_http: d.allow_local_http,
        }
    }
}

impl Config {
    /// Reads the file when given; defaults otherwise.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Config> {
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
        let config: Config = toml::from_str(&text)
            .with_context(|| format!("the configuration file {} is invalid", path.display()))?;
        config.check()?;
        Ok(config)
    }

    /// The appliance's address as people reach it: `[server] public_url`, else the
    /// listen address over http (https when `[server.tls]` is on). No trailing slash.
    pub fn public_url(&self) -> String {
        let url = self.server.public_url.trim();
        if url.is_empty() {
            let scheme = if self.server.tls.enabled() {
                "https"
            } else {
                "http"
            };
            format!("{scheme}://{}", self.server.listen)
        } else {
            url.trim_end_matches('/').to_string()
        }
    }

    fn check(&self) -> anyhow::Result<()> {
        let public = self.server.public_url.trim();
        if !public.is_empty() {
            let url = url::Url::parse(public)
                .with_context(|| format!("server.public_url `{public}` is not a URL"))?;
            if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                bail!(
                    "server.public_url must be an http(s) address, e.g. https://tenure.example.com"
                );
            }
        }
        self.server.tls.check()?;
        if self.server.max_connections == 0 {
            bail!("server.max_connections must be at least 1");
        }
        if self.runtime.memory_limit_mib < 8 {
            bail!("runtime.memory_limit_mib must be at least 8");
        }
        if self.runtime.call_deadline_secs == 0 {
            bail!("runtime.call_deadline_secs must be at least 1");
        }
        if self.runtime.cpu_budget_secs == 0 {
            bail!("runtime.cpu_budget_secs must be at least 1");
        }
        Ok(())
    }

    pub fn runtime_config(&self) -> anyhow::Result<tenure_runtime::RuntimeConfig> {
        let mut pems = Vec::new();
        for f in &self.runtime.extra_ca_files {
            pems.push(
                std::fs::read(f).with_context(|| format!("cannot read CA file {}", f.display()))?,
            );
        }
        // Plugins may not call the appliance itself (any port of its listen address).
        let own_addresses = std::net::ToSocketAddrs::to_socket_addrs(&self.server.listen)
            .map(|addrs| addrs.map(|a| a.ip()).collect())
            .unwrap_or_default();
        Ok(tenure_runtime::RuntimeConfig {
            call_deadline: Duration::from_secs(self.runtime.call_deadline_secs),
            cpu_budget: Duration::from_secs(self.runtime.cpu_budget_secs),
            allow_local_http: self.runtime.allow_local_http,
            own_addresses,
            memory_limit_bytes: self.runtime.memory_limit_mib << 20,
            http_timeout: Duration::from_secs(self.runtime.http_timeout_secs),
            max_concurrent_calls: self.runtime.max_concurrent_calls,
            cache_dir: Some(self.server.data_dir.join("cache")),
            extra_root_certs_pem: pems,
            ..tenure_runtime::RuntimeConfig::default()
        })
    }
}

/// A setting value from TOML as the text the plugin reads.
pub fn setting_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_file() {
        let c: Config = toml::from_str(
            r#"
            [server]
            listen = "0.0.0.0:8443"
            data_dir = "/var/lib/tenure"
            [runtime]
            memory_limit_mib = 128
            [integrations.merge-hris]
            base_url = "https://api-eu.merge.dev"
            api_key = "k"
            "#,
        )
        .unwrap();
        assert_eq!(c.server.listen, "0.0.0.0:8443");
        assert_eq!(c.runtime.memory_limit_mib, 128);
        assert_eq!(c.runtime.call_deadline_secs, 60);
        assert_eq!(c.runtime.cpu_budget_secs, 10);
        assert!(!c.runtime.allow_local_http, "off unless asked for");
        assert_eq!(setting_text(&c.integrations["merge-hris"]["api_key"]), "k");
    }

    #[test]
    fn runtime_limits_and_local_http_reach_the_runtime() {
        let c: Config = toml::from_str(
            "[server]\nlisten = \"10.1.2.3:8080\"\n\
             [runtime]\ncpu_budget_secs = 3\nallow_local_http = true\n",
        )
        .unwrap();
        c.check().unwrap();
        let rt = c.runtime_config().unwrap();
        assert_eq!(rt.cpu_budget, Duration::from_secs(3));
        assert!(rt.allow_local_http);
        assert_eq!(
            rt.own_addresses,
            vec!["10.1.2.3".parse::<std::net::IpAddr>().unwrap()]
        );
        let zero: Config = toml::from_str("[runtime]\ncpu_budget_secs = 0\n").unwrap();
        assert!(zero.check().is_err());
    }

    #[test]
    fn unknown_keys_are_errors_not_silence() {
        assert!(toml::from_str::<Config>("[server]\nlisten_on = \"x\"").is_err());
    }

    #[test]
    fn the_packaged_default_config_parses() {
        let text = include_str!("../../../packaging/tenure.toml");
        let c: Config = toml::from_str(text).unwrap();
        c.check().unwrap();
    }
}

/// `[hardware]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HardwareConfig {
    /// Seconds between looks at returns due tracking, MDM commands due sending or
    /// following, and assets not yet matched to an MDM device. Each return is asked
    /// about at most hourly, each command every two minutes, whatever this is.
    pub poll_secs: u64,
    /// Seconds from booking a return to asking the carrier about it first.
    pub first_track_secs: u64,
    /// Seconds between asking the carrier about a return.
    pub track_every_secs: u64,
    /// Seconds between asking the MDM where a sent lock or wipe stands.
    pub command_poll_secs: u64,
}

impl Default for HardwareConfig {
    fn default() -> Self {
        HardwareConfig {
            poll_secs: 60,
            first_track_secs: 60,
            track_every_secs: 3600,
            command_poll_secs: 120,
        }
    }
}
