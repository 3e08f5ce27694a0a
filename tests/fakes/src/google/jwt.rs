//! Service-account keys and the RS256 JWT assertions signed with them.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD as B64URL};
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RsaKeyPair, UnparsedPublicKey};
use serde_json::Value;

/// What the token endpoint knows of a service account: its email and the public half of
/// its key (DER `RSAPublicKey`).
#[derive(Clone)]
pub(crate) struct ServiceAccount {
    pub client_email: String,
    pub public_key: Vec<u8>,
}

impl ServiceAccount {
    /// From a key file in Google's JSON format (`type: service_account`, `client_email`,
    /// `private_key` as PKCS#8 PEM, ...). The public key is derived from the private one.
    pub fn from_json(json: &str) -> Result<Self, String> {
        let v: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
        let field = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("no \"{k}\" in the service account"))
        };
        if field("type")? != "service_account" {
            return Err("\"type\" is not \"service_account\"".into());
        }
        let der = pem_body(field("private_key")?, "PRIVATE KEY")?;
        let pair = RsaKeyPair::from_pkcs8(&der)
            .map_err(|e| format!("private_key is not a PKCS#8 RSA key: {e}"))?;
        Ok(Self {
            client_email: field("client_email")?.to_string(),
            public_key: pair.public().as_ref().to_vec(),
        })
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

/// Why an assertion was not accepted.
#[derive(Debug, PartialEq)]
pub(crate) enum JwtError {
    /// Not three base64url parts of JSON, or not RS256.
    Malformed(&'static str),
    /// The signature does not verify with the key.
    Signature,
}

/// Checks the RS256 signature of a compact JWT with `public_key` (DER `RSAPublicKey`)
/// and returns its claims. Claims are not checked here.
pub(crate) fn verify(assertion: &str, public_key: Option<&[u8]>) -> Result<Value, JwtError> {
    let mut parts = assertion.trim().split('.');
    let (Some(h), Some(p), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed("not a JWT"));
    };
    let header: Value = B64URL
        .decode(h)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(JwtError::Malformed("bad JWT header"))?;
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(JwtError::Malformed("alg must be RS256"));
    }
    let claims: Value = B64URL
        .decode(p)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(Value::is_object)
        .ok_or(JwtError::Malformed("bad JWT payload"))?;
    let sig = B64URL.decode(sig).map_err(|_| JwtError::Signature)?;
    let key = public_key.ok_or(JwtError::Signature)?;
    let signed = &assertion.trim()[..h.len() + 1 + p.len()];
    UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, key)
        .verify(signed.as_bytes(), &sig)
        .map_err(|_| JwtError::Signature)?;
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::rand::SystemRandom;
    use ring::signature::RSA_PKCS1_SHA256;

    fn sign(claims: &str) -> String {
        let v: Value = serde_json::from_str(super::super::TEST_SERVICE_ACCOUNT_JSON).unwrap();
        let der = pem_body(v["private_key"].as_str().unwrap(), "PRIVATE KEY").unwrap();
        let pair = RsaKeyPair::from_pkcs8(&der).unwrap();
        let h = B64URL.encode(r#"{"alg":"RS256","typ":"JWT"}"#);
        let p = B64URL.encode(claims);
        let msg = format!("{h}.{p}");
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
    fn the_test_key_signs_what_its_public_half_verifies() {
        let sa = ServiceAccount::from_json(super::super::TEST_SERVICE_ACCOUNT_JSON).unwrap();
        let jwt = sign(r#"{"iss":"x"}"#);
        let claims = verify(&jwt, Some(&sa.public_key)).unwrap();
        assert_eq!(claims["iss"], "x");
        // One changed claim breaks the signature.
        let (h, rest) = jwt.split_once('.').unwrap();
        let (_, s) = rest.split_once('.').unwrap();
        let forged = format!("{h}.{}.{s}", B64URL.encode(r#"{"iss":"y"}"#));
        assert_eq!(
            verify(&forged, Some(&sa.public_key)),
            Err(JwtError::Signature)
        );
        assert_eq!(verify(&jwt, None), Err(JwtError::Signature));
        assert!(matches!(
            verify("a.b", Some(&sa.public_key)),
            Err(JwtError::Malformed(_))
        ));
    }

    #[test]
    fn service_accounts_need_a_pkcs8_key() {
        assert!(ServiceAccount::from_json("{}").is_err());
        assert!(
            ServiceAccount::from_json(
                r#"{"type":"service_account","client_email":"a@b","private_key":"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}"#
            )
            .is_err()
        );
    }
}
