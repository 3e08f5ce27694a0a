//! Plugin signatures: ed25519 over a plugin's component and its manifest.
//!
//! A signed manifest carries two top-level lines, `publisher = "<key id>"` and
//! `signature = "ed25519:<base64>"`. The signature is over the canonical message
//!
//! ```text
//! b"tenure-plugin-v1\n" + hex(sha256(wasm)) + "\n" + hex(sha256(manifest without its signature line))
//! ```
//!
//! so it covers every byte of the component and of the manifest (the publisher line
//! included) except the signature line itself. This file needs only `ring` and
//! `base64`: the build script of `tenure-plugins` includes it to sign the bundled
//! plugins with the same code that verifies them.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ring::signature::{ED25519, Ed25519KeyPair, KeyPair, UnparsedPublicKey};

/// The publisher id of the plugins bundled into the binary, signed at build time with
/// a key made for that build. Trusted for bundled plugins only.
pub const BUNDLED_PUBLISHER: &str = "tenure-bundled";

const CONTEXT: &[u8] = b"tenure-plugin-v1\n";
const SCHEME: &str = "ed25519:";

/// Why a signature could not be made or does not hold. The text is for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// The manifest has no `signature` line.
    Unsigned,
    /// The manifest is signed but names no `publisher`.
    NoPublisher,
    /// The publisher is not among the trusted keys.
    UnknownPublisher(String),
    /// The signature does not match the component and manifest under the publisher's key.
    Mismatch(String),
    /// The signature line, a key or the manifest's layout is not usable.
    Malformed(String),
}

impl std::fmt::Display for SignatureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignatureError::Unsigned => f.write_str(
                "the plugin is not signed (no `signature` line in its manifest); sign it with \
                 `tenure plugin sign`, or set `[plugins] allow_unsigned = true`",
            ),
            SignatureError::NoPublisher => {
                f.write_str("the manifest has a signature but no `publisher` line")
            }
            SignatureError::UnknownPublisher(p) => write!(
                f,
                "the plugin is signed by `{p}`, which is not a trusted publisher; add its \
                 public key to `[plugins] trusted_keys` if you trust it"
            ),
            SignatureError::Mismatch(p) => write!(
                f,
                "the signature by `{p}` does not match: the component or its manifest was \
                 changed after signing, or it was signed with another key"
            ),
            SignatureError::Malformed(why) => write!(f, "the signature is unusable: {why}"),
        }
    }
}

impl std::error::Error for SignatureError {}

/// A publisher's public key, written `<key id>:<base64 of the 32-byte key>` in
/// `[plugins] trusted_keys`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey {
    pub id: String,
    pub public_key: Vec<u8>,
}

impl TrustedKey {
    pub fn new(id: &str, public_key: &[u8]) -> Result<TrustedKey, String> {
        let id_ok = !id.is_empty()
            && id.len() <= 64
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
        if !id_ok {
            return Err(format!(
                "key id `{id}` must be 1-64 letters, digits, dots, dashes or underscores"
            ));
        }
        if public_key.len() != 32 {
            return Err(format!(
                "the public key of `{id}` must be 32 bytes (an ed25519 key), not {}",
                public_key.len()
            ));
        }
        Ok(TrustedKey {
            id: id.to_string(),
            public_key: public_key.to_vec(),
        })
    }

    /// Parses `<key id>:<base64 public key>`.
    pub fn parse(line: &str) -> Result<TrustedKey, String> {
        let Some((id, key)) = line.trim().split_once(':') else {
            return Err(format!(
                "trusted key `{line}` must be written `<key id>:<base64 public key>`"
            ));
        };
        let bytes = B64
            .decode(key.trim())
            .map_err(|e| format!("the public key of `{id}` is not base64: {e}"))?;
        TrustedKey::new(id.trim(), &bytes)
    }

    /// The line to put in `trusted_keys`.
    pub fn line(&self) -> String {
        format!("{}:{}", self.id, B64.encode(&self.public_key))
    }
}

/// A new private key as a PKCS#8 document.
pub fn generate_pkcs8() -> Result<Vec<u8>, SignatureError> {
    let rng = ring::rand::SystemRandom::new();
    Ed25519KeyPair::generate_pkcs8(&rng)
        .map(|doc| doc.as_ref().to_vec())
        .map_err(|_| SignatureError::Malformed("cannot generate a key".into()))
}

fn key_pair(pkcs8: &[u8]) -> Result<Ed25519KeyPair, SignatureError> {
    Ed25519KeyPair::from_pkcs8(pkcs8)
        .or_else(|_| Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8))
        .map_err(|e| SignatureError::Malformed(format!("not an ed25519 PKCS#8 key: {e}")))
}

