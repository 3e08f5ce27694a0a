//! A fake of Google Workspace's Admin SDK as a service account with domain-wide
//! delegation sees it: the Directory API (`https://admin.googleapis.com/admin/directory/v1`)
//! for users and group members, the Data Transfer API
//! (`https://admin.googleapis.com/admin/datatransfer/v1`), and the OAuth token endpoint
//! (`https://oauth2.googleapis.com/token`), all on one origin.
//!
//! Documented by Google, and followed here:
//! - Token: `POST /token`, form `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`
//!   and `assertion`, an RS256 JWT signed with the service account's key: `iss` its
//!   `client_email`, `sub` the admin to act as, `scope` (space-separated), `aud` the
//!   token URL (`https://oauth2.googleapis.com/token`, which google-auth always sends,
//!   or the fake's own `<origin>/token`; see [`FakeGoogle::with_token_audience`]), `iat`,
//!   `exp` at most an hour after `iat`. → `{"access_token",
//!   "expires_in": 3599, "token_type": "Bearer"}`. The signature is verified with the
//!   public half of the configured key; a bad one (or a deleted key) → 400 `invalid_grant`
//!   "Invalid JWT Signature.". Other errors: an unknown `iss` or `sub` → 400
//!   `invalid_grant`; a wrong `aud`, or `iat`/`exp` out of bounds → 400 `invalid_grant`;
//!   no scope → 400 `invalid_scope`; a scope delegation does not grant → 401
//!   `unauthorized_client`; another grant type → 400 `unsupported_grant_type`.
//! - The APIs need `Authorization: Bearer <token>` (else 401 with reason `required` or
//!   `authError`), a token with one of the scopes the method's discovery document lists
//!   (else 403 "Request had insufficient authentication scopes."; `users.signOut`
//!   accepts only `admin.directory.user.security`), and a `sub` that is an admin (else
//!   403 "Not Authorized to access this resource/api"). Errors are
//!   `{"error": {"code", "message", "errors": [{"message", "domain", "reason"}]}}`.
//! - Users: `POST /users` (`primaryEmail`, `name {givenName, familyName}`, `password`
//!   required; `changePasswordAtNextLogin`, `orgUnitPath` (default `/`),
//!   `recoveryEmail`, `suspended`, `hashFunction`, and other fields kept as sent) → 200
//!   with the user (`kind: admin#directory#user`, a 21-digit `id`, `name.fullName`...,
//!   never the password). An address in use → 409 "Entity already exists."; a domain the
//!   customer does not own → 403 "Not Authorized to access this resource/api".
//!   `GET|PUT|PATCH|DELETE /users/{userKey}` (id, primary email or alias,
//!   case-insensitive; unknown → 404 "Resource Not Found: userKey"); PUT and PATCH
//!   both change only the fields sent (Google documents patch semantics for both);
//!   renaming `primaryEmail` keeps the old address as an alias. `GET /users`
//!   (`customer=my_customer` or the customer id, or `domain`; `maxResults` 1–500,
//!   default 100; `pageToken`; `query` of `email:`, `givenName:`, `familyName:`,
//!   `isSuspended=`, `orgUnitPath=` terms, `*` for a prefix) → `{kind, etag, users,
//!   nextPageToken}` ordered by email; with no match `users` is absent, as Google
//!   leaves it out. `POST /users/{userKey}/signOut` → 204.
//! - Groups: `GET /groups` (`customer` or `domain`, or `userKey` for a user's groups;
//!   `maxResults` ≤ 200; with the customer, `query` of `email:` and `name:` terms, `*`
//!   for a prefix, case-insensitive: `email:eng*`), `GET /groups/{groupKey}`, `GET /groups/{groupKey}/members`
//!   (paged, `roles`), `GET .../members/{memberKey}`, `GET .../hasMember/{memberKey}`,
//!   `POST .../members` `{email | id, role}` → 200 (already a member → 409 "Member
//!   already exists."), `DELETE .../members/{memberKey}` → 204. Groups are made with
//!   [`FakeGoogle::add_group`].
//! - Data transfers: `GET /applications` (Drive and Docs `55656082996` with
//!   `PRIVACY_LEVEL` = `PRIVATE`, `SHARED`; Calendar `435070579839` with
//!   `RELEASE_RESOURCES` = `TRUE`), `GET /applications/{id}`, `POST /transfers`
//!   (`oldOwnerUserId`, `newOwnerUserId` must be user *ids* of different users, else 400)
//!   → `overallTransferStatusCode: inProgress`, `GET /transfers/{id}` (`completed` from
//!   the poll after [`FakeGoogle::set_transfer_polls`] polls, default 1, and once
//!   [`FakeGoogle::set_transfer_delay`] has passed), `GET /transfers` (filters
//!   `oldOwnerUserId`, `newOwnerUserId`, `status`).
//! - Quota: with [`FakeGoogle::with_rate_limit`], calls past the limit get 403
//!   `userRateLimitExceeded` (domain `usageLimits`). With [`FakeGoogle::with_faults`], a
//!   seeded fraction of API calls answer 503 `backendError` or 403
//!   `userRateLimitExceeded` before anything else happens; Google's client libraries
//!   retry both. The token endpoint is not affected.
//!
//! Assumed rather than read in Google's docs: the wording of most 400 messages, the
//! form of page tokens and transfer ids, and the order of `GET /groups`.
//!
//! [`TEST_SERVICE_ACCOUNT_JSON`] is a service-account key file made for these tests
//! only; the fake trusts it unless told otherwise.

