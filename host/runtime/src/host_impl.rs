//! The host imports every plugin gets, each scoped to the calling plugin: the one
//! implementation, of contract 0.2. Plugins built for 0.1 reach it through
//! [`crate::adapt_v0_1::imports`].

use crate::bindings::v0_2::imports::tenure::plugin::{host, http, types};
use crate::signing::SigningKey;
use crate::state::{CallState, now_unix};

const MAX_KV_KEY: usize = 256;
const MAX_KV_VALUE: usize = 64 << 10;

impl types::Host for CallState {}

impl host::Host for CallState {
    async fn log(&mut self, level: host::Level, message: String) {
        let plugin = self.ctx.manifest.id.as_str();
        // One line, no escape sequences: a plugin cannot forge log entries.
        let message = crate::error::clean_message(&message, 4096);
        match level {
            host::Level::Debug => tracing::debug!(plugin, "{message}"),
            host::Level::Info => tracing::info!(plugin, "{message}"),
            host::Level::Warn => tracing::warn!(plugin, "{message}"),
            host::Level::Error => tracing::error!(plugin, "{message}"),
        }
    }

    async fn config(&mut self, key: String) -> Option<String> {
        self.ctx.config(&key)
    }

    async fn secret(&mut self, key: String) -> Option<String> {
        self.ctx.secret(&key)
    }

    async fn sign_jwt(&mut self, key: String, claims: String) -> Result<String, host::SignError> {
        let plugin = self.ctx.manifest.id.as_str();
        let pem = self.ctx.signing_key(&key).map_err(host::SignError::NoKey)?;
        // Never log the key, the claims or the token: only which key and why it failed.
        let signed = SigningKey::parse(&pem).and_then(|k| k.sign_jwt(&claims));
        if let Err(reason) = &signed {
            tracing::warn!(plugin, key = key.as_str(), "sign-jwt refused: {reason}");
        }
        signed.map_err(host::SignError::Invalid)
    }

    async fn signing_identity(&mut self, key: String) -> Option<String> {
        let text = self.ctx.signing_key(&key).ok()?;
        crate::signing::identity(&text)
    }

    async fn kv_get(&mut self, key: String) -> Option<Vec<u8>> {
        self.ctx
            .state
            .kv_get(&self.ctx.manifest.id, &key, now_unix())
    }

    async fn kv_set(&mut self, key: String, value: Vec<u8>, ttl_seconds: Option<u32>) {
        if key.len() > MAX_KV_KEY || value.len() > MAX_KV_VALUE {
            tracing::warn!(
                plugin = self.ctx.manifest.id.as_str(),
                "kv-set ignored: key over {MAX_KV_KEY} bytes or value over {MAX_KV_VALUE} bytes"
            );
            return;
        }
        let expires = ttl_seconds.map(|t| now_unix() + i64::from(t));
        self.ctx
            .state
            .kv_set(&self.ctx.manifest.id, &key, &value, expires);
    }

    async fn kv_delete(&mut self, key: String) {
        self.ctx.state.kv_delete(&self.ctx.manifest.id, &key);
    }

    async fn now(&mut self) -> String {
        time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    }
}

impl http::Host for CallState {
    async fn send(&mut self, req: http::Request) -> Result<http::Response, http::HttpError> {
        let ctx = self.ctx.clone();
        let allowlist = self.allowlist.get_or_insert_with(|| ctx.allowlist());
        ctx.http.send(&ctx.manifest.id, allowlist, req).await
    }
}
