//! A fake of TriNet's own API (`https://api.trinet.com`), as TriNet HR Plus customers
//! reach it with the Company ID, Client ID and Client Secret from TriNet's Integration
//! Center.
//!
//! Documented by TriNet (apidocs.trinet.com), and followed here:
//! - `GET /oauth/accesstoken?grant_type=client_credentials` with
//!   `Authorization: Basic base64(clientId:clientSecret)` answers Apigee's token record:
//!   `access_token`, `token_type: "BearerToken"`, `expires_in: "3599"` (a string),
//!   `issued_at` (milliseconds, a string), `client_id`, `scope`, `status: "approved"`...
//!   (POST is accepted too, as some clients use it.)
//! - `GET /v1/company/{companyId}/employees` with `Authorization: Bearer <token>`, in the
//!   basic view (`employmentInfo {..., supervisorId, departmentId, locationId}`) or with
//!   `viewType=All` (`terminationDate`, and nested `department {deptId, deptName}`,
//!   `location {locationId, locationName}`, `supervisor {supervisorId, supervisorName}`).
//!   `employmentStatus` is a PeopleSoft payroll status letter: A Active, D Deceased,
//!   L Leave of Absence, P Leave With Pay, S Suspended, T Terminated, U Terminated With Pay.
//! - Also `GET .../employees/{employeeId}`, `.../departments` and `.../locations`.
//!
//! Not in TriNet's public docs; taken from clients of the live API, or assumed:
//! - The version segment is `v1`; `names[].nameType` is `PRI` / `PRF` (the docs' template
//!   says `primary#preferred`).
//! - Lists of employees are `{"data": {"employeeData": [...], "hasMore": bool}}`, paged
//!   with `limit` (default and maximum 100 here) and `offset` (records to skip, from 0).
//!   Ordered by `employeeId`. A `limit` or `offset` that is not a number gives 400
//!   `{"message": ...}`. `employmentStatus=A,L` filters by letter.
//! - Departments and locations are `{"data": [...]}` with `deptId`/`deptName` and
//!   `locationId`/`locationName`/`address1`/`city`/`state`/`postalCode`/`country`
//!   (ISO alpha-3, as PeopleSoft keeps it).
//! - Errors are Apigee's: `{"fault": {"faultstring": ..., "detail": {"errorcode": ...}}}`
//!   from the gateway (401 for a missing, unknown, expired or revoked token; 403 when the
//!   token's client is not granted the company in the path; 429 with `Retry-After`), and
//!   `{"ErrorCode": ..., "Error": ...}` from the token endpoint (401 for unknown client or
//!   wrong secret, 400 for a missing or other grant type).
//!
//! New hires: TriNet publishes a new hire on the hire date, or earlier (status `A`, start
//! ahead) when the customer sets an early-access date. The seed has such "pending" hires;
//! there is no pending letter. Terminations show only after the final paycheck, so seeded
//! terminations lie in the past.
//!
//! Clock: token lifetimes and the start dates of seeded pending hires follow the fake's
//! clock, the real UTC clock until [`FakeTriNet::set_now`] freezes it.

mod data;
mod routes;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::server::{ServerHandle, serve_router};

/// The lifetime TriNet gives access tokens, in seconds.
pub const DEFAULT_TOKEN_EXPIRES_IN: u32 = 3599;
/// The default and largest `limit` of the employee list.
pub const MAX_LIMIT: usize = 100;

/// One entry of an employee's `names`. `name_type` is `PRI` (primary) or `PRF`
/// (preferred); dates are `yyyy-mm-dd`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TriNetName {
    pub first_name: String,
    pub last_name: String,
    pub middle_name: Option<String>,
    pub name_type: String,
    pub effective_date: Option<String>,
}

/// An employee as the fake stores it. `department_id` and `location_id` refer to
/// [`TriNetDepartment`] and [`TriNetLocation`] ids, `supervisor_id` to another
/// employee's `employee_id`. `employment_status` is the status letter (see the module
/// docs); empty is sent as `null`. Dates are `yyyy-mm-dd`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TriNetEmployee {
    pub employee_id: String,
    pub names: Vec<TriNetName>,
    pub employment_status: String,
    pub business_title: Option<String>,
    pub job_code: Option<String>,
    /// `fulltime` or `parttime`.
    pub employee_type: Option<String>,
    /// FLSA code: `N` non-exempt, `Z` exempt...
    pub flsa_code: Option<String>,
    pub supervisor_id: Option<String>,
    pub work_email: Option<String>,
    pub work_phone: Option<String>,
    pub department_id: Option<String>,
    pub location_id: Option<String>,
    pub pay_group: Option<String>,
    pub custom_group_a: Option<String>,
    pub custom_group_b: Option<String>,
    /// The service (hire) date.
    pub service_date: Option<String>,
    /// When the current job record took effect.
    pub effective_date: Option<String>,
    pub termination_date: Option<String>,
}

