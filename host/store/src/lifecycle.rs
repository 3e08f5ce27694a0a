//! The lifecycle state the planner works on: employees, tasks, held offboardings,
//! quarantined HR records, per-source sync state, and the audit log, job queue and
//! email outbox. A plan is committed whole, in one write transaction.

use redb::{ReadableTable, ReadableTableMetadata, WriteTransaction};
use serde::{Deserialize, Serialize};
use tenure_domain::{
    Effect, InMemoryKnown, JobIntent, NotificationKind, Plan, Quarantine, SequentialIds,
};

use crate::codec::{decode_json, get_json, join_key, put_json};
use crate::tables::{
    ASSETS, EMPLOYEES, HOLDS, JOBS, MDM_COMMANDS, META, ORDERS, OUTBOX, QUARANTINE, SHIPMENT_FILES,
    SHIPMENTS, SYNC_RUNS, SYNC_STATE, TASKS, Table,
};
use crate::{Store, StoreError};

const IDS_KEY: &str = "lifecycle_ids";
const CATALOG_KEY: &str = "catalog";
const HARDWARE_KEY: &str = "hardware_settings";
const LOCATION_ZONES_KEY: &str = "location_zones";

/// Where an HR source's sync stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncState {
    /// RFC 3339 start of the last complete sync: the next incremental read starts here.
    pub since: Option<String>,
    /// The page cursor of a sync in progress (a crash resumes from it).
    pub cursor: Option<String>,
    /// RFC 3339 start of the sync in progress.
    pub started: Option<String>,
    /// Whether the sync in progress reads everything (not only changes).
    #[serde(default)]
    pub full: bool,
    /// RFC 3339 start of the last complete full read (the daily reconciliation).
    #[serde(default)]
    pub last_full: Option<String>,
}

/// One sync of one HR source, as recorded: while it runs and after.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRun {
    /// Sequence number, ascending with time.
    pub id: u64,
    pub source: String,
    /// `incremental` or `full`.
    pub mode: String,
    pub started: String,
    /// Absent while running.
    pub finished: Option<String>,
    pub pages: usize,
    pub records: usize,
    pub created: usize,
    pub changed: usize,
    pub quarantined: usize,
    pub tasks_opened: usize,
    pub emails_sent: usize,
    /// Why the run stopped early; the next run resumes from the last committed page.
    pub error: Option<String>,
    /// Milliseconds spent reading from the source (the plugin and the HR system)...
    #[serde(default)]
    pub read_ms: u64,
    /// ...planning the pages...
    #[serde(default)]
    pub plan_ms: u64,
    /// ...and committing them to the database.
    #[serde(default)]
    pub commit_ms: u64,
    /// Tenure stopped (a crash, a restart) while this run was going; found at the next
    /// start. Its pages up to the last commit landed; the next sync resumes after them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
}

/// What an interrupted run says in place of an error.
pub const INTERRUPTED: &str = "interrupted: tenure stopped during this sync; the next sync resumes after the last committed page";

/// An email waiting to be sent (removed once the SMTP server took it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub to: Vec<String>,
    pub message: NotificationKind,
}

fn seq_key(n: u64) -> String {
    format!("{n:020}")
}

/// The next sequence number of an append-only table.
fn next_seq(table: &redb::Table<&str, &[u8]>) -> Result<u64, StoreError> {
    Ok(match table.last()? {
        Some((k, _)) => k.value().parse::<u64>().unwrap_or(0) + 1,
        None => 1,
    })
}

fn append<T: Serialize>(
    txn: &WriteTransaction,
    def: Table,
    values: &[T],
) -> Result<(), StoreError> {
    if values.is_empty() {
        return Ok(());
    }
    let mut table = txn.open_table(def)?;
    let first = next_seq(&table)?;
    for (n, v) in (first..).zip(values) {
        put_json(&mut table, &seq_key(n), v)?;
    }
    Ok(())
}

/// Queues one email.
pub(crate) fn append_outbox(txn: &WriteTransaction, entry: OutboxEntry) -> Result<(), StoreError> {
    append(txn, OUTBOX, &[entry])
}

/// Writes `plan` and the id counter it drew from into `txn`.
pub(crate) fn write_plan_in(
    txn: &WriteTransaction,
    plan: &Plan,
    ids: &SequentialIds,
    now: tenure_domain::jiff::Timestamp,
) -> Result<(), StoreError> {
    write_plan(txn, plan, now)?;
    put_json(&mut txn.open_table(META)?, IDS_KEY, ids)
}

