//! An app connector as a third party built it for contract 0.1: it binds `wit/v0.1.0`
//! directly with `wit_bindgen::generate!` (no SDK), so it is exactly what a 0.1 plugin
//! looks like to the host. The runtime's tests run it through the 0.1 → 0.2 adapter.
//!
//! Accounts live in the plugin's key-value store, keyed by lower-case work email, so
//! `ensure-account` twice gives one account; key `accounts` lists every id created.
//! Groups: 25 of them, 10 a page ("Team 00".."Team 23", then "Engineering"), or, with
//! the setting `endless_groups = "yes"`, pages that never end.

wit_bindgen::generate!({
    path: "../../../wit/v0.1.0",
    world: "app-connector-plugin",
});

use exports::tenure::plugin::app_connector::Guest;
use tenure::plugin::host;
use tenure::plugin::types::{Account, Error, Features, Group, GroupPage, Person};

struct AppV01;

const PAGE: usize = 10;
const GROUPS: usize = 25;

fn account_key(id: &str) -> String {
    format!("account/{id}")
}

fn read(id: &str) -> Option<bool> {
    host::kv_get(&account_key(id)).map(|v| v == b"active")
}

fn write(id: &str, active: bool) {
    let state: &[u8] = if active { b"active" } else { b"suspended" };
    host::kv_set(&account_key(id), state, None);
}

fn existing(id: &str) -> Result<bool, Error> {
    read(id).ok_or_else(|| Error::NotFound(format!("no account {id}")))
}

fn group_name(i: usize) -> String {
    if i == GROUPS - 1 {
        "Engineering".into()
    } else {
        format!("Team {i:02}")
    }
}

impl Guest for AppV01 {
    fn describe() -> Features {
        Features {
            groups: true,
            suspend: true,
            delete: true,
            licences: false,
        }
    }

    fn test_connection() -> Result<(), Error> {
        Ok(())
    }

    fn ensure_account(who: Person) -> Result<Account, Error> {
        if who.work_email.is_empty() {
            return Err(Error::InvalidInput("a work email is needed".into()));
        }
        let id = who.work_email.to_lowercase();
        let active = match read(&id) {
            Some(active) => active,
            None => {
                write(&id, true);
                let mut list = host::kv_get("accounts").unwrap_or_default();
                list.extend_from_slice(id.as_bytes());
                list.push(b'\n');
                host::kv_set("accounts", &list, None);
                true
            }
        };
        Ok(Account {
            id,
            login: who.work_email,
            active,
        })
    }

    fn suspend_account(account_id: String) -> Result<(), Error> {
        existing(&account_id)?;
        write(&account_id, false);
        Ok(())
    }

    fn restore_account(account_id: String) -> Result<(), Error> {
        existing(&account_id)?;
        write(&account_id, true);
        Ok(())
    }

    fn delete_account(account_id: String) -> Result<(), Error> {
        host::kv_delete(&account_key(&account_id));
        Ok(())
    }

    fn list_groups(cursor: Option<String>) -> Result<GroupPage, Error> {
        let page: usize = match cursor {
            None => 0,
            Some(c) => c
                .parse()
                .map_err(|_| Error::InvalidInput(format!("bad cursor {c}")))?,
        };
        if host::config("endless_groups").as_deref() == Some("yes") {
            return Ok(GroupPage {
                groups: (0..PAGE)
                    .map(|i| Group {
                        id: format!("filler-{page}-{i}"),
                        name: format!("Filler {page}-{i}"),
                    })
                    .collect(),
                next_cursor: Some((page + 1).to_string()),
            });
        }
        let first = page * PAGE;
        let last = (first + PAGE).min(GROUPS);
        Ok(GroupPage {
            groups: (first..last)
                .map(|i| Group {
                    id: format!("g{i}"),
                    name: group_name(i),
                })
                .collect(),
            next_cursor: (last < GROUPS).then(|| (page + 1).to_string()),
        })
    }

    fn add_to_group(account_id: String, group_id: String) -> Result<(), Error> {
        existing(&account_id)?;
        host::kv_set(&format!("member/{account_id}/{group_id}"), b"1", None);
        Ok(())
    }

    fn remove_from_group(account_id: String, group_id: String) -> Result<(), Error> {
        host::kv_delete(&format!("member/{account_id}/{group_id}"));
        Ok(())
    }
}

export!(AppV01);
