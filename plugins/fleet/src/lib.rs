//! Fleet for Tenure: the hosts of one Fleet server (fleetdm.com), through its REST API
//! (`/api/v1/fleet`) with an API-only user's token.
//!
//! - **Devices** are Fleet hosts, named by Fleet's host id. A host's owner is its
//!   identity-provider end user (`end_users[].idp_username`), else the first email of
//!   its device mapping; it is *managed* when enrolled in Fleet's MDM
//!   (`mdm.enrollment_status` "On (automatic)" or "On (manual)").
//! - **A person's devices**: `GET /hosts?query=<email>` (Fleet searches hostnames,
//!   serials and the emails linked to hosts), keeping the hosts whose emails match
//!   exactly, case-insensitively; at most [`hosts::MAX_SEARCH_PAGES`] pages.
//! - **Inventory**: every host, [`hosts::PAGE_SIZE`] per page, the cursor being the
//!   next page number; by serial number with `GET /hosts/identifier/{serial}`.
//! - **Lock and wipe** (Fleet Premium): see `commands.rs`.
//!
//! `api.rs` holds the client and the error mapping, `hosts.rs` the host reads,
//! `commands.rs` lock, wipe and status; `manifest.toml` the settings.

mod api;
mod commands;
mod hosts;

use tenure_sdk::http::Method;
use tenure_sdk::{CommandState, Device, DeviceManager, DevicePage, Error};

use api::FleetApi;

/// The Fleet device manager.
pub struct Fleet;

impl DeviceManager for Fleet {
    /// One cheap authenticated read: the first host.
    fn test_connection() -> Result<(), Error> {
        let api = FleetApi::from_settings()?;
        api.send(
            api.request(Method::Get, "/hosts")
                .query("page", "0")
                .query("per_page", "1"),
        )?;
        Ok(())
    }

    fn find_devices(owner_email: String) -> Result<Vec<Device>, Error> {
        let email = owner_email.trim();
        if email.is_empty() {
            return Ok(Vec::new());
        }
        let api = FleetApi::from_settings()?;
        let mut found = Vec::new();
        for page in 0..hosts::MAX_SEARCH_PAGES as u32 {
            let batch = hosts::page(&api, page, Some(email))?;
            let last = batch.len() < hosts::PAGE_SIZE;
            found.extend(
                batch
                    .iter()
                    .filter(|h| h.owned_by(email))
                    .map(hosts::Host::device),
            );
            if last {
                return Ok(found);
            }
        }
        tenure_sdk::log::warn(&format!(
            "more than {} hosts match the search for a person's devices; only the first pages were read",
            hosts::MAX_SEARCH_PAGES * hosts::PAGE_SIZE
        ));
        Ok(found)
    }

    fn lock(device_id: String, message: Option<String>) -> Result<Option<String>, Error> {
        let id = hosts::host_id(&device_id)?;
        commands::lock(&FleetApi::from_settings()?, id, message.as_deref())
    }

    fn wipe(device_id: String) -> Result<(), Error> {
        let id = hosts::host_id(&device_id)?;
        commands::wipe(&FleetApi::from_settings()?, id)
    }

    fn status(device_id: String) -> Result<CommandState, Error> {
        let id = hosts::host_id(&device_id)?;
        commands::status(&FleetApi::from_settings()?, id)
    }

    /// A page of every host; the cursor is the next page number (from 0).
    fn list_devices(cursor: Option<String>) -> Result<DevicePage, Error> {
        let page: u32 = match cursor.as_deref().map(str::trim) {
            None | Some("") => 0,
            Some(c) => c.parse().map_err(|_| {
                Error::InvalidInput(format!(
                    "the cursor {:?} is not a Fleet page number",
                    tenure_sdk::http::excerpt(c)
                ))
            })?,
        };
        let api = FleetApi::from_settings()?;
        let batch = hosts::page(&api, page, None)?;
        let next_cursor = (batch.len() >= hosts::PAGE_SIZE).then(|| (page + 1).to_string());
        Ok(DevicePage {
            devices: batch.iter().map(hosts::Host::device).collect(),
            next_cursor,
        })
    }

    /// `GET /hosts/identifier/{serial}`. That endpoint also takes a hostname or UUID,
    /// so a host found whose serial differs is not the one asked for: then one search
    /// page is read for an exact serial.
    fn find_by_serial(serial: String) -> Result<Option<Device>, Error> {
        let serial = serial.trim();
        if serial.is_empty() {
            return Ok(None);
        }
        let api = FleetApi::from_settings()?;
        let same = |h: &hosts::Host| h.hardware_serial.trim().eq_ignore_ascii_case(serial);
        let host = match hosts::by_identifier(&api, serial)? {
            Some(h) if same(&h) => Some(h),
            Some(_) => hosts::page(&api, 0, Some(serial))?
                .into_iter()
                .find(|h| same(h)),
            None => None,
        };
        match host {
            Some(h) => Ok(Some(hosts::with_mapping(&api, h)?.device())),
            None => Ok(None),
        }
    }
}

tenure_sdk::export_device_manager!(Fleet);

#[cfg(test)]
mod tests;
