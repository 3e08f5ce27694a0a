//! The Okta Management API as this connector uses it: the org's origin, how requests
//! are authenticated, how Okta's error bodies map to the contract's errors, and
//! `Link`-header paging.
//!
//! - Every request goes to the org (`org_url`): `https://acme.okta.com/api/v1/...`.
//! - Auth (`auth`): `api_token` sends `Authorization: SSWS <token>`; `oauth` sends a
//!   Bearer token from the org authorization server ([`crate::token`]).
//! - Errors are `{errorCode, errorSummary, errorLink, errorId, errorCauses:
//!   [{errorSummary}]}`. Every answer carries `X-Rate-Limit-Limit`,
//!   `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` (Unix seconds when the bucket
//!   refills); past the limit, 429 `E0000047`.
//! - Lists page with `limit` and an opaque `after` cursor, handed out only inside the
//!   `Link: <...?after=...>; rel="next"` header.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use tenure_sdk::http::{self, Method, RequestBuilder, Response};
use tenure_sdk::oauth::TokenSource;
use tenure_sdk::{Error, paging, settings, time};

use crate::token::ServiceApp;

/// Okta's "Api validation failed" (a field refused, a login taken, a transition refused).
pub const VALIDATION: &str = "E0000001";
/// "Invalid token provided".
pub const INVALID_TOKEN: &str = "E0000011";
/// "You do not have permission to perform the requested action".
pub const NO_PERMISSION: &str = "E0000006";
/// "You do not have permission to access the feature you are requesting" (the org's
/// plan lacks it).
pub const NO_FEATURE: &str = "E0000015";
/// "Not found: Resource not found".
pub const NOT_FOUND: &str = "E0000007";

/// Pages read at most in one call of the connector; 10 pages of 200 is 2,000 items.
pub const MAX_PAGES: usize = 10;
/// `limit` of every list request.
pub const PAGE_SIZE: &str = "200";

/// How requests prove who sends them.
enum Auth {
    ApiToken(String),
    ServiceApp(ServiceApp),
}

/// A client for one Okta org, from the connector's settings.
pub struct OktaApi {
    /// `https://acme.okta.com`, no trailing slash.
    pub org: String,
    auth: Auth,
}

/// Okta's error body, as far as it is read.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct OktaError {
    #[serde(default)]
    pub error_code: String,
    #[serde(default)]
    pub error_summary: String,
    #[serde(default)]
    pub error_causes: Vec<Cause>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Cause {
    #[serde(default)]
    pub error_summary: String,
}

impl OktaError {
    /// The body of `resp`, or an empty error when it is not Okta's shape.
    pub fn of(resp: &Response) -> OktaError {
        resp.json().unwrap_or_default()
    }

    /// Whether a cause says the value is taken ("login: An object with this field
    /// already exists in the current organization").
    pub fn already_exists(&self) -> bool {
        self.error_code == VALIDATION
            && self
                .error_causes
                .iter()
                .any(|c| c.error_summary.contains("already exists"))
    }
}

/// The origin of an org URL as an administrator may type it: `acme.okta.com`,
/// `https://acme.okta.com/`, `https://acme.okta.com/app/UserHome`. The Admin Console's
/// `-admin` address is refused with the fix, as the API is not served there.
pub fn org_origin(value: &str) -> Result<String, Error> {
    let v = value.trim();
    let with_scheme = if v.contains("://") {
        v.to_string()
    } else {
        format!("https://{v}")
    };
    let (scheme, rest) = with_scheme.split_once("://").unwrap_or(("https", v));
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() {
        return Err(Error::Unauthorized(
            "the setting `org_url` is not a URL: enter your Okta org's address, e.g. https://acme.okta.com".into(),
        ));
    }
    let first_label = host.split('.').next().unwrap_or("");
    if first_label.ends_with("-admin") {
        let fixed = host.replacen("-admin.", ".", 1);
        return Err(Error::Unauthorized(format!(
            "the setting `org_url` is the Admin Console's address ({host}); the API lives at https://{fixed}: change the setting to that"
        )));
    }
    Ok(format!("{}://{host}", scheme.to_ascii_lowercase()))
}

