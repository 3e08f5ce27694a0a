//! Short-lived secrets that wait in a queue (a new account's first password in the
//! outbox), sealed with the store's key and bound to what they are for.

use crate::{Store, StoreError};

impl Store {
    /// Seals `plaintext` for `purpose` (e.g. `credential\0<job id>`); base64.
    pub fn seal_note(&self, purpose: &str, plaintext: &str) -> Result<String, StoreError> {
        use base64::Engine as _;
        let sealed = self.secret_box.seal("note", purpose, plaintext)?;
        Ok(base64::engine::general_purpose::STANDARD.encode(sealed))
    }

    /// Opens what [`Store::seal_note`] sealed for the same `purpose`.
    pub fn open_note(&self, purpose: &str, sealed: &str) -> Result<String, StoreError> {
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(sealed)
            .map_err(|_| StoreError::SecretUndecryptable {
                plugin: "note".into(),
                key: purpose.into(),
            })?;
        self.secret_box.open("note", purpose, &bytes)
    }
}
