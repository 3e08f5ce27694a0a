//! HTTP surface of the fake: `/api/hris/v1/...`, and the fake's own control route
//! `POST /_fake/touch`.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, Query, Request, State as AxState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::Serialize;
use serde_json::{Value, json};

use super::{
    Collection, Entry, Key, MAX_PAGE_SIZE, MergeCompany, MergeEmployee, MergeEmployment,
    MergeGroup, MergeLocation, MergePayGroup, MergeTeam, Model, Shared, State, format_datetime,
    parse_datetime,
};

type Shr = Arc<Shared>;

pub(crate) fn router(shared: Shr) -> Router {
    let api = Router::new()
        .route("/employees", get(list_employees))
        .route("/employees/{id}", get(get_employee))
        .route("/employments", get(list_employments))
        .route("/employments/{id}", get(get_employment))
        .route("/groups", get(list_groups))
        .route("/groups/{id}", get(get_group))
        .route("/locations", get(list_locations))
        .route("/locations/{id}", get(get_location))
        .route("/teams", get(list_teams))
        .route("/teams/{id}", get(get_team))
        .route("/companies", get(list_companies))
        .route("/companies/{id}", get(get_company))
        .route("/pay-groups", get(list_pay_groups))
        .route("/pay-groups/{id}", get(get_pay_group))
        .route("/sync-status", get(sync_status))
        .route("/account-details", get(account_details))
        .route_layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared.clone());
    let control = Router::new()
        .route("/_fake/touch", post(touch))
        .with_state(shared);
    Router::new()
        .nest("/api/hris/v1", api)
        .merge(control)
        .fallback(not_found)
}

// ---------------------------------------------------------------------------------------
// Errors

fn detail(status: StatusCode, msg: &str) -> Response {
    (status, axum::Json(json!({ "detail": msg }))).into_response()
}

async fn not_found() -> Response {
    detail(StatusCode::NOT_FOUND, "Not found.")
}

/// Errors as Django REST framework (which Merge's API is built on) shapes them.
enum ApiError {
    /// 401 `{"detail": ...}` with `WWW-Authenticate`.
    Unauthorized(&'static str),
    /// 429 `{"detail": ...}` with `Retry-After` (seconds).
    Throttled(u64),
    /// 404 `{"detail": ...}`.
    NotFound(&'static str),
    /// 400 `{"<field>": ["<message>"]}`.
    Field(String, String),
}

impl ApiError {
    fn field(field: &str, msg: String) -> Self {
        Self::Field(field.to_string(), msg)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::Unauthorized(msg) => {
                let mut r = detail(StatusCode::UNAUTHORIZED, msg);
                r.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"api\""),
                );
                r
            }
            Self::Throttled(wait) => {
                let msg = format!("Request was throttled. Expected available in {wait} seconds.");
                let mut r = detail(StatusCode::TOO_MANY_REQUESTS, &msg);
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(wait));
                r
            }
            Self::NotFound(msg) => detail(StatusCode::NOT_FOUND, msg),
            Self::Field(field, msg) => {
                (StatusCode::BAD_REQUEST, axum::Json(json!({ field: [msg] }))).into_response()
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Auth and rate limit, before every route

async fn guard(AxState(s): AxState<Shr>, req: Request, next: Next) -> Response {
    s.requests.fetch_add(1, Ordering::SeqCst);
    if let Err(e) = check(&s, req.headers()) {
        return e.into_response();
    }
    next.run(req).await
}

fn check(s: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    check_key(s, headers)?;
    let token = headers
        .get("x-account-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if token.is_empty() {
        return Err(ApiError::Unauthorized("Missing X-Account-Token header."));
    }
    if token != s.account_token {
        return Err(ApiError::Unauthorized("Invalid account token."));
    }
    rate_limit(s, token)
}

/// `Authorization: Bearer <api key>`.
fn check_key(s: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(auth) = headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::Unauthorized(
            "Authentication credentials were not provided.",
        ));
    };
    let auth = auth.to_str().unwrap_or("");
    let key = match auth.split_once(' ') {
        Some((scheme, key)) if scheme.eq_ignore_ascii_case("bearer") => key.trim(),
        _ => {
            return Err(ApiError::Unauthorized(
                "Invalid token header. No credentials provided.",
            ));
        }
    };
    if key != s.api_key {
        return Err(ApiError::Unauthorized("Invalid API key."));
    }
    Ok(())
}

