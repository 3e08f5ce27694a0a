//! A fake of Microsoft Graph (`https://graph.microsoft.com/v1.0`) as an app with
//! application permissions sees it: Entra users, licences, groups, and the two mailbox
//! settings offboarding touches (forwarding rules, automatic replies); with the Microsoft
//! identity platform's token endpoint (`https://login.microsoftonline.com`) on the same
//! origin, so one setting points a connector's login and Graph base at the fake.
//!
//! Documented by Microsoft, and followed here:
//! - Token: `POST /{tenant}/oauth2/v2.0/token`, form `client_id`, `client_secret`,
//!   `grant_type=client_credentials`, `scope=https://graph.microsoft.com/.default`
//!   → `{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
//!   "access_token"}`. `{tenant}` is the tenant's name as given to [`FakeGraph::new`] or
//!   its GUID ([`FakeGraph::tenant_id`]). Errors are the identity platform's
//!   `{"error", "error_description": "AADSTS...", "error_codes", "trace_id", ...}`: a
//!   wrong secret 401 `invalid_client` (AADSTS7000215); an unknown client id 400
//!   `unauthorized_client` (AADSTS700016); an unknown tenant 400 `invalid_request`
//!   (AADSTS90002); a scope other than Graph's `/.default` 400 `invalid_scope`
//!   (AADSTS1002012); another grant 400 `unsupported_grant_type` (AADSTS70003).
//! - Every API call (`/v1.0/...`) needs `Authorization: Bearer <token>`, else 401
//!   `InvalidAuthenticationToken` with `WWW-Authenticate`. Errors are always
//!   `{"error": {"code", "message", "innerError": {"date", "request-id",
//!   "client-request-id"}}}`, and every response has `request-id` and
//!   `client-request-id` headers (the latter echoes the client's).
//! - `POST /users` (`accountEnabled`, `displayName`, `mailNickname`,
//!   `userPrincipalName`, `passwordProfile {password, forceChangePasswordNextSignIn}`
//!   required) → 201 with the user. A user principal name in use (case-insensitive) → 400
//!   `Request_BadRequest` "Another object with the same value for property
//!   userPrincipalName already exists." with `details: [{"target": "userPrincipalName",
//!   "code": "ObjectConflict"}]`. A missing required property → 400 "Invalid value
//!   specified for property 'p' of resource 'User'."; a password that is not 8–256
//!   characters with three of upper, lower, digit, symbol → 400 "The specified password
//!   does not comply with password complexity requirements...".
//! - `GET /users/{id | userPrincipalName}`; 404 `Request_ResourceNotFound`. Like Graph,
//!   a user comes with the default properties only (`id`, `businessPhones`,
//!   `displayName`, `givenName`, `jobTitle`, `mail`, `mobilePhone`, `officeLocation`,
//!   `preferredLanguage`, `surname`, `userPrincipalName`); others, `accountEnabled` and
//!   `usageLocation` among them, only through `$select`. A `$select` of an unknown
//!   property → 400.
//! - `GET /users` with `$filter` (`eq` on `userPrincipalName`, `mail`, `displayName`,
//!   `mailNickname`, `id`, `employeeId`, `accountEnabled`, ...; `startswith(p,'x')`;
//!   clauses joined by all-`or` or all-`and`; case-insensitive), `$select`, `$top`
//!   (1–999, default 100, otherwise 400) and paging by `@odata.nextLink`, an absolute URL
//!   on the origin the request came to with the same query and a `$skiptoken`. Lists are
//!   in creation order, and a `$skiptoken` points after a user, so paging is stable while
//!   users come and go.
//! - `PATCH /users/{id}` → 204; `DELETE /users/{id}` → 204 (frees its licences and group
//!   memberships); `POST /users/{id}/revokeSignInSessions` → 200 `{"value": true}`.
//! - `POST /users/{id}/assignLicense` `{"addLicenses": [{"skuId", "disabledPlans"}],
//!   "removeLicenses": [skuId]}`: both arrays required (else 400 "Invalid value specified
//!   for property 'removeLicenses'..."), the user needs a `usageLocation` (else 400
//!   "License assignment cannot be done for user with invalid usage location."); an
//!   unknown SKU, a SKU with no free seat, or removing a licence the user does not have
//!   → 400. → 200 with the user. `GET /users/{id}/licenseDetails`; `GET /subscribedSkus`
//!   (`consumedUnits` counts assignments, `prepaidUnits.enabled` the seats).
//! - Mailbox: `POST|GET /users/{id}/mailFolders/inbox/messageRules` (201 with the rule),
//!   `DELETE .../messageRules/{ruleId}`, `GET|PATCH /users/{id}/mailboxSettings`
//!   (PATCH answers 200 with the settings). A user has a mailbox once it holds a licence
//!   (the fake provisions it at once; Exchange takes minutes), and its `mail` becomes its
//!   user principal name then if it had none; without one these answer 404
//!   `MailboxNotEnabledForRESTAPI`.
//! - Groups: `GET /groups` (`$filter`, `$top`, paging), `GET /groups/{id}`,
//!   `GET /groups/{id}/members`, `POST /groups/{id}/members/$ref` `{"@odata.id":
//!   ".../directoryObjects/{userId}"}` → 204 (already a member → 400 "One or more added
//!   object references already exist for the following modified properties:
//!   'members'."), `DELETE /groups/{id}/members/{userId}/$ref` → 204 (not a member → 404),
//!   `GET /users/{id}/memberOf` and its OData cast `.../memberOf/microsoft.graph.group`
//!   (the only kind of directory object the fake has users be members of). `GET /groups`
//!   filters with `displayName eq '...'` and `startswith(displayName,'...')`, and
//!   `$select`s `groupTypes`, `mailEnabled`, `securityEnabled`, `membershipRule`,
//!   `membershipRuleProcessingState` and `isAssignableToRole`. A dynamic group
//!   (`groupTypes: ["DynamicMembership"]`) refuses `$ref` adds and removes with 400
//!   `Request_BadRequest`; a distribution list or mail-enabled security group with 400
//!   "Cannot Update a mail-enabled security groups and or distribution list.". Groups are
//!   made with [`FakeGraph::add_group`], [`FakeGraph::add_dynamic_group`] and
//!   [`FakeGraph::add_group_with`].
//! - Throttling: with [`FakeGraph::with_rate_limit`], requests past the limit get 429
//!   `TooManyRequests` with `Retry-After` (seconds). With [`FakeGraph::with_faults`], a
//!   seeded fraction of API calls answer 429 or 503 `ServiceUnavailable`, both with
//!   `Retry-After: 1`, before anything else happens, so a client that retries converges.
//!   The token endpoint is not affected by either.
//!
//! Assumed rather than read in Microsoft's docs: the status and wording of the refusal
//! to change a dynamic group's members (Graph answers 400, or 403
//! `Authorization_RequestDenied` in some tenants), the wording of most 400 messages, the
//! `$skiptoken` format (opaque), and that `id` is returned even when `$select` leaves it
//! out.

