//! A fake of Merge's unified HRIS API (`https://api.merge.dev/api/hris/v1`).
//!
//! It follows Merge's documented behaviour and the shapes of Merge's official SDK
//! (`mergepythonclient`, whose pydantic models the vendor-client tests in
//! `tests/vendor_clients` check the fake against):
//!
//! - Every request needs `Authorization: Bearer <api key>` and
//!   `X-Account-Token: <linked account token>`; otherwise 401 with a DRF-style body
//!   `{"detail": "..."}` and a `WWW-Authenticate` header.
//! - Lists are cursor-paginated: `{"next": cursor|null, "previous": cursor|null,
//!   "results": [...]}`. Cursors are opaque (base64 of a position, as Merge's
//!   Django REST framework cursors are); filters are *not* part of the cursor, so, as
//!   Merge documents, every parameter except `cursor` and `page_size` must be sent again
//!   with each page. `page_size` defaults to 100 and is clamped to 100; a value that is
//!   not a positive integer falls back to the default (DRF's behaviour). A cursor that
//!   does not decode gives 404 `{"detail": "Invalid cursor"}`.
//! - Results are ordered by `created_at`, then `id`, so paging is stable while data
//!   changes: objects created during a sync appear on later pages.
//! - `modified_after` / `modified_before` / `created_after` / `created_before` are
//!   strict comparisons with the object's `modified_at` / `created_at` (Merge's own
//!   timestamps, not the HR system's). Accepted: RFC 3339, a date-time without offset
//!   (taken as UTC) or a bare date. Anything else gives 400.
//! - `expand` takes a comma list (repeated `expand=` parameters are merged too); an
//!   expanded relation is the nested object, otherwise it is the id string. Unknown
//!   names give 400.
//! - Deleted objects (`remote_was_deleted`) are hidden unless `include_deleted_data=true`.
//! - `ssn` is null unless `include_sensitive_fields=true`; `remote_data` is null unless
//!   `include_remote_data=true`.
//! - Rate limit per account token: N requests in any rolling 60 s (default 600, Merge's
//!   Enterprise plan). Excess gives 429 with `Retry-After: <seconds>` and DRF's body
//!   `{"detail": "Request was throttled. Expected available in N seconds."}`;
//!   throttled requests do not count against the window.
//!
//! Endpoints (all `GET`, all under `/api/hris/v1/`): `employees`, `employees/{id}`,
//! `employments[/{id}]`, `groups[/{id}]`, `locations[/{id}]`, `teams[/{id}]`,
//! `companies[/{id}]`, `pay-groups[/{id}]`, `sync-status`, `account-details`. An unknown
//! id gives 404 `{"detail": "Not found."}`. `sync-status` lists every HRIS model: the
//! seven the fake serves as DONE, with `last_sync_finished` one second after the newest
//! `modified_at` of that model (so `modified_before=last_sync_finished` covers every
//! change so far), the others DISABLED; [`FakeMerge::set_sync_status`] overrides.
//!
//! One route is the fake's own, for driving a standalone fake from outside (benchmarks):
//! `POST /_fake/touch?n=N` with the API key as bearer (no account token; not counted,
//! not rate-limited) runs [`FakeMerge::touch_employees`] and answers
//! `{"touched": count}`.
//!
//! Clock: `created_at` / `modified_at` of objects added or changed through this API come
//! from the fake's clock, which follows the real UTC clock (truncated to microseconds,
//! like Merge's timestamps) until [`FakeMerge::set_now`] freezes it. The rate limiter
//! always uses the real monotonic clock.

mod data;
mod routes;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::ops::Bound;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::Router;
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::server::{ServerHandle, serve_router};

/// What [`FakeMerge::touch_employees`] appends to (or removes from) a job title.
pub const TOUCH_SUFFIX: &str = " (acting)";