/// Forced 429s, then the rolling per-minute window of the account token.
fn rate_limit(s: &Shared, token: &str) -> Result<(), ApiError> {
    let mut st = s.state();
    if let Some(secs) = st.forced_429.pop_front() {
        return Err(ApiError::Throttled(u64::from(secs)));
    }
    let limit = st.rate_limit_per_minute as usize;
    if limit > 0 {
        let now = Instant::now();
        let minute = Duration::from_secs(60);
        let window = st.windows.entry(token.to_string()).or_default();
        while window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= minute)
        {
            window.pop_front();
        }
        if window.len() >= limit {
            let oldest = window[window.len() - limit];
            let wait = minute.saturating_sub(now.duration_since(oldest));
            return Err(ApiError::Throttled(
                wait.as_secs_f64().ceil().max(1.0) as u64
            ));
        }
        window.push_back(now);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Query parameters

type Pairs = Query<Vec<(String, String)>>;

struct Params(Vec<(String, String)>);

impl Params {
    /// The last value, as Django's `QueryDict.get` does; empty counts as absent.
    fn get(&self, k: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(n, v)| n == k && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    fn datetime(&self, k: &str) -> Result<Option<i128>, ApiError> {
        match self.get(k) {
            None => Ok(None),
            Some(v) => parse_datetime(v)
                .map(Some)
                .ok_or_else(|| ApiError::field(k, "Enter a valid date/time.".into())),
        }
    }

    fn boolean(&self, k: &str) -> Result<bool, ApiError> {
        match self.get(k).map(str::to_ascii_lowercase).as_deref() {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(v) => Err(ApiError::field(
                k,
                format!("Select a valid choice. {v} is not one of the available choices."),
            )),
        }
    }

    fn choice(&self, k: &str, allowed: &[&str]) -> Result<Option<String>, ApiError> {
        match self.get(k) {
            None => Ok(None),
            Some(v) if allowed.contains(&v) => Ok(Some(v.to_string())),
            Some(v) => Err(ApiError::field(
                k,
                format!("Select a valid choice. {v} is not one of the available choices."),
            )),
        }
    }

    /// `expand`: comma lists, repeated parameters merged.
    fn expand(&self, allowed: &[&str]) -> Result<BTreeSet<String>, ApiError> {
        let mut out = BTreeSet::new();
        for (_, v) in self.0.iter().filter(|(n, _)| n == "expand") {
            for name in v.split(',').filter(|s| !s.is_empty()) {
                if !allowed.contains(&name) {
                    return Err(ApiError::field(
                        "expand",
                        format!(
                            "Select a valid choice. {name} is not one of the available choices."
                        ),
                    ));
                }
                out.insert(name.to_string());
            }
        }
        Ok(out)
    }

    /// DRF: a positive integer, capped at the maximum; anything else is the default.
    fn page_size(&self) -> usize {
        match self.get("page_size").and_then(|v| v.parse::<usize>().ok()) {
            Some(n) if n > 0 => n.min(MAX_PAGE_SIZE),
            _ => MAX_PAGE_SIZE,
        }
    }

    fn cursor(&self) -> Result<Option<Cursor>, ApiError> {
        match self.get("cursor") {
            None => Ok(None),
            Some(c) => Cursor::decode(c)
                .map(Some)
                .ok_or(ApiError::NotFound("Invalid cursor")),
        }
    }
}

/// What every list endpoint accepts.
struct Common {
    cursor: Option<Cursor>,
    page_size: usize,
    created_after: Option<i128>,
    created_before: Option<i128>,
    modified_after: Option<i128>,
    modified_before: Option<i128>,
    include_deleted: bool,
    remote_id: Option<String>,
    render: Render,
}

/// How objects are rendered.
struct Render {
    expand: BTreeSet<String>,
    remote_data: bool,
    sensitive: bool,
}

impl Render {
    fn plain() -> Self {
        Self {
            expand: BTreeSet::new(),
            remote_data: false,
            sensitive: false,
        }
    }
    fn expands(&self, name: &str) -> bool {
        self.expand.contains(name)
    }
}

fn render_params(p: &Params, expandable: &[&str]) -> Result<Render, ApiError> {
    Ok(Render {
        expand: p.expand(expandable)?,
        remote_data: p.boolean("include_remote_data")?,
        sensitive: p.boolean("include_sensitive_fields")?,
    })
}

fn common(p: &Params, expandable: &[&str]) -> Result<Common, ApiError> {
    // include_shell_data is accepted; the fake has no shell records.
    p.boolean("include_shell_data")?;
    Ok(Common {
        cursor: p.cursor()?,
        page_size: p.page_size(),
        created_after: p.datetime("created_after")?,
        created_before: p.datetime("created_before")?,
        modified_after: p.datetime("modified_after")?,
        modified_before: p.datetime("modified_before")?,
        include_deleted: p.boolean("include_deleted_data")?,
        remote_id: p.get("remote_id").map(str::to_string),
        render: render_params(p, expandable)?,
    })
}

impl Common {
    fn keeps<T: Model>(&self, e: &Entry<T>) -> bool {
        (self.include_deleted || !e.item.remote_was_deleted())
            && self.created_after.is_none_or(|t| e.created > t)
            && self.created_before.is_none_or(|t| e.created < t)
            && self.modified_after.is_none_or(|t| e.modified > t)
            && self.modified_before.is_none_or(|t| e.modified < t)
            && self
                .remote_id
                .as_deref()
                .is_none_or(|r| e.item.remote_id() == Some(r))
    }
}

// ---------------------------------------------------------------------------------------
// Cursor pagination

/// A position in a collection: forward cursors list what comes after `key`, reverse
/// ones what comes before it (`inclusive`: the key itself too).
struct Cursor {
    reverse: bool,
    inclusive: bool,
    key: Key,
}

impl Cursor {
    fn encode(&self) -> String {
        let raw = format!(
            "r={}&i={}&p={}&k={}",
            u8::from(self.reverse),
            u8::from(self.inclusive),
            self.key.0,
            self.key.1
        );
        B64.encode(raw)
    }

    fn decode(s: &str) -> Option<Self> {
        let raw = String::from_utf8(B64.decode(s).ok()?).ok()?;
        let (mut r, mut i, mut p, mut k) = (None, None, None, None);
        for part in raw.split('&') {
            let (name, value) = part.split_once('=')?;
            match name {
                "r" => r = Some(value == "1"),
                "i" => i = Some(value == "1"),
                "p" => p = Some(value.parse::<i128>().ok()?),
                "k" => k = Some(value.to_string()),
                _ => return None,
            }
        }
        Some(Self {
            reverse: r?,
            inclusive: i?,
            key: (p?, k?),
        })
    }
}

struct Page<'a, T> {
    items: Vec<&'a Entry<T>>,
    next: Option<String>,
    previous: Option<String>,
}

fn paginate<'a, T: Model>(
    coll: &'a Collection<T>,
    cursor: Option<&Cursor>,
    size: usize,
    keep: impl Fn(&Entry<T>) -> bool,
) -> Page<'a, T> {
    let keep = &keep;
    let at = |key: &Key, reverse: bool, inclusive: bool| {
        Cursor {
            reverse,
            inclusive,
            key: key.clone(),
        }
        .encode()
    };
    match cursor {
        Some(c) if c.reverse => {
            let mut found: Vec<(&Key, &Entry<T>)> = coll
                .before(&c.key, c.inclusive)
                .filter(|(_, e)| keep(e))
                .take(size + 1)
                .collect();
            let more_before = found.len() > size;
            found.truncate(size);
            found.reverse();
            let previous = if more_before {
                found.first().map(|(k, _)| at(k, true, false))
            } else {
                None
            };
            let next = match found.last() {
                Some((k, _)) => coll
                    .after(k, false)
                    .any(|(_, e)| keep(e))
                    .then(|| at(k, false, false)),
                None => coll
                    .after(&c.key, !c.inclusive)
                    .any(|(_, e)| keep(e))
                    .then(|| at(&c.key, false, !c.inclusive)),
            };
            Page {
                items: found.into_iter().map(|(_, e)| e).collect(),
                next,
                previous,
            }
        }
        _ => {
            let mut found: Vec<(&Key, &Entry<T>)> = match cursor {
                Some(c) => coll
                    .after(&c.key, c.inclusive)
                    .filter(|(_, e)| keep(e))
                    .take(size + 1)
                    .collect(),
                None => coll
                    .iter()
                    .filter(|(_, e)| keep(e))
                    .take(size + 1)
                    .collect(),
            };
            let more_after = found.len() > size;
            found.truncate(size);
            let next = if more_after {
                found.last().map(|(k, _)| at(k, false, false))
            } else {
                None
            };
            let previous = match (cursor, found.first()) {
                (None, _) => None,
                (Some(_), Some((k, _))) => coll
                    .before(k, false)
                    .any(|(_, e)| keep(e))
                    .then(|| at(k, true, false)),
                (Some(c), None) => coll
                    .before(&c.key, !c.inclusive)
                    .any(|(_, e)| keep(e))
                    .then(|| at(&c.key, true, !c.inclusive)),
            };
            Page {
                items: found.into_iter().map(|(_, e)| e).collect(),
                next,
                previous,
            }
        }
    }
}

