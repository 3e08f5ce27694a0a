//! The connection to one SCIM service: its base URL and bearer token.

use crate::errors;
use crate::model::{MEDIA_TYPE, PATCH_SCHEMA};
use serde_json::{Value, json};
use tenure_sdk::Error;
use tenure_sdk::http::{self, Method, RequestBuilder, Response};

/// A SCIM service at `base` (the URL `/Users` and `/Groups` hang under, e.g.
/// `https://app.example.com/scim/v2`), authenticated with a bearer token.
#[derive(Clone)]
pub struct Scim {
    base: String,
    token: String,
}

impl std::fmt::Debug for Scim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scim").field("base", &self.base).finish()
    }
}

impl Scim {
    pub fn new(base: &str, token: &str) -> Scim {
        Scim {
            base: base.trim_end_matches('/').to_string(),
            token: token.to_string(),
        }
    }

    /// `<base>/<resource>` or `<base>/<resource>/<id>` (the id percent-encoded).
    pub(crate) fn url(&self, resource: &str, id: Option<&str>) -> String {
        let mut url = http::join(&self.base, resource);
        if let Some(id) = id {
            url = format!("{url}/{}", http::encode_component(id));
        }
        url
    }

    /// A request with the token and SCIM's media type accepted.
    pub(crate) fn request(&self, method: Method, url: &str) -> RequestBuilder {
        http::request(method, url)
            .bearer(&self.token)
            .header("accept", &format!("{MEDIA_TYPE}, application/json"))
    }

    /// A request with a SCIM JSON body.
    pub(crate) fn with_body(
        &self,
        method: Method,
        url: &str,
        body: &Value,
    ) -> Result<RequestBuilder, Error> {
        self.request(method, url)
            .header("content-type", MEDIA_TYPE)
            .json(body)
    }

    /// Sends; any answer is returned (the caller decides what a status means).
    pub(crate) fn send_raw(&self, req: RequestBuilder) -> Result<Response, Error> {
        req.send_raw()
    }

    /// Sends; a non-2xx answer is the mapped error.
    pub(crate) fn send(&self, req: RequestBuilder) -> Result<Response, Error> {
        let resp = req.send_raw()?;
        if resp.is_success() {
            Ok(resp)
        } else {
            Err(errors::to_error(&resp))
        }
    }

    /// `PATCH <resource>/<id>` with these operations; the answer (200 with the
    /// resource, or 204) is not read.
    pub(crate) fn patch_raw(
        &self,
        resource: &str,
        id: &str,
        operations: Vec<Value>,
    ) -> Result<Response, Error> {
        let body = json!({"schemas": [PATCH_SCHEMA], "Operations": operations});
        self.send_raw(self.with_body(Method::Patch, &self.url(resource, Some(id)), &body)?)
    }

    /// Checks the URL and token: `GET /ServiceProviderConfig`, which every SCIM 2.0
    /// service serves, then one user (the config may be public; `/Users` is not).
    pub fn test_connection(&self) -> Result<(), Error> {
        self.send(
            self.request(Method::Get, &self.url("Users", None))
                .query("startIndex", "1")
                .query("count", "1"),
        )?;
        Ok(())
    }
}
