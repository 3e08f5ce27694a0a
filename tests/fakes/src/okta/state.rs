//! What the Okta fake holds: users, groups, the API token, service apps and the tokens
//! issued to them, and the rate-limit and fault knobs.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};

use time::OffsetDateTime;

use super::{OktaGroup, OktaUser};
use crate::limits::Faults;
use crate::rng::{Rng, mix};

/// The seed of ids and of the fault sequence unless a test picks another.
pub(crate) const DEFAULT_SEED: u64 = 0x0C7A;

/// A service app allowed to get tokens with a signed client assertion.
pub(crate) struct ServiceApp {
    /// DER `RSAPublicKey` of the app's registered key.
    pub public_key: Vec<u8>,
    pub scopes: Vec<String>,
}

/// An issued access token.
pub(crate) struct Token {
    pub scopes: Vec<String>,
    pub expires: OffsetDateTime,
}

/// A fixed-window request counter, as Okta's per-minute buckets: the window starts at
/// the first request and `X-Rate-Limit-Reset` is its end (Unix seconds).
pub(crate) struct Bucket {
    /// Requests allowed per window; 0: no limit (the headers still say
    /// [`super::DEFAULT_RATE_LIMIT`]).
    pub limit: u32,
    pub window_secs: i64,
    start: i64,
    used: u32,
}

impl Bucket {
    pub fn new(limit: u32, window_secs: u64) -> Self {
        Self {
            limit,
            window_secs: i64::try_from(window_secs.max(1)).unwrap_or(60),
            start: 0,
            used: 0,
        }
    }

    /// Counts one request at `now`: `(admitted, limit, remaining, reset)` for the headers.
    pub fn admit(&mut self, now: i64) -> (bool, u32, u32, i64) {
        if now >= self.start + self.window_secs {
            self.start = now;
            self.used = 0;
        }
        let reset = self.start + self.window_secs;
        if self.limit == 0 {
            return (
                true,
                super::DEFAULT_RATE_LIMIT,
                super::DEFAULT_RATE_LIMIT,
                reset,
            );
        }
        if self.used >= self.limit {
            return (false, self.limit, 0, reset);
        }
        self.used += 1;
        (true, self.limit, self.limit - self.used, reset)
    }
}

pub(crate) struct State {
    pub api_token: String,
    /// Users by a sequence number that is their list order.
    pub users: BTreeMap<u64, OktaUser>,
    pub groups: BTreeMap<u64, OktaGroup>,
    pub apps: HashMap<String, ServiceApp>,
    pub tokens: HashMap<String, Token>,
    /// `jti`s of client assertions already used.
    pub used_jti: HashSet<String>,
    pub bucket: Bucket,
    pub faults: Faults,
    next_seq: u64,
    ids: Rng,
}

impl State {
    pub fn new(api_token: &str) -> Self {
        Self {
            api_token: api_token.to_string(),
            users: BTreeMap::new(),
            groups: BTreeMap::new(),
            apps: HashMap::new(),
            tokens: HashMap::new(),
            used_jti: HashSet::new(),
            bucket: Bucket::new(0, 60),
            faults: Faults::new(0.0, DEFAULT_SEED),
            next_seq: 0,
            ids: Rng::new(DEFAULT_SEED, 0x0C7A_0001),
        }
    }

    pub fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// An Okta-style id: `prefix` (`00u` users, `00g` groups) and 17 characters.
    pub fn id(&mut self, prefix: &str) -> String {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        let mut id = prefix.to_string();
        for _ in 0..17 {
            id.push(char::from(*self.ids.pick(ALPHABET)));
        }
        id
    }

    /// An opaque random string (tokens).
    pub fn opaque(&mut self, len: usize) -> String {
        let mut s = self.id("");
        while s.len() < len {
            s.push_str(&self.id(""));
        }
        s.truncate(len);
        s
    }

    /// A user by id or login (case-insensitive), as `/api/v1/users/{id}` resolves it.
    pub fn user_seq(&self, key: &str) -> Option<u64> {
        self.users
            .iter()
            .find(|(_, u)| u.id == key || u.login().eq_ignore_ascii_case(key))
            .map(|(k, _)| *k)
    }

    pub fn user(&self, key: &str) -> Option<&OktaUser> {
        self.user_seq(key).map(|k| &self.users[&k])
    }

    pub fn user_mut(&mut self, key: &str) -> Option<&mut OktaUser> {
        let k = self.user_seq(key)?;
        self.users.get_mut(&k)
    }

    pub fn group_seq(&self, key: &str) -> Option<u64> {
        self.groups
            .iter()
            .find(|(_, g)| g.id == key)
            .map(|(k, _)| *k)
    }

    pub fn group_mut(&mut self, key: &str) -> Option<&mut OktaGroup> {
        let k = self.group_seq(key)?;
        self.groups.get_mut(&k)
    }
}

/// What the routes share: the state and the request counters.
pub(crate) type Shared = crate::shared::Shared<State>;

/// Unix seconds now.
pub(crate) fn now_unix() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Okta's timestamps: `2025-01-01T00:00:00.000Z`.
pub(crate) fn timestamp(t: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// A short unique id for error and request ids.
pub(crate) fn short_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("{:016x}", mix(NEXT.fetch_add(1, Ordering::Relaxed)))
}
