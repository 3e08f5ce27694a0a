//! Tokens obtained with a JSON Web Token that the host signs (the OAuth 2.0 JWT bearer
//! grant, RFC 7523), as Google service accounts use: the private key stays in the host
//! (a setting of kind `signing-key`), the plugin names it and gets a signed token back.
//!
//! ```ignore
//! // manifest.toml: [[settings]] key = "service_account", kind = "signing-key", required = true
//! let google = JwtBearer::google(
//!     "service_account",
//!     "https://www.googleapis.com/auth/admin.directory.user",
//!     Some(&admin_email), // domain-wide delegation: act as this admin
//! );
//! let resp = google.send(|token| http::get(&url).bearer(token))?; // retried once on 401
//! ```
//!
//! Tokens are cached in the plugin's key-value store until a minute before they
//! expire, per token URL, key, scope and subject. In native tests the fake host signs
//! with a fake signature ([`crate::testing::FakeHost::signing_key`]).

use crate::http::{self, Method};
use crate::oauth::{self, TokenAnswer, TokenSource};
use crate::{Error, hostcall, time};
use serde_json::{Map, Value};

/// The token endpoint of Google's OAuth 2.0 server.
pub const GOOGLE_TOKEN_URL: &str = "https://oauth2.googleapis.com/token";

/// The grant type of RFC 7523.
pub const JWT_BEARER_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// Has the host sign `claims` (a JSON object) with the key in the setting `key`
/// (RS256). Without an `iss`, the host sets it to the key's `client_email`.
///
/// A key that is not set, not a signing key, or not usable is
/// [`Error::Unauthorized`]: an admin must upload a valid key in the settings.
pub fn sign(key: &str, claims: &Map<String, Value>) -> Result<String, Error> {
    let claims = Value::Object(claims.clone()).to_string();
    hostcall::sign_jwt(key, &claims).map_err(|e| match e {
        hostcall::SignError::NoKey(m) => Error::Unauthorized(format!(
            "the signing key `{key}` is not set: upload it on the connector's settings page ({})",
            http::excerpt(&m)
        )),
        hostcall::SignError::Invalid(m) => Error::Unauthorized(format!(
            "the signing key `{key}` cannot sign: {}; upload a PKCS#8 PEM or a service-account JSON key",
            http::excerpt(&m)
        )),
    })
}

/// Who the key in `key` signs for (a service-account JSON key's `client_email`), not
/// secret. `None` for a bare PEM or when unset.
pub fn identity(key: &str) -> Option<String> {
    hostcall::signing_identity(key).filter(|v| !v.trim().is_empty())
}

/// An access token from a token endpoint, for a JWT assertion the host signs.
#[derive(Debug, Clone)]
pub struct JwtBearer<'a> {
    /// The setting (kind `signing-key`) that holds the private key.
    pub key: &'a str,
    /// Where the assertion is exchanged for an access token.
    pub token_url: &'a str,
    /// `iss`; `None`: the host sets the key's `client_email`.
    pub issuer: Option<&'a str>,
    /// `scope` claim (space-separated), when the issuer wants one.
    pub scope: Option<&'a str>,
    /// `sub`: the user to act as (Google's domain-wide delegation), if any.
    pub subject: Option<&'a str>,
    /// `aud`; `None`: the token URL.
    pub audience: Option<&'a str>,
    /// Seconds from `iat` to `exp` (Google allows at most 3600).
    pub lifetime_seconds: u32,
}

impl<'a> JwtBearer<'a> {
    /// Google's service-account flow: `scope` (space-separated scopes), optionally
    /// acting as `subject` (domain-wide delegation).
    pub fn google(key: &'a str, scope: &'a str, subject: Option<&'a str>) -> Self {
        JwtBearer {
            key,
            token_url: GOOGLE_TOKEN_URL,
            issuer: None,
            scope: Some(scope),
            subject,
            audience: None,
            lifetime_seconds: 3600,
        }
    }

    fn cache_key(&self) -> String {
        let who = identity(self.key).unwrap_or_default();
        oauth::cache_key(&[
            "jwt-token",
            self.token_url,
            self.key,
            &who,
            self.scope.unwrap_or(""),
            self.subject.unwrap_or(""),
        ])
    }

    /// The claims of the assertion, issued now (by the host's clock).
    pub fn claims(&self) -> Map<String, Value> {
        let now = time::now_unix();
        let mut claims = Map::new();
        if let Some(iss) = self.issuer {
            claims.insert("iss".into(), iss.into());
        }
        if let Some(scope) = self.scope {
            claims.insert("scope".into(), scope.into());
        }
        if let Some(sub) = self.subject {
            claims.insert("sub".into(), sub.into());
        }
        claims.insert("aud".into(), self.audience.unwrap_or(self.token_url).into());
        claims.insert("iat".into(), now.into());
        claims.insert(
            "exp".into(),
            (now + i64::from(self.lifetime_seconds)).into(),
        );
        claims
    }

    /// A valid access token: the cached one, or a new one for a fresh assertion.
    pub fn token(&self) -> Result<String, Error> {
        let key = self.cache_key();
        if let Some(token) = oauth::cached_token(&key) {
            return Ok(token);
        }
        let assertion = sign(self.key, &self.claims())?;
        let resp = http::request(Method::Post, self.token_url)
            .form(&[("grant_type", JWT_BEARER_GRANT), ("assertion", &assertion)])
            .send_raw()?;
        let answer: TokenAnswer = match resp.status {
            200..=299 => resp.json()?,
            // invalid_grant, unauthorized_client (delegation not granted), a disabled key.
            400 | 401 | 403 => {
                return Err(Error::Unauthorized(format!(
                    "the token endpoint refused the signed assertion (HTTP {}): {}",
                    resp.status,
                    resp.detail()
                )));
            }
            _ => return Err(resp.to_error()),
        };
        oauth::cache_token(&key, &answer);
        Ok(answer.access_token)
    }

    /// Drops the cached token (after the API answered 401 to it).
    pub fn forget(&self) {
        crate::kv::delete(&self.cache_key());
    }
}

impl TokenSource for JwtBearer<'_> {
    fn token(&self) -> Result<String, Error> {
        JwtBearer::token(self)
    }
    fn forget(&self) {
        JwtBearer::forget(self)
    }
}