/// Serializes `v` as the JSON response body (while the caller still holds the state).
fn json_response<V: Serialize>(status: StatusCode, v: &V) -> Response {
    match serde_json::to_vec(v) {
        Ok(body) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response(),
        Err(e) => detail(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

#[derive(Serialize)]
struct PageOut<V> {
    next: Option<String>,
    previous: Option<String>,
    results: Vec<V>,
}

fn list_with<'a, T: Model, V: Serialize>(
    coll: &'a Collection<T>,
    c: &Common,
    extra: impl Fn(&T) -> bool,
    render: impl Fn(&'a T) -> V,
) -> Response {
    let page = paginate(coll, c.cursor.as_ref(), c.page_size, |e| {
        c.keeps(e) && extra(&e.item)
    });
    let results = page.items.iter().map(|e| render(&e.item)).collect();
    json_response(
        StatusCode::OK,
        &PageOut {
            next: page.next,
            previous: page.previous,
            results,
        },
    )
}

fn one<'a, T: Model, V: Serialize>(
    coll: &'a Collection<T>,
    id: &str,
    render: impl Fn(&'a T) -> V,
) -> Response {
    match coll.get(id) {
        Some(e) => json_response(StatusCode::OK, &render(&e.item)),
        None => detail(StatusCode::NOT_FOUND, "Not found."),
    }
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
// Rendering: borrowed views serialized straight to bytes (no intermediate JSON tree),
// so a page of 100 employees stays cheap.

type S<'a> = &'a Option<String>;

/// A related object: its id, or the object itself when expanded.
#[derive(Serialize)]
#[serde(untagged)]
enum Rel<'a, V> {
    Id(&'a str),
    Obj(V),
}

fn rel<'a, T: Model, V>(
    id: &'a Option<String>,
    expand: bool,
    coll: &'a Collection<T>,
    render: impl Fn(&'a T) -> V,
) -> Option<Rel<'a, V>> {
    let id = id.as_deref()?;
    Some(match coll.get(id) {
        Some(e) if expand => Rel::Obj(render(&e.item)),
        _ => Rel::Id(id),
    })
}

#[derive(Serialize)]
struct Empty {}

/// Merge's `field_mappings` when none are configured.
#[derive(Serialize)]
struct FieldMappings {
    organization_defined_targets: Empty,
    linked_account_defined_targets: Empty,
}

const NO_FIELD_MAPPINGS: FieldMappings = FieldMappings {
    organization_defined_targets: Empty {},
    linked_account_defined_targets: Empty {},
};

#[derive(Serialize)]
struct RemoteData {
    path: String,
    data: Value,
}

fn remote_data(
    r: &Render,
    path: impl FnOnce() -> String,
    data: impl FnOnce() -> Value,
) -> Option<[RemoteData; 1]> {
    r.remote_data.then(|| {
        [RemoteData {
            path: path(),
            data: data(),
        }]
    })
}

#[derive(Serialize)]
struct EmployeeView<'a> {
    id: &'a str,
    remote_id: S<'a>,
    created_at: S<'a>,
    modified_at: S<'a>,
    employee_number: S<'a>,
    company: Option<Rel<'a, CompanyView<'a>>>,
    first_name: S<'a>,
    last_name: S<'a>,
    preferred_name: S<'a>,
    display_full_name: S<'a>,
    username: S<'a>,
    groups: Vec<Rel<'a, GroupView<'a>>>,
    work_email: S<'a>,
    personal_email: S<'a>,
    mobile_phone_number: S<'a>,
    employments: Vec<Rel<'a, EmploymentView<'a>>>,
    home_location: Option<Rel<'a, LocationView<'a>>>,
    work_location: Option<Rel<'a, LocationView<'a>>>,
    manager: Option<Rel<'a, Box<EmployeeView<'a>>>>,
    team: Option<Rel<'a, TeamView<'a>>>,
    pay_group: Option<Rel<'a, PayGroupView<'a>>>,
    ssn: Option<&'a str>,
    gender: S<'a>,
    ethnicity: S<'a>,
    marital_status: S<'a>,
    date_of_birth: S<'a>,
    hire_date: S<'a>,
    start_date: S<'a>,
    remote_created_at: S<'a>,
    employment_status: S<'a>,
    termination_date: S<'a>,
    avatar: S<'a>,
    custom_fields: &'a Option<Value>,
    remote_was_deleted: bool,
    field_mappings: FieldMappings,
    remote_data: Option<[RemoteData; 1]>,
}

fn employee_json<'a>(st: &'a State, e: &'a MergeEmployee, r: &Render) -> EmployeeView<'a> {
    let plain = Render::plain();
    let plain = &plain;
    EmployeeView {
        id: &e.id,
        remote_id: &e.remote_id,
        created_at: &e.created_at,
        modified_at: &e.modified_at,
        employee_number: &e.employee_number,
        company: rel(&e.company, r.expands("company"), &st.companies, |c| {
            company_json(c, plain)
        }),
        first_name: &e.first_name,
        last_name: &e.last_name,
        preferred_name: &e.preferred_name,
        display_full_name: &e.display_full_name,
        username: &e.username,
        groups: e
            .groups
            .iter()
            .map(|g| match st.groups.get(g) {
                Some(found) if r.expands("groups") => Rel::Obj(group_json(&found.item, plain)),
                _ => Rel::Id(g),
            })
            .collect(),
        work_email: &e.work_email,
        personal_email: &e.personal_email,
        mobile_phone_number: &e.mobile_phone_number,
        employments: e
            .employments
            .iter()
            .map(|j| {
                if r.expands("employments") {
                    Rel::Obj(employment_json(st, j, plain))
                } else {
                    Rel::Id(&j.id)
                }
            })
            .collect(),
        home_location: rel(
            &e.home_location,
            r.expands("home_location"),
            &st.locations,
            |l| location_json(l, plain),
        ),
        work_location: rel(
            &e.work_location,
            r.expands("work_location"),
            &st.locations,
            |l| location_json(l, plain),
        ),
        manager: rel(&e.manager, r.expands("manager"), &st.employees, |m| {
            Box::new(employee_json(st, m, plain))
        }),
        team: rel(&e.team, r.expands("team"), &st.teams, |t| {
            team_json(st, t, plain)
        }),
        pay_group: rel(&e.pay_group, r.expands("pay_group"), &st.pay_groups, |p| {
            pay_group_json(p, plain)
        }),
        ssn: if r.sensitive { e.ssn.as_deref() } else { None },
        gender: &e.gender,
        ethnicity: &e.ethnicity,
        marital_status: &e.marital_status,
        date_of_birth: &e.date_of_birth,
        hire_date: &e.hire_date,
        start_date: &e.start_date,
        remote_created_at: &e.remote_created_at,
        employment_status: &e.employment_status,
        termination_date: &e.termination_date,
        avatar: &e.avatar,
        custom_fields: &e.custom_fields,
        remote_was_deleted: e.remote_was_deleted,
        field_mappings: NO_FIELD_MAPPINGS,
        remote_data: remote_data(
            r,
            || format!("/v1/employees/{}", e.remote_id.as_deref().unwrap_or("")),
            || {
                e.remote_data.clone().unwrap_or_else(|| {
                    json!({
                        "employeeId": e.remote_id,
                        "firstName": e.first_name,
                        "lastName": e.last_name,
                        "workEmail": e.work_email,
                        "status": e.employment_status,
                    })
                })
            },
        ),
    }
}

#[derive(Serialize)]
struct EmploymentView<'a> {
    id: &'a str,
    remote_id: S<'a>,
    created_at: S<'a>,
    modified_at: S<'a>,
    employee: Option<Rel<'a, Box<EmployeeView<'a>>>>,
    job_title: S<'a>,
    pay_rate: Option<f64>,
    pay_period: S<'a>,
    pay_frequency: S<'a>,
    pay_currency: S<'a>,
    pay_group: Option<Rel<'a, PayGroupView<'a>>>,
    flsa_status: S<'a>,
    effective_date: S<'a>,
    employment_type: S<'a>,
    remote_was_deleted: bool,
    field_mappings: FieldMappings,
    remote_data: Option<[RemoteData; 1]>,
}

fn employment_json<'a>(st: &'a State, j: &'a MergeEmployment, r: &Render) -> EmploymentView<'a> {
    let plain = Render::plain();
    let plain = &plain;
    EmploymentView {
        id: &j.id,
        remote_id: &j.remote_id,
        created_at: &j.created_at,
        modified_at: &j.modified_at,
        employee: rel(&j.employee, r.expands("employee"), &st.employees, |e| {
            Box::new(employee_json(st, e, plain))
        }),
        job_title: &j.job_title,
        pay_rate: j.pay_rate,
        pay_period: &j.pay_period,
        pay_frequency: &j.pay_frequency,
        pay_currency: &j.pay_currency,
        pay_group: rel(&j.pay_group, r.expands("pay_group"), &st.pay_groups, |p| {
            pay_group_json(p, plain)
        }),
        flsa_status: &j.flsa_status,
        effective_date: &j.effective_date,
        employment_type: &j.employment_type,
        remote_was_deleted: j.remote_was_deleted,
        field_mappings: NO_FIELD_MAPPINGS,
        remote_data: remote_data(
            r,
            || "/v1/jobs".into(),
            || json!({ "jobId": j.remote_id, "title": j.job_title }),
        ),
    }
}

#[derive(Serialize)]
struct GroupView<'a> {
    id: &'a str,
    remote_id: S<'a>,
    created_at: S<'a>,
    modified_at: S<'a>,
    parent_group: S<'a>,
    name: S<'a>,
    #[serde(rename = "type")]
    group_type: S<'a>,
    is_commonly_used_as_team: Option<bool>,
    remote_was_deleted: bool,
    field_mappings: FieldMappings,
    remote_data: Option<[RemoteData; 1]>,
}

