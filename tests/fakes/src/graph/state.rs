//! What the Graph fake holds: the directory (users, groups), the tenant's subscriptions,
//! issued tokens, and the knobs tests turn.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::AtomicUsize;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use time::OffsetDateTime;

use super::{GraphGroup, GraphSku, GraphUser};
use crate::ids;
use crate::limits::{Faults, RateLimit};
use crate::rng::Rng;

pub(crate) struct State {
    pub client_id: String,
    pub client_secret: String,
    /// Users by a sequence number that is their list order.
    pub users: BTreeMap<u64, GraphUser>,
    pub groups: BTreeMap<u64, GraphGroup>,
    pub skus: Vec<GraphSku>,
    /// Access token → when it expires.
    pub tokens: HashMap<String, OffsetDateTime>,
    pub token_expires_in: u32,
    /// Domains a user principal name may end in; empty: any.
    pub verified_domains: Vec<String>,
    pub faults: Faults,
    pub rate_limit: RateLimit,
    next_seq: u64,
    next_rule: u32,
    ids: Rng,
}

/// The seed of the ids and of the fault sequence unless a test picks another.
pub(crate) const DEFAULT_SEED: u64 = 365;

impl State {
    pub fn new(client_id: &str, client_secret: &str) -> Self {
        Self {
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            users: BTreeMap::new(),
            groups: BTreeMap::new(),
            skus: Vec::new(),
            tokens: HashMap::new(),
            token_expires_in: super::DEFAULT_TOKEN_EXPIRES_IN,
            verified_domains: Vec::new(),
            faults: Faults::new(0.0, DEFAULT_SEED),
            rate_limit: RateLimit::new(0, Duration::from_secs(10)),
            next_seq: 0,
            next_rule: 0,
            ids: Rng::new(DEFAULT_SEED, 0x6EA9_0001),
        }
    }

    pub fn guid(&mut self) -> String {
        ids::guid(&mut self.ids)
    }

    pub fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// An Exchange-style rule id (`AQAAAJ5dZqA=`).
    pub fn next_rule_id(&mut self) -> String {
        use base64::Engine as _;
        self.next_rule += 1;
        let mut raw = vec![1u8, 0, 0, 0];
        raw.extend_from_slice(&(0x9E5D_6600 + self.next_rule).to_be_bytes());
        base64::engine::general_purpose::STANDARD.encode(raw)
    }

    /// A user by id or user principal name (case-insensitive), as Graph resolves
    /// `/users/{id | userPrincipalName}`.
    pub fn user_seq(&self, key: &str) -> Option<u64> {
        self.users
            .iter()
            .find(|(_, u)| u.id == key || u.user_principal_name.eq_ignore_ascii_case(key))
            .map(|(k, _)| *k)
    }

    pub fn user(&self, key: &str) -> Option<&GraphUser> {
        self.user_seq(key).map(|k| &self.users[&k])
    }

    pub fn user_mut(&mut self, key: &str) -> Option<&mut GraphUser> {
        let k = self.user_seq(key)?;
        self.users.get_mut(&k)
    }

    pub fn group_seq(&self, id: &str) -> Option<u64> {
        self.groups
            .iter()
            .find(|(_, g)| g.id == id)
            .map(|(k, _)| *k)
    }

    /// Seats of a SKU taken by users.
    pub fn consumed(&self, sku_id: &str) -> u32 {
        self.users
            .values()
            .filter(|u| u.licenses.iter().any(|l| l.sku_id == sku_id))
            .count() as u32
    }

    pub fn sku(&self, sku_id: &str) -> Option<&GraphSku> {
        self.skus
            .iter()
            .find(|s| s.sku_id.eq_ignore_ascii_case(sku_id))
    }
}

pub(crate) struct Shared {
    pub tenant: String,
    /// The tenant's GUID, also accepted in token URLs in place of `tenant`.
    pub tenant_id: String,
    pub requests: AtomicUsize,
    pub token_requests: AtomicUsize,
    state: Mutex<State>,
}

impl Shared {
    pub fn new(tenant: &str, tenant_id: String, state: State) -> Self {
        Self {
            tenant: tenant.to_string(),
            tenant_id,
            requests: AtomicUsize::new(0),
            token_requests: AtomicUsize::new(0),
            state: Mutex::new(state),
        }
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        // Every change is made whole under the lock, so a poisoned lock still holds
        // consistent data.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}
