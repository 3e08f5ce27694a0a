//! Backup and restore with the real `tenure` binary: a backup restored into a new data
//! directory holds every row of every table; restore refuses while tenure runs, a
//! backup from a newer tenure, a file that is no backup, and a backup whose secrets the
//! current key cannot read — and keeps the database it replaces.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tenure_fakes::FakeMerge;
use tenure_store::migrations::CURRENT_VERSION;
use tenure_store::{SecretKey, SessionRecord, Store, UserRecord};

mod common;

use common::{BIN, Server};

fn tenure(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("TENURE_SECRET_KEY")
        .output()
        .expect("tenure runs")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn key_of(data_dir: &Path) -> SecretKey {
    SecretKey::load_or_create(&data_dir.join("secret.key")).unwrap()
}

fn open(data_dir: &Path) -> Store {
    Store::open(&data_dir.join("tenure.redb"), key_of(data_dir)).unwrap()
}

/// The files of `dir` whose names start with `prefix`.
fn files_starting(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .collect()
}

/// Every table's rows of the database at `path` (opened with `data_dir`'s key).
fn rows_of_every_table(path: &Path, data_dir: &Path) -> Vec<(String, tenure_store::TableRows)> {
    let store = Store::open(path, key_of(data_dir)).unwrap();
    store
        .table_names()
        .unwrap()
        .into_iter()
        .map(|name| {
            let rows = store.table_rows(&name).unwrap();
            (name, rows)
        })
        .collect()
}

/// A data directory with a store holding one secret under its own key, and the
/// backup of it at `backup`.
fn small_backup(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let data = dir.join(format!("{name}-data"));
    std::fs::create_dir_all(&data).unwrap();
    let store = open(&data);
    store.set_secret("okta", "api_token", "t0ken").unwrap();
    store.set_setting("okta", "domain", name).unwrap();
    let backup = dir.join(format!("{name}.redb"));
    store.backup(&backup).unwrap();
    (data, backup)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restored_backup_holds_every_row_of_every_table() {
    tenure_runtime::install_crypto_provider();
    const API_KEY: &str = "merge-key-for-the-backup-test";
    let fake = FakeMerge::new(API_KEY, "acct-1").with_employees(6);
    let (origin, _fake_server) = fake.clone().serve(0).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("tenure.toml");
    std::fs::write(
        &config,
        format!(
            "[runtime]\nallow_local_http = true\n\n\
             [integrations.merge-hris]\nbase_url = \"{origin}\"\napi_key = \"{API_KEY}\"\n\
             account_token = \"acct-1\"\n"
        ),
    )
    .unwrap();
    let config_arg = config.to_str().unwrap();

    // Real data: an HR sync (employees, tasks, audit, sync state and runs, outbox, the
    // integration's settings and encrypted secrets), an API token...
    let synced = tenure(&data, &["sync", "--config", config_arg]);
    assert!(synced.status.success(), "{}", text(&synced));
    let token = tenure(&data, &["token", "create", "--name", "ci"]);
    assert!(token.status.success(), "{}", text(&token));
    // ...and what the web UI and plugins write.
    {
        let store = open(&data);
        store
            // From JSON: the fields a record needs, whatever optional ones it gains.
            .create_first_admin(
                &serde_json::from_value::<UserRecord>(serde_json::json!({
                    "id": "ada", "name": "Ada", "email": "ada@acme.test", "admin": true,
                    "password_hash": "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
                    "created_at": 1_764_000_000,
                }))
                .unwrap(),
            )
            .unwrap();
        store
            .put_session(
                &"ab".repeat(32),
                &SessionRecord {
                    user: "ada".into(),
                    csrf: "csrf".into(),
                    created_at: 1_764_000_000,
                    expires_at: 4_102_444_800,
                },
            )
            .unwrap();
        store
            .kv_set("merge-hris", "cursor", b"next-page", None)
            .unwrap();
        store
            .put_shipment_file("1Z0001", "label", "application/pdf", b"%PDF-1.4")
            .unwrap();
    }
    let original = open(&data);
    let mut filled = 0;
    for name in original.table_names().unwrap() {
        if !original.table_rows(&name).unwrap().is_empty() {
            filled += 1;
        }
    }
    assert!(filled >= 12, "most tables hold rows: {filled}");
    drop(original);

    let backup = dir.path().join("backup.redb");
    let out = tenure(&data, &["backup", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));

    // Restore into a new data directory that has the secret key (kept apart from
    // backups, as the README says).
    let fresh = dir.path().join("fresh");
    std::fs::create_dir_all(&fresh).unwrap();
    std::fs::copy(data.join("secret.key"), fresh.join("secret.key")).unwrap();
    let restored = tenure(&fresh, &["restore", backup.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", text(&restored));
    let said = text(&restored);
    assert!(
        said.contains(&format!("schema version {CURRENT_VERSION}")) && said.contains("employees"),
        "{said}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(fresh.join("tenure.redb"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let (a, b) = (open(&data), open(&fresh));
    let names = a.table_names().unwrap();
    assert_eq!(names, b.table_names().unwrap());
    for name in &names {
        let (rows_a, rows_b) = (a.table_rows(name).unwrap(), b.table_rows(name).unwrap());
        assert_eq!(rows_a.len(), rows_b.len(), "rows of {name}");
        for (row_a, row_b) in rows_a.iter().zip(&rows_b) {
            assert_eq!(row_a, row_b, "a row of {name}");
        }
    }
    assert_eq!(
        b.secret("merge-hris", "api_key").unwrap().as_deref(),
        Some(API_KEY)
    );
}

#[test]
fn restore_refuses_while_tenure_runs_and_keeps_the_database_it_replaces() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("tenure.toml");
    std::fs::write(&config, "").unwrap();
    let server = Server::start(&data, &config);
    let backup = dir.path().join("b.redb");
    let out = tenure(&data, &["backup", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));

    let refused = tenure(&data, &["restore", backup.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("stop tenure first (systemctl stop tenure)"),
        "{}",
        text(&refused)
    );
    assert!(
        files_starting(&data, "tenure.redb.").is_empty(),
        "nothing moved"
    );

    assert!(server.terminate());
    let before = rows_of_every_table(&data.join("tenure.redb"), &data);
    let restored = tenure(&data, &["restore", backup.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", text(&restored));
    let aside = files_starting(&data, "tenure.redb.before-restore-");
    assert_eq!(aside.len(), 1, "the replaced database is kept");
    assert!(
        rows_of_every_table(&aside[0], &data) == before,
        "the kept database is the one replaced"
    );
    assert!(text(&restored).contains("previous database is kept"));
}

#[test]
fn restore_refuses_a_backup_from_a_newer_tenure_and_a_file_that_is_no_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (data, backup) = small_backup(dir.path(), "newer");
    {
        let store = Store::open(&backup, key_of(&data)).unwrap();
        store
            .write(|txn| {
                tenure_store::codec::put_json(
                    &mut txn.open_table(tenure_store::tables::META)?,
                    tenure_store::tables::SCHEMA_VERSION_KEY,
                    &(CURRENT_VERSION + 1),
                )
            })
            .unwrap();
    }
    let out = tenure(&data, &["restore", "--force", backup.to_str().unwrap()]);
    assert!(!out.status.success());
    let said = text(&out);
    assert!(
        said.contains(&format!("schema version {}", CURRENT_VERSION + 1))
            && said.contains(&format!("up to {CURRENT_VERSION}"))
            && said.contains("newer tenure"),
        "{said}"
    );
    let store = open(&data);
    assert_eq!(
        store.schema_version().unwrap(),
        CURRENT_VERSION,
        "untouched"
    );
    assert_eq!(
        store.setting("okta", "domain").unwrap().as_deref(),
        Some("newer")
    );
    drop(store);
    assert!(
        files_starting(&data, "tenure.redb.").is_empty(),
        "no leftovers"
    );

    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "not a database").unwrap();
    let out = tenure(&data, &["restore", notes.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("is not a tenure backup"),
        "{}",
        text(&out)
    );
    assert!(files_starting(&data, "tenure.redb.").is_empty());
}

#[test]
fn restore_refuses_a_backup_taken_under_another_secret_key() {
    let dir = tempfile::tempdir().unwrap();
    let (old_data, backup) = small_backup(dir.path(), "old");
    // Another appliance, its own key.
    let (data, _) = small_backup(dir.path(), "new");

    let out = tenure(&data, &["restore", backup.to_str().unwrap()]);
    assert!(!out.status.success());
    let said = text(&out);
    assert!(
        said.contains("okta/api_token")
            && said.contains("another secret key")
            && said.contains("secret.key"),
        "{said}"
    );
    assert_eq!(
        open(&data).setting("okta", "domain").unwrap().as_deref(),
        Some("new")
    );

    // Into a data directory with no key at all: refused, and no key is left behind.
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = tenure(&empty, &["restore", backup.to_str().unwrap()]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(!empty.join("secret.key").exists());

    // With the key that belongs to the backup, it restores.
    std::fs::copy(old_data.join("secret.key"), data.join("secret.key")).unwrap();
    let out = tenure(&data, &["restore", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let store = open(&data);
    assert_eq!(
        store.setting("okta", "domain").unwrap().as_deref(),
        Some("old")
    );
    assert_eq!(
        store.secret("okta", "api_token").unwrap().as_deref(),
        Some("t0ken")
    );
}

#[test]
fn a_backup_from_an_older_tenure_is_upgraded_as_it_is_restored() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/tests/fixtures");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::copy(fixtures.join("secret.key"), data.join("secret.key")).unwrap();
    let old = fixtures.join("schema-3.redb");
    let out = tenure(&data, &["restore", old.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("schema version 3, upgraded to {CURRENT_VERSION}")),
        "{}",
        text(&out)
    );
    let store = open(&data);
    assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
    assert_eq!(
        store.secret("merge-hris", "api_key").unwrap().as_deref(),
        Some("fixture-merge-api-key")
    );
    // The backup file itself is left as it was: restore works on a copy.
    assert_eq!(Store::recorded_schema_version(&old).unwrap(), 3);
}
