//! Behaviour of the store as its callers see it.

use crate::migrations::CURRENT_VERSION;
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};

use crate::codec::{get_json, put_json};
use crate::tables::{META, SCHEMA_VERSION_KEY, Table};
use crate::{SecretKey, Store, StoreError};

fn key(byte: u8) -> SecretKey {
    SecretKey::from_bytes([byte; 32])
}

fn db_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("tenure.redb")
}

fn open(path: &Path) -> Store {
    Store::open(path, key(1)).unwrap()
}

#[test]
fn reopen_keeps_data_and_schema_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    {
        let store = open(&path);
        assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
        store.set_setting("merge-hris", "region", "eu").unwrap();
        store
            .set_secret("merge-hris", "api_key", "sk-live")
            .unwrap();
        store.kv_set("merge-hris", "cursor", b"42", None).unwrap();
    }
    let store = open(&path);
    assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
    assert_eq!(
        store.setting("merge-hris", "region").unwrap().as_deref(),
        Some("eu")
    );
    assert_eq!(
        store.secret("merge-hris", "api_key").unwrap().as_deref(),
        Some("sk-live")
    );
    assert_eq!(
        store.kv_get("merge-hris", "cursor", 0).unwrap(),
        Some(b"42".to_vec())
    );
}

#[test]
fn second_open_reports_the_database_as_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let _first = open(&path);
    let err = Store::open(&path, key(1)).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert!(
        err.to_string()
            .ends_with("is locked by another tenure process")
    );
}

#[test]
fn newer_schema_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    open(&path)
        .write(|txn| put_json(&mut txn.open_table(META)?, SCHEMA_VERSION_KEY, &7u32))
        .unwrap();
    let err = Store::open(&path, key(1)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the database is schema version 7; this tenure knows up to 4: upgrade tenure"
    );
}

#[test]
fn secret_round_trip_and_names_only_listing() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&db_path(&dir));
    assert_eq!(store.secret("okta", "token").unwrap(), None);
    store.set_secret("okta", "token", "t0k3n").unwrap();
    store.set_secret("okta", "client_secret", "cs").unwrap();
    store.set_secret("okta", "token", "t0k3n-2").unwrap();
    assert_eq!(
        store.secret("okta", "token").unwrap().as_deref(),
        Some("t0k3n-2")
    );
    assert_eq!(
        store.secret_names("okta").unwrap(),
        ["client_secret", "token"]
    );
    store.delete_secret("okta", "token").unwrap();
    store.delete_secret("okta", "token").unwrap();
    assert_eq!(store.secret("okta", "token").unwrap(), None);
    assert_eq!(store.secret_names("okta").unwrap(), ["client_secret"]);
}

#[test]
fn secret_plaintext_never_reaches_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let plaintext = "correct-horse-battery-staple-9731";
    {
        let store = open(&path);
        store
            .set_secret("merge-hris", "api_key", plaintext)
            .unwrap();
        assert_eq!(
            store.secret("merge-hris", "api_key").unwrap().as_deref(),
            Some(plaintext)
        );
    }
    let raw = std::fs::read(&path).unwrap();
    assert!(
        !raw.windows(plaintext.len())
            .any(|w| w == plaintext.as_bytes())
    );
    assert!(
        raw.windows(b"api_key".len()).any(|w| w == b"api_key"),
        "sanity: the key name is stored"
    );
}

fn raw_secret(store: &Store, entry: &str) -> Vec<u8> {
    store
        .read(|txn| {
            let table = txn.open_table(crate::tables::PLUGIN_SECRETS)?;
            Ok(table.get(entry)?.unwrap().value().to_vec())
        })
        .unwrap()
}

#[test]
fn secret_copied_under_another_plugin_or_key_fails_to_decrypt() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&db_path(&dir));
    store
        .set_secret("merge-hris", "api_key", "sk-live")
        .unwrap();
    let sealed = raw_secret(&store, "merge-hris\0api_key");
    store
        .write(|txn| {
            let mut table = txn.open_table(crate::tables::PLUGIN_SECRETS)?;
            table.insert("evil-plugin\0api_key", sealed.as_slice())?;
            table.insert("merge-hris\0other", sealed.as_slice())?;
            Ok(())
        })
        .unwrap();
    let err = store.secret("evil-plugin", "api_key").unwrap_err();
    assert!(matches!(err, StoreError::SecretUndecryptable { .. }));
    assert!(err.to_string().starts_with(
        "secret for evil-plugin/api_key cannot be decrypted: the secret key is not the one it was stored with"
    ));
    assert!(matches!(
        store.secret("merge-hris", "other"),
        Err(StoreError::SecretUndecryptable { .. })
    ));
    assert!(!err.to_string().contains("sk-live"));
}

#[test]
fn wrong_key_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    Store::open(&path, key(1))
        .unwrap()
        .set_secret("merge-hris", "api_key", "sk-live")
        .unwrap();
    let store = Store::open(&path, key(2)).unwrap();
    let err = store.secret("merge-hris", "api_key").unwrap_err();
    let message = err.to_string();
    assert!(message.starts_with(
        "secret for merge-hris/api_key cannot be decrypted: the secret key is not the one it was stored with"
    ), "{message}");
    assert!(!message.contains("sk-live") && !format!("{err:?}").contains("sk-live"));
}