mod errors;
mod groups;
mod licenses;
mod mail;
mod query;
mod render;
mod routes;
mod state;
mod token;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Router;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::limits::RateLimit;
use crate::rng::{Rng, mix};
use crate::server::{ServerHandle, serve_router};
use state::{DEFAULT_SEED, Shared, State};

/// The lifetime of access tokens, in seconds.
pub const DEFAULT_TOKEN_EXPIRES_IN: u32 = 3599;
/// The default `$top`.
pub const DEFAULT_PAGE_SIZE: usize = 100;
/// The largest `$top`.
pub const MAX_PAGE_SIZE: usize = 999;
/// The domain of seeded users while no verified domain is set.
pub const DEFAULT_DOMAIN: &str = "tenure-demo.onmicrosoft.com";
/// Office 365 E3, seeded with [`DEFAULT_SEATS`] seats.
pub const ENTERPRISEPACK: &str = "6fd2c87f-b296-42f0-b197-1e91e994b900";
/// Microsoft 365 E3, seeded with [`DEFAULT_SEATS`] seats.
pub const SPE_E3: &str = "05e9a617-0261-4cee-bb44-138d3ef5d965";
/// Seats of each seeded SKU.
pub const DEFAULT_SEATS: u32 = 100;

/// A licence a user holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GraphLicense {
    pub sku_id: String,
    pub disabled_plans: Vec<String>,
}

/// An inbox rule. `forward_to` gathers the addresses of `actions.forwardTo`,
/// `actions.forwardAsAttachmentTo` and `actions.redirectTo`; `conditions` and `actions`
/// are kept as sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GraphMessageRule {
    pub id: String,
    pub display_name: String,
    pub sequence: i64,
    pub is_enabled: bool,
    pub forward_to: Vec<String>,
    pub conditions: Value,
    pub actions: Value,
}

