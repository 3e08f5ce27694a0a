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
        .write(|txn| put_json(&mut txn.open_table(META)?, SCHEMA_VERSION_KEY, &70u32))
        .unwrap();
    let err = Store::open(&path, key(1)).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "the database is schema version 70, written by a newer tenure; this tenure ({}) \
             knows schema versions up to {}. Run the newer tenure again, or restore a backup \
             taken before the upgrade (`tenure restore FILE`)",
            env!("CARGO_PKG_VERSION"),
            crate::migrations::CURRENT_VERSION
        )
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

    assert_eq!(stats.tables, 26);
    // meta(2: schema version, key check) + settings(1) + secrets(1) + kv(1)
    // + added_later(1); the others are empty
    assert_eq!(stats.rows, 6);

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

#[cfg(unix)]
#[test]
fn backup_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let store = open(&db_path(&dir));
    store.set_secret("p", "s", "shh").unwrap();
    let target = dir.path().join("backup.redb");
    store.backup(&target).unwrap();
    // Under the usual umask (022) a plainly created file would be 0644.
    let mode = std::fs::metadata(&target).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "backup mode {:o}", mode & 0o777);
    assert_eq!(
        open(&target).secret("p", "s").unwrap().as_deref(),
        Some("shh")
    );
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

fn user(id: &str, admin: bool) -> crate::UserRecord {
    crate::UserRecord {
        id: id.to_string(),
        name: format!("User {id}"),
        email: format!("{id}@example.com"),
        admin,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".to_string(),
        created_at: 1_700_000_000,
        disabled: false,
        oidc_subject: None,
    }
}

fn session(user: &str, expires_at: i64) -> crate::SessionRecord {
    crate::SessionRecord {
        user: user.to_string(),
        csrf: format!("csrf-{user}-{expires_at}"),
        created_at: 0,
        expires_at,
    }
}

#[test]
fn users_are_created_once_listed_by_id_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&db_path(&dir));
    assert_eq!(store.user_count().unwrap(), 0);
    assert!(store.users().unwrap().is_empty());

    let bob = user("bob", false);
    let alice = user("alice.smith", true);
    store.create_user(&bob).unwrap();
    store.create_user(&alice).unwrap();
    assert_eq!(store.user("bob").unwrap(), Some(bob.clone()));
    assert_eq!(store.user("carol").unwrap(), None);
    assert_eq!(store.users().unwrap(), vec![alice.clone(), bob.clone()]);
    assert_eq!(store.user_count().unwrap(), 2);

    let mut again = user("bob", true);
    again.name = "Another Bob".into();
    let err = store.create_user(&again).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(err.to_string(), "a user named `bob` exists already");
    assert_eq!(store.user("bob").unwrap(), Some(bob), "left unchanged");
}

#[test]
fn user_ids_must_be_lower_case_login_names() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&db_path(&dir));
    for bad in [
        "",
        "Bob",
        "bob smith",
        "bob@corp",
        "a\0b",
        "é",
        &"a".repeat(65),
    ] {
        let err = store.create_user(&user(bad, false)).unwrap_err();
        assert!(
            matches!(err, StoreError::InvalidName { .. }),
            "{bad:?}: {err}"
        );
        assert!(
            matches!(
                store.create_first_admin(&user(bad, true)),
                Err(StoreError::InvalidName { .. })
            ),
            "{bad:?}"
        );
    }
    for good in ["a", "bob.smith_2-x", &"z".repeat(64)] {
        store.create_user(&user(good, false)).unwrap();
    }
    assert_eq!(store.user_count().unwrap(), 3);
    let err = crate::check_user_id("Bob").unwrap_err();
    assert_eq!(
        err.to_string(),
        "user name \"Bob\" is not allowed: use only lower-case letters a-z, digits and . _ -"
    );
}

#[test]
fn first_admin_is_created_only_into_an_empty_table() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open(&db_path(&dir)));
    // Racing first-run requests: exactly one wins.
    let winners: usize = (0..8)
        .map(|i| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || store.create_first_admin(&user(&format!("admin{i}"), true)))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| usize::from(t.join().unwrap().unwrap()))
        .sum();
    assert_eq!(winners, 1);
    assert_eq!(store.user_count().unwrap(), 1);
    assert!(store.users().unwrap()[0].admin);

    assert!(!store.create_first_admin(&user("late", true)).unwrap());
    assert_eq!(store.user("late").unwrap(), None);
    assert_eq!(store.user_count().unwrap(), 1);
}

#[test]
fn first_admin_is_refused_once_any_user_exists() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&db_path(&dir));
    store.create_user(&user("bob", false)).unwrap();
    assert!(!store.create_first_admin(&user("root", true)).unwrap());
    assert_eq!(store.user("root").unwrap(), None);
}

