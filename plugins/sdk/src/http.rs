//! Outbound HTTP with JSON, through the host (which checks every request against the
//! manifest's `allowed_hosts`, sets `Host`, follows no redirects and applies its own
//! timeout).
//!
//! ```ignore
//! let people: Vec<Person> = http::get(&url).bearer(&token).query("limit", "100").send()?.json()?;
//! let created: User = http::post(&url).bearer(&token).json(&new_user)?.send()?.json()?;
//! ```
//!
//! [`RequestBuilder::send`] maps every non-2xx answer to the WIT [`Error`], the way the
//! host acts on it:
//!
//! | answer | error | what the host does |
//! | --- | --- | --- |
//! | 401, 403 | `unauthorized` | parks the connector until an admin fixes its settings |
//! | 404, 410 | `not-found` | depends on the call (a delete treats it as done) |
//! | 409 | `conflict` | a manual task |
//! | 429 | `rate-limited(seconds)` from `Retry-After` (seconds or a date), else `RateLimit-Reset` / `X-RateLimit-Reset`, else 60 | retries after exactly that |
//! | 408, 5xx, timeout, connection failure | `unavailable` | retries later, with backoff |
//! | other 4xx | `invalid-input` | a manual task |
//! | refused by the allowlist | `other` (the host's message names the fix) | a manual task |
//!
//! Error messages quote the remote's message only as a short, clean [`excerpt`], with
//! the request's credentials (bearer tokens, basic passwords, API-key headers, secret
//! query and form fields, anything passed to [`RequestBuilder::redact`]) replaced by
//! `[redacted]`, in case the remote echoes them.

use crate::hostcall::{self, HttpError, Request};
use crate::{Error, time};
use base64::Engine;
use serde::{Serialize, de::DeserializeOwned};

pub use crate::bindings::imports::tenure::plugin::http::Method;

/// When a 429 carries no usable `Retry-After`, wait this long.
pub const DEFAULT_RETRY_AFTER_SECONDS: u32 = 60;

/// A request being built. Start one with [`get`], [`post`], [`put`], [`patch`],
/// [`delete`], [`head`] or [`request`].
#[must_use]
#[derive(Clone)]
pub struct RequestBuilder {
    method: Method,
    url: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    /// Values never to be repeated in an error message.
    secrets: Vec<String>,
}

/// A request with any method. `accept: application/json` is set; replace it with
/// [`RequestBuilder::header`].
pub fn request(method: Method, url: &str) -> RequestBuilder {
    RequestBuilder {
        method,
        url: url.to_string(),
        query: Vec::new(),
        headers: vec![("accept".into(), "application/json".into())],
        body: None,
        secrets: Vec::new(),
    }
}
pub fn get(url: &str) -> RequestBuilder {
    request(Method::Get, url)
}
pub fn head(url: &str) -> RequestBuilder {
    request(Method::Head, url)
}
pub fn post(url: &str) -> RequestBuilder {
    request(Method::Post, url)
}
pub fn put(url: &str) -> RequestBuilder {
    request(Method::Put, url)
}
pub fn patch(url: &str) -> RequestBuilder {
    request(Method::Patch, url)
}
pub fn delete(url: &str) -> RequestBuilder {
    request(Method::Delete, url)
}

/// Header, query and form names whose values are credentials.
fn is_sensitive_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "authorization"
        || n == "cookie"
        || n == "assertion"
        || n == "code"
        || [
            "token",
            "secret",
            "password",
            "api-key",
            "api_key",
            "apikey",
            "signature",
            "key",
        ]
        .iter()
        .any(|s| n.contains(s))
}

