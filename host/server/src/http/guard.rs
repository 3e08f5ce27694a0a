//! Checks every request passes before a handler sees it: the `Host` it was sent to
//! (DNS rebinding), the `Origin` of posted forms (cross-site posts), and the one-time
//! code that guards the first start's admin account.

use crate::app::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::IpAddr;
use std::sync::Mutex;

/// The address the request came from (the TCP peer; behind a proxy, the proxy).
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub Option<IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// Where to go after signing in: only a path on this site. A relative reference that
/// stays on our origin, with no control characters (browsers drop tabs and newlines,
/// turning `/\t/evil.example` into `//evil.example`), no backslashes, no `//`.
pub fn safe_next(next: Option<&str>) -> String {
    let Some(n) = next else {
        return "/".into();
    };
    let plain = n.starts_with('/')
        && !n.starts_with("//")
        && !n.contains('\\')
        && !n.chars().any(|c| c.is_control() || c.is_whitespace());
    let base = url::Url::parse("http://tenure.invalid/").expect("a valid base");
    let stays = base
        .join(n)
        .is_ok_and(|u| u.host_str() == Some("tenure.invalid") && u.scheme() == "http");
    if plain && stays { n.into() } else { "/".into() }
}

/// The guards of one running appliance, built once from its configuration.
pub struct Guards {
    pub hosts: HostPolicy,
    /// Present until the first admin exists.
    pub setup: SetupCode,
    pub sign_in: crate::auth::throttle::SignInThrottle,
    /// `[server] metrics_token`: lets callers other than this machine read `/metrics`.
    pub metrics_token: Option<String>,
}

impl Guards {
    pub fn new(config: &crate::config::Config, first_start: bool) -> Guards {
        Guards {
            hosts: HostPolicy::new(&config.public_url()),
            setup: if first_start {
                SetupCode::generate()
            } else {
                SetupCode::default()
            },
            sign_in: Default::default(),
            metrics_token: config
                .server
                .metrics_token
                .clone()
                .filter(|t| !t.trim().is_empty()),
        }
    }
}

/// Which `Host` names the appliance answers to: its public URL's host, any IP address
/// and `localhost`. A DNS-rebinding page reaches a loopback-bound appliance under the
/// attacker's own name, which is none of these.
#[derive(Debug, Clone)]
pub struct HostPolicy {
    public_host: String,
    public_url: String,
}

impl HostPolicy {
    pub fn new(public_url: &str) -> HostPolicy {
        let public_host = url::Url::parse(public_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
            .unwrap_or_default();
        HostPolicy {
            public_host: public_host.trim_matches(['[', ']']).to_string(),
            public_url: public_url.to_string(),
        }
    }

    /// Whether a request whose `Host` header is `host` (with or without a port) is for us.
    pub fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else {
            return false;
        };
        name.parse::<IpAddr>().is_ok() || name == "localhost" || name == self.public_host
    }
}

/// The name part of a `Host` header, lower-cased, without port or IPv6 brackets.
fn host_name(host: &str) -> Option<String> {
    let host = host.trim();
    if host.is_empty() || host.chars().any(|c| c.is_control() || c == '/' || c == '@') {
        return None;
    }
    let name = if let Some(rest) = host.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.starts_with(':')) {
            return None;
        }
        inside
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
            Some(_) => return None,
            None => host,
        }
    };
    Some(name.trim_end_matches('.').to_ascii_lowercase())
}

/// Middleware: requests naming a host that is not ours are refused (421), before any
/// handler, session or form runs. `/healthz` stays open to probes under any name.
pub async fn check_host(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.uri().path() == "/healthz" {
        return next.run(req).await;
    }
    let host = req
        .headers()
        .get(header::HOST)
        .map(|v| v.to_str().unwrap_or("\u{0}"));
    if let Some(host) = host
        && !state.guards.hosts.allows(host)
    {
        tracing::warn!(host = %host.escape_debug(), "request for a host that is not ours refused");
        return (
            StatusCode::MISDIRECTED_REQUEST,
            format!(
                "This appliance answers to {} (or an IP address). If that is where you \
                 reached it, set [server] public_url (or TENURE_PUBLIC_URL) to the address \
                 people use.\n",
                state.guards.hosts.public_url
            ),
        )
            .into_response();
    }
    next.run(req).await
}