impl TriNetEmployee {
    /// The newest `PRI` name.
    pub fn primary_name(&self) -> Option<&TriNetName> {
        self.name_of("PRI")
    }

    /// The newest `PRF` name.
    pub fn preferred_name(&self) -> Option<&TriNetName> {
        self.name_of("PRF")
    }

    fn name_of(&self, kind: &str) -> Option<&TriNetName> {
        self.names
            .iter()
            .filter(|n| n.name_type == kind)
            .max_by(|a, b| a.effective_date.cmp(&b.effective_date))
    }
}

/// A department.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TriNetDepartment {
    pub id: String,
    pub name: String,
}

/// A work location; `country` is ISO 3166-1 alpha-3 (`USA`, `GBR`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TriNetLocation {
    pub id: String,
    pub name: String,
    pub address1: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
}

/// An access token the fake issued.
pub(crate) struct Token {
    pub issued_at: OffsetDateTime,
    pub expires_in: u32,
}

pub(crate) struct State {
    /// `None`: the real clock.
    clock: Option<OffsetDateTime>,
    pub employees: BTreeMap<String, TriNetEmployee>,
    pub departments: BTreeMap<String, TriNetDepartment>,
    pub locations: BTreeMap<String, TriNetLocation>,
    pub tokens: HashMap<String, Token>,
    pub token_expires_in: u32,
    pub forced_429: VecDeque<u32>,
    pub employee_offsets: Vec<usize>,
    next_token: u64,
}

impl State {
    fn new() -> Self {
        Self {
            clock: None,
            employees: BTreeMap::new(),
            departments: BTreeMap::new(),
            locations: BTreeMap::new(),
            tokens: HashMap::new(),
            token_expires_in: DEFAULT_TOKEN_EXPIRES_IN,
            forced_429: VecDeque::new(),
            employee_offsets: Vec::new(),
            next_token: 0,
        }
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.unwrap_or_else(OffsetDateTime::now_utc)
    }

    /// Issues a token (28 letters and digits, like Apigee's) valid from now.
    pub fn issue_token(&mut self) -> (String, &Token) {
        self.next_token += 1;
        let mut x = data::mix(self.next_token ^ 0x70CE_4000);
        let mut token = String::with_capacity(28);
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for i in 0..28 {
            if i % 10 == 0 {
                x = data::mix(x ^ i as u64);
            }
            token.push(ALPHABET[(x % 62) as usize] as char);
            x /= 62;
        }
        let t = Token {
            issued_at: self.now(),
            expires_in: self.token_expires_in,
        };
        self.tokens.insert(token.clone(), t);
        (token.clone(), &self.tokens[&token])
    }

    /// The id after the largest numeric one, zero-padded to 8 digits.
    fn next_employee_id(&self) -> String {
        let max = self
            .employees
            .keys()
            .filter_map(|k| k.parse::<u64>().ok())
            .max()
            .unwrap_or(data::FIRST_EMPLOYEE_ID - 1);
        format!("{:08}", max + 1)
    }
}

pub(crate) struct Shared {
    pub company_id: String,
    pub client_id: String,
    pub client_secret: String,
    pub requests: AtomicUsize,
    pub token_requests: AtomicUsize,
    state: Mutex<State>,
}

impl Shared {
    pub fn state(&self) -> MutexGuard<'_, State> {
        // Every write is a single insert, so a poisoned lock still holds consistent data.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A fake TriNet API for one company and one integration's client credentials. Cheap to
/// clone: clones share state, so a test can keep one to change data while another serves.
#[derive(Clone)]
pub struct FakeTriNet {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for FakeTriNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeTriNet")
            .field("company_id", &self.shared.company_id)
            .field("employees", &self.shared.state().employees.len())
            .field("requests", &self.request_count())
            .field("token_requests", &self.token_request_count())
            .finish_non_exhaustive()
    }
}

impl FakeTriNet {
    /// An empty fake for company `company_id` that issues tokens to exactly this client.
    pub fn new(company_id: &str, client_id: &str, client_secret: &str) -> Self {
        Self {
            shared: Arc::new(Shared {
                company_id: company_id.to_string(),
                client_id: client_id.to_string(),
                client_secret: client_secret.to_string(),
                requests: AtomicUsize::new(0),
                token_requests: AtomicUsize::new(0),
                state: Mutex::new(State::new()),
            }),
        }
    }

