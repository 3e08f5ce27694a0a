//! The appliance's plugins: the bundled ones plus those installed in
//! `<data dir>/plugins`, with their settings and secrets kept in the store.

use crate::config::setting_text;
use crate::plugin_trust::{Signed, Trust};
use anyhow::{Context, bail};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use tenure_runtime::{Manifest, Plugin, PluginStateStore, Runtime, SettingKind};
use tenure_store::Store;

/// [`PluginStateStore`] over redb. Failures are logged (never with values) and read
/// as absent: a plugin then reports its setting missing, and the host goes on.
pub struct StoreState(pub Arc<Store>);

fn logged<T>(
    what: &str,
    plugin: &str,
    key: &str,
    r: Result<T, tenure_store::StoreError>,
) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            tracing::error!(plugin, key, "{what} failed: {e}");
            None
        }
    }
}

impl PluginStateStore for StoreState {
    fn setting(&self, plugin: &str, key: &str) -> Option<String> {
        logged(
            "reading a setting",
            plugin,
            key,
            self.0.setting(plugin, key),
        )
        .flatten()
    }
    fn secret(&self, plugin: &str, key: &str) -> Option<String> {
        logged("reading a secret", plugin, key, self.0.secret(plugin, key)).flatten()
    }
    fn kv_get(&self, plugin: &str, key: &str, now_unix: i64) -> Option<Vec<u8>> {
        logged(
            "reading key-value",
            plugin,
            key,
            self.0.kv_get(plugin, key, now_unix),
        )
        .flatten()
    }
    fn kv_set(&self, plugin: &str, key: &str, value: &[u8], expires_at_unix: Option<i64>) {
        logged(
            "writing key-value",
            plugin,
            key,
            self.0.kv_set(plugin, key, value, expires_at_unix),
        );
    }
    fn kv_delete(&self, plugin: &str, key: &str) {
        logged(
            "deleting key-value",
            plugin,
            key,
            self.0.kv_delete(plugin, key),
        );
    }
}

/// Where a plugin came from.
#[derive(Debug, Clone)]
pub enum Origin {
    Bundled,
    Installed(PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Bundled => f.write_str("bundled"),
            Origin::Installed(p) => write!(f, "{}", p.display()),
        }
    }
}

/// A plugin found on disk or in the binary, before it is compiled.
pub struct Candidate {
    pub origin: Origin,
    pub manifest: Manifest,
    /// The manifest as written (its signature covers these bytes).
    pub manifest_text: String,
    pub wasm: Vec<u8>,
}

/// The bundled plugins and the installed ones, with why others were not taken. Ids are
/// unique: an installed plugin with a bundled plugin's id, or with the id of one found
/// before it, is refused, as it would take over that plugin's stored settings and
/// secrets. (A manifest cannot say it replaces another plugin.)
pub fn discover(data_dir: &Path) -> (Vec<Candidate>, Vec<String>) {
    let mut by_id: BTreeMap<String, Candidate> = BTreeMap::new();
    let mut problems = Vec::new();
    for b in tenure_plugins::BUNDLED {
        match Manifest::from_toml(b.manifest) {
            Ok(manifest) => {
                by_id.insert(
                    manifest.id.clone(),
                    Candidate {
                        origin: Origin::Bundled,
                        manifest,
                        manifest_text: b.manifest.to_string(),
                        wasm: b.wasm.to_vec(),
                    },
                );
            }
            Err(e) => problems.push(format!("a bundled manifest is invalid: {e}")),
        }
    }
    let dir = data_dir.join("plugins");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
        .collect();
    files.sort();
    for wasm_path in files {
        let manifest_path = wasm_path.with_extension("toml");
        let loaded = std::fs::read_to_string(&manifest_path)
            .map_err(|e| format!("{}: {e}", manifest_path.display()))
            .and_then(|t| {
                Manifest::from_toml(&t)
                    .map(|m| (m, t))
                    .map_err(|e| format!("{}: {e}", manifest_path.display()))
            })
            .and_then(|(m, t)| {
                std::fs::read(&wasm_path)
                    .map(|w| (m, t, w))
                    .map_err(|e| format!("{}: {e}", wasm_path.display()))
            });
        match loaded {
            Ok((manifest, _, _)) if by_id.contains_key(&manifest.id) => {
                problems.push(id_taken(
                    &manifest.id,
                    &wasm_path,
                    &by_id[&manifest.id].origin,
                ));
            }
            Ok((manifest, manifest_text, wasm)) => {
                by_id.insert(
                    manifest.id.clone(),
                    Candidate {
                        origin: Origin::Installed(wasm_path),
                        manifest,
                        manifest_text,
                        wasm,
                    },
                );
            }
            Err(e) => problems.push(format!("plugin not loaded: {e}")),
        }
    }
    (by_id.into_values().collect(), problems)
}

