//! The identity provider's signing keys (its JWKS), cached: fetched when first needed
//! and again when a token names a key we do not have — at most once a minute, so a
//! flood of tokens with made-up key ids cannot make us hammer the provider.

use super::OidcError;
use super::http::IdpClient;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};
use serde::Deserialize;
use std::time::{Duration, Instant};

/// The largest JWKS document read.
pub const MAX_JWKS_BYTES: usize = 256 * 1024;
/// Keys kept from one document.
const MAX_KEYS: usize = 64;
/// The soonest the JWKS is fetched again for an unknown key id.
pub const REFETCH_AFTER: Duration = Duration::from_secs(60);

/// The signature algorithms accepted (never `none`, never HMAC: a client secret must not
/// be a way to sign tokens).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    Rs256,
    Rs384,
    Rs512,
    Ps256,
    Ps384,
    Ps512,
    Es256,
    Es384,
}

impl Alg {
    pub fn parse(name: &str) -> Option<Alg> {
        Some(match name {
            "RS256" => Alg::Rs256,
            "RS384" => Alg::Rs384,
            "RS512" => Alg::Rs512,
            "PS256" => Alg::Ps256,
            "PS384" => Alg::Ps384,
            "PS512" => Alg::Ps512,
            "ES256" => Alg::Es256,
            "ES384" => Alg::Es384,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Alg::Rs256 => "RS256",
            Alg::Rs384 => "RS384",
            Alg::Rs512 => "RS512",
            Alg::Ps256 => "PS256",
            Alg::Ps384 => "PS384",
            Alg::Ps512 => "PS512",
            Alg::Es256 => "ES256",
            Alg::Es384 => "ES384",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// Modulus and exponent, big-endian, without leading zeros.
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    /// An uncompressed point (`04 || x || y`).
    P256(Vec<u8>),
    P384(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwk {
    pub kid: Option<String>,
    pub alg: Option<String>,
    pub key: PublicKey,
}

#[derive(Deserialize)]
struct RawSet {
    keys: Vec<RawJwk>,
}

#[derive(Deserialize)]
struct RawJwk {
    kty: String,
    kid: Option<String>,
    alg: Option<String>,
    #[serde(rename = "use")]
    use_: Option<String>,
    n: Option<String>,
    e: Option<String>,
    crv: Option<String>,
    x: Option<String>,
    y: Option<String>,
}

fn b64(s: &Option<String>) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD
        .decode(s.as_deref()?.trim_end_matches('='))
        .ok()
}

fn strip_zeros(mut v: Vec<u8>) -> Vec<u8> {
    let zeros = v.iter().take_while(|b| **b == 0).count();
    v.drain(..zeros);
    v
}

impl RawJwk {
    /// The signing key, or None for a key we cannot or must not use.
    fn into_jwk(self) -> Option<Jwk> {
        if self.use_.as_deref().is_some_and(|u| u != "sig") {
            return None;
        }
        let key = match (self.kty.as_str(), self.crv.as_deref()) {
            ("RSA", _) => PublicKey::Rsa {
                n: strip_zeros(b64(&self.n)?),
                e: strip_zeros(b64(&self.e)?),
            },
            ("EC", Some(crv @ ("P-256" | "P-384"))) => {
                let (x, y) = (b64(&self.x)?, b64(&self.y)?);
                let len = if crv == "P-256" { 32 } else { 48 };
                if x.len() != len || y.len() != len {
                    return None;
                }
                let point = [&[4u8][..], &x, &y].concat();
                if crv == "P-256" {
                    PublicKey::P256(point)
                } else {
                    PublicKey::P384(point)
                }
            }
            _ => return None,
        };
        Some(Jwk {
            kid: self.kid,
            alg: self.alg,
            key,
        })
    }
}

/// The usable signing keys of a JWKS document.
pub fn parse_set(body: &[u8]) -> Result<Vec<Jwk>, OidcError> {
    let set: RawSet = serde_json::from_slice(body)
        .map_err(|e| OidcError::Provider(format!("its JWKS is not a key set: {e}")))?;
    Ok(set
        .keys
        .into_iter()
        .filter_map(RawJwk::into_jwk)
        .take(MAX_KEYS)
        .collect())
}

impl Jwk {
    /// Whether this key may check a signature made with `alg`.
    pub fn fits(&self, alg: Alg) -> bool {
        if self.alg.as_deref().is_some_and(|a| a != alg.name()) {
            return false;
        }
        match &self.key {
            PublicKey::Rsa { .. } => !matches!(alg, Alg::Es256 | Alg::Es384),
            PublicKey::P256(_) => alg == Alg::Es256,
            PublicKey::P384(_) => alg == Alg::Es384,
        }
    }

    /// Whether `sig` is this key's `alg` signature of `message`.
    pub fn verify(&self, alg: Alg, message: &[u8], sig: &[u8]) -> bool {
        if !self.fits(alg) {
            return false;
        }
        match &self.key {
            PublicKey::Rsa { n, e } => {
                let params: &signature::RsaParameters = match alg {
                    Alg::Rs256 => &signature::RSA_PKCS1_2048_8192_SHA256,
                    Alg::Rs384 => &signature::RSA_PKCS1_2048_8192_SHA384,
                    Alg::Rs512 => &signature::RSA_PKCS1_2048_8192_SHA512,
                    Alg::Ps256 => &signature::RSA_PSS_2048_8192_SHA256,
                    Alg::Ps384 => &signature::RSA_PSS_2048_8192_SHA384,
                    Alg::Ps512 => &signature::RSA_PSS_2048_8192_SHA512,
                    Alg::Es256 | Alg::Es384 => return false,
                };
                RsaPublicKeyComponents { n, e }
                    .verify(params, message, sig)
                    .is_ok()
            }
            PublicKey::P256(point) => {
                UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point)
                    .verify(message, sig)
                    .is_ok()
            }
            PublicKey::P384(point) => {
                UnparsedPublicKey::new(&signature::ECDSA_P384_SHA384_FIXED, point)
                    .verify(message, sig)
                    .is_ok()
            }
        }
    }
}

/// The keys that may have signed a token with this header: the one its `kid` names,
/// else every key that fits the algorithm.
pub fn candidates(keys: &[Jwk], kid: Option<&str>, alg: Alg) -> Vec<Jwk> {
    keys.iter()
        .filter(|k| k.fits(alg))
        .filter(|k| kid.is_none() || k.kid.as_deref() == kid)
        .cloned()
        .collect()
}

#[derive(Default)]
struct Cached {
    keys: Vec<Jwk>,
    fetched: Option<Instant>,
}

/// The provider's keys, shared by every sign-in.
#[derive(Default)]
pub struct KeyCache {
    cached: tokio::sync::Mutex<Cached>,
}

impl KeyCache {
    /// The keys that may have signed a token (`kid`, `alg`); fetches the JWKS when there
    /// is none yet, or when none fits and the last fetch is over a minute old.
    pub async fn keys_for(
        &self,
        client: &IdpClient,
        jwks_uri: &url::Url,
        kid: Option<&str>,
        alg: Alg,
    ) -> Result<Vec<Jwk>, OidcError> {
        let mut cached = self.cached.lock().await;
        let found = candidates(&cached.keys, kid, alg);
        if !found.is_empty() {
            return Ok(found);
        }
        let may_fetch = cached
            .fetched
            .is_none_or(|at| at.elapsed() >= REFETCH_AFTER);
        if may_fetch {
            let body = client.get_bytes("JWKS", jwks_uri, MAX_JWKS_BYTES).await?;
            cached.keys = parse_set(&body)?;
            cached.fetched = Some(Instant::now());
            tracing::info!(
                keys = cached.keys.len(),
                "identity provider's signing keys fetched"
            );
            let found = candidates(&cached.keys, kid, alg);
            if !found.is_empty() {
                return Ok(found);
            }
        }
        Err(OidcError::Token(format!(
            "it is signed ({}) with a key the identity provider does not publish{}",
            alg.name(),
            kid.map(|k| format!(" (key id `{}`)", k.chars().take(64).collect::<String>()))
                .unwrap_or_default()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_that_cannot_sign_or_are_unknown_are_skipped() {
        let body = br#"{"keys":[
            {"kty":"RSA","kid":"a","use":"sig","n":"AKxy","e":"AQAB"},
            {"kty":"RSA","kid":"enc","use":"enc","n":"rHI","e":"AQAB"},
            {"kty":"oct","kid":"h","k":"c2VjcmV0"},
            {"kty":"EC","kid":"e","crv":"P-256","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
            {"kty":"EC","kid":"short","crv":"P-256","x":"AA","y":"AA"}
        ]}"#;
        let keys = parse_set(body).unwrap();
        let kids: Vec<_> = keys.iter().map(|k| k.kid.clone().unwrap()).collect();
        assert_eq!(kids, ["a", "e"]);
        assert_eq!(
            keys[0].key,
            PublicKey::Rsa {
                n: vec![0xac, 0x72],
                e: vec![1, 0, 1]
            },
            "the leading zero of n is dropped"
        );
        assert!(keys[0].fits(Alg::Rs256) && !keys[0].fits(Alg::Es256));
        assert!(keys[1].fits(Alg::Es256) && !keys[1].fits(Alg::Rs256));
        assert_eq!(candidates(&keys, Some("a"), Alg::Rs256).len(), 1);
        assert!(candidates(&keys, Some("zz"), Alg::Rs256).is_empty());
        assert_eq!(candidates(&keys, None, Alg::Es256).len(), 1);
    }

    /// A JWKS endpoint on loopback that counts its callers.
    async fn counting_jwks() -> (url::Url, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let hits = std::sync::Arc::new(AtomicUsize::new(0));
        let counted = hits.clone();
        let app = axum::Router::new().route(
            "/jwks",
            axum::routing::get(move || {
                counted.fetch_add(1, Ordering::SeqCst);
                async { r#"{"keys":[{"kty":"RSA","kid":"known","n":"rHI","e":"AQAB"}]}"# }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/jwks", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (url::Url::parse(&url).unwrap(), hits)
    }

    #[tokio::test]
    async fn unknown_key_ids_refetch_at_most_once_a_minute() {
        use std::sync::atomic::Ordering;
        let (url, hits) = counting_jwks().await;
        let client = IdpClient::new(&[]).unwrap();
        let cache = KeyCache::default();
        let found = cache
            .keys_for(&client, &url, Some("known"), Alg::Rs256)
            .await;
        assert_eq!(found.unwrap().len(), 1);
        assert_eq!(hits.load(Ordering::SeqCst), 1, "fetched when first needed");
        assert!(
            cache
                .keys_for(&client, &url, Some("known"), Alg::Rs256)
                .await
                .is_ok()
        );
        assert_eq!(hits.load(Ordering::SeqCst), 1, "then from the cache");
        for i in 0..20 {
            let kid = format!("made-up-{i}");
            let e = cache.keys_for(&client, &url, Some(&kid), Alg::Rs256).await;
            assert!(matches!(e, Err(OidcError::Token(m)) if m.contains("does not publish")));
        }
        assert_eq!(
            hits.load(Ordering::SeqCst),
            1,
            "made-up key ids fetch nothing within the minute"
        );
        // A minute on, an unknown key id fetches again (the provider rotated its keys).
        cache.cached.lock().await.fetched = Instant::now().checked_sub(REFETCH_AFTER);
        assert!(
            cache
                .keys_for(&client, &url, Some("rotated"), Alg::Rs256)
                .await
                .is_err()
        );
        assert_eq!(hits.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn an_oversized_jwks_is_refused() {
        let app = axum::Router::new().route(
            "/jwks",
            axum::routing::get(|| async { " ".repeat(MAX_JWKS_BYTES + 1) }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/jwks", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        let client = IdpClient::new(&[]).unwrap();
        let e = KeyCache::default()
            .keys_for(&client, &url::Url::parse(&url).unwrap(), None, Alg::Rs256)
            .await;
        assert!(matches!(e, Err(OidcError::Provider(m)) if m.contains("larger than")));
    }

    #[test]
    fn none_and_hmac_are_never_accepted() {
        for bad in ["none", "HS256", "HS512", "", "rs256"] {
            assert_eq!(Alg::parse(bad), None, "{bad}");
        }
        assert_eq!(Alg::parse("ES256"), Some(Alg::Es256));
    }
}
