//! The scheduler: syncs every configured HR source on the configured interval, runs the
//! planner's due check (final days, start dates) in between, and drains the outbox.

use crate::lifecycle::Engine;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// Starts the scheduler. `sync_all` syncs every configured HR source (which ones are
/// configured is the caller's to know); `every_minutes` 0 syncs only on demand.
pub fn spawn<F, Fut>(
    engine: Arc<Engine>,
    every_minutes: u64,
    sync_all: F,
) -> tokio::task::JoinHandle<()>
where
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let tick = tick(every_minutes);
        let mut since_sync = Duration::MAX;
        loop {
            if every_minutes > 0 && since_sync >= Duration::from_secs(every_minutes * 60) {
                sync_all().await;
                since_sync = Duration::ZERO;
            } else if let Err(e) = engine.run_due().await {
                tracing::error!("due run failed: {e:#}");
            }
            engine.flush_outbox().await;
            tokio::time::sleep(tick).await;
            since_sync = since_sync.saturating_add(tick);
        }
    })
}

/// The due run needs at least one tick every five minutes (a new day starts somewhere
/// each hour); a shorter sync interval ticks faster.
fn tick(every_minutes: u64) -> Duration {
    Duration::from_secs(if every_minutes > 0 {
        (every_minutes * 60).min(300)
    } else {
        300
    })
}

#[cfg(test)]
mod tests {
    use super::tick;
    use std::time::Duration;

    #[test]
    fn ticks_at_least_every_five_minutes() {
        assert_eq!(tick(0), Duration::from_secs(300));
        assert_eq!(tick(1), Duration::from_secs(60));
        assert_eq!(tick(15), Duration::from_secs(300));
    }
}
