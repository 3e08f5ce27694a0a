//! Schema versions. Each migration moves the database to `to_version`; `open` applies, in
//! order, those above the stored version, in the same write transaction that records the
//! new version.

use redb::WriteTransaction;

use crate::StoreError;
use crate::codec::{get_json, put_json};
use crate::tables::{META, SCHEMA_VERSION_KEY};

/// One step: the version it leads to and the function that gets there.
pub type Migration = (u32, fn(&WriteTransaction) -> Result<(), StoreError>);

/// Every migration, in ascending `to_version` order. Append only; never edit a released one.
pub const MIGRATIONS: &[Migration] = &[
    (1, create_initial_tables),
    (2, create_api_tokens),
    (3, create_lifecycle_tables),
    (4, create_sync_runs),
    (5, create_users_and_sessions),
    (6, durable_jobs),
    (7, create_hardware_tables),
    (8, index_audit_by_subject),
];

/// The schema version this build writes.
pub const CURRENT_VERSION: u32 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// Version 1: the tables of the first release.
fn create_initial_tables(txn: &WriteTransaction) -> Result<(), StoreError> {
    for table in [
        crate::tables::META,
        crate::tables::PLUGIN_SETTINGS,
        crate::tables::PLUGIN_SECRETS,
        crate::tables::PLUGIN_KV,
    ] {
        txn.open_table(table)?;
    }
    Ok(())
}

/// Version 2: API tokens.
fn create_api_tokens(txn: &WriteTransaction) -> Result<(), StoreError> {
    txn.open_table(crate::tables::API_TOKENS)?;
    Ok(())
}

/// Version 3: employees, tasks, holds, quarantine, sync state, audit, jobs, outbox.
fn create_lifecycle_tables(txn: &WriteTransaction) -> Result<(), StoreError> {
    use crate::tables::*;
    for table in [
        EMPLOYEES, TASKS, HOLDS, QUARANTINE, SYNC_STATE, AUDIT, JOBS, OUTBOX,
    ] {
        txn.open_table(table)?;
    }
    Ok(())
}

/// Version 4: the record of sync runs.
fn create_sync_runs(txn: &WriteTransaction) -> Result<(), StoreError> {
    txn.open_table(crate::tables::SYNC_RUNS)?;
    Ok(())
}

/// Version 5: local user accounts and browser sessions.
fn create_users_and_sessions(txn: &WriteTransaction) -> Result<(), StoreError> {
    txn.open_table(crate::tables::USERS)?;
    txn.open_table(crate::tables::SESSIONS)?;
    Ok(())
}

/// Version 6: jobs become records with a state (queued jobs indexed in `job_queue`),
/// access records, parked connectors. Jobs queued before were never run: they are
/// queued now.
fn durable_jobs(txn: &WriteTransaction) -> Result<(), StoreError> {
    use crate::tables::{ACCESS, JOB_QUEUE, JOBS, PARKED};
    use redb::ReadableTable;
    use tenure_domain::{Job, JobIntent};
    txn.open_table(ACCESS)?;
    txn.open_table(PARKED)?;
    let mut queue = txn.open_table(JOB_QUEUE)?;
    let mut jobs = txn.open_table(JOBS)?;
    let now = tenure_domain::jiff::Timestamp::now();
    let old: Vec<(String, Vec<u8>)> = jobs
        .iter()?
        .map(|r| r.map(|(k, v)| (k.value().to_string(), v.value().to_vec())))
        .collect::<Result<_, _>>()?;
    for (key, bytes) in old {
        if serde_json::from_slice::<Job>(&bytes).is_ok() {
            continue;
        }
        let intent: JobIntent = crate::codec::decode_json("jobs", &key, &bytes)?;
        put_json(&mut jobs, &key, &Job::new(key.clone(), intent, now))?;
        queue.insert(key.as_str(), &[][..])?;
    }
    Ok(())
}

