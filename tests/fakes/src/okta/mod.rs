//! A fake of one Okta org's Management API (`https://{org}.okta.com/api/v1`) and its
//! org authorization server's token endpoint (`/oauth2/v1/token`), on one origin.
//!
//! Documented by Okta, and followed here:
//! - Auth: `Authorization: SSWS <api token>`, or `Bearer <access token>` from the token
//!   endpoint; anything else 401 `E0000011` "Invalid token provided". A Bearer token
//!   needs the scope of the call (`okta.users.read|manage` for `/users`,
//!   `okta.groups.read|manage` for `/groups`; writes need `manage`), else 403 `E0000006`.
//! - Token: `POST /oauth2/v1/token`, form `grant_type=client_credentials`, `scope`,
//!   `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`,
//!   `client_assertion` (`private_key_jwt`). The fake **verifies the assertion's RS256
//!   signature** with the service app's registered public key, and its claims:
//!   `iss` = `sub` = client id, `aud` = `<origin>/oauth2/v1/token`, `exp` in the future
//!   and at most an hour after `iat`, a `jti` not used before. → `{"token_type":
//!   "Bearer", "expires_in": 3600, "access_token", "scope"}`; a bad assertion 401
//!   `invalid_client`, a scope not granted 400 `invalid_scope`.
//! - Users: `POST /users?activate=&provider=&nextLogin=` (`profile.login`, `email`,
//!   `firstName`, `lastName` required; a login in use → 400 `E0000001` with cause
//!   "login: An object with this field already exists in the current organization").
//!   Status on create: `activate=false` → `STAGED`; a password → `ACTIVE` (with
//!   `nextLogin=changePassword`, `PASSWORD_EXPIRED`); a `FEDERATION` provider
//!   (`provider=true`) → `ACTIVE`; no credential → `PROVISIONED` (the activation email
//!   is counted, see [`OktaUser::activation_emails`]). Create answers 200.
//! - `GET /users/{id | login}`, `POST /users/{id}` (partial profile update), `PUT`
//!   (whole profile), `DELETE /users/{id}` (deactivates, and deletes a deactivated user;
//!   204). `GET /users` with `search`, `filter` (see `query.rs`), `q` (prefix of
//!   first name, last name or email), `limit` (≤ 200, default 200) and `after`; without
//!   `search`, `DEPROVISIONED` users are left out unless the filter names `status`.
//! - Lifecycle `POST /users/{id}/lifecycle/{op}`: `activate` (`STAGED` or
//!   `DEPROVISIONED` only, else 403 `E0000016`; → `ACTIVE` for federated users or a
//!   staged user with a password, else `PROVISIONED` and an activation email),
//!   `suspend` (`ACTIVE`, `PASSWORD_EXPIRED`, `LOCKED_OUT`, `RECOVERY` only),
//!   `unsuspend` (`SUSPENDED` only) — refused transitions 400 `E0000001` — and
//!   `deactivate` (any status → `DEPROVISIONED`; sessions end; group memberships stay).
//!   `DELETE /users/{id}/sessions` → 204 (counted).
//! - Groups: `GET /groups` (`q` prefix of the name, `search`, `filter`, `limit` ≤
//!   10000, `after`), `GET /groups/{id}`, `GET /groups/{id}/users`,
//!   `GET /users/{id}/groups`, `PUT|DELETE /groups/{gid}/users/{uid}` → 204 (members
//!   again or absent: 204 too; only `OKTA_GROUP`s take members, else 400 `E0000001`).
//! - Every `/api/v1` answer carries `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining`,
//!   `X-Rate-Limit-Reset` (Unix seconds, the end of the current window) and
//!   `X-Okta-Request-Id`; past the limit, 429 `E0000047`. With faults, a seeded
//!   fraction answers 429 or 503 first.
//!
//! Assumed rather than read in Okta's docs: the wording of the refused-transition
//! errors, that deactivating a deactivated user is a no-op (200), that removing a
//! non-member answers 204, and the fixed window of the rate limit (Okta's buckets are
//! per minute and per endpoint family; the fake has one bucket for all of `/api/v1`).

mod errors;
mod groups;
mod jwt;
mod query;
mod routes;
pub(crate) mod state;
mod token;
mod users;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Router;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use crate::server::{ServerHandle, serve_router};
use state::{Bucket, DEFAULT_SEED, ServiceApp, Shared, State};