fn group_json<'a>(g: &'a MergeGroup, r: &Render) -> GroupView<'a> {
    GroupView {
        id: &g.id,
        remote_id: &g.remote_id,
        created_at: &g.created_at,
        modified_at: &g.modified_at,
        parent_group: &g.parent_group,
        name: &g.name,
        group_type: &g.group_type,
        is_commonly_used_as_team: g.is_commonly_used_as_team,
        remote_was_deleted: g.remote_was_deleted,
        field_mappings: NO_FIELD_MAPPINGS,
        remote_data: remote_data(
            r,
            || "/v1/departments".into(),
            || json!({ "id": g.remote_id, "name": g.name }),
        ),
    }
}

#[derive(Serialize)]
struct LocationView<'a> {
    id: &'a str,
    remote_id: S<'a>,
    created_at: S<'a>,
    modified_at: S<'a>,
    name: S<'a>,
    phone_number: S<'a>,
    street_1: S<'a>,
    street_2: S<'a>,
    city: S<'a>,
    state: S<'a>,
    zip_code: S<'a>,
    country: S<'a>,
    location_type: S<'a>,
    remote_was_deleted: bool,
    field_mappings: FieldMappings,
    remote_data: Option<[RemoteData; 1]>,
}

fn location_json<'a>(l: &'a MergeLocation, r: &Render) -> LocationView<'a> {
    LocationView {
        id: &l.id,
        remote_id: &l.remote_id,
        created_at: &l.created_at,
        modified_at: &l.modified_at,
        name: &l.name,
        phone_number: &l.phone_number,
        street_1: &l.street_1,
        street_2: &l.street_2,
        city: &l.city,
        state: &l.state,
        zip_code: &l.zip_code,
        country: &l.country,
        location_type: &l.location_type,
        remote_was_deleted: l.remote_was_deleted,
        field_mappings: NO_FIELD_MAPPINGS,
        remote_data: remote_data(
            r,
            || "/v1/locations".into(),
            || json!({ "id": l.remote_id, "city": l.city }),
        ),
    }
}

