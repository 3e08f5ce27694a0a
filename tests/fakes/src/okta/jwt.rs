//! Service app keys and the RS256 client assertions signed with them.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD as B64URL};
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RsaKeyPair, UnparsedPublicKey};
use serde_json::Value;

/// The DER `RSAPublicKey` of a PEM: a `PUBLIC KEY` (SPKI) as Okta shows a service app's
/// key, or a `PRIVATE KEY` (PKCS#8), whose public half is taken.
pub(crate) fn public_key(pem: &str) -> Result<Vec<u8>, String> {
    if pem.contains("-----BEGIN PRIVATE KEY-----") {
        let der = pem_body(pem, "PRIVATE KEY")?;
        let pair = RsaKeyPair::from_pkcs8(&der)
            .map_err(|e| format!("not a PKCS#8 RSA private key: {e}"))?;
        return Ok(pair.public().as_ref().to_vec());
    }
    let der = pem_body(pem, "PUBLIC KEY")?;
    spki_rsa_key(&der).ok_or_else(|| "not an RSA SubjectPublicKeyInfo".to_string())
}

/// The DER inside a PEM block of the given label.
fn pem_body(pem: &str, label: &str) -> Result<Vec<u8>, String> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem.find(&begin).ok_or(format!("no {begin} block"))? + begin.len();
    let stop = pem[start..].find(&end).ok_or(format!("no {end}"))? + start;
    let b64: String = pem[start..stop]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    B64.decode(b64)
        .map_err(|e| format!("bad base64 in PEM: {e}"))
}

/// One DER element at the start of `der`: (tag, contents, rest).
fn element(der: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7F);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The `RSAPublicKey` inside an SPKI: SEQUENCE { AlgorithmIdentifier, BIT STRING }.
fn spki_rsa_key(der: &[u8]) -> Option<Vec<u8>> {
    let (0x30, spki, _) = element(der)? else {
        return None;
    };
    let (0x30, _, rest) = element(spki)? else {
        return None;
    };
    let (0x03, bits, _) = element(rest)? else {
        return None;
    };
    let (0, key) = bits.split_first()? else {
        return None;
    };
    Some(key.to_vec())
}

/// Why an assertion was not accepted.
#[derive(Debug, PartialEq)]
pub(crate) enum JwtError {
    Malformed(&'static str),
    Signature,
}

/// The claims of a compact JWT, unverified (to learn which app it claims to be).
pub(crate) fn claims(assertion: &str) -> Result<Value, JwtError> {
    let mut parts = assertion.trim().split('.');
    let (Some(h), Some(p), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed("The client_assertion is not a JWT."));
    };
    let header: Value = B64URL
        .decode(h)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(JwtError::Malformed(
            "The client_assertion header is not JSON.",
        ))?;
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(JwtError::Malformed(
            "The client_assertion signature algorithm is not supported; use RS256.",
        ));
    }
    B64URL
        .decode(p)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(Value::is_object)
        .ok_or(JwtError::Malformed(
            "The client_assertion payload is not JSON.",
        ))
}

/// Checks the RS256 signature of a compact JWT with `public_key` (DER `RSAPublicKey`).
pub(crate) fn verify(assertion: &str, public_key: &[u8]) -> Result<(), JwtError> {
    let assertion = assertion.trim();
    let (signed, sig) = assertion
        .rsplit_once('.')
        .ok_or(JwtError::Malformed("The client_assertion is not a JWT."))?;
    let sig = B64URL.decode(sig).map_err(|_| JwtError::Signature)?;
    UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, public_key)
        .verify(signed.as_bytes(), &sig)
        .map_err(|_| JwtError::Signature)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use ring::rand::SystemRandom;
    use ring::signature::RSA_PKCS1_SHA256;

    /// Signs `claims` with the test service app's key.
    pub(crate) fn sign(claims: &Value) -> String {
        let der = pem_body(super::super::TEST_PRIVATE_KEY_PEM, "PRIVATE KEY").unwrap();
        let pair = RsaKeyPair::from_pkcs8(&der).unwrap();
        let msg = format!(
            "{}.{}",
            B64URL.encode(r#"{"alg":"RS256","typ":"JWT"}"#),
            B64URL.encode(claims.to_string())
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
    fn the_test_key_signs_what_its_public_half_verifies() {
        let key = public_key(super::super::TEST_PRIVATE_KEY_PEM).unwrap();
        let jwt = sign(&serde_json::json!({"iss": "x"}));
        assert_eq!(claims(&jwt).unwrap()["iss"], "x");
        assert_eq!(verify(&jwt, &key), Ok(()));
        let (h, rest) = jwt.split_once('.').unwrap();
        let (_, s) = rest.split_once('.').unwrap();
        let forged = format!("{h}.{}.{s}", B64URL.encode(r#"{"iss":"y"}"#));
        assert_eq!(verify(&forged, &key), Err(JwtError::Signature));
    }
}
