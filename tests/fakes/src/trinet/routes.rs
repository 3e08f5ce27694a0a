//! HTTP surface of the fake: `/oauth/accesstoken` and `/v1/company/{companyId}/...`.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::extract::{OriginalUri, Path, Query, State as AxState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};
use time::Duration;

use super::{MAX_LIMIT, Shared, State, TriNetEmployee, TriNetName};

type Shr = Arc<Shared>;
type Pairs = Query<Vec<(String, String)>>;

pub(crate) fn router(shared: Shr) -> Router {
    Router::new()
        .route("/oauth/accesstoken", get(token).post(token))
        .route("/v1/company/{company}/employees", get(list_employees))
        .route("/v1/company/{company}/employees/{id}", get(get_employee))
        .route("/v1/company/{company}/departments", get(list_departments))
        .route("/v1/company/{company}/locations", get(list_locations))
        .fallback(unknown_path)
        .with_state(shared)
}

// ---------------------------------------------------------------------------------------
// Errors

/// Errors as TriNet's Apigee gateway and its token endpoint shape them.
enum ApiError {
    /// `{"fault": {"faultstring", "detail": {"errorcode"}}}`.
    Fault(StatusCode, String, &'static str),
    /// 429 with `Retry-After`.
    Throttled(u32),
    /// The token endpoint's `{"ErrorCode", "Error"}`.
    Token(StatusCode, &'static str, String),
    /// A backend error: `{"message"}`.
    Message(StatusCode, String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::Fault(status, msg, code) => fault(status, &msg, code),
            Self::Throttled(secs) => {
                let mut r = fault(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Spike arrest violation. Allowed rate : MessageRate{messagesPerPeriod=10, periodInMicroseconds=1000000, maxBurstMessageCount=1.0}",
                    "policies.ratelimit.SpikeArrestViolation",
                );
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
                r
            }
            Self::Token(status, code, msg) => (
                status,
                axum::Json(json!({ "ErrorCode": code, "Error": msg })),
            )
                .into_response(),
            Self::Message(status, msg) => {
                (status, axum::Json(json!({ "message": msg }))).into_response()
            }
        }
    }
}

fn fault(status: StatusCode, msg: &str, code: &str) -> Response {
    (
        status,
        axum::Json(json!({ "fault": { "faultstring": msg, "detail": { "errorcode": code } } })),
    )
        .into_response()
}

async fn unknown_path(OriginalUri(uri): OriginalUri) -> Response {
    fault(
        StatusCode::NOT_FOUND,
        &format!(
            "Unable to identify proxy for host: default and url: {}",
            uri.path()
        ),
        "messaging.adaptors.http.flow.ApplicationNotFound",
    )
}

// ---------------------------------------------------------------------------------------
// Token endpoint

async fn token(AxState(s): AxState<Shr>, headers: HeaderMap, Query(q): Pairs) -> Response {
    s.token_requests.fetch_add(1, Ordering::SeqCst);
    match issue(&s, &headers, &q) {
        Ok(body) => axum::Json(body).into_response(),
        Err(e) => e.into_response(),
    }
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let auth = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, value) = auth.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = String::from_utf8(B64.decode(value.trim()).ok()?).ok()?;
    let (id, secret) = raw.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

fn issue(s: &Shared, headers: &HeaderMap, q: &[(String, String)]) -> Result<Value, ApiError> {
    let grant = q
        .iter()
        .rev()
        .find(|(k, _)| k == "grant_type")
        .map(|(_, v)| v.as_str());
    let Some((id, secret)) = basic_credentials(headers) else {
        return Err(ApiError::Token(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client identifier is required".into(),
        ));
    };
    match grant {
        None | Some("") => {
            return Err(ApiError::Token(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "Required param : grant_type".into(),
            ));
        }
        Some("client_credentials") => {}
        Some(other) => {
            return Err(ApiError::Token(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                format!("Unsupported grant type : {other}"),
            ));
        }
    }
    if id != s.client_id {
        return Err(ApiError::Token(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "ClientId is Invalid".into(),
        ));
    }
    if secret != s.client_secret {
        return Err(ApiError::Token(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client credentials are invalid".into(),
        ));
    }
    let mut st = s.state();
    let (access_token, t) = st.issue_token();
    let issued_ms = t.issued_at.unix_timestamp_nanos() / 1_000_000;
    Ok(json!({
        "refresh_token_expires_in": "0",
        "api_product_list": "[trinet-product]",
        "api_product_list_json": ["trinet-product"],
        "organization_name": "trinetapi",
        "developer.email": "integrations@acme-corp.example",
        "token_type": "BearerToken",
        "issued_at": issued_ms.to_string(),
        "client_id": s.client_id,
        "access_token": access_token,
        "application_name": "5b8c3a52-2f4d-4c1e-9a6e-3f0f1d2c7b90",
        "scope": "basic-read hr-admin-read",
        "expires_in": t.expires_in.to_string(),
        "refresh_count": "0",
        "status": "approved",
    }))
}

// ---------------------------------------------------------------------------------------
// Bearer token, company and rate limit, before every API route

fn authorize(s: &Shared, headers: &HeaderMap, company: &str) -> Result<(), ApiError> {
    s.requests.fetch_add(1, Ordering::SeqCst);
    let invalid = || {
        ApiError::Fault(
            StatusCode::UNAUTHORIZED,
            "Invalid access token".into(),
            "oauth.v2.InvalidAccessToken",
        )
    };
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let token = match auth.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => t.trim(),
        _ => return Err(invalid()),
    };
    let mut st = s.state();
    let now = st.now();
    let Some(t) = st.tokens.get(token) else {
        return Err(invalid());
    };
    if now >= t.issued_at + Duration::seconds(i64::from(t.expires_in)) {
        return Err(ApiError::Fault(
            StatusCode::UNAUTHORIZED,
            "Access Token expired".into(),
            "keymanagement.service.access_token_expired",
        ));
    }
    if company != s.company_id {
        return Err(ApiError::Fault(
            StatusCode::FORBIDDEN,
            format!("Client is not authorized to access company {company}"),
            "steps.raisefault.RaiseFault",
        ));
    }
    if let Some(secs) = st.forced_429.pop_front() {
        return Err(ApiError::Throttled(secs));
    }
    Ok(())
}