#[test]
fn update_user_replaces_an_existing_user_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&db_path(&dir));
    let mut bob = user("bob", false);
    let err = store.update_user(&bob).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert_eq!(err.to_string(), "there is no user named `bob`");
    assert_eq!(store.user_count().unwrap(), 0, "update does not create");

    store.create_user(&bob).unwrap();
    bob.admin = true;
    bob.disabled = true;
    bob.email = "robert@example.com".into();
    bob.password_hash = "$argon2id$new".into();
    store.update_user(&bob).unwrap();
    assert_eq!(store.user("bob").unwrap(), Some(bob));
    assert_eq!(store.user_count().unwrap(), 1);
}

#[test]
fn sessions_expire_and_are_deleted_singly_per_user_and_by_purge() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&db_path(&dir));
    store.put_session("h-bob-1", &session("bob", 100)).unwrap();
    store.put_session("h-bob-2", &session("bob", 300)).unwrap();
    store.put_session("h-ann-1", &session("ann", 200)).unwrap();
    store.put_session("h-ann-2", &session("ann", 400)).unwrap();
    assert!(store.put_session("", &session("ann", 1)).is_err());

    assert_eq!(
        store.session("h-bob-1", 99).unwrap(),
        Some(session("bob", 100))
    );
    assert_eq!(
        store.session("h-bob-1", 100).unwrap(),
        None,
        "expired at expires_at"
    );
    assert_eq!(store.session("nope", 0).unwrap(), None);

    // Expired but not purged: still stored, only hidden.
    assert_eq!(
        store.session("h-bob-1", 0).unwrap(),
        Some(session("bob", 100))
    );
    assert_eq!(store.purge_sessions(200).unwrap(), 2);
    assert_eq!(store.purge_sessions(200).unwrap(), 0);
    assert_eq!(store.session("h-bob-1", 0).unwrap(), None);
    assert_eq!(store.session("h-ann-1", 0).unwrap(), None);

    assert!(store.delete_session("h-ann-2").unwrap());
    assert!(!store.delete_session("h-ann-2").unwrap());
    assert_eq!(store.session("h-ann-2", 0).unwrap(), None);

    store.put_session("h-ann-3", &session("ann", 500)).unwrap();
    store.put_session("h-bob-3", &session("bob", 500)).unwrap();
    assert_eq!(store.delete_sessions_of("bob").unwrap(), 2);
    assert_eq!(store.delete_sessions_of("bob").unwrap(), 0);
    assert_eq!(store.session("h-bob-2", 0).unwrap(), None);
    assert_eq!(store.session("h-bob-3", 0).unwrap(), None);
    assert_eq!(
        store.session("h-ann-3", 0).unwrap(),
        Some(session("ann", 500))
    );
}

#[test]
fn schema_4_database_migrates_to_5_with_its_data_and_empty_user_tables() {
    use redb::ReadableDatabase;

    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    {
        // A database as the schema-4 release left it.
        let db = redb::Database::create(&path).unwrap();
        let txn = db.begin_write().unwrap();
        let schema_4 = &crate::migrations::MIGRATIONS[..4];
        assert_eq!(schema_4.last().unwrap().0, 4);
        assert_eq!(crate::migrations::migrate(&txn, schema_4).unwrap(), 4);
        put_json(
            &mut txn.open_table(crate::tables::PLUGIN_SETTINGS).unwrap(),
            "p\0k",
            &"kept",
        )
        .unwrap();
        txn.commit().unwrap();
        let read = db.begin_read().unwrap();
        assert!(
            read.open_table(crate::tables::USERS).is_err(),
            "no users table yet"
        );
    }
    let store = open(&path);
    assert_eq!(
        store.schema_version().unwrap(),
        crate::migrations::CURRENT_VERSION
    );
    assert_eq!(store.setting("p", "k").unwrap().as_deref(), Some("kept"));
    assert_eq!(store.user_count().unwrap(), 0);
    assert_eq!(store.session("any", 0).unwrap(), None);
    assert!(store.create_first_admin(&user("admin", true)).unwrap());
    drop(store);
    let store = open(&path);
    assert_eq!(
        store.schema_version().unwrap(),
        crate::migrations::CURRENT_VERSION
    );
    assert_eq!(store.user("admin").unwrap(), Some(user("admin", true)));
}

fn pair(plugin: &str, key: &str) -> (String, String) {
    (plugin.to_string(), key.to_string())
}