impl OktaApi {
    /// The org and credentials from the settings. Missing ones are
    /// [`Error::Unauthorized`] naming the setting.
    pub fn from_settings() -> Result<OktaApi, Error> {
        let org = org_origin(&settings::required_config("org_url")?)?;
        let auth = match settings::config("auth")
            .unwrap_or_else(|| "api_token".into())
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "api_token" | "api-token" | "token" | "ssws" => {
                Auth::ApiToken(settings::required_secret("api_token")?)
            }
            "oauth" | "service_app" | "private_key_jwt" => Auth::ServiceApp(ServiceApp {
                token_url: http::join(&org, "/oauth2/v1/token"),
                client_id: settings::required_config("client_id")?,
            }),
            other => {
                return Err(Error::Unauthorized(format!(
                    "the setting `auth` is {:?}: set it to api_token or oauth",
                    http::excerpt(other)
                )));
            }
        };
        Ok(OktaApi { org, auth })
    }

    /// A request to `path` under the org (`/api/v1/users`).
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        http::request(method, &http::join(&self.org, path))
    }

    /// Sends `req` with the credentials; any answer is `Ok`. With a service app, a 401
    /// to a cached token gets one more try with a new token.
    pub fn send_raw(&self, req: RequestBuilder) -> Result<Response, Error> {
        match &self.auth {
            Auth::ApiToken(token) => req
                .header("authorization", &format!("SSWS {token}"))
                .send_raw(),
            Auth::ServiceApp(app) => app.send_raw(|token| req.clone().bearer(token)),
        }
    }

    /// [`OktaApi::send_raw`]; a non-2xx answer becomes the [`Error`] it means.
    pub fn send(&self, req: RequestBuilder) -> Result<Response, Error> {
        let resp = self.send_raw(req)?;
        if resp.is_success() {
            Ok(resp)
        } else {
            Err(self.error(&resp))
        }
    }

    /// The [`Error`] a non-2xx answer means.
    pub fn error(&self, resp: &Response) -> Error {
        error(resp, matches!(self.auth, Auth::ServiceApp(_)))
    }

    /// One page of a list: the items and the `after` cursor of the next page, if any.
    /// When the answer says the rate-limit bucket is empty and another page follows,
    /// the next page is not asked for: [`Error::RateLimited`] until the reset instead.
    pub fn page<T: DeserializeOwned>(
        &self,
        req: RequestBuilder,
    ) -> Result<(Vec<T>, Option<String>), Error> {
        let resp = self.send(req)?;
        let items: Vec<T> = resp.json()?;
        let next = paging::next_link(resp.header("link")).and_then(|l| query_param(&l, "after"));
        Ok((items, next))
    }

    /// Every item of a list, following `Link` headers for at most [`MAX_PAGES`]
    /// pages. `build` makes the first request; later ones add `after`.
    pub fn all<T: DeserializeOwned>(
        &self,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<Vec<T>, Error> {
        let mut waiting: Option<u32> = None;
        paging::collect(MAX_PAGES, |after| {
            if let Some(secs) = waiting {
                return Err(Error::RateLimited(secs));
            }
            let resp = self.send(build().query_opt("after", after.as_deref()))?;
            let items: Vec<T> = resp.json()?;
            let next =
                paging::next_link(resp.header("link")).and_then(|l| query_param(&l, "after"));
            if next.is_some() && remaining(&resp) == Some(0) {
                waiting = Some(seconds_until_reset(&resp));
            }
            Ok((items, next))
        })
    }
}

/// The `X-Rate-Limit-Remaining` of an answer.
pub fn remaining(resp: &Response) -> Option<u64> {
    resp.header("x-rate-limit-remaining")?.trim().parse().ok()
}

/// Seconds until the rate-limit bucket refills, by `X-Rate-Limit-Reset` (Unix seconds)
/// against the host's clock, at least 1; without the header, `Retry-After` or 60.
pub fn seconds_until_reset(resp: &Response) -> u32 {
    match resp
        .header("x-rate-limit-reset")
        .and_then(|v| v.trim().parse::<i64>().ok())
    {
        Some(reset) => u32::try_from((reset - time::now_unix()).max(1)).unwrap_or(u32::MAX),
        None => http::retry_after(resp).unwrap_or(http::DEFAULT_RETRY_AFTER_SECONDS),
    }
}