#[derive(Serialize)]
struct TeamView<'a> {
    id: &'a str,
    remote_id: S<'a>,
    created_at: S<'a>,
    modified_at: S<'a>,
    name: S<'a>,
    parent_team: Option<Rel<'a, Box<TeamView<'a>>>>,
    remote_was_deleted: bool,
    field_mappings: FieldMappings,
    remote_data: Option<[RemoteData; 1]>,
}

fn team_json<'a>(st: &'a State, t: &'a MergeTeam, r: &Render) -> TeamView<'a> {
    let plain = Render::plain();
    TeamView {
        id: &t.id,
        remote_id: &t.remote_id,
        created_at: &t.created_at,
        modified_at: &t.modified_at,
        name: &t.name,
        parent_team: rel(&t.parent_team, r.expands("parent_team"), &st.teams, |p| {
            Box::new(team_json(st, p, &plain))
        }),
        remote_was_deleted: t.remote_was_deleted,
        field_mappings: NO_FIELD_MAPPINGS,
        remote_data: remote_data(
            r,
            || "/v1/teams".into(),
            || json!({ "id": t.remote_id, "name": t.name }),
        ),
    }
}

#[derive(Serialize)]
struct CompanyView<'a> {
    id: &'a str,
    remote_id: S<'a>,
    created_at: S<'a>,
    modified_at: S<'a>,
    legal_name: S<'a>,
    display_name: S<'a>,
    eins: &'a [String],
    remote_was_deleted: bool,
    field_mappings: FieldMappings,
    remote_data: Option<[RemoteData; 1]>,
}

fn company_json<'a>(c: &'a MergeCompany, r: &Render) -> CompanyView<'a> {
    CompanyView {
        id: &c.id,
        remote_id: &c.remote_id,
        created_at: &c.created_at,
        modified_at: &c.modified_at,
        legal_name: &c.legal_name,
        display_name: &c.display_name,
        eins: &c.eins,
        remote_was_deleted: c.remote_was_deleted,
        field_mappings: NO_FIELD_MAPPINGS,
        remote_data: remote_data(
            r,
            || "/v1/company".into(),
            || json!({ "id": c.remote_id, "name": c.legal_name }),
        ),
    }
}

#[derive(Serialize)]
struct PayGroupView<'a> {
    id: &'a str,
    remote_id: S<'a>,
    created_at: S<'a>,
    modified_at: S<'a>,
    pay_group_name: S<'a>,
    remote_was_deleted: bool,
    field_mappings: FieldMappings,
    remote_data: Option<[RemoteData; 1]>,
}

fn pay_group_json<'a>(p: &'a MergePayGroup, r: &Render) -> PayGroupView<'a> {
    PayGroupView {
        id: &p.id,
        remote_id: &p.remote_id,
        created_at: &p.created_at,
        modified_at: &p.modified_at,
        pay_group_name: &p.pay_group_name,
        remote_was_deleted: p.remote_was_deleted,
        field_mappings: NO_FIELD_MAPPINGS,
        remote_data: remote_data(
            r,
            || "/v1/paygroups".into(),
            || json!({ "id": p.remote_id, "name": p.pay_group_name }),
        ),
    }
}

// ---------------------------------------------------------------------------------------
// Handlers

const EMPLOYEE_EXPAND: &[&str] = &[
    "company",
    "employments",
    "groups",
    "home_location",
    "manager",
    "pay_group",
    "team",
    "work_location",
];
const EMPLOYMENT_EXPAND: &[&str] = &["employee", "pay_group"];
const TEAM_EXPAND: &[&str] = &["parent_team"];
const EMPLOYMENT_STATUSES: &[&str] = &["ACTIVE", "PENDING", "INACTIVE"];

fn eq(field: &Option<String>, want: &Option<String>) -> bool {
    want.is_none() || field == want
}

