//! OAuth2 client-credentials tokens, cached in the plugin's key-value store until
//! shortly before they expire.

use crate::{Error, http, kv};
use serde::{Deserialize, Serialize};

/// How the client authenticates to the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    /// `Authorization: Basic base64(id:secret)` (TriNet, UPS, Jamf).
    Basic,
    /// `client_id` and `client_secret` in the form body (Microsoft).
    Form,
}

/// A client-credentials token request.
#[derive(Debug, Clone)]
pub struct ClientCredentials<'a> {
    pub token_url: &'a str,
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub scope: Option<&'a str>,
    pub auth: ClientAuth,
    /// TriNet takes the grant in the query of a GET; everyone else POSTs a form.
    pub method: http::Method,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

#[derive(Serialize, Deserialize)]
struct Cached {
    token: String,
}

/// Seconds a token is trusted less than the issuer says, so it is never used stale.
const EARLY_REFRESH_SECONDS: u64 = 60;

impl ClientCredentials<'_> {
    fn cache_key(&self) -> String {
        format!("oauth-token:{}:{}", self.token_url, self.client_id)
    }

    /// A valid access token: the cached one, or a new one from the token endpoint.
    pub fn token(&self) -> Result<String, Error> {
        let key = self.cache_key();
        if let Some(c) = kv::get_json::<Cached>(&key) {
            return Ok(c.token);
        }
        let answer = self.request()?;
        let ttl = expires_in_seconds(answer.expires_in.as_ref())
            .unwrap_or(3600)
            .saturating_sub(EARLY_REFRESH_SECONDS);
        if ttl > 0 {
            let ttl = u32::try_from(ttl).unwrap_or(u32::MAX);
            kv::set_json(
                &key,
                &Cached {
                    token: answer.access_token.clone(),
                },
                Some(ttl),
            );
        }
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
        let resp = req.send_raw()?;
        match resp.status {
            200..=299 => resp.json(),
            // A token endpoint says "bad client" with 400 or 401 depending on the vendor.
            400 | 401 | 403 => Err(Error::Unauthorized(format!(
                "the token endpoint refused the client credentials: {}",
                http::error_detail(&resp.body)
            ))),
            _ => Err(resp.to_error()),
        }
    }
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
