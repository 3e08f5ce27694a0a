//! HTTP: the UI, the API and the operational endpoints, one router per concern.

pub mod admin;
pub mod api;
mod health;
pub mod metrics;
pub mod ui;
mod webhooks;

use crate::app::AppState;
use axum::Router;
use axum::serve::ListenerExt;
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
    // Without TCP_NODELAY, streamed pages wait on delayed ACKs (~40 ms each).
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
