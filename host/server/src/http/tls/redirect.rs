//! `[server.tls] redirect_http_from`: a plain-http listener that answers every request
//! with 308 to the same path on the https public URL. The target's host is always the
//! configured one: a request's `Host` header is never copied into `Location`.

use crate::http::listener::{self, Limits};
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// Connections the redirect listener serves at once: it only ever sends one line back.
const MAX_CONNECTIONS: usize = 64;

/// `Location` for a request to `uri`: the public URL's origin, then the request's path
/// and query. `public_url` must be an https URL; only its scheme, host and port count.
pub fn location(public_url: &str, uri: &Uri) -> String {
    let origin = url::Url::parse(public_url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    let path = uri
        .path_and_query()
        .map(|pq| pq.as_str())
        .filter(|pq| pq.starts_with('/'))
        .unwrap_or("/");
    format!("{origin}{path}")
}

fn router(public_url: String) -> Router {
    Router::new().fallback(move |req: Request| {
        let target = location(&public_url, req.uri());
        async move { redirect(&target) }
    })
}

fn redirect(target: &str) -> Response {
    match HeaderValue::from_str(target) {
        Ok(value) => (
            StatusCode::PERMANENT_REDIRECT,
            [
                (header::LOCATION, value),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            "this site is served over https\n",
        )
            .into_response(),
        Err(_) => (StatusCode::BAD_REQUEST, "bad request path\n").into_response(),
    }
}

/// Binds `from` and serves redirects to `public_url` until the returned task is
/// aborted (or the process ends).
pub async fn spawn_redirect(
    from: &str,
    public_url: &str,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    use anyhow::Context;
    let parsed = url::Url::parse(public_url)
        .with_context(|| format!("the public URL `{public_url}` is not a URL"))?;
    let unspecified = parsed
        .host_str()
        .map(|h| h.trim_start_matches('[').trim_end_matches(']'))
        .and_then(|h| h.parse::<std::net::IpAddr>().ok())
        .is_some_and(|ip| ip.is_unspecified());
    if parsed.scheme() != "https" || unspecified {
        anyhow::bail!(
            "server.tls.redirect_http_from needs server.public_url set to the https address \
             people use (e.g. https://tenure.example.com), not `{public_url}`"
        );
    }
    let socket = tokio::net::TcpListener::bind(from)
        .await
        .with_context(|| format!("cannot listen on {from} (server.tls.redirect_http_from)"))?;
    tracing::info!(
        "redirecting http://{} to {public_url}",
        socket.local_addr()?
    );
    let limits = Limits {
        max_connections: MAX_CONNECTIONS,
        header_timeout: Duration::from_secs(10),
        body_timeout: Duration::from_secs(10),
        max_body_bytes: 64 << 10,
    };
    let app = router(public_url.to_string());
    Ok(tokio::spawn(async move {
        if let Err(e) = listener::serve(socket, app, limits, std::future::pending()).await {
            tracing::error!("the http redirect listener stopped: {e}");
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    #[test]
    fn keeps_path_and_query_on_the_configured_host() {
        let to = |uri: &str| location("https://tenure.example.com", &uri.parse().unwrap());
        assert_eq!(
            to("/tasks?page=2&q=a%20b"),
            "https://tenure.example.com/tasks?page=2&q=a%20b"
        );
        assert_eq!(to("/"), "https://tenure.example.com/");
        // Absolute-form request targets keep only their path.
        assert_eq!(
            to("http://evil.example/steal?x=1"),
            "https://tenure.example.com/steal?x=1"
        );
        assert_eq!(to("*"), "https://tenure.example.com/");
        assert_eq!(
            location("https://tenure.example.com:8443/", &"/a".parse().unwrap()),
            "https://tenure.example.com:8443/a"
        );
    }

    #[tokio::test]
    async fn an_evil_host_header_is_not_reflected() {
        let app = router("https://tenure.example.com".into());
        let res = app
            .oneshot(
                Request::builder()
                    .uri("/sign-in?next=%2Ftasks")
                    .header(header::HOST, "evil.example")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::PERMANENT_REDIRECT);
        assert_eq!(
            res.headers()[header::LOCATION],
            "https://tenure.example.com/sign-in?next=%2Ftasks"
        );
    }

    #[tokio::test]
    async fn refuses_to_send_people_nowhere() {
        let e = spawn_redirect("127.0.0.1:0", "https://0.0.0.0:8443")
            .await
            .unwrap_err();
        assert!(format!("{e:#}").contains("public_url"), "{e:#}");
        assert!(
            spawn_redirect("127.0.0.1:0", "http://tenure.example.com")
                .await
                .is_err()
        );
    }
}
