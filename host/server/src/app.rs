//! The running appliance's shared state, built once at start-up.

use crate::config::Config;
use crate::plugins::{PluginSet, StoreState, apply_integrations};
use anyhow::Context;
use prometheus_client::registry::Registry;
use std::path::Path;
use std::sync::Arc;
use tenure_runtime::{Runtime, RuntimeMetrics};
use tenure_store::{SecretKey, Store};

/// Shared by every request handler (`State<AppState>`).
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    pub plugins: Arc<PluginSet>,
    pub registry: Arc<Registry>,
    pub http_metrics: crate::http::metrics::HttpMetrics,
    pub engine: Arc<crate::lifecycle::Engine>,
    pub demo: bool,
    /// Session cookies carry `Secure` (the public URL is https, or `[server.tls]` is on).
    pub secure_cookies: bool,
    /// Host and Origin checks, the setup code, sign-in throttling.
    pub guards: Arc<crate::http::guard::Guards>,
    /// `[server] max_connections`.
    pub max_connections: usize,
    /// The demo keeps outgoing mail here (shown at /demo/mail) instead of sending it.
    pub mail_view: Option<crate::email::MailView>,
    /// `[oidc]`: single sign-on, when set up.
    pub oidc: Option<Arc<crate::auth::oidc::Oidc>>,
}

/// The key that encrypts secrets: `TENURE_SECRET_KEY` (64 hex chars or base64 of 32
/// bytes), else `<data dir>/secret.key`, created on first start with mode 0600.
pub fn secret_key(data_dir: &Path) -> anyhow::Result<SecretKey> {
    match std::env::var("TENURE_SECRET_KEY") {
        Ok(text) if !text.trim().is_empty() => {
            SecretKey::parse(&text).context("TENURE_SECRET_KEY is not a valid key")
        }
        _ => SecretKey::load_or_create(&data_dir.join("secret.key"))
            .context("cannot load or create the secret key"),
    }
}

/// Creates the data directory (mode 0700) when absent.
pub fn ensure_data_dir(data_dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(data_dir, std::fs::Permissions::from_mode(0o700));
    }
    Ok(())
}

pub fn open_store(data_dir: &Path) -> anyhow::Result<Store> {
    ensure_data_dir(data_dir)?;
    let key = secret_key(data_dir)?;
    Ok(Store::open(&data_dir.join("tenure.redb"), key)?)
}

impl AppState {
    /// The HR-source plugins that have every required setting.
    pub fn configured_hr_sources(&self) -> Vec<Arc<tenure_runtime::Plugin>> {
        self.plugins
            .loaded()
            .iter()
            .filter(|p| p.manifest().world == tenure_runtime::World::HrSource)
            .filter(|p| crate::plugins::is_configured(&self.store, p.manifest()).unwrap_or(false))
            .cloned()
            .collect()
    }

    /// Syncs every configured HR source, one after the other; a failing source does
    /// not stop the others.
    pub async fn sync_all(&self) -> Vec<Result<crate::lifecycle::SyncReport, String>> {
        let mut out = Vec::new();
        for p in self.configured_hr_sources() {
            let r = self.engine.sync(&p).await.map_err(|e| {
                tracing::error!(plugin = p.id(), "sync failed: {e:#}");
                format!("{}: {e:#}", p.id())
            });
            out.push(r);
        }
        out
    }

    /// The app connectors that are installed and set up, by plugin id.
    pub fn connectors(&self) -> crate::plugins::PluginConnectors {
        crate::plugins::PluginConnectors {
            store: self.store.clone(),
            plugins: self.plugins.clone(),
        }
    }

    /// Starts the job runner, which calls app connectors for the jobs decisions queue.
    pub fn start_jobs(&self, config: &Config) -> tokio::task::JoinHandle<()> {
        tenure_engine::jobs::Runner::new(
            self.engine.clone(),
            self.store.clone(),
            Arc::new(self.connectors()),
            config.jobs.clone(),
        )
        .spawn()
    }

    pub fn build(config: &Config, demo: bool) -> anyhow::Result<AppState> {
        let data_dir = &config.server.data_dir;
        let store = Arc::new(crate::key_check::open_store_checked(data_dir)?);
        let mut registry = Registry::default();
        let runtime_metrics = RuntimeMetrics::default();
        runtime_metrics.register(&mut registry);
        let http_metrics = crate::http::metrics::HttpMetrics::default();
        http_metrics.register(&mut registry);
        crate::backup_schedule::register_metrics(&mut registry);
        let runtime = Runtime::new(
            config.runtime_config()?,
            Arc::new(StoreState(store.clone())),
            runtime_metrics,
        )
        .map_err(anyhow::Error::msg)
        .context("cannot start the plugin runtime")?;
        let plugins = PluginSet::load_trusting(&runtime, data_dir, config.plugins.trust()?);
        let loaded = plugins.loaded();
        let manifests: Vec<_> = loaded.iter().map(|p| p.manifest()).collect();
        apply_integrations(&store, &manifests, &config.integrations)?;
        let public_url = config.public_url();
        let mut email = config.email.clone();
        if email.public_url.trim().is_empty() {
            email.public_url = public_url.clone();
        }
        let mail_view = demo.then(crate::email::MailView::default);
        let mailer = match &mail_view {
            Some(view) => crate::email::Mailer::keeping(email, view.clone()),
            None => crate::email::Mailer::new(email)?,
        };
        let first_start = store.user_count()? == 0;
        let engine = Arc::new(
            crate::lifecycle::Engine::load(store.clone(), &config.lifecycle, mailer)?
                .with_hardware_timing(
                    config.hardware.first_track_secs,
                    config.hardware.track_every_secs,
                    config.hardware.command_poll_secs,
                ),
        );
        Ok(AppState {
            engine,
            store,
            plugins: Arc::new(plugins),
            registry: Arc::new(registry),
            http_metrics,
            demo,
            secure_cookies: public_url.starts_with("https://") || config.server.tls.enabled(),
            guards: Arc::new(crate::http::guard::Guards::new(config, first_start)),
            max_connections: config.server.max_connections,
            mail_view,
            oidc: crate::auth::oidc::Oidc::from_config(config)?,
        })
    }
}
