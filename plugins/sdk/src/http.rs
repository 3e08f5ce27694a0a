//! Outbound HTTP with JSON, through the host (which checks the manifest's allowed hosts).
//!
//! ```ignore
//! let people: Vec<Person> = http::get(&url).bearer(&token).query("limit", "100").send()?.json()?;
//! ```
//! [`RequestBuilder::send`] maps every non-2xx answer to the WIT [`Error`]:
//! 401/403 → unauthorized, 404 → not-found, 409 → conflict, 429 → rate-limited
//! (with `Retry-After`), 5xx → unavailable, other 4xx → invalid-input.

use crate::Error;
use crate::wit::tenure::plugin::http as wit;
use base64::Engine;
use serde::{Serialize, de::DeserializeOwned};

pub use wit::Method;

/// When a 429 carries no usable `Retry-After`, wait this long.
pub const DEFAULT_RETRY_AFTER_SECONDS: u32 = 60;

/// A request being built.
#[must_use]
pub struct RequestBuilder {
    method: Method,
    url: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

pub fn request(method: Method, url: &str) -> RequestBuilder {
    RequestBuilder {
        method,
        url: url.to_string(),
        query: Vec::new(),
        headers: vec![("accept".into(), "application/json".into())],
        body: None,
    }
}
pub fn get(url: &str) -> RequestBuilder {
    request(Method::Get, url)
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

impl RequestBuilder {
    /// Sets a header, replacing one of the same name.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = name.to_ascii_lowercase();
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.to_string()));
        self
    }
    pub fn bearer(self, token: &str) -> Self {
        self.header("authorization", &format!("Bearer {token}"))
    }
    pub fn basic(self, user: &str, password: &str) -> Self {
        let raw = format!("{user}:{password}");
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
        self.header("authorization", &format!("Basic {encoded}"))
    }
    /// Appends a query parameter (encoded here).
    pub fn query(mut self, key: &str, value: &str) -> Self {
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
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        self.body = Some(serde_json::to_vec(body).unwrap_or_default());
        self.header("content-type", "application/json")
    }
    /// A form body (`application/x-www-form-urlencoded`).
    pub fn form(mut self, fields: &[(&str, &str)]) -> Self {
        self.body = Some(encode_pairs(fields.iter().copied()).into_bytes());
        self.header("content-type", "application/x-www-form-urlencoded")
    }
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

    /// Sends the request; any answer, whatever its status, is `Ok`.
    pub fn send_raw(self) -> Result<Response, Error> {
        let req = wit::Request {
            method: self.method,
            url: self.url(),
            headers: self.headers,
            body: self.body,
        };
        let resp = wit::send(&req).map_err(transport_error)?;
        Ok(Response {
            status: resp.status,
            headers: resp.headers,
            body: resp.body,
        })
    }

    /// Sends the request; a non-2xx answer becomes an [`Error`].
    pub fn send(self) -> Result<Response, Error> {
        self.send_raw()?.error_for_status()
    }
}

fn transport_error(e: wit::HttpError) -> Error {
    match e {
        // The host's message says why and which setting changes it.
        wit::HttpError::Denied(m) => Error::Other(format!("the host refused the request: {m}")),
        wit::HttpError::Timeout => Error::Unavailable("the request timed out".into()),
        wit::HttpError::Transport(m) => Error::Unavailable(m),
        wit::HttpError::Invalid(m) => Error::InvalidInput(m),
    }
}

/// A buffered answer.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
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

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Parses the body as JSON; a body that does not parse is the remote's fault.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|e| {
            // serde's message can quote the body: keep it to an excerpt.
            Error::Other(format!(
                "the answer (HTTP {}) is not the JSON expected: {}",
                self.status,
                excerpt(&e.to_string())
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

    /// The [`Error`] this answer means (for any status).
    pub fn to_error(&self) -> Error {
        let detail = format!("HTTP {}: {}", self.status, error_detail(&self.body));
        match self.status {
            401 | 403 => Error::Unauthorized(detail),
            404 | 410 => Error::NotFound(detail),
            409 => Error::Conflict(detail),
            429 => Error::RateLimited(retry_after(self).unwrap_or(DEFAULT_RETRY_AFTER_SECONDS)),
            400..=499 => Error::InvalidInput(detail),
            500..=599 => Error::Unavailable(detail),
            _ => Error::Other(detail),
        }
    }
}

/// Seconds from a `Retry-After` header (delta-seconds form).
pub fn retry_after(resp: &Response) -> Option<u32> {
    resp.header("retry-after")?.trim().parse::<u32>().ok()
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
        let r = Response {
            status: 200,
            headers: vec![],
            body: format!("[\"{}\"]", "y".repeat(1_000)).into_bytes(),
        };
        let err = r.json::<Vec<u32>>().unwrap_err();
        let Error::Other(m) = err else {
            panic!("expected other")
        };
        assert!(m.chars().count() < 300, "{m}");
    }

    #[test]
    fn maps_statuses_to_errors() {
        let r = |status, headers: Vec<(String, String)>| Response {
            status,
            headers,
            body: br#"{"error":{"message":"nope"}}"#.to_vec(),
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
