//! A fake of a Fleet server's REST API (`https://<fleet>/api/v1/fleet`, also served
//! under `/api/latest/fleet`): its hosts, and the Premium MDM actions lock, unlock and
//! wipe.
//!
//! Documented by Fleet (fleetdm.com/docs/rest-api), and followed here:
//! - Auth: `Authorization: Bearer <API token>`; missing or wrong → 401
//!   `{"message": "Authentication required", "errors": [{"name": "base", "reason": ...}]}`
//!   (every error has that shape).
//! - `GET /hosts?page=&per_page=&query=&device_mapping=true` → `{"hosts": [...]}`,
//!   `page` counting from 0; `query` searches hostname, serial number, UUID and the
//!   owner's email. Each host: `id`, `uuid`, `hostname`, `computer_name`,
//!   `hardware_serial`, `hardware_model`, `platform` (`darwin`, `windows`, `ubuntu`),
//!   `mdm {enrollment_status ("On (automatic)", "On (manual)" or null), name: "Fleet",
//!   ...}` and, with `device_mapping=true`, `device_mapping: [{email, source}]` (or
//!   null).
//! - `GET /hosts/{id}` and `GET /hosts/identifier/{serial | uuid | hostname}` →
//!   `{"host": {...}}`: the list's fields plus `end_users: [{idp_username, ...}]` and
//!   the lock/wipe state under `mdm`: `device_status` (`unlocked|locked|wiped`) and
//!   `pending_action` (`""|lock|unlock|wipe`), which only these endpoints show. Unknown
//!   → 404 `"Resource Not Found"`.
//! - `GET /hosts/{id}/device_mapping` → `{"host_id", "device_mapping": [{email,
//!   source}]}`.
//! - `POST /hosts/{id}/lock[?view_pin=true]` → 200 `{"device_status": "unlocked",
//!   "pending_action": "lock"}` (plus `unlock_pin` for a Mac with `view_pin=true`);
//!   `POST /hosts/{id}/unlock` → 200 `{"host_id", "device_status", "pending_action":
//!   "unlock"}` (plus the Mac's `unlock_pin`); `POST /hosts/{id}/wipe` → 200
//!   `{"device_status", "pending_action": "wipe"}`. Without Fleet Premium → 402
//!   "Requires Fleet Premium license". A host without MDM, or with an action pending,
//!   → 422 `"Validation Failed"` (`errors[0].name` = `host_id`, Fleet's reason such as
//!   "Host has pending lock request. ..."); locking a locked host or wiping a wiped one
//!   → 409; wiping a locked host → 422 "Host cannot be wiped until it is unlocked.".
//!   Actions queue until the device comes online: [`FakeFleet::complete_pending`], or
//!   by themselves with [`FakeFleet::with_auto_complete`].
//!
//! Assumed rather than read in Fleet's docs: `per_page` defaults to 100 here; the list
//! is always in id order (`order_key` is ignored); the 409 reasons' wording; the
//! device-mapping `source` of the owner (`mdm_idp_accounts`).

mod actions;
mod errors;
mod hosts;
mod routes;
mod state;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::server::{ServerHandle, serve_router};
use state::{Shared, State};

/// A host to add to the fake ([`FakeFleet::add_host`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetHost {
    pub serial: String,
    pub hostname: String,
    pub model: String,
    /// `darwin`, `windows` or `ubuntu`.
    pub platform: String,
    /// The end user's (IdP) email: the host details' `end_users[].idp_username` and
    /// its device mapping.
    pub owner_email: Option<String>,
    /// Enrolled in Fleet's MDM (else lock and wipe answer 422).
    pub mdm: bool,
}

impl FleetHost {
    /// A MacBook Pro enrolled in MDM, named after its owner (or its serial).
    pub fn mac(serial: &str, owner_email: Option<&str>) -> Self {
        let who = owner_email
            .and_then(|e| e.split('@').next())
            .unwrap_or(serial);
        Self {
            serial: serial.to_string(),
            hostname: format!("{who}-macbook-pro"),
            model: "MacBookPro18,3".into(),
            platform: "darwin".into(),
            owner_email: owner_email.map(str::to_string),
            mdm: true,
        }
    }

