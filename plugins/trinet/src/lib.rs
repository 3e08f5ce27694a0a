//! TriNet HR Plus as a Tenure HR source, through TriNet's own API.
//!
//! What TriNet documents (apidocs.trinet.com) and this plugin relies on:
//! - Token: `GET {origin}/oauth/accesstoken?grant_type=client_credentials` with
//!   `Authorization: Basic base64(clientId:clientSecret)`; the answer carries
//!   `access_token`, `token_type: "BearerToken"` and `expires_in` as a string ("3599").
//!   The token is cached in the plugin's key-value store until shortly before it expires.
//! - Employees: `GET {origin}/{version}/company/{companyId}/employees`, records with
//!   `employeeId`, `names[]` and `employmentInfo {employmentStatus (A D L P S T U),
//!   businessTitle, supervisorId, workEmail, departmentId, locationId, serviceDate,
//!   terminationDate, ...}`. `viewType=All` adds `terminationDate` and nests
//!   `department {deptId, deptName}` and `location {...}`.
//! - Integrations are granted endpoints one by one, and TriNet may limit calls per period.
//!
//! What is not in TriNet's public docs and is taken from clients of the live API
//! (Merge's, ChartHop's and others' published field lists and code), or assumed:
//! - `{version}` is `v1`.
//! - The list envelope is `{"data": {"employeeData": [...], "hasMore": bool}}`, paged
//!   with `limit` and `offset`. Whether `offset` counts from 0 or 1 is not known; this
//!   plugin sends the number of records already read, so if TriNet counts from 1 a
//!   record at a page boundary is read twice (harmless: the host keeps one), never
//!   skipped. The page size (100) is the one those clients use.
//! - `nameType` is `PRI` / `PRF` in live data (the docs' template says
//!   `primary#preferred`; both are read).
//! - `/company/{companyId}/departments` and `/locations` list `deptId`/`deptName` and
//!   `locationId`/`locationName` with an address; several list shapes are accepted. If
//!   the integration is not granted them (403/404), names come from the employee record.
//! - Error bodies are Apigee's (`{"fault": {"faultstring": ...}}`, or `ErrorCode`/`Error`
//!   from the token endpoint); a 429 may come without `Retry-After` (then 60 s).
//!
//! Incremental reads: TriNet documents no "changed since" filter, so `since` is ignored
//! and every call pages through all employees; the host compares with what it has.

mod model;

use model::Lookups;
use serde_json::Value;
use tenure_sdk::oauth::{ClientAuth, ClientCredentials, TokenSource};
use tenure_sdk::{Error, HrPage, HrSource, http, kv, log, settings, time};

const DEFAULT_ORIGIN: &str = "https://api.trinet.com";
const API_VERSION: &str = "v1";
/// Records per page.
const PAGE_SIZE: usize = 100;
/// How long department and location lists are reused across calls.
const LOOKUP_TTL_SECONDS: u32 = 600;

struct TriNet;

struct Client {
    origin: String,
    token_url: String,
    company_id: String,
    client_id: String,
    client_secret: String,
}

impl Client {
    fn from_settings() -> Result<Self, Error> {
        let origin = settings::config("base_url").unwrap_or_else(|| DEFAULT_ORIGIN.into());
        Ok(Self {
            token_url: http::join(&origin, "/oauth/accesstoken"),
            origin,
            company_id: settings::required_config("company_id")?,
            client_id: settings::required_config("client_id")?,
            client_secret: settings::required_secret("client_secret")?,
        })
    }

