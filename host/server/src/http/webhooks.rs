//! `POST /webhooks/merge-hris`: Merge's webhooks, verified by their signature
//! (`X-Merge-Webhook-Signature` = base64url of HMAC-SHA256 of the raw body under the
//! webhook signature key), start an incremental sync at once.

use crate::app::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const PLUGIN: &str = "merge-hris";

pub fn router() -> Router<AppState> {
    Router::new().route("/webhooks/merge-hris", post(merge))
}

/// Whether `signature` (base64url, padded or not) is the HMAC of `body` under `key`.
/// The comparison is constant-time.
pub fn verify(key: &[u8], body: &[u8], signature: &str) -> bool {
    let sig = signature.trim().trim_end_matches('=');
    let Ok(given) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(sig) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

async fn merge(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let key = match state.store.secret(PLUGIN, "webhook_signature_key") {
        Ok(Some(k)) => k,
        Ok(None) => return (StatusCode::NOT_FOUND, "webhooks are not configured"),
        Err(e) => {
            tracing::error!("reading the webhook key: {e}");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "cannot read the webhook key",
            );
        }
    };
    let signature = headers
        .get("x-merge-webhook-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !verify(key.as_bytes(), &body, signature) {
        tracing::warn!("a Merge webhook with a bad signature was refused");
        return (StatusCode::UNAUTHORIZED, "bad signature");
    }
    let Some(plugin) = state.plugins.get(PLUGIN) else {
        return (StatusCode::NOT_FOUND, "merge-hris is not installed");
    };
    // Answer Merge at once; the sync runs in the background (syncs queue on the engine).
    tokio::spawn(async move {
        if let Err(e) = state.engine.sync(&plugin).await {
            tracing::error!("sync after a webhook failed: {e:#}");
        }
    });
    (StatusCode::ACCEPTED, "sync started")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_merge_signatures_with_or_without_padding() {
        let key = b"whsec";
        let body = br#"{"hook":{"event":"Employee.changed"}}"#;
        let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
        mac.update(body);
        let sig = base64::engine::general_purpose::URL_SAFE.encode(mac.finalize().into_bytes());
        assert!(sig.ends_with('='));
        assert!(verify(key, body, &sig));
        assert!(verify(key, body, sig.trim_end_matches('=')));
        assert!(!verify(key, b"tampered", &sig));
        assert!(!verify(b"other", body, &sig));
        assert!(!verify(key, body, "not base64!"));
    }
}