/// An Entra user as the fake stores it. `password` and
/// `force_change_password_next_sign_in` are the last `passwordProfile` set, which Graph
/// never returns. `mailbox_settings` holds what was PATCHed to `mailboxSettings` over the
/// defaults (`automaticRepliesSetting.status` `disabled`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GraphUser {
    /// Filled in by the fake (a GUID) when empty.
    pub id: String,
    pub user_principal_name: String,
    pub display_name: String,
    pub mail_nickname: String,
    pub account_enabled: bool,
    pub given_name: Option<String>,
    pub surname: Option<String>,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub employee_id: Option<String>,
    pub mail: Option<String>,
    pub other_mails: Vec<String>,
    pub mobile_phone: Option<String>,
    pub office_location: Option<String>,
    pub company_name: Option<String>,
    pub business_phones: Vec<String>,
    /// ISO 3166 alpha-2.
    pub usage_location: Option<String>,
    pub password: String,
    pub force_change_password_next_sign_in: bool,
    pub licenses: Vec<GraphLicense>,
    /// `POST /users/{id}/revokeSignInSessions` calls.
    pub revoke_sign_in_sessions_count: usize,
    pub message_rules: Vec<GraphMessageRule>,
    pub mailbox_settings: Map<String, Value>,
    /// RFC 3339; filled in by the fake when empty.
    pub created_date_time: String,
}

impl GraphUser {
    /// Addresses mail is forwarded or redirected to by enabled inbox rules.
    pub fn forwarding_addresses(&self) -> Vec<String> {
        self.message_rules
            .iter()
            .filter(|r| r.is_enabled)
            .flat_map(|r| r.forward_to.iter().cloned())
            .collect()
    }

    /// `mailboxSettings.automaticRepliesSetting`.
    pub fn automatic_replies(&self) -> Option<&Value> {
        self.mailbox_settings.get("automaticRepliesSetting")
    }

    /// The SKU ids of the user's licences.
    pub fn license_sku_ids(&self) -> Vec<String> {
        self.licenses.iter().map(|l| l.sku_id.clone()).collect()
    }

    /// Whether Exchange has a mailbox for the user (it holds a licence).
    pub fn has_mailbox(&self) -> bool {
        !self.licenses.is_empty()
    }
}

/// A group; `members` are user ids. [`FakeGraph::add_group`] makes a security group with
/// assigned membership; [`FakeGraph::add_group_with`] any other kind: a dynamic group
/// (`group_types` has `DynamicMembership`, with a `membership_rule`), a Microsoft 365
/// group (`Unified`, mail-enabled), a distribution list (mail-enabled, not security).
/// Graph refuses to change the members of dynamic groups and of mail-enabled groups that
/// are not Microsoft 365 groups; the fake does too.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GraphGroup {
    /// Filled in by the fake (a GUID) when empty.
    pub id: String,
    pub display_name: String,
    pub mail_nickname: String,
    pub description: Option<String>,
    pub members: Vec<String>,
    /// `Unified`, `DynamicMembership`.
    pub group_types: Vec<String>,
    pub mail_enabled: bool,
    pub security_enabled: bool,
    pub membership_rule: Option<String>,
    pub is_assignable_to_role: bool,
}

impl GraphGroup {
    /// Members come from `membership_rule`.
    pub fn is_dynamic(&self) -> bool {
        self.group_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case("DynamicMembership"))
    }

    /// A distribution list or mail-enabled security group (Exchange owns its members).
    pub fn is_exchange_managed(&self) -> bool {
        self.mail_enabled
            && !self
                .group_types
                .iter()
                .any(|t| t.eq_ignore_ascii_case("Unified"))
    }
}

/// A subscription of the tenant: `enabled` seats; `service_plans` are
/// `(servicePlanId, servicePlanName)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GraphSku {
    pub sku_id: String,
    pub sku_part_number: String,
    pub enabled: u32,
    pub service_plans: Vec<(String, String)>,
}

/// A fake Microsoft Graph for one tenant and one app registration's client credentials.
/// Cheap to clone: clones share state, so a test keeps one to look at and change the
/// directory while another serves.
#[derive(Clone)]
pub struct FakeGraph {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for FakeGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeGraph")
            .field("tenant", &self.shared.tenant)
            .field("users", &self.user_count())
            .field("requests", &self.request_count())
            .finish_non_exhaustive()
    }
}