/// Why an installed plugin whose id is taken is not loaded.
fn id_taken(id: &str, wasm_path: &Path, taken_by: &Origin) -> String {
    let by = match taken_by {
        Origin::Bundled => "a bundled plugin".to_string(),
        Origin::Installed(first) => format!("the plugin installed in {}", first.display()),
    };
    format!(
        "plugin not loaded: `{id}` in {} has the id of {by}, whose stored settings and \
         secrets it would receive; give it another id",
        wasm_path.display()
    )
}

/// Whether a bundled plugin has this id (an installed plugin may not).
pub fn is_bundled_id(id: &str) -> bool {
    tenure_plugins::BUNDLED
        .iter()
        .any(|b| Manifest::from_toml(b.manifest).is_ok_and(|m| m.id == id))
}

/// A loaded plugin, where it came from and who signed it.
#[derive(Clone)]
pub struct Entry {
    pub plugin: Arc<Plugin>,
    pub origin: Origin,
    pub signed: Signed,
}

struct Inner {
    /// Sorted by id.
    entries: Vec<Entry>,
    /// The plugins of `entries`, as handed out (cheap to clone for readers).
    loaded: Arc<Vec<Arc<Plugin>>>,
    failed: Vec<String>,
}

impl Inner {
    fn new(mut entries: Vec<Entry>, failed: Vec<String>) -> Inner {
        entries.sort_by(|a, b| a.plugin.id().cmp(b.plugin.id()));
        let loaded = Arc::new(entries.iter().map(|e| e.plugin.clone()).collect());
        Inner {
            entries,
            loaded,
            failed,
        }
    }
}

/// The plugins that loaded, and why the others did not. Plugins are installed,
/// upgraded and removed while the server runs ([`crate::plugin_install`]): readers
/// take a snapshot ([`PluginSet::loaded`], [`PluginSet::get`]); a call in flight keeps
/// its plugin until it ends.
pub struct PluginSet {
    runtime: Arc<Runtime>,
    data_dir: PathBuf,
    trust: Trust,
    inner: RwLock<Inner>,
    pub(crate) staging: crate::plugin_install::Staging,
}

impl PluginSet {
    /// Loads with the default trust: bundled plugins' key only, no unsigned plugins.
    pub fn load(runtime: &Arc<Runtime>, data_dir: &Path) -> PluginSet {
        PluginSet::load_trusting(runtime, data_dir, Trust::default())
    }