#[test]
fn kv_expires_and_purge_drops_only_expired_entries() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&db_path(&dir));
    store.kv_set("p", "short", b"s", Some(100)).unwrap();
    store.kv_set("p", "long", b"l", Some(200)).unwrap();
    store.kv_set("q", "forever", b"f", None).unwrap();
    assert_eq!(store.kv_get("p", "short", 99).unwrap(), Some(b"s".to_vec()));
    assert_eq!(store.kv_get("p", "short", 100).unwrap(), None);
    assert_eq!(store.kv_get("p", "long", 150).unwrap(), Some(b"l".to_vec()));

    assert_eq!(store.kv_purge_expired(150).unwrap(), 1);
    assert_eq!(store.kv_purge_expired(150).unwrap(), 0);
    assert_eq!(
        store.kv_get("p", "short", 0).unwrap(),
        None,
        "purged for good"
    );
    assert_eq!(store.kv_get("p", "long", 0).unwrap(), Some(b"l".to_vec()));
    assert_eq!(store.kv_purge_expired(i64::MAX).unwrap(), 1);
    assert_eq!(
        store.kv_get("q", "forever", i64::MAX).unwrap(),
        Some(b"f".to_vec())
    );

    store.kv_set("q", "forever", b"g", Some(5)).unwrap();
    assert_eq!(
        store.kv_get("q", "forever", 1).unwrap(),
        Some(b"g".to_vec())
    );
    store.kv_delete("q", "forever").unwrap();
    assert_eq!(store.kv_get("q", "forever", 1).unwrap(), None);
}

#[test]
fn plugins_are_isolated_from_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&db_path(&dir));
    // "a" is a prefix of "ab": the key encoding must still keep them apart.
    store.set_setting("a", "k", "from-a").unwrap();
    store.set_setting("ab", "k", "from-ab").unwrap();
    store.kv_set("a", "k", b"a", None).unwrap();
    store.kv_set("ab", "k", b"ab", None).unwrap();
    store.set_secret("ab", "s", "x").unwrap();

    assert_eq!(store.setting("a", "k").unwrap().as_deref(), Some("from-a"));
    assert_eq!(
        store.settings("a").unwrap(),
        [("k".to_string(), "from-a".to_string())]
    );
    assert_eq!(
        store.settings("ab").unwrap(),
        [("k".to_string(), "from-ab".to_string())]
    );
    assert_eq!(store.settings("b").unwrap(), []);
    assert_eq!(store.kv_get("a", "k", 0).unwrap(), Some(b"a".to_vec()));
    store.kv_delete("a", "k").unwrap();
    assert_eq!(store.kv_get("ab", "k", 0).unwrap(), Some(b"ab".to_vec()));
    assert!(store.secret_names("a").unwrap().is_empty());
    assert_eq!(store.secret("a", "s").unwrap(), None);

    // A NUL in a name would let one plugin address another's entries.
    let err = store.kv_get("a\0b", "k", 0).unwrap_err();
    assert!(matches!(err, StoreError::InvalidName { .. }), "{err}");
    assert!(store.set_setting("", "k", "v").is_err());
}

const LATER: Table = redb::TableDefinition::new("added_later");

#[test]
fn backup_while_a_writer_is_open_copies_a_consistent_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open(&db_path(&dir)));
    store.set_setting("p", "k", "before").unwrap();
    store.set_secret("p", "s", "shh").unwrap();
    store.kv_set("p", "kv", b"v", Some(1_000)).unwrap();
    // A table added by a later crate, not in ALL_TABLES.
    store
        .write(|txn| put_json(&mut txn.open_table(LATER)?, "e1", &"Ada"))
        .unwrap();

    let (started_tx, started_rx) = mpsc::channel();
    let (finish_tx, finish_rx) = mpsc::channel::<()>();
    let writer = {
        let store = Arc::clone(&store);
        std::thread::spawn(move || {
            store.write(|txn| {
                put_json(
                    &mut txn.open_table(crate::tables::PLUGIN_SETTINGS)?,
                    "p\0k",
                    &"during",
                )?;
                started_tx.send(()).unwrap();
                finish_rx.recv().unwrap();
                Ok(())
            })
        })
    };
    started_rx.recv().unwrap();
    let backup_path = dir.path().join("backup.redb");
    let stats = store.backup(&backup_path).unwrap();
    finish_tx.send(()).unwrap();
    writer.join().unwrap().unwrap();
    assert_eq!(store.setting("p", "k").unwrap().as_deref(), Some("during"));

    assert_eq!(stats.tables, 15);
    // meta(1) + settings(1) + secrets(1) + kv(1) + added_later(1); the others are empty
    assert_eq!(stats.rows, 5);

    let copy = open(&backup_path);
    assert_eq!(copy.schema_version().unwrap(), CURRENT_VERSION);
    assert_eq!(copy.setting("p", "k").unwrap().as_deref(), Some("before"));
    assert_eq!(copy.secret("p", "s").unwrap().as_deref(), Some("shh"));
    assert_eq!(copy.kv_get("p", "kv", 0).unwrap(), Some(b"v".to_vec()));
    let employee: Option<String> = copy
        .read(|txn| get_json(&txn.open_table(LATER)?, "e1"))
        .unwrap();
    assert_eq!(employee.as_deref(), Some("Ada"));
}

#[test]
fn backup_refuses_an_existing_target() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&db_path(&dir));
    let target = dir.path().join("taken.redb");
    std::fs::write(&target, b"keep me").unwrap();
    let err = store.backup(&target).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("backup target {} exists already", target.display())
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
}

#[test]
fn write_rolls_back_when_the_closure_fails() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&db_path(&dir));
    let result: Result<(), StoreError> = store.write(|txn| {
        put_json(
            &mut txn.open_table(crate::tables::PLUGIN_SETTINGS)?,
            "p\0k",
            &"v",
        )?;
        Err(StoreError::InvalidName {
            what: "test",
            name: String::new(),
            reason: "forced",
        })
    });
    assert!(result.is_err());
    assert_eq!(store.setting("p", "k").unwrap(), None);
}
