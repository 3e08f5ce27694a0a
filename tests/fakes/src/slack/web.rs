//! The Web API methods under `/api/`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State as AxState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};

use super::{BOT_USER_ID, FakeSlack, SlackChannel, SlackUser, State};

/// The largest `limit` Slack takes for lists.
const MAX_LIMIT: usize = 1000;
const DEFAULT_LIMIT: usize = 100;

type Args = HashMap<String, String>;

fn ok(extra: Value) -> Response {
    let mut body = json!({"ok": true});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    axum::Json(body).into_response()
}

fn fail(code: &str) -> Response {
    axum::Json(json!({"ok": false, "error": code})).into_response()
}

/// Percent-decoding of one form or query component (`+` is a space).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn parse_pairs(s: &str, into: &mut Args) {
    for pair in s.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        into.insert(decode(k), decode(v));
    }
}

/// The arguments from the query, then a form or JSON body.
fn arguments(headers: &HeaderMap, query: Option<&str>, body: &[u8]) -> Args {
    let mut args = Args::new();
    if let Some(q) = query {
        parse_pairs(q, &mut args);
    }
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ctype.starts_with("application/json") {
        if let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) {
            for (k, v) in map {
                let v = match v {
                    Value::String(s) => s,
                    Value::Array(items) => items
                        .iter()
                        .map(|i| i.as_str().map(str::to_string).unwrap_or(i.to_string()))
                        .collect::<Vec<_>>()
                        .join(","),
                    other => other.to_string(),
                };
                args.insert(k, v);
            }
        }
    } else if !body.is_empty() {
        parse_pairs(&String::from_utf8_lossy(body), &mut args);
    }
    args
}

fn token(headers: &HeaderMap, args: &Args) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string)
        .or_else(|| args.get("token").cloned())
}

/// `POST|GET /api/{method}`.
pub(crate) async fn handle(
    AxState(fake): AxState<FakeSlack>,
    Path(method): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let args = arguments(&headers, query.as_deref(), &body);
    let mut s = fake.lock();
    if s.ratelimited > 0 {
        s.ratelimited -= 1;
        let status = if s.ratelimit_http {
            StatusCode::TOO_MANY_REQUESTS
        } else {
            StatusCode::OK
        };
        return (
            status,
            [(header::RETRY_AFTER, "1")],
            axum::Json(json!({"ok": false, "error": "ratelimited"})),
        )
            .into_response();
    }
    match token(&headers, &args) {
        None => return fail("not_authed"),
        Some(t) if t != s.bot_token => return fail("invalid_auth"),
        Some(_) => {}
    }
    match method.as_str() {
        "auth.test" => ok(
            json!({"url": "https://tenure-fake.slack.com/", "team": "Tenure Fake",
            "user": "tenure-bot", "team_id": "T00000001", "user_id": BOT_USER_ID, "bot_id": "B00000001"}),
        ),
        "users.lookupByEmail" => lookup_by_email(&s, &args),
        "conversations.list" => conversations_list(&s, &args),
        "users.conversations" => users_conversations(&s, &args),
        "conversations.members" => conversations_members(&s, &args),
        "conversations.invite" => invite(&mut s, &args),
        "conversations.kick" => kick(&mut s, &args),
        _ => fail("unknown_method"),
    }
}

fn member_json(u: &SlackUser) -> Value {
    json!({"id": u.id, "team_id": "T00000001", "name": u.user_name, "deleted": !u.active,
        "real_name": u.display_name, "is_bot": u.id == BOT_USER_ID,
        "profile": {"email": u.email, "real_name": u.display_name, "display_name": u.display_name,
            "first_name": u.given_name, "last_name": u.family_name, "title": u.title}})
}

fn channel_json(c: &SlackChannel) -> Value {
    json!({"id": c.id, "name": c.name, "is_channel": !c.private, "is_group": false,
        "is_private": c.private, "is_archived": c.archived, "is_general": c.name == "general",
        "is_member": c.members.iter().any(|m| m == BOT_USER_ID), "num_members": c.members.len()})
}

fn lookup_by_email(s: &State, args: &Args) -> Response {
    let Some(email) = args.get("email").filter(|e| !e.is_empty()) else {
        return fail("invalid_arguments");
    };
    match s
        .users
        .iter()
        .find(|u| u.active && u.email.eq_ignore_ascii_case(email))
    {
        Some(u) => ok(json!({"user": member_json(u)})),
        None => fail("users_not_found"),
    }
}

/// Whether the bot can see the channel: public ones always, private ones as a member.
fn visible(c: &SlackChannel) -> bool {
    !c.private || c.members.iter().any(|m| m == BOT_USER_ID)
}

