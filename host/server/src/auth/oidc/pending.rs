//! Sign-ins under way: what the callback must find again (the nonce, the PKCE verifier,
//! the browser's binding token, where to go afterwards), keyed by `state`, for ten
//! minutes at most, bounded in all and per address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a started sign-in may take.
pub const PENDING_TTL: Duration = Duration::from_secs(10 * 60);
/// Sign-ins under way at once, in all.
const MAX_PENDING: usize = 10_000;
/// Sign-ins under way at once from one address (past it, its oldest is dropped), so
/// one client cannot push everyone else's out.
const MAX_PER_ADDRESS: usize = 32;

#[derive(Debug, Clone)]
pub struct Entry {
    pub nonce: String,
    pub verifier: String,
    /// The random value of the browser's `tenure_oidc` cookie.
    pub binding: String,
    /// Where to go once signed in (a local path).
    pub next: String,
    pub address: Option<IpAddr>,
    pub started: Instant,
}

#[derive(Default)]
pub struct Pending {
    map: Mutex<HashMap<String, Entry>>,
}

impl Pending {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Remembers a started sign-in under its `state`.
    pub fn insert(&self, state: String, entry: Entry) {
        let mut map = self.lock();
        map.retain(|_, e| e.started.elapsed() < PENDING_TTL);
        let oldest = |map: &HashMap<String, Entry>, of: Option<Option<IpAddr>>| {
            map.iter()
                .filter(|(_, e)| of.is_none_or(|a| e.address == a))
                .min_by_key(|(_, e)| e.started)
                .map(|(k, _)| k.clone())
        };
        if map.values().filter(|e| e.address == entry.address).count() >= MAX_PER_ADDRESS
            && let Some(k) = oldest(&map, Some(entry.address))
        {
            map.remove(&k);
        }
        if map.len() >= MAX_PENDING
            && let Some(k) = oldest(&map, None)
        {
            map.remove(&k);
        }
        map.insert(state, entry);
    }

    /// Takes the sign-in started under `state` (once: a second callback finds nothing),
    /// unless it is older than ten minutes.
    pub fn take(&self, state: &str) -> Option<Entry> {
        self.take_at(state, Instant::now())
    }

    fn take_at(&self, state: &str, now: Instant) -> Option<Entry> {
        self.lock()
            .remove(state)
            .filter(|e| now.saturating_duration_since(e.started) < PENDING_TTL)
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(address: &str) -> Entry {
        Entry {
            nonce: "n".into(),
            verifier: "v".into(),
            binding: "b".into(),
            next: "/".into(),
            address: Some(address.parse().unwrap()),
            started: Instant::now(),
        }
    }

    #[test]
    fn a_state_is_taken_once_and_expires() {
        let p = Pending::default();
        p.insert("s1".into(), entry("192.0.2.1"));
        assert!(p.take("s1").is_some());
        assert!(p.take("s1").is_none(), "once only");
        p.insert("old".into(), entry("192.0.2.1"));
        let later = Instant::now() + PENDING_TTL;
        assert!(p.take_at("old", later).is_none(), "expired");
        assert!(p.take("never").is_none());
    }

    #[test]
    fn one_address_cannot_crowd_out_the_others() {
        let p = Pending::default();
        p.insert("theirs".into(), entry("192.0.2.9"));
        for i in 0..(MAX_PER_ADDRESS * 3) {
            p.insert(format!("flood{i}"), entry("192.0.2.1"));
        }
        assert_eq!(p.len(), MAX_PER_ADDRESS + 1);
        assert!(p.take("theirs").is_some());
    }
}
