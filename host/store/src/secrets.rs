//! The secret key and the encryption of secrets at rest (XChaCha20-Poly1305, random
//! 192-bit nonce, associated data `plugin\0key`).

use std::fmt;
use std::io::{ErrorKind, Write};
use std::path::Path;

use base64::Engine;
use chacha20poly1305::aead::{Aead, OsRng, Payload};
use chacha20poly1305::{AeadCore, KeyInit, XChaCha20Poly1305, XNonce};

use crate::StoreError;

/// Format byte in front of every stored secret, so the format can change later.
const FORMAT_V1: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;

/// The 32-byte key that encrypts secrets. Its `Debug` output never shows the bytes.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl SecretKey {
    /// A key from raw bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> SecretKey {
        SecretKey(bytes)
    }

    /// A fresh random key from the operating system.
    pub fn generate() -> SecretKey {
        SecretKey(XChaCha20Poly1305::generate_key(&mut OsRng).into())
    }

    /// From TENURE_SECRET_KEY-style text: 64 hex chars or base64 of 32 bytes (surrounding
    /// whitespace ignored). The error never repeats the text.
    pub fn parse(text: &str) -> Result<SecretKey, StoreError> {
        let text = text.trim();
        if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            let mut bytes = [0u8; 32];
            for (byte, pair) in bytes.iter_mut().zip(text.as_bytes().chunks(2)) {
                *byte = (hex_value(pair[0]) << 4) | hex_value(pair[1]);
            }
            return Ok(SecretKey(bytes));
        }
        use base64::engine::general_purpose::{
            STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD,
        };
        let decoded = [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
            .iter()
            .find_map(|engine| engine.decode(text).ok());
        match decoded {
            Some(bytes) => <[u8; 32]>::try_from(bytes.as_slice())
                .map(SecretKey)
                .map_err(|_| StoreError::InvalidSecretKey {
                    reason: format!("it is base64 of {} bytes, not 32", bytes.len()),
                }),
            None if text.is_empty() => Err(StoreError::InvalidSecretKey {
                reason: "it is empty".to_string(),
            }),
            None => Err(StoreError::InvalidSecretKey {
                reason: format!("it is {} characters of neither hex nor base64", text.len()),
            }),
        }
    }

    /// Loads the key file at `path` (hex or base64, trailing newline ok) or, when there is
    /// none, generates a key and writes it as hex with mode 0600, refusing to replace a
    /// file that appeared meanwhile.
    pub fn load_or_create(path: &Path) -> Result<SecretKey, StoreError> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                warn_if_readable_by_others(path);
                return SecretKey::parse(&text);
            }
            Err(err) if err.kind() == ErrorKind::NotFound => {}
            Err(source) => return Err(key_file_error("read", path, source)),
        }
        let key = SecretKey::generate();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = match options.open(path) {
            Ok(file) => file,
            // Another process created it first: use theirs.
            Err(err) if err.kind() == ErrorKind::AlreadyExists => {
                return SecretKey::load_or_create(path);
            }
            Err(source) => return Err(key_file_error("create", path, source)),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(|source| key_file_error("set permissions on", path, source))?;
        }
        file.write_all(format!("{}\n", key.to_hex()).as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|source| key_file_error("write", path, source))?;
        tracing::info!(path = %path.display(), "generated a new secret key");
        Ok(key)
    }

    fn to_hex(&self) -> String {
        self.0.iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => digit - b'A' + 10,
    }
}

fn key_file_error(action: &'static str, path: &Path, source: std::io::Error) -> StoreError {
    StoreError::KeyFile {
        action,
        path: path.to_path_buf(),
        source,
    }
}

fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(path = %path.display(), "the secret key file is readable by other users; chmod 600 it");
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Encrypts and decrypts secret values with the store's key.
pub(crate) struct SecretBox {
    cipher: XChaCha20Poly1305,
}

impl fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretBox(<redacted>)")
    }
}

