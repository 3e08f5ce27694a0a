//! JSON Web Tokens signed in the host (RS256), so that a plugin that authenticates
//! with a service-account key never holds the key: the `sign-jwt` import of contract
//! 0.2. The key is the value of a `signing-key` setting: a PKCS#8 PEM, or a
//! service-account JSON file as Google issues them (`private_key`, `client_email`,
//! `private_key_id`).
//!
//! Nothing here logs, and no error text carries any part of the key or of a token.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SystemRandom;
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use serde_json::{Map, Value};

/// The most claims a plugin may have signed, as JSON text.
pub(crate) const MAX_CLAIMS: usize = 8 << 10;

/// A private key ready to sign, with what its service-account file said about it.
pub(crate) struct SigningKey {
    pair: RsaKeyPair,
    /// `private_key_id`, sent as the token header's `kid`.
    kid: Option<String>,
    /// `client_email`: who the key signs for.
    email: Option<String>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// The fields of a service-account key file this module reads.
#[derive(serde::Deserialize)]
struct ServiceAccount {
    private_key: Option<String>,
    client_email: Option<String>,
    private_key_id: Option<String>,
}

/// Reads a service-account JSON file. serde_json's messages can quote the text they
/// choke on, so only the position is kept.
fn service_account(text: &str) -> Result<ServiceAccount, String> {
    serde_json::from_str(text).map_err(|e| {
        format!(
            "the signing key looks like JSON but is not a service-account key file (line {}, column {})",
            e.line(),
            e.column()
        )
    })
}

impl SigningKey {
    /// Reads a PKCS#8 PEM or a service-account JSON key.
    pub(crate) fn parse(text: &str) -> Result<SigningKey, String> {
        let text = text.trim();
        if text.starts_with('{') {
            let sa = service_account(text)?;
            let pem = sa.private_key.ok_or(
                "the service-account key file has no `private_key`; download a JSON key again",
            )?;
            let pair = pkcs8_pem(&pem)?;
            Ok(SigningKey {
                pair,
                kid: sa.private_key_id.filter(|k| !k.is_empty()),
                email: sa.client_email.filter(|e| !e.is_empty()),
            })
        } else {
            Ok(SigningKey {
                pair: pkcs8_pem(text)?,
                kid: None,
                email: None,
            })
        }
    }

    /// Signs `claims` (a JSON object) as a compact RS256 token. Without `iss`, and with a
    /// `client_email`, `iss` is that email.
    pub(crate) fn sign_jwt(&self, claims: &str) -> Result<String, String> {
        if claims.len() > MAX_CLAIMS {
            return Err(format!(
                "the claims are {} bytes; at most {MAX_CLAIMS} are signed",
                claims.len()
            ));
        }
        let mut claims: Map<String, Value> = match serde_json::from_str(claims) {
            Ok(Value::Object(map)) => map,
            Ok(_) => return Err("the claims must be a JSON object".into()),
            Err(e) => return Err(format!("the claims are not JSON: {e}")),
        };
        if let Some(email) = &self.email {
            claims
                .entry("iss")
                .or_insert_with(|| Value::String(email.clone()));
        }
        let mut header = Map::new();
        header.insert("alg".into(), "RS256".into());
        header.insert("typ".into(), "JWT".into());
        if let Some(kid) = &self.kid {
            header.insert("kid".into(), kid.as_str().into());
        }
        let mut token = segment(&Value::Object(header));
        token.push('.');
        token.push_str(&segment(&Value::Object(claims)));
        let mut signature = vec![0; self.pair.public().modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                token.as_bytes(),
                &mut signature,
            )
            .map_err(|_| "the key could not sign".to_string())?;
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(signature));
        Ok(token)
    }
}

/// Who a `signing-key` value signs for: a service-account file's `client_email`. Reads
/// only the JSON, not the key.
pub(crate) fn identity(text: &str) -> Option<String> {
    let text = text.trim();
    if !text.starts_with('{') {
        return None;
    }
    service_account(text)
        .ok()?
        .client_email
        .filter(|e| !e.is_empty())
}

