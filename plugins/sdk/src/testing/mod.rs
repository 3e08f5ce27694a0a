//! A fake host for native unit tests: a plugin's plain `cargo test` runs its code
//! without wasmtime or the appliance.
//!
//! Every host call the SDK makes (settings, secrets, signing, key-value, clock, log,
//! HTTP) goes to the [`FakeHost`] installed on the test's thread. Script the HTTP
//! answers, call the plugin's trait methods, then assert on the result and on the
//! requests the plugin sent:
//!
//! ```
//! use tenure_sdk::testing::{FakeHost, Method, Reply};
//! use tenure_sdk::{Error, http, settings};
//! # fn count_users() -> Result<u64, Error> {
//! #     let key = settings::required_secret("api_key")?;
//! #     let v: serde_json::Value = http::get("https://api.example.com/v1/users").bearer(&key).send()?.json()?;
//! #     Ok(v["total"].as_u64().unwrap_or(0))
//! # }
//!
//! let host = FakeHost::new().secret("api_key", "k-123");
//! host.on(Method::Get, "https://api.example.com/v1/users")
//!     .once()
//!     .reply(Reply::status(429).header("retry-after", "17"));
//! host.on(Method::Get, "https://api.example.com/v1/users")
//!     .reply(Reply::json(200, &serde_json::json!({"total": 3})));
//!
//! assert_eq!(count_users(), Err(Error::RateLimited(17)));
//! assert_eq!(count_users(), Ok(3));
//! assert_eq!(host.requests()[1].header("authorization"), Some("Bearer k-123"));
//! ```
//!
//! - **Settings** — [`FakeHost::config`], [`FakeHost::secret`], [`FakeHost::signing_key`].
//!   With [`FakeHost::with_manifest`] the fake reads your `manifest.toml` the way the
//!   host does: defaults apply, undeclared keys and keys of the wrong kind read as
//!   absent (with a warning in the log), and requests to hosts the manifest does not
//!   allow are refused (`denied`, naming the line to add). The manifest itself is
//!   checked by the host's rules, so a typo fails the test.
//! - **Key-value** — the plugin's store, with TTLs measured on the fake clock;
//!   [`FakeHost::kv`] / [`FakeHost::kv_set`] to look or seed. Writes over the host's
//!   limits are dropped, as the host does.
//! - **Clock** — starts at [`DEFAULT_NOW`]; [`FakeHost::set_now`] and
//!   [`FakeHost::advance`] move it (expiring cached tokens).
//! - **HTTP** — [`FakeHost::on`] / [`FakeHost::on_prefix`] script answers by method and
//!   URL (exact, query included, or a prefix); [`RouteBuilder::once`] /
//!   [`RouteBuilder::times`] make an answer run out, so a sequence (401, then 200) is
//!   two routes in order; [`RouteBuilder::reply_with`] answers with a closure. The first
//!   matching route with answers left wins. Every request is recorded
//!   ([`FakeHost::requests`]); a request no route answers **fails the test** with a
//!   message listing the request, the routes and what to add.
//! - **Signing** — `sign-jwt` answers a deterministic fake token natively:
//!   `base64url(header).base64url(claims).base64url("fake-signature:<key>")`, the
//!   header `{"alg":"RS256","typ":"JWT","kid":"fake-<key>"}`, the claims as given plus
//!   `iss` from the key's identity when they have none (as the host). Read them back
//!   with [`jwt_claims`].
//! - **Log** — lines go to [`FakeHost::logs`] and to stderr (shown for failing tests).
//!
//! One fake host per test: [`FakeHost::new`] installs a fresh one on the current
//! thread (replacing any other), and dropping it uninstalls it. Tests run in
//! parallel threads, each with its own.

pub(crate) mod fake;
mod manifest;

use crate::{
    Account, AppConnector, Capabilities, Credential, Error, LeaverOptions, Person,
    ProvisionRequest, is_not_implemented,
};
use fake::{Match, Route, State};
use serde::{Serialize, de::DeserializeOwned};
use std::cell::RefCell;
use std::rc::Rc;