    fn credentials(&self) -> ClientCredentials<'_> {
        ClientCredentials {
            token_url: &self.token_url,
            client_id: &self.client_id,
            client_secret: &self.client_secret,
            scope: None,
            auth: ClientAuth::Basic,
            method: http::Method::Get,
        }
    }

    fn url(&self, resource: &str) -> String {
        let path = format!(
            "/{API_VERSION}/company/{}/{resource}",
            http::encode_component(&self.company_id)
        );
        http::join(&self.origin, &path)
    }

    /// GETs a company resource; any answer is `Ok`. A 401 means the cached token died
    /// early (expired or revoked at TriNet): it is dropped and the request is sent once
    /// more with a new one.
    fn get(&self, resource: &str, query: &[(&str, String)]) -> Result<http::Response, Error> {
        let url = self.url(resource);
        self.credentials().send_raw(|token| {
            let mut req = http::get(&url).bearer(token);
            for (k, v) in query {
                req = req.query(k, v);
            }
            req
        })
    }

    /// Department names and locations, from the cache or from TriNet.
    fn lookups(&self) -> Result<Lookups, Error> {
        let key = format!("lookups:{}:{}", self.origin, self.company_id);
        if let Some(cached) = kv::get_json::<Lookups>(&key) {
            return Ok(cached);
        }
        let lookups = Lookups {
            departments: self
                .optional_list("departments", model::parse_departments)?
                .unwrap_or_default(),
            locations: self
                .optional_list("locations", model::parse_locations)?
                .unwrap_or_default(),
        };
        kv::set_json(&key, &lookups, Some(LOOKUP_TTL_SECONDS));
        Ok(lookups)
    }

    /// A list the mapping can do without: when the integration is not granted the
    /// endpoint (403/404) or the answer does not parse, the employee records' own
    /// fields are used instead.
    fn optional_list<T>(
        &self,
        resource: &str,
        parse: fn(&[u8]) -> Result<T, String>,
    ) -> Result<Option<T>, Error> {
        let resp = self.get(resource, &[])?;
        match resp.status {
            200..=299 => match parse(&resp.body) {
                Ok(list) => Ok(Some(list)),
                Err(e) => {
                    log::warn(&format!(
                        "TriNet's {resource} list is not the JSON expected ({e}); using the names in the employee records"
                    ));
                    Ok(None)
                }
            },
            403 | 404 => {
                log::warn(&format!(
                    "TriNet answered {} to GET {resource} ({}); grant the endpoint to the integration for current names. Using the names in the employee records",
                    resp.status,
                    detail(&resp)
                ));
                Ok(None)
            }
            _ => Err(api_error(&resp)),
        }
    }
}

/// The message in an error body: Apigee's `fault.faultstring`, the token endpoint's
/// `Error`, or the SDK's reading of the common shapes (credentials redacted).
fn detail(resp: &http::Response) -> String {
    if let Ok(v) = serde_json::from_slice::<Value>(&resp.body) {
        let found = v
            .pointer("/fault/faultstring")
            .or_else(|| v.get("Error"))
            .and_then(Value::as_str);
        if let Some(s) = found {
            return resp.clean(s);
        }
    }
    resp.detail()
}

/// The SDK's status mapping, with TriNet's message.
fn api_error(resp: &http::Response) -> Error {
    let msg = format!("HTTP {}: {}", resp.status, detail(resp));
    match resp.to_error() {
        Error::Unauthorized(_) if resp.status == 403 => Error::Unauthorized(format!(
            "{msg} (check the Company ID, and that TriNet's Integration Center grants this integration the endpoint)"
        )),
        Error::Unauthorized(_) => Error::Unauthorized(msg),
        Error::NotFound(_) => Error::NotFound(format!("{msg} (check the Company ID)")),
        Error::Conflict(_) => Error::Conflict(msg),
        Error::InvalidInput(_) => Error::InvalidInput(msg),
        Error::Unavailable(_) => Error::Unavailable(msg),
        Error::Unsupported(_) => Error::Unsupported(msg),
        Error::Other(_) => Error::Other(msg),
        limited @ Error::RateLimited(_) => limited,
    }
}

impl HrSource for TriNet {
    fn test_connection() -> Result<(), Error> {
        let client = Client::from_settings()?;
        let resp = client.get("employees", &[("limit", "1".into())])?;
        if resp.is_success() {
            Ok(())
        } else {
            Err(api_error(&resp))
        }
    }