mod errors;
mod groups;
mod jwt;
mod routes;
mod scopes;
mod state;
mod token;
mod transfers;
mod users;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Router;
use serde_json::{Map, Value};

use crate::limits::RateLimit;
use crate::server::{ServerHandle, serve_router};
use jwt::ServiceAccount;
use state::{DEFAULT_SEED, Shared, State};

/// A service-account key file in Google's format, for tests and demo mode only. Its RSA
/// key pair was generated for this repository (`openssl genpkey -algorithm RSA
/// -pkeyopt rsa_keygen_bits:2048`), belongs to no Google project and has no value. Its
/// `token_uri` is Google's: point it at the fake (`<origin>/token`) before use.
pub const TEST_SERVICE_ACCOUNT_JSON: &str = include_str!("test_service_account.json");
/// `client_email` of [`TEST_SERVICE_ACCOUNT_JSON`].
pub const TEST_SERVICE_ACCOUNT_EMAIL: &str =
    "tenure-connector@tenure-fakes-test.iam.gserviceaccount.com";
/// The lifetime of access tokens, in seconds.
pub const DEFAULT_TOKEN_EXPIRES_IN: u32 = 3599;
/// The Data Transfer API's id of Drive and Docs.
pub const DRIVE_APPLICATION_ID: &str = "55656082996";
/// The Data Transfer API's id of Calendar.
pub const CALENDAR_APPLICATION_ID: &str = "435070579839";
/// The scopes a connector asks for (users, group members, sign-out, data transfer).
pub const CONNECTOR_SCOPES: &[&str] = &[
    scopes::USER,
    scopes::USER_SECURITY,
    scopes::GROUP_MEMBER,
    scopes::DATATRANSFER,
];

/// A Workspace user as the fake stores it. `password` is what was last set (Google
/// never returns it), as sent (`hash_function` says how it was hashed, if at all).
/// `extra` keeps other fields sent on insert or update (`organizations`, `externalIds`,
/// ...) and returns them as they were.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoogleUser {
    /// Filled in by the fake (21 digits) when empty.
    pub id: String,
    pub primary_email: String,
    pub given_name: String,
    pub family_name: String,
    pub suspended: bool,
    pub suspension_reason: Option<String>,
    pub archived: bool,
    pub org_unit_path: String,
    pub password: String,
    pub hash_function: Option<String>,
    pub change_password_at_next_login: bool,
    pub recovery_email: Option<String>,
    pub recovery_phone: Option<String>,
    pub is_admin: bool,
    pub aliases: Vec<String>,
    /// `POST /users/{userKey}/signOut` calls.
    pub sign_out_count: usize,
    /// RFC 3339; filled in by the fake when empty.
    pub creation_time: String,
    pub extra: Map<String, Value>,
}