pub use crate::bindings::imports::tenure::plugin::host::Level;
use crate::hostcall::{HttpError, Response};
pub use crate::http::Method;

/// Where the fake clock starts: `2025-01-01T00:00:00Z`.
pub const DEFAULT_NOW: &str = "2025-01-01T00:00:00Z";
const DEFAULT_NOW_UNIX: i64 = 1_735_689_600;

/// The fake host of one test, installed on its thread while this value lives.
pub struct FakeHost {
    state: Rc<RefCell<State>>,
}

impl Default for FakeHost {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for FakeHost {
    fn drop(&mut self) {
        fake::uninstall(&self.state);
    }
}

impl FakeHost {
    /// A fresh fake host (no settings, no routes, the clock at [`DEFAULT_NOW`]),
    /// installed on the current thread.
    pub fn new() -> FakeHost {
        let state = Rc::new(RefCell::new(State::new()));
        fake::install(state.clone());
        FakeHost { state }
    }

    /// Reads settings, their defaults, kinds and the allowed hosts from a manifest
    /// (`include_str!("../manifest.toml")`), as the host would. Panics when the
    /// manifest would not load in the host.
    pub fn with_manifest(self, manifest_toml: &str) -> FakeHost {
        let m = manifest::Manifest::parse(manifest_toml)
            .unwrap_or_else(|e| panic!("the manifest would not load in the host: {e}"));
        self.state.borrow_mut().manifest = Some(m);
        self
    }

    fn check_kind(&self, key: &str, want: &[manifest::Kind], what: &str) {
        let s = self.state.borrow();
        if let Some(m) = &s.manifest {
            match m.setting(key) {
                None => panic!("fake host: `{key}` is not a setting of the manifest"),
                Some(spec) if !want.contains(&spec.kind) => panic!(
                    "fake host: `{key}` is a {:?} setting in the manifest, not {what}",
                    spec.kind
                ),
                Some(_) => {}
            }
        }
    }

    /// Sets a non-secret setting (kind text, url, number or bool).
    pub fn config(self, key: &str, value: &str) -> FakeHost {
        use manifest::Kind::*;
        self.check_kind(key, &[Text, Url, Number, Bool], "text, url, number or bool");
        self.state
            .borrow_mut()
            .config
            .insert(key.into(), value.into());
        self
    }

    /// Sets a secret setting.
    pub fn secret(self, key: &str, value: &str) -> FakeHost {
        self.check_kind(key, &[manifest::Kind::Secret], "secret");
        self.state
            .borrow_mut()
            .secrets
            .insert(key.into(), value.into());
        self
    }

    /// Sets a signing key (kind `signing-key`) that signs for `identity` (a
    /// service-account JSON key's `client_email`; `None` for a bare PEM).
    pub fn signing_key(self, key: &str, identity: Option<&str>) -> FakeHost {
        self.check_kind(key, &[manifest::Kind::SigningKey], "signing-key");
        self.state
            .borrow_mut()
            .signing_keys
            .insert(key.into(), identity.map(String::from));
        self
    }

    /// Changes or removes (`None`) a non-secret setting during a test.
    pub fn set_config(&self, key: &str, value: Option<&str>) {
        let mut s = self.state.borrow_mut();
        match value {
            Some(v) => s.config.insert(key.into(), v.into()),
            None => s.config.remove(key),
        };
    }

    /// Changes or removes (`None`) a secret during a test.
    pub fn set_secret(&self, key: &str, value: Option<&str>) {
        let mut s = self.state.borrow_mut();
        match value {
            Some(v) => s.secrets.insert(key.into(), v.into()),
            None => s.secrets.remove(key),
        };
    }

    /// Sets the clock (RFC 3339). Panics on a time that does not parse.
    pub fn set_now(&self, rfc3339: &str) {
        let t = crate::time::parse_rfc3339(rfc3339)
            .unwrap_or_else(|| panic!("fake host: `{rfc3339}` is not an RFC 3339 time"));
        self.state.borrow_mut().now = t;
    }

