//! The authorization code flow: [`Oidc::start`] sends the browser to the provider with
//! a fresh `state`, `nonce` and PKCE challenge; [`Oidc::finish`] takes the provider's
//! answer, checks it belongs to this browser's sign-in, exchanges the code and checks
//! the ID token.

use super::discovery::ClientAuth;
use super::id_token::{self, Expected, MAX_ID_TOKEN_BYTES, Verified};
use super::pending::Entry;
use super::{Oidc, OidcError};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::time::Instant;

/// The cookie that binds a started sign-in to the browser that started it.
pub const BINDING_COOKIE: &str = "tenure_oidc";
/// Its lifetime: as long as a sign-in may take.
pub const BINDING_SECS: u64 = super::pending::PENDING_TTL.as_secs();

/// 32 random bytes, base64url.
fn random() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// A started sign-in: where to send the browser, and the binding cookie's value.
#[derive(Debug)]
pub struct Started {
    pub location: String,
    pub binding: String,
}

/// The query of the provider's redirect back to `/auth/oidc/callback`.
#[derive(Debug, Default, Deserialize)]
pub struct CallbackParams {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub iss: Option<String>,
}

#[derive(Deserialize)]
struct TokenResponse {
    id_token: Option<String>,
}

#[derive(Deserialize)]
struct TokenError {
    error: Option<String>,
}

/// An error code as the provider sent it, made safe to show: OAuth error codes are
/// plain ASCII words.
fn error_code(text: &str) -> String {
    let code: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .take(64)
        .collect();
    if code.is_empty() {
        "an error".into()
    } else {
        code
    }
}

impl Oidc {
    /// Starts a sign-in for the browser at `address`; `next` is where it goes afterwards.
    pub async fn start(&self, next: String, address: Option<IpAddr>) -> Result<Started, OidcError> {
        let meta = self.metadata().await?;
        let (state, nonce, verifier, binding) = (random(), random(), random(), random());
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let mut url = meta.authorization_endpoint.clone();
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("response_type", "code")
                .append_pair("client_id", &self.config.client_id)
                .append_pair("redirect_uri", &self.redirect_uri)
                .append_pair("scope", self.config.scopes())
                .append_pair("state", &state)
                .append_pair("nonce", &nonce)
                .append_pair("code_challenge", &challenge)
                .append_pair("code_challenge_method", "S256");
            // Google: offer the Workspace account first (the token's `hd` is still checked).
            if self.config.is_google()
                && let [domain] = self.config.allowed_email_domains.as_slice()
            {
                q.append_pair("hd", domain);
            }
        }
        self.pending.insert(
            state,
            Entry {
                nonce,
                verifier,
                binding: binding.clone(),
                next,
                address,
                started: Instant::now(),
            },
        );
        Ok(Started {
            location: url.to_string(),
            binding,
        })
    }

    /// Finishes the sign-in the provider answered: the person's checked ID token and
    /// where to go. `binding` is the browser's binding cookie.
    pub async fn finish(
        &self,
        answer: &CallbackParams,
        binding: Option<&str>,
    ) -> Result<(Verified, String), OidcError> {
        let entry = answer.state.as_deref().and_then(|s| self.pending.take(s));
        let Some(entry) = entry else {
            return Err(match &answer.error {
                Some(e) => OidcError::Refused(error_code(e)),
                None => OidcError::Expired,
            });
        };
        // Another browser (a link someone was sent) has not got this sign-in's cookie.
        if !binding.is_some_and(|b| crate::auth::session::same_token(b, &entry.binding)) {
            return Err(OidcError::Expired);
        }
        if let Some(e) = &answer.error {
            return Err(OidcError::Refused(error_code(e)));
        }
        let meta = self.metadata().await?;
        match &answer.iss {
            Some(iss) if iss != &self.config.issuer => {
                return Err(OidcError::Provider(
                    "the answer came from another issuer (iss)".into(),
                ));
            }
            None if meta.iss_in_response => {
                return Err(OidcError::Provider(
                    "the answer does not name its issuer (iss)".into(),
                ));
            }
            _ => {}
        }
        let Some(code) = answer
            .code
            .as_deref()
            .filter(|c| !c.is_empty() && c.len() <= 4096)
        else {
            return Err(OidcError::Provider("the answer has no code".into()));
        };
        let secret = self.config.client_secret.expose();
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("code_verifier", entry.verifier.as_str()),
        ];
        let basic = match meta.client_auth {
            ClientAuth::Basic => Some((self.config.client_id.as_str(), secret)),
            ClientAuth::Post => {
                form.push(("client_id", &self.config.client_id));
                form.push(("client_secret", secret));
                None
            }
        };
        let (status, body) = self
            .client
            .post_form(
                "token endpoint",
                &meta.token_endpoint,
                &form,
                basic,
                MAX_ID_TOKEN_BYTES * 2,
            )
            .await?;
        if !status.is_success() {
            let code = serde_json::from_slice::<TokenError>(&body)
                .ok()
                .and_then(|e| e.error)
                .map_or_else(|| format!("HTTP {status}"), |e| error_code(&e));
            return Err(OidcError::CodeRefused(code));
        }
        let token = serde_json::from_slice::<TokenResponse>(&body)
            .ok()
            .and_then(|t| t.id_token)
            .ok_or_else(|| {
                OidcError::Provider("its token endpoint answered without an ID token".into())
            })?;
        let unverified = id_token::parse(&token)?;
        let keys = self
            .keys
            .keys_for(
                &self.client,
                &meta.jwks_uri,
                unverified.header.kid.as_deref(),
                unverified.alg,
            )
            .await?;
        let verified = unverified.verify(
            &keys,
            Expected {
                issuer: &self.config.issuer,
                client_id: &self.config.client_id,
                nonce: &entry.nonce,
                now: crate::auth::session::now_secs(),
            },
        )?;
        Ok((verified, entry.next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_are_shown_as_plain_words() {
        assert_eq!(error_code("access_denied"), "access_denied");
        assert_eq!(error_code("<script>x</script>"), "scriptxscript");
        assert_eq!(error_code(""), "an error");
        assert_eq!(error_code(&"a".repeat(500)).len(), 64);
    }
}
