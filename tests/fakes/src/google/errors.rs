//! Google's error bodies: the APIs' `{"error": {"code", "message", "errors": [{"message",
//! "domain", "reason"}]}}` and the OAuth token endpoint's `{"error",
//! "error_description"}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// An error of the Directory or Data Transfer API.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub domain: &'static str,
    pub reason: &'static str,
    /// `error.status` (`UNAUTHENTICATED`, `PERMISSION_DENIED`), sent by Google's newer
    /// front end for auth errors.
    pub rpc_status: Option<&'static str>,
    /// `location` of the first entry of `errors`, a header.
    pub location: Option<&'static str>,
    /// `error.details`, or (a string) the first entry's own message.
    pub details: Option<Box<Value>>,
}

impl ApiError {
    pub fn new(status: StatusCode, reason: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            domain: "global",
            reason,
            rpc_status: None,
            location: None,
            details: None,
        }
    }

    /// 404 "Resource Not Found: <what>" (`userKey`, `groupKey`, `memberKey`).
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "notFound",
            format!("Resource Not Found: {what}"),
        )
    }

    /// 400 with reason `invalid`.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid", message)
    }

    /// 400 "Bad Request" with reason `badRequest`.
    pub fn bad_request() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "badRequest", "Bad Request")
    }

    /// 409 with reason `duplicate`.
    pub fn duplicate(message: &str) -> Self {
        Self::new(StatusCode::CONFLICT, "duplicate", message)
    }

    /// 403 "Not Authorized to access this resource/api": the impersonated user is no
    /// admin, or the request reaches outside the customer.
    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Not Authorized to access this resource/api",
        )
    }

    /// 401: no token, or one the fake did not issue (or that expired or was revoked).
    pub fn unauthenticated(missing: bool) -> Self {
        let (message, inner, reason) = if missing {
            (
                "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
                "Login Required.",
                "required",
            )
        } else {
            (
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
                "Invalid Credentials",
                "authError",
            )
        };
        let mut e = Self::new(StatusCode::UNAUTHORIZED, reason, message);
        e.rpc_status = Some("UNAUTHENTICATED");
        e.location = Some("Authorization");
        e.details = Some(Box::new(json!(inner)));
        e
    }

    /// 403 for a token without any of the scopes the method accepts.
    pub fn insufficient_scopes(method: &str) -> Self {
        let mut e = Self::new(
            StatusCode::FORBIDDEN,
            "insufficientPermissions",
            "Request had insufficient authentication scopes.",
        );
        e.rpc_status = Some("PERMISSION_DENIED");
        e.details = Some(Box::new(json!([{
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
            "domain": "googleapis.com",
            "metadata": { "service": "admin.googleapis.com", "method": method },
        }])));
        e
    }

    /// 403 `userRateLimitExceeded`, Admin SDK's quota signal.
    pub fn rate_limited() -> Self {
        let mut e = Self::new(
            StatusCode::FORBIDDEN,
            "userRateLimitExceeded",
            "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'.",
        );
        e.domain = "usageLimits";
        e
    }

    /// 503 `backendError`.
    pub fn backend_error() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "backendError",
            "Backend Error",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let first_message = match self.details.as_deref() {
            Some(Value::String(s)) => s.clone(),
            _ => self.message.clone(),
        };
        let mut entry = json!({
            "message": first_message,
            "domain": self.domain,
            "reason": self.reason,
        });
        if let Some(location) = self.location {
            entry["location"] = json!(location);
            entry["locationType"] = json!("header");
        }
        let mut error = json!({
            "code": self.status.as_u16(),
            "message": self.message,
            "errors": [entry],
        });
        if let Some(s) = self.rpc_status {
            error["status"] = json!(s);
        }
        if let Some(d @ Value::Array(_)) = self.details.as_deref() {
            error["details"] = d.clone();
        }
        let mut r = (self.status, axum::Json(json!({ "error": error }))).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=UTF-8"),
        );
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"https://accounts.google.com/\""),
            );
        }
        r
    }
}