    /// Seeds eight departments, eight locations (seven in the US, one in London) and `n`
    /// employees with ids `00100001`, `00100002`, ...: a CEO, seven department heads
    /// reporting to the CEO, everyone else reporting to their department's head.
    ///
    /// Deterministic: the same `n` gives the same records, and the first `k` employees
    /// of a larger seed are those of a seed of `k`. From the ninth employee on, of every
    /// 20: two terminated (`T`) and one terminated with pay (`U`), all with a termination
    /// date; one early-published new hire (`A`, service date 1–10 weeks after the fake's
    /// clock at seeding time, the only clock-dependent part); one each on leave (`L`),
    /// on paid leave (`P`) and suspended (`S`); the rest active (`A`). About one in 97 is
    /// deceased (`D`). About one in eight goes by a preferred name (a `PRF` name).
    /// Seeding again replaces everything seeded or added before.
    pub fn with_employees(self, n: usize) -> Self {
        {
            let mut st = self.shared.state();
            let today = st.now().date();
            data::seed(&mut st, n, today);
        }
        self
    }

    /// Adds (or replaces) an employee and returns its id; an empty `employee_id` gets the
    /// next free one.
    pub fn add_employee(&self, mut e: TriNetEmployee) -> String {
        let mut st = self.shared.state();
        if e.employee_id.is_empty() {
            e.employee_id = st.next_employee_id();
        }
        let id = e.employee_id.clone();
        st.employees.insert(id.clone(), e);
        id
    }

    /// Changes an employee; returns false (and does nothing) if there is no such one.
    /// The id stays what it was.
    pub fn update_employee(&self, id: &str, f: impl FnOnce(&mut TriNetEmployee)) -> bool {
        let mut st = self.shared.state();
        let Some(e) = st.employees.get_mut(id) else {
            return false;
        };
        f(e);
        e.employee_id = id.to_string();
        true
    }

    /// A copy of one employee.
    pub fn employee(&self, id: &str) -> Option<TriNetEmployee> {
        self.shared.state().employees.get(id).cloned()
    }

    /// All employee ids, in list order.
    pub fn employee_ids(&self) -> Vec<String> {
        self.shared.state().employees.keys().cloned().collect()
    }

    /// Adds or replaces a department.
    pub fn add_department(&self, d: TriNetDepartment) {
        self.shared.state().departments.insert(d.id.clone(), d);
    }

    /// Adds or replaces a location.
    pub fn add_location(&self, l: TriNetLocation) {
        self.shared.state().locations.insert(l.id.clone(), l);
    }

    /// A copy of one department.
    pub fn department(&self, id: &str) -> Option<TriNetDepartment> {
        self.shared.state().departments.get(id).cloned()
    }

    /// A copy of one location.
    pub fn location(&self, id: &str) -> Option<TriNetLocation> {
        self.shared.state().locations.get(id).cloned()
    }

    /// Freezes the fake's clock at an RFC 3339 instant (panics if it is not one).
    pub fn set_now(&self, rfc3339: &str) {
        let t = OffsetDateTime::parse(rfc3339, &Rfc3339)
            .unwrap_or_else(|e| panic!("set_now: {rfc3339:?} is not RFC 3339: {e}"));
        self.shared.state().clock = Some(t);
    }

    /// The fake's clock, RFC 3339.
    pub fn now(&self) -> String {
        self.shared
            .state()
            .now()
            .format(&Rfc3339)
            .unwrap_or_default()
    }

    /// The `expires_in` of tokens issued from now on (default 3599 s).
    pub fn set_token_expires_in(&self, secs: u32) {
        self.shared.state().token_expires_in = secs;
    }

    /// Invalidates every token issued so far, as TriNet does when the integration is
    /// disconnected and connected again: they get 401 from then on.
    pub fn revoke_tokens(&self) {
        self.shared.state().tokens.clear();
    }

    /// The next API request that passes authentication fails with 429 and
    /// `Retry-After: retry_after_secs`. Calls queue up. The token endpoint is not affected.
    pub fn fail_next_with_429(&self, retry_after_secs: u32) {
        self.shared.state().forced_429.push_back(retry_after_secs);
    }

    /// Requests to the API (`/v1/...`), whatever their outcome; token requests excluded.
    pub fn request_count(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// Requests to the token endpoint, whatever their outcome.
    pub fn token_request_count(&self) -> usize {
        self.shared.token_requests.load(Ordering::SeqCst)
    }

    /// The `offset` of every employee list that was answered (200), in order.
    pub fn employee_list_offsets(&self) -> Vec<usize> {
        self.shared.state().employee_offsets.clone()
    }

    /// The fake's routes: `/oauth/accesstoken` and `/v1/company/{companyId}/...`.
    pub fn router(&self) -> Router {
        routes::router(self.shared.clone())
    }

    /// Binds `127.0.0.1:port` (0 = any free port) and serves on the current tokio
    /// runtime. Returns the origin, e.g. `http://127.0.0.1:41234`, and a handle that stops
    /// the server when dropped. Keep a clone of the fake to change its data while it serves.
    pub async fn serve(self, port: u16) -> std::io::Result<(String, ServerHandle)> {
        serve_router(self.router(), port).await
    }
}