/// Version 7: assets, return shipments, MDM commands, the carriers' files and store
/// orders.
fn create_hardware_tables(txn: &WriteTransaction) -> Result<(), StoreError> {
    use crate::tables::{ASSETS, MDM_COMMANDS, ORDERS, SHIPMENT_FILES, SHIPMENTS};
    for table in [ASSETS, SHIPMENTS, MDM_COMMANDS, SHIPMENT_FILES, ORDERS] {
        txn.open_table(table)?;
    }
    Ok(())
}

/// Version 8: the audit log indexed by subject (profiles read their history from it).
fn index_audit_by_subject(txn: &WriteTransaction) -> Result<(), StoreError> {
    crate::audit::index_existing(txn)
}

/// The stored schema version; 0 for a new database.
pub(crate) fn stored_version(txn: &WriteTransaction) -> Result<u32, StoreError> {
    let meta = txn.open_table(META)?;
    Ok(get_json(&meta, SCHEMA_VERSION_KEY)?.unwrap_or(0))
}

/// Brings the database inside `txn` up to the last version of `migrations` and returns it.
/// Refuses a database newer than that. The caller commits.
pub(crate) fn migrate(txn: &WriteTransaction, migrations: &[Migration]) -> Result<u32, StoreError> {
    let known = migrations.last().map_or(0, |(version, _)| *version);
    let found = stored_version(txn)?;
    if found > known {
        return Err(StoreError::NewerSchema { found, known });
    }
    for (to_version, apply) in migrations.iter().filter(|(to, _)| *to > found) {
        tracing::info!(to_version, "applying store migration");
        apply(txn)?;
    }
    if found != known {
        put_json(&mut txn.open_table(META)?, SCHEMA_VERSION_KEY, &known)?;
    }
    Ok(known)
}

#[cfg(test)]
mod tests {
    use super::*;
    use redb::{Database, ReadableTableMetadata};

    const COUNTER: crate::tables::Table = redb::TableDefinition::new("test_counter");

    fn bump(txn: &WriteTransaction) -> Result<(), StoreError> {
        let mut table = txn.open_table(COUNTER)?;
        let runs: u32 = get_json(&table, "runs")?.unwrap_or(0);
        put_json(&mut table, "runs", &(runs + 1))
    }

    const WITH_NEXT: &[Migration] = &[
        (1, create_initial_tables),
        (2, create_api_tokens),
        (3, create_lifecycle_tables),
        (4, create_sync_runs),
        (5, create_users_and_sessions),
        (6, durable_jobs),
        (7, create_hardware_tables),
        (8, index_audit_by_subject),
        (9, bump),
    ];

    fn run(db: &Database, migrations: &[Migration]) -> Result<u32, StoreError> {
        let txn = db.begin_write()?;
        let version = migrate(&txn, migrations)?;
        txn.commit()?;
        Ok(version)
    }

    #[test]
    fn migration_runs_once_and_version_is_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::create(dir.path().join("t.redb")).unwrap();
        assert_eq!(run(&db, MIGRATIONS).unwrap(), CURRENT_VERSION);
        assert_eq!(run(&db, WITH_NEXT).unwrap(), 9);
        assert_eq!(run(&db, WITH_NEXT).unwrap(), 9);

        let txn = db.begin_write().unwrap();
        assert_eq!(stored_version(&txn).unwrap(), 9);
        let counter = txn.open_table(COUNTER).unwrap();
        assert_eq!(counter.len().unwrap(), 1);
        assert_eq!(get_json::<u32, _>(&counter, "runs").unwrap(), Some(1));
        drop(counter);

        // The build that only knows the current version refuses the upgraded file.
        let err = migrate(&txn, MIGRATIONS).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("the database is schema version 9, written by a newer tenure;")
                && message.contains("knows schema versions up to 8.")
                && message.contains("tenure restore"),
            "{message}"
        );
    }

    #[test]
    fn migrations_are_in_ascending_order() {
        assert!(MIGRATIONS.windows(2).all(|pair| pair[0].0 < pair[1].0));
        assert_eq!(MIGRATIONS[0].0, 1);
    }
}
