//! A leaver's mail: an inbox rule that forwards new mail, and the automatic reply. Both
//! live in the Exchange Online mailbox, which exists only while the user holds a licence
//! with Exchange — so offboarding sets them before it removes licences.
//!
//! Retries: the forwarding rule is found by its name before one is made (never two);
//! the automatic reply is a PATCH of the same values. When an earlier attempt of the same
//! offboarding went on to remove the licences, the mailbox is gone by the retry
//! (`MailboxNotEnabledForRESTAPI`); a marker in the key-value store, written once both
//! steps succeeded, tells that apart from a user who never had a mailbox.

use serde::Deserialize;
use serde_json::{Value, json};
use tenure_sdk::http::Method;
use tenure_sdk::{Error, LeaverOptions, kv, log};

use crate::graph::{self, Graph};

/// An inbox rule, as far as the connector reads it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageRule {
    pub id: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub is_enabled: Option<bool>,
    #[serde(default)]
    pub actions: Value,
}

impl MessageRule {
    /// Whether the rule forwards to `address` (any case).
    pub fn forwards_to(&self, address: &str) -> bool {
        self.actions
            .get("forwardTo")
            .and_then(Value::as_array)
            .is_some_and(|rs| {
                rs.iter().any(|r| {
                    r.pointer("/emailAddress/address")
                        .and_then(Value::as_str)
                        .is_some_and(|a| a.eq_ignore_ascii_case(address))
                })
            })
    }
}

/// The name of the forwarding rule the connector makes (and looks for).
pub const RULE_NAME: &str = "Forward mail of a leaver (Tenure)";
/// Inbox rules and mailbox settings (least privileged for both).
const NEEDS: &str = "MailboxSettings.ReadWrite";
/// How long the marker of done mail steps is kept: longer than any retry, shorter
/// than a mailbox's 30-day grace after its licence goes.
const MARKER_TTL_SECONDS: u32 = 14 * 24 * 3600;

/// Whether a step found a mailbox to act on.
enum Mailbox {
    Done,
    Missing,
}

/// Sets the forwarding and the automatic reply `options` ask for, if any.
pub fn apply(g: &Graph, user_id: &str, options: &LeaverOptions) -> Result<(), Error> {
    if options.forward_mail_to.is_none() && options.auto_reply.is_none() {
        return Ok(());
    }
    let fingerprint = fingerprint(options);
    let mut missing = false;
    if let Some(to) = &options.forward_mail_to
        && let Mailbox::Missing = forward(g, user_id, to)?
    {
        missing = true;
    }
    if !missing
        && let Some(text) = &options.auto_reply
        && let Mailbox::Missing = auto_reply(g, user_id, text)?
    {
        missing = true;
    }
    if !missing {
        kv::set(
            &marker_key(user_id),
            fingerprint.as_bytes(),
            Some(MARKER_TTL_SECONDS),
        );
        return Ok(());
    }
    let done_before = kv::get(&marker_key(user_id)).is_some_and(|v| v == fingerprint.as_bytes());
    if done_before {
        log::info(&format!(
            "the mailbox of {user_id} is gone (its licences were removed by an earlier attempt, after the forwarding and automatic reply were set)"
        ));
        return Ok(());
    }
    Err(Error::InvalidInput(format!(
        "the user {user_id} has no Exchange Online mailbox (no licence that includes Exchange, a mailbox hosted on-premises, or one still being provisioned), so mail cannot be forwarded nor an automatic reply set: do it by hand"
    )))
}

/// Forgets that an offboarding set the mail steps (a rehire starts afresh).
pub fn forget(user_id: &str) {
    kv::delete(&marker_key(user_id));
}

fn marker_key(user_id: &str) -> String {
    format!("m365-mail-steps:{user_id}")
}