    fn fetch(since: Option<String>, cursor: Option<String>) -> Result<HrPage, Error> {
        let client = Client::from_settings()?;
        let offset = match cursor.as_deref().map(str::trim) {
            None | Some("") => 0,
            Some(c) => c.parse::<usize>().map_err(|_| {
                Error::InvalidInput(format!("{c:?} is not a cursor of this plugin"))
            })?,
        };
        if since.is_some() && offset == 0 {
            log::debug(
                "TriNet has no documented change filter: reading every employee for the host to compare",
            );
        }
        let mut query = vec![
            ("viewType", "All".to_string()),
            ("limit", PAGE_SIZE.to_string()),
        ];
        if offset > 0 {
            query.push(("offset", offset.to_string()));
        }
        let resp = client.get("employees", &query)?;
        if !resp.is_success() {
            return Err(api_error(&resp));
        }
        let page = model::parse_employee_page(&resp.body).map_err(|e| {
            Error::Other(format!(
                "TriNet's employee list is not the JSON expected: {e}"
            ))
        })?;
        let read = page.employees.len();
        let lookups = if read == 0 {
            Lookups::default()
        } else {
            client.lookups()?
        };
        let today = time::today();
        let mut employees = Vec::with_capacity(read);
        for record in page.employees {
            match record.into_hr(&lookups, &today) {
                Ok(e) => employees.push(e),
                Err(why) => log::warn(&format!("skipped {why} (page at offset {offset})")),
            }
        }
        // Without a `hasMore` flag, a full page means there may be more.
        let more = read > 0 && page.has_more.unwrap_or(read >= PAGE_SIZE);
        Ok(HrPage {
            employees,
            next_cursor: more.then(|| (offset + read).to_string()),
        })
    }
}

tenure_sdk::export_hr_source!(TriNet);

