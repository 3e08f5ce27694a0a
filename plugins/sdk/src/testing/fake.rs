//! The fake host's state and the host functions [`crate::hostcall`] calls natively.

use super::manifest::{Kind, Manifest};
use super::{RecordedRequest, Reply};
use crate::hostcall::{HttpError, Level, Request, Response, SignError};
use crate::http::Method;
use base64::Engine;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

pub(crate) type Responder = Rc<RefCell<dyn FnMut(&RecordedRequest) -> Reply>>;

pub(crate) enum Match {
    Exact(String),
    Prefix(String),
}

impl Match {
    fn matches(&self, url: &str) -> bool {
        match self {
            Match::Exact(u) => url == u,
            Match::Prefix(p) => url.starts_with(p.as_str()),
        }
    }
}

pub(crate) struct Route {
    pub method: Method,
    pub url: Match,
    pub responder: Responder,
    /// `None`: answers every time.
    pub remaining: Option<usize>,
}

impl Route {
    fn describe(&self) -> String {
        let (how, url) = match &self.url {
            Match::Exact(u) => ("", u.as_str()),
            Match::Prefix(p) => (" (prefix)", p.as_str()),
        };
        let left = match self.remaining {
            None => String::new(),
            Some(0) => " [used up]".to_string(),
            Some(n) => format!(" [{n} left]"),
        };
        format!("{} {url}{how}{left}", method_name(self.method))
    }
}

pub(crate) fn method_name(m: Method) -> &'static str {
    match m {
        Method::Get => "GET",
        Method::Head => "HEAD",
        Method::Post => "POST",
        Method::Put => "PUT",
        Method::Patch => "PATCH",
        Method::Delete => "DELETE",
    }
}

pub(crate) struct State {
    pub manifest: Option<Manifest>,
    pub config: BTreeMap<String, String>,
    pub secrets: BTreeMap<String, String>,
    /// Signing keys set, with the identity they sign for.
    pub signing_keys: BTreeMap<String, Option<String>>,
    /// Value and expiry (Unix seconds).
    pub kv: BTreeMap<String, (Vec<u8>, Option<i64>)>,
    pub now: i64,
    pub routes: Vec<Route>,
    pub requests: Vec<RecordedRequest>,
    pub logs: Vec<(Level, String)>,
    /// Unscripted requests fail as a transport error instead of failing the test
    /// (for [`super::assert_capabilities_match`]).
    pub lenient: bool,
}

impl State {
    pub fn new() -> State {
        State {
            manifest: None,
            config: BTreeMap::new(),
            secrets: BTreeMap::new(),
            signing_keys: BTreeMap::new(),
            kv: BTreeMap::new(),
            now: super::DEFAULT_NOW_UNIX,
            routes: Vec::new(),
            requests: Vec::new(),
            logs: Vec::new(),
            lenient: false,
        }
    }

    pub fn note(&mut self, level: Level, message: String) {
        eprintln!("[{}] {message}", level_name(level));
        self.logs.push((level, message));
    }

    fn kind(&self, key: &str) -> Option<Kind> {
        self.manifest
            .as_ref()
            .map(|m| m.setting(key).map(|s| s.kind))
            .unwrap_or(None)
    }

    fn config(&mut self, key: &str) -> Option<String> {
        let Some(m) = &self.manifest else {
            return self.config.get(key).cloned();
        };
        match m.setting(key) {
            None => {
                let msg = format!(
                    "fake host: config(\"{key}\") reads a setting the manifest does not declare (the host answers none)"
                );
                self.note(Level::Warn, msg);
                None
            }
            Some(s) if matches!(s.kind, Kind::Secret | Kind::SigningKey) => {
                let msg = format!(
                    "fake host: config(\"{key}\") reads a {} setting (the host answers none; use {})",
                    if s.kind == Kind::Secret {
                        "secret"
                    } else {
                        "signing-key"
                    },
                    if s.kind == Kind::Secret {
                        "settings::secret"
                    } else {
                        "jwt::sign"
                    }
                );
                self.note(Level::Warn, msg);
                None
            }
            Some(s) => self.config.get(key).cloned().or_else(|| s.default.clone()),
        }
    }

