//! What a fake can do to a client besides answering: injected faults and a request-rate
//! limit. Each fake decides how the failure looks on the wire.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::rng::Rng;

/// The salt that keeps the fault sequence apart from seeded data.
const FAULT_SALT: u64 = 0xFA17_5EED;

/// The kind of an injected failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// "Slow down": Graph's 429, Google's 403 `userRateLimitExceeded`.
    Throttled,
    /// "Try again": a 503.
    Unavailable,
}

/// A seeded fraction of requests fails before anything else happens. The same seed and
/// ratio give the same sequence of failures for the same sequence of requests.
pub(crate) struct Faults {
    /// Parts per million of requests that fail.
    ppm: u64,
    rng: Rng,
    injected: usize,
}

impl Faults {
    pub(crate) fn new(ratio: f64, seed: u64) -> Self {
        Self {
            ppm: ratio_to_ppm(ratio),
            rng: Rng::new(seed, FAULT_SALT),
            injected: 0,
        }
    }

    /// Changes the ratio and starts the sequence again from `seed`.
    pub(crate) fn reset(&mut self, ratio: f64, seed: u64) {
        *self = Self {
            injected: self.injected,
            ..Self::new(ratio, seed)
        };
    }

    /// Draws for one request: `None` lets it through.
    pub(crate) fn draw(&mut self) -> Option<Fault> {
        if self.ppm == 0 {
            return None;
        }
        if self.rng.below(1_000_000) >= self.ppm {
            return None;
        }
        self.injected += 1;
        Some(if self.rng.below(2) == 0 {
            Fault::Throttled
        } else {
            Fault::Unavailable
        })
    }

    /// The fraction of requests that fail.
    pub(crate) fn ratio(&self) -> f64 {
        self.ppm as f64 / 1_000_000.0
    }

    /// Starts the sequence again from `seed`, keeping the ratio.
    pub(crate) fn reseed(&mut self, seed: u64) {
        self.reset(self.ratio(), seed);
    }

    /// How many requests were failed so far.
    pub(crate) fn injected(&self) -> usize {
        self.injected
    }
}

fn ratio_to_ppm(ratio: f64) -> u64 {
    assert!(
        (0.0..=1.0).contains(&ratio),
        "a fault ratio lies in 0.0..=1.0, not {ratio}"
    );
    (ratio * 1_000_000.0).round() as u64
}

/// At most `limit` requests in any rolling `window`; 0 turns the limit off. Refused
/// requests do not count.
pub(crate) struct RateLimit {
    limit: u32,
    window: Duration,
    hits: VecDeque<Instant>,
}

impl RateLimit {
    pub(crate) fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            hits: VecDeque::new(),
        }
    }

    /// Counts one request, or refuses it with the whole seconds until one is allowed
    /// again (at least 1).
    pub(crate) fn admit(&mut self) -> Result<(), u64> {
        if self.limit == 0 {
            return Ok(());
        }
        let now = Instant::now();
        while self
            .hits
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            self.hits.pop_front();
        }
        let limit = self.limit as usize;
        if self.hits.len() >= limit {
            let oldest = self.hits[self.hits.len() - limit];
            let wait = self.window.saturating_sub(now.duration_since(oldest));
            return Err(wait.as_secs_f64().ceil().max(1.0) as u64);
        }
        self.hits.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_follow_the_seed_and_the_ratio() {
        let run = |seed| {
            let mut f = Faults::new(0.25, seed);
            (0..2000).map(|_| f.draw()).collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
        let failed = run(7).iter().filter(|d| d.is_some()).count();
        assert!((400..600).contains(&failed), "{failed}");
        let mut none = Faults::new(0.0, 1);
        assert!((0..1000).all(|_| none.draw().is_none()));
        let mut all = Faults::new(1.0, 1);
        assert!((0..1000).all(|_| all.draw().is_some()));
        assert_eq!(all.injected(), 1000);
    }

    #[test]
    fn the_rate_limit_refuses_past_the_limit() {
        let mut r = RateLimit::new(3, Duration::from_secs(60));
        assert!(r.admit().is_ok());
        assert!(r.admit().is_ok());
        assert!(r.admit().is_ok());
        let wait = r.admit().unwrap_err();
        assert!((59..=60).contains(&wait), "{wait}");
        let mut off = RateLimit::new(0, Duration::from_secs(1));
        assert!((0..100).all(|_| off.admit().is_ok()));
    }
}