/// What the `X-Rate-Limit-Limit` header says when the fake enforces no limit.
pub const DEFAULT_RATE_LIMIT: u32 = 600;
/// The client id of the test service app ([`FakeOkta::with_test_service_app`]).
pub const TEST_CLIENT_ID: &str = "0oatenuretest0000001";
/// The test service app's private key (PKCS#8 PEM), generated for these tests only:
/// give it to a client (Tenure's `signing_key` setting, the okta SDK's `privateKey`).
pub const TEST_PRIVATE_KEY_PEM: &str = include_str!("test_service_app_key.pem");
/// The scopes the test service app is granted.
pub const TEST_SCOPES: &[&str] = &[
    "okta.users.read",
    "okta.users.manage",
    "okta.groups.read",
    "okta.groups.manage",
];

/// An Okta user as the fake stores it. `profile` holds every profile attribute
/// (`login`, `email`, `firstName`, `lastName`, ...) as sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OktaUser {
    /// `00u...`; filled in by the fake when empty.
    pub id: String,
    /// `STAGED`, `PROVISIONED`, `ACTIVE`, `PASSWORD_EXPIRED`, `LOCKED_OUT`, `RECOVERY`,
    /// `SUSPENDED`, `DEPROVISIONED`.
    pub status: String,
    pub profile: Map<String, Value>,
    /// The password set, which Okta never returns.
    pub password: Option<String>,
    /// `OKTA` or `FEDERATION`.
    pub provider: String,
    /// Activation emails Okta would have sent.
    pub activation_emails: usize,
    /// `DELETE /users/{id}/sessions` calls.
    pub sessions_cleared: usize,
    pub created: String,
    pub status_changed: Option<String>,
}

impl OktaUser {
    /// A user with this login (also its email) and names, `ACTIVE`.
    pub fn new(login: &str, first: &str, last: &str) -> Self {
        let mut profile = Map::new();
        profile.insert("login".into(), json!(login));
        profile.insert("email".into(), json!(login));
        profile.insert("firstName".into(), json!(first));
        profile.insert("lastName".into(), json!(last));
        Self {
            status: "ACTIVE".into(),
            profile,
            provider: "OKTA".into(),
            ..Self::default()
        }
    }

    fn text(&self, key: &str) -> &str {
        self.profile.get(key).and_then(Value::as_str).unwrap_or("")
    }

    pub fn login(&self) -> &str {
        self.text("login")
    }

    pub fn email(&self) -> &str {
        self.text("email")
    }

    /// The user as the API returns it.
    pub(crate) fn render(&self, origin: &str) -> Value {
        let href = format!("{origin}/api/v1/users/{}", self.id);
        let mut credentials = json!({
            "provider": {"type": self.provider, "name": self.provider}
        });
        if self.password.is_some() {
            credentials["password"] = json!({});
        }
        json!({
            "id": self.id,
            "status": self.status,
            "created": self.created,
            "activated": null,
            "statusChanged": self.status_changed,
            "lastLogin": null,
            "lastUpdated": self.status_changed.clone().unwrap_or_else(|| self.created.clone()),
            "passwordChanged": null,
            "type": {"id": "oty1tenurefake000001"},
            "profile": self.profile,
            "credentials": credentials,
            "_links": {"self": {"href": href}},
        })
    }
}

/// A group. `kind` is `OKTA_GROUP`, `APP_GROUP` or `BUILT_IN`; `members` are user ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OktaGroup {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub kind: String,
    pub members: Vec<String>,
    pub created: String,
}

impl OktaGroup {
    pub(crate) fn render(&self, origin: &str) -> Value {
        let class = if self.kind == "APP_GROUP" {
            "okta:windows_security_principal"
        } else {
            "okta:user_group"
        };
        json!({
            "id": self.id,
            "created": self.created,
            "lastUpdated": self.created,
            "lastMembershipUpdated": self.created,
            "objectClass": [class],
            "type": self.kind,
            "profile": {"name": self.name, "description": self.description},
            "_links": {
                "users": {"href": format!("{origin}/api/v1/groups/{}/users", self.id)},
                "apps": {"href": format!("{origin}/api/v1/groups/{}/apps", self.id)},
            },
        })
    }
}