impl SecretBox {
    pub(crate) fn new(key: &SecretKey) -> SecretBox {
        SecretBox {
            cipher: XChaCha20Poly1305::new(&key.0.into()),
        }
    }

    /// `FORMAT_V1 || nonce || ciphertext+tag`, bound to `plugin\0key`.
    pub(crate) fn seal(
        &self,
        plugin: &str,
        key: &str,
        plaintext: &str,
    ) -> Result<Vec<u8>, StoreError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let aad = crate::codec::join_key(&[plugin, key]);
        let payload = Payload {
            msg: plaintext.as_bytes(),
            aad: aad.as_bytes(),
        };
        let ciphertext = self
            .cipher
            .encrypt(&nonce, payload)
            .map_err(|_| StoreError::Encrypt {
                plugin: plugin.to_string(),
                key: key.to_string(),
            })?;
        let mut sealed = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
        sealed.push(FORMAT_V1);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        Ok(sealed)
    }

    pub(crate) fn open(
        &self,
        plugin: &str,
        key: &str,
        sealed: &[u8],
    ) -> Result<String, StoreError> {
        let corrupt = |reason: &str| StoreError::Corrupt {
            table: redb::TableHandle::name(&crate::tables::PLUGIN_SECRETS).to_string(),
            key: crate::codec::join_key(&[plugin, key]),
            reason: reason.to_string(),
        };
        let Some((&FORMAT_V1, rest)) = sealed.split_first() else {
            return Err(corrupt("unknown secret format"));
        };
        if rest.len() < NONCE_LEN + TAG_LEN {
            return Err(corrupt("the encrypted value is too short"));
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let aad = crate::codec::join_key(&[plugin, key]);
        let payload = Payload {
            msg: ciphertext,
            aad: aad.as_bytes(),
        };
        let plaintext = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), payload)
            .map_err(|_| StoreError::SecretUndecryptable {
                plugin: plugin.to_string(),
                key: key.to_string(),
            })?;
        String::from_utf8(plaintext).map_err(|_| corrupt("the decrypted value is not UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_hex_and_base64() {
        let bytes: [u8; 32] = std::array::from_fn(|i| i as u8 * 7);
        let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
        assert_eq!(SecretKey::parse(&format!("{hex}\n")).unwrap().0, bytes);
        let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        assert_eq!(SecretKey::parse(&b64).unwrap().0, bytes);
        let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        assert_eq!(SecretKey::parse(&b64url).unwrap().0, bytes);
    }

    #[test]
    fn parse_rejects_other_text_without_repeating_it() {
        for text in ["", "hunter2!!", &"ab".repeat(31), "c2hvcnQ="] {
            let err = SecretKey::parse(text).unwrap_err();
            let message = err.to_string();
            assert!(
                matches!(err, StoreError::InvalidSecretKey { .. }),
                "{message}"
            );
            assert!(message.contains("expected 64 hex characters or base64 of 32 bytes"));
            if !text.is_empty() {
                assert!(!message.contains(text), "{message}");
            }
        }
    }

    #[test]
    fn debug_does_not_show_the_key() {
        let key = SecretKey::from_bytes([0xab; 32]);
        let shown = format!("{key:?} {:?}", SecretBox::new(&key));
        assert!(!shown.contains("ab") && !shown.contains("171"), "{shown}");
    }

    #[test]
    fn load_or_create_writes_0600_and_reads_back_the_same_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.key");
        let created = SecretKey::load_or_create(&path).unwrap();
        let loaded = SecretKey::load_or_create(&path).unwrap();
        assert_eq!(created.0, loaded.0);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, format!("{}\n", created.to_hex()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn load_or_create_reports_a_bad_key_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.key");
        std::fs::write(&path, "not a key\n").unwrap();
        assert!(matches!(
            SecretKey::load_or_create(&path),
            Err(StoreError::InvalidSecretKey { .. })
        ));
    }
}