/// A member of a group. `role` OWNER | MANAGER | MEMBER; `member_type` USER | GROUP |
/// EXTERNAL.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoogleMember {
    pub id: String,
    pub email: String,
    pub role: String,
    pub member_type: String,
}

/// A group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoogleGroup {
    pub id: String,
    pub email: String,
    pub name: String,
    pub description: String,
    pub members: Vec<GoogleMember>,
}

/// One application of a data transfer, with its parameters (`PRIVACY_LEVEL` → values).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoogleTransferApplication {
    pub application_id: String,
    pub params: Vec<(String, Vec<String>)>,
}

/// A data transfer that was requested. `status` is `inProgress` or `completed`;
/// `polls` counts `GET /transfers/{id}`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GoogleTransfer {
    pub id: String,
    pub old_owner_user_id: String,
    pub new_owner_user_id: String,
    pub applications: Vec<GoogleTransferApplication>,
    pub status: String,
    pub request_time: String,
    pub polls: u32,
}

/// A fake Google Workspace customer with one primary domain, a super admin, and one
/// service account trusted for domain-wide delegation. Cheap to clone: clones share
/// state.
#[derive(Clone)]
pub struct FakeGoogle {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for FakeGoogle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let st = self.shared.state();
        f.debug_struct("FakeGoogle")
            .field("domain", &st.domain)
            .field("users", &st.users.len())
            .finish_non_exhaustive()
    }
}

impl FakeGoogle {
    /// A customer for `domain` whose only user is `admin_email`, a super admin (listed
    /// among the users, as in Workspace). The token endpoint trusts
    /// [`TEST_SERVICE_ACCOUNT_JSON`]'s service account.
    pub fn new(domain: &str, admin_email: &str) -> Self {
        let sa = ServiceAccount::from_json(TEST_SERVICE_ACCOUNT_JSON)
            .expect("the built-in test service account");
        let fake = Self {
            shared: Arc::new(Shared::new(State::new(domain, sa))),
        };
        fake.add_admin(admin_email);
        fake
    }

    /// Trusts this service account (a key file in Google's JSON format) instead: its
    /// `client_email` and the public half of its `private_key`.
    pub fn with_service_account_json(self, json: &str) -> Result<Self, String> {
        self.set_service_account_json(json)?;
        Ok(self)
    }

    /// See [`FakeGoogle::with_service_account_json`]; tokens issued before stay valid.
    /// After [`FakeGoogle::revoke_key`], this is how a test fixes the credentials.
    pub fn set_service_account_json(&self, json: &str) -> Result<(), String> {
        let sa = ServiceAccount::from_json(json)?;
        self.shared.state().service_account = Some(sa);
        Ok(())
    }

    /// Deletes the service account's key: every assertion gets 400 `invalid_grant`
    /// "Invalid JWT Signature." from now on. Tokens issued before stay valid until
    /// [`FakeGoogle::revoke_tokens`].
    pub fn revoke_key(&self) {
        self.shared.state().service_account = None;
    }

    /// Every token issued so far gets 401 from now on.
    pub fn revoke_tokens(&self) {
        self.shared.state().tokens.clear();
    }

    /// The only `aud` assertions may carry. By default the fake accepts Google's token
    /// URL, `https://oauth2.googleapis.com/token` (google-auth sends it whatever
    /// `token_uri` says), and its own, `http://<Host of the request>/token`.
    pub fn with_token_audience(self, url: &str) -> Self {
        self.shared.state().token_audience = Some(url.to_string());
        self
    }

