//! What the Google fake holds: the customer's directory, data transfers, the service
//! account it trusts, issued tokens, and the knobs tests turn.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use super::jwt::ServiceAccount;
use super::{GoogleGroup, GoogleTransfer, GoogleUser};
use crate::limits::{Faults, RateLimit};
use crate::rng::Rng;

/// An access token the fake issued.
pub(crate) struct Token {
    /// The user the service account acts as (`sub`), if any.
    pub subject: Option<String>,
    pub scopes: Vec<String>,
    pub expires: OffsetDateTime,
}

pub(crate) struct State {
    pub domain: String,
    pub secondary_domains: Vec<String>,
    pub customer_id: String,
    /// Users by lower-cased primary email: the list order.
    pub users: BTreeMap<String, GoogleUser>,
    /// Groups by lower-cased email.
    pub groups: BTreeMap<String, GoogleGroup>,
    /// Data transfers in the order they were requested, with when.
    pub transfers: Vec<(GoogleTransfer, Instant)>,
    /// `None`: the key was deleted; no assertion verifies.
    pub service_account: Option<ServiceAccount>,
    /// The only `aud` assertions may carry; `None`: Google's token URL or
    /// `http://<Host>/token`.
    pub token_audience: Option<String>,
    /// Scopes domain-wide delegation grants the service account.
    pub delegated_scopes: Vec<String>,
    pub tokens: HashMap<String, Token>,
    pub token_expires_in: u32,
    pub faults: Faults,
    pub rate_limit: RateLimit,
    pub transfer_polls: u32,
    pub transfer_delay: Duration,
    ids: Rng,
}

/// The seed of ids and of the fault sequence unless a test picks another.
pub(crate) const DEFAULT_SEED: u64 = 2006;

impl State {
    pub fn new(domain: &str, service_account: ServiceAccount) -> Self {
        Self {
            domain: domain.to_ascii_lowercase(),
            secondary_domains: Vec::new(),
            customer_id: "C03tnr7dm".into(),
            users: BTreeMap::new(),
            groups: BTreeMap::new(),
            transfers: Vec::new(),
            service_account: Some(service_account),
            token_audience: None,
            delegated_scopes: super::scopes::ALL.iter().map(|s| s.to_string()).collect(),
            tokens: HashMap::new(),
            token_expires_in: super::DEFAULT_TOKEN_EXPIRES_IN,
            faults: Faults::new(0.0, DEFAULT_SEED),
            rate_limit: RateLimit::new(0, Duration::from_secs(100)),
            transfer_polls: 1,
            transfer_delay: Duration::ZERO,
            ids: Rng::new(DEFAULT_SEED, 0x600_61E0),
        }
    }

    /// A directory id: 21 digits, as Google's are.
    pub fn numeric_id(&mut self) -> String {
        format!(
            "1{:010}{:010}",
            self.ids.below(10_000_000_000),
            self.ids.below(10_000_000_000)
        )
    }

    /// An opaque id (data transfers, tokens).
    pub fn opaque_id(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        (0..len)
            .map(|_| ALPHABET[self.ids.below(ALPHABET.len() as u64) as usize] as char)
            .collect()
    }

    /// Whether the customer owns the domain of an address.
    pub fn owns(&self, email: &str) -> bool {
        email.rsplit_once('@').is_some_and(|(_, d)| {
            d.eq_ignore_ascii_case(&self.domain)
                || self
                    .secondary_domains
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(d))
        })
    }

    /// The key of a user by `userKey`: id, primary email or alias, case-insensitive.
    pub fn user_key(&self, key: &str) -> Option<String> {
        let lower = key.to_ascii_lowercase();
        if self.users.contains_key(&lower) {
            return Some(lower);
        }
        self.users
            .iter()
            .find(|(_, u)| u.id == key || u.aliases.iter().any(|a| a.eq_ignore_ascii_case(key)))
            .map(|(k, _)| k.clone())
    }

    pub fn user(&self, key: &str) -> Option<&GoogleUser> {
        self.user_key(key).map(|k| &self.users[&k])
    }

    /// The key of a group by `groupKey`: id or email, case-insensitive.
    pub fn group_key(&self, key: &str) -> Option<String> {
        let lower = key.to_ascii_lowercase();
        if self.groups.contains_key(&lower) {
            return Some(lower);
        }
        self.groups
            .iter()
            .find(|(_, g)| g.id == key)
            .map(|(k, _)| k.clone())
    }

    /// Whether an address is taken by a user (primary or alias) or a group.
    pub fn address_taken(&self, email: &str) -> bool {
        self.user_key(email).is_some() || self.group_key(email).is_some()
    }
}

/// What the routes share: the state and the request counters.
pub(crate) type Shared = crate::shared::Shared<State>;