    fn secret(&mut self, key: &str) -> Option<String> {
        match self.kind(key) {
            Some(Kind::Secret) => self.secrets.get(key).cloned(),
            None if self.manifest.is_none() => self.secrets.get(key).cloned(),
            other => {
                let msg = match other {
                    Some(Kind::SigningKey) => format!(
                        "fake host: secret(\"{key}\") reads a signing-key setting (the host answers none; use jwt::sign)"
                    ),
                    Some(_) => format!(
                        "fake host: secret(\"{key}\") reads a setting that is not of kind secret (the host answers none)"
                    ),
                    None => format!(
                        "fake host: secret(\"{key}\") reads a setting the manifest does not declare (the host answers none)"
                    ),
                };
                self.note(Level::Warn, msg);
                None
            }
        }
    }
}

fn level_name(l: Level) -> &'static str {
    match l {
        Level::Debug => "debug",
        Level::Info => "info",
        Level::Warn => "warn",
        Level::Error => "error",
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<RefCell<State>>>> = const { RefCell::new(None) };
}

pub(crate) fn install(state: Rc<RefCell<State>>) -> Option<Rc<RefCell<State>>> {
    CURRENT.with(|c| c.borrow_mut().replace(state))
}

pub(crate) fn uninstall(state: &Rc<RefCell<State>>) {
    CURRENT.with(|c| {
        let mut c = c.borrow_mut();
        if c.as_ref().is_some_and(|s| Rc::ptr_eq(s, state)) {
            *c = None;
        }
    });
}

pub(crate) fn restore(previous: Option<Rc<RefCell<State>>>) {
    CURRENT.with(|c| *c.borrow_mut() = previous);
}

fn current(call: &str) -> Rc<RefCell<State>> {
    CURRENT.with(|c| c.borrow().clone()).unwrap_or_else(|| {
        panic!(
            "the plugin called the host ({call}) natively, but no fake host is installed on this \
             thread. In a unit test, start with `let host = tenure_sdk::testing::FakeHost::new();` \
             (keep `host` alive for the whole test); the real host runs only wasm32 components."
        )
    })
}

fn with<R>(call: &str, f: impl FnOnce(&mut State) -> R) -> R {
    let state = current(call);
    let mut s = state.borrow_mut();
    f(&mut s)
}

pub(crate) fn log(level: Level, message: &str) {
    with("log", |s| s.note(level, message.to_string()))
}

pub(crate) fn config(key: &str) -> Option<String> {
    with(&format!("config(\"{key}\")"), |s| s.config(key))
}

pub(crate) fn secret(key: &str) -> Option<String> {
    with(&format!("secret(\"{key}\")"), |s| s.secret(key))
}