    /// The scopes domain-wide delegation grants (by default every Directory and Data
    /// Transfer scope). A token request for any other gets 401 `unauthorized_client`.
    pub fn set_delegated_scopes(&self, scopes: &[&str]) {
        self.shared.state().delegated_scopes = scopes.iter().map(|s| s.to_string()).collect();
    }

    /// The `expires_in` of tokens issued from now on (default 3599 s).
    pub fn set_token_expires_in(&self, secs: u32) {
        self.shared.state().token_expires_in = secs;
    }

    /// Another domain of the customer, where users may be created too.
    pub fn with_secondary_domain(self, domain: &str) -> Self {
        self.shared
            .state()
            .secondary_domains
            .push(domain.to_ascii_lowercase());
        self
    }

    /// Adds a super admin (a user, made if missing) the service account may act as.
    pub fn add_admin(&self, email: &str) {
        let exists = self.update_user(email, |u| u.is_admin = true);
        if !exists {
            let local = email.split('@').next().unwrap_or("admin");
            self.add_user(GoogleUser {
                primary_email: email.to_string(),
                given_name: "Workspace".into(),
                family_name: format!("Admin ({local})"),
                is_admin: true,
                password: "Admin-passw0rd".into(),
                ..GoogleUser::default()
            });
        }
    }

    /// Seeds `n` users `user0001@<domain>`, ... in `/` with names. Deterministic apart
    /// from ids drawn after other additions.
    pub fn with_users(self, n: usize) -> Self {
        const GIVEN: &[&str] = &["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald"];
        const FAMILY: &[&str] = &["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov"];
        let domain = self.shared.state().domain.clone();
        for i in 1..=n {
            self.add_user(GoogleUser {
                primary_email: format!("user{i:04}@{domain}"),
                given_name: GIVEN[i % GIVEN.len()].into(),
                family_name: FAMILY[(i / GIVEN.len()) % FAMILY.len()].into(),
                password: "Seeded-passw0rd".into(),
                ..GoogleUser::default()
            });
        }
        self
    }

    /// Adds (or replaces, by primary email) a user and returns its id; an empty `id`
    /// gets a new one, an empty `org_unit_path` `/`. No checks are made.
    pub fn add_user(&self, mut u: GoogleUser) -> String {
        let mut st = self.shared.state();
        let key = u.primary_email.to_ascii_lowercase();
        if u.id.is_empty() {
            u.id = match st.users.get(&key) {
                Some(old) => old.id.clone(),
                None => st.numeric_id(),
            };
        }
        if u.org_unit_path.is_empty() {
            u.org_unit_path = "/".into();
        }
        if u.creation_time.is_empty() {
            u.creation_time = users::timestamp(time::OffsetDateTime::now_utc());
        }
        let id = u.id.clone();
        st.users.insert(key, u);
        id
    }

    /// A copy of a user by id, primary email or alias (case-insensitive).
    pub fn user(&self, key: &str) -> Option<GoogleUser> {
        self.shared.state().user(key).cloned()
    }

    /// Copies of all users, ordered by primary email.
    pub fn users(&self) -> Vec<GoogleUser> {
        self.shared.state().users.values().cloned().collect()
    }

    /// How many users there are (the admins included).
    pub fn user_count(&self) -> usize {
        self.shared.state().users.len()
    }

    /// Changes a user; false if there is none. Its id and primary email stay.
    pub fn update_user(&self, key: &str, f: impl FnOnce(&mut GoogleUser)) -> bool {
        let mut st = self.shared.state();
        let Some(k) = st.user_key(key) else {
            return false;
        };
        let u = st.users.get_mut(&k).expect("user");
        let (id, email) = (u.id.clone(), u.primary_email.clone());
        f(u);
        u.id = id;
        u.primary_email = email;
        true
    }

