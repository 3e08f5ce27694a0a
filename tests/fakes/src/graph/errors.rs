//! Graph's error body, `{"error": {"code", "message", "innerError": {...}}}`, and the
//! Microsoft identity platform's token-endpoint error, `{"error", "error_description",
//! "error_codes", ...}`.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::ids;
use crate::rng::Rng;

/// An error a Graph route answers with. Rendered by [`finish`], which knows the
/// request's ids; a handler only says what went wrong.
#[derive(Debug, Clone)]
pub(crate) struct GraphError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// `error.details`, e.g. the `ObjectConflict` of a duplicate user.
    pub details: Option<Value>,
    /// Sent as `Retry-After` (seconds).
    pub retry_after: Option<u64>,
}

impl GraphError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: None,
            retry_after: None,
        }
    }

    /// 400 `Request_BadRequest`, the directory's answer to a request it will not carry out.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "Request_BadRequest", message)
    }

    /// 400 `Request_BadRequest` "Invalid value specified for property 'p' of resource 'User'."
    pub fn invalid_property(property: &str, resource: &str) -> Self {
        Self::bad_request(format!(
            "Invalid value specified for property '{property}' of resource '{resource}'."
        ))
    }

    /// 404 `Request_ResourceNotFound` for a directory object.
    pub fn not_found(id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            format!(
                "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
            ),
        )
    }

    /// 400 `BadRequest` for a body that is not a JSON object.
    pub fn unreadable_body() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
        )
    }

    /// 401 `InvalidAuthenticationToken`.
    pub fn unauthenticated(message: &str) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
        )
    }

    /// 429 `TooManyRequests` with `Retry-After`.
    pub fn throttled(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "Too many requests. Please retry after the time given in the Retry-After header.",
            )
        }
    }

    /// 503 `ServiceUnavailable` with `Retry-After`.
    pub fn unavailable(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "ServiceUnavailable",
                "The service is temporarily unavailable. Please retry after the time given in the Retry-After header.",
            )
        }
    }
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        let mut r = self.status.into_response();
        r.extensions_mut().insert(self);
        r
    }
}

/// Middleware over every route: gives each response Graph's `request-id` and
/// `client-request-id` headers (the latter echoes the client's, as Graph does) and
/// renders a [`GraphError`] into its body.
pub(crate) async fn finish(req: Request, next: Next) -> Response {
    let client_request_id = req
        .headers()
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let request_id = request_id();
    let client_request_id = client_request_id.unwrap_or_else(|| request_id.clone());
    let mut res = next.run(req).await;
    if let Some(e) = res.extensions_mut().remove::<GraphError>() {
        let mut error = json!({
            "code": e.code,
            "message": e.message,
            "innerError": {
                "date": graph_date(OffsetDateTime::now_utc()),
                "request-id": request_id,
                "client-request-id": client_request_id,
            },
        });
        if let Some(details) = e.details {
            error["details"] = details;
        }
        let mut body = (e.status, axum::Json(json!({ "error": error }))).into_response();
        if let Some(secs) = e.retry_after {
            body.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if e.status == StatusCode::UNAUTHORIZED {
            body.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(
                    "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"",
                ),
            );
        }
        res = body;
    }
    for (name, value) in [
        ("request-id", &request_id),
        ("client-request-id", &client_request_id),
    ] {
        if let Ok(v) = HeaderValue::from_str(value) {
            res.headers_mut().insert(name, v);
        }
    }
    res
}

/// A fresh GUID per request; not part of any seeded sequence.
fn request_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    ids::guid(&mut Rng::new(
        NEXT.fetch_add(1, Ordering::Relaxed),
        0x6EA9_4100,
    ))
}

/// `2024-05-01T12:34:56`, the form of `innerError.date`.
fn graph_date(t: OffsetDateTime) -> String {
    t.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]"
    ))
    .unwrap_or_default()
}

/// An error of the token endpoint (`login.microsoftonline.com`), e.g. 401
/// `invalid_client` with `AADSTS7000215`.
pub(crate) struct AadError {
    pub status: StatusCode,
    pub error: &'static str,
    pub aadsts: u32,
    pub description: String,
}

impl IntoResponse for AadError {
    fn into_response(self) -> Response {
        let now = OffsetDateTime::now_utc();
        let trace = request_id();
        let correlation = request_id();
        let timestamp = now
            .format(format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second]Z"
            ))
            .unwrap_or_default();
        let description = format!(
            "AADSTS{}: {} Trace ID: {trace} Correlation ID: {correlation} Timestamp: {timestamp}",
            self.aadsts, self.description
        );
        (
            self.status,
            axum::Json(json!({
                "error": self.error,
                "error_description": description,
                "error_codes": [self.aadsts],
                "timestamp": timestamp,
                "trace_id": trace,
                "correlation_id": correlation,
                "error_uri": format!("https://login.microsoftonline.com/error?code={}", self.aadsts),
            })),
        )
            .into_response()
    }
}
