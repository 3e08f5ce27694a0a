//! A fake of Slack for the `slack` connector: the Web API methods it calls (under
//! `/api/`) with a bot token, and Slack's SCIM v2 Users API (under `/scim/v2/`) with an
//! admin token, where the plan has SCIM.
//!
//! Followed from Slack's docs:
//! - Web API: `POST|GET /api/<method>`, arguments as a form body, a JSON body or the
//!   query; the token as `Authorization: Bearer` (or a `token` argument). Answers are
//!   HTTP 200 `{"ok": true, ...}` or `{"ok": false, "error": "<code>"}`: no token →
//!   `not_authed`, a wrong one → `invalid_auth`, an unknown method → `unknown_method`.
//! - `auth.test`; `users.lookupByEmail` (`email`; `users_not_found`);
//!   `conversations.list` (`types` of `public_channel,private_channel`,
//!   `exclude_archived`, `limit` 1–1000 default 100, `cursor`; `response_metadata.
//!   next_cursor`, "" on the last page; a bad cursor → `invalid_cursor`);
//!   `conversations.invite` (`channel`, `users` comma-separated: `already_in_channel`,
//!   `user_not_found`, `cant_invite_self`, `channel_not_found`, and `not_in_channel`
//!   when the bot itself is not a member); `conversations.kick` (`channel`, `user`:
//!   `not_in_channel`, `cant_kick_self`, `cant_kick_from_general`);
//!   `users.conversations` (`user`, `types`, `exclude_archived`, `limit`, `cursor`);
//!   `conversations.members` (`channel`, paged like the lists).
//!   Private channels are visible to the bot only where it is a member (others answer
//!   `channel_not_found`, and lists leave them out).
//! - Rate limits: with [`FakeSlack::rate_limit_next`], the next calls answer HTTP 429
//!   with `Retry-After: 1` and `{"ok": false, "error": "ratelimited"}` (Slack's
//!   documented signal), or, with `as_http_429 = false`, HTTP 200 with that body.
//! - SCIM v2: `GET /scim/v2/Users` (`startIndex` 1-based, `count` default 100, max
//!   1000, `filter` `userName eq "x"` or `email eq "x"` / `emails.value eq "x"`),
//!   `GET|PUT|PATCH|DELETE /scim/v2/Users/{id}`, `POST /scim/v2/Users` (201; a taken
//!   userName or email → 409). `DELETE` deactivates (`active: false`), `PATCH`
//!   `replace` sets `active`, names, title. Errors are Slack's
//!   `{"Errors": {"description", "code"}}`; a wrong token → 401.
//!
//! Assumed rather than read: the 403 a plan without SCIM answers (here
//! `{"Errors": {"description": "scim_not_enabled: ...", "code": 403}}`), the 409
//! descriptions, that `users.lookupByEmail` does not find deactivated members, and
//! that the ids of SCIM users and Web API members are the same (they are in Slack).

mod scim;
mod web;

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::routing::{any, get};

use crate::server::{ServerHandle, serve_router};

/// The bot's own member id.
pub const BOT_USER_ID: &str = "UBOT00001";

/// A channel in the fake workspace.
#[derive(Debug, Clone)]
pub struct SlackChannel {
    pub id: String,
    pub name: String,
    pub private: bool,
    pub archived: bool,
    /// Member ids (the bot's among them when it is a member).
    pub members: Vec<String>,
}

/// A member of the fake workspace.
#[derive(Debug, Clone)]
pub struct SlackUser {
    pub id: String,
    pub user_name: String,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub display_name: String,
    pub title: String,
    pub active: bool,
}

#[derive(Debug)]
pub(crate) struct State {
    pub bot_token: String,
    pub scim_token: String,
    pub scim_plan: bool,
    pub channels: Vec<SlackChannel>,
    pub users: Vec<SlackUser>,
    pub next_id: u64,
    /// Web API calls still to answer `ratelimited`, and how.
    pub ratelimited: u32,
    pub ratelimit_http: bool,
}

/// The fake Slack; clones share one workspace.
#[derive(Clone, Debug)]
pub struct FakeSlack {
    state: Arc<Mutex<State>>,
}

