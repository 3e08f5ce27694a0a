//! Scheduled online backups: `[backup]` in the configuration. Every `every_hours` the
//! server writes `tenure-YYYYMMDDTHHMMSSZ.redb` into `dir` (through a temporary name,
//! so a half-written file never looks like a backup) and keeps the newest `keep` of
//! them; it never touches other files there. The last outcome is shown by `/healthz`.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tenure_store::Store;
use time::OffsetDateTime;

/// `[backup]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BackupConfig {
    /// Where the backups go. Default: `<data dir>/backups`. Prefer another disk.
    pub dir: Option<PathBuf>,
    /// Hours between backups; 0 turns scheduled backups off.
    pub every_hours: u64,
    /// How many of the newest scheduled backups are kept; older ones are deleted.
    /// 0 keeps them all.
    pub keep: usize,
}

impl Default for BackupConfig {
    fn default() -> Self {
        BackupConfig {
            dir: None,
            every_hours: 24,
            keep: 14,
        }
    }
}

impl BackupConfig {
    /// The backup directory for the data directory `data_dir`.
    pub fn dir(&self, data_dir: &Path) -> PathBuf {
        self.dir.clone().unwrap_or_else(|| data_dir.join("backups"))
    }
}

/// The name of a scheduled backup, and of the file a restore moves aside.
const PREFIX: &str = "tenure-";
const SUFFIX: &str = ".redb";
/// A backup in progress: never matches [`backup_stamp`].
const PARTIAL_SUFFIX: &str = ".redb.partial";

/// `YYYYMMDDTHHMMSSZ` of `t` (in UTC).
pub fn stamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `tenure-YYYYMMDDTHHMMSSZ.redb` for a backup taken at `t`.
pub fn backup_file_name(t: OffsetDateTime) -> String {
    format!("{PREFIX}{}{SUFFIX}", stamp(t))
}

/// The stamp of a file named like a scheduled backup; `None` for any other name.
pub fn backup_stamp(name: &str) -> Option<&str> {
    let stamp = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let b = stamp.as_bytes();
    let shape = b.len() == 16
        && b[8] == b'T'
        && b[15] == b'Z'
        && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit);
    shape.then_some(stamp)
}

/// The time in a scheduled backup's name.
pub fn backup_time(name: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::PrimitiveDateTime::parse(backup_stamp(name)?, format)
        .ok()
        .map(|t| t.assume_utc())
}

/// How long after start the first scheduled backup is due: one interval after the
/// newest backup in the directory (so restarts do not postpone backups forever), at
/// least [`FIRST_AFTER`] after start so the server settles first.
pub fn first_delay(
    newest: Option<OffsetDateTime>,
    now: OffsetDateTime,
    every: Duration,
) -> Duration {
    let due = match newest {
        // A backup "from the future" (the clock was wrong) counts as taken now.
        Some(newest) => (newest.min(now) + every - now)
            .try_into()
            .unwrap_or(Duration::ZERO),
        None => Duration::ZERO,
    };
    due.max(FIRST_AFTER)
}

/// The longest interval between scheduled backups, in hours (a year).
const MAX_EVERY_HOURS: u64 = 24 * 366;

/// The least time from start to the first scheduled backup.
pub const FIRST_AFTER: Duration = Duration::from_secs(60);

/// The newest scheduled backup in `dir`, by the time in its name.
fn newest_in(dir: &Path) -> Option<OffsetDateTime> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| backup_time(&n))
        .max()
}

/// Which of the files `names` (a directory's entries) retention deletes: of those
/// named like scheduled backups, all but the `keep` newest (by the time in the name).
/// Other names are never chosen; `keep` 0 keeps everything.
pub fn to_delete(names: &[String], keep: usize) -> Vec<String> {
    if keep == 0 {
        return Vec::new();
    }
    let mut backups: Vec<(&str, &String)> = names
        .iter()
        .filter_map(|n| backup_stamp(n).map(|s| (s, n)))
        .collect();
    // The stamp sorts like the time it names; newest first.
    backups.sort_by(|a, b| b.0.cmp(a.0));
    backups
        .into_iter()
        .skip(keep)
        .map(|(_, n)| n.clone())
        .collect()
}

/// The outcome of the last scheduled backup, as `/healthz` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LastBackup {
    Written {
        at: OffsetDateTime,
        file: String,
        tables: usize,
        rows: u64,
    },
    Failed {
        at: OffsetDateTime,
        error: String,
    },
}

static LAST: Mutex<Option<LastBackup>> = Mutex::new(None);

/// The last scheduled backup's outcome since this server started.
pub fn last() -> Option<LastBackup> {
    LAST.lock().map(|g| g.clone()).unwrap_or(None)
}