/// Writes what `plan` means into `txn` (the same meaning as `InMemoryKnown::apply`),
/// with the jobs it queues and the access records it moves.
fn write_plan(
    txn: &WriteTransaction,
    plan: &Plan,
    now: tenure_domain::jiff::Timestamp,
) -> Result<(), StoreError> {
    let mut employees = txn.open_table(EMPLOYEES)?;
    let mut tasks = txn.open_table(TASKS)?;
    let mut holds = txn.open_table(HOLDS)?;
    let mut quarantine = txn.open_table(QUARANTINE)?;
    let mut jobs: Vec<&JobIntent> = Vec::new();
    let mut outbox: Vec<OutboxEntry> = Vec::new();
    for effect in &plan.effects {
        match effect {
            Effect::CreateEmployee { employee }
            | Effect::UpdateEmployee { employee, .. }
            | Effect::MergePreHire { employee, .. } => {
                put_json(&mut employees, &employee.id.0, employee)?;
            }
            Effect::OpenTask { task } | Effect::UpdateTask { task } => {
                put_json(&mut tasks, &task.id.0, task)?
            }
            Effect::Notify { to, message } => outbox.push(OutboxEntry {
                to: to.clone(),
                message: message.clone(),
            }),
            Effect::EnqueueJob { job } => jobs.push(job),
            // The schedule is recorded on the employee.
            Effect::ScheduleOffboarding { .. } | Effect::CancelOffboarding { .. } => {}
            Effect::HoldOffboardings { hold } => put_json(&mut holds, &hold.id.0, hold)?,
            Effect::ResolveHold { hold, resolution } => {
                let stored: Option<tenure_domain::HeldOffboardings> = get_json(&holds, &hold.0)?;
                if let Some(mut h) = stored {
                    h.resolution = Some(resolution.clone());
                    put_json(&mut holds, &hold.0, &h)?;
                }
            }
            Effect::ReleaseQuarantine { source, source_id } => {
                quarantine.remove(join_key(&[&source.0, source_id]).as_str())?;
            }
            Effect::PutAsset { asset } => {
                put_json(&mut txn.open_table(ASSETS)?, &asset.id.0, asset)?
            }
            Effect::PutShipment { shipment } => {
                put_json(&mut txn.open_table(SHIPMENTS)?, &shipment.id.0, shipment)?
            }
            Effect::PutOrder { order } => {
                put_json(&mut txn.open_table(ORDERS)?, &order.id.0, order)?
            }
            Effect::PutCommand { command } => {
                put_json(&mut txn.open_table(MDM_COMMANDS)?, &command.id.0, command)?
            }
        }
    }
    for q in &plan.quarantined {
        put_json(&mut quarantine, &join_key(&[&q.source.0, &q.source_id]), q)?;
    }
    drop((employees, tasks, holds, quarantine));
    crate::jobs::enqueue(txn, &jobs, now)?;
    crate::jobs::apply_access(txn, &tenure_domain::access::changes_in(plan), None, now)?;
    append(txn, OUTBOX, &outbox)?;
    crate::audit::append_audit(txn, &plan.audit)?;
    Ok(())
}

/// Decodes every row of `def` in key order and hands each to `f`.
fn for_each<T: serde::de::DeserializeOwned>(
    txn: &redb::ReadTransaction,
    def: Table,
    mut f: impl FnMut(T),
) -> Result<(), StoreError> {
    let table = txn.open_table(def)?;
    let name = def.to_string();
    for row in table.iter()? {
        let (k, v) = row?;
        f(decode_json(&name, k.value(), v.value())?);
    }
    Ok(())
}

fn read_all<T: serde::de::DeserializeOwned>(
    txn: &redb::ReadTransaction,
    def: Table,
) -> Result<Vec<(String, T)>, StoreError> {
    let table = txn.open_table(def)?;
    let mut out = Vec::with_capacity(table.len()? as usize);
    for row in table.iter()? {
        let (k, v) = row?;
        out.push((
            k.value().to_string(),
            decode_json(def.to_string().as_str(), k.value(), v.value())?,
        ));
    }
    Ok(out)
}

