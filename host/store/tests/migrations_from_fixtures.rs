//! Upgrades from every earlier schema: each `fixtures/schema-N.redb` was written by the
//! store of the last commit at schema N (the recipes are in `fixtures/generators/`, see
//! `fixtures/README.md`), with secrets under `fixtures/secret.key`. Today's store must
//! open each one, migrate it to the current schema once, and read its data.

use std::path::{Path, PathBuf};

use tenure_store::migrations::CURRENT_VERSION;
use tenure_store::{JobFilter, SecretKey, Store, StoreError};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn fixture_key() -> SecretKey {
    let text = std::fs::read_to_string(Path::new(FIXTURES).join("secret.key")).unwrap();
    SecretKey::parse(&text).unwrap()
}

/// A copy of `schema-N.redb` in a new temporary directory (the committed file stays as
/// it was written).
fn copy_of(version: u32) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tenure.redb");
    std::fs::copy(
        Path::new(FIXTURES).join(format!("schema-{version}.redb")),
        &path,
    )
    .unwrap();
    (dir, path)
}

/// Every table's rows, for comparing two states of one file.
fn snapshot(store: &Store) -> Vec<(String, tenure_store::TableRows)> {
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

/// What every schema holds: settings, secrets, plugin key-value.
fn check_plugin_state(store: &Store) {
    assert_eq!(
        store.setting("merge-hris", "base_url").unwrap().as_deref(),
        Some("https://api.merge.dev")
    );
    assert_eq!(
        store.secret("merge-hris", "api_key").unwrap().as_deref(),
        Some("fixture-merge-api-key")
    );
    assert_eq!(
        store.secret("okta", "api_token").unwrap().as_deref(),
        Some("fixture-okta-token")
    );
    let check = store.check_secret_key().unwrap();
    assert!(!check.wrong_key && check.unreadable.is_empty(), "{check:?}");
    assert_eq!(
        store.kv_get("merge-hris", "cursor", 0).unwrap().as_deref(),
        Some(&b"page-7"[..])
    );
}

fn check_version_data(store: &Store, version: u32) {
    check_plugin_state(store);
    if version >= 2 {
        let mut names: Vec<String> = store
            .api_tokens()
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect();
        names.sort();
        assert_eq!(names, ["ci", "hr-dashboard"]);
    }
    if version >= 3 {
        let (known, _) = store.load_lifecycle().unwrap();
        let ann = known
            .employees
            .by_source(&tenure_domain::SourceRef {
                source: tenure_domain::PluginId::new("merge-hris"),
                source_id: "100".into(),
            })
            .expect("Ann, hired by the fixture's sync");
        assert_eq!(ann.profile.given_name, "Ann");
        assert!(!known.tasks.is_empty(), "the hires' tasks");
        assert_eq!(known.quarantine.len(), 1, "the record without email");
        assert!(
            store.sync_state("merge-hris").unwrap().since.is_some(),
            "the sync state"
        );
        assert!(!store.audit_log(100).unwrap().is_empty());
        // Schema 8 indexed the audit log by subject: the old entries are found by it.
        let history = store
            .history(
                &[tenure_domain::Subject::Employee { id: ann.id.clone() }],
                100,
            )
            .unwrap();
        assert!(!history.is_empty(), "Ann's history comes from the index");
        // Jobs: bare intents before schema 6 become queued job records.
        let jobs = store.list_jobs(&JobFilter::default()).unwrap();
        assert!(!jobs.is_empty(), "the fixture's jobs");
        if version < 6 {
            let queued = store
                .list_jobs(&JobFilter {
                    unfinished: true,
                    ..JobFilter::default()
                })
                .unwrap();
            assert_eq!(queued.len(), jobs.len(), "old jobs are queued now");
        }
    }
    if version >= 4 {
        let runs = store.sync_runs(Some("merge-hris"), 10).unwrap();
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].records, 3);
    }
    if version >= 5 {
        let mut users: Vec<String> = store.users().unwrap().into_iter().map(|u| u.id).collect();
        users.sort();
        assert_eq!(users, ["admin", "olive"]);
        let session = store
            .session(
                "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
                1_764_000_001,
            )
            .unwrap();
        assert_eq!(session.map(|s| s.user).as_deref(), Some("admin"));
    }
    if version >= 6 {
        assert_eq!(store.parked().unwrap().len(), 1, "Slack is parked");
        let (known, _) = store.load_lifecycle().unwrap();
        let ann = known
            .employees
            .by_source(&tenure_domain::SourceRef {
                source: tenure_domain::PluginId::new("merge-hris"),
                source_id: "100".into(),
            })
            .unwrap();
        assert_eq!(store.access_of(&ann.id.0).unwrap().len(), 2);
    }
    if version >= 7 {
        let (known, _) = store.load_lifecycle().unwrap();
        use tenure_domain::Known;
        assert_eq!(known.hardware().assets().count(), 2);
        let label = store.shipment_file("1Z999AA10123456784", "label").unwrap();
        assert_eq!(label.map(|(t, _)| t).as_deref(), Some("application/pdf"));
    }
}