    /// A Windows laptop enrolled in MDM.
    pub fn windows(serial: &str, owner_email: Option<&str>) -> Self {
        Self {
            hostname: format!("DESKTOP-{serial}"),
            model: "ThinkPad X1 Carbon Gen 11".into(),
            platform: "windows".into(),
            ..Self::mac(serial, owner_email)
        }
    }

    /// The same host, not enrolled in MDM (osquery only).
    pub fn without_mdm(self) -> Self {
        Self { mdm: false, ..self }
    }
}

/// Where a host stands ([`FakeFleet::host`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetHostState {
    pub id: u64,
    pub serial: String,
    /// `unlocked`, `locked` or `wiped`.
    pub device_status: String,
    /// `""`, `lock`, `unlock` or `wipe`.
    pub pending_action: String,
    /// A Mac's unlock PIN while it is locked or being locked.
    pub unlock_pin: Option<String>,
    /// Lock, unlock and wipe requests Fleet accepted.
    pub lock_count: usize,
    pub unlock_count: usize,
    pub wipe_count: usize,
}

/// A fake Fleet server with one API token. Cheap to clone: clones share state, so a
/// test keeps one to look at and change the hosts while another serves.
#[derive(Clone)]
pub struct FakeFleet {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for FakeFleet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let st = self.shared.state();
        f.debug_struct("FakeFleet")
            .field("hosts", &st.hosts.len())
            .field("premium", &st.premium)
            .finish_non_exhaustive()
    }
}

impl FakeFleet {
    /// A Fleet Premium server with no hosts, accepting `api_token`.
    pub fn new(api_token: &str) -> Self {
        Self {
            shared: Arc::new(Shared::new(State::new(api_token))),
        }
    }

    /// Fleet Premium (default) or the free licence, under which lock, unlock and wipe
    /// answer 402.
    pub fn with_premium(self, premium: bool) -> Self {
        self.shared.state().premium = premium;
        self
    }

    /// Queued actions complete by themselves `after` they were sent, as if every
    /// device came online then.
    pub fn with_auto_complete(self, after: Duration) -> Self {
        self.shared.state().auto_complete = Some(after);
        self
    }

    /// Adds `n` Macs owned by `user0001@<domain>`, ... (serials `C02FLEET0001`, ...).
    pub fn with_hosts(self, n: usize, domain: &str) -> Self {
        for i in 1..=n {
            self.add_host(FleetHost::mac(
                &format!("C02FLEET{i:04}"),
                Some(&format!("user{i:04}@{domain}")),
            ));
        }
        self
    }

    /// Adds a host, unlocked with nothing pending, and returns its id (from 1 up).
    pub fn add_host(&self, h: FleetHost) -> u64 {
        self.shared.state().add(h)
    }

    /// A host by id, serial number, UUID or hostname (case-insensitive).
    pub fn host(&self, id_or_serial: &str) -> Option<FleetHostState> {
        let mut st = self.shared.state();
        st.settle(Instant::now());
        st.host_mut(id_or_serial).map(|h| FleetHostState {
            id: h.id,
            serial: h.spec.serial.clone(),
            device_status: h.device_status.to_string(),
            pending_action: h.pending_action().to_string(),
            unlock_pin: h.unlock_pin.clone(),
            lock_count: h.lock_count,
            unlock_count: h.unlock_count,
            wipe_count: h.wipe_count,
        })
    }

    /// The device comes online and runs its queued action (lock → `locked`, unlock →
    /// `unlocked`, wipe → `wiped`). Nothing queued, or no such host: nothing happens.
    pub fn complete_pending(&self, id_or_serial: &str) {
        if let Some(h) = self.shared.state().host_mut(id_or_serial) {
            h.complete_pending();
        }
    }

    /// Sets a host's MDM enrollment (turned off: lock and wipe answer 422).
    pub fn set_mdm(&self, id_or_serial: &str, enrolled: bool) {
        if let Some(h) = self.shared.state().host_mut(id_or_serial) {
            h.spec.mdm = enrolled;
        }
    }

    /// API calls answered so far (refused ones included).
    pub fn request_count(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    fn router(&self) -> axum::Router {
        routes::router(self.shared.clone())
    }

    /// Serves on `127.0.0.1:port` (0: a free port). Returns the origin, e.g.
    /// `http://127.0.0.1:41234` (the `base_url`), and the server, stopped when dropped.
    pub async fn serve(self, port: u16) -> std::io::Result<(String, ServerHandle)> {
        serve_router(self.router(), port).await
    }
}