/// What an Okta answer means for the host. `oauth` words credential problems for a
/// service app rather than an API token.
pub fn error(resp: &Response, oauth: bool) -> Error {
    let body = OktaError::of(resp);
    let mut text = body.error_summary.clone();
    let causes: Vec<&str> = body
        .error_causes
        .iter()
        .map(|c| c.error_summary.as_str())
        .filter(|s| !s.is_empty())
        .collect();
    if !causes.is_empty() {
        text = format!("{text} ({})", causes.join("; "));
    }
    if text.is_empty() {
        text = resp.detail();
    }
    let code = if body.error_code.is_empty() {
        String::new()
    } else {
        format!(" {}", body.error_code)
    };
    let said = format!(
        "Okta answered HTTP {}{code}: {}",
        resp.status,
        resp.clean(&text)
    );
    let credentials = if oauth {
        "the service app's access token"
    } else {
        "the API token"
    };
    match (resp.status, body.error_code.as_str()) {
        (429, _) => Error::RateLimited(seconds_until_reset(resp)),
        (500..=599, _) | (408, _) => Error::Unavailable(said),
        (_, NO_FEATURE) => Error::Unsupported(format!(
            "{said}: the Okta org's plan lacks this feature; a person does it in the Admin Console"
        )),
        (401, _) | (_, INVALID_TOKEN) => Error::Unauthorized(format!(
            "{said}: {credentials} is invalid, expired or revoked; renew it in the connector's settings"
        )),
        (403, _) | (_, NO_PERMISSION) => Error::Unauthorized(format!(
            "{said}: {credentials} lacks a permission; give {} an admin role that can manage users and group memberships{}",
            if oauth {
                "the service app"
            } else {
                "the admin who made the token"
            },
            if oauth {
                " and grant it the scopes okta.users.manage and okta.groups.manage"
            } else {
                ""
            }
        )),
        (404 | 410, _) | (_, NOT_FOUND) => Error::NotFound(said),
        (409, _) => Error::Conflict(said),
        (400..=499, _) => Error::InvalidInput(said),
        _ => Error::Other(said),
    }
}

/// The decoded value of `name` in a URL's query.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(k) == name).then(|| decode(v))
    })
}

/// Percent-decoding (and `+` as a space) of one query component.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| char::from(b).to_digit(16);
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

/// A string literal for Okta's `search` and `filter` expressions: in double quotes,
/// with `\` and `"` escaped.
pub fn literal(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `/api/v1/users/{id}` with the id (or login) encoded.
pub fn user_path(id: &str) -> String {
    format!("/api/v1/users/{}", http::encode_component(id))
}

/// `/api/v1/groups/{id}`.
pub fn group_path(id: &str) -> String {
    format!("/api/v1/groups/{}", http::encode_component(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_after_from_a_next_link() {
        assert_eq!(
            query_param(
                "https://acme.okta.com/api/v1/users?limit=2&after=00u%2Fab+c",
                "after"
            )
            .as_deref(),
            Some("00u/ab c")
        );
        assert_eq!(query_param("https://x/y?limit=2", "after"), None);
        assert_eq!(
            query_param("https://x/y?after=%zz", "after").as_deref(),
            Some("%zz")
        );
    }

    #[test]
    fn org_urls_are_reduced_to_their_origin() {
        assert_eq!(
            org_origin("acme.okta.com").unwrap(),
            "https://acme.okta.com"
        );
        assert_eq!(
            org_origin(" https://acme.okta.com/app/UserHome ").unwrap(),
            "https://acme.okta.com"
        );
        assert_eq!(
            org_origin("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        let e = org_origin("https://acme-admin.okta.com").unwrap_err();
        assert!(
            matches!(&e, Error::Unauthorized(m) if m.contains("https://acme.okta.com")),
            "{e:?}"
        );
    }

    #[test]
    fn literals_escape_quotes() {
        assert_eq!(literal(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
