//! Access tokens for an Okta OAuth 2.0 service app (the client-credentials grant with
//! `private_key_jwt` client authentication), from the org authorization server:
//!
//! `POST {org}/oauth2/v1/token`, form `grant_type=client_credentials`,
//! `scope=okta.users.manage okta.groups.manage`,
//! `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`,
//! `client_assertion=<RS256 JWT: iss = sub = client id, aud = the token URL, iat, exp,
//! jti>` → `{"token_type": "Bearer", "expires_in": 3600, "access_token", "scope"}`.
//!
//! The host signs the assertion with the `signing_key` setting (the key never reaches
//! the plugin). Tokens are cached in the key-value store until a minute before they
//! expire. A refused client (400/401 `invalid_client`, `invalid_scope`,
//! `invalid_dpop_proof`) is [`Error::Unauthorized`] with Okta's reason and the fix.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tenure_sdk::http::{self, Method};
use tenure_sdk::oauth::TokenSource;
use tenure_sdk::{Error, jwt, kv, time};

/// The Okta API scopes the connector asks for.
pub const SCOPES: &str = "okta.users.manage okta.groups.manage";
/// RFC 7523's client assertion type.
pub const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// The setting (kind `signing-key`) with the service app's private key.
pub const KEY: &str = "signing_key";
/// Seconds an assertion is valid (Okta allows at most an hour).
const ASSERTION_LIFETIME: i64 = 300;
/// Seconds a token is trusted less than Okta says.
const EARLY_REFRESH: u64 = 60;

/// An Okta service app: who it is and where it gets tokens.
pub struct ServiceApp {
    pub token_url: String,
    pub client_id: String,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

#[derive(Serialize, Deserialize)]
struct Cached {
    token: String,
}

/// The OAuth error body of the token endpoint.
#[derive(Deserialize, Default)]
struct OAuthError {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: String,
}

impl ServiceApp {
    fn cache_key(&self) -> String {
        let key = format!("okta-token:{}:{}", self.token_url, self.client_id);
        // kv keys are at most 256 bytes; an org URL and a client id are far shorter,
        // but a setting pasted with junk is not.
        key.chars().take(200).collect()
    }

    /// The claims of a fresh client assertion.
    pub fn claims(&self) -> Result<Map<String, Value>, Error> {
        let now = time::now_unix();
        let mut jti = [0u8; 16];
        getrandom::fill(&mut jti)
            .map_err(|e| Error::Other(format!("no randomness for the assertion's jti: {e}")))?;
        let jti: String = jti.iter().map(|b| format!("{b:02x}")).collect();
        let mut claims = Map::new();
        claims.insert("iss".into(), self.client_id.clone().into());
        claims.insert("sub".into(), self.client_id.clone().into());
        claims.insert("aud".into(), self.token_url.clone().into());
        claims.insert("iat".into(), now.into());
        claims.insert("exp".into(), (now + ASSERTION_LIFETIME).into());
        claims.insert("jti".into(), jti.into());
        Ok(claims)
    }

    fn request_token(&self) -> Result<TokenAnswer, Error> {
        let assertion = jwt::sign(KEY, &self.claims()?)?;
        let resp = http::request(Method::Post, &self.token_url)
            .form(&[
                ("grant_type", "client_credentials"),
                ("scope", SCOPES),
                ("client_assertion_type", CLIENT_ASSERTION_TYPE),
                ("client_assertion", &assertion),
            ])
            .redact(&assertion)
            .send_raw()?;
        match resp.status {
            200..=299 => resp.json(),
            400 | 401 | 403 => {
                let e: OAuthError = resp.json().unwrap_or_default();
                let hint = match e.error.as_str() {
                    "invalid_dpop_proof" | "use_dpop_nonce" => {
                        "untick “Require Demonstrating Proof of Possession (DPoP)” on the service app"
                    }
                    "invalid_scope" => {
                        "grant the service app the scopes okta.users.manage and okta.groups.manage (its Okta API Scopes tab)"
                    }
                    _ => {
                        "check the client ID, and that the public key of the uploaded private key is on the service app with client authentication “Public key / Private key”"
                    }
                };
                Err(Error::Unauthorized(format!(
                    "Okta's token endpoint refused the service app (HTTP {}, {}: {}): {hint}",
                    resp.status,
                    resp.clean(&e.error),
                    resp.clean(&e.error_description)
                )))
            }
            _ => Err(crate::api::error(&resp, true)),
        }
    }
}

impl TokenSource for ServiceApp {
    fn token(&self) -> Result<String, Error> {
        let key = self.cache_key();
        if let Some(c) = kv::get_json::<Cached>(&key) {
            return Ok(c.token);
        }
        let answer = self.request_token()?;
        let ttl = answer
            .expires_in
            .unwrap_or(3600)
            .saturating_sub(EARLY_REFRESH);
        if ttl > 0 {
            kv::set_json(
                &key,
                &Cached {
                    token: answer.access_token.clone(),
                },
                Some(u32::try_from(ttl).unwrap_or(u32::MAX)),
            );
        }
        Ok(answer.access_token)
    }

    fn forget(&self) {
        kv::delete(&self.cache_key());
    }
}
