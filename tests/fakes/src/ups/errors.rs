//! UPS's error body, the same across the OAuth, Shipping, Direct-to-Mobile and Tracking
//! APIs: `{"response": {"errors": [{"code", "message"}]}}`. The codes are strings in
//! the Shipping and Tracking APIs and integers in Direct-to-Mobile's spec; the fake
//! sends each API's kind.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// One UPS error answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UpsError {
    pub status: StatusCode,
    /// `"120802"`, or a number for Direct-to-Mobile.
    pub code: Value,
    pub message: String,
    /// Seconds for a `Retry-After` header (429 only).
    pub retry_after: Option<u64>,
}

impl UpsError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: Value::String(code.into()),
            message: message.into(),
            retry_after: None,
        }
    }

    /// A 400 validation error of the Shipping API.
    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 401 `250002`: the bearer token is missing, wrong or expired.
    pub fn invalid_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "250002",
            "Invalid Authentication Information.",
        )
    }

    /// 429 with the seconds to wait.
    pub fn too_many(secs: u64) -> Self {
        Self {
            retry_after: Some(secs),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, "429", "Too Many Requests")
        }
    }

    /// Direct-to-Mobile's errors, whose `code` is the HTTP status as a number.
    pub fn numeric(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code: json!(status.as_u16()),
            message: message.into(),
            retry_after: None,
        }
    }
}

impl IntoResponse for UpsError {
    fn into_response(self) -> Response {
        let body = axum::Json(json!({
            "response": {"errors": [{"code": self.code, "message": self.message}]}
        }));
        match self.retry_after {
            Some(secs) => {
                (self.status, [(header::RETRY_AFTER, secs.to_string())], body).into_response()
            }
            None => (self.status, body).into_response(),
        }
    }
}

/// An answer that is JSON on success and UPS's error body otherwise.
pub(crate) fn reply(answer: Result<Value, UpsError>) -> Response {
    match answer {
        Ok(v) => axum::Json(v).into_response(),
        Err(e) => e.into_response(),
    }
}