async fn list_employees(AxState(s): AxState<Shr>, Query(q): Pairs) -> Response {
    let p = Params(q);
    let c = tri!(common(&p, EMPLOYEE_EXPAND));
    let status = tri!(p.choice("employment_status", EMPLOYMENT_STATUSES));
    let started_after = tri!(p.datetime("started_after"));
    let started_before = tri!(p.datetime("started_before"));
    let terminated_after = tri!(p.datetime("terminated_after"));
    let terminated_before = tri!(p.datetime("terminated_before"));
    let get = |k: &str| p.get(k).map(str::to_string);
    let (work_email, personal_email) = (get("work_email"), get("personal_email"));
    let (first_name, last_name, display_full_name) = (
        get("first_name"),
        get("last_name"),
        get("display_full_name"),
    );
    let (employee_number, company) = (get("employee_number"), get("company_id"));
    let (manager, team, pay_group) = (get("manager_id"), get("team_id"), get("pay_group_id"));
    let (work_location, home_location) = (get("work_location_id"), get("home_location_id"));
    let groups: Option<Vec<String>> = p
        .get("groups")
        .map(|g| g.split(',').map(str::to_string).collect());
    let (employment_type, job_title) = (get("employment_type"), get("job_title"));
    let in_window = |v: &Option<String>, after: Option<i128>, before: Option<i128>| {
        if after.is_none() && before.is_none() {
            return true;
        }
        match v.as_deref().and_then(parse_datetime) {
            None => false,
            Some(t) => after.is_none_or(|a| t > a) && before.is_none_or(|b| t < b),
        }
    };
    let extra = |e: &MergeEmployee| {
        eq(&e.employment_status, &status)
            && eq(&e.work_email, &work_email)
            && eq(&e.personal_email, &personal_email)
            && eq(&e.first_name, &first_name)
            && eq(&e.last_name, &last_name)
            && eq(&e.display_full_name, &display_full_name)
            && eq(&e.employee_number, &employee_number)
            && eq(&e.company, &company)
            && eq(&e.manager, &manager)
            && eq(&e.team, &team)
            && eq(&e.pay_group, &pay_group)
            && eq(&e.work_location, &work_location)
            && eq(&e.home_location, &home_location)
            && groups
                .as_ref()
                .is_none_or(|gs| e.groups.iter().any(|g| gs.contains(g)))
            && employment_type.as_ref().is_none_or(|t| {
                e.employments
                    .iter()
                    .any(|j| j.employment_type.as_ref() == Some(t))
            })
            && job_title.as_ref().is_none_or(|t| {
                e.employments
                    .iter()
                    .any(|j| j.job_title.as_ref() == Some(t))
            })
            && in_window(&e.start_date, started_after, started_before)
            && in_window(&e.termination_date, terminated_after, terminated_before)
    };
    let st = s.state();
    list_with(&st.employees, &c, extra, |e| {
        employee_json(&st, e, &c.render)
    })
}

async fn get_employee(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
    Query(q): Pairs,
) -> Response {
    let r = tri!(render_params(&Params(q), EMPLOYEE_EXPAND));
    let st = s.state();
    one(&st.employees, &id, |e| employee_json(&st, e, &r))
}

async fn list_employments(AxState(s): AxState<Shr>, Query(q): Pairs) -> Response {
    let p = Params(q);
    let c = tri!(common(&p, EMPLOYMENT_EXPAND));
    let employee = p.get("employee_id").map(str::to_string);
    let st = s.state();
    list_with(
        &st.employments,
        &c,
        |j| eq(&j.employee, &employee),
        |j| employment_json(&st, j, &c.render),
    )
}

async fn get_employment(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
    Query(q): Pairs,
) -> Response {
    let r = tri!(render_params(&Params(q), EMPLOYMENT_EXPAND));
    let st = s.state();
    one(&st.employments, &id, |j| employment_json(&st, j, &r))
}

async fn list_groups(AxState(s): AxState<Shr>, Query(q): Pairs) -> Response {
    let p = Params(q);
    let c = tri!(common(&p, &[]));
    let list = |k: &str| {
        p.get(k)
            .map(|v| v.split(',').map(str::to_string).collect::<Vec<_>>())
    };
    let (types, names) = (list("types"), list("names"));
    let team_like =
        tri!(p.choice("is_commonly_used_as_team", &["true", "false"])).map(|v| v == "true");
    let st = s.state();
    let extra = |g: &MergeGroup| {
        types
            .as_ref()
            .is_none_or(|ts| g.group_type.as_ref().is_some_and(|t| ts.contains(t)))
            && names
                .as_ref()
                .is_none_or(|ns| g.name.as_ref().is_some_and(|n| ns.contains(n)))
            && team_like.is_none_or(|want| g.is_commonly_used_as_team == Some(want))
    };
    list_with(&st.groups, &c, extra, |g| group_json(g, &c.render))
}

async fn get_group(AxState(s): AxState<Shr>, Path(id): Path<String>, Query(q): Pairs) -> Response {
    let r = tri!(render_params(&Params(q), &[]));
    one(&s.state().groups, &id, |g| group_json(g, &r))
}

async fn list_locations(AxState(s): AxState<Shr>, Query(q): Pairs) -> Response {
    let p = Params(q);
    let c = tri!(common(&p, &[]));
    let kind = tri!(p.choice("location_type", &["HOME", "WORK"]));
    let st = s.state();
    list_with(
        &st.locations,
        &c,
        |l| eq(&l.location_type, &kind),
        |l| location_json(l, &c.render),
    )
}

async fn get_location(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
    Query(q): Pairs,
) -> Response {
    let r = tri!(render_params(&Params(q), &[]));
    one(&s.state().locations, &id, |l| location_json(l, &r))
}

async fn list_teams(AxState(s): AxState<Shr>, Query(q): Pairs) -> Response {
    let p = Params(q);
    let c = tri!(common(&p, TEAM_EXPAND));
    let parent = p.get("parent_team_id").map(str::to_string);
    let st = s.state();
    list_with(
        &st.teams,
        &c,
        |t| eq(&t.parent_team, &parent),
        |t| team_json(&st, t, &c.render),
    )
}