/// What was asked, so a retry of the same offboarding recognises its own marker.
fn fingerprint(options: &LeaverOptions) -> String {
    let text = format!(
        "{}\u{0}{}",
        options
            .forward_mail_to
            .as_deref()
            .unwrap_or("")
            .to_ascii_lowercase(),
        options.auto_reply.as_deref().unwrap_or("")
    );
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

fn is_missing_mailbox(resp: &tenure_sdk::http::Response) -> bool {
    resp.status == 404 && graph::error_code(resp).as_deref() == Some("MailboxNotEnabledForRESTAPI")
}

/// Makes sure an enabled inbox rule named [`RULE_NAME`] forwards to `to`: lists the rules
/// first; a rule of that name forwarding elsewhere (an older offboarding) is replaced.
fn forward(g: &Graph, user_id: &str, to: &str) -> Result<Mailbox, Error> {
    let rules_path = format!(
        "{}/mailFolders/inbox/messageRules",
        graph::user_path(user_id)
    );
    let resp = g.send_raw(g.request(Method::Get, &rules_path))?;
    if is_missing_mailbox(&resp) {
        return Ok(Mailbox::Missing);
    }
    if !resp.is_success() {
        return Err(graph::error(&resp, NEEDS));
    }
    let page: graph::List<MessageRule> = resp.json()?;
    // Rules are few; a second page is followed all the same.
    let mut rules = page.value;
    if let Some(next) = g.next(page.next_link)? {
        rules.extend(g.all::<MessageRule>(tenure_sdk::http::get(&next), NEEDS, 10)?);
    }
    let ours: Vec<&MessageRule> = rules
        .iter()
        .filter(|r| r.display_name == RULE_NAME)
        .collect();
    if ours
        .iter()
        .any(|r| r.is_enabled.unwrap_or(true) && r.forwards_to(to))
    {
        log::info(&format!("{user_id}: the forwarding rule is there already"));
        return Ok(Mailbox::Done);
    }
    for stale in ours {
        let resp = g.send_raw(g.request(
            Method::Delete,
            &format!(
                "{rules_path}/{}",
                tenure_sdk::http::encode_component(&stale.id)
            ),
        ))?;
        if !resp.is_success() && resp.status != 404 {
            return Err(graph::error(&resp, NEEDS));
        }
    }
    let body = json!({
        "displayName": RULE_NAME,
        "sequence": 1,
        "isEnabled": true,
        // No conditions: every new message.
        "actions": {
            "forwardTo": [{"emailAddress": {"address": to}}],
            "stopProcessingRules": false,
        },
    });
    let resp = g.send_raw(g.request(Method::Post, &rules_path).json(&body)?)?;
    if is_missing_mailbox(&resp) {
        return Ok(Mailbox::Missing);
    }
    if !resp.is_success() {
        return Err(graph::error(&resp, NEEDS));
    }
    log::info(&format!("{user_id}: new mail is forwarded to {to}"));
    Ok(Mailbox::Done)
}

/// Turns the automatic reply on, for everyone, with `text` (plain text, sent as HTML).
fn auto_reply(g: &Graph, user_id: &str, text: &str) -> Result<Mailbox, Error> {
    let html = to_html(text);
    let body = json!({
        "automaticRepliesSetting": {
            "status": "alwaysEnabled",
            "externalAudience": "all",
            "internalReplyMessage": html,
            "externalReplyMessage": html,
        },
    });
    let resp = g.send_raw(
        g.request(
            Method::Patch,
            &format!("{}/mailboxSettings", graph::user_path(user_id)),
        )
        .json(&body)?,
    )?;
    if is_missing_mailbox(&resp) {
        return Ok(Mailbox::Missing);
    }
    if !resp.is_success() {
        return Err(graph::error(&resp, NEEDS));
    }
    log::info(&format!("{user_id}: the automatic reply is on"));
    Ok(Mailbox::Done)
}

/// Plain text as the HTML Exchange expects in a reply message: escaped, lines kept.
pub fn to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}
