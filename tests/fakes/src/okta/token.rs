//! The org authorization server's token endpoint: client credentials with a
//! `private_key_jwt` client assertion, as Okta service apps use it.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Form;
use axum::extract::State as AxState;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use super::jwt;
use super::state::{Shared, Token, now_unix};
use crate::oauth::{self, TokenError, form_field};

const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// Seconds an access token lives.
pub(crate) const EXPIRES_IN: i64 = 3600;

pub(crate) async fn token(
    AxState(s): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    s.token_requests.fetch_add(1, Ordering::SeqCst);
    oauth::reply(issue(&s, &headers, &form))
}

fn issue(s: &Shared, headers: &HeaderMap, form: &[(String, String)]) -> Result<Value, TokenError> {
    let field = |k: &str| form_field(form, k);
    if field("grant_type") != Some("client_credentials") {
        return Err(TokenError::bad_request(
            "unsupported_grant_type",
            format!(
                "The authorization grant type is not supported by the authorization server. Configured grant types: [client_credentials]. ({})",
                field("grant_type").unwrap_or("none")
            ),
        ));
    }
    if field("client_assertion_type") != Some(ASSERTION_TYPE) {
        return Err(TokenError::invalid_client(
            "The client_assertion_type is missing or not urn:ietf:params:oauth:client-assertion-type:jwt-bearer.",
        ));
    }
    let assertion = field("client_assertion")
        .ok_or_else(|| TokenError::invalid_client("The client_assertion is missing."))?;
    let claims = jwt::claims(assertion)?;
    let claim = |k: &str| claims.get(k).and_then(Value::as_str);
    let client_id = claim("iss").unwrap_or_default().to_string();
    if claim("sub") != Some(client_id.as_str()) {
        return Err(TokenError::invalid_client(
            "The client_assertion token's sub claim must equal its iss claim, the client_id.",
        ));
    }
    if let Some(form_id) = field("client_id")
        && form_id != client_id
    {
        return Err(TokenError::invalid_client(
            "The client_id does not match the client_assertion's iss.",
        ));
    }
    let mut st = s.state();
    let Some(app) = st.apps.get(&client_id) else {
        return Err(TokenError::invalid_client(
            "The client_assertion token's iss is not a known client.",
        ));
    };
    if oauth::verify_signature(assertion, &app.public_key).is_err() {
        return Err(TokenError::invalid_client(
            "The client_assertion signature is invalid.",
        ));
    }
    let audience = format!("{}/oauth2/v1/token", crate::ids::origin(headers));
    if claim("aud") != Some(audience.as_str()) {
        return Err(TokenError::invalid_client(format!(
            "The audience claim for client_assertion must be the endpoint invoked for the request: {audience}"
        )));
    }
    if !oauth::timely(&claims, now_unix()) {
        return Err(TokenError::invalid_client(
            "The client_assertion token is expired, or its exp is more than an hour after its iat.",
        ));
    }
    if let Some(jti) = claim("jti") {
        if st.used_jti.contains(jti) {
            return Err(TokenError::invalid_client(
                "The client_assertion token has already been used.",
            ));
        }
        st.used_jti.insert(jti.to_string());
    }
    let requested: Vec<String> = field("scope")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let app = &st.apps[&client_id];
    if requested.is_empty() || requested.iter().any(|r| !app.scopes.contains(r)) {
        return Err(TokenError::bad_request(
            "invalid_scope",
            "The requested scope is invalid, unknown, or malformed.",
        ));
    }
    let access_token = format!("eyJ{}", st.opaque(80));
    st.tokens.insert(
        access_token.clone(),
        Token {
            scopes: requested.clone(),
            expires: OffsetDateTime::now_utc() + Duration::seconds(EXPIRES_IN),
        },
    );
    Ok(json!({
        "token_type": "Bearer",
        "expires_in": EXPIRES_IN,
        "access_token": access_token,
        "scope": requested.join(" "),
    }))
}
