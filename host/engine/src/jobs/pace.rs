//! How many jobs may run at once per connector: up to `[jobs] per_connector`, halved
//! when the vendor answers "slow down" and grown back by one after as many successes in
//! a row as the current limit (additive increase, multiplicative decrease). A vendor's
//! `Retry-After` holds every job of that connector, not only the one that was told:
//! rate limits are per tenant. Calls that would only be refused are not made.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Concurrency per connector.
#[derive(Debug)]
pub struct Pace {
    max: usize,
    /// Connector → (limit, successes since the last change).
    by_connector: HashMap<String, (usize, usize)>,
    /// Connector → no new job before this instant.
    resting: HashMap<String, Instant>,
}

impl Pace {
    pub fn new(max: usize) -> Pace {
        Pace {
            max: max.max(1),
            by_connector: HashMap::new(),
            resting: HashMap::new(),
        }
    }

    /// Jobs of `connector` that may run at once now (none while it rests).
    pub fn limit(&self, connector: &str) -> usize {
        if self
            .resting
            .get(connector)
            .is_some_and(|until| *until > Instant::now())
        {
            return 0;
        }
        self.by_connector
            .get(connector)
            .map_or(self.max, |(limit, _)| *limit)
    }

    /// The vendor said "slow down" for `wait`: no new job of the connector until then,
    /// and half as many at once afterwards (at least one).
    pub fn rate_limited(&mut self, connector: &str, wait: Duration) {
        let until = Instant::now() + wait;
        let rest = self.resting.entry(connector.to_string()).or_insert(until);
        *rest = (*rest).max(until);
        let max = self.max;
        let entry = self
            .by_connector
            .entry(connector.to_string())
            .or_insert((max, 0));
        *entry = ((entry.0 / 2).max(1), 0);
    }

    /// A call went through: after `limit` of them in a row, allow one more.
    pub fn succeeded(&mut self, connector: &str) {
        let max = self.max;
        let Some(entry) = self.by_connector.get_mut(connector) else {
            return;
        };
        entry.1 += 1;
        if entry.1 >= entry.0 {
            *entry = ((entry.0 + 1).min(max), 0);
        }
        if entry.0 == max {
            self.by_connector.remove(connector);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Pace;
    use std::time::Duration;

    #[test]
    fn halves_on_rate_limits_and_grows_back_one_at_a_time() {
        let mut p = Pace::new(8);
        assert_eq!(p.limit("g"), 8);
        let now = Duration::ZERO;
        p.rate_limited("g", now);
        assert_eq!(p.limit("g"), 4);
        p.rate_limited("g", now);
        p.rate_limited("g", now);
        p.rate_limited("g", now);
        assert_eq!(p.limit("g"), 1, "never below one");
        p.succeeded("g");
        assert_eq!(p.limit("g"), 2);
        p.succeeded("g");
        assert_eq!(p.limit("g"), 2, "two successes needed at two");
        p.succeeded("g");
        assert_eq!(p.limit("g"), 3);
        for _ in 0..100 {
            p.succeeded("g");
        }
        assert_eq!(p.limit("g"), 8, "back to the configured limit");
        assert_eq!(p.limit("other"), 8, "per connector");
    }

    #[test]
    fn a_retry_after_rests_the_whole_connector() {
        let mut p = Pace::new(4);
        p.rate_limited("m", Duration::from_secs(60));
        assert_eq!(p.limit("m"), 0, "no new job while it rests");
        assert_eq!(p.limit("g"), 4);
        let mut q = Pace::new(4);
        q.rate_limited("m", Duration::ZERO);
        assert_eq!(q.limit("m"), 2, "afterwards, half as many");
    }
}
