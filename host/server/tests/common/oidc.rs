//! Single sign-on for tests: a real OpenID Connect provider (the `oidc-provider` npm
//! package, tests/oidc/provider.mjs, run with Node), Tenure with `[oidc]` pointing at
//! it, and a cookie-keeping client that walks the provider's login form as a browser.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;
use tenure::auth::oidc::OidcConfig;

pub const CLIENT_ID: &str = "tenure-test";
pub const CLIENT_SECRET: &str = "test-client-secret-4f9a";

/// tests/oidc, where provider.mjs and its node_modules are.
pub fn provider_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/oidc")
}

/// Whether the provider can run here. Without Node or `npm ci` in tests/oidc the
/// tests say so and pass, except under CI (`CI` set), where that is a failure.
pub fn provider_available() -> bool {
    let modules = provider_dir().join("node_modules/oidc-provider");
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if node && modules.exists() {
        return true;
    }
    let why = if node {
        "tests/oidc/node_modules is missing (run `npm ci` in tests/oidc, or `cargo xtask test`)"
    } else {
        "node is not installed"
    };
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(
        !ci,
        "the single sign-on tests need their identity provider: {why}"
    );
    eprintln!("SKIPPED: the single sign-on tests need their identity provider: {why}");
    false
}

/// One person at the provider.
pub fn account(sub: &str, email: &str, groups: &[&str]) -> Value {
    json!({
        "sub": sub, "email": email, "email_verified": true,
        "name": format!("{sub} (IdP)"), "groups": groups,
    })
}

/// The provider process; killed when dropped.
pub struct Provider {
    child: Child,
    pub issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Provider {
    /// Starts provider.mjs for Tenure's `redirect_uri`; returns once it said "ready".
    pub fn start(redirect_uri: &str, accounts: &[Value]) -> Provider {
        let port = super::free_port();
        let mut child = Command::new("node")
            .arg("provider.mjs")
            .arg(port.to_string())
            .current_dir(provider_dir())
            .env("OIDC_CLIENT_ID", CLIENT_ID)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .env("OIDC_REDIRECT_URI", redirect_uri)
            .env("OIDC_ACCOUNTS", Value::from(accounts.to_vec()).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("node starts");
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("[idp] {line}");
            }
        });
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(issuer) = line.strip_prefix("ready ") {
                    let _ = tx.send(issuer.trim().to_string());
                } else {
                    eprintln!("[idp] {line}");
                }
            }
        });
        let issuer = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the identity provider said ready");
        Provider { child, issuer }
    }
}

/// `[oidc]` for the test provider: groups `tenure-admins`, `it-onboarding`,
/// `it-hardware`, `it-apps` give the roles.
pub fn oidc_config(issuer: &str) -> OidcConfig {
    OidcConfig {
        issuer: issuer.into(),
        client_id: CLIENT_ID.into(),
        client_secret: tenure::auth::oidc::config::Secret::new(CLIENT_SECRET.into()),
        display_name: "Acme SSO".into(),
        scopes: Some("openid email profile groups".into()),
        admin_groups: vec!["tenure-admins".into()],
        onboarding_champion_groups: vec!["it-onboarding".into()],
        hardware_champion_groups: vec!["it-hardware".into()],
        app_champion_groups: vec!["it-apps".into()],
        ..OidcConfig::default()
    }
}

/// Tenure on a loopback port whose public URL is known before it starts (the provider
/// must know the redirect URI), with `[oidc]` from `oidc`.
pub struct Sso {
    pub base: String,
    pub state: tenure::app::AppState,
    pub provider: Option<Provider>,
    _dir: tempfile::TempDir,
}

impl Sso {
    /// A provider with `accounts`, and Tenure set up against it (`change` may adjust
    /// the `[oidc]` section).
    pub async fn start(accounts: &[Value], change: impl FnOnce(&mut OidcConfig)) -> Sso {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let provider = Provider::start(&format!("{base}/auth/oidc/callback"), accounts);
        let mut oidc = oidc_config(&provider.issuer);
        change(&mut oidc);
        Sso::serve(listener, base, oidc, Some(provider)).await
    }

    /// Tenure with `[oidc]` as given and no provider started.
    pub async fn without_provider(oidc: OidcConfig) -> Sso {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        Sso::serve(listener, base, oidc, None).await
    }

