//! The audit log and its index by subject: a profile's history is a few range reads of
//! `audit_by_subject` (the employee and each of their tasks), not a scan of the newest
//! entries of the whole log.

use redb::{ReadableTable, WriteTransaction};
use tenure_domain::{AuditEntry, Subject};

use crate::codec::{decode_json, join_key, prefix_range, put_json};
use crate::tables::{AUDIT, AUDIT_BY_SUBJECT};
use crate::{Store, StoreError};

/// The index's name for what an entry is about: `kind\0id…`.
pub(crate) fn subject_key(subject: &Subject) -> String {
    match subject {
        Subject::Employee { id } => join_key(&["employee", &id.0]),
        Subject::Task { id } => join_key(&["task", &id.0]),
        Subject::Hold { id } => join_key(&["hold", &id.0]),
        Subject::Record { source, source_id } => join_key(&["record", &source.0, source_id]),
        Subject::Catalog => "catalog".to_string(),
        Subject::Asset { id } => join_key(&["asset", &id.0]),
        Subject::Shipment { id } => join_key(&["shipment", &id.0]),
        Subject::Order { id } => join_key(&["order", &id.0]),
    }
}

fn seq_key(n: u64) -> String {
    format!("{n:020}")
}

/// Appends `entries` to the audit log with their index rows.
pub(crate) fn append_audit(
    txn: &WriteTransaction,
    entries: &[AuditEntry],
) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut log = txn.open_table(AUDIT)?;
    let mut index = txn.open_table(AUDIT_BY_SUBJECT)?;
    let first = match log.last()? {
        Some((k, _)) => k.value().parse::<u64>().unwrap_or(0) + 1,
        None => 1,
    };
    for (n, entry) in (first..).zip(entries) {
        let seq = seq_key(n);
        put_json(&mut log, &seq, entry)?;
        let key = join_key(&[&subject_key(&entry.subject), &seq]);
        index.insert(key.as_str(), &[][..])?;
    }
    Ok(())
}

/// Indexes every entry already in the log (schema 8).
pub(crate) fn index_existing(txn: &WriteTransaction) -> Result<(), StoreError> {
    let log = txn.open_table(AUDIT)?;
    let mut index = txn.open_table(AUDIT_BY_SUBJECT)?;
    for row in log.iter()? {
        let (k, v) = row?;
        let entry: AuditEntry = decode_json("audit", k.value(), v.value())?;
        let key = join_key(&[&subject_key(&entry.subject), k.value()]);
        index.insert(key.as_str(), &[][..])?;
    }
    Ok(())
}

impl Store {
    /// The newest `limit` audit entries, newest first.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        self.read(|txn| {
            let table = txn.open_table(AUDIT)?;
            let mut out = Vec::new();
            for row in table.iter()?.rev().take(limit) {
                let (k, v) = row?;
                out.push(decode_json("audit", k.value(), v.value())?);
            }
            Ok(out)
        })
    }

    /// The newest `limit` entries about any of `subjects`, newest first: at most `limit`
    /// index rows per subject, then only the entries shown are read.
    pub fn history(
        &self,
        subjects: &[Subject],
        limit: usize,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        self.read(|txn| {
            let index = txn.open_table(AUDIT_BY_SUBJECT)?;
            let mut seqs: Vec<String> = Vec::new();
            for subject in subjects {
                let (lo, hi) = prefix_range(&subject_key(subject));
                for row in index.range(lo.as_str()..hi.as_str())?.rev().take(limit) {
                    let (k, _) = row?;
                    if let Some(seq) = k.value().rsplit('\0').next() {
                        seqs.push(seq.to_string());
                    }
                }
            }
            seqs.sort_unstable_by(|a, b| b.cmp(a));
            seqs.dedup();
            seqs.truncate(limit);
            let log = txn.open_table(AUDIT)?;
            let mut out = Vec::with_capacity(seqs.len());
            for seq in seqs {
                if let Some(v) = log.get(seq.as_str())? {
                    out.push(decode_json("audit", &seq, v.value())?);
                }
            }
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SecretKey, SyncRun};
    use tenure_domain::jiff::Timestamp;
    use tenure_domain::{Actor, AuditAction, EmployeeId, TaskId};

    fn store(dir: &tempfile::TempDir) -> Store {
        Store::open(&dir.path().join("t.redb"), SecretKey::from_bytes([1; 32])).unwrap()
    }

    fn entry(subject: Subject, detail: &str) -> AuditEntry {
        AuditEntry {
            at: Timestamp::UNIX_EPOCH,
            actor: Actor::System,
            action: AuditAction::EmployeeUpdated,
            subject,
            detail: detail.into(),
        }
    }

    fn employee(id: &str) -> Subject {
        Subject::Employee {
            id: EmployeeId::new(id),
        }
    }

    #[test]
    fn history_reads_the_subjects_newest_first_among_everyone_elses() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        let task = Subject::Task {
            id: TaskId::new("T-1"),
        };
        // "E-1" is a prefix of "E-10": the index keeps them apart.
        let mut batch = Vec::new();
        for n in 0..50 {
            batch.push(entry(employee("E-10"), &format!("other {n}")));
            if n % 10 == 0 {
                batch.push(entry(employee("E-1"), &format!("mine {n}")));
            }
        }
        batch.push(entry(task.clone(), "task"));
        store.write(|txn| append_audit(txn, &batch[..30])).unwrap();
        store.write(|txn| append_audit(txn, &batch[30..])).unwrap();

        let details = |limit| -> Vec<String> {
            store
                .history(&[employee("E-1"), task.clone()], limit)
                .unwrap()
                .into_iter()
                .map(|e| e.detail)
                .collect()
        };
        assert_eq!(
            details(100),
            ["task", "mine 40", "mine 30", "mine 20", "mine 10", "mine 0"]
        );
        assert_eq!(details(2), ["task", "mine 40"]);
        assert_eq!(store.history(&[employee("E-2")], 10).unwrap(), vec![]);
        assert_eq!(store.audit_log(1000).unwrap().len(), batch.len());
    }

    #[test]
    fn the_index_is_built_for_entries_written_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        store
            .write(|txn| {
                // As a schema-7 database held them: in the log only.
                let mut log = txn.open_table(AUDIT)?;
                put_json(&mut log, &seq_key(1), &entry(employee("E-1"), "old"))?;
                drop(log);
                txn.delete_table(AUDIT_BY_SUBJECT)?;
                index_existing(txn)
            })
            .unwrap();
        let found = store.history(&[employee("E-1")], 10).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].detail, "old");
    }

    #[test]
    fn runs_left_without_an_end_are_marked_interrupted_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir);
        let done = SyncRun {
            source: "merge-hris".into(),
            started: "2026-12-01T10:00:00Z".into(),
            finished: Some("2026-12-01T10:01:00Z".into()),
            ..SyncRun::default()
        };
        store.put_sync_run(&done, 10).unwrap();
        let cut = SyncRun {
            finished: None,
            ..done.clone()
        };
        store.put_sync_run(&cut, 10).unwrap();

        assert_eq!(store.mark_interrupted_sync_runs().unwrap(), 1);
        let runs = store.sync_runs(None, 10).unwrap();
        assert!(runs[0].interrupted);
        assert_eq!(runs[0].error.as_deref(), Some(crate::INTERRUPTED));
        assert!(!runs[1].interrupted && runs[1].error.is_none());
        // Still without an end (nobody knows when it stopped), and marked only once.
        assert!(store.sync_runs(None, 10).unwrap()[0].finished.is_none());
        assert_eq!(store.mark_interrupted_sync_runs().unwrap(), 0);
    }
}
