//! What the Fleet fake keeps: its hosts with their lock/wipe state, the token and the
//! licence.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use super::FleetHost;
use crate::rng::Rng;

/// The fake's state behind one lock.
pub(crate) type Shared = crate::shared::Shared<State>;

/// An MDM action Fleet queues for a host until it comes online.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Lock,
    Unlock,
    Wipe,
}

impl Action {
    /// As Fleet's `pending_action` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Lock => "lock",
            Action::Unlock => "unlock",
            Action::Wipe => "wipe",
        }
    }
}

/// A queued action and when it was sent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pending {
    pub action: Action,
    pub sent: Instant,
}

/// One host as the fake stores it.
#[derive(Debug, Clone)]
pub(crate) struct Host {
    pub id: u64,
    pub uuid: String,
    pub spec: FleetHost,
    /// `unlocked`, `locked` or `wiped`.
    pub device_status: &'static str,
    pub pending: Option<Pending>,
    /// The macOS unlock PIN of the current or pending lock.
    pub unlock_pin: Option<String>,
    pub lock_count: usize,
    pub unlock_count: usize,
    pub wipe_count: usize,
}

impl Host {
    /// `pending_action`: the queued action, or empty.
    pub fn pending_action(&self) -> &'static str {
        self.pending.map_or("", |p| p.action.as_str())
    }

    pub fn is_mac(&self) -> bool {
        self.spec.platform == "darwin"
    }

    /// The device came online and ran the queued action.
    pub fn complete_pending(&mut self) {
        let Some(p) = self.pending.take() else {
            return;
        };
        match p.action {
            Action::Lock => self.device_status = "locked",
            Action::Unlock => {
                self.device_status = "unlocked";
                self.unlock_pin = None;
            }
            Action::Wipe => {
                self.device_status = "wiped";
                self.unlock_pin = None;
            }
        }
    }

    /// Matches `key` as its id, serial number, UUID or hostname (case-insensitive).
    pub fn is(&self, key: &str) -> bool {
        key.parse::<u64>().is_ok_and(|id| id == self.id)
            || [&self.spec.serial, &self.uuid, &self.spec.hostname]
                .iter()
                .any(|v| v.eq_ignore_ascii_case(key))
    }
}

pub(crate) struct State {
    pub api_token: String,
    pub premium: bool,
    /// Queued actions complete by themselves this long after they were sent.
    pub auto_complete: Option<Duration>,
    /// By id, in id order (the list's order).
    pub hosts: BTreeMap<u64, Host>,
    next_id: u64,
    rng: Rng,
}

impl State {
    pub fn new(api_token: &str) -> Self {
        Self {
            api_token: api_token.to_string(),
            premium: true,
            auto_complete: None,
            hosts: BTreeMap::new(),
            next_id: 1,
            rng: Rng::new(0x00F1_EE70, 0x464C_4545),
        }
    }

    pub fn add(&mut self, spec: FleetHost) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let n = self.rng.next();
        let uuid = format!(
            "{:08X}-{:04X}-{:04X}-{:04X}-{:012X}",
            n >> 32,
            (n >> 16) & 0xFFFF,
            n & 0xFFFF,
            id & 0xFFFF,
            self.rng.next() & 0xFFFF_FFFF_FFFF
        );
        self.hosts.insert(
            id,
            Host {
                id,
                uuid,
                spec,
                device_status: "unlocked",
                pending: None,
                unlock_pin: None,
                lock_count: 0,
                unlock_count: 0,
                wipe_count: 0,
            },
        );
        id
    }

    /// A six-digit PIN, as Fleet generates for a Mac's lock.
    pub fn pin(&mut self) -> String {
        format!("{:06}", self.rng.below(1_000_000))
    }

    /// Runs the queued actions whose time has come (with auto-completion on).
    pub fn settle(&mut self, now: Instant) {
        let Some(after) = self.auto_complete else {
            return;
        };
        for h in self.hosts.values_mut() {
            if h.pending
                .is_some_and(|p| now.duration_since(p.sent) >= after)
            {
                h.complete_pending();
            }
        }
    }

    /// A host by id, serial number, UUID or hostname.
    pub fn host_mut(&mut self, key: &str) -> Option<&mut Host> {
        if let Ok(id) = key.parse::<u64>()
            && self.hosts.contains_key(&id)
        {
            return self.hosts.get_mut(&id);
        }
        self.hosts.values_mut().find(|h| h.is(key))
    }
}