fn record(outcome: LastBackup) {
    if let Ok(mut g) = LAST.lock() {
        *g = Some(outcome);
    }
}

/// The last backup for `/healthz`: time, file name and rows, or that it failed (the
/// error itself is in the log, not on this unauthenticated page).
pub fn last_json() -> serde_json::Value {
    let rfc3339 = |t: OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    };
    match last() {
        None => serde_json::Value::Null,
        Some(LastBackup::Written {
            at,
            file,
            tables,
            rows,
        }) => serde_json::json!({
            "status": "ok", "at": rfc3339(at), "file": file, "tables": tables, "rows": rows,
        }),
        Some(LastBackup::Failed { at, .. }) => serde_json::json!({
            "status": "failed", "at": rfc3339(at), "error": "see the server log",
        }),
    }
}

/// Writes one backup into `dir` (created, mode 0700, when absent), then applies
/// retention. Blocking: run it off the async threads.
pub fn run_once(
    store: &Store,
    dir: &Path,
    keep: usize,
    now: OffsetDateTime,
) -> anyhow::Result<LastBackup> {
    use anyhow::Context;
    create_private_dir(dir)
        .with_context(|| format!("cannot create the backup directory {}", dir.display()))?;
    let name = backup_file_name(now);
    let dest = dir.join(&name);
    if dest.exists() {
        anyhow::bail!("{} exists already", dest.display());
    }
    let partial = dir.join(format!("{PREFIX}{}{PARTIAL_SUFFIX}", stamp(now)));
    // A partial file is what an interrupted backup left: never a backup.
    let _ = std::fs::remove_file(&partial);
    let stats = store.backup(&partial)?;
    if let Err(e) = std::fs::rename(&partial, &dest) {
        let _ = std::fs::remove_file(&partial);
        return Err(e).with_context(|| format!("cannot rename the backup to {}", dest.display()));
    }
    prune(dir, keep);
    Ok(LastBackup::Written {
        at: now,
        file: name,
        tables: stats.tables,
        rows: stats.rows,
    })
}

/// Deletes the scheduled backups beyond the newest `keep`; a failure is logged only.
fn prune(dir: &Path, keep: usize) {
    let names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .collect(),
        Err(e) => {
            tracing::warn!(dir = %dir.display(), "cannot list the backup directory: {e}");
            return;
        }
    };
    for name in to_delete(&names, keep) {
        match std::fs::remove_file(dir.join(&name)) {
            Ok(()) => tracing::info!(file = name.as_str(), "deleted an old backup"),
            Err(e) => tracing::warn!(file = name.as_str(), "cannot delete an old backup: {e}"),
        }
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Starts the schedule: the first backup one interval after the newest in the
/// directory (a minute after start when that is past), then every interval. `None` when `every_hours` is 0. Dropping the handle does not stop it; it
/// ends with the process.
pub fn spawn(
    store: Arc<Store>,
    config: &BackupConfig,
    data_dir: &Path,
) -> Option<tokio::task::JoinHandle<()>> {
    if config.every_hours == 0 {
        tracing::info!("scheduled backups are off ([backup] every_hours = 0)");
        return None;
    }
    // At most yearly: a longer interval is a typo, and would overflow the timer.
    let every = Duration::from_secs(config.every_hours.min(MAX_EVERY_HOURS) * 3600);
    let dir = config.dir(data_dir);
    let keep = config.keep;
    tracing::info!(dir = %dir.display(), every_hours = config.every_hours, keep, "scheduled backups on");
    Some(tokio::spawn(async move {
        let first = first_delay(newest_in(&dir), OffsetDateTime::now_utc(), every);
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + first, every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let (store, dir) = (store.clone(), dir.clone());
            let now = OffsetDateTime::now_utc();
            let done = tokio::task::spawn_blocking(move || run_once(&store, &dir, keep, now)).await;
            let outcome = match done {
                Ok(Ok(written)) => {
                    if let LastBackup::Written {
                        file, tables, rows, ..
                    } = &written
                    {
                        tracing::info!(
                            file = file.as_str(),
                            tables,
                            rows,
                            "scheduled backup written"
                        );
                    }
                    written
                }
                Ok(Err(e)) => failed(now, format!("{e:#}")),
                Err(e) => failed(now, format!("the backup task stopped: {e}")),
            };
            record(outcome);
        }
    }))
}

/// Scheduled backups that failed, for `/metrics` (see [`register_metrics`]).
static FAILURES: std::sync::LazyLock<prometheus_client::metrics::counter::Counter> =
    std::sync::LazyLock::new(Default::default);