fn segment(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

const PKCS8_BEGIN: &str = "-----BEGIN PRIVATE KEY-----";
const PKCS8_END: &str = "-----END PRIVATE KEY-----";

/// An RSA key from a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
fn pkcs8_pem(pem: &str) -> Result<RsaKeyPair, String> {
    if pem.contains("-----BEGIN RSA PRIVATE KEY-----") {
        return Err(
            "the signing key is a PKCS#1 RSA key; convert it to PKCS#8 with \
             `openssl pkcs8 -topk8 -nocrypt -in key.pem` and store that"
                .into(),
        );
    }
    if pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
        return Err(
            "the signing key is encrypted; store it without a passphrase \
             (`openssl pkcs8 -topk8 -nocrypt -in key.pem`)"
                .into(),
        );
    }
    let body = pem
        .split_once(PKCS8_BEGIN)
        .and_then(|(_, rest)| rest.split_once(PKCS8_END))
        .map(|(body, _)| body)
        .ok_or("the signing key is not a PEM private key (-----BEGIN PRIVATE KEY-----) nor a service-account JSON key file")?;
    let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let der = STANDARD
        .decode(b64)
        .map_err(|_| "the signing key's PEM body is not base64")?;
    RsaKeyPair::from_pkcs8(&der)
        .map_err(|e| format!("the signing key is not an RSA private key that can sign RS256 ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};

    // A test-only RSA key (`openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`)
    // and its public key (`openssl rsa -pubout -RSAPublicKey_out -outform DER`), made
    // for these tests and used nowhere else.
    const TEST_KEY: &str = include_str!("../tests/fixtures/test-only-signing-key.pem");
    const TEST_PUBLIC_KEY: &[u8] =
        include_bytes!("../tests/fixtures/test-only-signing-key.pub.der");

    fn service_account_json() -> String {
        serde_json::json!({
            "type": "service_account",
            "project_id": "tenure-test",
            "private_key_id": "0123abcd",
            "private_key": TEST_KEY,
            "client_email": "tenure@tenure-test.iam.gserviceaccount.com",
            "client_id": "1",
        })
        .to_string()
    }

    /// Checks the signature with the openssl-made public key, and returns the header
    /// and claims.
    fn verify(token: &str) -> (Value, Value) {
        let (signed, signature) = token.rsplit_once('.').expect("three parts");
        let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, TEST_PUBLIC_KEY)
            .verify(signed.as_bytes(), &signature)
            .expect("the signature verifies with the public key");
        let (header, claims) = signed.split_once('.').unwrap();
        let json = |s: &str| serde_json::from_slice(&URL_SAFE_NO_PAD.decode(s).unwrap()).unwrap();
        (json(header), json(claims))
    }

    #[test]
    fn a_pem_key_signs_a_token_the_public_key_verifies() {
        let key = SigningKey::parse(TEST_KEY).unwrap();
        let token = key
            .sign_jwt(r#"{"iss":"me","aud":"https://oauth2.googleapis.com/token","exp":2}"#)
            .unwrap();
        let (header, claims) = verify(&token);
        assert_eq!(header, serde_json::json!({"alg": "RS256", "typ": "JWT"}));
        assert_eq!(claims["iss"], "me");
        assert_eq!(claims["exp"], 2);
        assert_eq!(identity(TEST_KEY), None);
    }

    #[test]
    fn a_service_account_key_sets_kid_and_a_missing_iss() {
        let json = service_account_json();
        let key = SigningKey::parse(&json).unwrap();
        let (header, claims) = verify(&key.sign_jwt(r#"{"scope":"x"}"#).unwrap());
        assert_eq!(header["kid"], "0123abcd");
        assert_eq!(header["alg"], "RS256");
        assert_eq!(claims["iss"], "tenure@tenure-test.iam.gserviceaccount.com");
        assert_eq!(claims["scope"], "x");
        // An `iss` of the plugin's own stays.
        let (_, claims) = verify(&key.sign_jwt(r#"{"iss":"other"}"#).unwrap());
        assert_eq!(claims["iss"], "other");
        assert_eq!(
            identity(&json).as_deref(),
            Some("tenure@tenure-test.iam.gserviceaccount.com")
        );
    }

    #[test]
    fn claims_must_be_a_small_json_object() {
        let key = SigningKey::parse(TEST_KEY).unwrap();
        assert!(key.sign_jwt("[1,2]").unwrap_err().contains("object"));
        assert!(key.sign_jwt("not json").unwrap_err().contains("not JSON"));
        let big = format!(r#"{{"x":"{}"}}"#, "a".repeat(MAX_CLAIMS));
        assert!(key.sign_jwt(&big).unwrap_err().contains("at most"));
        let fits = format!(r#"{{"x":"{}"}}"#, "a".repeat(MAX_CLAIMS - 8));
        verify(&key.sign_jwt(&fits).unwrap());
    }

    #[test]
    fn unusable_keys_are_refused_without_quoting_them() {
        let body: String = TEST_KEY
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        for (bad, says) in [
            ("", "not a PEM"),
            ("hello", "not a PEM"),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----",
                "PKCS#1",
            ),
            (
                "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----",
                "base64",
            ),
            (
                "-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----",
                "not an RSA private key",
            ),
            (r#"{"client_email": "a@b"}"#, "no `private_key`"),
            (r#"{"private_key": 12345678901}"#, "line 1"),
            (r#"{"private_key": "nope"#, "line 1"),
        ] {
            let err = SigningKey::parse(bad).unwrap_err();
            assert!(err.contains(says), "{bad:?}: {err}");
            assert!(
                !err.contains(&body[..40]) && !err.contains("12345678901"),
                "{err}"
            );
        }
    }
}
