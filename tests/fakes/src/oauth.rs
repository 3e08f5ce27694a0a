//! What the token endpoints of the fakes share: form fields, the OAuth error body
//! (RFC 6749 §5.2), and RS256 JWT assertions (RFC 7523) — parsed, verified and checked
//! for a short, current lifetime. Each fake words its own errors.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD as B64URL};
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
use serde_json::{Value, json};

/// How far in the future an assertion's `iat` may lie (clock skew).
const SKEW_SECS: i64 = 300;
/// The longest an assertion may live, `exp - iat`.
const MAX_LIFETIME_SECS: i64 = 3600;

/// The last non-empty value of `key` in a form body.
pub(crate) fn form_field<'a>(form: &'a [(String, String)], key: &str) -> Option<&'a str> {
    form.iter()
        .rev()
        .find(|(n, _)| n == key)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

/// An error of an OAuth token endpoint: `{"error", "error_description"}` with a status.
#[derive(Debug)]
pub(crate) struct TokenError {
    pub status: StatusCode,
    pub error: &'static str,
    pub description: String,
}

impl TokenError {
    /// A 400 with `error`.
    pub fn bad_request(error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            error,
            description: description.into(),
        }
    }

    /// A 400 `invalid_grant`: the assertion is not accepted.
    pub fn invalid_grant(description: impl Into<String>) -> Self {
        Self::bad_request("invalid_grant", description)
    }

    /// A 401 `invalid_client`: the client did not authenticate.
    pub fn invalid_client(description: impl Into<String>) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            error: "invalid_client",
            description: description.into(),
        }
    }
}

impl IntoResponse for TokenError {
    fn into_response(self) -> Response {
        (
            self.status,
            axum::Json(json!({ "error": self.error, "error_description": self.description })),
        )
            .into_response()
    }
}

/// A token endpoint's answer: the issued token's JSON, or the OAuth error.
pub(crate) fn reply(issued: Result<Value, TokenError>) -> Response {
    match issued {
        Ok(token) => axum::Json(token).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The DER inside a PEM block of the given label.
pub(crate) fn pem_body(pem: &str, label: &str) -> Result<Vec<u8>, String> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem
        .find(&begin)
        .ok_or_else(|| format!("no {begin} block"))?
        + begin.len();
    let stop = pem[start..].find(&end).ok_or_else(|| format!("no {end}"))? + start;
    let b64: String = pem[start..stop]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    B64.decode(b64)
        .map_err(|e| format!("bad base64 in PEM: {e}"))
}

/// What is wrong with the form of an assertion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Malformed {
    /// Not three dot-separated parts.
    NotAJwt,
    /// The header is not base64url JSON.
    Header,
    /// The header's `alg` is not RS256.
    NotRs256,
    /// The payload is not a base64url JSON object.
    Payload,
}

/// Why an assertion was not accepted.
#[derive(Debug, PartialEq)]
pub(crate) enum JwtError {
    /// Not three base64url parts of JSON, or not RS256.
    Malformed(Malformed),
    /// The signature does not verify with the key (or there is no key).
    Signature,
}

/// The claims of a compact RS256 JWT, its signature not checked (to learn who it
/// claims to be from).
pub(crate) fn claims(assertion: &str) -> Result<Value, JwtError> {
    let mut parts = assertion.trim().split('.');
    let (Some(h), Some(p), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed(Malformed::NotAJwt));
    };
    let header: Value = B64URL
        .decode(h)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(JwtError::Malformed(Malformed::Header))?;
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(JwtError::Malformed(Malformed::NotRs256));
    }
    B64URL
        .decode(p)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(Value::is_object)
        .ok_or(JwtError::Malformed(Malformed::Payload))
}

/// Checks the RS256 signature of a compact JWT with `public_key` (DER `RSAPublicKey`).
pub(crate) fn verify_signature(assertion: &str, public_key: &[u8]) -> Result<(), JwtError> {
    let (signed, sig) = assertion
        .trim()
        .rsplit_once('.')
        .ok_or(JwtError::Malformed(Malformed::NotAJwt))?;
    let sig = B64URL.decode(sig).map_err(|_| JwtError::Signature)?;
    UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, public_key)
        .verify(signed.as_bytes(), &sig)
        .map_err(|_| JwtError::Signature)
}

/// Whether an assertion's `iat` and `exp` make it current at `now` (Unix seconds):
/// issued no later than a little clock skew ahead, not expired, and living an hour at
/// the most.
pub(crate) fn timely(claims: &Value, now: i64) -> bool {
    let (iat, exp) = (
        claims.get("iat").and_then(Value::as_i64),
        claims.get("exp").and_then(Value::as_i64),
    );
    matches!((iat, exp), (Some(iat), Some(exp))
        if iat <= now + SKEW_SECS && exp > now && exp > iat && exp - iat <= MAX_LIFETIME_SECS)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use ring::rand::SystemRandom;
    use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};

    /// Signs `claims` (JSON) with the key of a PKCS#8 PEM, as RS256.
    pub(crate) fn sign(private_key_pem: &str, claims: &str) -> String {
        let der = pem_body(private_key_pem, "PRIVATE KEY").unwrap();
        let pair = RsaKeyPair::from_pkcs8(&der).unwrap();
        let msg = format!(
            "{}.{}",
            B64URL.encode(r#"{"alg":"RS256","typ":"JWT"}"#),
            B64URL.encode(claims)
        );
        let mut sig = vec![0; pair.public().modulus_len()];
        pair.sign(
            &RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            msg.as_bytes(),
            &mut sig,
        )
        .unwrap();
        format!("{msg}.{}", B64URL.encode(sig))
    }

    #[test]
    fn form_fields_are_the_last_non_empty_value() {
        let form = [
            ("a".to_string(), "1".to_string()),
            ("a".to_string(), "2".to_string()),
            ("b".to_string(), String::new()),
        ];
        assert_eq!(form_field(&form, "a"), Some("2"));
        assert_eq!(form_field(&form, "b"), None);
        assert_eq!(form_field(&form, "c"), None);
    }

    #[test]
    fn an_assertion_is_timely_for_an_hour_at_most() {
        let now = 1_000_000;
        let at = |iat: i64, exp: i64| timely(&json!({"iat": iat, "exp": exp}), now);
        assert!(at(now, now + 3600));
        assert!(at(now + 300, now + 600), "skew allowed");
        assert!(!at(now + 301, now + 600), "too far ahead");
        assert!(!at(now - 10, now), "expired");
        assert!(!at(now, now + 3601), "lives too long");
        assert!(!timely(&json!({"iat": now}), now));
    }

    #[test]
    fn malformed_assertions_say_what_is_wrong() {
        let b = |s: &str| B64URL.encode(s);
        assert_eq!(claims("a.b"), Err(JwtError::Malformed(Malformed::NotAJwt)));
        assert_eq!(
            claims("!.e30.x"),
            Err(JwtError::Malformed(Malformed::Header))
        );
        let hs = format!("{}.{}.x", b(r#"{"alg":"HS256"}"#), b("{}"));
        assert_eq!(claims(&hs), Err(JwtError::Malformed(Malformed::NotRs256)));
        let list = format!("{}.{}.x", b(r#"{"alg":"RS256"}"#), b("[]"));
        assert_eq!(claims(&list), Err(JwtError::Malformed(Malformed::Payload)));
    }
}
