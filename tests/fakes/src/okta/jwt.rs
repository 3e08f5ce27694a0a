//! Service app keys and the RS256 client assertions signed with them.

use ring::signature::RsaKeyPair;
use serde_json::Value;

use crate::oauth::{self, JwtError, Malformed, TokenError, pem_body};

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

/// The claims of a client assertion, its signature not checked (to learn which app it
/// claims to be); a malformed one is `invalid_client`, worded as Okta does.
pub(crate) fn claims(assertion: &str) -> Result<Value, TokenError> {
    oauth::claims(assertion).map_err(|e| {
        TokenError::invalid_client(match e {
            JwtError::Malformed(Malformed::NotAJwt) => "The client_assertion is not a JWT.",
            JwtError::Malformed(Malformed::Header) => "The client_assertion header is not JSON.",
            JwtError::Malformed(Malformed::NotRs256) => {
                "The client_assertion signature algorithm is not supported; use RS256."
            }
            JwtError::Malformed(Malformed::Payload) => "The client_assertion payload is not JSON.",
            JwtError::Signature => "The client_assertion signature is invalid.",
        })
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;

    /// Signs `claims` with the test service app's key.
    pub(crate) fn sign(claims: &Value) -> String {
        oauth::tests::sign(super::super::TEST_PRIVATE_KEY_PEM, &claims.to_string())
    }

    #[test]
    fn the_test_key_signs_what_its_public_half_verifies() {
        let key = public_key(super::super::TEST_PRIVATE_KEY_PEM).unwrap();
        let jwt = sign(&serde_json::json!({"iss": "x"}));
        assert_eq!(claims(&jwt).unwrap()["iss"], "x");
        assert_eq!(oauth::verify_signature(&jwt, &key), Ok(()));
        let (h, rest) = jwt.split_once('.').unwrap();
        let (_, s) = rest.split_once('.').unwrap();
        let forged = format!("{h}.{}.{s}", B64URL.encode(r#"{"iss":"y"}"#));
        assert_eq!(
            oauth::verify_signature(&forged, &key),
            Err(JwtError::Signature)
        );
    }
}