/// The public key of a PKCS#8 private key, as trusted under `id`.
pub fn public_key(id: &str, pkcs8: &[u8]) -> Result<TrustedKey, SignatureError> {
    let pair = key_pair(pkcs8)?;
    TrustedKey::new(id, pair.public_key().as_ref()).map_err(SignatureError::Malformed)
}

fn sha256_hex(bytes: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// The top-level lines of a manifest: those before its first table header.
fn top_level_end(lines: &[&str]) -> usize {
    lines
        .iter()
        .position(|l| l.trim_start().starts_with('['))
        .unwrap_or(lines.len())
}

/// Whether `line` assigns the top-level key `key` (`key = ...`).
fn assigns(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|rest| rest.trim_start().starts_with('='))
}

/// The manifest without its `signature` line, as signed. More than one such line is
/// refused rather than guessed at.
pub fn unsigned_text(manifest_text: &str) -> Result<String, SignatureError> {
    let lines: Vec<&str> = manifest_text.split_inclusive('\n').collect();
    let end = top_level_end(&lines);
    let found: Vec<usize> = (0..end)
        .filter(|&i| assigns(lines[i], "signature"))
        .collect();
    if found.len() > 1 {
        return Err(SignatureError::Malformed(
            "the manifest has more than one `signature` line".into(),
        ));
    }
    Ok(lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !found.contains(i))
        .map(|(_, l)| *l)
        .collect())
}

/// The message a signature is over.
pub fn message(wasm: &[u8], manifest_text: &str) -> Result<Vec<u8>, SignatureError> {
    let unsigned = unsigned_text(manifest_text)?;
    let mut m = CONTEXT.to_vec();
    m.extend_from_slice(sha256_hex(wasm).as_bytes());
    m.push(b'\n');
    m.extend_from_slice(sha256_hex(unsigned.as_bytes()).as_bytes());
    Ok(m)
}

