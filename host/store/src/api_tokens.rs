//! API tokens. Only a token's SHA-256 is stored (the key of the row); the token itself
//! is shown once, when it is created.

use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use crate::codec::{check_part, decode_json, get_json, put_json};
use crate::tables::API_TOKENS;
use crate::{Store, StoreError};

/// What is known about a token besides its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenRecord {
    /// A name for people ("ci", "hr-dashboard"); unique.
    pub name: String,
    /// The role the token acts with (the server defines the roles).
    pub role: String,
    /// Unix seconds.
    pub created_at: i64,
}

impl Store {
    /// Stores a token under its hash; refuses a name that is taken.
    pub fn put_api_token(&self, hash: &str, record: &ApiTokenRecord) -> Result<(), StoreError> {
        check_part("token hash", hash)?;
        self.write(|txn| {
            let mut table = txn.open_table(API_TOKENS)?;
            for row in table.iter()? {
                let (_, v) = row?;
                let existing: ApiTokenRecord = decode_json("api_tokens", "", v.value())?;
                if existing.name == record.name {
                    return Err(StoreError::Conflict(format!(
                        "a token named `{}` exists already",
                        record.name
                    )));
                }
            }
            put_json(&mut table, hash, record)
        })
    }

    /// The token with this hash, if any.
    pub fn api_token(&self, hash: &str) -> Result<Option<ApiTokenRecord>, StoreError> {
        check_part("token hash", hash)?;
        self.read(|txn| get_json(&txn.open_table(API_TOKENS)?, hash))
    }

    /// Every token's record (never the hashes), by name.
    pub fn api_tokens(&self) -> Result<Vec<ApiTokenRecord>, StoreError> {
        self.read(|txn| {
            let table = txn.open_table(API_TOKENS)?;
            let mut out = Vec::new();
            for row in table.iter()? {
                let (k, v) = row?;
                out.push(decode_json::<ApiTokenRecord>(
                    "api_tokens",
                    k.value(),
                    v.value(),
                )?);
            }
            out.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(out)
        })
    }

    /// Revokes the token with this name; false when there is none.
    pub fn revoke_api_token(&self, name: &str) -> Result<bool, StoreError> {
        self.write(|txn| {
            let mut table = txn.open_table(API_TOKENS)?;
            let mut found = None;
            for row in table.iter()? {
                let (k, v) = row?;
                let rec: ApiTokenRecord = decode_json("api_tokens", k.value(), v.value())?;
                if rec.name == name {
                    found = Some(k.value().to_string());
                }
            }
            match found {
                Some(hash) => {
                    table.remove(hash.as_str())?;
                    Ok(true)
                }
                None => Ok(false),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SecretKey;

    #[test]
    fn tokens_are_found_by_hash_named_uniquely_and_revoked() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.redb"), SecretKey::generate()).unwrap();
        let rec = ApiTokenRecord {
            name: "ci".into(),
            role: "admin".into(),
            created_at: 1,
        };
        store.put_api_token("hash-1", &rec).unwrap();
        assert_eq!(store.api_token("hash-1").unwrap(), Some(rec.clone()));
        assert_eq!(store.api_token("hash-2").unwrap(), None);
        let dup = store.put_api_token("hash-2", &rec).unwrap_err();
        assert!(dup.to_string().contains("exists already"), "{dup}");
        assert_eq!(store.api_tokens().unwrap(), vec![rec]);
        assert!(store.revoke_api_token("ci").unwrap());
        assert!(!store.revoke_api_token("ci").unwrap());
        assert_eq!(store.api_token("hash-1").unwrap(), None);
    }
}