#[test]
fn another_key_finds_every_secret_unreadable_and_may_not_add_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    {
        let store = open(&path);
        store
            .set_secret("merge-hris", "api_key", "sk-live")
            .unwrap();
        store.set_secret("trinet", "password", "pw").unwrap();
    }
    {
        let store = Store::open(&path, key(2)).unwrap();
        let check = store.check_secret_key().unwrap();
        assert!(check.wrong_key);
        assert_eq!(
            check.unreadable,
            [pair("merge-hris", "api_key"), pair("trinet", "password")]
        );
        assert_eq!(store.unreadable_secrets().unwrap(), check.unreadable);
        // A new secret under the second key would leave the store with two keys.
        let err = store.set_secret("okta", "token", "t").unwrap_err();
        assert!(matches!(err, StoreError::WrongSecretKey), "{err}");
        assert!(err.to_string().contains("restore that key"), "{err}");
    }
    // The original key reads everything.
    let store = open(&path);
    assert_eq!(store.check_secret_key().unwrap(), Default::default());
    assert_eq!(
        store.secret("merge-hris", "api_key").unwrap().as_deref(),
        Some("sk-live")
    );
}

#[test]
fn forgetting_unreadable_secrets_makes_the_new_key_the_stores_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    open(&path)
        .set_secret("merge-hris", "api_key", "sk-live")
        .unwrap();
    {
        let store = Store::open(&path, key(2)).unwrap();
        assert_eq!(
            store.forget_unreadable_secrets().unwrap(),
            [pair("merge-hris", "api_key")]
        );
        assert!(store.secret_names("merge-hris").unwrap().is_empty());
        assert_eq!(store.check_secret_key().unwrap(), Default::default());
        store.set_secret("merge-hris", "api_key", "sk-new").unwrap();
        assert!(store.forget_unreadable_secrets().unwrap().is_empty());
    }
    // Now the first key is the wrong one.
    let check = open(&path).check_secret_key().unwrap();
    assert!(check.wrong_key);
    assert_eq!(check.unreadable, [pair("merge-hris", "api_key")]);
}

#[test]
fn a_store_without_secrets_accepts_any_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    {
        let store = open(&path);
        store.set_setting("merge-hris", "region", "eu").unwrap();
        assert_eq!(store.check_secret_key().unwrap(), Default::default());
        // A secret written and deleted again leaves no secret to protect.
        store
            .set_secret("merge-hris", "api_key", "sk-live")
            .unwrap();
        store.delete_secret("merge-hris", "api_key").unwrap();
    }
    {
        let store = Store::open(&path, key(2)).unwrap();
        assert_eq!(store.check_secret_key().unwrap(), Default::default());
        store.set_secret("merge-hris", "api_key", "sk-2").unwrap();
    }
    let store = Store::open(&path, key(3)).unwrap();
    assert!(store.check_secret_key().unwrap().wrong_key);
}

#[test]
fn a_damaged_secret_is_unreadable_under_the_right_key() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&db_path(&dir));
    store
        .set_secret("merge-hris", "api_key", "sk-live")
        .unwrap();
    let sealed = raw_secret(&store, "merge-hris\0api_key");
    store
        .write(|txn| {
            let mut table = txn.open_table(crate::tables::PLUGIN_SECRETS)?;
            table.insert("merge-hris\0copied", sealed.as_slice())?;
            Ok(())
        })
        .unwrap();
    let check = store.check_secret_key().unwrap();
    assert!(!check.wrong_key);
    assert_eq!(check.unreadable, [pair("merge-hris", "copied")]);
    // The key is right, so new secrets may still be stored.
    store.set_secret("trinet", "password", "pw").unwrap();
}

#[test]
fn a_database_from_before_key_checks_learns_the_key_from_its_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let drop_check = |store: &Store| {
        store
            .write(|txn| {
                txn.open_table(META)?
                    .remove(crate::tables::SECRET_KEY_CHECK_KEY)?;
                Ok(())
            })
            .unwrap();
    };
    {
        let store = open(&path);
        store
            .set_secret("merge-hris", "api_key", "sk-live")
            .unwrap();
        drop_check(&store);
    }
    {
        let store = Store::open(&path, key(2)).unwrap();
        let check = store.check_secret_key().unwrap();
        assert!(check.wrong_key, "not one secret decrypts");
        assert!(matches!(
            store.set_secret("okta", "token", "t"),
            Err(StoreError::WrongSecretKey)
        ));
    }
    {
        let store = open(&path);
        assert_eq!(store.check_secret_key().unwrap(), Default::default());
        let recorded: Option<String> = store
            .read(|txn| get_json(&txn.open_table(META)?, crate::tables::SECRET_KEY_CHECK_KEY))
            .unwrap();
        assert!(recorded.is_some(), "the check value is recorded");
    }
    let check = Store::open(&path, key(2))
        .unwrap()
        .check_secret_key()
        .unwrap();
    assert!(check.wrong_key);
}
