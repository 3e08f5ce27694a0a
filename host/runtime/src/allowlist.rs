//! The outbound-HTTP allowlist: deny by default; an origin passes only when it
//! matches a pattern of the plugin's manifest exactly in scheme, host and port.
//! A wildcard is allowed only as a leading `*.` label and matches subdomains,
//! never the bare domain and never "everything".

use crate::manifest::{Manifest, SettingKind};
use url::Url;

/// One resolved entry of `allowed_hosts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostRule {
    scheme: String,
    host: HostMatch,
    port: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum HostMatch {
    Exact(String),
    /// `*.example.com` → any host ending in `.example.com`.
    Subdomains(String),
}

/// An entry as written in the manifest, before settings are filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPattern {
    Fixed(HostRule),
    /// `{key}`: the origin of the `url` setting `key`.
    FromSetting(String),
}

impl HostPattern {
    pub fn parse(pattern: &str, manifest: &Manifest) -> Result<HostPattern, String> {
        let p = pattern.trim();
        if let Some(key) = p.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            return match manifest.setting(key) {
                Some(s) if s.kind == SettingKind::Url => Ok(HostPattern::FromSetting(key.into())),
                Some(_) => Err(format!("setting `{key}` is not of kind url")),
                None => Err(format!("no setting `{key}` is declared")),
            };
        }
        HostRule::parse(p).map(HostPattern::Fixed)
    }
}

impl HostRule {
    /// Parses `scheme://host[:port]` (no path, no query).
    pub fn parse(origin: &str) -> Result<HostRule, String> {
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
        Ok(HostRule {
            scheme,
            host: if wildcard {
                HostMatch::Subdomains(host)
            } else {
                HostMatch::Exact(host)
            },
            port,
        })
    }

    pub fn matches(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let host = host.to_ascii_lowercase();
        url.scheme() == self.scheme
            && url.port_or_known_default() == Some(self.port)
            && match &self.host {
                HostMatch::Exact(h) => host == *h,
                HostMatch::Subdomains(d) => {
                    host.len() > d.len() + 1
                        && host.ends_with(d.as_str())
                        && host.as_bytes()[host.len() - d.len() - 1] == b'.'
                }
            }
    }
}

/// The resolved allowlist of one plugin for one call.
#[derive(Debug, Clone, Default)]
pub struct Allowlist {
    rules: Vec<HostRule>,
}

impl Allowlist {
    /// Resolves the manifest's patterns, filling `{setting}` entries from `setting`.
    /// A setting that is unset or not a valid origin adds nothing.
    pub fn resolve(manifest: &Manifest, setting: impl Fn(&str) -> Option<String>) -> Allowlist {
        let mut rules = Vec::new();
        for p in &manifest.allowed_hosts {
            match HostPattern::parse(p, manifest) {
                Ok(HostPattern::Fixed(rule)) => rules.push(rule),
                Ok(HostPattern::FromSetting(key)) => {
                    if let Some(rule) = setting(&key)
                        .and_then(|value| origin_of(&value))
                        .and_then(|o| HostRule::parse(&o).ok())
                    {
                        rules.push(rule);
                    }
                }
                Err(_) => {}
            }
        }
        Allowlist { rules }
    }

    pub fn allows(&self, url: &Url) -> bool {
        self.rules.iter().any(|r| r.matches(url))
    }

    /// The host of the rule `url` matches, as a metric label: the host itself for an
    /// exact rule, `*.domain` for a wildcard — so labels stay as few as the rules.
    pub fn label(&self, url: &Url) -> Option<String> {
        self.rules
            .iter()
            .find(|r| r.matches(url))
            .map(|r| match &r.host {
                HostMatch::Exact(h) => h.clone(),
                HostMatch::Subdomains(d) => format!("*.{d}"),
            })
    }
}

