//! The HTTP client that talks to the identity provider: rustls (ring), timeouts, no
//! redirects, no proxy, and every answer read up to a size cap.

use super::OidcError;
use std::time::Duration;

/// Longest a request to the identity provider may take.
const TIMEOUT: Duration = Duration::from_secs(10);

pub struct IdpClient {
    client: reqwest::Client,
}

impl IdpClient {
    /// `extra_roots_pem`: `[runtime] extra_ca_files` (an IdP behind a company CA).
    pub fn new(extra_roots_pem: &[Vec<u8>]) -> anyhow::Result<IdpClient> {
        tenure_runtime::install_crypto_provider();
        let mut builder = reqwest::Client::builder()
            .tls_backend_rustls()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .no_proxy()
            .user_agent(concat!("tenure/", env!("CARGO_PKG_VERSION")));
        for pem in extra_roots_pem {
            builder = builder.tls_certs_merge([reqwest::Certificate::from_pem(pem)?]);
        }
        Ok(IdpClient {
            client: builder.build()?,
        })
    }

    /// GET `url`: its body (at most `cap` bytes) when the answer is a success.
    pub async fn get_bytes(
        &self,
        what: &str,
        url: &url::Url,
        cap: usize,
    ) -> Result<Vec<u8>, OidcError> {
        let resp = self
            .client
            .get(url.clone())
            .header("accept", "application/json")
            .send()
            .await
            .map_err(|e| unreachable_idp(what, e))?;
        let status = resp.status();
        let body = read_capped(resp, cap, what).await?;
        if !status.is_success() {
            return Err(OidcError::Provider(format!("its {what} answered {status}")));
        }
        Ok(body)
    }

    /// GET `url` and decode its JSON body (at most `cap` bytes).
    pub async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        what: &str,
        url: &url::Url,
        cap: usize,
    ) -> Result<T, OidcError> {
        let body = self.get_bytes(what, url, cap).await?;
        serde_json::from_slice(&body)
            .map_err(|e| OidcError::Provider(format!("its {what} is not valid JSON: {e}")))
    }

    /// POSTs a form (the token request), optionally with HTTP Basic client credentials;
    /// returns the status and the body (at most `cap` bytes).
    pub async fn post_form(
        &self,
        what: &str,
        url: &url::Url,
        form: &[(&str, &str)],
        basic: Option<(&str, &str)>,
        cap: usize,
    ) -> Result<(reqwest::StatusCode, Vec<u8>), OidcError> {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let mut req = self
            .client
            .post(url.clone())
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(body);
        if let Some((id, secret)) = basic {
            req = req.basic_auth(form_encode(id), Some(form_encode(secret)));
        }
        let resp = req.send().await.map_err(|e| unreachable_idp(what, e))?;
        let status = resp.status();
        Ok((status, read_capped(resp, cap, what).await?))
    }
}

/// RFC 6749 §2.3.1: the client id and secret are form-encoded before HTTP Basic.
fn form_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn unreachable_idp(what: &str, e: reqwest::Error) -> OidcError {
    // reqwest's error names the URL, never a credential.
    OidcError::Unreachable(format!("its {what}: {e}"))
}

async fn read_capped(
    mut resp: reqwest::Response,
    cap: usize,
    what: &str,
) -> Result<Vec<u8>, OidcError> {
    if resp.content_length().is_some_and(|n| n > cap as u64) {
        return Err(OidcError::Provider(format!(
            "its {what} is larger than {} KiB",
            cap / 1024
        )));
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| OidcError::Unreachable(format!("its {what}: {e}")))?
    {
        if body.len() + chunk.len() > cap {
            return Err(OidcError::Provider(format!(
                "its {what} is larger than {} KiB",
                cap / 1024
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