impl RequestBuilder {
    /// Sets a header, replacing one of the same name (names are case-insensitive).
    /// The values of credential headers (`authorization`, `cookie`, names with
    /// `token`, `key`, `secret`, `password`, `signature`) are kept out of errors.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = name.to_ascii_lowercase();
        if is_sensitive_name(&name) {
            self = self.redact(value);
            // `Bearer abc`: the token alone may be echoed too.
            if let Some((_, token)) = value.split_once(' ') {
                self = self.redact(token.trim());
            }
        }
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.to_string()));
        self
    }
    /// Whether a header is set (any case).
    pub fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }
    /// `Authorization: Bearer <token>`.
    pub fn bearer(self, token: &str) -> Self {
        self.header("authorization", &format!("Bearer {token}"))
    }
    /// `Authorization: Basic base64(user:password)`.
    pub fn basic(self, user: &str, password: &str) -> Self {
        let raw = format!("{user}:{password}");
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
        self.redact(password)
            .header("authorization", &format!("Basic {encoded}"))
    }
    /// Keeps `value` out of any error message this request produces (an API key in a
    /// URL path, a password in a JSON body). Values under 6 bytes are not redacted.
    pub fn redact(mut self, value: &str) -> Self {
        // Shorter values are no credentials, and redacting them would mangle messages.
        if value.len() >= 6 && !self.secrets.iter().any(|s| s == value) {
            self.secrets.push(value.to_string());
        }
        self
    }
    /// Appends a query parameter (encoded here).
    pub fn query(mut self, key: &str, value: &str) -> Self {
        if is_sensitive_name(key) {
            self = self.redact(value);
        }
        self.query.push((key.to_string(), value.to_string()));
        self
    }
    /// Appends a query parameter when there is a value.
    pub fn query_opt(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.query(key, v),
            None => self,
        }
    }
    /// A JSON body. Sets `content-type: application/json` unless a content type was
    /// set before (`application/scim+json`, `application/merge-patch+json`, ...).
    /// Fails with [`Error::Other`] when `body` does not serialize (a map with
    /// non-string keys, a failing `Serialize` impl): a bug in the connector.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::Other(format!("the request body does not serialize as JSON: {e}"))
        })?;
        self.body = Some(bytes);
        if !self.has_header("content-type") {
            self = self.header("content-type", "application/json");
        }
        Ok(self)
    }
    /// A form body (`application/x-www-form-urlencoded`). Credential fields
    /// (`client_secret`, `password`, `assertion`, ...) are kept out of errors.
    pub fn form(mut self, fields: &[(&str, &str)]) -> Self {
        for (k, v) in fields {
            if is_sensitive_name(k) {
                self = self.redact(v);
            }
        }
        self.body = Some(encode_pairs(fields.iter().copied()).into_bytes());
        self.header("content-type", "application/x-www-form-urlencoded")
    }
    /// A body of any type.
    pub fn body(mut self, content_type: &str, body: Vec<u8>) -> Self {
        self.body = Some(body);
        self.header("content-type", content_type)
    }

    /// The full URL, query included.
    pub fn url(&self) -> String {
        if self.query.is_empty() {
            return self.url.clone();
        }
        let sep = if self.url.contains('?') { '&' } else { '?' };
        let q = encode_pairs(self.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        format!("{}{sep}{q}", self.url)
    }

    /// Sends the request; any answer, whatever its status, is `Ok`. Only a request
    /// that got no answer is an error (timeout, connection, refused by the allowlist).
    pub fn send_raw(self) -> Result<Response, Error> {
        let req = Request {
            method: self.method,
            url: self.url(),
            headers: self.headers,
            body: self.body,
        };
        let secrets = self.secrets;
        let resp = hostcall::send(&req).map_err(|e| redact_error(transport_error(e), &secrets))?;
        Ok(Response {
            status: resp.status,
            headers: resp.headers,
            body: resp.body,
            secrets,
        })
    }

    /// Sends the request; a non-2xx answer becomes an [`Error`] (see the module docs).
    pub fn send(self) -> Result<Response, Error> {
        self.send_raw()?.error_for_status()
    }
}

fn transport_error(e: HttpError) -> Error {
    match e {
        // The host's message says why and which setting changes it.
        HttpError::Denied(m) => Error::Other(format!("the host refused the request: {m}")),
        HttpError::Timeout => Error::Unavailable("the request timed out".into()),
        HttpError::Transport(m) => Error::Unavailable(m),
        HttpError::Invalid(m) => Error::InvalidInput(m),
    }
}

/// Replaces each secret in the error's text by `[redacted]`.
fn redact_error(e: Error, secrets: &[String]) -> Error {
    let clean = |m: String| redact(&m, secrets);
    match e {
        Error::Unauthorized(m) => Error::Unauthorized(clean(m)),
        Error::NotFound(m) => Error::NotFound(clean(m)),
        Error::Conflict(m) => Error::Conflict(clean(m)),
        Error::InvalidInput(m) => Error::InvalidInput(clean(m)),
        Error::Unavailable(m) => Error::Unavailable(clean(m)),
        Error::Unsupported(m) => Error::Unsupported(clean(m)),
        Error::Other(m) => Error::Other(clean(m)),
        limited @ Error::RateLimited(_) => limited,
    }
}

