//! Fleet's error body: `{"message": ..., "errors": [{"name": ..., "reason": ...}]}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answer of Fleet's REST API.
#[derive(Debug, Clone)]
pub(crate) struct FleetError {
    pub status: StatusCode,
    pub message: &'static str,
    /// The `errors[0]`: which argument, and why.
    pub name: &'static str,
    pub reason: String,
}

impl FleetError {
    fn new(
        status: StatusCode,
        message: &'static str,
        name: &'static str,
        reason: impl Into<String>,
    ) -> Self {
        Self {
            status,
            message,
            name,
            reason: reason.into(),
        }
    }

    /// 401: no token, or not a token Fleet issued.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "Authentication required",
            "base",
            "Authentication required",
        )
    }

    /// 404: no host (or route) by that name.
    pub fn not_found(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "Resource Not Found", "base", reason)
    }

    /// 400: a query parameter that does not parse.
    pub fn bad_request(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "Bad request", "base", reason)
    }

    /// 402: lock, unlock and wipe are Fleet Premium features.
    pub fn premium_required() -> Self {
        Self::new(
            StatusCode::PAYMENT_REQUIRED,
            "Requires Fleet Premium license",
            "base",
            "Requires Fleet Premium license",
        )
    }

    /// 422: Fleet's "invalid argument" about the host (no MDM, an action pending).
    pub fn invalid_host(reason: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Validation Failed",
            "host_id",
            reason,
        )
    }

    /// 409: the host is already in the state asked for.
    pub fn conflict(reason: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "Conflict", "host_id", reason)
    }
}

impl IntoResponse for FleetError {
    fn into_response(self) -> Response {
        let body = json!({
            "message": self.message,
            "errors": [{"name": self.name, "reason": self.reason}],
        });
        (self.status, Json(body)).into_response()
    }
}