    /// Discovers, checks the signature of, and compiles every plugin.
    pub fn load_trusting(runtime: &Arc<Runtime>, data_dir: &Path, trust: Trust) -> PluginSet {
        let (candidates, mut failed) = discover(data_dir);
        let mut entries = Vec::new();
        for c in candidates {
            let id = c.manifest.id.clone();
            let signed = match trust.check(&c.manifest, &c.manifest_text, &c.wasm) {
                Ok(signed) => signed,
                Err(e) => {
                    tracing::error!(plugin = %id, origin = %c.origin, "{e}");
                    failed.push(format!("plugin `{id}` ({}) not loaded: {e}", c.origin));
                    continue;
                }
            };
            match runtime.load(c.manifest, &c.wasm) {
                Ok(p) => entries.push(Entry {
                    plugin: Arc::new(p),
                    origin: c.origin,
                    signed,
                }),
                Err(e) => {
                    tracing::error!(plugin = %id, origin = %c.origin, "{e}");
                    failed.push(e.to_string());
                }
            }
        }
        for f in &failed {
            tracing::warn!("{f}");
        }
        PluginSet {
            runtime: runtime.clone(),
            data_dir: data_dir.to_path_buf(),
            trust,
            inner: RwLock::new(Inner::new(entries, failed)),
            staging: crate::plugin_install::Staging::new(data_dir),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The loaded plugins now, sorted by id.
    pub fn loaded(&self) -> Arc<Vec<Arc<Plugin>>> {
        self.read().loaded.clone()
    }

    /// Why plugins found at start did not load.
    pub fn failed(&self) -> Vec<String> {
        self.read().failed.clone()
    }

    /// The loaded plugin with this id.
    pub fn get(&self, id: &str) -> Option<Arc<Plugin>> {
        self.read()
            .entries
            .iter()
            .find(|e| e.plugin.id() == id)
            .map(|e| e.plugin.clone())
    }

    /// The loaded plugin with this id, its origin and signature.
    pub fn entry(&self, id: &str) -> Option<Entry> {
        self.read()
            .entries
            .iter()
            .find(|e| e.plugin.id() == id)
            .cloned()
    }

    pub fn runtime(&self) -> &Arc<Runtime> {
        &self.runtime
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn trust(&self) -> &Trust {
        &self.trust
    }

    /// Puts a plugin in the set, in place of the one with its id if any.
    pub(crate) fn put(&self, entry: Entry) {
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let mut entries: Vec<Entry> = inner
            .entries
            .iter()
            .filter(|e| e.plugin.id() != entry.plugin.id())
            .cloned()
            .collect();
        entries.push(entry);
        let failed = std::mem::take(&mut inner.failed);
        *inner = Inner::new(entries, failed);
    }

    /// Takes the plugin with this id out of the set.
    pub(crate) fn take(&self, id: &str) -> Option<Entry> {
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        let taken = inner
            .entries
            .iter()
            .find(|e| e.plugin.id() == id)
            .cloned()?;
        let entries = inner
            .entries
            .iter()
            .filter(|e| e.plugin.id() != id)
            .cloned()
            .collect();
        let failed = std::mem::take(&mut inner.failed);
        *inner = Inner::new(entries, failed);
        Some(taken)
    }
}

/// Whether every required setting of the plugin has a value.
pub fn is_configured(store: &Store, manifest: &Manifest) -> anyhow::Result<bool> {
    for s in manifest.settings.iter().filter(|s| s.required) {
        let present = if s.kind.is_secret() {
            store.secret_names(&manifest.id)?.contains(&s.key)
        } else {
            store.setting(&manifest.id, &s.key)?.is_some() || s.default.is_some()
        };
        if !present {
            return Ok(false);
        }
    }
    Ok(true)
}

/// What a blank secret in a settings update means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlankSecret {
    /// Remove the stored secret (the API).
    Delete,
    /// Keep the stored secret (the UI's write-only fields).
    Keep,
}

/// Applies a settings update whole or not at all: every key must be a setting of the
/// plugin and URLs must be http(s); secrets and signing keys are encrypted. The error is
/// for people.
pub fn save_settings(
    store: &Store,
    manifest: &Manifest,
    update: &BTreeMap<String, String>,
    blank_secret: BlankSecret,
) -> Result<(), String> {
    for (key, value) in update {
        let Some(spec) = manifest.setting(key) else {
            let known: Vec<&str> = manifest.settings.iter().map(|s| s.key.as_str()).collect();
            return Err(format!(
                "`{key}` is not a setting of {} (settings: {})",
                manifest.name,
                known.join(", ")
            ));
        };
        if spec.kind == SettingKind::Url
            && !value.is_empty()
            && !(value.starts_with("https://") || value.starts_with("http://"))
        {
            return Err(format!("`{key}` must be an http(s) URL, got `{value}`"));
        }
    }
    let id = &manifest.id;
    let store_error = |e: tenure_store::StoreError| format!("cannot store the settings: {e}");
    for (key, value) in update {
        let spec = manifest.setting(key).expect("checked above");
        // Signing keys are kept exactly like secrets: encrypted, write-only.
        match (spec.kind.is_secret(), value.is_empty(), blank_secret) {
            (true, true, BlankSecret::Keep) => {}
            (true, true, BlankSecret::Delete) => {
                store.delete_secret(id, key).map_err(store_error)?;
            }
            (true, false, _) => store.set_secret(id, key, value).map_err(store_error)?,
            (false, _, _) => store.set_setting(id, key, value).map_err(store_error)?,
        }
    }
    // New settings may fix refused credentials: a paused connector's jobs resume.
    if store.unpark(id).map_err(store_error)? {
        tracing::info!(plugin = %id, "settings changed: its paused jobs resume");
    }
    Ok(())
}

/// Writes `[integrations.<id>]` of the configuration file into the store: secrets and
/// signing keys encrypted, the rest as settings. Unknown plugins or keys are errors.
pub fn apply_integrations(
    store: &Store,
    manifests: &[&Manifest],
    integrations: &BTreeMap<String, BTreeMap<String, toml::Value>>,
) -> anyhow::Result<()> {
    for (id, values) in integrations {
        let Some(manifest) = manifests.iter().find(|m| m.id == *id) else {
            let known: Vec<&str> = manifests.iter().map(|m| m.id.as_str()).collect();
            bail!(
                "[integrations.{id}]: no plugin `{id}` is installed (known: {})",
                known.join(", ")
            );
        };
        for (key, value) in values {
            let Some(spec) = manifest.setting(key) else {
                let known: Vec<&str> = manifest.settings.iter().map(|s| s.key.as_str()).collect();
                bail!(
                    "[integrations.{id}]: `{key}` is not a setting of {} (settings: {})",
                    manifest.name,
                    known.join(", ")
                );
            };
            let text = setting_text(value);
            if spec.kind.is_secret() {
                store
                    .set_secret(id, key, &text)
                    .with_context(|| format!("storing secret {id}/{key}"))?;
            } else {
                store
                    .set_setting(id, key, &text)
                    .with_context(|| format!("storing setting {id}/{key}"))?;
            }
        }
        tracing::info!(plugin = %id, "settings from the configuration file applied");
    }
    Ok(())
}

/// Each installed app connector, and whether the jobs queued for it run now.
pub fn connector_states(
    store: &Store,
    plugins: &PluginSet,
) -> std::collections::BTreeMap<String, tenure_web::pages::task_forms::ConnectorState> {
    use tenure_web::pages::task_forms::ConnectorState;
    let parked: std::collections::HashMap<String, String> = store
        .parked()
        .unwrap_or_default()
        .into_iter()
        .map(|p| (p.connector, p.reason))
        .collect();
    plugins
        .loaded()
        .iter()
        .filter(|p| p.manifest().world == tenure_runtime::World::AppConnector)
        .map(|p| {
            let id = p.id().to_string();
            let state = match parked.get(&id) {
                Some(reason) => ConnectorState::Paused(reason.clone()),
                None if is_configured(store, p.manifest()).unwrap_or(false) => {
                    ConnectorState::Ready
                }
                None => ConnectorState::NotConfigured,
            };
            (id, state)
        })
        .collect()
}

/// The app connectors the job runner calls: loaded plugins of the app-connector world
/// whose required settings are filled in. It reads the live set, so a plugin installed
/// or removed while the server runs is seen at the next job (a removed connector's jobs
/// fail as not installed).
pub struct PluginConnectors {
    pub store: Arc<Store>,
    pub plugins: Arc<PluginSet>,
}

impl tenure_engine::jobs::Connectors for PluginConnectors {
    fn app(
        &self,
        id: &str,
    ) -> Result<Arc<dyn tenure_engine::jobs::AppConnector>, tenure_engine::jobs::Missing> {
        use tenure_engine::jobs::Missing;
        let plugin = self.plugins.get(id).ok_or(Missing::NotInstalled)?;
        let world = plugin.manifest().world;
        if world != tenure_runtime::World::AppConnector {
            return Err(Missing::WrongKind(world.to_string()));
        }
        if !is_configured(&self.store, plugin.manifest()).unwrap_or(false) {
            return Err(Missing::NotConfigured);
        }
        Ok(Arc::new(tenure_engine::jobs::PluginConnector(plugin)))
    }
}
