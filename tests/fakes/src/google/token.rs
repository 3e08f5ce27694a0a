//! Google's OAuth token endpoint, JWT-bearer grant (service accounts) only.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Form;
use axum::extract::State as AxState;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use super::jwt;
use super::scopes;
use super::state::{Shared, Token};
use crate::oauth::{self, JwtError, TokenError, form_field};

const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// Google's token URL, the `aud` Google's client libraries put in every assertion
/// whatever `token_uri` they post it to.
pub(crate) const GOOGLE_TOKEN_URL: &str = "https://oauth2.googleapis.com/token";

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
    let grant = field("grant_type").unwrap_or_default();
    if grant != JWT_BEARER {
        return Err(TokenError {
            status: StatusCode::BAD_REQUEST,
            error: "unsupported_grant_type",
            description: format!("Invalid grant_type: {grant}"),
        });
    }
    let Some(assertion) = field("assertion") else {
        return Err(TokenError {
            status: StatusCode::BAD_REQUEST,
            error: "invalid_request",
            description: "Missing required parameter: assertion".into(),
        });
    };
    let mut st = s.state();
    let key = st.service_account.as_ref().map(|sa| sa.public_key.clone());
    let claims = match jwt::verify(assertion, key.as_deref()) {
        Ok(c) => c,
        Err(JwtError::Signature) => {
            return Err(TokenError::invalid_grant("Invalid JWT Signature."));
        }
        Err(JwtError::Malformed(why)) => {
            return Err(TokenError::invalid_grant(format!(
                "Invalid JWT: {}",
                jwt::malformed(why)
            )));
        }
    };
    let claim = |k: &str| claims.get(k).and_then(Value::as_str);
    let sa_email = st
        .service_account
        .as_ref()
        .map(|sa| sa.client_email.clone())
        .unwrap_or_default();
    if claim("iss") != Some(sa_email.as_str()) {
        return Err(TokenError::invalid_grant(
            "Invalid grant: account not found",
        ));
    }
    let audiences = match &st.token_audience {
        Some(aud) => vec![aud.clone()],
        None => vec![
            GOOGLE_TOKEN_URL.to_string(),
            format!("{}/token", crate::ids::origin(headers)),
        ],
    };
    if !claim("aud").is_some_and(|aud| audiences.iter().any(|a| a == aud)) {
        return Err(TokenError::invalid_grant(format!(
            "Invalid JWT: Failed audience check. The right audience is {}",
            audiences[0]
        )));
    }
    if !oauth::timely(&claims, OffsetDateTime::now_utc().unix_timestamp()) {
        return Err(TokenError::invalid_grant(
            "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.",
        ));
    }
    let subject = claim("sub").map(str::to_string);
    if let Some(sub) = &subject
        && st.user(sub).is_none()
    {
        return Err(TokenError::invalid_grant("Invalid email or User ID"));
    }
    let requested: Vec<String> = claim("scope")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if requested.is_empty() || requested.iter().any(|r| !scopes::is_google(r)) {
        return Err(TokenError {
            status: StatusCode::BAD_REQUEST,
            error: "invalid_scope",
            description: "Invalid OAuth scope or ID token audience provided.".into(),
        });
    }
    if requested.iter().any(|r| !st.delegated_scopes.contains(r)) {
        return Err(TokenError {
            status: StatusCode::UNAUTHORIZED,
            error: "unauthorized_client",
            description: "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.".into(),
        });
    }
    let access_token = format!("ya29.{}", st.opaque_id(120));
    let expires_in = st.token_expires_in;
    st.tokens.insert(
        access_token.clone(),
        Token {
            subject,
            scopes: requested,
            expires: OffsetDateTime::now_utc() + Duration::seconds(i64::from(expires_in)),
        },
    );
    Ok(json!({
        "access_token": access_token,
        "expires_in": expires_in,
        "token_type": "Bearer",
    }))
}