fn redact(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        if !s.is_empty() {
            out = out.replace(s.as_str(), "[redacted]");
        }
    }
    out
}

/// Shows the method, the URL and the header names, with credentials redacted.
impl std::fmt::Debug for RequestBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("method", &self.method)
            .field("url", &redact(&self.url(), &self.secrets))
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>(),
            )
            .field("body_bytes", &self.body.as_ref().map(Vec::len))
            .finish()
    }
}

/// A buffered answer.
#[derive(Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The request's credentials, kept out of errors made from this answer.
    secrets: Vec<String>,
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &redact(&excerpt(&self.text()), &self.secrets))
            .finish()
    }
}

impl Response {
    /// An answer made by hand (tests, a cached answer).
    pub fn new(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Response {
        let headers = headers
            .into_iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), v))
            .collect();
        Response {
            status,
            headers,
            body,
            secrets: Vec::new(),
        }
    }

    /// The first value of a header (name in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Parses the body as JSON; a body that does not parse is the remote's fault
    /// ([`Error::Other`], quoting at most an excerpt).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|e| {
            // serde's message can quote the body: keep it to an excerpt.
            Error::Other(redact(
                &format!(
                    "the answer (HTTP {}) is not the JSON expected: {}",
                    self.status,
                    excerpt(&e.to_string())
                ),
                &self.secrets,
            ))
        })
    }

    /// `Ok(self)` for 2xx, else the mapped [`Error`].
    pub fn error_for_status(self) -> Result<Self, Error> {
        if self.is_success() {
            Ok(self)
        } else {
            Err(self.to_error())
        }
    }

    /// The remote's message: [`error_detail`] of the body, credentials redacted.
    pub fn detail(&self) -> String {
        redact(&error_detail(&self.body), &self.secrets)
    }

    /// Remote text (a message found in a vendor-specific error shape) made fit for an
    /// error message: an [`excerpt`], with this request's credentials redacted.
    pub fn clean(&self, text: &str) -> String {
        redact(&excerpt(text), &self.secrets)
    }

    /// The [`Error`] this answer means (for any status; see the module docs).
    pub fn to_error(&self) -> Error {
        let detail = format!("HTTP {}: {}", self.status, self.detail());
        match self.status {
            401 | 403 => Error::Unauthorized(detail),
            404 | 410 => Error::NotFound(detail),
            409 => Error::Conflict(detail),
            429 => Error::RateLimited(retry_after(self).unwrap_or(DEFAULT_RETRY_AFTER_SECONDS)),
            408 => Error::Unavailable(detail),
            400..=499 => Error::InvalidInput(detail),
            500..=599 => Error::Unavailable(detail),
            _ => Error::Other(detail),
        }
    }
}

/// How long a 429 asks to wait, in seconds (at least 1): `Retry-After` as
/// seconds or as an HTTP date (against the host's clock), else `RateLimit-Reset`
/// (seconds), else `X-RateLimit-Reset` (Unix seconds when it looks like a time,
/// else seconds).
pub fn retry_after(resp: &Response) -> Option<u32> {
    let secs = |v: i64| u32::try_from(v.max(1)).ok();
    if let Some(v) = resp.header("retry-after").map(str::trim) {
        if let Ok(n) = v.parse::<u32>() {
            return Some(n.max(1));
        }
        if let Some(at) = time::parse_http_date(v) {
            return secs(at - time::now_unix());
        }
    }
    if let Some(n) = resp
        .header("ratelimit-reset")
        .and_then(|v| v.trim().parse::<u32>().ok())
    {
        return Some(n.max(1));
    }
    let reset = resp
        .header("x-ratelimit-reset")
        .and_then(|v| v.trim().parse::<i64>().ok())?;
    if reset > 1_000_000_000 {
        secs(reset - time::now_unix())
    } else {
        secs(reset)
    }
}

/// The most of a remote system's text an error message repeats.
pub const MAX_EXCERPT_CHARS: usize = 200;