fn plans(names: &[(&str, &str)]) -> Vec<(String, String)> {
    names
        .iter()
        .map(|(id, n)| (id.to_string(), n.to_string()))
        .collect()
}

impl FakeGraph {
    /// A fake tenant with no users or groups and two subscriptions, `ENTERPRISEPACK`
    /// ([`ENTERPRISEPACK`]) and `SPE_E3` ([`SPE_E3`]), of [`DEFAULT_SEATS`] seats each.
    /// It issues tokens to exactly this client id and secret.
    pub fn new(tenant: &str, client_id: &str, client_secret: &str) -> Self {
        let mut st = State::new(client_id, client_secret);
        let exchange = (
            "efb87545-963c-4e0d-99df-69c6916d9eb0",
            "EXCHANGE_S_ENTERPRISE",
        );
        let sharepoint = (
            "5dbe027f-2339-4123-9542-606e4d348a72",
            "SHAREPOINTENTERPRISE",
        );
        let teams = ("57ff2da0-773e-42df-b2af-ffb7a2317929", "TEAMS1");
        let intune = ("c1ec4a95-1f05-45b3-a911-aa3fa01094f5", "INTUNE_A");
        st.skus = vec![
            GraphSku {
                sku_id: ENTERPRISEPACK.into(),
                sku_part_number: "ENTERPRISEPACK".into(),
                enabled: DEFAULT_SEATS,
                service_plans: plans(&[exchange, sharepoint, teams]),
            },
            GraphSku {
                sku_id: SPE_E3.into(),
                sku_part_number: "SPE_E3".into(),
                enabled: DEFAULT_SEATS,
                service_plans: plans(&[exchange, sharepoint, teams, intune]),
            },
        ];
        let seed = tenant.bytes().fold(0u64, |h, b| mix(h ^ u64::from(b)));
        let tenant_id = crate::ids::guid(&mut Rng::new(seed, 0x7E4A_4700));
        Self {
            shared: Arc::new(Shared::new(tenant, tenant_id, st)),
        }
    }

    /// The tenant's GUID, which token URLs may use in place of its name.
    pub fn tenant_id(&self) -> String {
        self.shared.tenant_id.clone()
    }

    /// Only these domains may end a user principal name (else 400); by default any may.
    /// The first is the domain of seeded users.
    pub fn with_verified_domains(self, domains: &[&str]) -> Self {
        self.shared.state().verified_domains = domains.iter().map(|d| d.to_string()).collect();
        self
    }

    /// Seeds `n` enabled users `user0001@<domain>`, ... with names, job titles,
    /// departments and usage location `US`, no licences. Deterministic.
    pub fn with_users(self, n: usize) -> Self {
        const GIVEN: &[&str] = &[
            "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken",
        ];
        const FAMILY: &[&str] = &[
            "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson",
        ];
        const DEPARTMENTS: &[&str] = &["Engineering", "Sales", "Finance", "People"];
        let domain = self.seed_domain();
        for i in 1..=n {
            let given = GIVEN[i % GIVEN.len()];
            let family = FAMILY[(i / GIVEN.len()) % FAMILY.len()];
            let nick = format!("user{i:04}");
            self.add_user(GraphUser {
                user_principal_name: format!("{nick}@{domain}"),
                display_name: format!("{given} {family}"),
                mail_nickname: nick,
                account_enabled: true,
                given_name: Some(given.into()),
                surname: Some(family.into()),
                job_title: Some("Engineer".into()),
                department: Some(DEPARTMENTS[i % DEPARTMENTS.len()].into()),
                usage_location: Some("US".into()),
                password: "Seeded-Passw0rd!".into(),
                ..GraphUser::default()
            });
        }
        self
    }

    fn seed_domain(&self) -> String {
        self.shared
            .state()
            .verified_domains
            .first()
            .cloned()
            .unwrap_or_else(|| DEFAULT_DOMAIN.to_string())
    }

    /// Adds (or replaces, by id) a user and returns its id; an empty `id` gets a GUID,
    /// an empty `created_date_time` the current time. No checks are made.
    pub fn add_user(&self, mut u: GraphUser) -> String {
        let mut st = self.shared.state();
        if u.id.is_empty() {
            u.id = st.guid();
        }
        if u.created_date_time.is_empty() {
            u.created_date_time = render::datetime(OffsetDateTime::now_utc());
        }
        if u.mailbox_settings.is_empty() {
            u.mailbox_settings = render::default_mailbox_settings();
        }
        let id = u.id.clone();
        let seq = match st.users.iter().find(|(_, o)| o.id == id) {
            Some((k, _)) => *k,
            None => st.next_seq(),
        };
        st.users.insert(seq, u);
        id
    }

