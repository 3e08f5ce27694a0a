//! Installing, upgrading and removing plugins while the server runs, in two steps:
//! [`stage`] checks a plugin (signature, manifest, compilation), keeps it under
//! `<data dir>/plugins/staged/<token>` and answers what it asks for; an administrator
//! reads that and [`approve`]s (or [`cancel`]s) it. Approval moves the files into
//! `<data dir>/plugins` and swaps the plugin into the live set at once.
//!
//! An upgrade is an install of an id already installed: it keeps the plugin's stored
//! settings, secrets and key-value (they are keyed by id) and must keep its world.
//! Bundled plugins are neither replaced nor removed.

use crate::plugin_trust::{Signed, Trust};
use crate::plugins::{Entry, Origin, PluginSet, is_bundled_id};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tenure_runtime::{Manifest, SettingKind, World};

/// Staged installs kept at once; staging another drops the oldest.
pub const MAX_STAGED: usize = 8;
/// How long a staged install waits for approval.
pub const STAGED_FOR: Duration = Duration::from_secs(30 * 60);
/// The largest component accepted.
pub const MAX_WASM_BYTES: usize = 32 << 20;
/// The largest manifest accepted.
pub const MAX_MANIFEST_BYTES: usize = 64 << 10;

/// Why an install step did not happen, for people.
#[derive(Debug)]
pub enum InstallError {
    /// The plugin or the request is not acceptable (400).
    Refused(String),
    /// No such staged install or plugin (404).
    NotFound(String),
    /// Disk or compilation machinery failed (500).
    Internal(String),
}

impl std::fmt::Display for InstallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InstallError::Refused(m) | InstallError::NotFound(m) | InstallError::Internal(m) => {
                f.write_str(m)
            }
        }
    }
}

/// One setting a plugin asks for, as shown before approval.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SettingAsked {
    pub key: String,
    pub label: String,
    pub kind: SettingKind,
    /// Stored encrypted and write-only (secrets and signing keys).
    pub secret: bool,
    pub required: bool,
}

/// The version being replaced by an upgrade.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Replaces {
    pub version: String,
    pub allowed_hosts: Vec<String>,
}

/// What a staged plugin is and asks for: the approval screen.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Capabilities {
    /// The token that approves (or cancels) this install.
    pub approval: String,
    pub id: String,
    pub name: String,
    pub version: String,
    pub world: World,
    pub description: Option<String>,
    /// The publisher whose trusted key signed it; null when unsigned.
    pub publisher: Option<String>,
    /// `signed` (by a trusted publisher) or `unsigned` (allowed by `[plugins]
    /// allow_unsigned`).
    pub signature: String,
    /// The origins it may reach (`{setting}` for an origin an admin fills in).
    pub allowed_hosts: Vec<String>,
    pub settings: Vec<SettingAsked>,
    /// Set when this replaces an installed version (settings and secrets are kept).
    pub replaces: Option<Replaces>,
    /// Seconds left to approve.
    pub expires_in_secs: u64,
}

/// The plugin now installed.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Installed {
    pub id: String,
    pub version: String,
    /// The version it replaced, for an upgrade.
    pub replaced: Option<String>,
}

/// A plugin removed.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Removed {
    pub id: String,
    pub version: String,
}

struct Staged {
    capabilities: Capabilities,
    plugin: Arc<tenure_runtime::Plugin>,
    signed: Signed,
    at: Instant,
}

/// The installs waiting for approval (bounded in count and age).
pub struct Staging {
    dir: PathBuf,
    waiting: Mutex<Vec<Staged>>,
    /// Held while plugin files and the set change (one install or removal at a time).
    changing: Mutex<()>,
}