/// A short, human-readable message from an error body: the common JSON shapes
/// (`message`, `error.message`, `errorSummary`, `detail`, `error`) or the text itself,
/// always as an [`excerpt`]: a remote body is never echoed whole.
pub fn error_detail(body: &[u8]) -> String {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
        let candidates = [
            v.pointer("/error/message"),
            v.get("message"),
            v.get("errorSummary"),
            v.get("detail"),
            v.get("error_description"),
            v.pointer("/response/errors/0/message"),
            v.get("error"),
        ];
        for c in candidates.into_iter().flatten() {
            if let Some(s) = c.as_str() {
                return excerpt(s);
            }
        }
    }
    excerpt(&String::from_utf8_lossy(body))
}

/// Remote text made fit for an error message: control and invisible formatting
/// characters dropped, runs of whitespace as one space, at most
/// [`MAX_EXCERPT_CHARS`] characters (then `…`). Use it whenever a message repeats
/// what a remote system sent.
pub fn excerpt(text: &str) -> String {
    let mut out = String::new();
    let mut kept = 0;
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() || is_format_char(c) {
            space = !out.is_empty();
            continue;
        }
        if kept + usize::from(space) >= MAX_EXCERPT_CHARS {
            out.push('…');
            break;
        }
        if space {
            out.push(' ');
            kept += 1;
            space = false;
        }
        out.push(c);
        kept += 1;
    }
    out
}

/// Zero-width marks, bidi overrides and isolates, the byte-order mark.
fn is_format_char(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Percent-encodes one URL component (RFC 3986 unreserved characters pass through).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn encode_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    pairs
        .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Joins an origin or base URL and a path with exactly one slash between them.
pub fn join(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_reserved_characters() {
        assert_eq!(encode_component("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }

    #[test]
    fn joins_paths() {
        assert_eq!(join("https://x.dev/", "/api/v1"), "https://x.dev/api/v1");
    }

    #[test]
    fn error_bodies_are_echoed_only_as_short_clean_excerpts() {
        let html = format!(
            "<html>\n\t<body>\r\n{}\u{1b}[2J secret-ish</body></html>",
            "x".repeat(5_000)
        );
        let d = error_detail(html.as_bytes());
        assert_eq!(d.chars().count(), MAX_EXCERPT_CHARS + 1, "{d}");
        assert!(d.starts_with("<html> <body> xxx"), "{d}");
        assert!(d.ends_with('…'));
        assert!(!d.chars().any(char::is_control));

        let json = br#"{"message":"bad\nline\u202e two\u0007  three"}"#;
        assert_eq!(error_detail(json), "bad line two three");
        assert_eq!(error_detail(b"  short  "), "short");
        assert_eq!(
            excerpt(&"é".repeat(MAX_EXCERPT_CHARS)),
            "é".repeat(MAX_EXCERPT_CHARS)
        );
    }

    #[test]
    fn a_body_that_is_not_json_is_not_quoted_whole() {
        let r = Response::new(
            200,
            vec![],
            format!("[\"{}\"]", "y".repeat(1_000)).into_bytes(),
        );
        let err = r.json::<Vec<u32>>().unwrap_err();
        let Error::Other(m) = err else {
            panic!("expected other")
        };
        assert!(m.chars().count() < 300, "{m}");
    }

    #[test]
    fn maps_statuses_to_errors() {
        let r = |status, headers: Vec<(String, String)>| {
            Response::new(status, headers, br#"{"error":{"message":"nope"}}"#.to_vec())
        };
        assert!(matches!(r(401, vec![]).to_error(), Error::Unauthorized(m) if m.contains("nope")));
        assert!(matches!(r(404, vec![]).to_error(), Error::NotFound(_)));
        assert!(matches!(r(409, vec![]).to_error(), Error::Conflict(_)));
        assert!(matches!(
            r(429, vec![("retry-after".into(), "17".into())]).to_error(),
            Error::RateLimited(17)
        ));
        assert!(matches!(r(429, vec![]).to_error(), Error::RateLimited(60)));
        assert!(matches!(r(503, vec![]).to_error(), Error::Unavailable(_)));
        assert!(matches!(r(422, vec![]).to_error(), Error::InvalidInput(_)));
    }
}