async fn get_team(AxState(s): AxState<Shr>, Path(id): Path<String>, Query(q): Pairs) -> Response {
    let r = tri!(render_params(&Params(q), TEAM_EXPAND));
    let st = s.state();
    one(&st.teams, &id, |t| team_json(&st, t, &r))
}

async fn list_companies(AxState(s): AxState<Shr>, Query(q): Pairs) -> Response {
    let p = Params(q);
    let c = tri!(common(&p, &[]));
    let st = s.state();
    list_with(
        &st.companies,
        &c,
        |_| true,
        |co| company_json(co, &c.render),
    )
}

async fn get_company(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
    Query(q): Pairs,
) -> Response {
    let r = tri!(render_params(&Params(q), &[]));
    one(&s.state().companies, &id, |c| company_json(c, &r))
}

async fn list_pay_groups(AxState(s): AxState<Shr>, Query(q): Pairs) -> Response {
    let p = Params(q);
    let c = tri!(common(&p, &[]));
    let st = s.state();
    list_with(
        &st.pay_groups,
        &c,
        |_| true,
        |pg| pay_group_json(pg, &c.render),
    )
}

async fn get_pay_group(
    AxState(s): AxState<Shr>,
    Path(id): Path<String>,
    Query(q): Pairs,
) -> Response {
    let r = tri!(render_params(&Params(q), &[]));
    one(&s.state().pay_groups, &id, |pg| pay_group_json(pg, &r))
}

/// One entry per HRIS common model. Enabled models report a finished sync that ended
/// just after the newest `modified_at` among their objects, so `modified_before =
/// last_sync_finished` covers every change made so far.
fn sync_entries(st: &State) -> Vec<Value> {
    let now = st.now().unix_timestamp_nanos();
    let enabled: [(&str, Option<i128>); 7] = [
        ("Company", st.companies.max_modified()),
        ("Employee", st.employees.max_modified()),
        ("Employment", st.employments.max_modified()),
        ("Group", st.groups.max_modified()),
        ("Location", st.locations.max_modified()),
        ("PayGroup", st.pay_groups.max_modified()),
        ("Team", st.teams.max_modified()),
    ];
    let disabled = [
        "BankInfo",
        "Benefit",
        "Dependent",
        "EmployeePayrollRun",
        "EmployerBenefit",
        "PayrollRun",
        "TimeOff",
        "TimeOffBalance",
        "TimesheetEntry",
    ];
    let ts = |nanos: i128| {
        time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
            .map(format_datetime)
            .ok()
            .map(Value::String)
            .unwrap_or(Value::Null)
    };
    const SEC: i128 = 1_000_000_000;
    let mut out = Vec::new();
    for (name, newest) in enabled {
        let finished = newest.map_or(now, |m| m + SEC);
        let started = finished - 120 * SEC;
        let forced = st.sync_overrides.get(name);
        let status = forced.map_or("DONE", |f| f.status.as_str());
        let initial = forced.is_some_and(|f| f.is_initial_sync);
        let done_once = !initial;
        out.push(json!({
            "model_name": name,
            "model_id": format!("hris.{name}"),
            "last_sync_start": ts(started),
            "next_sync_start": ts(finished + 3600 * SEC),
            "last_sync_result": if done_once { json!(if status == "SYNCING" { "DONE" } else { status }) } else { Value::Null },
            "last_sync_finished": if done_once { ts(finished) } else { Value::Null },
            "data_fresh_as_of": if done_once { ts(started) } else { Value::Null },
            "historical_data_since": if done_once { json!("1900-01-01T00:00:00Z") } else { Value::Null },
            "status": status,
            "sync_status_reason": Value::Null,
            "is_initial_sync": initial,
            "selective_sync_configurations_usage": Value::Null,
        }));
    }
    for name in disabled {
        let forced = st.sync_overrides.get(name);
        out.push(json!({
            "model_name": name,
            "model_id": format!("hris.{name}"),
            "last_sync_start": Value::Null,
            "next_sync_start": Value::Null,
            "last_sync_result": Value::Null,
            "last_sync_finished": Value::Null,
            "data_fresh_as_of": Value::Null,
            "historical_data_since": Value::Null,
            "status": forced.map_or("DISABLED", |f| f.status.as_str()),
            "sync_status_reason": Value::Null,
            "is_initial_sync": forced.is_some_and(|f| f.is_initial_sync),
            "selective_sync_configurations_usage": Value::Null,
        }));
    }
    out
}

async fn sync_status(AxState(s): AxState<Shr>, Query(q): Pairs) -> Response {
    let p = Params(q);
    let size = p.page_size();
    // A tiny fixed list: the cursor is an offset, still opaque.
    let offset = match p.get("cursor") {
        None => 0,
        Some(c) => match B64
            .decode(c)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.strip_prefix("o=").and_then(|n| n.parse::<usize>().ok()))
        {
            Some(o) => o,
            None => return ApiError::NotFound("Invalid cursor").into_response(),
        },
    };
    let all = sync_entries(&s.state());
    let end = (offset + size).min(all.len());
    let results: Vec<Value> = all
        .get(offset..end)
        .map(<[Value]>::to_vec)
        .unwrap_or_default();
    let cur = |o: usize| B64.encode(format!("o={o}"));
    let next = (end < all.len()).then(|| cur(end));
    let previous = (offset > 0).then(|| cur(offset.saturating_sub(size)));
    axum::Json(json!({ "next": next, "previous": previous, "results": results })).into_response()
}