/// Sets a top-level `key = "value"` line: replaces the one there, else inserts it
/// before the first table (where a top-level key must be in TOML).
fn set_top_level(text: &str, key: &str, value: &str) -> String {
    let line = format!("{key} = \"{value}\"\n");
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    if let Some(last) = lines.last_mut()
        && !last.ends_with('\n')
    {
        last.push('\n');
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let end = top_level_end(&refs);
    match (0..end).find(|&i| assigns(&lines[i], key)) {
        Some(i) => lines[i] = line,
        None => lines.insert(end, line),
    }
    lines.concat()
}

/// Signs a plugin: returns its manifest text with `publisher` and `signature` set
/// (any previous signature replaced). `publisher` must be a plain key id.
pub fn sign(
    pkcs8: &[u8],
    publisher: &str,
    wasm: &[u8],
    manifest_text: &str,
) -> Result<String, SignatureError> {
    TrustedKey::new(publisher, &[0; 32]).map_err(SignatureError::Malformed)?;
    let pair = key_pair(pkcs8)?;
    let without = unsigned_text(manifest_text)?;
    let with_publisher = set_top_level(&without, "publisher", publisher);
    let sig = pair.sign(&message(wasm, &with_publisher)?);
    Ok(set_top_level(
        &with_publisher,
        "signature",
        &format!("{SCHEME}{}", B64.encode(sig.as_ref())),
    ))
}

/// Checks a signature (the manifest's `signature` and `publisher` values) against the
/// trusted keys. Returns the publisher.
pub fn verify(
    wasm: &[u8],
    manifest_text: &str,
    publisher: Option<&str>,
    signature: Option<&str>,
    trusted: &[TrustedKey],
) -> Result<String, SignatureError> {
    let Some(signature) = signature else {
        return Err(SignatureError::Unsigned);
    };
    let Some(publisher) = publisher else {
        return Err(SignatureError::NoPublisher);
    };
    let Some(key) = trusted.iter().find(|k| k.id == publisher) else {
        return Err(SignatureError::UnknownPublisher(publisher.to_string()));
    };
    let Some(encoded) = signature.strip_prefix(SCHEME) else {
        return Err(SignatureError::Malformed(format!(
            "the signature must start with `{SCHEME}`"
        )));
    };
    let sig = B64
        .decode(encoded.trim())
        .map_err(|e| SignatureError::Malformed(format!("the signature is not base64: {e}")))?;
    UnparsedPublicKey::new(&ED25519, &key.public_key)
        .verify(&message(wasm, manifest_text)?, &sig)
        .map_err(|_| SignatureError::Mismatch(publisher.to_string()))?;
    Ok(publisher.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "id = \"acme\"\nname = \"Acme\"\nversion = \"1.0.0\"\n\
        world = \"app-connector\"\nallowed_hosts = [\"https://api.acme.test\"]\n\n\
        [[settings]]\nkey = \"token\"\nlabel = \"Token\"\nkind = \"secret\"\n";
    const WASM: &[u8] = b"\0asm\x0d\0\x01\0component bytes";

    /// The publisher and signature values of a signed manifest, as the runtime reads them.
    fn fields(text: &str) -> (Option<String>, Option<String>) {
        let v: toml::Table = toml::from_str(text).unwrap();
        let get = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        (get("publisher"), get("signature"))
    }

    fn signed() -> (TrustedKey, String) {
        let pkcs8 = generate_pkcs8().unwrap();
        let key = public_key("acme", &pkcs8).unwrap();
        (key, sign(&pkcs8, "acme", WASM, MANIFEST).unwrap())
    }

    fn check(wasm: &[u8], text: &str, trusted: &[TrustedKey]) -> Result<String, SignatureError> {
        let (p, s) = fields(text);
        verify(wasm, text, p.as_deref(), s.as_deref(), trusted)
    }

    #[test]
    fn a_signed_plugin_verifies_and_stays_a_valid_manifest() {
        let (key, text) = signed();
        assert_eq!(
            check(WASM, &text, std::slice::from_ref(&key)).unwrap(),
            "acme"
        );
        // The lines land at the top level, before the settings table.
        let m = crate::Manifest::from_toml(&text).unwrap();
        assert_eq!(m.publisher.as_deref(), Some("acme"));
        assert!(m.signature.unwrap().starts_with("ed25519:"));
        assert_eq!(m.settings.len(), 1);
        // Signing again replaces the signature rather than adding a second one.
        let pkcs8 = generate_pkcs8().unwrap();
        let again = sign(&pkcs8, "acme", WASM, &text).unwrap();
        assert_eq!(again.matches("signature =").count(), 1);
        assert_eq!(again.matches("publisher =").count(), 1);
        let new_key = public_key("acme", &pkcs8).unwrap();
        assert!(check(WASM, &again, &[new_key]).is_ok());
        assert!(matches!(
            check(WASM, &again, &[key]),
            Err(SignatureError::Mismatch(_))
        ));
    }

    #[test]
    fn tampering_with_the_component_or_the_manifest_breaks_the_signature() {
        let (key, text) = signed();
        let trusted = [key];
        let mut wasm = WASM.to_vec();
        wasm[10] ^= 1;
        assert_eq!(
            check(&wasm, &text, &trusted),
            Err(SignatureError::Mismatch("acme".into()))
        );
        let wider = text.replace("https://api.acme.test", "https://evil.test");
        assert_eq!(
            check(WASM, &wider, &trusted),
            Err(SignatureError::Mismatch("acme".into()))
        );
        // The publisher line is signed too: renaming the publisher to another trusted
        // key id does not carry the signature over.
        let other = TrustedKey::new("other", &trusted[0].public_key).unwrap();
        let renamed = text.replace("publisher = \"acme\"", "publisher = \"other\"");
        assert!(check(WASM, &renamed, &[other]).is_err());
    }

    #[test]
    fn unsigned_unknown_and_malformed_are_told_apart() {
        let (key, text) = signed();
        assert_eq!(
            check(WASM, MANIFEST, std::slice::from_ref(&key)),
            Err(SignatureError::Unsigned)
        );
        let stranger = TrustedKey::new("someone-else", &key.public_key).unwrap();
        assert_eq!(
            check(WASM, &text, &[stranger]),
            Err(SignatureError::UnknownPublisher("acme".into()))
        );
        let (_, sig) = fields(&text);
        let garbled = text.replace(&sig.unwrap(), "ed25519:!!!");
        assert!(matches!(
            check(WASM, &garbled, std::slice::from_ref(&key)),
            Err(SignatureError::Malformed(_))
        ));
        let twice = format!("signature = \"ed25519:AA==\"\n{text}");
        assert!(matches!(
            unsigned_text(&twice),
            Err(SignatureError::Malformed(_))
        ));
        assert!(
            SignatureError::UnknownPublisher("x".into())
                .to_string()
                .contains("trusted_keys")
        );
    }

    #[test]
    fn the_message_is_fixed_by_the_contract() {
        // Changing the canonical message breaks every signed plugin: this pins it.
        let m = message(b"", "id = \"x\"\nsignature = \"ed25519:AA==\"\n").unwrap();
        let text = String::from_utf8(m).unwrap();
        assert_eq!(
            text,
            "tenure-plugin-v1\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
             1638c7994a1884687d07b0697a6618c8b30f1a10db28a1249041b67d57e50a4d"
        );
    }

    #[test]
    fn trusted_key_lines_round_trip_and_bad_ones_are_explained() {
        let (key, _) = signed();
        assert_eq!(TrustedKey::parse(&key.line()).unwrap(), key);
        assert!(
            TrustedKey::parse("no-colon")
                .unwrap_err()
                .contains("written")
        );
        assert!(
            TrustedKey::parse("a:AAAA")
                .unwrap_err()
                .contains("32 bytes")
        );
        assert!(
            TrustedKey::parse("a b:AAAA")
                .unwrap_err()
                .contains("key id")
        );
    }
}
