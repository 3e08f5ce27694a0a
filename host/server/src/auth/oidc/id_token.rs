//! The ID token: a JWS in compact form, checked before anything in it is believed —
//! the algorithm from an allowlist, the signature with the provider's key, then `iss`,
//! `aud` (and `azp`), `exp`, `iat`, `nbf` (60 s of clock skew) and the `nonce` this
//! browser's sign-in was started with.

use super::OidcError;
use super::jwks::{Alg, Jwk};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use serde_json::{Map, Value};

/// The largest ID token read (Entra's can carry up to 200 group ids).
pub const MAX_ID_TOKEN_BYTES: usize = 64 * 1024;
/// Clock difference tolerated between the provider and the appliance.
pub const SKEW_SECS: i64 = 60;

#[derive(Debug, Deserialize)]
pub struct Header {
    pub alg: String,
    #[serde(default)]
    pub kid: Option<String>,
    /// Extensions that must be understood: we understand none.
    #[serde(default)]
    pub crit: Option<Value>,
}

/// A token split and decoded, its signature not yet checked.
#[derive(Debug)]
pub struct Unverified {
    pub header: Header,
    pub alg: Alg,
    signing_input: String,
    signature: Vec<u8>,
    claims: Map<String, Value>,
}

fn decode(part: &str, what: &str) -> Result<Vec<u8>, OidcError> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| OidcError::Token(format!("its {what} is not base64url")))
}

/// Splits and decodes `token`; refuses an algorithm outside the allowlist.
pub fn parse(token: &str) -> Result<Unverified, OidcError> {
    if token.len() > MAX_ID_TOKEN_BYTES {
        return Err(OidcError::Token("it is too large".into()));
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(OidcError::Token("it is not a signed JWT".into()));
    };
    let header: Header = serde_json::from_slice(&decode(h, "header")?)
        .map_err(|e| OidcError::Token(format!("its header is not valid: {e}")))?;
    let alg = Alg::parse(&header.alg).ok_or_else(|| {
        OidcError::Token(format!(
            "it is signed with `{}`, which is not accepted (RS256, PS256, ES256 and their \
             longer variants are)",
            header.alg.chars().take(16).collect::<String>()
        ))
    })?;
    if header.crit.is_some() {
        return Err(OidcError::Token(
            "it has critical header extensions (crit), which are not supported".into(),
        ));
    }
    let claims: Map<String, Value> = serde_json::from_slice(&decode(p, "payload")?)
        .map_err(|e| OidcError::Token(format!("its claims are not a JSON object: {e}")))?;
    Ok(Unverified {
        alg,
        signing_input: format!("{h}.{p}"),
        signature: decode(s, "signature")?,
        header,
        claims,
    })
}

/// What the token must say.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
    /// Unix seconds.
    pub now: i64,
}

/// Who signed in, from a token that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub claims: Map<String, Value>,
    pub sub: String,
}