/// Merge's Enterprise-plan limit, requests per minute per linked account.
pub const DEFAULT_RATE_LIMIT_PER_MINUTE: u32 = 600;
/// Merge's maximum (and default) `page_size`.
pub const MAX_PAGE_SIZE: usize = 100;
/// The share (%) of seeded members that are PENDING unless
/// [`FakeMerge::with_employees_pending`] says otherwise.
pub const DEFAULT_PENDING_PERCENT: u8 = 8;

/// An HRIS `Employee` as the fake stores it. Related objects are referenced by id
/// (`groups`, `company`, `team`, `manager`, `home_location`, `work_location`,
/// `pay_group`); `employments` are owned by the employee and also listed by
/// `GET /employments`.
///
/// Dates and date-times are ISO-8601 strings as Merge sends them, e.g.
/// `"2024-03-01T00:00:00Z"`. Enum-like fields take Merge's normalized values:
/// `employment_status` ACTIVE | PENDING | INACTIVE; `gender` MALE | FEMALE | NON-BINARY |
/// OTHER | PREFER_NOT_TO_DISCLOSE; `marital_status` SINGLE | MARRIED_FILING_JOINTLY | ...
///
/// Fields left empty are filled in by [`FakeMerge::add_employee`]: `id` (a UUID),
/// `remote_id`, `display_full_name`, `created_at` and `modified_at` (the fake's clock).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergeEmployee {
    pub id: String,
    pub remote_id: Option<String>,
    pub employee_number: Option<String>,
    pub company: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub preferred_name: Option<String>,
    pub display_full_name: Option<String>,
    pub username: Option<String>,
    pub groups: Vec<String>,
    pub work_email: Option<String>,
    pub personal_email: Option<String>,
    pub mobile_phone_number: Option<String>,
    pub employments: Vec<MergeEmployment>,
    pub home_location: Option<String>,
    pub work_location: Option<String>,
    pub manager: Option<String>,
    pub team: Option<String>,
    pub pay_group: Option<String>,
    pub ssn: Option<String>,
    pub gender: Option<String>,
    pub ethnicity: Option<String>,
    pub marital_status: Option<String>,
    pub date_of_birth: Option<String>,
    pub hire_date: Option<String>,
    pub start_date: Option<String>,
    pub remote_created_at: Option<String>,
    pub employment_status: Option<String>,
    pub termination_date: Option<String>,
    pub avatar: Option<String>,
    pub custom_fields: Option<Value>,
    pub remote_was_deleted: bool,
    pub created_at: Option<String>,
    pub modified_at: Option<String>,
    /// The HR system's raw record, returned as `remote_data[0].data` when the client asks
    /// for `include_remote_data=true` (a small synthetic record when `None`).
    pub remote_data: Option<Value>,
}

/// An HRIS `Employment` (a job record). `employee` is set by the fake to the owning
/// employee's id. `employment_type` FULL_TIME | PART_TIME | INTERN | CONTRACTOR |
/// FREELANCE; `pay_period` HOUR | DAY | WEEK | EVERY_TWO_WEEKS | SEMIMONTHLY | MONTH |
/// QUARTER | EVERY_SIX_MONTHS | YEAR; `flsa_status` EXEMPT | SALARIED_NONEXEMPT |
/// NONEXEMPT | OWNER. The newest `effective_date` is the current employment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergeEmployment {
    pub id: String,
    pub remote_id: Option<String>,
    pub employee: Option<String>,
    pub job_title: Option<String>,
    pub pay_rate: Option<f64>,
    pub pay_period: Option<String>,
    pub pay_frequency: Option<String>,
    pub pay_currency: Option<String>,
    pub pay_group: Option<String>,
    pub flsa_status: Option<String>,
    pub effective_date: Option<String>,
    pub employment_type: Option<String>,
    pub remote_was_deleted: bool,
    pub created_at: Option<String>,
    pub modified_at: Option<String>,
}