impl FakeSlack {
    /// A workspace on a plan with SCIM, with a bot (`bot_token`) and an admin SCIM
    /// token, no channels and no members but the bot.
    pub fn new(bot_token: &str, scim_token: &str) -> FakeSlack {
        let fake = FakeSlack {
            state: Arc::new(Mutex::new(State {
                bot_token: bot_token.into(),
                scim_token: scim_token.into(),
                scim_plan: true,
                channels: Vec::new(),
                users: Vec::new(),
                next_id: 1,
                ratelimited: 0,
                ratelimit_http: true,
            })),
        };
        fake.lock().users.push(SlackUser {
            id: BOT_USER_ID.into(),
            user_name: "tenure-bot".into(),
            email: String::new(),
            given_name: "Tenure".into(),
            family_name: "Bot".into(),
            display_name: "Tenure".into(),
            title: String::new(),
            active: true,
        });
        fake
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the plan has SCIM (Business+ / Enterprise Grid); without it every
    /// SCIM call answers 403.
    pub fn with_scim(self, on: bool) -> FakeSlack {
        self.set_scim(on);
        self
    }

    pub fn set_scim(&self, on: bool) {
        self.lock().scim_plan = on;
    }

    /// Adds a channel; the bot is a member when `bot_member`. Returns its id
    /// (`C...` public, `G...` private).
    pub fn add_channel(&self, name: &str, private: bool, bot_member: bool) -> String {
        let mut s = self.lock();
        let id = format!("{}{:08}", if private { 'G' } else { 'C' }, s.next_id);
        s.next_id += 1;
        s.channels.push(SlackChannel {
            id: id.clone(),
            name: name.trim_start_matches('#').to_lowercase(),
            private,
            archived: false,
            members: if bot_member {
                vec![BOT_USER_ID.into()]
            } else {
                Vec::new()
            },
        });
        id
    }

    /// Archives a channel (lists with `exclude_archived` leave it out).
    pub fn archive_channel(&self, id: &str) {
        if let Some(c) = self.lock().channels.iter_mut().find(|c| c.id == id) {
            c.archived = true;
        }
    }

    /// Adds an active member; returns their id (`U...`).
    pub fn add_user(&self, email: &str, given_name: &str, family_name: &str) -> String {
        let mut s = self.lock();
        let id = format!("U{:08}", s.next_id);
        s.next_id += 1;
        s.users.push(SlackUser {
            id: id.clone(),
            user_name: email.split('@').next().unwrap_or(email).to_lowercase(),
            email: email.into(),
            given_name: given_name.into(),
            family_name: family_name.into(),
            display_name: format!("{given_name} {family_name}"),
            title: String::new(),
            active: true,
        });
        id
    }

    /// Puts a member into a channel directly (as people in Slack would).
    pub fn join(&self, channel_id: &str, user_id: &str) {
        let mut s = self.lock();
        if let Some(c) = s.channels.iter_mut().find(|c| c.id == channel_id)
            && !c.members.iter().any(|m| m == user_id)
        {
            c.members.push(user_id.into());
        }
    }

    /// The member ids of a channel (the bot's included when it is one).
    pub fn channel_members(&self, channel_id: &str) -> Vec<String> {
        self.lock()
            .channels
            .iter()
            .find(|c| c.id == channel_id)
            .map(|c| c.members.clone())
            .unwrap_or_default()
    }

    /// Whether the member is active; `None` for an unknown id.
    pub fn user_active(&self, user_id: &str) -> Option<bool> {
        self.lock()
            .users
            .iter()
            .find(|u| u.id == user_id)
            .map(|u| u.active)
    }

    /// Every channel, archived ones too.
    pub fn channels(&self) -> Vec<SlackChannel> {
        self.lock().channels.clone()
    }

    /// Every member, deactivated ones too.
    pub fn users(&self) -> Vec<SlackUser> {
        self.lock().users.clone()
    }

    /// A member by email (any case), active or not.
    pub fn user_by_email(&self, email: &str) -> Option<SlackUser> {
        self.lock()
            .users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email))
            .cloned()
    }

    /// The next `calls` Web API calls answer `ratelimited`: as HTTP 429 with
    /// `Retry-After: 1` when `as_http_429`, else as HTTP 200 `ok: false`.
    pub fn rate_limit_next(&self, calls: u32, as_http_429: bool) {
        let mut s = self.lock();
        s.ratelimited = calls;
        s.ratelimit_http = as_http_429;
    }

    /// The fake's routes: `/api/{method}` and `/scim/v2/Users[/{id}]`.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/api/{method}", any(web::handle))
            .route("/scim/v2/Users", get(scim::list).post(scim::create))
            .route(
                "/scim/v2/Users/{id}",
                get(scim::read)
                    .put(scim::replace)
                    .patch(scim::patch)
                    .delete(scim::deactivate),
            )
            .with_state(self.clone())
    }

    /// Serves on `127.0.0.1:port` (0: any free port).
    pub async fn serve(self, port: u16) -> std::io::Result<(String, ServerHandle)> {
        serve_router(self.router(), port).await
    }
}

#[cfg(test)]
mod tests;
