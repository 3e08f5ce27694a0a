//! UPS's APIs as this carrier uses them: one origin (`base_url`), OAuth client
//! credentials, UPS's error body and what it means for the host.
//!
//! - Token: `POST {base}/security/v1/oauth/token` with `Authorization: Basic
//!   base64(client_id:client_secret)` and the form `grant_type=client_credentials`;
//!   `expires_in` arrives as a string. Cached by the SDK's `oauth` helper; a 401 to a
//!   cached token gets one more try with a new one.
//! - Every call carries `transId` (unique per request, at most 32 characters) and
//!   `transactionSrc`, which the Tracking and Direct-to-Mobile APIs require.
//! - Errors are `{"response": {"errors": [{"code", "message"}]}}`, the code a string
//!   (Shipping, Tracking) or a number (Direct-to-Mobile).

use serde::Deserialize;
use tenure_sdk::http::{self, Method, RequestBuilder, Response};
use tenure_sdk::oauth::{ClientAuth, ClientCredentials, TokenSource};
use tenure_sdk::{Error, settings, time};

/// The Shipping API version this carrier speaks.
pub const SHIPPING_VERSION: &str = "v2409";
/// `transactionSrc` of every request: who calls.
pub const TRANSACTION_SRC: &str = "tenure";

/// The units UPS weighs packages in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightUnit {
    Lbs,
    Kgs,
}

impl WeightUnit {
    pub fn code(self) -> &'static str {
        match self {
            WeightUnit::Lbs => "LBS",
            WeightUnit::Kgs => "KGS",
        }
    }
}

/// The carrier's settings.
pub struct Ups {
    /// `https://onlinetools.ups.com`, no trailing slash.
    pub base: String,
    client_id: String,
    client_secret: String,
    /// The shipper number returns are billed to.
    pub account_number: String,
    pub service_code: String,
    pub label_free: bool,
    pub weight_unit: WeightUnit,
}

/// UPS's error body.
#[derive(Deserialize, Default)]
struct ErrorBody {
    #[serde(default)]
    response: ErrorList,
}

#[derive(Deserialize, Default)]
struct ErrorList {
    #[serde(default)]
    errors: Vec<UpsError>,
}

/// One of UPS's errors.
#[derive(Deserialize, Default, Debug, Clone)]
pub struct UpsError {
    /// `"120802"` or `403`: kept as text.
    #[serde(default, deserialize_with = "code_text")]
    pub code: String,
    #[serde(default)]
    pub message: String,
}

fn code_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    })
}

/// The errors of an answer (none when the body is not UPS's shape).
pub fn errors(resp: &Response) -> Vec<UpsError> {
    resp.json::<ErrorBody>()
        .map(|b| b.response.errors)
        .unwrap_or_default()
}