/// An HRIS `Group`; `group_type` is serialized as `type`: TEAM | DEPARTMENT |
/// COST_CENTER | BUSINESS_UNIT | GROUP.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergeGroup {
    pub id: String,
    pub remote_id: Option<String>,
    pub name: Option<String>,
    pub group_type: Option<String>,
    pub parent_group: Option<String>,
    pub is_commonly_used_as_team: Option<bool>,
    pub remote_was_deleted: bool,
    pub created_at: Option<String>,
    pub modified_at: Option<String>,
}

/// An HRIS `Location`; `country` is ISO 3166 alpha-2, `location_type` HOME | WORK.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergeLocation {
    pub id: String,
    pub remote_id: Option<String>,
    pub name: Option<String>,
    pub phone_number: Option<String>,
    pub street_1: Option<String>,
    pub street_2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip_code: Option<String>,
    pub country: Option<String>,
    pub location_type: Option<String>,
    pub remote_was_deleted: bool,
    pub created_at: Option<String>,
    pub modified_at: Option<String>,
}

/// An HRIS `Team`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergeTeam {
    pub id: String,
    pub remote_id: Option<String>,
    pub name: Option<String>,
    pub parent_team: Option<String>,
    pub remote_was_deleted: bool,
    pub created_at: Option<String>,
    pub modified_at: Option<String>,
}

/// An HRIS `Company`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergeCompany {
    pub id: String,
    pub remote_id: Option<String>,
    pub legal_name: Option<String>,
    pub display_name: Option<String>,
    pub eins: Vec<String>,
    pub remote_was_deleted: bool,
    pub created_at: Option<String>,
    pub modified_at: Option<String>,
}

/// An HRIS `PayGroup`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergePayGroup {
    pub id: String,
    pub remote_id: Option<String>,
    pub pay_group_name: Option<String>,
    pub remote_was_deleted: bool,
    pub created_at: Option<String>,
    pub modified_at: Option<String>,
}

/// What every stored model has.
pub(crate) trait Model: Clone {
    fn id(&self) -> &str;
    fn set_id(&mut self, id: String);
    fn remote_id(&self) -> Option<&str>;
    fn set_remote_id(&mut self, id: String);
    fn created_at(&self) -> Option<&str>;
    fn set_created_at(&mut self, at: String);
    fn modified_at(&self) -> Option<&str>;
    fn set_modified_at(&mut self, at: String);
    fn remote_was_deleted(&self) -> bool;
}

macro_rules! impl_model {
    ($($t:ty),*) => {$(
        impl Model for $t {
            fn id(&self) -> &str { &self.id }
            fn set_id(&mut self, id: String) { self.id = id }
            fn remote_id(&self) -> Option<&str> { self.remote_id.as_deref() }
            fn set_remote_id(&mut self, id: String) { self.remote_id = Some(id) }
            fn created_at(&self) -> Option<&str> { self.created_at.as_deref() }
            fn set_created_at(&mut self, at: String) { self.created_at = Some(at) }
            fn modified_at(&self) -> Option<&str> { self.modified_at.as_deref() }
            fn set_modified_at(&mut self, at: String) { self.modified_at = Some(at) }
            fn remote_was_deleted(&self) -> bool { self.remote_was_deleted }
        }
    )*};
}
impl_model!(
    MergeEmployee,
    MergeEmployment,
    MergeGroup,
    MergeLocation,
    MergeTeam,
    MergeCompany,
    MergePayGroup
);

/// Sort key: (`created_at` in unix nanoseconds, `id`). Unique, so it is also the
/// position a cursor points at.
pub(crate) type Key = (i128, String);

/// A stored object with its parsed timestamps.
pub(crate) struct Entry<T> {
    pub item: T,
    pub created: i128,
    pub modified: i128,
}

/// Objects of one model, ordered by [`Key`]; seeking to a cursor is O(log n).
pub(crate) struct Collection<T> {
    by_key: BTreeMap<Key, Entry<T>>,
    key_of: HashMap<String, Key>,
}