impl Store {
    /// Commits a plan, the id counter it drew from, and (for a sync) the source's new
    /// sync state, in ONE write transaction: all of it lands, or none.
    pub fn commit_plan(
        &self,
        plan: &Plan,
        ids: &SequentialIds,
        sync: Option<(&str, &SyncState)>,
    ) -> Result<(), StoreError> {
        self.write(|txn| {
            write_plan_in(txn, plan, ids, tenure_domain::jiff::Timestamp::now())?;
            if let Some((source, state)) = sync {
                put_json(&mut txn.open_table(SYNC_STATE)?, source, state)?;
            }
            Ok(())
        })
    }

    /// Everything the planner needs, in memory: employees, tasks, holds, quarantine and
    /// the catalog (logs and queues stay on disk), and the id counter.
    pub fn load_lifecycle(&self) -> Result<(InMemoryKnown, SequentialIds), StoreError> {
        self.read(|txn| {
            let mut known = InMemoryKnown::default();
            // Row by row: at 100,000 employees a list of them all first would double
            // the memory the load needs (and the allocator keeps it).
            for_each::<tenure_domain::Employee>(txn, EMPLOYEES, |e| {
                known.employees.insert(e);
            })?;
            for_each::<tenure_domain::Task>(txn, TASKS, |t| {
                known.tasks.insert(t);
            })?;
            for (_, h) in read_all::<tenure_domain::HeldOffboardings>(txn, HOLDS)? {
                known.holds.insert(h.id.clone(), h);
            }
            known.quarantine = read_all::<Quarantine>(txn, QUARANTINE)?
                .into_iter()
                .map(|(_, q)| q)
                .collect();
            let meta = txn.open_table(META)?;
            known.catalog = get_json(&meta, CATALOG_KEY)?.unwrap_or_default();
            let hw = &mut known.hardware;
            hw.settings = get_json(&meta, HARDWARE_KEY)?.unwrap_or_default();
            for (_, a) in read_all::<tenure_domain::hardware::Asset>(txn, ASSETS)? {
                hw.put_asset(a);
            }
            for (_, s) in read_all::<tenure_domain::hardware::ReturnShipment>(txn, SHIPMENTS)? {
                hw.shipments.insert(s.id.clone(), s);
            }
            for (_, o) in read_all::<tenure_domain::hardware::Order>(txn, ORDERS)? {
                hw.orders.insert(o.id.clone(), o);
            }
            for (_, c) in read_all::<tenure_domain::hardware::MdmCommand>(txn, MDM_COMMANDS)? {
                hw.commands.insert(c.id.clone(), c);
            }
            let ids = get_json(&meta, IDS_KEY)?.unwrap_or_default();
            Ok((known, ids))
        })
    }

    /// Replaces the hardware settings (sites, warehouse, parcel weight, currency).
    pub fn set_hardware_settings(
        &self,
        settings: &tenure_domain::hardware::HardwareSettings,
    ) -> Result<(), StoreError> {
        self.write(|txn| put_json(&mut txn.open_table(META)?, HARDWARE_KEY, settings))
    }

    /// Keeps a file a carrier issued for a return (`kind`: `label` or `drop_off`).
    pub fn put_shipment_file(
        &self,
        shipment: &str,
        kind: &str,
        content_type: &str,
        data: &[u8],
    ) -> Result<(), StoreError> {
        let mut value = Vec::with_capacity(content_type.len() + 1 + data.len());
        value.extend_from_slice(content_type.as_bytes());
        value.push(0);
        value.extend_from_slice(data);
        self.write(|txn| {
            txn.open_table(SHIPMENT_FILES)?
                .insert(join_key(&[shipment, kind]).as_str(), value.as_slice())?;
            Ok(())
        })
    }

