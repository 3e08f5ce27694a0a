//! HTTP: the UI, the API and the operational endpoints, one router per concern.

pub mod admin;
pub mod admin_plugins;
pub mod api;
pub mod guard;
mod health;
pub mod listener;
pub mod metrics;
pub mod tls;
pub mod ui;
mod webhooks;

use crate::app::AppState;
use axum::Router;
use std::future::Future;
use tokio::net::TcpListener;

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(metrics::router())
        .merge(ui::router())
        .merge(api::router())
        .merge(webhooks::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::check_host,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state)
}

/// Serves until `shutdown` resolves, then lets in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = listener::Limits {
        max_connections: state.max_connections,
        ..listener::Limits::default()
    };
    listener::serve(listener, router(state), limits, shutdown).await
}

/// Like [`serve`]; over HTTPS when `tls` is given (`[server.tls]`).
pub async fn serve_with_tls(
    listener: TcpListener,
    state: AppState,
    tls: Option<std::sync::Arc<tls::Tls>>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = listener::Limits {
        max_connections: state.max_connections,
        ..listener::Limits::default()
    };
    listener::serve_with(listener, router(state), limits, tls, shutdown).await
}