/// Adds `tenure_backup_failures_total` to the metrics.
pub fn register_metrics(registry: &mut prometheus_client::registry::Registry) {
    registry.register(
        "tenure_backup_failures",
        "Scheduled backups that failed since start",
        FAILURES.clone(),
    );
}

fn failed(at: OffsetDateTime, error: String) -> LastBackup {
    tracing::error!(error = error.as_str(), "scheduled backup failed");
    FAILURES.inc();
    LastBackup::Failed { at, error }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_carry_the_utc_time() {
        let t = time::macros::datetime!(2026-03-04 05:06:07 +02:00);
        assert_eq!(backup_file_name(t), "tenure-20260304T030607Z.redb");
        assert_eq!(
            backup_stamp("tenure-20260304T030607Z.redb"),
            Some("20260304T030607Z")
        );
    }

    #[test]
    fn only_the_appliances_own_names_count_as_backups() {
        for other in [
            "tenure.redb",
            "tenure-20260304T030607Z.redb.partial",
            "tenure-20260304T030607.redb",
            "tenure-2026030xT030607Z.redb",
            "tenure-20260304T030607Z.redb.bak",
            "my-tenure-20260304T030607Z.redb",
            "tenure-20260304-030607Z.redb",
            "notes.txt",
        ] {
            assert_eq!(backup_stamp(other), None, "{other}");
        }
    }

    #[test]
    fn the_first_backup_is_due_one_interval_after_the_newest() {
        let now = time::macros::datetime!(2026-01-02 12:00:00 UTC);
        let day = Duration::from_secs(24 * 3600);
        let name = "tenure-20260102T060000Z.redb";
        assert_eq!(
            backup_time(name),
            Some(time::macros::datetime!(2026-01-02 06:00:00 UTC))
        );
        assert_eq!(
            backup_time("tenure-20261302T060000Z.redb"),
            None,
            "month 13"
        );
        assert_eq!(
            first_delay(backup_time(name), now, day),
            Duration::from_secs(18 * 3600)
        );
        assert_eq!(first_delay(None, now, day), FIRST_AFTER, "none yet: soon");
        let old = time::macros::datetime!(2025-12-01 00:00:00 UTC);
        assert_eq!(
            first_delay(Some(old), now, day),
            FIRST_AFTER,
            "overdue: soon"
        );
        let future = time::macros::datetime!(2030-01-01 00:00:00 UTC);
        assert_eq!(
            first_delay(Some(future), now, day),
            day,
            "a wrong clock: as if now"
        );
    }

    #[test]
    fn retention_deletes_all_but_the_newest_and_nothing_else() {
        let dir = names(&[
            "tenure-20260101T000000Z.redb",
            "tenure-20260103T000000Z.redb",
            "notes.txt",
            "tenure-20260102T120000Z.redb",
            "tenure-20251231T235959Z.redb",
            "tenure-20260104T000000Z.redb.partial",
            "tenure.redb",
        ]);
        let mut deleted = to_delete(&dir, 2);
        deleted.sort();
        assert_eq!(
            deleted,
            names(&[
                "tenure-20251231T235959Z.redb",
                "tenure-20260101T000000Z.redb"
            ])
        );
        assert!(to_delete(&dir, 4).is_empty(), "four backups, four kept");
        assert!(to_delete(&dir, 0).is_empty(), "0 keeps all");
        assert_eq!(to_delete(&dir, 1).len(), 3);
    }

    #[test]
    fn a_scheduled_backup_is_written_under_its_name_and_old_ones_are_pruned() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(
            &tmp.path().join("tenure.redb"),
            tenure_store::SecretKey::generate(),
        )
        .unwrap();
        store.set_setting("p", "k", "v").unwrap();
        let dir = tmp.path().join("backups");
        let t0 = time::macros::datetime!(2026-01-01 00:00:00 UTC);
        for day in 0..3 {
            run_once(&store, &dir, 2, t0 + time::Duration::days(day)).unwrap();
        }
        std::fs::write(dir.join("keep-me.txt"), "x").unwrap();
        let last = run_once(&store, &dir, 2, t0 + time::Duration::days(3)).unwrap();
        assert!(matches!(&last, LastBackup::Written { file, rows, .. }
            if file == "tenure-20260104T000000Z.redb" && *rows > 0));
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            names(&[
                "keep-me.txt",
                "tenure-20260103T000000Z.redb",
                "tenure-20260104T000000Z.redb"
            ])
        );
        // A backup opens as a store.
        let copy = Store::open(
            &dir.join("tenure-20260104T000000Z.redb"),
            tenure_store::SecretKey::generate(),
        )
        .unwrap();
        assert_eq!(copy.setting("p", "k").unwrap().as_deref(), Some("v"));
    }
}