/// A fake Okta org with one API token. Cheap to clone: clones share state, so a test
/// keeps one to look at and change the directory while another serves.
#[derive(Clone)]
pub struct FakeOkta {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for FakeOkta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let st = self.shared.state();
        f.debug_struct("FakeOkta")
            .field("users", &st.users.len())
            .field("groups", &st.groups.len())
            .finish_non_exhaustive()
    }
}

/// A fake Okta serving on a loopback port: where, with which API token, the fake to
/// inspect, and the server (stopped when dropped).
#[derive(Debug)]
pub struct RunningOkta {
    /// `http://127.0.0.1:PORT`: the `org_url`.
    pub origin: String,
    /// The API token (`SSWS <token>`).
    pub api_token: String,
    pub fake: FakeOkta,
    pub handle: ServerHandle,
}

impl FakeOkta {
    /// An org with no users, the `Everyone` group, and the API token `api_token`.
    pub fn new(api_token: &str) -> Self {
        let fake = Self {
            shared: Arc::new(Shared::new(State::new(api_token))),
        };
        fake.insert_group("Everyone", "BUILT_IN");
        fake
    }

    /// Seeds `n` active users `user0001@<domain>`, ... with names, title and department.
    pub fn with_users(self, n: usize, domain: &str) -> Self {
        const GIVEN: &[&str] = &["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald"];
        const FAMILY: &[&str] = &["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov"];
        for i in 1..=n {
            let mut u = OktaUser::new(
                &format!("user{i:04}@{domain}"),
                GIVEN[i % GIVEN.len()],
                FAMILY[(i / GIVEN.len()) % FAMILY.len()],
            );
            u.profile.insert("title".into(), json!("Engineer"));
            u.password = Some("Seeded-Passw0rd!".into());
            self.add_user(u);
        }
        self
    }

    /// Registers a service app that may get tokens with client assertions signed by
    /// the private key whose public half is `public_key_pem` (`-----BEGIN PUBLIC KEY`
    /// SPKI, or a PKCS#8 private key, whose public half is taken), granted `scopes`.
    pub fn with_service_app(
        self,
        client_id: &str,
        key_pem: &str,
        scopes: &[&str],
    ) -> Result<Self, String> {
        let public_key = jwt::public_key(key_pem)?;
        self.shared.state().apps.insert(
            client_id.to_string(),
            ServiceApp {
                public_key,
                scopes: scopes.iter().map(|s| s.to_string()).collect(),
            },
        );
        Ok(self)
    }

    /// The service app [`TEST_CLIENT_ID`] with the key [`TEST_PRIVATE_KEY_PEM`] and
    /// [`TEST_SCOPES`].
    pub fn with_test_service_app(self) -> Self {
        self.with_service_app(TEST_CLIENT_ID, TEST_PRIVATE_KEY_PEM, TEST_SCOPES)
            .expect("the test key parses")
    }

    /// At most `requests` API calls per window of `window`; more get 429 `E0000047`
    /// until the window ends (`X-Rate-Limit-Reset`). 0 turns the limit off (default).
    pub fn with_rate_limit(self, requests: u32, window: Duration) -> Self {
        self.set_rate_limit(requests, window);
        self
    }

    /// See [`FakeOkta::with_rate_limit`].
    pub fn set_rate_limit(&self, requests: u32, window: Duration) {
        self.shared.state().bucket = Bucket::new(requests, window.as_secs());
    }

    /// A fraction (0.0–1.0) of API calls fails with 429 or 503 before anything else.
    pub fn with_faults(self, ratio: f64) -> Self {
        self.shared.state().faults.reset(ratio, DEFAULT_SEED);
        self
    }

    /// Restarts the fault sequence from `seed`, keeping the ratio.
    pub fn with_fault_seed(self, seed: u64) -> Self {
        self.shared.state().faults.reseed(seed);
        self
    }

    /// Adds (or replaces, by id) a user and returns its id. No checks are made.
    pub fn add_user(&self, mut u: OktaUser) -> String {
        let mut st = self.shared.state();
        if u.id.is_empty() {
            u.id = st.id("00u");
        }
        if u.created.is_empty() {
            u.created = state::timestamp(OffsetDateTime::now_utc());
        }
        if u.provider.is_empty() {
            u.provider = "OKTA".into();
        }
        let id = u.id.clone();
        if let Some(seq) = st.user_seq(&id) {
            st.users.insert(seq, u);
        } else {
            let seq = st.next_seq();
            st.users.insert(seq, u);
        }
        id
    }