async fn account_details(AxState(s): AxState<Shr>) -> Response {
    let st = s.state();
    let completed = st
        .companies
        .iter()
        .next()
        .and_then(|(_, e)| e.item.created_at.clone())
        .unwrap_or_else(|| format_datetime(st.now()));
    axum::Json(json!({
        "id": super::data::uuid(0xACC0, 1),
        "integration": "TriNet HR Plus",
        "integration_slug": "trinet-hr-plus",
        "category": "hris",
        "end_user_origin_id": "tenure",
        "end_user_organization_name": "Acme Corporation",
        "end_user_email_address": "it-admin@acme-corp.example",
        "status": "COMPLETE",
        "webhook_listener_url": "",
        "is_duplicate": false,
        "account_type": "PRODUCTION",
        "completed_at": completed,
    }))
    .into_response()
}

// ---------------------------------------------------------------------------------------
// The fake's own control route

/// `POST /_fake/touch?n=N`: changes N employees as an HR edit would (see
/// [`super::FakeMerge::touch_employees`]). Needs the API key as bearer only; it is not
/// one of Merge's endpoints, so it is neither counted nor rate-limited.
async fn touch(AxState(s): AxState<Shr>, headers: HeaderMap, Query(q): Pairs) -> Response {
    if let Err(e) = check_key(&s, &headers) {
        return e.into_response();
    }
    let p = Params(q);
    let Some(n) = p.get("n").and_then(|v| v.parse::<usize>().ok()) else {
        return ApiError::field("n", "A whole number of employees is required.".into())
            .into_response();
    };
    let touched = super::FakeMerge { shared: s }.touch_employees(n);
    axum::Json(json!({ "touched": touched })).into_response()
}

#[cfg(test)]
mod tests {
    use super::super::{FakeMerge, MergeEmployee, TOUCH_SUFFIX, parse_datetime};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// One request over a fresh connection; the whole response as text.
    async fn send(origin: &str, request_line: &str, auth: Option<&str>) -> String {
        let addr = origin.strip_prefix("http://").unwrap();
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let auth = auth.map_or(String::new(), |a| format!("Authorization: {a}\r\n"));
        let req = format!(
            "{request_line} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Length: 0\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(req.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.unwrap();
        String::from_utf8(raw).unwrap()
    }

    fn at(t: &Option<String>) -> i128 {
        parse_datetime(t.as_deref().unwrap()).unwrap()
    }

    /// The job title of the current (newest) employment.
    fn title(e: &MergeEmployee) -> String {
        let job = e
            .employments
            .iter()
            .max_by(|a, b| a.effective_date.cmp(&b.effective_date))
            .unwrap();
        job.job_title.clone().unwrap()
    }

    #[tokio::test]
    async fn touch_changes_n_employees_for_an_incremental_read() {
        let fake = FakeMerge::new("key", "acct").with_employees(50);
        let (origin, _server) = fake.clone().serve(0).await.unwrap();
        let before: Vec<_> = fake
            .employee_ids()
            .iter()
            .map(|id| fake.employee(id).unwrap())
            .collect();

        let refused = send(&origin, "POST /_fake/touch?n=5", None).await;
        assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
        let refused = send(&origin, "POST /_fake/touch?n=5", Some("Bearer nope")).await;
        assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
        let bad = send(&origin, "POST /_fake/touch?n=many", Some("Bearer key")).await;
        assert!(bad.starts_with("HTTP/1.1 400"), "{bad}");

        let ok = send(&origin, "POST /_fake/touch?n=5", Some("Bearer key")).await;
        assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
        assert!(ok.ends_with(r#"{"touched":5}"#), "{ok}");
        // Neither counted as a Merge API request nor rate-limited.
        assert_eq!(fake.request_count(), 0);

        let now = fake.now();
        let changed: Vec<_> = before
            .iter()
            .filter(|old| fake.employee(&old.id).as_ref() != Some(*old))
            .collect();
        assert_eq!(changed.len(), 5);
        // Spread over the list, not the first five.
        assert_eq!(
            changed.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            fake.employee_ids().iter().step_by(10).collect::<Vec<_>>()
        );
        for old in changed {
            let new = fake.employee(&old.id).unwrap();
            assert!(at(&new.modified_at) > at(&old.modified_at));
            assert!(at(&new.modified_at) <= at(&Some(now.clone())));
            assert_eq!(title(&new), format!("{}{TOUCH_SUFFIX}", title(old)));
        }

        // Touching again restores the titles.
        assert_eq!(fake.touch_employees(5), 5);
        for old in &before {
            let new = fake.employee(&old.id).unwrap();
            assert_eq!(new.employments.len(), old.employments.len());
            assert_eq!(title(&new), title(old));
        }
        assert_eq!(fake.touch_employees(500), 50);
        assert_eq!(fake.touch_employees(0), 0);
    }

    #[test]
    fn pending_share_is_configurable_and_the_default_unchanged() {
        let status = |f: &FakeMerge| -> Vec<String> {
            f.employee_ids()
                .iter()
                .map(|id| f.employee(id).unwrap().employment_status.unwrap())
                .collect()
        };
        let count = |s: &[String], which: &str| s.iter().filter(|v| *v == which).count();
        let default = FakeMerge::new("k", "a").with_employees(2000);
        let explicit = FakeMerge::new("k", "a")
            .with_employees_pending(2000, super::super::DEFAULT_PENDING_PERCENT);
        for id in default.employee_ids() {
            assert_eq!(default.employee(&id), explicit.employee(&id));
        }

        let more = FakeMerge::new("k", "a").with_employees_pending(2000, 21);
        assert_eq!(more.employee_ids(), default.employee_ids());
        let (d, m) = (status(&default), status(&more));
        assert_eq!(count(&d, "INACTIVE"), count(&m, "INACTIVE"));
        let pending = count(&m, "PENDING");
        assert!((380..=460).contains(&pending), "{pending} of 2000 PENDING");
        // Whoever was PENDING stays PENDING; the new ones were ACTIVE.
        for (a, b) in d.iter().zip(&m) {
            if a == "PENDING" || a == "INACTIVE" {
                assert_eq!(a, b);
            }
        }
        let none = FakeMerge::new("k", "a").with_employees_pending(2000, 0);
        assert_eq!(count(&status(&none), "PENDING"), 0);
    }
}
