//! `tenure serve`: the appliance.

use crate::app::AppState;
use crate::config::Config;
use crate::{demo, http};
use anyhow::Context;
use std::time::Duration;

pub async fn run(config: Config, demo_mode: bool) -> anyhow::Result<()> {
    let config = if demo_mode {
        demo::configure(config)
    } else {
        config
    };
    let state = AppState::build(&config, demo_mode)?;
    let tls = http::tls::Tls::start(&config)?;
    let _demo = if demo_mode {
        Some(demo::start(&state).await?)
    } else {
        None
    };
    let listener = tokio::net::TcpListener::bind(&config.server.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.server.listen))?;
    let addr = listener.local_addr()?;
    let _admin = http::admin::spawn(&config.server.data_dir, state.clone())
        .context("cannot open the admin socket in the data directory")?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(
        %addr,
        data_dir = %config.server.data_dir.display(),
        plugins = state.plugins.loaded().len(),
        "tenure is serving on {scheme}://{addr}"
    );
    let _sighup = http::tls::reload_on_sighup(tls.clone())?;
    let _redirect = match &config.server.tls.redirect_http_from {
        Some(from) if tls.is_some() => {
            Some(http::tls::spawn_redirect(from, &config.public_url()).await?)
        }
        _ => None,
    };

    if let Some(code) = state.guards.setup.current()
        && crate::http::ui::user_count(&state).await == Some(0)
    {
        let url = config.public_url();
        tracing::warn!("first start: open {url}/setup and enter the setup code {code}");
        eprintln!(
            "\n  First start. Create the first administrator at {url}/setup\n  with the setup code: {code}\n"
        );
    }
    let _scheduler = {
        let state = state.clone();
        tenure_engine::scheduler::spawn(
            state.engine.clone(),
            config.lifecycle.sync_interval_minutes,
            move || {
                let state = state.clone();
                async move {
                    state.sync_all().await;
                }
            },
        )
    };
    let _jobs = state.start_jobs(&config);
    let _hardware = state.start_hardware(config.hardware.poll_secs);
    let _backups =
        crate::backup_schedule::spawn(state.store.clone(), &config.backup, &config.server.data_dir);
    let grace = Duration::from_secs(config.server.shutdown_grace_secs);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(http::serve_with_tls(listener, state, tls, async {
        let _ = stop_rx.await;
    }));
    shutdown_signal().await;
    tracing::info!("shutting down: finishing requests in flight (up to {grace:?})");
    let _ = stop_tx.send(());
    match tokio::time::timeout(grace, server).await {
        Ok(joined) => joined.context("server task")?.context("server")?,
        Err(_) => tracing::warn!("requests still running after {grace:?}; stopping anyway"),
    }
    let _ = std::fs::remove_file(config.server.data_dir.join(http::admin::SOCKET_NAME));
    tracing::info!("stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM (what systemd sends).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