impl Staging {
    /// Staged files of an earlier run are dropped: their tokens are gone.
    pub fn new(data_dir: &Path) -> Staging {
        let dir = data_dir.join("plugins").join("staged");
        let _ = std::fs::remove_dir_all(&dir);
        Staging {
            dir,
            waiting: Mutex::new(Vec::new()),
            changing: Mutex::new(()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Staged>> {
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn changing(&self) -> std::sync::MutexGuard<'_, ()> {
        self.changing.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn folder(&self, token: &str) -> PathBuf {
        self.dir.join(token)
    }

    /// Drops expired entries (and their files).
    fn expire(&self, waiting: &mut Vec<Staged>) {
        waiting.retain(|s| {
            let keep = s.at.elapsed() < STAGED_FOR;
            if !keep {
                let _ = std::fs::remove_dir_all(self.folder(&s.capabilities.approval));
            }
            keep
        });
    }

    /// The staged install with this token, if still waiting.
    pub fn capabilities(&self, token: &str) -> Option<Capabilities> {
        let mut waiting = self.lock();
        self.expire(&mut waiting);
        waiting
            .iter()
            .find(|s| s.capabilities.approval == token)
            .map(with_time_left)
    }
}

fn with_time_left(s: &Staged) -> Capabilities {
    let mut c = s.capabilities.clone();
    c.expires_in_secs = STAGED_FOR.saturating_sub(s.at.elapsed()).as_secs();
    c
}

/// The checks every install makes before compiling, with or without a server: sizes,
/// a valid manifest, an id that is not a bundled plugin's, a signature that holds.
pub fn vet(trust: &Trust, manifest_text: &str, wasm: &[u8]) -> Result<(Manifest, Signed), String> {
    if wasm.len() > MAX_WASM_BYTES {
        return Err(format!(
            "the component is {} MiB; at most {} MiB is accepted",
            wasm.len() >> 20,
            MAX_WASM_BYTES >> 20
        ));
    }
    if manifest_text.len() > MAX_MANIFEST_BYTES {
        return Err(format!(
            "the manifest is larger than {} KiB",
            MAX_MANIFEST_BYTES >> 10
        ));
    }
    let manifest =
        Manifest::from_toml(manifest_text).map_err(|e| format!("invalid manifest: {e}"))?;
    if is_bundled_id(&manifest.id) {
        return Err(format!(
            "`{}` is the id of a bundled plugin (it would receive that plugin's stored \
             settings and secrets); give it another id",
            manifest.id
        ));
    }
    let signed = trust
        .check(&manifest, manifest_text, wasm)
        .map_err(|e| format!("`{}` refused: {e}", manifest.id))?;
    Ok((manifest, signed))
}

/// Checks a plugin against the live set and compiles it, writes it under
/// `plugins/staged/<token>` and answers what it asks for. Nothing runs it yet.
pub async fn stage(
    set: &Arc<PluginSet>,
    manifest_text: String,
    wasm: Vec<u8>,
) -> Result<Capabilities, InstallError> {
    let (manifest, signed) =
        vet(set.trust(), &manifest_text, &wasm).map_err(InstallError::Refused)?;
    let replaces = match set.entry(&manifest.id) {
        None => None,
        Some(current) => {
            let old = current.plugin.manifest();
            if old.world != manifest.world {
                return Err(InstallError::Refused(format!(
                    "`{}` is installed as a {} plugin; an upgrade cannot make it a {} plugin \
                     (remove it first, or give the new one another id)",
                    manifest.id, old.world, manifest.world
                )));
            }
            Some(Replaces {
                version: old.version.clone(),
                allowed_hosts: old.allowed_hosts.clone(),
            })
        }
    };
    let runtime = set.runtime().clone();
    let (manifest, wasm) = (manifest.clone(), Arc::new(wasm));
    let compiled = {
        let (m, w) = (manifest.clone(), wasm.clone());
        tokio::task::spawn_blocking(move || runtime.load(m, &w))
            .await
            .map_err(|e| InstallError::Internal(format!("compiling the plugin failed: {e}")))?
            .map_err(|e| InstallError::Refused(format!("not installed: {e}")))?
    };

    let token = hex::encode(rand::random::<[u8; 16]>());
    let folder = set.staging.folder(&token);
    write_staged(&folder, &manifest_text, &wasm).map_err(|e| {
        let _ = std::fs::remove_dir_all(&folder);
        InstallError::Internal(format!(
            "cannot stage the plugin in {}: {e}",
            folder.display()
        ))
    })?;
    let capabilities = Capabilities {
        approval: token,
        id: manifest.id.clone(),
        name: manifest.name.clone(),
        version: manifest.version.clone(),
        world: manifest.world,
        description: manifest.description.clone(),
        publisher: signed.publisher().map(str::to_string),
        signature: match signed {
            Signed::By(_) => "signed".into(),
            Signed::Unsigned => "unsigned".into(),
        },
        allowed_hosts: manifest.allowed_hosts.clone(),
        settings: manifest
            .settings
            .iter()
            .map(|s| SettingAsked {
                key: s.key.clone(),
                label: s.label.clone(),
                kind: s.kind,
                secret: s.kind.is_secret(),
                required: s.required,
            })
            .collect(),
        replaces,
        expires_in_secs: STAGED_FOR.as_secs(),
    };
    let mut waiting = set.staging.lock();
    set.staging.expire(&mut waiting);
    while waiting.len() >= MAX_STAGED {
        let oldest = waiting.remove(0);
        let _ = std::fs::remove_dir_all(set.staging.folder(&oldest.capabilities.approval));
    }
    waiting.push(Staged {
        capabilities: capabilities.clone(),
        plugin: Arc::new(compiled),
        signed,
        at: Instant::now(),
    });
    tracing::info!(plugin = %capabilities.id, version = %capabilities.version, "plugin staged for approval");
    Ok(capabilities)
}

fn write_staged(folder: &Path, manifest_text: &str, wasm: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(folder)?;
    std::fs::write(folder.join("plugin.toml"), manifest_text)?;
    std::fs::write(folder.join("plugin.wasm"), wasm)
}

/// Installs a staged plugin: its files into `<data dir>/plugins` (each by rename, so a
/// reader sees the old file or the new one) and the plugin into the live set.
pub fn approve(set: &PluginSet, token: &str) -> Result<Installed, InstallError> {
    let staged = {
        let mut waiting = set.staging.lock();
        set.staging.expire(&mut waiting);
        let Some(i) = waiting
            .iter()
            .position(|s| s.capabilities.approval == token)
        else {
            return Err(InstallError::NotFound(
                "no install is waiting for this approval (it expired after 30 minutes, was \
                 cancelled, or was already approved); upload the plugin again"
                    .into(),
            ));
        };
        waiting.remove(i)
    };
    let folder = set.staging.folder(token);
    let result = place(set, &staged, &folder);
    let _ = std::fs::remove_dir_all(&folder);
    result
}

fn place(set: &PluginSet, staged: &Staged, folder: &Path) -> Result<Installed, InstallError> {
    let id = &staged.capabilities.id;
    let _one_at_a_time = set.staging.changing();
    // The set may have changed since staging (another install of this id).
    let current = set.entry(id);
    if let Some(c) = &current
        && c.plugin.manifest().world != staged.capabilities.world
    {
        return Err(InstallError::Refused(format!(
            "`{id}` was installed as a {} plugin meanwhile; stage the upgrade again",
            c.plugin.manifest().world
        )));
    }
    let dir = set.data_dir().join("plugins");
    let wasm_path = dir.join(format!("{id}.wasm"));
    let toml_path = dir.join(format!("{id}.toml"));
    let io = |what: &str, e: std::io::Error| {
        InstallError::Internal(format!("cannot install `{id}` ({what}): {e}"))
    };
    std::fs::rename(folder.join("plugin.toml"), &toml_path)
        .map_err(|e| io("writing the manifest", e))?;
    std::fs::rename(folder.join("plugin.wasm"), &wasm_path)
        .map_err(|e| io("writing the component", e))?;
    // An upgrade of a plugin installed under another file name: the old files go, or
    // the next start would find two plugins with one id.
    if let Some(Entry {
        origin: Origin::Installed(old),
        ..
    }) = &current
        && *old != wasm_path
    {
        let _ = std::fs::remove_file(old);
        let _ = std::fs::remove_file(old.with_extension("toml"));
    }
    set.put(Entry {
        plugin: staged.plugin.clone(),
        origin: Origin::Installed(wasm_path),
        signed: staged.signed.clone(),
    });
    let replaced = current.map(|c| c.plugin.manifest().version.clone());
    tracing::info!(plugin = %id, version = %staged.capabilities.version, replaced = ?replaced, "plugin installed");
    Ok(Installed {
        id: id.clone(),
        version: staged.capabilities.version.clone(),
        replaced,
    })
}

/// Drops a staged install.
pub fn cancel(set: &PluginSet, token: &str) -> Result<(), InstallError> {
    let mut waiting = set.staging.lock();
    let Some(i) = waiting
        .iter()
        .position(|s| s.capabilities.approval == token)
    else {
        return Err(InstallError::NotFound(
            "no install is waiting for this approval".into(),
        ));
    };
    waiting.remove(i);
    let _ = std::fs::remove_dir_all(set.staging.folder(token));
    Ok(())
}

/// Removes an installed plugin: out of the live set, its files deleted. Its stored
/// settings stay (installing it again finds them); jobs queued for it fail as not
/// installed. Bundled plugins cannot be removed.
pub fn remove(set: &PluginSet, id: &str) -> Result<Removed, InstallError> {
    if is_bundled_id(id) {
        return Err(InstallError::Refused(format!(
            "`{id}` is bundled with tenure and cannot be removed"
        )));
    }
    let _one_at_a_time = set.staging.changing();
    let Some(entry) = set.take(id) else {
        return Err(InstallError::NotFound(format!(
            "no plugin `{id}` is installed"
        )));
    };
    if let Origin::Installed(path) = &entry.origin {
        for p in [path.clone(), path.with_extension("toml")] {
            if let Err(e) = std::fs::remove_file(&p)
                && e.kind() != std::io::ErrorKind::NotFound
            {
                // Out of the set already; say what is left on disk.
                tracing::error!(plugin = %id, "cannot delete {}: {e}", p.display());
                return Err(InstallError::Internal(format!(
                    "`{id}` is unloaded but {} could not be deleted: {e}",
                    p.display()
                )));
            }
        }
    }
    let version = entry.plugin.manifest().version.clone();
    tracing::info!(plugin = %id, %version, "plugin removed");
    Ok(Removed {
        id: id.to_string(),
        version,
    })
}

/// Installs into the data directory with no server running (the next start loads
/// it): the same checks, then each file written to a temporary name and renamed.
pub fn install_offline(
    trust: &Trust,
    runtime: &Arc<tenure_runtime::Runtime>,
    data_dir: &Path,
    manifest_text: &str,
    wasm: &[u8],
) -> Result<(Manifest, Signed), String> {
    let (manifest, signed) = vet(trust, manifest_text, wasm)?;
    let dir = data_dir.join("plugins");
    if let Ok(old) = std::fs::read_to_string(dir.join(format!("{}.toml", manifest.id)))
        && let Ok(old) = Manifest::from_toml(&old)
        && old.world != manifest.world
    {
        return Err(format!(
            "`{}` is installed as a {} plugin; an upgrade cannot make it a {} plugin",
            manifest.id, old.world, manifest.world
        ));
    }
    runtime
        .load(manifest.clone(), wasm)
        .map_err(|e| format!("not installed: {e}"))?;
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (ext, bytes) in [("toml", manifest_text.as_bytes()), ("wasm", wasm)] {
        let path = dir.join(format!("{}.{ext}", manifest.id));
        let tmp = dir.join(format!(".{}.{ext}.tmp", manifest.id));
        std::fs::write(&tmp, bytes)
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok((manifest, signed))
}

/// A plugin sent to be staged (API and admin socket): the manifest's text and the
/// component in base64.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Upload {
    pub manifest: String,
    pub wasm_base64: String,
}

impl Upload {
    pub fn new(manifest: String, wasm: &[u8]) -> Upload {
        use base64::Engine as _;
        Upload {
            manifest,
            wasm_base64: base64::engine::general_purpose::STANDARD.encode(wasm),
        }
    }

    /// The manifest text and the component's bytes.
    pub fn decode(self) -> Result<(String, Vec<u8>), InstallError> {
        use base64::Engine as _;
        if self.wasm_base64.len() > MAX_WASM_BYTES / 3 * 4 + 4 {
            return Err(InstallError::Refused(format!(
                "the component is larger than {} MiB",
                MAX_WASM_BYTES >> 20
            )));
        }
        let wasm = base64::engine::general_purpose::STANDARD
            .decode(self.wasm_base64.trim())
            .map_err(|e| InstallError::Refused(format!("`wasm_base64` is not base64: {e}")))?;
        Ok((self.manifest, wasm))
    }
}
