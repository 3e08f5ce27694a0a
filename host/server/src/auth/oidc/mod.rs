//! Single sign-on with OpenID Connect (`[oidc]`): the authorization code flow with
//! PKCE (S256), `state` and `nonce` kept here and bound to the browser by a cookie, the
//! code exchanged at the provider's token endpoint, and the ID token checked
//! ([`id_token`]) with the provider's published keys ([`jwks`]). The person then gets
//! the roles their groups give ([`roles`], [`accounts`]) and an ordinary session.
//! Local accounts keep working beside it: the way in when the provider is down.

pub mod accounts;
pub mod config;
pub mod discovery;
pub mod flow;
mod http;
pub mod id_token;
pub mod jwks;
pub mod pending;
pub mod roles;

pub use config::OidcConfig;

use discovery::{MAX_DISCOVERY_BYTES, Metadata, RawMetadata, discovery_url};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long the discovery document is used before it is read again.
const METADATA_TTL: Duration = Duration::from_secs(60 * 60);
/// After a failed discovery, the soonest it is tried again.
const METADATA_RETRY: Duration = Duration::from_secs(10);

/// Why a single sign-on did not sign anyone in; each says it in words for the sign-in
/// page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OidcError {
    #[error("the identity provider could not be reached ({0}); local accounts still sign in")]
    Unreachable(String),
    #[error("the identity provider's answer could not be used: {0}")]
    Provider(String),
    /// The provider sent the person back with this error code.
    #[error("the identity provider refused: {0}")]
    Refused(String),
    /// The token endpoint refused the code (used already, expired, or not ours).
    #[error("the identity provider refused the sign-in code ({0}); try again")]
    CodeRefused(String),
    /// No sign-in under way for this state and browser.
    #[error("the sign-in link expired, try again")]
    Expired,
    #[error("the identity provider's ID token was refused: {0}")]
    Token(String),
    /// About the person's account: a sentence of its own.
    #[error("{0}")]
    Account(String),
}

#[derive(Default)]
struct MetaCache {
    meta: Option<(Metadata, Instant)>,
    failed: Option<(Instant, OidcError)>,
}

/// Single sign-on as configured; shared by every request.
pub struct Oidc {
    pub config: OidcConfig,
    /// `<public url>/auth/oidc/callback`: registered at the provider.
    pub redirect_uri: String,
    client: http::IdpClient,
    metadata: tokio::sync::Mutex<MetaCache>,
    keys: jwks::KeyCache,
    pending: pending::Pending,
    /// One single sign-on at a time changes the catalog's champion lists.
    roles_lock: tokio::sync::Mutex<()>,
}

impl Oidc {
    /// The `[oidc]` section, checked (None when there is none). Contacts nobody: the
    /// provider is first asked at the first sign-in, so the appliance starts (and local
    /// accounts sign in) while it is down.
    pub fn from_config(config: &crate::config::Config) -> anyhow::Result<Option<Arc<Oidc>>> {
        let Some(section) = config.oidc.clone() else {
            return Ok(None);
        };
        let section = section
            .resolve(std::env::var(config::SECRET_ENV).ok())
            .map_err(|e| anyhow::anyhow!("[oidc]: {e:#}"))?;
        let mut pems = Vec::new();
        for f in &config.runtime.extra_ca_files {
            pems.push(std::fs::read(f).map_err(|e| {
                anyhow::anyhow!("[oidc]: cannot read CA file {}: {e}", f.display())
            })?);
        }
        let redirect_uri = format!("{}/auth/oidc/callback", config.public_url());
        tracing::info!(
            issuer = %section.issuer,
            client_id = %section.client_id,
            %redirect_uri,
            "single sign-on is set up"
        );
        Ok(Some(Arc::new(Oidc {
            config: section,
            redirect_uri,
            client: http::IdpClient::new(&pems)?,
            metadata: Default::default(),
            keys: Default::default(),
            pending: Default::default(),
            roles_lock: Default::default(),
        })))
    }

    pub fn display_name(&self) -> &str {
        &self.config.display_name
    }

    /// The provider's checked discovery document: cached for an hour; when reading it
    /// again fails, the last good one is kept.
    async fn metadata(&self) -> Result<Metadata, OidcError> {
        let mut cache = self.metadata.lock().await;
        if let Some((meta, at)) = &cache.meta
            && at.elapsed() < METADATA_TTL
        {
            return Ok(meta.clone());
        }
        if let Some((at, err)) = &cache.failed
            && at.elapsed() < METADATA_RETRY
        {
            return match &cache.meta {
                Some((meta, _)) => Ok(meta.clone()),
                None => Err(err.clone()),
            };
        }
        let url = discovery_url(&self.config.issuer)?;
        let fetched = self
            .client
            .get_json::<RawMetadata>("discovery document", &url, MAX_DISCOVERY_BYTES)
            .await
            .and_then(|raw| raw.check(&self.config.issuer));
        match fetched {
            Ok(meta) => {
                cache.meta = Some((meta.clone(), Instant::now()));
                cache.failed = None;
                Ok(meta)
            }
            Err(e) => {
                tracing::warn!(issuer = %self.config.issuer, "identity provider discovery failed: {e}");
                cache.failed = Some((Instant::now(), e.clone()));
                match &cache.meta {
                    Some((meta, _)) => Ok(meta.clone()),
                    None => Err(e),
                }
            }
        }
    }
}