#[test]
fn every_earlier_schema_migrates_to_the_current_one_and_keeps_its_data() {
    assert_eq!(
        CURRENT_VERSION,
        8,
        "a new schema version: add fixtures/schema-{}.redb, written by the last commit at \
         schema {}, and raise this number",
        CURRENT_VERSION - 1,
        CURRENT_VERSION - 1
    );
    for version in 1..CURRENT_VERSION {
        let (_dir, path) = copy_of(version);
        assert_eq!(
            Store::recorded_schema_version(&path).unwrap(),
            version,
            "fixture {version}"
        );
        let store = Store::open(&path, fixture_key()).unwrap();
        assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
        check_version_data(&store, version);
        let before = snapshot(&store);
        drop(store);

        // Opening it again changes nothing.
        let store = Store::open(&path, fixture_key()).unwrap();
        assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);
        assert_eq!(snapshot(&store), before, "second open of fixture {version}");
        check_version_data(&store, version);
    }
}

#[test]
fn a_fixture_opened_with_another_key_reports_the_wrong_key() {
    let (_dir, path) = copy_of(CURRENT_VERSION - 1);
    let store = Store::open(&path, SecretKey::from_bytes([9; 32])).unwrap();
    let check = store.check_secret_key().unwrap();
    assert!(check.wrong_key);
    assert_eq!(check.unreadable.len(), 2);
}

#[test]
fn a_database_from_a_newer_tenure_is_refused_with_both_versions() {
    let (_dir, path) = copy_of(CURRENT_VERSION - 1);
    let store = Store::open(&path, fixture_key()).unwrap();
    let newer = CURRENT_VERSION + 1;
    store
        .write(|txn| {
            let mut meta = txn.open_table(tenure_store::tables::META)?;
            tenure_store::codec::put_json(
                &mut meta,
                tenure_store::tables::SCHEMA_VERSION_KEY,
                &newer,
            )
        })
        .unwrap();
    drop(store);

    let err = Store::open(&path, fixture_key()).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerSchema { found, known } if found == newer && known == CURRENT_VERSION)
    );
    let message = err.to_string();
    assert!(
        message.contains(&format!("schema version {newer}"))
            && message.contains(&format!("up to {CURRENT_VERSION}"))
            && message.contains("Run the newer tenure")
            && message.contains("restore a backup"),
        "{message}"
    );
    // The file is left as it was.
    assert_eq!(Store::recorded_schema_version(&path).unwrap(), newer);
}

#[test]
fn a_file_that_is_not_a_tenure_database_is_not_taken_for_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.redb");
    std::fs::write(&text, b"not a database").unwrap();
    assert!(matches!(
        Store::recorded_schema_version(&text),
        Err(StoreError::NotABackup { .. })
    ));

    let empty = dir.path().join("empty.redb");
    drop(tenure_store::redb::Database::create(&empty).unwrap());
    let err = Store::recorded_schema_version(&empty).unwrap_err();
    assert!(err.to_string().contains("is not a tenure backup"), "{err}");
}
