//! Service-account keys and the RS256 JWT assertions signed with them.

use ring::signature::RsaKeyPair;
use serde_json::Value;

use crate::oauth::{self, JwtError, Malformed, pem_body};

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

/// Checks the RS256 signature of a compact JWT with `public_key` (DER `RSAPublicKey`)
/// and returns its claims. Claims are not checked here.
pub(crate) fn verify(assertion: &str, public_key: Option<&[u8]>) -> Result<Value, JwtError> {
    let claims = oauth::claims(assertion)?;
    oauth::verify_signature(assertion, public_key.ok_or(JwtError::Signature)?)?;
    Ok(claims)
}

/// How Google's token endpoint words a malformed assertion, after "Invalid JWT: ".
pub(crate) fn malformed(why: Malformed) -> &'static str {
    match why {
        Malformed::NotAJwt => "not a JWT",
        Malformed::Header => "bad JWT header",
        Malformed::NotRs256 => "alg must be RS256",
        Malformed::Payload => "bad JWT payload",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;

    fn sign(claims: &str) -> String {
        let v: Value = serde_json::from_str(super::super::TEST_SERVICE_ACCOUNT_JSON).unwrap();
        oauth::tests::sign(v["private_key"].as_str().unwrap(), claims)
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
