//! Lock and wipe through Fleet's MDM, and where the last one stands.
//!
//! Fleet queues one action per host until the device comes online, and shows it on the
//! host's details: `mdm.pending_action` (`lock`, `unlock`, `wipe`) while queued,
//! `mdm.device_status` (`unlocked`, `locked`, `wiped`) once run. Each call reads the
//! host first, so a repeated command (a retry after a lost answer) is recognised as
//! already sent and succeeds without sending it again. The action Tenure sent last is
//! kept in the key-value store, so `status` knows what to look for.

use serde::{Deserialize, Serialize};
use tenure_sdk::http::Method;
use tenure_sdk::{CommandState, Error, kv, log, time};

use crate::api::{self, FleetApi, FleetError};
use crate::hosts::{self, Host};

/// A lock or wipe Tenure sent to a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Command {
    Lock,
    Wipe,
}

impl Command {
    fn verb(self) -> &'static str {
        match self {
            Command::Lock => "lock",
            Command::Wipe => "wipe",
        }
    }
}

/// What the key-value store keeps per host.
#[derive(Debug, Serialize, Deserialize)]
struct Sent {
    command: Command,
    /// Unix seconds, by the host's clock.
    at: i64,
}

fn last_key(id: u64) -> String {
    format!("last-command:{id}")
}

fn remember(id: u64, command: Command) {
    let sent = Sent {
        command,
        at: time::now_unix(),
    };
    if !kv::set_json(&last_key(id), &sent, None) {
        log::warn(&format!(
            "host {id}: could not record the {}",
            command.verb()
        ));
    }
}

/// The command Tenure sent the host last, if it remembers one.
pub fn last(id: u64) -> Option<Command> {
    kv::get_json::<Sent>(&last_key(id)).map(|s| s.command)
}

/// Why Fleet refused an action with 422, from its reason.
enum Refusal {
    /// The same action is already queued (a retry raced the first request).
    SamePending,
    /// The host is not enrolled in MDM.
    NoMdm,
    /// Another action is queued, or the host's state forbids this one.
    Conflict,
}

fn refusal(command: Command, fleet: &FleetError) -> Refusal {
    let reasons = format!("{} {}", fleet.message, fleet.reasons()).to_ascii_lowercase();
    if reasons.contains(&format!("pending {} request", command.verb())) {
        Refusal::SamePending
    } else if reasons.contains("mdm") {
        Refusal::NoMdm
    } else {
        Refusal::Conflict
    }
}

fn not_enrolled(host: &Host, said: &str) -> Error {
    Error::Unsupported(format!(
        "{said}: {} is not enrolled in Fleet's MDM, so Fleet cannot lock or wipe it; a person does it by hand",
        host.name()
    ))
}

/// `POST /hosts/{id}/<command>`; `Ok(Some(body))` when Fleet took it, `Ok(None)` when
/// it was so already (409, or the same action queued), else the error it means.
fn send(api: &FleetApi, host: &Host, command: Command) -> Result<Option<serde_json::Value>, Error> {
    let mut req = api.request(
        Method::Post,
        &format!("/hosts/{}/{}", host.id, command.verb()),
    );
    if command == Command::Lock && host.platform == "darwin" {
        req = req.query("view_pin", "true");
    }
    let resp = req.send_raw()?;
    match resp.status {
        200..=299 => Ok(Some(resp.json().unwrap_or(serde_json::Value::Null))),
        409 => Ok(None),
        422 => match refusal(command, &FleetError::of(&resp)) {
            Refusal::SamePending => Ok(None),
            Refusal::NoMdm => Err(not_enrolled(host, &api::said(&resp))),
            Refusal::Conflict => Err(Error::Conflict(api::said(&resp))),
        },
        _ => Err(api::error(&resp)),
    }
}

