//! Fleet hosts: the shapes Tenure reads, the reads themselves, and a host as a
//! [`Device`].

use serde::Deserialize;
use tenure_sdk::http::{self, Method};
use tenure_sdk::{Device, Error};

use crate::api::FleetApi;

/// The most hosts Fleet is asked for in one page.
pub const PAGE_SIZE: usize = 100;
/// The most pages one search for a person's devices reads.
pub const MAX_SEARCH_PAGES: usize = 5;

/// A host as `GET /hosts` lists it and the single-host endpoints show it (which add
/// `end_users` and the lock state under `mdm`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Host {
    pub id: u64,
    #[serde(default)]
    pub hostname: String,
    #[serde(default)]
    pub hardware_serial: String,
    #[serde(default)]
    pub hardware_model: String,
    /// `darwin`, `windows`, `ubuntu`, `ios`, ...
    #[serde(default)]
    pub platform: String,
    #[serde(default)]
    pub mdm: Option<Mdm>,
    /// Single-host endpoints only.
    #[serde(default)]
    pub end_users: Option<Vec<EndUser>>,
    /// The list with `device_mapping=true` only.
    #[serde(default)]
    pub device_mapping: Option<Vec<Mapping>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Mdm {
    /// `On (automatic)`, `On (manual)`, `Pending`, `Off` or null.
    #[serde(default)]
    pub enrollment_status: Option<String>,
    /// `unlocked`, `locked` or `wiped` (single-host endpoints only).
    #[serde(default)]
    pub device_status: Option<String>,
    /// `""`, `lock`, `unlock` or `wipe` (single-host endpoints only).
    #[serde(default)]
    pub pending_action: Option<String>,
}

/// A user from the identity provider, assigned to the host.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EndUser {
    #[serde(default)]
    pub idp_username: Option<String>,
}

/// An email Fleet links to the host (`source`: `mdm_idp_accounts`, `custom`,
/// `google_chrome_profiles`, ...).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Mapping {
    #[serde(default)]
    pub email: String,
}

#[derive(Deserialize)]
struct OneHost {
    host: Host,
}

#[derive(Deserialize)]
struct HostList {
    #[serde(default)]
    hosts: Vec<Host>,
}

#[derive(Deserialize)]
struct DeviceMapping {
    #[serde(default)]
    device_mapping: Option<Vec<Mapping>>,
}

impl Host {
    /// Enrolled in Fleet's MDM, so Fleet can send it commands (`On (...)`).
    pub fn enrolled(&self) -> bool {
        self.mdm
            .as_ref()
            .and_then(|m| m.enrollment_status.as_deref())
            .is_some_and(|s| s.trim().to_ascii_lowercase().starts_with("on"))
    }

    /// `device_status`, `unlocked` when Fleet says nothing.
    pub fn device_status(&self) -> &str {
        self.mdm
            .as_ref()
            .and_then(|m| m.device_status.as_deref())
            .unwrap_or("unlocked")
    }

    /// `pending_action`, empty when none.
    pub fn pending_action(&self) -> &str {
        self.mdm
            .as_ref()
            .and_then(|m| m.pending_action.as_deref())
            .unwrap_or("")
    }

    /// The emails linked to the host: its IdP end users first, then its device mapping.
    pub fn emails(&self) -> impl Iterator<Item = &str> {
        let users = self
            .end_users
            .iter()
            .flatten()
            .filter_map(|u| u.idp_username.as_deref());
        let mapped = self
            .device_mapping
            .iter()
            .flatten()
            .map(|m| m.email.as_str());
        users
            .chain(mapped)
            .map(str::trim)
            .filter(|e| e.contains('@'))
    }

    /// Whether `email` is one of the host's (case-insensitive).
    pub fn owned_by(&self, email: &str) -> bool {
        self.emails().any(|e| e.eq_ignore_ascii_case(email.trim()))
    }

    /// The host as a [`Device`]: the owner is its first email.
    pub fn device(&self) -> Device {
        Device {
            id: self.id.to_string(),
            serial: self.hardware_serial.trim().to_string(),
            model: self.hardware_model.trim().to_string(),
            owner_email: self.emails().next().map(str::to_string),
            managed: self.enrolled(),
        }
    }

    /// A readable name for messages: "ada-macbook-pro (serial C02...)".
    pub fn name(&self) -> String {
        match (self.hostname.trim(), self.hardware_serial.trim()) {
            ("", "") => format!("host {}", self.id),
            (name, "") => name.to_string(),
            ("", serial) => format!("serial {serial}"),
            (name, serial) => format!("{name} (serial {serial})"),
        }
    }
}

/// A device id as Fleet's host id. Tenure's ids come from this connector, so anything
/// else is [`Error::InvalidInput`].
pub fn host_id(device_id: &str) -> Result<u64, Error> {
    device_id.trim().parse().map_err(|_| {
        Error::InvalidInput(format!(
            "{:?} is not a Fleet host id (a number)",
            http::excerpt(device_id)
        ))
    })
}

/// `GET /hosts/{id}`: the host with its end users and lock state.
pub fn get(api: &FleetApi, id: u64) -> Result<Host, Error> {
    let one: OneHost = api
        .send(api.request(Method::Get, &format!("/hosts/{id}")))?
        .json()?;
    Ok(one.host)
}

/// One page (from 0) of `GET /hosts`, with device mappings, optionally searched.
pub fn page(api: &FleetApi, page: u32, query: Option<&str>) -> Result<Vec<Host>, Error> {
    let req = api
        .request(Method::Get, "/hosts")
        .query("page", &page.to_string())
        .query("per_page", &PAGE_SIZE.to_string())
        .query("order_key", "id")
        .query("device_mapping", "true")
        .query_opt("query", query);
    let list: HostList = api.send(req)?.json()?;
    Ok(list.hosts)
}

/// `GET /hosts/identifier/{serial | uuid | hostname}`; unknown: `None`.
pub fn by_identifier(api: &FleetApi, identifier: &str) -> Result<Option<Host>, Error> {
    let path = format!("/hosts/identifier/{}", http::encode_component(identifier));
    match api.send(api.request(Method::Get, &path)) {
        Ok(resp) => Ok(Some(resp.json::<OneHost>()?.host)),
        Err(Error::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Fills in the device mapping of a host whose details name no end user
/// (`GET /hosts/{id}/device_mapping`), so its owner is known.
pub fn with_mapping(api: &FleetApi, mut host: Host) -> Result<Host, Error> {
    if host.emails().next().is_none() {
        let m: DeviceMapping = api
            .send(api.request(Method::Get, &format!("/hosts/{}/device_mapping", host.id)))?
            .json()?;
        host.device_mapping = m.device_mapping;
    }
    Ok(host)
}
