//! `[oidc]`: single sign-on through an OpenID Connect identity provider (Okta, Microsoft
//! Entra ID, Google Workspace), and how its groups become Tenure roles.

use anyhow::{Context, bail};
use serde::Deserialize;

/// The environment variable that holds the client secret (preferred over the file).
pub const SECRET_ENV: &str = "TENURE_OIDC_CLIENT_SECRET";

/// Google's issuer: it sends no groups, and `hd` names the Workspace domain.
pub const GOOGLE_ISSUER: &str = "https://accounts.google.com";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OidcConfig {
    /// The identity provider's issuer, exactly as its discovery document says, e.g.
    /// `https://acme.okta.com/oauth2/default`,
    /// `https://login.microsoftonline.com/<tenant id>/v2.0`, `https://accounts.google.com`.
    pub issuer: String,
    pub client_id: String,
    /// Prefer `TENURE_OIDC_CLIENT_SECRET`.
    pub client_secret: Secret,
    /// Shown on the sign-in page: "Sign in with <display_name>".
    pub display_name: String,
    /// Space-separated. Default `openid email profile`, plus `groups` for Okta.
    pub scopes: Option<String>,
    /// The ID token claim that lists the person's groups (Entra: `groups` or `roles`).
    pub groups_claim: String,
    pub admin_groups: Vec<String>,
    pub onboarding_champion_groups: Vec<String>,
    pub hardware_champion_groups: Vec<String>,
    /// Default application champions.
    pub app_champion_groups: Vec<String>,
    /// Only people whose verified email is in one of these domains may sign in (for
    /// Google also the `hd` claim). Empty: any (Google requires it).
    pub allowed_email_domains: Vec<String>,
    /// Creates a Tenure account on a person's first sign-in.
    pub create_users: bool,
}

impl Default for OidcConfig {
    fn default() -> Self {
        OidcConfig {
            issuer: String::new(),
            client_id: String::new(),
            client_secret: Secret::default(),
            display_name: String::new(),
            scopes: None,
            groups_claim: "groups".into(),
            admin_groups: Vec::new(),
            onboarding_champion_groups: Vec::new(),
            hardware_champion_groups: Vec::new(),
            app_champion_groups: Vec::new(),
            allowed_email_domains: Vec::new(),
            create_users: true,
        }
    }
}

/// A value never printed: `Debug` shows only whether it is set.
#[derive(Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "<unset>"
        } else {
            "<redacted>"
        })
    }
}

/// Whether a URL's host is this machine (plain http is allowed there only: tests and
/// development).
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Refuses a URL that is not https (plain http only to loopback).
pub fn check_endpoint(what: &str, text: &str) -> anyhow::Result<url::Url> {
    let url = url::Url::parse(text).with_context(|| format!("{what} `{text}` is not a URL"))?;
    let ok = match url.scheme() {
        "https" => url.host().is_some(),
        "http" => is_loopback(&url),
        _ => false,
    };
    if !ok || !url.username().is_empty() || url.password().is_some() {
        bail!("{what} `{text}` must be an https:// address (plain http only on this machine)");
    }
    Ok(url)
}

impl OidcConfig {
    /// Checks the section and resolves what it leaves to defaults: the secret from
    /// `TENURE_OIDC_CLIENT_SECRET` when set, the display name and scopes from the issuer.
    pub fn resolve(mut self, env_secret: Option<String>) -> anyhow::Result<OidcConfig> {
        check_endpoint("oidc.issuer", &self.issuer)?;
        if self.client_id.trim().is_empty() {
            bail!("oidc.client_id is required");
        }
        if let Some(s) = env_secret.filter(|s| !s.trim().is_empty()) {
            self.client_secret = Secret(s.trim().to_string());
        }
        if self.client_secret.0.is_empty() {
            bail!("oidc.client_secret is required (better: set {SECRET_ENV})");
        }
        if self.groups_claim.trim().is_empty() {
            bail!("oidc.groups_claim must not be empty");
        }
        let lower = |v: &mut Vec<String>| {
            for d in v.iter_mut() {
                *d = d.trim().trim_start_matches('@').to_ascii_lowercase();
            }
            v.retain(|d| !d.is_empty());
        };
        lower(&mut self.allowed_email_domains);
        if self.is_google() && self.allowed_email_domains.is_empty() {
            bail!(
                "oidc.allowed_email_domains is required with Google: name your Workspace \
                 domain(s), or anyone with a Google account could sign in"
            );
        }
        if self.display_name.trim().is_empty() {
            self.display_name = self.guess_display_name().into();
        }
        let scopes = self.scopes.take().unwrap_or_else(|| self.default_scopes());
        if !scopes.split_whitespace().any(|s| s == "openid") {
            bail!("oidc.scopes must include `openid`");
        }
        self.scopes = Some(scopes.split_whitespace().collect::<Vec<_>>().join(" "));
        Ok(self)
    }

