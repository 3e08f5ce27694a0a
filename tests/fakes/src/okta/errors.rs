//! Okta's error bodies: the Management API's `{errorCode, errorSummary, errorLink,
//! errorId, errorCauses: [{errorSummary}]}` and the token endpoint's OAuth
//! `{error, error_description}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error of the Management API.
#[derive(Debug, Clone)]
pub(crate) struct OktaError {
    pub status: StatusCode,
    pub code: &'static str,
    pub summary: String,
    pub causes: Vec<String>,
}

impl OktaError {
    pub fn new(status: StatusCode, code: &'static str, summary: impl Into<String>) -> Self {
        Self {
            status,
            code,
            summary: summary.into(),
            causes: Vec::new(),
        }
    }

    /// 400 `E0000001` "Api validation failed: <what>" with causes.
    pub fn validation(what: &str, causes: &[String]) -> Self {
        Self {
            causes: causes.to_vec(),
            ..Self::new(
                StatusCode::BAD_REQUEST,
                "E0000001",
                format!("Api validation failed: {what}"),
            )
        }
    }

    /// 404 `E0000007` "Not found: Resource not found: <id> (<kind>)".
    pub fn not_found(id: &str, kind: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "E0000007",
            format!("Not found: Resource not found: {id} ({kind})"),
        )
    }

    /// 401 `E0000011` "Invalid token provided".
    pub fn invalid_token() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "E0000011",
            "Invalid token provided",
        )
    }

    /// 403 `E0000006`: the token's admin or scopes do not allow this.
    pub fn no_permission() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "E0000006",
            "You do not have permission to perform the requested action",
        )
    }

    /// 429 `E0000047`.
    pub fn rate_limited() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "E0000047",
            "API call exceeded rate limit due to too many requests.",
        )
    }

    /// 503 `E0000010`-style: the service is briefly unavailable (injected faults).
    pub fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "E0000010",
            "Service is temporarily unavailable. Please try again later.",
        )
    }

    /// 400 `E0000003` "The request body was not well-formed."
    pub fn malformed() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "E0000003",
            "The request body was not well-formed.",
        )
    }
}

impl IntoResponse for OktaError {
    fn into_response(self) -> Response {
        let id = format!("oae{}", crate::okta::state::short_id());
        let causes: Vec<_> = self
            .causes
            .iter()
            .map(|c| json!({ "errorSummary": c }))
            .collect();
        let mut res = (
            self.status,
            axum::Json(json!({
                "errorCode": self.code,
                "errorSummary": self.summary,
                "errorLink": self.code,
                "errorId": id,
                "errorCauses": causes,
            })),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("SSWS realm=\"Okta\""),
            );
        }
        res
    }
}