    async fn serve(
        listener: tokio::net::TcpListener,
        base: String,
        oidc: OidcConfig,
        provider: Option<Provider>,
    ) -> Sso {
        tenure_runtime::install_crypto_provider();
        let dir = tempfile::tempdir().unwrap();
        let mut config = tenure::config::Config::default();
        config.server.data_dir = dir.path().join("data");
        config.server.listen = base.trim_start_matches("http://").to_string();
        config.server.public_url = base.clone();
        config.oidc = Some(oidc);
        let state = tenure::app::AppState::build(&config, false).unwrap();
        tokio::spawn(tenure::http::serve(
            listener,
            state.clone(),
            std::future::pending(),
        ));
        Sso {
            base,
            state,
            provider,
            _dir: dir,
        }
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    pub url: String,
}

impl Reply {
    pub fn location(&self) -> String {
        let to = self
            .headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        url::Url::parse(&self.url)
            .and_then(|u| u.join(to))
            .map(|u| u.to_string())
            .unwrap_or_default()
    }
}

/// A browser as far as cookies go: one jar for every host (Tenure and the provider are
/// both on 127.0.0.1, and cookies do not tell ports apart), no redirects followed on
/// its own.
pub struct Browser {
    http: reqwest::Client,
    jar: Mutex<BTreeMap<String, String>>,
}

impl Default for Browser {
    fn default() -> Self {
        Browser {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            jar: Mutex::new(BTreeMap::new()),
        }
    }
}

impl Browser {
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.jar.lock().unwrap().get(name).cloned()
    }

    fn cookie_header(&self) -> String {
        self.jar
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&self, url: &str, req: reqwest::RequestBuilder) -> Reply {
        let req = match self.cookie_header() {
            c if c.is_empty() => req,
            c => req.header("cookie", c),
        };
        let r = req.send().await.unwrap();
        let headers = r.headers().clone();
        for c in headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
        {
            let first = c.split(';').next().unwrap_or("");
            let Some((name, value)) = first.split_once('=') else {
                continue;
            };
            let gone = value.is_empty()
                || c.to_ascii_lowercase().contains("max-age=0")
                || c.to_ascii_lowercase().contains("expires=thu, 01 jan 1970");
            let mut jar = self.jar.lock().unwrap();
            if gone {
                jar.remove(name.trim());
            } else {
                jar.insert(name.trim().to_string(), value.to_string());
            }
        }
        Reply {
            status: r.status(),
            headers,
            body: String::from_utf8_lossy(&r.bytes().await.unwrap()).into_owned(),
            url: url.to_string(),
        }
    }

    pub async fn get(&self, url: &str) -> Reply {
        self.send(url, self.http.get(url)).await
    }

    pub async fn post_form(&self, url: &str, form: &[(&str, &str)]) -> Reply {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let req = self
            .http
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(url, req).await
    }

    /// Follows redirects from `reply` while they stay at the provider; returns the first
    /// answer that is not one (its login form) or the redirect that leaves it.
    pub async fn through_provider(&self, mut reply: Reply, provider: &str) -> Reply {
        for _ in 0..10 {
            if !reply.status.is_redirection() || !reply.location().starts_with(provider) {
                return reply;
            }
            reply = self.get(&reply.location()).await;
        }
        panic!("too many redirects at the provider, at {}", reply.url)
    }

    /// Starts single sign-on at Tenure and stops at the provider's login form.
    pub async fn open_login_form(&self, sso: &Sso, next: &str) -> Reply {
        let start = self
            .get(&format!("{}/auth/oidc/start?next={next}", sso.base))
            .await;
        assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.body);
        let issuer = &sso.provider.as_ref().unwrap().issuer;
        assert!(start.location().starts_with(issuer), "{}", start.location());
        let form = self.through_provider(start, issuer).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert!(form.body.contains("name=\"login\""), "{}", form.body);
        form
    }

    /// Signs in at the provider as `login`; returns the URL of Tenure's callback it
    /// sends the browser to (not yet visited).
    pub async fn callback_url(&self, sso: &Sso, login: &str, next: &str) -> String {
        let form = self.open_login_form(sso, next).await;
        let action = form_action(&form);
        let issuer = &sso.provider.as_ref().unwrap().issuer;
        let posted = self
            .post_form(
                &action,
                &[("prompt", "login"), ("login", login), ("password", "any")],
            )
            .await;
        let back = self.through_provider(posted, issuer).await;
        assert!(
            back.status.is_redirection(),
            "{} {}",
            back.status,
            back.body
        );
        let to = back.location();
        assert!(
            to.starts_with(&format!("{}/auth/oidc/callback?", sso.base)),
            "{to}"
        );
        to
    }

    /// The whole sign-in: the callback's answer.
    pub async fn sign_in(&self, sso: &Sso, login: &str, next: &str) -> Reply {
        let to = self.callback_url(sso, login, next).await;
        self.get(&to).await
    }
}

/// The login form's `action`, absolute.
pub fn form_action(form: &Reply) -> String {
    let at = form.body.find("action=\"").expect("a form") + "action=\"".len();
    let action = &form.body[at..];
    let action = &action[..action.find('"').unwrap()];
    url::Url::parse(&form.url)
        .unwrap()
        .join(&action.replace("&amp;", "&"))
        .unwrap()
        .to_string()
}
