//! The Fleet REST API client: the server and token from the settings, requests under
//! `/api/v1/fleet`, and what Fleet's error answers mean for the host.

use serde::Deserialize;
use tenure_sdk::http::{self, Method, RequestBuilder, Response};
use tenure_sdk::{Error, settings};

/// The API's base path under the server.
pub const BASE_PATH: &str = "/api/v1/fleet";

/// A client for one Fleet server.
pub struct FleetApi {
    /// `https://fleet.example.com/api/v1/fleet`.
    base: String,
    token: String,
}

/// Fleet's error body: `{"message", "errors": [{"name", "reason"}]}`.
#[derive(Debug, Default, Deserialize)]
pub struct FleetError {
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub errors: Vec<Cause>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Cause {
    #[serde(default)]
    pub reason: String,
}

impl FleetError {
    /// The error body of an answer (empty when it has none).
    pub fn of(resp: &Response) -> FleetError {
        resp.json().unwrap_or_default()
    }

    /// The reasons, joined: where Fleet says what is wrong with the host.
    pub fn reasons(&self) -> String {
        self.errors
            .iter()
            .map(|c| c.reason.trim())
            .filter(|r| !r.is_empty())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The server's address from the `base_url` setting: a scheme added when missing, and
/// the API path taken off when it was pasted with it (`.../api/v1/fleet`).
fn server(base_url: &str) -> Result<String, Error> {
    let mut url = base_url.trim().trim_end_matches('/').to_string();
    if url.is_empty() {
        return Err(Error::Unauthorized(
            "the setting `base_url` is empty: set it to your Fleet server's address".into(),
        ));
    }
    if !url.contains("://") {
        url = format!("https://{url}");
    }
    for suffix in ["/api/v1/fleet", "/api/latest/fleet", "/api/v1", "/api"] {
        if url.to_ascii_lowercase().ends_with(suffix) {
            url.truncate(url.len() - suffix.len());
            break;
        }
    }
    Ok(url)
}

impl FleetApi {
    /// The server and token from the settings; missing ones are
    /// [`Error::Unauthorized`] naming the setting.
    pub fn from_settings() -> Result<FleetApi, Error> {
        let server = server(&settings::required_config("base_url")?)?;
        Ok(FleetApi {
            base: format!("{server}{BASE_PATH}"),
            token: settings::required_secret("api_token")?,
        })
    }

    /// A request to `path` under the API (`/hosts`), with the token.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        http::request(method, &http::join(&self.base, path)).bearer(&self.token)
    }

    /// Sends `req`; a non-2xx answer becomes the [`Error`] it means.
    pub fn send(&self, req: RequestBuilder) -> Result<Response, Error> {
        let resp = req.send_raw()?;
        if resp.is_success() {
            Ok(resp)
        } else {
            Err(error(&resp))
        }
    }
}

/// "Fleet answered HTTP 422: Validation Failed (Host has pending lock request. ...)".
pub fn said(resp: &Response) -> String {
    let body = FleetError::of(resp);
    let mut text = body.message.trim().to_string();
    let reasons = body.reasons();
    if !reasons.is_empty() && reasons != text {
        text = if text.is_empty() {
            reasons
        } else {
            format!("{text} ({reasons})")
        };
    }
    if text.is_empty() {
        text = resp.detail();
    }
    format!("Fleet answered HTTP {}: {}", resp.status, resp.clean(&text))
}

/// What a Fleet answer means for the host. A 422 is refined by the callers that know
/// the action (no MDM, another action pending); here it is [`Error::InvalidInput`].
pub fn error(resp: &Response) -> Error {
    let said = said(resp);
    match resp.status {
        401 => Error::Unauthorized(format!(
            "{said}: the API token is wrong, expired or revoked; create an API-only user's token and put it in the connector's settings"
        )),
        403 => Error::Unauthorized(format!(
            "{said}: the API-only user may not do this; give it the maintainer or admin role (observers can only read)"
        )),
        402 => Error::Unsupported(format!(
            "{said}: locking and wiping devices need Fleet Premium; a person does it by hand"
        )),
        404 | 410 => Error::NotFound(said),
        409 => Error::Conflict(said),
        429 => {
            Error::RateLimited(http::retry_after(resp).unwrap_or(http::DEFAULT_RETRY_AFTER_SECONDS))
        }
        408 | 500..=599 => Error::Unavailable(said),
        400..=499 => Error::InvalidInput(said),
        _ => Error::Other(said),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_is_taken_from_what_an_admin_pastes() {
        assert_eq!(
            server(" https://fleet.acme.com/ ").unwrap(),
            "https://fleet.acme.com"
        );
        assert_eq!(
            server("fleet.acme.com/api/v1/fleet").unwrap(),
            "https://fleet.acme.com"
        );
        assert_eq!(
            server("http://127.0.0.1:8080/API/latest/fleet/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            server("https://acme.example/fleet").unwrap(),
            "https://acme.example/fleet",
            "a path prefix is kept"
        );
        assert!(matches!(server("  "), Err(Error::Unauthorized(_))));
    }
}
