//! A fake's state behind one lock, with the request counters its handle reports.

use std::sync::atomic::AtomicUsize;
use std::sync::{Mutex, MutexGuard};

/// What a fake's routes share: its state `S` and how many API and token requests it
/// has answered.
pub(crate) struct Shared<S> {
    pub requests: AtomicUsize,
    pub token_requests: AtomicUsize,
    state: Mutex<S>,
}

impl<S> Shared<S> {
    pub fn new(state: S) -> Self {
        Self {
            requests: AtomicUsize::new(0),
            token_requests: AtomicUsize::new(0),
            state: Mutex::new(state),
        }
    }

    /// The state, locked.
    pub fn state(&self) -> MutexGuard<'_, S> {
        // Every change is made whole under the lock, so a poisoned lock still holds
        // consistent data.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}