    /// Moves the clock forward (key-value entries expire by it).
    pub fn advance(&self, seconds: u64) {
        self.state.borrow_mut().now += i64::try_from(seconds).unwrap_or(i64::MAX / 2);
    }

    /// The clock, RFC 3339.
    pub fn now(&self) -> String {
        crate::time::format_rfc3339(self.state.borrow().now)
    }

    /// A key-value entry as the plugin would read it (expired: `None`).
    pub fn kv(&self, key: &str) -> Option<Vec<u8>> {
        let s = self.state.borrow();
        s.kv.get(key)
            .filter(|(_, exp)| exp.is_none_or(|e| e > s.now))
            .map(|(v, _)| v.clone())
    }

    /// Seconds until a key-value entry expires (`None`: absent or no TTL).
    pub fn kv_ttl(&self, key: &str) -> Option<i64> {
        let s = self.state.borrow();
        s.kv.get(key).and_then(|(_, exp)| exp.map(|e| e - s.now))
    }

    /// Every live key-value key, sorted.
    pub fn kv_keys(&self) -> Vec<String> {
        let s = self.state.borrow();
        s.kv.iter()
            .filter(|(_, (_, exp))| exp.is_none_or(|e| e > s.now))
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// Seeds a key-value entry (what an earlier call left).
    pub fn kv_set(&self, key: &str, value: &[u8], ttl_seconds: Option<u32>) {
        let mut s = self.state.borrow_mut();
        let expires = ttl_seconds.map(|t| s.now + i64::from(t));
        s.kv.insert(key.into(), (value.to_vec(), expires));
    }

    /// Scripts answers to `method` requests for exactly `url` (query included).
    pub fn on(&self, method: Method, url: &str) -> RouteBuilder<'_> {
        RouteBuilder {
            host: self,
            method,
            url: Match::Exact(url.to_string()),
            remaining: None,
        }
    }

    /// Scripts answers to `method` requests whose URL starts with `prefix`.
    pub fn on_prefix(&self, method: Method, prefix: &str) -> RouteBuilder<'_> {
        RouteBuilder {
            host: self,
            method,
            url: Match::Prefix(prefix.to_string()),
            remaining: None,
        }
    }

    /// Every request the plugin sent, in order (also refused ones).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.borrow().requests.clone()
    }

    /// The requests with `method` whose URL starts with `prefix`.
    pub fn requests_to(&self, method: Method, prefix: &str) -> Vec<RecordedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.method == method && r.url.starts_with(prefix))
            .collect()
    }

    /// The last request; panics when there was none.
    pub fn last_request(&self) -> RecordedRequest {
        self.requests()
            .pop()
            .expect("fake host: the plugin sent no request")
    }

    /// Forgets the recorded requests (routes stay).
    pub fn clear_requests(&self) {
        self.state.borrow_mut().requests.clear();
    }

    /// Every line logged, with its level.
    pub fn logs(&self) -> Vec<(Level, String)> {
        self.state.borrow().logs.clone()
    }

    /// Whether a logged line contains `text`.
    pub fn logged(&self, text: &str) -> bool {
        self.state
            .borrow()
            .logs
            .iter()
            .any(|(_, l)| l.contains(text))
    }
}

/// A route being scripted; finish it with [`RouteBuilder::reply`] or
/// [`RouteBuilder::reply_with`].
#[must_use = "a route is added by .reply(..) or .reply_with(..)"]
pub struct RouteBuilder<'a> {
    host: &'a FakeHost,
    method: Method,
    url: Match,
    remaining: Option<usize>,
}

impl RouteBuilder<'_> {
    /// Answers only the next matching request.
    pub fn once(self) -> Self {
        self.times(1)
    }

    /// Answers only the next `n` matching requests.
    pub fn times(mut self, n: usize) -> Self {
        self.remaining = Some(n);
        self
    }

    /// Answers with `reply` (a copy each time).
    pub fn reply(self, reply: Reply) {
        self.reply_with(move |_| reply.clone())
    }

    /// Answers with what `f` makes of the request.
    pub fn reply_with(self, f: impl FnMut(&RecordedRequest) -> Reply + 'static) {
        self.host.state.borrow_mut().routes.push(Route {
            method: self.method,
            url: self.url,
            responder: Rc::new(RefCell::new(f)),
            remaining: self.remaining,
        });
    }
}

