//! SCIM error answers (RFC 7644 §3.12) as the contract's errors.
//!
//! A SCIM service answers `{"schemas": [".../Error"], "status": "409", "scimType":
//! "uniqueness", "detail": "..."}` (status is a string). Slack's SCIM API answers
//! `{"Errors": {"description": "...", "code": 403}}` instead; both are read.

use serde_json::Value;
use tenure_sdk::Error;
use tenure_sdk::http::{self, Response};

/// The `scimType` of an error answer (`uniqueness`, `noTarget`, `invalidFilter`, ...).
pub fn scim_type(resp: &Response) -> Option<String> {
    let v: Value = serde_json::from_slice(&resp.body).ok()?;
    v.get("scimType")?.as_str().map(str::to_string)
}

/// The service's own words: `detail`, Slack's `Errors.description`, else the SDK's
/// reading of the body; always a short clean excerpt, credentials redacted.
pub fn detail(resp: &Response) -> String {
    let v: Option<Value> = serde_json::from_slice(&resp.body).ok();
    let found = v.as_ref().and_then(|v| {
        v.get("detail")
            .or_else(|| v.pointer("/Errors/description"))
            .or_else(|| v.pointer("/Errors/0/description"))
            .and_then(Value::as_str)
    });
    match found {
        Some(text) => resp.clean(text),
        None => resp.detail(),
    }
}

/// What a non-2xx SCIM answer means for the host.
///
/// 401/403 → `unauthorized` (the token is wrong or lacks the right), 404 →
/// `not-found`, 409 → `conflict`, 429 → `rate-limited` for `Retry-After`, 400 and
/// other 4xx → `invalid-input` with the service's detail, 501 → `unsupported` (the
/// service does not implement the operation), 5xx and 408 → `unavailable`.
pub fn to_error(resp: &Response) -> Error {
    let kind = scim_type(resp)
        .map(|t| format!(" ({})", http::excerpt(&t)))
        .unwrap_or_default();
    let msg = format!("SCIM HTTP {}{kind}: {}", resp.status, detail(resp));
    match resp.status {
        401 | 403 => Error::Unauthorized(msg),
        404 | 410 => Error::NotFound(msg),
        409 => Error::Conflict(msg),
        429 => {
            Error::RateLimited(http::retry_after(resp).unwrap_or(http::DEFAULT_RETRY_AFTER_SECONDS))
        }
        408 => Error::Unavailable(msg),
        501 => Error::Unsupported(msg),
        400..=499 => Error::InvalidInput(msg),
        500..=599 => Error::Unavailable(msg),
        _ => Error::Other(msg),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer(status: u16, body: Value) -> Response {
        Response::new(status, vec![], serde_json::to_vec(&body).unwrap())
    }

    fn scim(status: u16, scim_type: Option<&str>, detail: &str) -> Response {
        let mut body = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
            "status": status.to_string(), "detail": detail});
        if let Some(t) = scim_type {
            body["scimType"] = json!(t);
        }
        answer(status, body)
    }

    #[test]
    fn statuses_map_to_the_contract() {
        let e = to_error(&scim(409, Some("uniqueness"), "userName taken"));
        assert_eq!(
            e,
            Error::Conflict("SCIM HTTP 409 (uniqueness): userName taken".into())
        );
        assert!(
            matches!(to_error(&scim(401, None, "bad token")), Error::Unauthorized(m) if m.contains("bad token"))
        );
        assert!(matches!(
            to_error(&scim(403, None, "x")),
            Error::Unauthorized(_)
        ));
        assert!(matches!(
            to_error(&scim(404, None, "x")),
            Error::NotFound(_)
        ));
        assert!(
            matches!(to_error(&scim(400, Some("invalidValue"), "bad name")), Error::InvalidInput(m) if m.contains("invalidValue") && m.contains("bad name"))
        );
        assert!(matches!(
            to_error(&scim(501, None, "no bulk")),
            Error::Unsupported(_)
        ));
        assert!(matches!(
            to_error(&scim(503, None, "down")),
            Error::Unavailable(_)
        ));
        let limited = Response::new(429, vec![("Retry-After".into(), "12".into())], vec![]);
        assert_eq!(to_error(&limited), Error::RateLimited(12));
        assert_eq!(
            to_error(&Response::new(429, vec![], vec![])),
            Error::RateLimited(60)
        );
    }

    #[test]
    fn slacks_error_shape_is_read() {
        let r = answer(
            403,
            json!({"Errors": {"description": "no_scim_access", "code": 403}}),
        );
        assert_eq!(
            to_error(&r),
            Error::Unauthorized("SCIM HTTP 403: no_scim_access".into())
        );
        assert_eq!(scim_type(&r), None);
    }
}