/// `https://x.example.com:8443/some/path` → `https://x.example.com:8443`. A URL with
/// credentials (`user:pass@host`) or a `#fragment` gives none: such a setting is either
/// a mistake or an attempt to smuggle something past a reader.
fn origin_of(value: &str) -> Option<String> {
    let url = Url::parse(value.trim()).ok()?;
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return None;
    }
    let origin = url.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(hosts: &[&str]) -> Manifest {
        Manifest::from_toml(&format!(
            r#"id = "t"
            name = "T"
            version = "1"
            world = "app-connector"
            allowed_hosts = {hosts:?}
            [[settings]]
            key = "base_url"
            label = "Base"
            kind = "url"
            [[settings]]
            key = "token"
            label = "Token"
            kind = "secret""#
        ))
        .unwrap()
    }

    fn allows(list: &Allowlist, url: &str) -> bool {
        list.allows(&Url::parse(url).unwrap())
    }

    #[test]
    fn exact_origin_matches_scheme_host_and_port() {
        let list = Allowlist::resolve(&manifest(&["https://api.merge.dev"]), |_| None);
        assert!(allows(
            &list,
            "https://api.merge.dev/api/hris/v1/employees?x=1"
        ));
        assert!(allows(&list, "https://API.merge.dev:443/"));
        assert!(!allows(&list, "http://api.merge.dev/"));
        assert!(!allows(&list, "https://api.merge.dev:8443/"));
        assert!(!allows(&list, "https://api.merge.dev.evil.com/"));
        assert!(!allows(&list, "https://evil.com/?https://api.merge.dev"));
        assert!(!allows(&list, "https://user@evil.com/"));
    }

    #[test]
    fn labels_are_the_rules_not_the_hosts() {
        let list = Allowlist::resolve(
            &manifest(&["https://*.okta.com", "https://api.merge.dev"]),
            |_| None,
        );
        let label = |u: &str| list.label(&Url::parse(u).unwrap());
        assert_eq!(
            label("https://acme.okta.com/x").as_deref(),
            Some("*.okta.com")
        );
        assert_eq!(
            label("https://other.okta.com/").as_deref(),
            Some("*.okta.com")
        );
        assert_eq!(
            label("https://api.merge.dev/").as_deref(),
            Some("api.merge.dev")
        );
        assert_eq!(label("https://evil.example/"), None);
    }

    #[test]
    fn wildcard_matches_subdomains_only() {
        let list = Allowlist::resolve(&manifest(&["https://*.okta.com"]), |_| None);
        assert!(allows(&list, "https://acme.okta.com/api/v1/users"));
        assert!(allows(&list, "https://a.b.okta.com/"));
        assert!(!allows(&list, "https://okta.com/"));
        assert!(!allows(&list, "https://evilokta.com/"));
    }

    #[test]
    fn rejects_patterns_that_mean_everything() {
        for bad in [
            "*",
            "https://*",
            "https://*.com",
            "https://a*.b.com",
            "ftp://x.com",
            "https://x.com/path",
            "https://user@x.com",
            "https://x.com#frag",
        ] {
            assert!(HostRule::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn setting_placeholder_uses_the_settings_origin() {
        let m = manifest(&["{base_url}"]);
        let list = Allowlist::resolve(&m, |k| {
            (k == "base_url").then(|| "http://127.0.0.1:4010/api/".to_string())
        });
        assert!(allows(&list, "http://127.0.0.1:4010/api/hris/v1/employees"));
        assert!(!allows(&list, "http://127.0.0.1:4011/"));
        let unset = Allowlist::resolve(&m, |_| None);
        assert!(!allows(&unset, "http://127.0.0.1:4010/"));
    }

    #[test]
    fn settings_with_credentials_or_a_fragment_add_nothing() {
        let m = manifest(&["{base_url}"]);
        for value in [
            "https://user@hr.example.com/",
            "https://user:pw@hr.example.com/",
            "https://:pw@hr.example.com/",
            "https://hr.example.com/#frag",
            "https://hr.example.com#",
        ] {
            let list = Allowlist::resolve(&m, |_| Some(value.to_string()));
            assert!(
                !allows(&list, "https://hr.example.com/api"),
                "{value} must not join the allowlist"
            );
        }
        let plain = Allowlist::resolve(&m, |_| Some("https://hr.example.com/x?y=1".into()));
        assert!(allows(&plain, "https://hr.example.com/api"));
    }

    #[test]
    fn placeholder_must_name_a_url_setting() {
        let m = manifest(&[]);
        assert!(HostPattern::parse("{token}", &m).is_err());
        assert!(HostPattern::parse("{missing}", &m).is_err());
    }
}