/// Whether a posted form came from this site: a browser's `Origin` must name the host
/// the form was posted to. `Origin: null` (a sandboxed frame, a `data:` page) is
/// refused; no `Origin` at all (older clients, tools) passes, the CSRF token or the
/// password still guarding the form.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let (Ok(origin), Some(host)) = (
        origin.to_str(),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) else {
        return false;
    };
    match url::Url::parse(origin) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => {
            let authority = match (url.host_str(), url.port()) {
                (Some(h), Some(p)) => format!("{h}:{p}"),
                (Some(h), None) => h.to_string(),
                _ => return false,
            };
            authority.eq_ignore_ascii_case(host)
        }
        _ => false,
    }
}

/// The code that the first start prints and the first-admin form asks for, so only
/// someone who can read the appliance's output can claim it. Gone once an admin exists.
#[derive(Debug, Default)]
pub struct SetupCode(Mutex<Option<String>>);

impl SetupCode {
    /// A new code: 20 characters from an alphabet without look-alikes, in groups of 5
    /// (about 100 bits).
    pub fn generate() -> SetupCode {
        const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
        let mut code = String::new();
        for i in 0..20 {
            if i > 0 && i % 5 == 0 {
                code.push('-');
            }
            let pick = rand::random::<u32>() as usize % ALPHABET.len();
            code.push(ALPHABET[pick] as char);
        }
        SetupCode(Mutex::new(Some(code)))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The code while the first admin does not exist yet.
    pub fn current(&self) -> Option<String> {
        self.lock().clone()
    }

    /// Whether `given` is the code (spaces, dashes and case do not matter).
    pub fn matches(&self, given: &str) -> bool {
        let norm = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_lowercase())
                .collect()
        };
        match self.lock().as_deref() {
            Some(code) => crate::auth::session::same_token(&norm(given), &norm(code)),
            None => false,
        }
    }

    /// The first admin exists: the code is spent.
    pub fn spend(&self) {
        *self.lock() = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn answers_to_its_public_name_ip_addresses_and_localhost_only() {
        let p = HostPolicy::new("https://Tenure.Acme.example");
        for ok in [
            "tenure.acme.example",
            "TENURE.acme.example:443",
            "tenure.acme.example.",
            "127.0.0.1:8080",
            "10.1.2.3",
            "[::1]:8080",
            "localhost:8080",
        ] {
            assert!(p.allows(ok), "{ok} should pass");
        }
        for bad in [
            "attacker.example:8080",
            "tenure.acme.example.attacker.example",
            "",
            "127.0.0.1:80a",
            "[::1]x",
            "user@127.0.0.1",
            "localhost.attacker.example",
        ] {
            assert!(!p.allows(bad), "{bad} should be refused");
        }
        let default = HostPolicy::new("http://127.0.0.1:8080");
        assert!(default.allows("127.0.0.1:8080"));
        assert!(!default.allows("rebind.attacker.example:8080"));
    }

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        if let Some(o) = origin {
            h.insert(header::ORIGIN, HeaderValue::from_str(o).unwrap());
        }
        h
    }

    #[test]
    fn a_form_must_come_from_the_host_it_was_posted_to() {
        assert!(same_origin(&headers(
            Some("http://127.0.0.1:8080"),
            "127.0.0.1:8080"
        )));
        assert!(same_origin(&headers(None, "127.0.0.1:8080")));
        assert!(!same_origin(&headers(Some("null"), "127.0.0.1:8080")));
        assert!(!same_origin(&headers(
            Some("http://evil.example"),
            "127.0.0.1:8080"
        )));
        assert!(!same_origin(&headers(
            Some("http://127.0.0.1:8081"),
            "127.0.0.1:8080"
        )));
        assert!(!same_origin(&headers(Some("file://"), "127.0.0.1:8080")));
    }

    #[test]
    fn next_is_a_local_path_only() {
        for ok in ["/", "/tasks", "/employees?q=a%20b", "/tasks/t-1#x"] {
            assert_eq!(safe_next(Some(ok)), ok);
        }
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\\evil.example",
            "https://evil.example",
            "evil.example",
            "/ /evil.example",
            "/\u{7f}/x",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn the_setup_code_matches_loosely_once() {
        let code = SetupCode::generate();
        let text = code.current().unwrap();
        assert_eq!(text.len(), 23);
        assert!(code.matches(&text.to_uppercase().replace('-', " ")));
        assert!(!code.matches("wrong"));
        assert!(!code.matches(""));
        code.spend();
        assert!(!code.matches(&text));
        assert_eq!(code.current(), None);
    }
}
