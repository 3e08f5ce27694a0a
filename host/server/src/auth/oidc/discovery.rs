//! The identity provider's discovery document
//! (`<issuer>/.well-known/openid-configuration`): where to send people, where to
//! exchange the code, where the signing keys are. Its `issuer` must be ours exactly.

use super::OidcError;
use super::config::check_endpoint;
use serde::Deserialize;

/// The largest discovery document read.
pub const MAX_DISCOVERY_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Deserialize)]
pub struct RawMetadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
    #[serde(default)]
    pub code_challenge_methods_supported: Option<Vec<String>>,
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
}

/// How the client authenticates at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    Basic,
    Post,
}

/// The checked discovery document.
#[derive(Debug, Clone)]
pub struct Metadata {
    pub authorization_endpoint: url::Url,
    pub token_endpoint: url::Url,
    pub jwks_uri: url::Url,
    pub client_auth: ClientAuth,
    /// The provider adds `iss` to its answers (RFC 9207): it must then be ours.
    pub iss_in_response: bool,
}

/// The discovery document's URL for `issuer`.
pub fn discovery_url(issuer: &str) -> Result<url::Url, OidcError> {
    url::Url::parse(&format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    ))
    .map_err(|e| OidcError::Provider(format!("bad issuer: {e}")))
}

impl RawMetadata {
    /// Checks the document against the configured issuer (exactly), and that every
    /// endpoint is https (http only when the issuer itself is a loopback address).
    pub fn check(self, issuer: &str) -> Result<Metadata, OidcError> {
        if self.issuer != issuer {
            return Err(OidcError::Provider(format!(
                "its discovery document names the issuer `{}`, but [oidc] issuer is `{issuer}`; \
                 they must be the same exactly",
                self.issuer
            )));
        }
        let endpoint = |what: &str, text: &str| {
            check_endpoint(what, text).map_err(|e| OidcError::Provider(e.to_string()))
        };
        let authorization_endpoint =
            endpoint("authorization_endpoint", &self.authorization_endpoint)?;
        let token_endpoint = endpoint("token_endpoint", &self.token_endpoint)?;
        let jwks_uri = endpoint("jwks_uri", &self.jwks_uri)?;
        if let Some(methods) = &self.code_challenge_methods_supported
            && !methods.iter().any(|m| m == "S256")
        {
            return Err(OidcError::Provider(
                "it does not offer PKCE with S256 (code_challenge_methods_supported)".into(),
            ));
        }
        // Absent means client_secret_basic (OpenID Connect Discovery §3).
        let methods = self
            .token_endpoint_auth_methods_supported
            .unwrap_or_else(|| vec!["client_secret_basic".into()]);
        let client_auth = if methods.iter().any(|m| m == "client_secret_basic") {
            ClientAuth::Basic
        } else if methods.iter().any(|m| m == "client_secret_post") {
            ClientAuth::Post
        } else {
            return Err(OidcError::Provider(
                "its token endpoint takes neither client_secret_basic nor client_secret_post"
                    .into(),
            ));
        };
        Ok(Metadata {
            authorization_endpoint,
            token_endpoint,
            jwks_uri,
            client_auth,
            iss_in_response: self.authorization_response_iss_parameter_supported,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(issuer: &str) -> RawMetadata {
        RawMetadata {
            issuer: issuer.into(),
            authorization_endpoint: format!("{issuer}/authorize"),
            token_endpoint: format!("{issuer}/token"),
            jwks_uri: format!("{issuer}/keys"),
            token_endpoint_auth_methods_supported: None,
            code_challenge_methods_supported: Some(vec!["S256".into()]),
            authorization_response_iss_parameter_supported: false,
        }
    }

    #[test]
    fn the_issuer_must_match_exactly() {
        let ok = raw("https://idp.example")
            .check("https://idp.example")
            .unwrap();
        assert_eq!(ok.client_auth, ClientAuth::Basic);
        assert!(
            raw("https://idp.example/")
                .check("https://idp.example")
                .is_err()
        );
        assert!(
            raw("https://evil.example")
                .check("https://idp.example")
                .is_err()
        );
    }

    #[test]
    fn endpoints_must_be_https_and_pkce_s256_offered() {
        let mut m = raw("https://idp.example");
        m.token_endpoint = "http://idp.example/token".into();
        assert!(m.check("https://idp.example").is_err());
        let mut m = raw("https://idp.example");
        m.code_challenge_methods_supported = Some(vec!["plain".into()]);
        assert!(m.check("https://idp.example").is_err());
        let mut m = raw("https://idp.example");
        m.token_endpoint_auth_methods_supported = Some(vec!["client_secret_post".into()]);
        assert_eq!(
            m.check("https://idp.example").unwrap().client_auth,
            ClientAuth::Post
        );
        let mut m = raw("https://idp.example");
        m.token_endpoint_auth_methods_supported = Some(vec!["private_key_jwt".into()]);
        assert!(m.check("https://idp.example").is_err());
        assert_eq!(
            discovery_url("https://login.microsoftonline.com/t/v2.0/")
                .unwrap()
                .as_str(),
            "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration"
        );
    }
}