/// A scripted answer: a response, or a failure to get one.
#[derive(Debug, Clone)]
pub struct Reply(Result<Response, HttpError>);

impl Reply {
    /// An empty body with `status`.
    pub fn status(status: u16) -> Reply {
        Reply(Ok(Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }))
    }

    /// `value` as JSON with `status` and `content-type: application/json`.
    pub fn json<T: Serialize + ?Sized>(status: u16, value: &T) -> Reply {
        let body = serde_json::to_vec(value).expect("the reply serializes as JSON");
        Reply::bytes(status, "application/json", body)
    }

    /// Text with `status` (`text/plain`).
    pub fn text(status: u16, text: &str) -> Reply {
        Reply::bytes(
            status,
            "text/plain; charset=utf-8",
            text.as_bytes().to_vec(),
        )
    }

    /// Any body with its content type.
    pub fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
        Reply(Ok(Response {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body,
        }))
    }

    /// Adds a header (the name lower-cased, as the host delivers them).
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        if let Ok(r) = &mut self.0 {
            r.headers
                .push((name.to_ascii_lowercase(), value.to_string()));
        }
        self
    }

    /// No answer within the host's timeout.
    pub fn timeout() -> Reply {
        Reply(Err(HttpError::Timeout))
    }

    /// A DNS, connection or TLS failure.
    pub fn transport(message: &str) -> Reply {
        Reply(Err(HttpError::Transport(message.into())))
    }

    /// Refused by the host (as for a host outside the allowlist).
    pub fn denied(message: &str) -> Reply {
        Reply(Err(HttpError::Denied(message.into())))
    }

    pub(crate) fn into_result(self) -> Result<Response, HttpError> {
        self.0
    }
}

/// A request the plugin sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: Method,
    /// The full URL, query included.
    pub url: String,
    /// As sent (names lower-cased by the SDK's builder).
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

impl RecordedRequest {
    /// The first value of a header (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The URL without its query.
    pub fn path(&self) -> &str {
        self.url.split('?').next().unwrap_or(&self.url)
    }

    /// A query parameter, decoded (the first when repeated).
    pub fn query(&self, name: &str) -> Option<String> {
        let q = self.url.split_once('?')?.1;
        decode_pairs(q).find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// A field of a form body, decoded.
    pub fn form(&self, name: &str) -> Option<String> {
        decode_pairs(&self.body_text())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// The body as text (empty when none).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(self.body.as_deref().unwrap_or_default()).into_owned()
    }

    /// The body parsed as JSON; panics with the body when it is not.
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(self.body.as_deref().unwrap_or_default()).unwrap_or_else(|e| {
            panic!(
                "the body of {} {} is not the JSON expected ({e}): {}",
                fake::method_name(self.method),
                self.url,
                self.body_text()
            )
        })
    }
}

fn decode_pairs(q: &str) -> impl Iterator<Item = (String, String)> + '_ {
    url::form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned()))
}

/// The claims of a token the fake host signed (or any compact JWT), as JSON.
pub fn jwt_claims(token: &str) -> serde_json::Value {
    use base64::Engine;
    let part = token
        .split('.')
        .nth(1)
        .unwrap_or_else(|| panic!("`{token}` is not a compact JWT"));
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("the claims are base64url");
    serde_json::from_slice(&bytes).expect("the claims are JSON")
}

/// A person as the host passes them to an app connector: `email` as work email,
/// employee id `emp-1`, names Ada Lovelace, no login, no optional fields.
pub fn person(email: &str) -> Person {
    Person {
        employee_id: "emp-1".into(),
        work_email: email.into(),
        login: None,
        personal_email: None,
        given_name: "Ada".into(),
        family_name: "Lovelace".into(),
        display_name: "Ada Lovelace".into(),
        department: None,
        title: None,
        manager_email: None,
        country: None,
        time_zone: None,
        start_date: None,
    }
}

