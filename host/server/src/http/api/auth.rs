//! Bearer API tokens. A token is `tnr_` and 43 characters of base64url randomness;
//! only its SHA-256 is stored.

use super::ApiError;
use crate::app::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Everything, settings and secrets included.
    Admin,
    /// Reads everything but secrets; changes nothing.
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Viewer => "viewer",
        }
    }

    fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "viewer" => Some(Role::Viewer),
            _ => None,
        }
    }
}

/// A new random token.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    format!(
        "tnr_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The authenticated caller of an API route.
#[derive(Debug, Clone)]
pub struct Caller {
    pub name: String,
    pub role: Role,
}

impl Caller {
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "token `{}` is a {} token; this needs an admin token",
                self.name,
                self.role.as_str()
            )))
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| {
                ApiError::Unauthorized(
                    "send `Authorization: Bearer <token>`; create a token with `tenure token create`"
                        .into(),
                )
            })?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                ApiError::Unauthorized("the Authorization header must be `Bearer <token>`".into())
            })?;
        let store = state.store.clone();
        let hash = hash_token(token);
        let record = tokio::task::spawn_blocking(move || store.api_token(&hash))
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))??;
        let record = record.ok_or_else(|| {
            ApiError::Unauthorized("the token is not valid (revoked, or never created)".into())
        })?;
        let role = Role::parse(&record.role).ok_or_else(|| {
            ApiError::Forbidden(format!("token `{}` has an unknown role", record.name))
        })?;
        Ok(Caller {
            name: record.name,
            role,
        })
    }
}

/// A caller with an admin token. Checked before the request body is read, so a viewer
/// token gets 403 whatever it sends.
#[derive(Debug, Clone)]
pub struct Admin(pub Caller);

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        caller.require_admin()?;
        Ok(Admin(caller))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert!(a.starts_with("tnr_") && a.len() == 4 + 43);
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), hash_token(&b));
    }
}