    /// Adds a group and returns its id.
    pub fn add_group(&self, email: &str, name: &str) -> String {
        let mut st = self.shared.state();
        let id = format!("0{}", &st.opaque_id(14).to_ascii_lowercase());
        st.groups.insert(
            email.to_ascii_lowercase(),
            GoogleGroup {
                id: id.clone(),
                email: email.to_string(),
                name: name.to_string(),
                description: String::new(),
                members: Vec::new(),
            },
        );
        id
    }

    /// A copy of a group by id or email.
    pub fn group(&self, key: &str) -> Option<GoogleGroup> {
        let st = self.shared.state();
        st.group_key(key).map(|k| st.groups[&k].clone())
    }

    /// The member addresses of a group (empty if there is no such group).
    pub fn group_members(&self, key: &str) -> Vec<String> {
        self.group(key)
            .map(|g| g.members.into_iter().map(|m| m.email).collect())
            .unwrap_or_default()
    }

    /// Copies of the data transfers requested so far, in order.
    pub fn transfers(&self) -> Vec<GoogleTransfer> {
        self.shared
            .state()
            .transfers
            .iter()
            .map(|(t, _)| t.clone())
            .collect()
    }

    /// How many `GET /transfers/{id}` of a new transfer still answer `inProgress`
    /// (default 1: the first poll sees `inProgress`, the second `completed`).
    pub fn set_transfer_polls(&self, polls: u32) {
        self.shared.state().transfer_polls = polls;
    }

    /// A transfer is not `completed` before this much time has passed since it was
    /// requested (default none).
    pub fn set_transfer_delay(&self, delay: Duration) {
        self.shared.state().transfer_delay = delay;
    }

    /// A fraction (0.0–1.0) of API calls fails with 503 `backendError` or 403
    /// `userRateLimitExceeded` before anything else happens, drawn from a seeded
    /// sequence (see [`FakeGoogle::with_fault_seed`]).
    pub fn with_faults(self, ratio: f64) -> Self {
        self.set_faults(ratio);
        self
    }

    /// Restarts the fault sequence from `seed`, keeping the ratio.
    pub fn with_fault_seed(self, seed: u64) -> Self {
        self.shared.state().faults.reseed(seed);
        self
    }

    /// Changes the fault ratio; the sequence starts again from the default seed.
    pub fn set_faults(&self, ratio: f64) {
        self.shared.state().faults.reset(ratio, DEFAULT_SEED);
    }

    /// At most `requests` API calls in any rolling `window`; more get 403
    /// `userRateLimitExceeded`. 0 turns the limit off (the default).
    pub fn with_rate_limit(self, requests: u32, window: Duration) -> Self {
        self.set_rate_limit(requests, window);
        self
    }

    /// See [`FakeGoogle::with_rate_limit`].
    pub fn set_rate_limit(&self, requests: u32, window: Duration) {
        self.shared.state().rate_limit = RateLimit::new(requests, window);
    }

    /// API calls received, whatever their outcome.
    pub fn request_count(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// Token requests received, whatever their outcome.
    pub fn token_request_count(&self) -> usize {
        self.shared.token_requests.load(Ordering::SeqCst)
    }

    /// API calls failed by fault injection so far.
    pub fn faults_injected(&self) -> usize {
        self.shared.state().faults.injected()
    }

    /// The fake's routes: `/token`, `/admin/directory/v1/...`, `/admin/datatransfer/v1/...`.
    pub fn router(&self) -> Router {
        routes::router(self.shared.clone())
    }

    /// Binds `127.0.0.1:port` (0 = any free port) and serves on the current tokio
    /// runtime. Returns the origin, e.g. `http://127.0.0.1:41234`, and a handle that
    /// stops the server when dropped. The token URL is `<origin>/token`; the APIs are
    /// under `<origin>/admin/directory/v1` and `<origin>/admin/datatransfer/v1`.
    pub async fn serve(self, port: u16) -> std::io::Result<(String, ServerHandle)> {
        serve_router(self.router(), port).await
    }
}