macro_rules! tri {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return e.into_response(),
        }
    };
}

// ---------------------------------------------------------------------------------------
// Rendering

fn opt(v: &Option<String>) -> Value {
    v.as_ref().map_or(Value::Null, |s| Value::String(s.clone()))
}

fn name_json(n: &TriNetName) -> Value {
    json!({
        "effectiveDate": n.effective_date,
        "formOfAddress": Value::Null,
        "lastName": n.last_name,
        "firstName": n.first_name,
        "middleName": n.middle_name,
        "nameFormat": "ENG",
        "suffix": Value::Null,
        "nameType": n.name_type,
        "personTitle": Value::Null,
        "reasonChangeCode": Value::Null,
        "uniqueId": Value::Null,
    })
}

fn supervisor_name(st: &State, e: &TriNetEmployee) -> Value {
    e.supervisor_id
        .as_ref()
        .and_then(|id| st.employees.get(id))
        .and_then(|boss| boss.primary_name())
        .map_or(Value::Null, |n| {
            Value::String(format!("{} {}", n.first_name, n.last_name))
        })
}

fn status(e: &TriNetEmployee) -> Value {
    if e.employment_status.is_empty() {
        Value::Null
    } else {
        Value::String(e.employment_status.clone())
    }
}

/// The basic view (no `viewType`), after TriNet's first response template.
fn employee_basic(st: &State, e: &TriNetEmployee) -> Value {
    json!({
        "employeeId": e.employee_id,
        "alternateId": Value::Null,
        "names": e.names.iter().map(name_json).collect::<Vec<_>>(),
        "employmentInfo": {
            "jobCode": opt(&e.job_code),
            "serviceDate": opt(&e.service_date),
            "temporaryIndicator": "regular",
            "employeeType": opt(&e.employee_type),
            "flsaCode": opt(&e.flsa_code),
            "employmentStatus": status(e),
            "standardhours": if e.employee_type.as_deref() == Some("parttime") { 20 } else { 40 },
            "businessTitle": opt(&e.business_title),
            "supervisorId": opt(&e.supervisor_id),
            "supervisorName": supervisor_name(st, e),
            "workEmail": opt(&e.work_email),
            "workPhone": opt(&e.work_phone),
            "groupA": opt(&e.custom_group_a),
            "groupB": opt(&e.custom_group_b),
            "payGroup": opt(&e.pay_group),
            "departmentId": opt(&e.department_id),
            "locationId": opt(&e.location_id),
            "effectiveDate": opt(&e.effective_date),
        },
    })
}

/// `viewType=All`, after TriNet's second response template.
fn employee_all(st: &State, e: &TriNetEmployee) -> Value {
    let department = e.department_id.as_ref().map_or(Value::Null, |id| {
        json!({
            "deptName": st.departments.get(id).map(|d| d.name.clone()),
            "deptId": id,
        })
    });
    let location = e.location_id.as_ref().map_or(Value::Null, |id| {
        json!({
            "locationId": id,
            "locationName": st.locations.get(id).map(|l| l.name.clone()),
        })
    });
    let supervisor = e.supervisor_id.as_ref().map_or(
        Value::Null,
        |id| json!({ "supervisorId": id, "supervisorName": supervisor_name(st, e) }),
    );
    json!({
        "employeeId": e.employee_id,
        "alternateId": Value::Null,
        "names": e.names.iter().map(name_json).collect::<Vec<_>>(),
        "employmentInfo": {
            "effectiveDate": opt(&e.effective_date),
            "regularTemporary": "Regular",
            "serviceDate": opt(&e.service_date),
            "terminationDate": opt(&e.termination_date),
            "standardHours": if e.employee_type.as_deref() == Some("parttime") { 20 } else { 40 },
            "jobCode": opt(&e.job_code),
            "flsaCode": opt(&e.flsa_code),
            "employmentStatus": status(e),
            "payGroup": opt(&e.pay_group),
            "employeeType": opt(&e.employee_type),
            "businessTitle": opt(&e.business_title),
            "customGroupA": opt(&e.custom_group_a),
            "customGroupB": opt(&e.custom_group_b),
            "workPhone": opt(&e.work_phone),
            "workEmail": opt(&e.work_email),
            "location": location,
            "department": department,
            "supervisor": supervisor,
        },
    })
}