/// A provisioning request for `who`: no credential (single sign-on), no
/// entitlements, idempotency key `job-1`.
pub fn provision_request(who: Person) -> ProvisionRequest {
    ProvisionRequest {
        who,
        credential: Credential::None,
        entitlements: Vec::new(),
        idempotency_key: "job-1".into(),
    }
}

/// Leaver options with every step off; switch on what the test needs.
pub fn leaver_options() -> LeaverOptions {
    LeaverOptions {
        disable: false,
        revoke_sessions: false,
        remove_entitlements: false,
        transfer_data_to: None,
        forward_mail_to: None,
        auto_reply: None,
    }
}

/// An account, active.
pub fn account(id: &str, login: &str) -> Account {
    Account {
        id: id.into(),
        login: login.into(),
        active: true,
    }
}

/// Checks that `T::describe()` tells the truth: every capability it claims has its
/// method implemented, and every method left to the trait's default (which answers
/// [`Error::Unsupported`]) is off. Panics listing the mismatches.
///
/// It calls each method once with sample arguments on a fake host of its own with no
/// settings and no routes, where any request fails as a transport error: a method
/// that is implemented answers something other than the default's "not implemented"
/// (a missing setting, an unavailable remote). Whatever fake host the test installed
/// is put back afterwards.
pub fn assert_capabilities_match<T: AppConnector>() {
    let probe = Rc::new(RefCell::new(State::new()));
    probe.borrow_mut().lenient = true;
    let previous = fake::install(probe);
    let caps: Capabilities = T::describe();
    let who = || person("probe@example.com");
    let implemented = |r: Result<(), Error>| !matches!(&r, Err(e) if is_not_implemented(e));
    let checks: Vec<(&str, bool, bool)> = vec![
        (
            "find / find_account",
            caps.find,
            implemented(T::find_account(who()).map(drop)),
        ),
        (
            "provision / provision",
            caps.provision,
            implemented(T::provision(provision_request(who())).map(drop)),
        ),
        (
            "update_profile / update_profile",
            caps.update_profile,
            implemented(T::update_profile("probe".into(), who())),
        ),
        (
            "entitlements / set_entitlements",
            caps.entitlements,
            implemented(T::set_entitlements("probe".into(), vec!["probe".into()])),
        ),
        (
            "offboard / offboard",
            caps.offboard.any(),
            implemented(
                T::offboard(
                    "probe".into(),
                    who(),
                    LeaverOptions {
                        disable: caps.offboard.disable,
                        ..leaver_options()
                    },
                )
                .map(drop),
            ),
        ),
        (
            "reactivate / reactivate",
            caps.reactivate,
            implemented(T::reactivate("probe".into())),
        ),
        (
            "delete / delete_account",
            caps.delete,
            implemented(T::delete_account("probe".into())),
        ),
        (
            "groups / find_group",
            caps.groups,
            implemented(T::find_group("probe".into()).map(drop)),
        ),
        (
            "groups / list_memberships",
            caps.groups,
            implemented(T::list_memberships("probe".into(), None).map(drop)),
        ),
        (
            "groups / add_to_group",
            caps.groups,
            implemented(T::add_to_group("probe".into(), "probe".into())),
        ),
        (
            "groups / remove_from_group",
            caps.groups,
            implemented(T::remove_from_group("probe".into(), "probe".into())),
        ),
    ];
    fake::restore(previous);
    let mut wrong = Vec::new();
    for (name, claimed, has) in checks {
        match (claimed, has) {
            (true, false) => wrong.push(format!(
                "  {name}: describe() claims it, but the method is the default (unsupported)"
            )),
            (false, true) => wrong.push(format!(
                "  {name}: the method is implemented, but describe() leaves it off (the host will never call it)"
            )),
            _ => {}
        }
    }
    if caps.provision && caps.credentials.is_empty() {
        wrong.push("  credentials: provision is on but no credential kind is listed (list at least CredentialKind::None)".into());
    }
    assert!(
        wrong.is_empty(),
        "describe() does not match the implemented methods:\n{}",
        wrong.join("\n")
    );
}