impl<T: Model> Collection<T> {
    fn new() -> Self {
        Self {
            by_key: BTreeMap::new(),
            key_of: HashMap::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn get(&self, id: &str) -> Option<&Entry<T>> {
        self.by_key.get(self.key_of.get(id)?)
    }

    /// Inserts or replaces (by id). `created_at` and `modified_at` must be set.
    fn put(&mut self, item: T) {
        let created = parse_stored(item.created_at(), "created_at");
        let modified = parse_stored(item.modified_at(), "modified_at");
        let id = item.id().to_string();
        if let Some(old) = self.key_of.remove(&id) {
            self.by_key.remove(&old);
        }
        let key = (created, id.clone());
        self.key_of.insert(id, key.clone());
        self.by_key.insert(
            key,
            Entry {
                item,
                created,
                modified,
            },
        );
    }

    fn remove(&mut self, id: &str) -> Option<T> {
        let key = self.key_of.remove(id)?;
        self.by_key.remove(&key).map(|e| e.item)
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Key, &Entry<T>)> {
        self.by_key.iter()
    }

    /// Entries after (or from, if `inclusive`) `key`, ascending.
    pub fn after(&self, key: &Key, inclusive: bool) -> impl Iterator<Item = (&Key, &Entry<T>)> {
        let lower = if inclusive {
            Bound::Included(key.clone())
        } else {
            Bound::Excluded(key.clone())
        };
        self.by_key.range((lower, Bound::Unbounded))
    }

    /// Entries before (or up to, if `inclusive`) `key`, descending.
    pub fn before(&self, key: &Key, inclusive: bool) -> impl Iterator<Item = (&Key, &Entry<T>)> {
        let upper = if inclusive {
            Bound::Included(key.clone())
        } else {
            Bound::Excluded(key.clone())
        };
        self.by_key.range((Bound::Unbounded, upper)).rev()
    }

    pub fn max_modified(&self) -> Option<i128> {
        self.by_key.values().map(|e| e.modified).max()
    }
}

fn parse_stored(v: Option<&str>, field: &str) -> i128 {
    let v = v.unwrap_or_else(|| panic!("{field} must be set before storing"));
    parse_datetime(v).unwrap_or_else(|| panic!("{field} is not an ISO-8601 date-time: {v:?}"))
}

/// Parses what Merge's filters accept: RFC 3339, a date-time without offset (UTC) or a
/// date. Returns unix nanoseconds.
pub(crate) fn parse_datetime(s: &str) -> Option<i128> {
    if let Some(t) = parse_utc_fast(s) {
        return Some(t);
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t.unix_timestamp_nanos());
    }
    let naive = time::macros::format_description!(
        version = 2,
        "[year]-[month]-[day][first [T][ ]][hour]:[minute][optional [:[second][optional [.[subsecond]]]]]"
    );
    if let Ok(t) = PrimitiveDateTime::parse(s, &naive) {
        return Some(t.assume_utc().unix_timestamp_nanos());
    }
    let date = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, &date)
        .ok()
        .map(|d| d.midnight().assume_utc().unix_timestamp_nanos())
}

/// `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`, the format the fake itself writes, without the
/// general parser (stored timestamps are parsed on every insert).
fn parse_utc_fast(s: &str) -> Option<i128> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        part.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let nanos = match &b[19..] {
        b"Z" => 0,
        [b'.', frac @ .., b'Z'] if (1..=9).contains(&frac.len()) => {
            let digits = num(20..20 + frac.len())?;
            digits * 10u32.pow(9 - frac.len() as u32)
        }
        _ => return None,
    };
    let date = Date::from_calendar_date(
        year as i32,
        time::Month::try_from(month as u8).ok()?,
        day as u8,
    )
    .ok()?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let days = i128::from(date.to_julian_day() - UNIX_EPOCH_JULIAN_DAY);
    let secs = days * 86_400 + i128::from(hour * 3600 + minute * 60 + second);
    Some(secs * 1_000_000_000 + i128::from(nanos))
}