    /// A copy of one user, by id or user principal name (case-insensitive).
    pub fn user(&self, id_or_upn: &str) -> Option<GraphUser> {
        self.shared.state().user(id_or_upn).cloned()
    }

    /// Copies of all users, in list order.
    pub fn users(&self) -> Vec<GraphUser> {
        self.shared.state().users.values().cloned().collect()
    }

    /// How many users there are.
    pub fn user_count(&self) -> usize {
        self.shared.state().users.len()
    }

    /// Changes a user; returns false if there is none. The id stays what it was.
    pub fn update_user(&self, id_or_upn: &str, f: impl FnOnce(&mut GraphUser)) -> bool {
        let mut st = self.shared.state();
        let Some(u) = st.user_mut(id_or_upn) else {
            return false;
        };
        let id = u.id.clone();
        f(u);
        u.id = id;
        true
    }

    /// Adds a security group with assigned membership and returns its id (a GUID).
    pub fn add_group(&self, display_name: &str) -> String {
        self.add_group_with(GraphGroup {
            display_name: display_name.to_string(),
            security_enabled: true,
            ..GraphGroup::default()
        })
    }

    /// Adds a dynamic security group whose members follow `membership_rule` (the fake
    /// never evaluates it: members are whatever [`FakeGraph::add_group_member`] put
    /// there); Graph refuses to add or remove its members. Returns its id.
    pub fn add_dynamic_group(&self, display_name: &str, membership_rule: &str) -> String {
        self.add_group_with(GraphGroup {
            display_name: display_name.to_string(),
            security_enabled: true,
            group_types: vec!["DynamicMembership".into()],
            membership_rule: Some(membership_rule.to_string()),
            ..GraphGroup::default()
        })
    }

    /// Adds (or replaces, by id) a group as given and returns its id; an empty `id` gets
    /// a GUID, an empty `mail_nickname` the display name's letters and digits.
    pub fn add_group_with(&self, mut g: GraphGroup) -> String {
        let mut st = self.shared.state();
        if g.id.is_empty() {
            g.id = st.guid();
        }
        if g.mail_nickname.is_empty() {
            g.mail_nickname = g
                .display_name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
        }
        let id = g.id.clone();
        let seq = match st.group_seq(&id) {
            Some(k) => k,
            None => st.next_seq(),
        };
        st.groups.insert(seq, g);
        id
    }

    /// Copies of all groups, in list order.
    pub fn groups(&self) -> Vec<GraphGroup> {
        self.shared.state().groups.values().cloned().collect()
    }

    /// The groups named `display_name` (case-insensitive, as Graph's `eq` compares).
    pub fn groups_named(&self, display_name: &str) -> Vec<GraphGroup> {
        self.shared
            .state()
            .groups
            .values()
            .filter(|g| g.display_name.eq_ignore_ascii_case(display_name))
            .cloned()
            .collect()
    }

    /// The user principal names of a group's members, in the order they were added
    /// (empty if there is no such group).
    pub fn group_member_upns(&self, group_id: &str) -> Vec<String> {
        let st = self.shared.state();
        let Some(k) = st.group_seq(group_id) else {
            return Vec::new();
        };
        st.groups[&k]
            .members
            .iter()
            .filter_map(|m| st.user(m).map(|u| u.user_principal_name.clone()))
            .collect()
    }

    /// Takes a user (by id or user principal name) out of a group; false if either is
    /// unknown or it was not a member.
    pub fn remove_group_member(&self, group_id: &str, user: &str) -> bool {
        let mut st = self.shared.state();
        let (Some(uid), Some(g)) = (st.user(user).map(|u| u.id.clone()), st.group_seq(group_id))
        else {
            return false;
        };
        let members = &mut st.groups.get_mut(&g).expect("group").members;
        let before = members.len();
        members.retain(|m| *m != uid);
        members.len() != before
    }

    /// A copy of one group, by id.
    pub fn group(&self, id: &str) -> Option<GraphGroup> {
        let st = self.shared.state();
        st.group_seq(id).map(|k| st.groups[&k].clone())
    }

