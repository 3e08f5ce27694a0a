//! What keeps sign-in from being a lever against the appliance: argon2 (19 MiB, tens
//! of milliseconds) runs for at most as many requests at once as there are cores, a
//! bounded queue waits behind them, and failed attempts per account and per address
//! earn a growing wait during which the answer is 429 without hashing anything.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Failures an account may have before it waits.
const FREE_FAILURES_PER_ACCOUNT: u32 = 5;
/// Failures an address may have before it waits (one office behind one NAT).
const FREE_FAILURES_PER_ADDRESS: u32 = 20;
/// The longest wait a run of failures earns.
const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// A run of failures is forgotten after this long without one.
const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);
/// Accounts and addresses remembered at once; past it, the stalest are dropped.
const MAX_TRACKED: usize = 10_000;

/// Why an attempt is not heard now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Too many failures: try again after this many seconds.
    Wait(u64),
    /// Every hashing slot and the queue behind them are taken.
    Busy,
}

impl Refusal {
    pub fn retry_after_secs(self) -> u64 {
        match self {
            Refusal::Wait(s) => s.max(1),
            Refusal::Busy => 1,
        }
    }

    pub fn message(self) -> String {
        match self {
            Refusal::Wait(s) => format!(
                "Too many failed sign-ins. Try again in {}.",
                if s < 90 {
                    format!("{} seconds", s.max(1))
                } else {
                    format!("{} minutes", s.div_ceil(60))
                }
            ),
            Refusal::Busy => {
                "The appliance is busy checking other sign-ins. Try again in a moment.".to_string()
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Failures {
    /// Until when this run of failures makes its owner wait.
    fn blocked_until(&self, free: u32) -> Option<Instant> {
        // The `free`-th failure starts the first wait (2 s), each one more doubles it.
        let over = (self.count + 1).checked_sub(free).filter(|o| *o > 0)?;
        let wait = Duration::from_secs(1u64 << over.min(20)).min(MAX_WAIT);
        Some(self.last + wait)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(IpAddr),
}

/// Shared by every sign-in, first-admin and password form.
pub struct SignInThrottle {
    hashing: Semaphore,
    /// Requests hashing or waiting to: bounded, so a flood queues nothing unbounded.
    in_line: AtomicUsize,
    max_in_line: usize,
    running: AtomicUsize,
    peak_running: AtomicUsize,
    failures: Mutex<HashMap<Key, Failures>>,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        SignInThrottle::new(cores)
    }
}

impl SignInThrottle {
    /// At most `slots` hashes at once, and eight times as many requests in line.
    pub fn new(slots: usize) -> SignInThrottle {
        let slots = slots.max(1);
        SignInThrottle {
            hashing: Semaphore::new(slots),
            in_line: AtomicUsize::new(0),
            max_in_line: slots * 8,
            running: AtomicUsize::new(0),
            peak_running: AtomicUsize::new(0),
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn table(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Failures>> {
        self.failures.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether an attempt for `account` from `address` may be heard now.
    pub fn check(&self, account: &str, address: Option<IpAddr>) -> Result<(), Refusal> {
        let now = Instant::now();
        let table = self.table();
        let mut until: Option<Instant> = None;
        let mut consider = |key: Key, free: u32| {
            if let Some(f) = table.get(&key)
                && let Some(t) = f.blocked_until(free)
                && t > now
            {
                until = Some(until.map_or(t, |u: Instant| u.max(t)));
            }
        };
        consider(Key::Account(account.to_string()), FREE_FAILURES_PER_ACCOUNT);
        if let Some(a) = address {
            consider(Key::Address(a), FREE_FAILURES_PER_ADDRESS);
        }
        match until {
            Some(t) => Err(Refusal::Wait((t - now).as_secs_f64().ceil() as u64)),
            None => Ok(()),
        }
    }

    /// Counts a failed attempt against the account and the address.
    pub fn failed(&self, account: &str, address: Option<IpAddr>) {
        let now = Instant::now();
        let mut table = self.table();
        if table.len() + 2 > MAX_TRACKED {
            table.retain(|_, f| now.duration_since(f.last) < FORGET_AFTER);
            while table.len() + 2 > MAX_TRACKED {
                let stalest = table
                    .iter()
                    .min_by_key(|(_, f)| f.last)
                    .map(|(k, _)| k.clone());
                match stalest {
                    Some(k) => table.remove(&k),
                    None => break,
                };
            }
        }
        let mut bump = |key: Key| {
            let f = table.entry(key).or_insert(Failures {
                count: 0,
                last: now,
            });
            if now.duration_since(f.last) >= FORGET_AFTER {
                f.count = 0;
            }
            f.count = f.count.saturating_add(1);
            f.last = now;
        };
        bump(Key::Account(account.to_string()));
        if let Some(a) = address {
            bump(Key::Address(a));
        }
    }

    /// A right password: the account's run of failures ends (the address's does not,
    /// so one known password does not clear the way for guessing others).
    pub fn succeeded(&self, account: &str) {
        self.table().remove(&Key::Account(account.to_string()));
    }

    /// Runs `work` (argon2) on the blocking pool once a hashing slot is free; refuses
    /// at once when the line is full.
    pub async fn hash<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Refusal> {
        if self.in_line.fetch_add(1, Ordering::SeqCst) >= self.max_in_line {
            self.in_line.fetch_sub(1, Ordering::SeqCst);
            return Err(Refusal::Busy);
        }
        let result = async {
            let _slot = self.hashing.acquire().await.map_err(|_| Refusal::Busy)?;
            let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
            self.peak_running.fetch_max(now, Ordering::SeqCst);
            let out = tokio::task::spawn_blocking(work).await;
            self.running.fetch_sub(1, Ordering::SeqCst);
            out.map_err(|_| Refusal::Busy)
        }
        .await;
        self.in_line.fetch_sub(1, Ordering::SeqCst);
        result
    }

    /// The most hashes that ran at once since start (for tests and the status page).
    pub fn peak_hashing(&self) -> usize {
        self.peak_running.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_waits_longer_after_each_failure_past_five() {
        let t = SignInThrottle::new(2);
        let addr: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..FREE_FAILURES_PER_ACCOUNT - 1 {
            t.failed("ada", Some(addr));
            assert_eq!(t.check("ada", Some(addr)), Ok(()));
        }
        t.failed("ada", Some(addr));
        assert_eq!(
            t.check("ada", None),
            Err(Refusal::Wait(2)),
            "after five, a wait"
        );
        t.failed("ada", Some(addr));
        assert_eq!(t.check("ada", None), Err(Refusal::Wait(4)));
        assert_eq!(t.check("bob", None), Ok(()), "other accounts are not held");
        t.succeeded("ada");
        assert_eq!(t.check("ada", None), Ok(()));
    }

    #[test]
    fn an_address_guessing_many_accounts_waits_too() {
        let t = SignInThrottle::new(2);
        let addr: IpAddr = "192.0.2.7".parse().unwrap();
        for i in 0..=FREE_FAILURES_PER_ADDRESS {
            t.failed(&format!("user{i}"), Some(addr));
        }
        assert!(matches!(
            t.check("fresh", Some(addr)),
            Err(Refusal::Wait(_))
        ));
        assert_eq!(t.check("fresh", Some("192.0.2.8".parse().unwrap())), Ok(()));
    }

    #[test]
    fn waits_are_capped_and_the_table_is_bounded() {
        let f = Failures {
            count: 500,
            last: Instant::now(),
        };
        let until = f.blocked_until(5).unwrap();
        assert!(until <= Instant::now() + MAX_WAIT);
        let t = SignInThrottle::new(1);
        for i in 0..(MAX_TRACKED + 50) {
            t.failed(&format!("u{i}"), None);
        }
        assert!(t.table().len() <= MAX_TRACKED);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn hashing_runs_at_most_slots_at_once_and_the_line_is_bounded() {
        let t = std::sync::Arc::new(SignInThrottle::new(2));
        let mut joins = Vec::new();
        for _ in 0..40 {
            let t = t.clone();
            joins.push(tokio::spawn(async move {
                t.hash(|| std::thread::sleep(Duration::from_millis(200)))
                    .await
            }));
        }
        let mut busy = 0;
        for j in joins {
            if j.await.unwrap() == Err(Refusal::Busy) {
                busy += 1;
            }
        }
        assert_eq!(t.peak_hashing(), 2);
        assert!(busy >= 40 - 16, "only 16 may wait in line, {busy} refused");
    }
}