/// The plugin as the host runs it, against a fake host (`tenure_sdk::testing`).
#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tenure_sdk::EmploymentStatus;
    use tenure_sdk::testing::{FakeHost, Method, Reply};

    const TOKEN_URL: &str =
        "https://api.trinet.com/oauth/accesstoken?grant_type=client_credentials";
    const COMPANY: &str = "https://api.trinet.com/v1/company/ACME01";

    fn host() -> FakeHost {
        let host = FakeHost::new()
            .with_manifest(include_str!("../manifest.toml"))
            .config("company_id", "ACME01")
            .config("client_id", "client-1")
            .secret("client_secret", "trinet-secret");
        host.set_now("2026-06-01T08:00:00Z");
        host
    }

    fn token(host: &FakeHost, token: &str) {
        host.on(Method::Get, TOKEN_URL).reply(Reply::json(
            200,
            &json!({"access_token": token, "token_type": "BearerToken", "expires_in": "3599"}),
        ));
    }

    fn lookups(host: &FakeHost) {
        host.on(Method::Get, &format!("{COMPANY}/departments"))
            .reply(Reply::json(
                200,
                &json!({"data": [{"deptId": "D100", "deptName": "Engineering"}]}),
            ));
        // This integration is not granted the locations endpoint.
        host.on(Method::Get, &format!("{COMPANY}/locations"))
            .reply(Reply::json(
                403,
                &json!({"fault": {"faultstring": "not granted"}}),
            ));
    }

    #[test]
    fn fetch_maps_one_page_with_a_cached_token_and_lookups() {
        let host = host();
        token(&host, "tok-1");
        lookups(&host);
        host.on_prefix(Method::Get, &format!("{COMPANY}/employees"))
            .reply(Reply::json(
                200,
                &json!({"data": {"hasMore": true, "employeeData": [{
                    "employeeId": "00100042",
                    "names": [{"firstName": "Robert", "lastName": "Tables", "nameType": "PRI"}],
                    "employmentInfo": {
                        "employmentStatus": "A", "workEmail": "bobby@acme.example",
                        "departmentId": "D100", "serviceDate": "2026-06-15"
                    }
                }]}}),
            ));

        let page = TriNet::fetch(None, None).unwrap();

        let [bobby] = &page.employees[..] else {
            panic!("{:?}", page.employees)
        };
        assert_eq!(bobby.source_id, "00100042");
        assert_eq!(bobby.department.as_deref(), Some("Engineering"));
        // Starts after the fake clock's today: pending.
        assert_eq!(bobby.status, EmploymentStatus::Pending);
        assert_eq!(page.next_cursor.as_deref(), Some("1"));

        let token_req = &host.requests_to(Method::Get, TOKEN_URL)[0];
        assert!(
            token_req
                .header("authorization")
                .unwrap()
                .starts_with("Basic ")
        );
        let sent = host.requests_to(Method::Get, &format!("{COMPANY}/employees"));
        assert_eq!(sent[0].header("authorization"), Some("Bearer tok-1"));
        assert_eq!(sent[0].query("viewType").as_deref(), Some("All"));
        assert_eq!(sent[0].query("limit").as_deref(), Some("100"));
        assert!(
            host.logged("grant the endpoint"),
            "the 403 on locations is logged"
        );

        // The next page reuses the token and the lookups from the key-value store.
        TriNet::fetch(None, page.next_cursor).unwrap();
        assert_eq!(host.requests_to(Method::Get, TOKEN_URL).len(), 1);
        assert_eq!(
            host.requests_to(Method::Get, &format!("{COMPANY}/departments"))
                .len(),
            1
        );
        assert_eq!(host.last_request().query("offset").as_deref(), Some("1"));
    }

    #[test]
    fn a_refused_client_secret_is_unauthorized_without_the_secret() {
        let host = host();
        host.on(Method::Get, TOKEN_URL).reply(Reply::json(
            401,
            &json!({"ErrorCode": "invalid_client", "Error": "Invalid client secret trinet-secret"}),
        ));
        let e = TriNet::test_connection().unwrap_err();
        let Error::Unauthorized(m) = &e else {
            panic!("{e:?}")
        };
        assert!(m.contains("refused the client credentials"), "{m}");
        assert!(!m.contains("trinet-secret"), "{m}");
    }

    #[test]
    fn a_token_revoked_early_is_replaced_once_then_unauthorized() {
        let host = host();
        token(&host, "tok-1");
        host.on_prefix(Method::Get, &format!("{COMPANY}/employees"))
            .reply(Reply::json(
                401,
                &json!({"fault": {"faultstring": "Invalid access token"}}),
            ));
        let e = TriNet::test_connection().unwrap_err();
        assert_eq!(
            e,
            Error::Unauthorized("HTTP 401: Invalid access token".into())
        );
        // Sent twice: with the cached token, then with a new one.
        assert_eq!(host.requests_to(Method::Get, TOKEN_URL).len(), 2);
        assert_eq!(
            host.requests_to(Method::Get, &format!("{COMPANY}/employees"))
                .len(),
            2
        );
    }

    #[test]
    fn a_429_without_retry_after_waits_the_default_and_one_with_it_waits_that() {
        let host = host();
        token(&host, "tok-1");
        host.on_prefix(Method::Get, &format!("{COMPANY}/employees"))
            .once()
            .reply(Reply::json(
                429,
                &json!({"fault": {"faultstring": "Spike arrest violation"}}),
            ));
        host.on_prefix(Method::Get, &format!("{COMPANY}/employees"))
            .reply(Reply::status(429).header("retry-after", "90"));
        assert_eq!(TriNet::fetch(None, None), Err(Error::RateLimited(60)));
        assert_eq!(TriNet::fetch(None, None), Err(Error::RateLimited(90)));
    }

    #[test]
    fn a_cursor_this_plugin_did_not_write_is_invalid_input() {
        let _host = host();
        assert!(matches!(
            TriNet::fetch(None, Some("abc".into())),
            Err(Error::InvalidInput(_))
        ));
    }
}