/// Locks the host. Returns the unlock PIN Fleet issues for a Mac (only on the request
/// that queued the lock: a repeated lock returns none, and Fleet shows the PIN under
/// the host's Actions → Unlock). Fleet's lock shows no custom message, so `message`
/// is not sent.
pub fn lock(api: &FleetApi, id: u64, message: Option<&str>) -> Result<Option<String>, Error> {
    let host = hosts::get(api, id)?;
    let (status, pending) = (host.device_status(), host.pending_action());
    if (status == "locked" && pending.is_empty()) || pending == "lock" {
        log::info(&format!(
            "host {id}: already {}",
            if pending.is_empty() {
                "locked"
            } else {
                "being locked"
            }
        ));
        remember(id, Command::Lock);
        return Ok(None);
    }
    if status == "wiped" || pending == "wipe" {
        return Err(Error::Conflict(format!(
            "{} is wiped or being wiped in Fleet: there is nothing left to lock",
            host.name()
        )));
    }
    if pending == "unlock" {
        return Err(Error::Conflict(format!(
            "an unlock is pending for {} in Fleet; lock it again once the device has come online and unlocked",
            host.name()
        )));
    }
    if message.is_some_and(|m| !m.trim().is_empty()) {
        log::info("Fleet's lock takes no message; the device shows its own lock screen");
    }
    let body = send(api, &host, Command::Lock)?;
    remember(id, Command::Lock);
    let pin = body
        .as_ref()
        .and_then(|b| b.get("unlock_pin"))
        .and_then(|p| p.as_str())
        .map(str::to_string)
        .filter(|p| !p.is_empty());
    log::info(&format!("host {id}: lock sent"));
    Ok(pin)
}

/// Wipes the host. A wipe pending or done is success. Fleet wipes only an unlocked
/// host with nothing else queued; otherwise [`Error::Conflict`] says what to do.
pub fn wipe(api: &FleetApi, id: u64) -> Result<(), Error> {
    let host = hosts::get(api, id)?;
    let (status, pending) = (host.device_status(), host.pending_action());
    if status == "wiped" || pending == "wipe" {
        log::info(&format!("host {id}: already wiped or being wiped"));
        remember(id, Command::Wipe);
        return Ok(());
    }
    if !pending.is_empty() {
        return Err(Error::Conflict(format!(
            "a {pending} is pending for {} in Fleet, which takes a wipe only once it has run (when the device comes online)",
            host.name()
        )));
    }
    if status == "locked" {
        return Err(Error::Conflict(format!(
            "{} is locked, and Fleet wipes only unlocked devices: unlock it in Fleet (Actions → Unlock) and wipe again, or wipe it by hand",
            host.name()
        )));
    }
    send(api, &host, Command::Wipe)?;
    remember(id, Command::Wipe);
    log::info(&format!("host {id}: wipe sent"));
    Ok(())
}

/// Where the last command Tenure sent the host stands:
/// - `done` when the device shows its result (a lock: locked, or wiped since; a wipe:
///   wiped);
/// - `pending` while Fleet still queues it;
/// - `failed` when neither: the command cannot have run (someone unlocked the device or
///   cancelled the action in Fleet).
///
/// Without a remembered command (the store was cleared), the host's state alone says
/// it: any action queued is `pending`, locked or wiped is `done`, else `failed`.
pub fn status(api: &FleetApi, id: u64) -> Result<CommandState, Error> {
    let host = hosts::get(api, id)?;
    let (status, pending) = (host.device_status(), host.pending_action());
    let state = match last(id) {
        Some(Command::Lock) if status == "locked" || status == "wiped" => CommandState::Done,
        Some(Command::Wipe) if status == "wiped" => CommandState::Done,
        Some(c) if pending == c.verb() => CommandState::Pending,
        Some(_) => CommandState::Failed,
        None if !pending.is_empty() => CommandState::Pending,
        None if status == "locked" || status == "wiped" => CommandState::Done,
        None => CommandState::Failed,
    };
    Ok(state)
}