/// The channels of the asked-for types, without archived ones when asked.
fn filtered<'a>(s: &'a State, args: &Args) -> Vec<&'a SlackChannel> {
    let types = args
        .get("types")
        .cloned()
        .unwrap_or_else(|| "public_channel".into());
    let public = types.split(',').any(|t| t.trim() == "public_channel");
    let private = types.split(',').any(|t| t.trim() == "private_channel");
    let no_archived = args
        .get("exclude_archived")
        .is_some_and(|v| v == "true" || v == "1");
    s.channels
        .iter()
        .filter(|c| visible(c))
        .filter(|c| if c.private { private } else { public })
        .filter(|c| !(no_archived && c.archived))
        .collect()
}

/// One page of `items` by `limit` and `cursor`, and the next cursor ("" at the end).
/// Errors are Slack's codes.
fn page<T: Clone>(items: &[T], args: &Args, kind: &str) -> Result<(Vec<T>, String), &'static str> {
    let limit = match args.get("limit").map(|l| l.parse::<usize>()) {
        None => DEFAULT_LIMIT,
        Some(Ok(0)) => DEFAULT_LIMIT,
        Some(Ok(n)) => n.min(MAX_LIMIT),
        Some(Err(_)) => return Err("invalid_limit"),
    };
    let start = match args.get("cursor").filter(|c| !c.is_empty()) {
        None => 0,
        Some(c) => {
            let decoded = B64
                .decode(c)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|t| t.strip_prefix(&format!("{kind}:")).map(str::to_string))
                .and_then(|n| n.parse::<usize>().ok());
            match decoded {
                Some(n) => n,
                None => return Err("invalid_cursor"),
            }
        }
    };
    let end = (start + limit).min(items.len());
    let slice = items.get(start..end).unwrap_or(&[]).to_vec();
    let next = if end < items.len() {
        B64.encode(format!("{kind}:{end}"))
    } else {
        String::new()
    };
    Ok((slice, next))
}

fn channel_page(list: Vec<&SlackChannel>, args: &Args, kind: &str) -> Response {
    match page(&list, args, kind) {
        Ok((items, next)) => ok(json!({
            "channels": items.iter().map(|c| channel_json(c)).collect::<Vec<_>>(),
            "response_metadata": {"next_cursor": next},
        })),
        Err(code) => fail(code),
    }
}

fn conversations_list(s: &State, args: &Args) -> Response {
    channel_page(filtered(s, args), args, "channel")
}

fn users_conversations(s: &State, args: &Args) -> Response {
    let user = args
        .get("user")
        .cloned()
        .unwrap_or_else(|| BOT_USER_ID.into());
    if !s.users.iter().any(|u| u.id == user) {
        return fail("user_not_found");
    }
    let list = filtered(s, args)
        .into_iter()
        .filter(|c| c.members.contains(&user))
        .collect();
    channel_page(list, args, "membership")
}

fn visible_channel<'a>(
    s: &'a mut State,
    args: &Args,
) -> Result<&'a mut SlackChannel, &'static str> {
    let id = args.get("channel").cloned().unwrap_or_default();
    s.channels
        .iter_mut()
        .find(|c| c.id == id && visible(c))
        .ok_or("channel_not_found")
}

fn conversations_members(s: &State, args: &Args) -> Response {
    let id = args.get("channel").cloned().unwrap_or_default();
    let Some(c) = s.channels.iter().find(|c| c.id == id && visible(c)) else {
        return fail("channel_not_found");
    };
    match page(&c.members, args, "member") {
        Ok((items, next)) => {
            ok(json!({"members": items, "response_metadata": {"next_cursor": next}}))
        }
        Err(code) => fail(code),
    }
}

fn invite(s: &mut State, args: &Args) -> Response {
    let users: Vec<String> = args
        .get("users")
        .map(|u| {
            u.split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if users.is_empty() {
        return fail("no_user");
    }
    for u in &users {
        if u == BOT_USER_ID {
            return fail("cant_invite_self");
        }
        if !s.users.iter().any(|x| &x.id == u && x.active) {
            return fail("user_not_found");
        }
    }
    let channel = match visible_channel(s, args) {
        Ok(c) => c,
        Err(code) => return fail(code),
    };
    if channel.archived {
        return fail("is_archived");
    }
    if !channel.members.iter().any(|m| m == BOT_USER_ID) {
        return fail("not_in_channel");
    }
    if users.iter().all(|u| channel.members.contains(u)) {
        return fail("already_in_channel");
    }
    for u in users {
        if !channel.members.contains(&u) {
            channel.members.push(u);
        }
    }
    ok(json!({"channel": channel_json(channel)}))
}

fn kick(s: &mut State, args: &Args) -> Response {
    let user = args.get("user").cloned().unwrap_or_default();
    if user == BOT_USER_ID {
        return fail("cant_kick_self");
    }
    if !s.users.iter().any(|x| x.id == user) {
        return fail("user_not_found");
    }
    let channel = match visible_channel(s, args) {
        Ok(c) => c,
        Err(code) => return fail(code),
    };
    if channel.name == "general" {
        return fail("cant_kick_from_general");
    }
    let before = channel.members.len();
    channel.members.retain(|m| *m != user);
    if channel.members.len() == before {
        return fail("not_in_channel");
    }
    ok(json!({}))
}
