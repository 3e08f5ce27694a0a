//! The parts of a plugin manifest the fake host acts on, with the host's rules
//! (`host/runtime/src/manifest.rs` and `allowlist.rs`), so that a unit test fails where
//! the appliance would refuse: an unknown field, a secret with a default, an
//! `allowed_hosts` entry the host rejects, a request to a host the manifest does not
//! allow.

use serde::Deserialize;
use url::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Kind {
    Text,
    Url,
    Number,
    Bool,
    Secret,
    SigningKey,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Setting {
    pub key: String,
    #[allow(dead_code)]
    pub label: String,
    pub kind: Kind,
    #[serde(default)]
    #[allow(dead_code)]
    pub required: bool,
    #[serde(default)]
    pub default: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    pub help: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum World {
    HrSource,
    AppConnector,
    DeviceManager,
    Shipping,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Manifest {
    pub id: String,
    #[allow(dead_code)]
    pub name: String,
    #[allow(dead_code)]
    pub version: String,
    #[allow(dead_code)]
    pub world: World,
    #[serde(default)]
    #[allow(dead_code)]
    pub description: Option<String>,
    #[serde(default)]
    pub allowed_hosts: Vec<String>,
    #[serde(default)]
    pub settings: Vec<Setting>,
    /// Who signed the plugin (`tenure plugin sign`); the fake host does not check it.
    #[serde(default)]
    #[allow(dead_code)]
    pub publisher: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    pub signature: Option<String>,
}

impl Manifest {
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let m: Manifest = toml::from_str(text).map_err(|e| e.message().to_string())?;
        let id_ok = !m.id.is_empty()
            && m.id.len() <= 64
            && m.id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !m.id.starts_with('-');
        if !id_ok {
            return Err(format!(
                "plugin id `{}` must be 1-64 lower-case letters, digits or dashes",
                m.id
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for s in &m.settings {
            if !seen.insert(s.key.as_str()) {
                return Err(format!("setting `{}` is declared twice", s.key));
            }
            if matches!(s.kind, Kind::Secret | Kind::SigningKey) && s.default.is_some() {
                return Err(format!("secret setting `{}` cannot have a default", s.key));
            }
        }
        for p in &m.allowed_hosts {
            m.pattern(p)
                .map_err(|e| format!("allowed host `{p}`: {e}"))?;
        }
        Ok(m)
    }

    pub fn setting(&self, key: &str) -> Option<&Setting> {
        self.settings.iter().find(|s| s.key == key)
    }

    fn pattern(&self, p: &str) -> Result<Pattern, String> {
        let p = p.trim();
        if let Some(key) = p.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            return match self.setting(key) {
                Some(s) if s.kind == Kind::Url => Ok(Pattern::Setting(key.to_string())),
                Some(_) => Err(format!("setting `{key}` is not of kind url")),
                None => Err(format!("no setting `{key}` is declared")),
            };
        }
        Rule::parse(p).map(Pattern::Fixed)
    }

    /// Whether `url` may be requested, with `config` reading `url` settings.
    pub fn allows(&self, url: &Url, mut config: impl FnMut(&str) -> Option<String>) -> bool {
        self.allowed_hosts.iter().any(|p| match self.pattern(p) {
            Ok(Pattern::Fixed(rule)) => rule.matches(url),
            Ok(Pattern::Setting(key)) => config(&key)
                .and_then(|v| origin_of(&v))
                .and_then(|o| Rule::parse(&o).ok())
                .is_some_and(|rule| rule.matches(url)),
            Err(_) => false,
        })
    }
}

enum Pattern {
    Fixed(Rule),
    Setting(String),
}

struct Rule {
    scheme: String,
    host: String,
    subdomains: bool,
    port: u16,
}

impl Rule {
    fn parse(origin: &str) -> Result<Rule, String> {
        let (scheme, rest) = origin
            .split_once("://")
            .ok_or("write it as scheme://host, e.g. https://api.example.com")?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return Err("only http and https are allowed".into());
        }
        let rest = rest.trim_end_matches('/');
        if rest.contains(['/', '?', '@', '#']) {
            return Err("give an origin only: no path, query, user or fragment".into());
        }
        let wildcard = rest.starts_with("*.");
        let probe = format!("{scheme}://{}", if wildcard { &rest[2..] } else { rest });
        let url = Url::parse(&probe).map_err(|e| e.to_string())?;
        let host = url.host_str().ok_or("no host")?.to_ascii_lowercase();
        if host.contains('*') {
            return Err("a wildcard may only be a leading `*.` label".into());
        }
        if wildcard && !host.contains('.') {
            return Err("a wildcard needs a domain under it, e.g. *.example.com".into());
        }
        let port = url.port_or_known_default().ok_or("no port")?;
        Ok(Rule {
            scheme,
            host,
            subdomains: wildcard,
            port,
        })
    }

    fn matches(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = host.to_ascii_lowercase();
        url.scheme() == self.scheme
            && url.port_or_known_default() == Some(self.port)
            && if self.subdomains {
                host.len() > self.host.len() + 1
                    && host.ends_with(self.host.as_str())
                    && host.as_bytes()[host.len() - self.host.len() - 1] == b'.'
            } else {
                host == self.host
            }
    }
}

/// The origin of a URL setting; none with credentials or a fragment (as the host).
fn origin_of(value: &str) -> Option<String> {
    let url = Url::parse(value.trim()).ok()?;
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return None;
    }
    let origin = url.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}