    pub fn is_google(&self) -> bool {
        self.issuer.trim_end_matches('/') == GOOGLE_ISSUER
    }

    fn is_okta(&self) -> bool {
        url::Url::parse(&self.issuer).is_ok_and(|u| {
            u.host_str().is_some_and(|h| {
                h.ends_with(".okta.com")
                    || h.ends_with(".oktapreview.com")
                    || h.ends_with(".okta-emea.com")
            })
        })
    }

    fn is_entra(&self) -> bool {
        url::Url::parse(&self.issuer)
            .is_ok_and(|u| u.host_str() == Some("login.microsoftonline.com"))
    }

    fn guess_display_name(&self) -> &'static str {
        if self.is_google() {
            "Google"
        } else if self.is_okta() {
            "Okta"
        } else if self.is_entra() {
            "Microsoft Entra ID"
        } else {
            "single sign-on"
        }
    }

    /// Okta sends groups only for the `groups` scope; Entra puts them in the token when
    /// the app registration asks for them; Google has none.
    fn default_scopes(&self) -> String {
        if self.is_okta() {
            "openid email profile groups".into()
        } else {
            "openid email profile".into()
        }
    }

    pub fn scopes(&self) -> &str {
        self.scopes.as_deref().unwrap_or("openid email profile")
    }

    /// Whether any IdP group gives a role (else roles are kept on the local account).
    pub fn maps_groups(&self) -> bool {
        !(self.admin_groups.is_empty()
            && self.onboarding_champion_groups.is_empty()
            && self.hardware_champion_groups.is_empty()
            && self.app_champion_groups.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> OidcConfig {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn defaults_follow_the_identity_provider() {
        let okta = parse(
            "issuer = \"https://acme.okta.com/oauth2/default\"\nclient_id = \"c\"\nclient_secret = \"s\"\n",
        )
        .resolve(None)
        .unwrap();
        assert_eq!(okta.display_name, "Okta");
        assert_eq!(okta.scopes(), "openid email profile groups");
        assert_eq!(okta.groups_claim, "groups");
        assert!(okta.create_users);
        let entra =
            parse("issuer = \"https://login.microsoftonline.com/t/v2.0\"\nclient_id = \"c\"\n")
                .resolve(Some("from-env".into()))
                .unwrap();
        assert_eq!(entra.display_name, "Microsoft Entra ID");
        assert_eq!(entra.client_secret.expose(), "from-env");
        assert_eq!(entra.scopes(), "openid email profile");
    }

    #[test]
    fn refuses_what_would_be_unsafe() {
        let base = "client_id = \"c\"\nclient_secret = \"s\"\n";
        for issuer in ["http://idp.example", "ftp://idp.example", "not a url"] {
            let c = parse(&format!("issuer = \"{issuer}\"\n{base}"));
            assert!(c.resolve(None).is_err(), "{issuer}");
        }
        let local = parse(&format!("issuer = \"http://127.0.0.1:9000\"\n{base}"));
        assert!(local.resolve(None).is_ok(), "loopback http is for tests");
        let google = parse(&format!("issuer = \"https://accounts.google.com\"\n{base}"));
        assert!(
            google.clone().resolve(None).is_err(),
            "Google needs a domain"
        );
        let mut google = google;
        google.allowed_email_domains = vec!["@Acme.com".into()];
        let google = google.resolve(None).unwrap();
        assert_eq!(google.allowed_email_domains, vec!["acme.com"]);
        assert_eq!(google.display_name, "Google");
        let no_secret = parse("issuer = \"https://idp.example\"\nclient_id = \"c\"\n");
        assert!(no_secret.resolve(None).is_err());
    }

    #[test]
    fn the_secret_is_never_printed() {
        let c = parse(
            "issuer = \"https://idp.example\"\nclient_id = \"c\"\nclient_secret = \"hunter2-very-secret\"\n",
        );
        let printed = format!("{c:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(printed.contains("<redacted>"));
    }
}
