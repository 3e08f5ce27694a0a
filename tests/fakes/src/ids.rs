//! Identifiers and small encodings the fakes share: GUIDs, opaque page tokens, and the
//! origin and percent-encoding for the absolute links some APIs return.

use axum::http::{HeaderMap, header};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;

use crate::rng::Rng;

/// A version-4-shaped GUID, lower case, drawn from `rng`.
pub(crate) fn guid(rng: &mut Rng) -> String {
    let (a, b) = (rng.next(), rng.next());
    let hi = (a & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000;
    let lo = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

/// An opaque page token for a position: `prefix` keeps tokens of different lists apart.
pub(crate) fn page_token(prefix: &str, position: &str) -> String {
    B64URL.encode(format!("{prefix}:{position}"))
}

/// The position in a token made by [`page_token`] with the same prefix.
pub(crate) fn page_position(prefix: &str, token: &str) -> Option<String> {
    let raw = String::from_utf8(B64URL.decode(token.trim()).ok()?).ok()?;
    raw.strip_prefix(prefix)?
        .strip_prefix(':')
        .map(str::to_string)
}

/// Percent-encodes a query-string key or value (RFC 3986 unreserved characters stay;
/// `$`, which OData's system query options start with, stays too).
pub(crate) fn encode_query(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'$' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `http://<Host>` of a request: links and token audiences point back where the client
/// came.
pub(crate) fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// `k=v&k=v`, encoded.
pub(crate) fn query_string(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode_query(k), encode_query(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_look_like_guids() {
        let mut rng = Rng::new(1, 2);
        let g = guid(&mut rng);
        assert_eq!(g.len(), 36);
        assert_eq!(&g[14..15], "4");
        assert!(matches!(&g[19..20], "8" | "9" | "a" | "b"), "{g}");
        assert_ne!(g, guid(&mut rng));
    }

    #[test]
    fn page_tokens_round_trip_and_keep_lists_apart() {
        let t = page_token("users", "42");
        assert_eq!(page_position("users", &t).as_deref(), Some("42"));
        assert_eq!(page_position("groups", &t), None);
        assert_eq!(page_position("users", "not base64!"), None);
    }

    #[test]
    fn query_strings_are_encoded() {
        let q = query_string(&[
            ("$filter".into(), "mail eq 'a@b.c'".into()),
            ("$top".into(), "5".into()),
        ]);
        assert_eq!(q, "$filter=mail%20eq%20%27a%40b.c%27&$top=5");
    }
}