// ---------------------------------------------------------------------------------------
// Query parameters

fn param<'a>(q: &'a [(String, String)], k: &str) -> Option<&'a str> {
    q.iter()
        .rev()
        .find(|(n, v)| n == k && !v.is_empty())
        .map(|(_, v)| v.as_str())
}

fn number(q: &[(String, String)], k: &str) -> Result<Option<usize>, ApiError> {
    match param(q, k) {
        None => Ok(None),
        Some(v) => v.trim().parse::<usize>().map(Some).map_err(|_| {
            ApiError::Message(
                StatusCode::BAD_REQUEST,
                format!("Invalid value for {k}: {v}"),
            )
        }),
    }
}

/// `true` for `viewType=All`; the basic view otherwise.
fn view_all(q: &[(String, String)]) -> Result<bool, ApiError> {
    match param(q, "viewType") {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("all") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("basic") => Ok(false),
        Some(v) => Err(ApiError::Message(
            StatusCode::BAD_REQUEST,
            format!("Invalid value for viewType: {v}"),
        )),
    }
}

// ---------------------------------------------------------------------------------------
// Handlers

async fn list_employees(
    AxState(s): AxState<Shr>,
    Path(company): Path<String>,
    headers: HeaderMap,
    Query(q): Pairs,
) -> Response {
    tri!(authorize(&s, &headers, &company));
    let all = tri!(view_all(&q));
    let limit = match tri!(number(&q, "limit")) {
        None | Some(0) => MAX_LIMIT,
        Some(n) => n.min(MAX_LIMIT),
    };
    let offset = tri!(number(&q, "offset")).unwrap_or(0);
    let statuses: Option<Vec<String>> = param(&q, "employmentStatus").map(|v| {
        v.split(',')
            .map(|s| s.trim().to_ascii_uppercase())
            .collect()
    });
    let mut st = s.state();
    st.employee_offsets.push(offset);
    let st = &*st;
    let mut matching = st.employees.values().filter(|e| {
        statuses
            .as_ref()
            .is_none_or(|want| want.contains(&e.employment_status))
    });
    let page: Vec<Value> = matching
        .by_ref()
        .skip(offset)
        .take(limit)
        .map(|e| {
            if all {
                employee_all(st, e)
            } else {
                employee_basic(st, e)
            }
        })
        .collect();
    let has_more = matching.next().is_some();
    axum::Json(json!({ "data": { "employeeData": page, "hasMore": has_more } })).into_response()
}

async fn get_employee(
    AxState(s): AxState<Shr>,
    Path((company, id)): Path<(String, String)>,
    headers: HeaderMap,
    Query(q): Pairs,
) -> Response {
    tri!(authorize(&s, &headers, &company));
    let all = tri!(view_all(&q));
    let st = s.state();
    match st.employees.get(&id) {
        Some(e) => {
            let v = if all {
                employee_all(&st, e)
            } else {
                employee_basic(&st, e)
            };
            axum::Json(json!({ "data": v })).into_response()
        }
        None => ApiError::Message(StatusCode::NOT_FOUND, format!("Employee {id} not found"))
            .into_response(),
    }
}

async fn list_departments(
    AxState(s): AxState<Shr>,
    Path(company): Path<String>,
    headers: HeaderMap,
) -> Response {
    tri!(authorize(&s, &headers, &company));
    let st = s.state();
    let data: Vec<Value> = st
        .departments
        .values()
        .map(|d| json!({ "deptId": d.id, "deptName": d.name }))
        .collect();
    axum::Json(json!({ "data": data })).into_response()
}

async fn list_locations(
    AxState(s): AxState<Shr>,
    Path(company): Path<String>,
    headers: HeaderMap,
) -> Response {
    tri!(authorize(&s, &headers, &company));
    let st = s.state();
    let data: Vec<Value> = st
        .locations
        .values()
        .map(|l| {
            json!({
                "locationId": l.id,
                "locationName": l.name,
                "address1": opt(&l.address1),
                "address2": Value::Null,
                "city": opt(&l.city),
                "state": opt(&l.state),
                "postalCode": opt(&l.postal_code),
                "country": opt(&l.country),
            })
        })
        .collect();
    axum::Json(json!({ "data": data })).into_response()
}