impl Verified {
    pub fn text(&self, name: &str) -> Option<&str> {
        self.claims
            .get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// `email_verified`: a boolean, or the strings some providers send.
    pub fn email_verified(&self) -> Option<bool> {
        match self.claims.get("email_verified")? {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => Some(false),
        }
    }
}

impl Unverified {
    /// Checks the signature with one of `keys` (those that fit its `kid` and `alg`),
    /// then the claims.
    pub fn verify(self, keys: &[Jwk], expected: Expected<'_>) -> Result<Verified, OidcError> {
        let signed = keys
            .iter()
            .any(|k| k.verify(self.alg, self.signing_input.as_bytes(), &self.signature));
        if !signed {
            return Err(OidcError::Token(
                "its signature does not match the identity provider's key".into(),
            ));
        }
        check_claims(self.claims, expected)
    }
}

fn number(claims: &Map<String, Value>, name: &str) -> Result<Option<i64>, OidcError> {
    match claims.get(name) {
        None => Ok(None),
        Some(v) => v
            .as_i64()
            .or_else(|| v.as_f64().map(|f| f as i64))
            .map(Some)
            .ok_or_else(|| OidcError::Token(format!("its `{name}` is not a number"))),
    }
}

/// The claim checks of OpenID Connect Core §3.1.3.7, once the signature holds.
pub fn check_claims(
    claims: Map<String, Value>,
    expected: Expected<'_>,
) -> Result<Verified, OidcError> {
    let bad = |m: &str| Err(OidcError::Token(m.to_string()));
    if claims.get("iss").and_then(Value::as_str) != Some(expected.issuer) {
        return bad("it was issued by someone else (iss)");
    }
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Value::String(a)) => vec![a.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if !audiences.contains(&expected.client_id) {
        return bad("it was issued for another application (aud)");
    }
    match claims.get("azp").and_then(Value::as_str) {
        Some(azp) if azp != expected.client_id => {
            return bad("it was issued to another application (azp)");
        }
        None if audiences.len() > 1 => {
            return bad("it names several audiences but no authorized party (azp)");
        }
        _ => {}
    }
    let now = expected.now;
    let Some(exp) = number(&claims, "exp")? else {
        return bad("it has no expiry (exp)");
    };
    if exp + SKEW_SECS <= now {
        return bad("it has expired (exp); check the appliance's clock");
    }
    let Some(iat) = number(&claims, "iat")? else {
        return bad("it has no issue time (iat)");
    };
    if iat - SKEW_SECS > now {
        return bad("it was issued in the future (iat); check the appliance's clock");
    }
    if let Some(nbf) = number(&claims, "nbf")?
        && nbf - SKEW_SECS > now
    {
        return bad("it is not valid yet (nbf); check the appliance's clock");
    }
    let nonce = claims.get("nonce").and_then(Value::as_str).unwrap_or("");
    if !crate::auth::session::same_token(nonce, expected.nonce) {
        return bad("it belongs to another sign-in (nonce)");
    }
    let sub = match claims.get("sub").and_then(Value::as_str) {
        Some(s) if !s.is_empty() && s.len() <= 255 => s.to_string(),
        _ => return bad("it names no subject (sub)"),
    };
    Ok(Verified { claims, sub })
}

#[cfg(test)]
mod tests {
    use super::super::jwks::PublicKey;
    use super::*;
    use ring::rand::SystemRandom;
    use ring::signature::{self, EcdsaKeyPair, KeyPair, RsaKeyPair};
    use serde_json::json;

    const RSA_TEST_KEY: &[u8] = include_bytes!("testdata/rsa-2048-test-only.pk8");
    const NOW: i64 = 1_800_000_000;

    fn expected() -> Expected<'static> {
        Expected {
            issuer: "https://idp.example",
            client_id: "tenure",
            nonce: "n-123",
            now: NOW,
        }
    }

    fn good_claims() -> Value {
        json!({
            "iss": "https://idp.example", "aud": "tenure", "sub": "00u1",
            "exp": NOW + 300, "iat": NOW - 5, "nonce": "n-123",
            "email": "ada@acme.test", "email_verified": true, "groups": ["tenure-admins"],
        })
    }

