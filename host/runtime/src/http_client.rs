//! The host side of the `http` import: one reqwest client over rustls, the allowlist
//! and the address policy ([`crate::egress`]) checked on every request, no redirects,
//! a timeout and a body cap.

use crate::allowlist::Allowlist;
use crate::bindings::v0_2::imports::tenure::plugin::http as wit;
use crate::egress::{CheckedResolver, EgressPolicy, Refused};
use crate::metrics::{HttpLabels, RuntimeMetrics};
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Headers a plugin may not set: the host derives them from the URL and body.
const FORBIDDEN_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "connection",
    "transfer-encoding",
    "upgrade",
    "te",
    "trailer",
    "proxy-authorization",
    "proxy-connection",
    "keep-alive",
];

#[derive(Clone)]
pub(crate) struct HttpClient {
    client: reqwest::Client,
    policy: Arc<EgressPolicy>,
    max_body: usize,
    metrics: RuntimeMetrics,
}

impl HttpClient {
    pub fn new(
        timeout: Duration,
        max_body: usize,
        extra_roots_pem: &[Vec<u8>],
        policy: EgressPolicy,
        metrics: RuntimeMetrics,
    ) -> Result<Self, String> {
        crate::runtime::install_crypto_provider();
        let policy = Arc::new(policy);
        let mut builder = reqwest::Client::builder()
            .tls_backend_rustls()
            .dns_resolver(CheckedResolver(policy.clone()))
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .no_proxy()
            .user_agent(concat!("tenure/", env!("CARGO_PKG_VERSION")));
        for pem in extra_roots_pem {
            let cert = reqwest::Certificate::from_pem(pem).map_err(|e| e.to_string())?;
            builder = builder.tls_certs_merge([cert]);
        }
        let client = builder.build().map_err(|e| e.to_string())?;
        Ok(Self {
            client,
            policy,
            max_body,
            metrics,
        })
    }

    fn count(&self, plugin: &str, host: &str, outcome: &str) {
        self.metrics
            .http_requests
            .get_or_create(&HttpLabels {
                plugin: plugin.into(),
                host: host.into(),
                outcome: outcome.into(),
            })
            .inc();
    }

    pub async fn send(
        &self,
        plugin: &str,
        allowlist: &Allowlist,
        req: wit::Request,
    ) -> Result<wit::Response, wit::HttpError> {
        let url = Url::parse(&req.url)
            .map_err(|e| wit::HttpError::Invalid(format!("bad URL `{}`: {e}", req.url)))?;
        if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
            return Err(wit::HttpError::Invalid(
                "a URL with user@ credentials or a #fragment is refused; send credentials in a header"
                    .into(),
            ));
        }
        // Metrics label requests by the allowlist rule they matched, never by a host the
        // plugin made up: the label set stays as small as the manifest.
        let Some(host) = allowlist.label(&url) else {
            let host = url.host_str().unwrap_or("");
            self.count(plugin, "(not allowed)", "denied");
            tracing::warn!(plugin, %host, "outbound request refused: host not allowed");
            return Err(wit::HttpError::Denied(format!(
                "{} is not among the allowed hosts of plugin `{plugin}` (its manifest's allowed_hosts and URL settings)",
                url.origin().ascii_serialization()
            )));
        };
        if let Err(refused) = self.policy.check_url(&url) {
            return Err(self.refused(plugin, &host, &refused));
        }
        let method = match req.method {
            wit::Method::Get => reqwest::Method::GET,
            wit::Method::Head => reqwest::Method::HEAD,
            wit::Method::Post => reqwest::Method::POST,
            wit::Method::Put => reqwest::Method::PUT,
            wit::Method::Patch => reqwest::Method::PATCH,
            wit::Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.client.request(method, url);
        for (name, value) in &req.headers {
            if FORBIDDEN_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                continue;
            }
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| wit::HttpError::Invalid(format!("bad header name `{name}`")))?;
            let value = reqwest::header::HeaderValue::from_str(value)
                .map_err(|_| wit::HttpError::Invalid(format!("bad value for header `{name}`")))?;
            builder = builder.header(name, value);
        }
        if let Some(body) = req.body {
            builder = builder.body(body);
        }
        let mut resp = match builder.send().await {
            Ok(r) => r,
            Err(e) => return Err(self.transport_error(plugin, &host, e)),
        };
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > self.max_body {
                        self.count(plugin, &host, "too_large");
                        return Err(wit::HttpError::Transport(format!(
                            "the answer is larger than {} MiB",
                            self.max_body >> 20
                        )));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(self.transport_error(plugin, &host, e)),
            }
        }
        self.count(plugin, &host, &format!("{}xx", status / 100));
        Ok(wit::Response {
            status,
            headers,
            body,
        })
    }

    fn refused(&self, plugin: &str, host: &str, refused: &Refused) -> wit::HttpError {
        self.count(plugin, host, "denied");
        tracing::warn!(plugin, %host, "outbound request refused: {refused}");
        wit::HttpError::Denied(refused.to_string())
    }

    fn transport_error(&self, plugin: &str, host: &str, e: reqwest::Error) -> wit::HttpError {
        if e.is_timeout() {
            self.count(plugin, host, "timeout");
            return wit::HttpError::Timeout;
        }
        let mut msg = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            // The resolver refused every address of the name.
            if let Some(refused) = s.downcast_ref::<Refused>() {
                return self.refused(plugin, host, refused);
            }
            msg.push_str(": ");
            msg.push_str(&s.to_string());
            source = s.source();
        }
        self.count(plugin, host, "transport");
        wit::HttpError::Transport(msg)
    }
}
