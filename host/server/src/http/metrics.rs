//! `GET /metrics` in Prometheus text format, and the request counter behind it. Every
//! label takes its value from a bounded set, so no client can grow the page; the page
//! answers this machine (not through a proxy) or a caller with `[server] metrics_token`.

use crate::app::AppState;
use crate::http::guard::Peer;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub method: String,
    pub route: String,
    pub status: u16,
}

#[derive(Clone, Default)]
pub struct HttpMetrics {
    requests: Family<RequestLabels, Counter>,
}

impl HttpMetrics {
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "tenure_http_requests",
            "HTTP requests served, by route and status",
            self.requests.clone(),
        );
    }
}

pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

/// Whether a scrape may read the metrics: from this machine directly (a loopback peer
/// and no proxy's forwarding headers), or with the configured bearer token.
pub fn may_scrape(
    peer: Option<std::net::IpAddr>,
    headers: &HeaderMap,
    token: Option<&str>,
) -> bool {
    if let Some(token) = token {
        let sent = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if crate::auth::session::same_token(sent.trim(), token) {
            return true;
        }
    }
    let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"]
        .iter()
        .any(|h| headers.contains_key(*h));
    peer.is_some_and(|p| p.is_loopback()) && !forwarded
}

async fn metrics(State(state): State<AppState>, Peer(peer): Peer, headers: HeaderMap) -> Response {
    if !may_scrape(peer, &headers, state.guards.metrics_token.as_deref()) {
        return (
            StatusCode::FORBIDDEN,
            "metrics answer this machine only; set [server] metrics_token (TENURE_METRICS_TOKEN) \
             and send it as a bearer token to scrape from elsewhere\n",
        )
            .into_response();
    }
    let mut out = String::new();
    match prometheus_client::encoding::text::encode(&mut out, &state.registry) {
        Ok(()) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            out,
        )
            .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// The method as a label: the standard ones by name, anything invented as `other`.
fn method_label(method: &Method) -> String {
    const KNOWN: [Method; 9] = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::OPTIONS,
        Method::CONNECT,
        Method::TRACE,
    ];
    if KNOWN.contains(method) {
        method.as_str().to_string()
    } else {
        "other".to_string()
    }
}

/// Counts every request by its route pattern (never the raw path: ids would explode
/// the label set).
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = method_label(req.method());
    let resp = next.run(req).await;
    state
        .http_metrics
        .requests
        .get_or_create(&RequestLabels {
            method,
            route,
            status: resp.status().as_u16(),
        })
        .inc();
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn invented_methods_share_one_label() {
        assert_eq!(method_label(&Method::GET), "GET");
        let invented = Method::from_bytes(&[b'X'; 2000]).unwrap();
        assert_eq!(method_label(&invented), "other");
    }

    #[test]
    fn metrics_answer_loopback_or_the_token() {
        let local = Some("127.0.0.1".parse().unwrap());
        let remote = Some("192.0.2.9".parse().unwrap());
        let none = HeaderMap::new();
        assert!(may_scrape(local, &none, None));
        assert!(!may_scrape(remote, &none, None));
        assert!(!may_scrape(None, &none, None));
        let mut proxied = HeaderMap::new();
        proxied.insert("x-forwarded-for", HeaderValue::from_static("192.0.2.9"));
        assert!(
            !may_scrape(local, &proxied, None),
            "a local proxy relays others"
        );
        let mut bearer = HeaderMap::new();
        bearer.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer s3cret-token"),
        );
        assert!(may_scrape(remote, &bearer, Some("s3cret-token")));
        assert!(!may_scrape(remote, &bearer, Some("other-token")));
        assert!(!may_scrape(remote, &none, Some("s3cret-token")));
    }
}