    /// A file kept with [`Store::put_shipment_file`]: its content type and bytes.
    pub fn shipment_file(
        &self,
        shipment: &str,
        kind: &str,
    ) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        self.read(|txn| {
            let table = txn.open_table(SHIPMENT_FILES)?;
            let Some(v) = table.get(join_key(&[shipment, kind]).as_str())? else {
                return Ok(None);
            };
            let v = v.value();
            let split = v.iter().position(|b| *b == 0).unwrap_or(v.len());
            let content_type = String::from_utf8_lossy(&v[..split]).into_owned();
            Ok(Some((
                content_type,
                v.get(split + 1..).unwrap_or(&[]).to_vec(),
            )))
        })
    }

    /// Admins' time zones for work locations (label -> IANA name).
    pub fn location_zones(&self) -> Result<tenure_domain::work_zone::LocationZones, StoreError> {
        self.read(|txn| {
            Ok(get_json(&txn.open_table(META)?, LOCATION_ZONES_KEY)?.unwrap_or_default())
        })
    }

    /// Replaces the admins' time zones for work locations.
    pub fn set_location_zones(
        &self,
        zones: &tenure_domain::work_zone::LocationZones,
    ) -> Result<(), StoreError> {
        self.write(|txn| put_json(&mut txn.open_table(META)?, LOCATION_ZONES_KEY, zones))
    }

    /// Replaces the catalog (groups, rules, champions, applications).
    pub fn set_catalog(&self, catalog: &tenure_domain::Catalog) -> Result<(), StoreError> {
        self.write(|txn| put_json(&mut txn.open_table(META)?, CATALOG_KEY, catalog))
    }

    pub fn sync_state(&self, source: &str) -> Result<SyncState, StoreError> {
        self.read(|txn| Ok(get_json(&txn.open_table(SYNC_STATE)?, source)?.unwrap_or_default()))
    }

    /// Records a sync run (`run.id == 0`: a new one, which gets the next id) and
    /// returns its id. Runs are kept at most `keep`; older ones are dropped.
    pub fn put_sync_run(&self, run: &SyncRun, keep: usize) -> Result<u64, StoreError> {
        self.write(|txn| {
            let mut table = txn.open_table(SYNC_RUNS)?;
            let id = if run.id == 0 {
                next_seq(&table)?
            } else {
                run.id
            };
            let stored = SyncRun { id, ..run.clone() };
            put_json(&mut table, &seq_key(id), &stored)?;
            let len = table.len()? as usize;
            if len > keep {
                let old: Vec<String> = table
                    .iter()?
                    .take(len - keep)
                    .map(|row| row.map(|(k, _)| k.value().to_string()))
                    .collect::<Result<_, _>>()?;
                for k in old {
                    table.remove(k.as_str())?;
                }
            }
            Ok(id)
        })
    }

    /// Marks every run left without an end as interrupted (call once at start, before
    /// any sync runs) and returns how many there were.
    pub fn mark_interrupted_sync_runs(&self) -> Result<usize, StoreError> {
        self.write(|txn| {
            let mut table = txn.open_table(SYNC_RUNS)?;
            let mut open: Vec<SyncRun> = Vec::new();
            for row in table.iter()? {
                let (k, v) = row?;
                let run: SyncRun = decode_json("sync_runs", k.value(), v.value())?;
                if run.finished.is_none() && !run.interrupted {
                    open.push(run);
                }
            }
            for mut run in open.iter().cloned() {
                run.interrupted = true;
                run.error.get_or_insert_with(|| INTERRUPTED.to_string());
                put_json(&mut table, &seq_key(run.id), &run)?;
            }
            Ok(open.len())
        })
    }

    /// The newest `limit` sync runs, newest first, optionally of one source.
    pub fn sync_runs(
        &self,
        source: Option<&str>,
        limit: usize,
    ) -> Result<Vec<SyncRun>, StoreError> {
        self.read(|txn| {
            let table = txn.open_table(SYNC_RUNS)?;
            let mut out = Vec::new();
            for row in table.iter()?.rev() {
                if out.len() >= limit {
                    break;
                }
                let (k, v) = row?;
                let run: SyncRun = decode_json("sync_runs", k.value(), v.value())?;
                if source.is_none_or(|s| s == run.source) {
                    out.push(run);
                }
            }
            Ok(out)
        })
    }

    /// Emails not sent yet, oldest first, with their keys.
    pub fn outbox(&self) -> Result<Vec<(String, OutboxEntry)>, StoreError> {
        self.read(|txn| read_all(txn, OUTBOX))
    }

    /// Removes a sent email from the outbox.
    pub fn outbox_done(&self, key: &str) -> Result<(), StoreError> {
        self.write(|txn| {
            txn.open_table(OUTBOX)?.remove(key)?;
            Ok(())
        })
    }

    /// Every job kept, oldest first.
    pub fn jobs(&self) -> Result<Vec<(String, tenure_domain::Job)>, StoreError> {
        self.read(|txn| read_all(txn, JOBS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SecretKey;
    use tenure_domain::jiff::{Timestamp, tz::TimeZone};
    use tenure_domain::{
        Catalog, Champion, Champions, Known, PlanContext, RawHrRecord, RawStatus, UserId, plan,
    };

    fn hire(id: &str, email: Option<&str>) -> RawHrRecord {
        RawHrRecord {
            source: "merge-hris".into(),
            source_id: id.into(),
            work_email: email.map(String::from),
            personal_email: None,
            given_name: "Nia".into(),
            family_name: "New".into(),
            preferred_name: None,
            department: Some("Sales".into()),
            groups: vec![],
            title: None,
            manager_source_id: None,
            work_location: None,
            work_time_zone: None,
            work_country: None,
            work_region: None,
            work_city: None,
            status: RawStatus::Pending,
            start_date: Some("2026-12-01".into()),
            termination_date: None,
            deleted: false,
        }
    }

    #[test]
    fn a_committed_plan_loads_back_and_replanning_it_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.redb"), SecretKey::generate()).unwrap();
        store
            .set_catalog(&Catalog {
                champions: Champions {
                    onboarding: vec![Champion {
                        user: UserId("u1".into()),
                        name: "Ona".into(),
                        email: "ona@example.com".into(),
                    }],
                    ..Champions::default()
                },
                ..Catalog::default()
            })
            .unwrap();
        let now: Timestamp = "2026-11-20T12:00:00Z".parse().unwrap();
        let page = vec![hire("1", Some("nia@example.com")), hire("2", None)];

        let (known, mut ids) = store.load_lifecycle().unwrap();
        let p = plan(
            &known,
            &page,
            &mut PlanContext::new(now, TimeZone::UTC, &mut ids),
        );
        assert!(!p.is_empty());
        assert_eq!(p.quarantined.len(), 1, "the record without email");
        let sync = SyncState {
            since: Some("2026-11-20T12:00:00Z".into()),
            ..SyncState::default()
        };
        store
            .commit_plan(&p, &ids, Some(("merge-hris", &sync)))
            .unwrap();

        let (loaded, mut ids) = store.load_lifecycle().unwrap();
        let mut expected = known.clone();
        expected.apply(&p);
        assert_eq!(loaded.employees, expected.employees);
        assert_eq!(loaded.tasks, expected.tasks);
        assert_eq!(loaded.quarantine.len(), 1);
        assert_eq!(loaded.active_employee_count(), 1);
        assert_eq!(store.sync_state("merge-hris").unwrap(), sync);
        assert_eq!(store.outbox().unwrap().len(), expected.outbox.len());
        assert!(
            !store.outbox().unwrap().is_empty(),
            "the onboarding champion is emailed"
        );
        assert_eq!(store.audit_log(100).unwrap().len(), p.audit.len());

        let again = plan(
            &loaded,
            &page,
            &mut PlanContext::new(now, TimeZone::UTC, &mut ids),
        );
        assert!(
            again.is_empty(),
            "re-planning a committed page yields nothing: {again:?}"
        );

        let (key, _) = store.outbox().unwrap().remove(0);
        store.outbox_done(&key).unwrap();
        assert_eq!(store.outbox().unwrap().len(), expected.outbox.len() - 1);
    }

    #[test]
    fn sync_runs_are_numbered_updated_in_place_and_trimmed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.redb"), SecretKey::generate()).unwrap();
        let mut ids = Vec::new();
        for n in 0..5 {
            let source = if n % 2 == 0 { "merge-hris" } else { "trinet" };
            let run = SyncRun {
                source: source.into(),
                started: format!("2026-11-20T12:0{n}:00Z"),
                ..SyncRun::default()
            };
            ids.push(store.put_sync_run(&run, 4).unwrap());
        }
        assert_eq!(ids, vec![1, 2, 3, 4, 5]);
        let runs = store.sync_runs(None, 10).unwrap();
        assert_eq!(
            runs.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![5, 4, 3, 2],
            "newest first, the oldest dropped"
        );
        let mut last = runs[0].clone();
        last.finished = Some("2026-11-20T12:05:00Z".into());
        last.pages = 3;
        assert_eq!(store.put_sync_run(&last, 4).unwrap(), 5);
        let merge = store.sync_runs(Some("merge-hris"), 10).unwrap();
        assert_eq!(merge.iter().map(|r| r.id).collect::<Vec<_>>(), vec![5, 3]);
        assert_eq!(merge[0].pages, 3);
        assert_eq!(store.sync_runs(None, 1).unwrap().len(), 1);
    }
}