/// `Date::from_calendar_date(1970, January, 1).to_julian_day()`.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// Formats like Merge: UTC, `Z`, microseconds only when not zero.
pub(crate) fn format_datetime(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    let micros = t.microsecond();
    let frac = if micros == 0 {
        String::new()
    } else {
        format!(".{micros:06}")
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{frac}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn truncate_to_micros(t: OffsetDateTime) -> OffsetDateTime {
    let micros = t.microsecond();
    t.replace_microsecond(micros).unwrap_or(t)
}

/// Sync status a test has forced for one model.
#[derive(Clone)]
pub(crate) struct SyncOverride {
    pub status: String,
    pub is_initial_sync: bool,
}

pub(crate) struct State {
    /// `None`: the real clock.
    clock: Option<OffsetDateTime>,
    pub employees: Collection<MergeEmployee>,
    pub employments: Collection<MergeEmployment>,
    pub groups: Collection<MergeGroup>,
    pub locations: Collection<MergeLocation>,
    pub teams: Collection<MergeTeam>,
    pub companies: Collection<MergeCompany>,
    pub pay_groups: Collection<MergePayGroup>,
    pub rate_limit_per_minute: u32,
    pub windows: HashMap<String, VecDeque<Instant>>,
    pub forced_429: VecDeque<u32>,
    pub sync_overrides: HashMap<String, SyncOverride>,
    next_seq: u64,
}

impl State {
    fn new() -> Self {
        Self {
            clock: None,
            employees: Collection::new(),
            employments: Collection::new(),
            groups: Collection::new(),
            locations: Collection::new(),
            teams: Collection::new(),
            companies: Collection::new(),
            pay_groups: Collection::new(),
            rate_limit_per_minute: DEFAULT_RATE_LIMIT_PER_MINUTE,
            windows: HashMap::new(),
            forced_429: VecDeque::new(),
            sync_overrides: HashMap::new(),
            next_seq: 0,
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock
            .unwrap_or_else(|| truncate_to_micros(OffsetDateTime::now_utc()))
    }

    fn fresh_id(&mut self) -> String {
        self.next_seq += 1;
        data::uuid(0x00AD_DED0, self.next_seq)
    }

    fn fresh_remote_id(&mut self) -> String {
        self.next_seq += 1;
        format!("TN-NEW-{:06}", self.next_seq)
    }

    /// Fills id, remote_id, created_at and modified_at when missing.
    fn complete<T: Model>(&mut self, item: &mut T, now: &str) {
        if item.id().is_empty() {
            let id = self.fresh_id();
            item.set_id(id);
        }
        if item.remote_id().is_none() {
            let rid = self.fresh_remote_id();
            item.set_remote_id(rid);
        }
        if item.created_at().is_none() {
            item.set_created_at(now.to_string());
        }
        if item.modified_at().is_none() {
            item.set_modified_at(now.to_string());
        }
    }

    /// Stores an employee and its employments (replacing a previous version).
    pub(crate) fn put_employee(&mut self, mut e: MergeEmployee, now: &str) -> String {
        self.complete(&mut e, now);
        if e.display_full_name.is_none() {
            let first = e.preferred_name.as_ref().or(e.first_name.as_ref());
            let name = [first, e.last_name.as_ref()]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            if !name.is_empty() {
                e.display_full_name = Some(name);
            }
        }
        let (created, modified) = (e.created_at.clone(), e.modified_at.clone());
        for job in &mut e.employments {
            job.employee = Some(e.id.clone());
            if job.created_at.is_none() {
                job.created_at = created.clone();
            }
            if job.modified_at.is_none() {
                job.modified_at = modified.clone();
            }
            let stamp = job.created_at.clone().unwrap_or_else(|| now.to_string());
            self.complete(job, &stamp);
        }
        if let Some(old) = self.employees.get(&e.id) {
            let stale: Vec<String> = old
                .item
                .employments
                .iter()
                .filter(|o| !e.employments.iter().any(|n| n.id == o.id))
                .map(|o| o.id.clone())
                .collect();
            for id in stale {
                self.employments.remove(&id);
            }
        }
        for job in &e.employments {
            self.employments.put(job.clone());
        }
        let id = e.id.clone();
        self.employees.put(e);
        id
    }
}

pub(crate) struct Shared {
    pub api_key: String,
    pub account_token: String,
    pub requests: AtomicUsize,
    state: Mutex<State>,
}

impl Shared {
    pub fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves consistent data (every write is a
        // single put), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A fake Merge HRIS API for one linked account. Cheap to clone: clones share state, so
/// a test can keep one to change data while another serves it.
#[derive(Clone)]
pub struct FakeMerge {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for FakeMerge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeMerge")
            .field("employees", &self.shared.state().employees.len())
            .field("requests", &self.request_count())
            .finish_non_exhaustive()
    }
}

impl FakeMerge {
    /// An empty fake that accepts exactly this API key and linked-account token.
    pub fn new(api_key: &str, account_token: &str) -> Self {
        Self {
            shared: Arc::new(Shared {
                api_key: api_key.to_string(),
                account_token: account_token.to_string(),
                requests: AtomicUsize::new(0),
                state: Mutex::new(State::new()),
            }),
        }
    }

    /// Seeds one company, pay groups, departments / teams / cost centers (as Groups and
    /// Teams), offices in nine cities across US, GB, DE, IE, CA, IN and AU, and `n`
    /// employees with home locations and one or two employments each.
    ///
    /// Deterministic: the same `n` gives the same ids, names and timestamps, and the
    /// first `k` employees of a larger seed are those of a seed of `k`. About 84% are
    /// ACTIVE, 8% INACTIVE (with termination dates) and 8% PENDING; a PENDING
    /// employee's hire and start dates are relative to the fake's clock at seeding time
    /// (hired in the last month, starting in 1–10 weeks), which is the only
    /// clock-dependent part. Seeded `created_at` / `modified_at` lie in 2024–2025.
    /// No seeded employee is deleted. Seeding again replaces the seeded objects.
    pub fn with_employees(self, n: usize) -> Self {
        self.with_employees_pending(n, DEFAULT_PENDING_PERCENT)
    }

    /// [`Self::with_employees`] with about `pending_percent` % of the members (everyone
    /// but the CEO and the department heads) PENDING instead of 8 %, taken from the
    /// ACTIVE share; 8 % stay INACTIVE (so at most 92). Each PENDING employee is a new
    /// hire for the appliance, which opens Complete IT Setup for them: this sizes the
    /// task lists. Names, ids and timestamps do not change with it.
    pub fn with_employees_pending(self, n: usize, pending_percent: u8) -> Self {
        {
            let mut st = self.shared.state();
            data::seed(&mut st, n, pending_percent);
        }
        self
    }

    /// Adds an employee (see [`MergeEmployee`] for what is filled in) and returns its id.
    pub fn add_employee(&self, e: MergeEmployee) -> String {
        let mut st = self.shared.state();
        let now = format_datetime(st.now());
        st.put_employee(e, &now)
    }

    /// Changes an employee as the HR system would and as Merge then records it:
    /// `modified_at` becomes the fake's clock, as does that of each employment that
    /// changed or was added. Returns false (and does nothing) if there is no such
    /// employee.
    pub fn update_employee(&self, id: &str, f: impl FnOnce(&mut MergeEmployee)) -> bool {
        let mut st = self.shared.state();
        let Some(old) = st.employees.get(id).map(|e| e.item.clone()) else {
            return false;
        };
        let now = format_datetime(st.now());
        let mut e = old.clone();
        f(&mut e);
        e.id = old.id.clone();
        e.modified_at = Some(now.clone());
        for job in &mut e.employments {
            match old
                .employments
                .iter()
                .find(|o| !job.id.is_empty() && o.id == job.id)
            {
                Some(before) if before == job => {}
                _ => job.modified_at = Some(now.clone()),
            }
        }
        st.put_employee(e, &now);
        true
    }

    /// Changes `n` employees spread evenly over the list (deleted ones skipped) as an HR
    /// edit would: the job title of each one's current employment (the newest
    /// `effective_date`) gains or loses the suffix [`TOUCH_SUFFIX`], so that
    /// touching twice restores the titles, and `modified_at` of the employee and of
    /// that employment become the fake's clock (see [`Self::update_employee`]).
    /// Returns how many were changed: `n`, or fewer if there are fewer employees.
    pub fn touch_employees(&self, n: usize) -> usize {
        let ids: Vec<String> = {
            let st = self.shared.state();
            st.employees
                .iter()
                .filter(|(_, e)| !e.item.remote_was_deleted)
                .map(|(k, _)| k.1.clone())
                .collect()
        };
        if n == 0 || ids.is_empty() {
            return 0;
        }
        let step = (ids.len() / n).max(1);
        let mut touched = 0;
        for id in ids.iter().step_by(step).take(n) {
            let changed = self.update_employee(id, |e| {
                let current = e
                    .employments
                    .iter_mut()
                    .max_by(|a, b| a.effective_date.cmp(&b.effective_date));
                if let Some(job) = current {
                    let title = job.job_title.take().unwrap_or_default();
                    job.job_title = Some(match title.strip_suffix(TOUCH_SUFFIX) {
                        Some(plain) => plain.to_string(),
                        None => format!("{title}{TOUCH_SUFFIX}"),
                    });
                }
            });
            touched += usize::from(changed);
        }
        touched
    }

    /// Marks an employee deleted in the HR system (`remote_was_deleted = true`), as
    /// Merge's deletion detection does; it is then only listed with
    /// `include_deleted_data=true`.
    pub fn delete_employee(&self, id: &str) -> bool {
        self.update_employee(id, |e| e.remote_was_deleted = true)
    }

    /// A copy of one stored employee.
    pub fn employee(&self, id: &str) -> Option<MergeEmployee> {
        self.shared
            .state()
            .employees
            .get(id)
            .map(|e| e.item.clone())
    }

    /// Ids of all stored employees (deleted ones included), in list order.
    pub fn employee_ids(&self) -> Vec<String> {
        self.shared
            .state()
            .employees
            .iter()
            .map(|(k, _)| k.1.clone())
            .collect()
    }

    /// Adds or replaces a group; returns its id.
    pub fn add_group(&self, g: MergeGroup) -> String {
        self.put(g, |st| &mut st.groups)
    }

    /// Adds or replaces a location; returns its id.
    pub fn add_location(&self, l: MergeLocation) -> String {
        self.put(l, |st| &mut st.locations)
    }

    /// Adds or replaces a team; returns its id.
    pub fn add_team(&self, t: MergeTeam) -> String {
        self.put(t, |st| &mut st.teams)
    }

    /// Adds or replaces a company; returns its id.
    pub fn add_company(&self, c: MergeCompany) -> String {
        self.put(c, |st| &mut st.companies)
    }

    /// Adds or replaces a pay group; returns its id.
    pub fn add_pay_group(&self, p: MergePayGroup) -> String {
        self.put(p, |st| &mut st.pay_groups)
    }

    fn put<T: Model>(
        &self,
        mut item: T,
        coll: impl FnOnce(&mut State) -> &mut Collection<T>,
    ) -> String {
        let mut st = self.shared.state();
        let now = format_datetime(st.now());
        st.complete(&mut item, &now);
        let id = item.id().to_string();
        coll(&mut st).put(item);
        id
    }

    /// Freezes the fake's clock at an RFC 3339 instant (panics if it is not one).
    pub fn set_now(&self, rfc3339: &str) {
        let t = OffsetDateTime::parse(rfc3339, &Rfc3339)
            .unwrap_or_else(|e| panic!("set_now: {rfc3339:?} is not RFC 3339: {e}"));
        self.shared.state().clock = Some(truncate_to_micros(t));
    }

    /// The fake's clock, formatted as Merge formats timestamps.
    pub fn now(&self) -> String {
        format_datetime(self.shared.state().now())
    }

    /// The next request that passes authentication fails with 429 and
    /// `Retry-After: retry_after_secs`. Calls queue up: two calls fail the next two.
    pub fn fail_next_with_429(&self, retry_after_secs: u32) {
        self.shared.state().forced_429.push_back(retry_after_secs);
    }

    /// Requests allowed per account token in any rolling minute; 0 turns the limit off.
    pub fn set_rate_limit_per_minute(&self, n: u32) {
        self.shared.state().rate_limit_per_minute = n;
    }

    /// Forces what `GET /sync-status` reports for one model (`"Employee"`, `"Group"`,
    /// ...): `status` SYNCING | DONE | FAILED | DISABLED | PAUSED | PARTIALLY_SYNCED.
    pub fn set_sync_status(&self, model_name: &str, status: &str, is_initial_sync: bool) {
        self.shared.state().sync_overrides.insert(
            model_name.to_string(),
            SyncOverride {
                status: status.to_string(),
                is_initial_sync,
            },
        );
    }

    /// Requests received by the API's endpoints (`/api/hris/v1/...`), whatever their
    /// outcome: 401s and 429s count too; unknown paths do not.
    pub fn request_count(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// The fake's routes, under `/api/hris/v1/`.
    pub fn router(&self) -> Router {
        routes::router(self.shared.clone())
    }

    /// Binds `127.0.0.1:port` (0 = any free port) and serves on the current tokio
    /// runtime. Returns the origin, e.g. `http://127.0.0.1:41234`, and a handle that
    /// stops the server when dropped. Keep a clone of the fake to change its data
    /// while it serves.
    pub async fn serve(self, port: u16) -> std::io::Result<(String, ServerHandle)> {
        serve_router(self.router(), port).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_and_general_datetime_parsing_agree() {
        for s in [
            "1970-01-01T00:00:00Z",
            "2024-02-29T23:59:59Z",
            "2024-03-01T00:00:00.5Z",
            "2026-11-25T21:43:41.123456Z",
            "1999-12-31T12:00:00.000001Z",
        ] {
            let general = OffsetDateTime::parse(s, &Rfc3339)
                .unwrap()
                .unix_timestamp_nanos();
            assert_eq!(parse_utc_fast(s), Some(general), "{s}");
        }
        assert_eq!(parse_utc_fast("2023-02-29T00:00:00Z"), None);
        assert_eq!(parse_datetime("2023-02-29T00:00:00Z"), None);
        assert_eq!(
            parse_datetime("2024-03-01T01:00:00+01:00"),
            parse_datetime("2024-03-01T00:00:00Z")
        );
        assert_eq!(
            parse_datetime("2024-03-01"),
            parse_datetime("2024-03-01T00:00:00Z")
        );
        assert_eq!(
            parse_datetime("2024-03-01T00:00:00"),
            parse_datetime("2024-03-01T00:00:00Z")
        );
        assert_eq!(parse_datetime("2024-03-01T00:00:00 00:00"), None);
    }

    #[test]
    fn formatting_round_trips() {
        let t = OffsetDateTime::parse("2026-11-25T21:43:41.123456Z", &Rfc3339).unwrap();
        assert_eq!(format_datetime(t), "2026-11-25T21:43:41.123456Z");
        let t = OffsetDateTime::parse("2024-03-01T02:00:00+02:00", &Rfc3339).unwrap();
        assert_eq!(format_datetime(t), "2024-03-01T00:00:00Z");
    }
}