impl Ups {
    /// The settings; a missing or unusable one is [`Error::Unauthorized`] naming it
    /// (the host parks the carrier until an administrator fixes it).
    pub fn from_settings() -> Result<Ups, Error> {
        let base = settings::config("base_url")
            .filter(|b| !b.trim().is_empty())
            .unwrap_or_else(|| "https://onlinetools.ups.com".into());
        let weight_unit = match settings::config("weight_unit")
            .unwrap_or_else(|| "LBS".into())
            .trim()
            .to_ascii_uppercase()
            .as_str()
        {
            "LBS" | "LB" => WeightUnit::Lbs,
            "KGS" | "KG" => WeightUnit::Kgs,
            other => {
                return Err(Error::Unauthorized(format!(
                    "the setting `weight_unit` is {:?}: set it to LBS or KGS",
                    http::excerpt(other)
                )));
            }
        };
        let account_number = settings::required_config("account_number")?
            .trim()
            .to_ascii_uppercase();
        if account_number.len() != 6 || !account_number.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::Unauthorized(
                "the setting `account_number` is not a UPS shipper number: enter the six letters and digits of your UPS account".into(),
            ));
        }
        let service_code = settings::config("service_code")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "03".into());
        Ok(Ups {
            base: base.trim().trim_end_matches('/').to_string(),
            client_id: settings::required_config("client_id")?.trim().to_string(),
            client_secret: settings::required_secret("client_secret")?,
            account_number,
            service_code,
            label_free: settings::flag("label_free", true),
            weight_unit,
        })
    }

    fn token_url(&self) -> String {
        http::join(&self.base, "/security/v1/oauth/token")
    }

    /// Calls `f` with the app's client credentials.
    fn with_credentials<T>(&self, f: impl FnOnce(&ClientCredentials<'_>) -> T) -> T {
        let url = self.token_url();
        let creds = ClientCredentials {
            token_url: &url,
            client_id: &self.client_id,
            client_secret: &self.client_secret,
            scope: None,
            auth: ClientAuth::Basic,
            method: Method::Post,
        };
        f(&creds)
    }

    /// A fresh access token (the cached one dropped first): proves the credentials.
    pub fn fresh_token(&self) -> Result<(), Error> {
        self.with_credentials(|c| {
            c.forget();
            c.token().map(|_| ())
        })
    }

    /// A request to `path` under the origin, with `transId` and `transactionSrc`.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        http::request(method, &http::join(&self.base, path))
            .header("transId", &trans_id(path))
            .header("transactionSrc", TRANSACTION_SRC)
    }

    /// Sends `req` with a bearer token; any answer is `Ok`.
    pub fn send_raw(&self, req: RequestBuilder) -> Result<Response, Error> {
        self.with_credentials(|c| c.send_raw(|token| req.clone().bearer(token)))
    }

    /// [`Ups::send_raw`]; a non-2xx answer becomes the [`Error`] it means.
    pub fn send(&self, req: RequestBuilder) -> Result<Response, Error> {
        let resp = self.send_raw(req)?;
        if resp.is_success() {
            Ok(resp)
        } else {
            Err(error(&resp))
        }
    }
}

/// A `transId`: unique enough per request (the path and the host's clock), 32
/// characters at most as UPS allows.
fn trans_id(path: &str) -> String {
    let hash = path.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("tn{:x}{:016x}", time::now_unix(), hash)
}

/// UPS's words for an error answer: `message (code)`, several joined by `; `; the
/// SDK's excerpt of the body when it is not UPS's shape.
pub fn said(resp: &Response) -> String {
    let errs = errors(resp);
    if errs.is_empty() {
        return resp.detail();
    }
    let text = errs
        .iter()
        .take(5)
        .map(|e| {
            if e.code.is_empty() {
                e.message.trim().to_string()
            } else {
                format!("{} ({})", e.message.trim(), e.code)
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    resp.clean(&text)
}

/// What an error answer means for the host. A 400 is UPS refusing a value of the
/// request (an address, most often): [`Error::InvalidInput`] with UPS's words, for a
/// person to correct.
pub fn error(resp: &Response) -> Error {
    let said = said(resp);
    match resp.status {
        429 => {
            Error::RateLimited(http::retry_after(resp).unwrap_or(http::DEFAULT_RETRY_AFTER_SECONDS))
        }
        408 | 500..=599 => Error::Unavailable(format!("UPS answered HTTP {}: {said}", resp.status)),
        401 => Error::Unauthorized(format!(
            "UPS refused the access token (HTTP 401: {said}): check the Client ID and Client Secret"
        )),
        403 => Error::Unauthorized(format!(
            "UPS refused the call (HTTP 403: {said}): add the API's product to the app on developer.ups.com and link the UPS account to the app"
        )),
        404 | 410 => Error::NotFound(format!("UPS: {said}")),
        409 => Error::Conflict(format!("UPS: {said}")),
        400..=499 => Error::InvalidInput(format!("UPS: {said}")),
        _ => Error::Other(format!("UPS answered HTTP {}: {said}", resp.status)),
    }
}