    fn insert_group(&self, name: &str, kind: &str) -> String {
        let mut st = self.shared.state();
        let id = st.id("00g");
        let seq = st.next_seq();
        st.groups.insert(
            seq,
            OktaGroup {
                id: id.clone(),
                name: name.to_string(),
                description: None,
                kind: kind.to_string(),
                members: Vec::new(),
                created: state::timestamp(OffsetDateTime::now_utc()),
            },
        );
        id
    }

    /// Adds an Okta group (`OKTA_GROUP`) and returns its id.
    pub fn add_group(&self, name: &str) -> String {
        self.insert_group(name, "OKTA_GROUP")
    }

    /// Adds a group imported from a directory (`APP_GROUP`), whose members Okta does
    /// not manage, and returns its id.
    pub fn add_app_group(&self, name: &str) -> String {
        self.insert_group(name, "APP_GROUP")
    }

    /// Puts a user (id or login) in a group (id or name); false when either is unknown.
    pub fn add_member(&self, group: &str, user: &str) -> bool {
        let mut st = self.shared.state();
        let Some(uid) = st.user(user).map(|u| u.id.clone()) else {
            return false;
        };
        match st
            .groups
            .values_mut()
            .find(|g| g.id == group || g.name.eq_ignore_ascii_case(group))
        {
            Some(g) => {
                if !g.members.contains(&uid) {
                    g.members.push(uid);
                }
                true
            }
            None => false,
        }
    }

    /// A user by id or login (case-insensitive).
    pub fn user(&self, id_or_login: &str) -> Option<OktaUser> {
        self.shared.state().user(id_or_login).cloned()
    }

    /// A user's status by id or login.
    pub fn user_status(&self, id_or_login: &str) -> Option<String> {
        self.user(id_or_login).map(|u| u.status)
    }

    /// The names of the groups a user (id or login) is in, `Everyone` included.
    pub fn user_groups(&self, id_or_login: &str) -> Vec<String> {
        let st = self.shared.state();
        let Some(u) = st.user(id_or_login) else {
            return Vec::new();
        };
        st.groups
            .values()
            .filter(|g| g.kind == "BUILT_IN" || g.members.contains(&u.id))
            .map(|g| g.name.clone())
            .collect()
    }

    /// A group by id or name (case-insensitive).
    pub fn group(&self, id_or_name: &str) -> Option<OktaGroup> {
        self.shared
            .state()
            .groups
            .values()
            .find(|g| g.id == id_or_name || g.name.eq_ignore_ascii_case(id_or_name))
            .cloned()
    }

    /// The logins of a group's members (group by id or name).
    pub fn group_members(&self, id_or_name: &str) -> Vec<String> {
        let Some(g) = self.group(id_or_name) else {
            return Vec::new();
        };
        let st = self.shared.state();
        g.members
            .iter()
            .filter_map(|id| st.user(id).map(|u| u.login().to_string()))
            .collect()
    }

    /// Every user.
    pub fn users(&self) -> Vec<OktaUser> {
        self.shared.state().users.values().cloned().collect()
    }

    /// API calls received (`/api/v1/...`), whatever their outcome.
    pub fn request_count(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// Token requests received, whatever their outcome.
    pub fn token_request_count(&self) -> usize {
        self.shared.token_requests.load(Ordering::SeqCst)
    }

    /// Every access token issued so far gets 401 from now on.
    pub fn revoke_tokens(&self) {
        self.shared.state().tokens.clear();
    }

    /// The fake's routes: `/oauth2/v1/token` and `/api/v1/...`.
    pub fn router(&self) -> Router {
        routes::router(self.shared.clone())
    }

    /// Binds `127.0.0.1:port` (0 = any free port) and serves on the current tokio
    /// runtime. Returns the origin (the `org_url`) and a handle that stops the server
    /// when dropped.
    pub async fn serve(self, port: u16) -> std::io::Result<(String, ServerHandle)> {
        serve_router(self.router(), port).await
    }

    /// [`FakeOkta::serve`] on a free port, with everything a test needs at hand.
    pub async fn start(self) -> std::io::Result<RunningOkta> {
        let api_token = self.shared.state().api_token.clone();
        let fake = self.clone();
        let (origin, handle) = self.serve(0).await?;
        Ok(RunningOkta {
            origin,
            api_token,
            fake,
            handle,
        })
    }
}

#[cfg(test)]
mod tests;