    fn b64(v: &Value) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
    }

    fn rsa() -> (RsaKeyPair, Jwk) {
        let pair = RsaKeyPair::from_pkcs8(RSA_TEST_KEY).unwrap();
        let c = pair.public().into();
        let c: signature::RsaPublicKeyComponents<Vec<u8>> = c;
        let jwk = Jwk {
            kid: Some("k1".into()),
            alg: Some("RS256".into()),
            key: PublicKey::Rsa { n: c.n, e: c.e },
        };
        (pair, jwk)
    }

    fn rs256(header: Value, claims: &Value) -> String {
        let (pair, _) = rsa();
        let input = format!("{}.{}", b64(&header), b64(claims));
        let mut sig = vec![0; pair.public().modulus_len()];
        pair.sign(
            &signature::RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            input.as_bytes(),
            &mut sig,
        )
        .unwrap();
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
    }

    fn check(token: &str) -> Result<Verified, OidcError> {
        parse(token)?.verify(&[rsa().1], expected())
    }

    #[test]
    fn a_good_rs256_token_is_accepted() {
        let t = rs256(json!({"alg": "RS256", "kid": "k1"}), &good_claims());
        let v = check(&t).unwrap();
        assert_eq!(v.sub, "00u1");
        assert_eq!(v.text("email"), Some("ada@acme.test"));
        assert_eq!(v.email_verified(), Some(true));
    }

    #[test]
    fn a_good_es256_token_is_accepted_and_a_tampered_one_is_not() {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(
            &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            pkcs8.as_ref(),
            &rng,
        )
        .unwrap();
        let jwk = Jwk {
            kid: None,
            alg: None,
            key: PublicKey::P256(pair.public_key().as_ref().to_vec()),
        };
        let input = format!("{}.{}", b64(&json!({"alg": "ES256"})), b64(&good_claims()));
        let sig = pair.sign(&rng, input.as_bytes()).unwrap();
        let token = format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.as_ref()));
        assert!(
            parse(&token)
                .unwrap()
                .verify(std::slice::from_ref(&jwk), expected())
                .is_ok()
        );
        let mut claims = good_claims();
        claims["sub"] = json!("someone-else");
        let forged = format!(
            "{}.{}.{}",
            b64(&json!({"alg": "ES256"})),
            b64(&claims),
            token.rsplit('.').next().unwrap()
        );
        assert!(matches!(
            parse(&forged).unwrap().verify(&[jwk], expected()),
            Err(OidcError::Token(m)) if m.contains("signature")
        ));
    }

    #[test]
    fn none_and_hmac_tokens_are_refused_before_any_key() {
        for alg in ["none", "HS256"] {
            let t = format!("{}.{}.", b64(&json!({"alg": alg})), b64(&good_claims()));
            let err = parse(&t).unwrap_err();
            assert!(err.to_string().contains("not accepted"), "{alg}: {err}");
        }
        let crit = rs256(json!({"alg": "RS256", "crit": ["exp"]}), &good_claims());
        assert!(parse(&crit).is_err());
        assert!(parse("a.b").is_err() && parse("a.b.c.d").is_err());
    }

    fn refused_for(change: impl FnOnce(&mut Value), why: &str) {
        let mut claims = good_claims();
        change(&mut claims);
        let t = rs256(json!({"alg": "RS256", "kid": "k1"}), &claims);
        match check(&t) {
            Err(OidcError::Token(m)) => assert!(m.contains(why), "{why}: {m}"),
            other => panic!("{why}: {other:?}"),
        }
    }

    #[test]
    fn every_claim_is_checked() {
        refused_for(|c| c["nonce"] = json!("n-other"), "nonce");
        refused_for(
            |c| {
                c.as_object_mut()
                    .unwrap()
                    .remove("nonce")
                    .map(drop)
                    .unwrap()
            },
            "nonce",
        );
        refused_for(|c| c["aud"] = json!("someone-else"), "aud");
        refused_for(|c| c["aud"] = json!(["tenure", "other"]), "azp");
        refused_for(|c| c["azp"] = json!("other"), "azp");
        refused_for(|c| c["iss"] = json!("https://idp.example/"), "iss");
        refused_for(|c| c["exp"] = json!(NOW - SKEW_SECS), "exp");
        refused_for(|c| c["iat"] = json!(NOW + SKEW_SECS + 1), "iat");
        refused_for(|c| c["nbf"] = json!(NOW + SKEW_SECS + 1), "nbf");
        refused_for(|c| c["sub"] = json!(""), "sub");
        // Within the skew, and several audiences with our azp, pass.
        let mut claims = good_claims();
        claims["exp"] = json!(NOW - SKEW_SECS + 1);
        claims["aud"] = json!(["other", "tenure"]);
        claims["azp"] = json!("tenure");
        let t = rs256(json!({"alg": "RS256", "kid": "k1"}), &claims);
        assert!(check(&t).is_ok());
    }

    #[test]
    fn a_token_signed_by_another_key_is_refused() {
        let t = rs256(json!({"alg": "RS256", "kid": "k1"}), &good_claims());
        let other = Jwk {
            kid: Some("k1".into()),
            alg: None,
            key: PublicKey::Rsa {
                n: vec![0xc5; 256],
                e: vec![1, 0, 1],
            },
        };
        assert!(parse(&t).unwrap().verify(&[other], expected()).is_err());
        assert!(parse(&t).unwrap().verify(&[], expected()).is_err());
    }
}
