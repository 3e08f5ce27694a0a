//! The Microsoft identity platform's token endpoint, client-credentials grant only.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Form;
use axum::extract::{Path, State as AxState};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use time::{Duration, OffsetDateTime};

use super::errors::AadError;
use super::state::Shared;

/// The scopes that name Microsoft Graph in a client-credentials request.
const GRAPH_SCOPES: &[&str] = &[
    "https://graph.microsoft.com/.default",
    "00000003-0000-0000-c000-000000000000/.default",
];

pub(crate) async fn token(
    AxState(s): AxState<Arc<Shared>>,
    Path(tenant): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    s.token_requests.fetch_add(1, Ordering::SeqCst);
    match issue(&s, &tenant, &form) {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

fn issue(s: &Shared, tenant: &str, form: &[(String, String)]) -> Result<Response, AadError> {
    let field = |k: &str| crate::oauth::form_field(form, k);
    let err = |status, error, aadsts, description: String| AadError {
        status,
        error,
        aadsts,
        description,
    };
    if !tenant.eq_ignore_ascii_case(&s.tenant) && !tenant.eq_ignore_ascii_case(&s.tenant_id) {
        return Err(err(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            90002,
            format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
            ),
        ));
    }
    for required in ["grant_type", "client_id"] {
        if field(required).is_none() {
            return Err(err(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                900144,
                format!("The request body must contain the following parameter: '{required}'."),
            ));
        }
    }
    let grant = field("grant_type").unwrap_or_default();
    if grant != "client_credentials" {
        return Err(err(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
            format!("The app requested an unsupported grant type '{grant}'."),
        ));
    }
    let client_id = field("client_id").unwrap_or_default();
    let mut st = s.state();
    if client_id != st.client_id {
        return Err(err(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            format!(
                "Application with identifier '{client_id}' was not found in the directory '{}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.",
                s.tenant
            ),
        ));
    }
    let Some(secret) = field("client_secret") else {
        return Err(err(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.".into(),
        ));
    };
    if secret != st.client_secret {
        return Err(err(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            7000215,
            format!(
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."
            ),
        ));
    }
    let scope = field("scope").unwrap_or_default();
    if !GRAPH_SCOPES.iter().any(|g| g.eq_ignore_ascii_case(scope)) {
        return Err(err(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            1002012,
            format!(
                "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
            ),
        ));
    }
    let access_token = format!("eyJ0eXAiOiJKV1QifQ.{}.{}", st.guid(), st.guid()).replace('-', "");
    let expires_in = st.token_expires_in;
    st.tokens.insert(
        access_token.clone(),
        OffsetDateTime::now_utc() + Duration::seconds(i64::from(expires_in)),
    );
    Ok(axum::Json(json!({
        "token_type": "Bearer",
        "expires_in": expires_in,
        "ext_expires_in": expires_in,
        "access_token": access_token,
    }))
    .into_response())
}