    /// The ids of a group's members (empty if there is no such group).
    pub fn group_members(&self, group_id: &str) -> Vec<String> {
        self.group(group_id).map(|g| g.members).unwrap_or_default()
    }

    /// Makes a user (by id or user principal name) a member of a group; false if either
    /// is unknown or it already is one.
    pub fn add_group_member(&self, group_id: &str, user: &str) -> bool {
        let mut st = self.shared.state();
        let (Some(uid), Some(g)) = (st.user(user).map(|u| u.id.clone()), st.group_seq(group_id))
        else {
            return false;
        };
        let members = &mut st.groups.get_mut(&g).expect("group").members;
        if members.contains(&uid) {
            return false;
        }
        members.push(uid);
        true
    }

    /// Adds or replaces (by part number) a subscription with `enabled` seats.
    pub fn with_sku(self, sku_part_number: &str, sku_id: &str, enabled: u32) -> Self {
        {
            let mut st = self.shared.state();
            st.skus.retain(|s| s.sku_part_number != sku_part_number);
            st.skus.push(GraphSku {
                sku_id: sku_id.to_ascii_lowercase(),
                sku_part_number: sku_part_number.to_string(),
                enabled,
                service_plans: Vec::new(),
            });
        }
        self
    }

    /// Sets the seats of a subscription; false if there is no such part number.
    pub fn set_sku_seats(&self, sku_part_number: &str, enabled: u32) -> bool {
        let mut st = self.shared.state();
        match st
            .skus
            .iter_mut()
            .find(|s| s.sku_part_number == sku_part_number)
        {
            Some(s) => {
                s.enabled = enabled;
                true
            }
            None => false,
        }
    }

    /// A copy of a subscription, by part number (`ENTERPRISEPACK`).
    pub fn sku(&self, sku_part_number: &str) -> Option<GraphSku> {
        self.shared
            .state()
            .skus
            .iter()
            .find(|s| s.sku_part_number == sku_part_number)
            .cloned()
    }

    /// Seats of a subscription (by part number) that users hold.
    pub fn consumed_units(&self, sku_part_number: &str) -> u32 {
        let st = self.shared.state();
        st.skus
            .iter()
            .find(|s| s.sku_part_number == sku_part_number)
            .map_or(0, |s| st.consumed(&s.sku_id))
    }

    /// The token endpoint accepts only this client id and secret from now on, as after a
    /// secret is rotated in Entra. Tokens issued before stay valid (as Entra's do until
    /// they expire); [`FakeGraph::revoke_tokens`] ends them.
    pub fn set_credentials(&self, client_id: &str, client_secret: &str) {
        let mut st = self.shared.state();
        st.client_id = client_id.to_string();
        st.client_secret = client_secret.to_string();
    }

    /// Every token issued so far gets 401 from now on.
    pub fn revoke_tokens(&self) {
        self.shared.state().tokens.clear();
    }

    /// The `expires_in` of tokens issued from now on (default 3599 s).
    pub fn set_token_expires_in(&self, secs: u32) {
        self.shared.state().token_expires_in = secs;
    }

    /// A fraction (0.0–1.0) of API calls fails with 429 or 503 before anything else
    /// happens, drawn from a seeded sequence (see [`FakeGraph::with_fault_seed`]).
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

    /// At most `requests` API calls in any rolling `window`; more get 429 with
    /// `Retry-After`. 0 turns the limit off (the default).
    pub fn with_rate_limit(self, requests: u32, window: Duration) -> Self {
        self.set_rate_limit(requests, window);
        self
    }

    /// See [`FakeGraph::with_rate_limit`].
    pub fn set_rate_limit(&self, requests: u32, window: Duration) {
        self.shared.state().rate_limit = RateLimit::new(requests, window);
    }

    /// API calls received (`/v1.0/...`), whatever their outcome.
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

    /// The fake's routes: `/{tenant}/oauth2/v2.0/token` and `/v1.0/...`.
    pub fn router(&self) -> Router {
        routes::router(self.shared.clone())
    }

    /// Binds `127.0.0.1:port` (0 = any free port) and serves on the current tokio
    /// runtime. Returns the origin, e.g. `http://127.0.0.1:41234`, and a handle that
    /// stops the server when dropped. The token URL is
    /// `<origin>/<tenant>/oauth2/v2.0/token`, the API base `<origin>/v1.0`.
    pub async fn serve(self, port: u16) -> std::io::Result<(String, ServerHandle)> {
        serve_router(self.router(), port).await
    }
}