pub(crate) fn signing_identity(key: &str) -> Option<String> {
    with(&format!("signing-identity(\"{key}\")"), |s| {
        s.signing_keys.get(key).cloned().flatten()
    })
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn sign_jwt(key: &str, claims: &str) -> Result<String, SignError> {
    with(&format!("sign-jwt(\"{key}\")"), |s| {
        if s.manifest.is_some() && s.kind(key) != Some(Kind::SigningKey) {
            return Err(SignError::NoKey(format!(
                "`{key}` is not a signing-key setting of this plugin"
            )));
        }
        let Some(identity) = s.signing_keys.get(key).cloned() else {
            return Err(SignError::NoKey(format!(
                "the signing key `{key}` is not set"
            )));
        };
        let mut claims: serde_json::Value = serde_json::from_str(claims)
            .map_err(|e| SignError::Invalid(format!("the claims are not JSON: {e}")))?;
        let Some(object) = claims.as_object_mut() else {
            return Err(SignError::Invalid(
                "the claims are not a JSON object".into(),
            ));
        };
        if let Some(email) = &identity {
            object
                .entry("iss")
                .or_insert_with(|| serde_json::Value::String(email.clone()));
        }
        let header =
            serde_json::json!({"alg": "RS256", "typ": "JWT", "kid": format!("fake-{key}")});
        Ok(format!(
            "{}.{}.{}",
            b64(header.to_string().as_bytes()),
            b64(claims.to_string().as_bytes()),
            b64(format!("fake-signature:{key}").as_bytes())
        ))
    })
}

pub(crate) fn kv_get(key: &str) -> Option<Vec<u8>> {
    with(&format!("kv-get(\"{key}\")"), |s| {
        let now = s.now;
        s.kv.get(key)
            .filter(|(_, exp)| exp.is_none_or(|e| e > now))
            .map(|(v, _)| v.clone())
    })
}

pub(crate) fn kv_set(key: &str, value: &[u8], ttl_seconds: Option<u32>) {
    with(&format!("kv-set(\"{key}\")"), |s| {
        if key.len() > crate::kv::MAX_KEY_BYTES || value.len() > crate::kv::MAX_VALUE_BYTES {
            let msg = format!(
                "fake host: kv-set(\"{}\") ignored, as the host does: key over {} bytes or value over {} bytes ({} bytes)",
                crate::http::excerpt(key),
                crate::kv::MAX_KEY_BYTES,
                crate::kv::MAX_VALUE_BYTES,
                value.len()
            );
            s.note(Level::Warn, msg);
            return;
        }
        let expires = ttl_seconds.map(|t| s.now + i64::from(t));
        s.kv.insert(key.to_string(), (value.to_vec(), expires));
    })
}

pub(crate) fn kv_delete(key: &str) {
    with(&format!("kv-delete(\"{key}\")"), |s| {
        s.kv.remove(key);
    })
}

pub(crate) fn now() -> String {
    with("now", |s| crate::time::format_rfc3339(s.now))
}

pub(crate) fn send(req: &Request) -> Result<Response, HttpError> {
    let recorded = RecordedRequest {
        method: req.method,
        url: req.url.clone(),
        headers: req.headers.clone(),
        body: req.body.clone(),
    };
    let state = current(&format!(
        "http send {} {}",
        method_name(req.method),
        req.url
    ));
    // Decide under the borrow, answer without it: a closure may use the FakeHost.
    let responder = {
        let mut s = state.borrow_mut();
        s.requests.push(recorded.clone());
        if let Some(denied) = check_request(&mut s, &recorded) {
            return Err(denied);
        }
        let lenient = s.lenient;
        let found = s
            .routes
            .iter_mut()
            .find(|r| r.method == req.method && r.url.matches(&req.url) && r.remaining != Some(0))
            .map(|route| {
                if let Some(n) = route.remaining.as_mut() {
                    *n -= 1;
                }
                route.responder.clone()
            });
        match found {
            Some(responder) => responder,
            None if lenient => {
                return Err(HttpError::Transport("fake host: no route (lenient)".into()));
            }
            None => {
                let scripted = if s.routes.is_empty() {
                    "  (none)".to_string()
                } else {
                    s.routes
                        .iter()
                        .map(|r| format!("  {}", r.describe()))
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                let asked = s
                    .requests
                    .iter()
                    .map(|r| format!("  {} {}", method_name(r.method), r.url))
                    .collect::<Vec<_>>()
                    .join("\n");
                let method = req.method;
                drop(s);
                panic!(
                    "fake host: no scripted answer for {} {}\n\
                     routes scripted:\n{scripted}\n\
                     requests so far (this one last):\n{asked}\n\
                     script it, e.g. host.on({method:?}, \"{}\").reply(Reply::json(200, &serde_json::json!({{}})));",
                    method_name(method),
                    req.url,
                    req.url
                );
            }
        }
    };
    let reply = (responder.borrow_mut())(&recorded);
    reply.into_result()
}

/// What the host checks before sending: the URL, the headers the host sets itself,
/// and (with a manifest) the allowlist.
fn check_request(s: &mut State, req: &RecordedRequest) -> Option<HttpError> {
    let url = match url::Url::parse(&req.url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => u,
        _ => {
            return Some(HttpError::Invalid(format!(
                "`{}` is not an absolute http or https URL",
                crate::http::excerpt(&req.url)
            )));
        }
    };
    if !url.username().is_empty() || url.password().is_some() || url.fragment().is_some() {
        return Some(HttpError::Invalid(
            "a URL with user@ credentials or a #fragment is refused; send credentials in a header"
                .into(),
        ));
    }
    let manifest = s.manifest.clone()?;
    let allowed = manifest.allows(&url, |k| s.config(k));
    if allowed {
        return None;
    }
    let origin = url.origin().ascii_serialization();
    let msg = format!(
        "{origin} is not among the allowed hosts of plugin `{}` (its manifest's allowed_hosts and URL settings); \
         add \"{origin}\" to allowed_hosts in manifest.toml, or a {{setting}} of kind url that holds it",
        manifest.id
    );
    s.note(Level::Warn, format!("fake host: refused: {msg}"));
    Some(HttpError::Denied(msg))
}
