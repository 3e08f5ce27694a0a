//! OAuth2 client-credentials tokens, cached in the plugin's key-value store until
//! shortly before they expire (a minute early), so most calls send no token request.
//!
//! ```ignore
//! let creds = ClientCredentials {
//!     token_url: &token_url,
//!     client_id: &client_id,
//!     client_secret: &secret,
//!     scope: Some("https://graph.microsoft.com/.default"),
//!     auth: ClientAuth::Form,
//!     method: http::Method::Post,
//! };
//! // One retry with a fresh token when the API answers 401 to the cached one.
//! let resp = creds.send(|token| http::get(&url).bearer(token))?;
//! ```
//!
//! A token endpoint that refuses the client (400, 401, 403) is
//! [`Error::Unauthorized`]: the host parks the connector until an admin fixes the
//! credentials. For tokens obtained with a signed JWT (Google service accounts), see
//! [`crate::jwt`].

use crate::http::{self, RequestBuilder, Response};
use crate::{Error, kv};
use serde::{Deserialize, Serialize};

/// Something that hands out bearer tokens and can drop a cached one.
pub trait TokenSource {
    /// A valid access token: the cached one, or a new one.
    fn token(&self) -> Result<String, Error>;
    /// Drops the cached token (after the API answered 401 to it).
    fn forget(&self);

    /// Sends the request `build` makes with a token; when the API answers 401, the
    /// cached token died early (revoked, rotated): it is dropped and the request is sent
    /// once more with a new one. Any answer is `Ok`, as with
    /// [`RequestBuilder::send_raw`].
    fn send_raw(&self, build: impl Fn(&str) -> RequestBuilder) -> Result<Response, Error> {
        let resp = build(&self.token()?).send_raw()?;
        if resp.status != 401 {
            return Ok(resp);
        }
        self.forget();
        build(&self.token()?).send_raw()
    }

    /// [`TokenSource::send_raw`], then a non-2xx answer becomes an [`Error`].
    fn send(&self, build: impl Fn(&str) -> RequestBuilder) -> Result<Response, Error> {
        self.send_raw(build)?.error_for_status()
    }
}

/// How the client authenticates to the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    /// `Authorization: Basic base64(id:secret)` (TriNet, UPS, Jamf).
    Basic,
    /// `client_id` and `client_secret` in the form body (Microsoft).
    Form,
}

/// A client-credentials token request.
#[derive(Clone)]
pub struct ClientCredentials<'a> {
    pub token_url: &'a str,
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub scope: Option<&'a str>,
    pub auth: ClientAuth,
    /// TriNet takes the grant in the query of a GET; everyone else POSTs a form.
    pub method: http::Method,
}

/// A token endpoint's answer (RFC 6749 §5.1), as far as it is read.
/// Everything but the secret.
impl std::fmt::Debug for ClientCredentials<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("scope", &self.scope)
            .field("auth", &self.auth)
            .field("method", &self.method)
            .finish()
    }
}

#[derive(Deserialize)]
pub(crate) struct TokenAnswer {
    pub access_token: String,
    #[serde(default)]
    pub expires_in: Option<serde_json::Value>,
}

#[derive(Serialize, Deserialize)]
struct Cached {
    token: String,
}

/// Seconds a token is trusted less than the issuer says, so it is never used stale.
const EARLY_REFRESH_SECONDS: u64 = 60;

impl TokenSource for ClientCredentials<'_> {
    fn token(&self) -> Result<String, Error> {
        ClientCredentials::token(self)
    }
    fn forget(&self) {
        ClientCredentials::forget(self)
    }
}

impl ClientCredentials<'_> {
    fn cache_key(&self) -> String {
        cache_key(&[
            "oauth-token",
            self.token_url,
            self.client_id,
            self.scope.unwrap_or(""),
        ])
    }

    /// A valid access token: the cached one, or a new one from the token endpoint.
    pub fn token(&self) -> Result<String, Error> {
        let key = self.cache_key();
        if let Some(token) = cached_token(&key) {
            return Ok(token);
        }
        let answer = self.request()?;
        cache_token(&key, &answer);
        Ok(answer.access_token)
    }

    /// Drops the cached token (after the API answered 401 to it).
    pub fn forget(&self) {
        kv::delete(&self.cache_key());
    }

    fn request(&self) -> Result<TokenAnswer, Error> {
        let mut fields: Vec<(&str, &str)> = vec![("grant_type", "client_credentials")];
        if let Some(scope) = self.scope {
            fields.push(("scope", scope));
        }
        if self.auth == ClientAuth::Form {
            fields.push(("client_id", self.client_id));
            fields.push(("client_secret", self.client_secret));
        }
        let mut req = http::request(self.method, self.token_url);
        if self.method == http::Method::Get {
            for (k, v) in &fields {
                req = req.query(k, v);
            }
        } else {
            req = req.form(&fields);
        }
        if self.auth == ClientAuth::Basic {
            req = req.basic(self.client_id, self.client_secret);
        }
        let resp = req.redact(self.client_secret).send_raw()?;
        match resp.status {
            200..=299 => resp.json(),
            // A token endpoint says "bad client" with 400 or 401 depending on the vendor.
            400 | 401 | 403 => Err(Error::Unauthorized(format!(
                "the token endpoint refused the client credentials (HTTP {}): {}",
                resp.status,
                resp.detail()
            ))),
            _ => Err(resp.to_error()),
        }
    }
}

/// A kv key for a token cache: the parts joined, hashed when long (keys are at most
/// 256 bytes; a token URL and a scope list can be longer).
pub(crate) fn cache_key(parts: &[&str]) -> String {
    let joined = parts.join(":");
    if joined.len() <= 200 {
        return joined;
    }
    // FNV-1a, twice with different seeds: collisions between one plugin's own token
    // requests are not a concern, only length.
    let fnv = |seed: u64| {
        joined.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    format!(
        "{}:{:016x}{:016x}",
        parts[0],
        fnv(0xcbf2_9ce4_8422_2325),
        fnv(0x8422_2325_cbf2_9ce4)
    )
}

/// Caches a token until [`EARLY_REFRESH_SECONDS`] before it expires (an hour when the
/// answer does not say).
pub(crate) fn cache_token(key: &str, answer: &TokenAnswer) {
    let ttl = expires_in_seconds(answer.expires_in.as_ref())
        .unwrap_or(3600)
        .saturating_sub(EARLY_REFRESH_SECONDS);
    if ttl > 0 {
        let ttl = u32::try_from(ttl).unwrap_or(u32::MAX);
        kv::set_json(
            key,
            &Cached {
                token: answer.access_token.clone(),
            },
            Some(ttl),
        );
    }
}

/// A cached token under `key`, if still valid.
pub(crate) fn cached_token(key: &str) -> Option<String> {
    kv::get_json::<Cached>(key).map(|c| c.token)
}

/// `expires_in` arrives as a number or, from some vendors, a string.
fn expires_in_seconds(v: Option<&serde_json::Value>) -> Option<u64> {
    match v? {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expires_in_as_number_or_string() {
        assert_eq!(expires_in_seconds(Some(&json!(3599))), Some(3599));
        assert_eq!(expires_in_seconds(Some(&json!("3599"))), Some(3599));
        assert_eq!(expires_in_seconds(Some(&json!("soon"))), None);
        assert_eq!(expires_in_seconds(None), None);
    }
}
