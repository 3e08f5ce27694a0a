//! Slack's Web API (`https://slack.com/api/<method>`) with the bot token: form posts,
//! answers `{"ok": true, ...}` or HTTP 200 `{"ok": false, "error": "<code>"}`, cursor
//! paging through `response_metadata.next_cursor`, and HTTP 429 + `Retry-After`.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use tenure_sdk::http::{self, Response};
use tenure_sdk::{Error, settings};

/// Channels asked for per page (Slack recommends at most 200).
pub const PAGE_LIMIT: &str = "200";
/// Pages read at most when a channel is looked for by name.
pub const MAX_PAGES: usize = 50;
/// The conversation types managed: public and private channels.
pub const CHANNEL_TYPES: &str = "public_channel,private_channel";

/// The Web API of the workspace, as the settings name it.
pub struct Web {
    base: String,
    token: String,
}

/// A channel as `conversations.list` and `users.conversations` give it.
#[derive(Debug, Clone, Deserialize)]
pub struct Channel {
    pub id: String,
    #[serde(default)]
    pub name: String,
}

/// A page of channels and the cursor of the next ("" or absent at the end).
#[derive(Debug, Deserialize)]
pub struct Channels {
    #[serde(default)]
    pub channels: Vec<Channel>,
    #[serde(default)]
    response_metadata: Option<Metadata>,
}

#[derive(Debug, Deserialize)]
struct Metadata {
    #[serde(default)]
    next_cursor: String,
}

impl Channels {
    pub fn next_cursor(&self) -> Option<String> {
        self.response_metadata
            .as_ref()
            .map(|m| m.next_cursor.clone())
            .filter(|c| !c.is_empty())
    }
}

/// A Slack member as `users.lookupByEmail` gives it.
#[derive(Debug, Deserialize)]
pub struct Member {
    pub id: String,
    #[serde(default)]
    pub deleted: bool,
    #[serde(default)]
    pub profile: Profile,
}

#[derive(Debug, Default, Deserialize)]
pub struct Profile {
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Deserialize)]
struct Envelope {
    ok: bool,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    needed: Option<String>,
}

impl Web {
    pub fn from_settings() -> Result<Web, Error> {
        Ok(Web {
            base: settings::required_config("api_url")?,
            token: settings::required_secret("bot_token")?,
        })
    }

    /// Calls `method` with form fields; an `ok: false` answer is the error its code
    /// means ([`error_for`]), except codes in `success` (`already_in_channel`, ...),
    /// which answer `Ok(None)`.
    pub fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        fields: &[(&str, &str)],
        success: &[&str],
    ) -> Result<Option<T>, Error> {
        let resp = http::post(&http::join(&self.base, method))
            .bearer(&self.token)
            .form(fields)
            .send_raw()?;
        if !resp.is_success() {
            return Err(resp.to_error());
        }
        let env: Envelope = resp.json()?;
        if env.ok {
            return resp.json().map(Some);
        }
        let code = env.error.unwrap_or_default();
        if success.contains(&code.as_str()) {
            return Ok(None);
        }
        Err(error_for(&code, env.needed.as_deref(), &resp))
    }

    /// Like [`Web::call`], where no error code counts as success.
    pub fn get<T: DeserializeOwned>(
        &self,
        method: &str,
        fields: &[(&str, &str)],
    ) -> Result<T, Error> {
        self.call(method, fields, &[])?
            .ok_or_else(|| Error::Other(format!("Slack's {method} answered nothing")))
    }
}

/// What a Web API error code means for the host.
pub fn error_for(code: &str, needed: Option<&str>, resp: &Response) -> Error {
    let what = resp.clean(code);
    match code {
        "ratelimited" | "rate_limited" => Error::RateLimited(
            http::retry_after(resp).unwrap_or(http::DEFAULT_RETRY_AFTER_SECONDS),
        ),
        "missing_scope" => Error::Unauthorized(format!(
            "Slack: the bot token lacks a scope{}: add it under OAuth & Permissions and reinstall the app",
            needed.map(|n| format!(" ({})", resp.clean(n))).unwrap_or_default()
        )),
        "invalid_auth" | "not_authed" | "token_revoked" | "token_expired"
        | "account_inactive" | "no_permission" | "not_allowed_token_type"
        | "ekm_access_denied" | "team_access_not_granted" => Error::Unauthorized(format!(
            "Slack refused the bot token ({what}): check the bot token setting"
        )),
        "channel_not_found" | "user_not_found" | "users_not_found" | "is_archived" => {
            Error::NotFound(format!("Slack: {what}"))
        }
        "restricted_action" | "method_not_supported_for_channel_type" | "not_supported"
        | "cant_kick_from_general" | "cant_kick_from_last_channel" => Error::Unsupported(format!(
            "Slack does not allow this here ({what}): a person must do it in Slack"
        )),
        "cant_invite_self" | "cant_kick_self" | "cant_invite" | "user_is_restricted"
        | "user_is_ultra_restricted" | "invalid_arguments" | "invalid_cursor"
        | "invalid_arg_name" | "invalid_array_arg" | "no_user" | "no_channel" => {
            Error::InvalidInput(format!("Slack: {what}"))
        }
        "not_in_channel" => Error::InvalidInput(
            "Slack: the app is not a member of this channel: add it to the channel (channel name → Integrations → Add apps)".into(),
        ),
        "internal_error" | "fatal_error" | "service_unavailable" | "request_timeout" => {
            Error::Unavailable(format!("Slack: {what}"))
        }
        _ => Error::Other(format!("Slack answered {what}")),
    }
}

/// A channel name as people write it: without a leading `#`, trimmed.
pub fn channel_name(name: &str) -> &str {
    name.trim().trim_start_matches('#').trim()
}
