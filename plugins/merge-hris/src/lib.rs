//! Merge HRIS (`/api/hris/v1`) as a Tenure HR source.
//!
//! Reads `GET /employees` with `page_size=100`, cursor paging, `modified_after` for
//! incremental reads and `expand` for the related objects it maps. Every request
//! carries `Authorization: Bearer <api key>` and `X-Account-Token`. The same read
//! answers `fetch_placed` with the city and state of each expanded `work_location`.

mod address;
mod model;

use model::{Employee, Paginated};
use tenure_sdk::{Address, Error, HrPage, HrSource, PlacedPage, http, settings};

/// Merge's maximum page size.
const PAGE_SIZE: &str = "100";
/// The related objects the mapping reads (comma-separated, no spaces, as Merge wants).
const EXPAND: &str = "employments,groups,team,work_location";

struct MergeHris;

struct Client {
    base: String,
    api_key: String,
    account_token: String,
}

impl Client {
    fn from_settings() -> Result<Self, Error> {
        let origin = settings::config("base_url").unwrap_or_else(|| "https://api.merge.dev".into());
        Ok(Self {
            base: http::join(&origin, "/api/hris/v1"),
            api_key: settings::required_secret("api_key")?,
            account_token: settings::required_secret("account_token")?,
        })
    }

    fn get(&self, path: &str) -> http::RequestBuilder {
        http::get(&http::join(&self.base, path))
            .bearer(&self.api_key)
            .header("x-account-token", &self.account_token)
    }
}

impl HrSource for MergeHris {
    fn test_connection() -> Result<(), Error> {
        let client = Client::from_settings()?;
        client.get("/employees").query("page_size", "1").send()?;
        Ok(())
    }

    fn fetch(since: Option<String>, cursor: Option<String>) -> Result<HrPage, Error> {
        Self::fetch_placed(since, cursor).map(|placed| placed.page)
    }

    /// One read of `/employees` for both: the page `fetch` returns, and the places.
    fn fetch_placed(since: Option<String>, cursor: Option<String>) -> Result<PlacedPage, Error> {
        let client = Client::from_settings()?;
        let mut req = client
            .get("/employees")
            .query("page_size", PAGE_SIZE)
            .query("expand", EXPAND)
            .query_opt("cursor", cursor.as_deref());
        if let Some(since) = since.as_deref() {
            // An incremental read must also see records removed in the HR system.
            req = req
                .query("modified_after", since)
                .query("include_deleted_data", "true");
        }
        let page: Paginated<Employee> = req.send()?.json()?;
        let (employees, places): (Vec<_>, Vec<_>) =
            page.results.into_iter().map(Employee::into_placed).unzip();
        Ok(PlacedPage {
            page: HrPage {
                employees,
                next_cursor: page.next.filter(|c| !c.is_empty()),
            },
            places: places.into_iter().flatten().collect(),
        })
    }

    fn home_address(source_id: String) -> Result<Option<Address>, Error> {
        address::home_address(&Client::from_settings()?, &source_id)
    }
}

tenure_sdk::export_hr_source!(MergeHris);

/// The plugin as the host runs it, against a fake host (`tenure_sdk::testing`).
#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tenure_sdk::testing::{FakeHost, Method, Reply};
    use tenure_sdk::{EmploymentStatus, WorkPlace};

    const EMPLOYEES: &str = "https://api.merge.dev/api/hris/v1/employees";

    fn host() -> FakeHost {
        FakeHost::new()
            .with_manifest(include_str!("../manifest.toml"))
            .secret("api_key", "merge-key")
            .secret("account_token", "linked-token")
    }

    #[test]
    fn fetch_maps_one_page_and_passes_the_cursor_on() {
        let host = host();
        host.on_prefix(Method::Get, EMPLOYEES).reply(Reply::json(
            200,
            &json!({
                "next": "cD0yMDI1",
                "previous": null,
                "results": [{
                    "id": "e1", "first_name": "Greg", "last_name": "Hirsch",
                    "work_email": "greg@example.com",
                    "groups": [{"id": "g1", "name": "Engineering", "type": "DEPARTMENT"}],
                    "employment_status": "ACTIVE",
                    "start_date": "2024-03-01T00:00:00Z",
                    "remote_was_deleted": false
                }]
            }),
        ));

        let page = MergeHris::fetch(None, Some("cD0xMA".into())).unwrap();

        assert_eq!(page.next_cursor.as_deref(), Some("cD0yMDI1"));
        let [greg] = &page.employees[..] else {
            panic!("{:?}", page.employees)
        };
        assert_eq!(greg.source_id, "e1");
        assert_eq!(greg.department.as_deref(), Some("Engineering"));
        assert_eq!(greg.start_date.as_deref(), Some("2024-03-01"));
        assert_eq!(greg.status, EmploymentStatus::Active);

        let sent = host.last_request();
        assert_eq!(sent.path(), EMPLOYEES);
        assert_eq!(sent.header("authorization"), Some("Bearer merge-key"));
        assert_eq!(sent.header("x-account-token"), Some("linked-token"));
        assert_eq!(sent.query("page_size").as_deref(), Some("100"));
        assert_eq!(
            sent.query("expand").as_deref(),
            Some("employments,groups,team,work_location")
        );
        assert_eq!(sent.query("cursor").as_deref(), Some("cD0xMA"));
        assert_eq!(sent.query("modified_after"), None);
    }

    #[test]
    fn fetch_placed_is_the_page_of_fetch_with_the_city_and_state_of_each_work_location() {
        let host = host();
        host.on_prefix(Method::Get, EMPLOYEES).reply(Reply::json(
            200,
            &json!({
                "next": "cD0y",
                "results": [
                    {"id": "e1", "first_name": "Ann", "employment_status": "ACTIVE",
                     "work_location": {"name": "Sydney", "city": "Sydney", "state": " NSW ",
                                       "country": "AU", "location_type": "WORK"}},
                    {"id": "e2", "first_name": "Bob", "employment_status": "ACTIVE",
                     "work_location": {"name": "Remote", "city": "", "state": null,
                                       "country": "US"}},
                    {"id": "e3", "first_name": "Cy", "employment_status": "ACTIVE",
                     "work_location": "loc-3"}
                ]
            }),
        ));

        let since = Some("2025-01-01T00:00:00Z".to_string());
        let placed = MergeHris::fetch_placed(since.clone(), Some("cD0x".into())).unwrap();
        let sent = host.last_request();
        assert_eq!(host.requests().len(), 1, "one read of Merge");
        assert_eq!(sent.query("cursor").as_deref(), Some("cD0x"));
        assert_eq!(
            sent.query("modified_after").as_deref(),
            Some("2025-01-01T00:00:00Z")
        );
        assert_eq!(
            sent.query("expand").as_deref(),
            Some("employments,groups,team,work_location")
        );
        assert_eq!(
            placed.places,
            vec![WorkPlace {
                source_id: "e1".into(),
                region: Some("NSW".into()),
                city: Some("Sydney".into()),
            }]
        );

        let page = MergeHris::fetch(since, Some("cD0x".into())).unwrap();
        assert_eq!(placed.page, page, "the same page as fetch");
        assert_eq!(page.next_cursor.as_deref(), Some("cD0y"));
        assert_eq!(page.employees.len(), 3);
    }

    #[test]
    fn an_incremental_read_asks_for_changes_and_deletions() {
        let host = host();
        host.on_prefix(Method::Get, EMPLOYEES)
            .reply(Reply::json(200, &json!({"next": "", "results": []})));
        let page = MergeHris::fetch(Some("2025-01-01T00:00:00Z".into()), None).unwrap();
        assert_eq!(page.next_cursor, None, "an empty `next` is the last page");
        let sent = host.last_request();
        assert_eq!(
            sent.query("modified_after").as_deref(),
            Some("2025-01-01T00:00:00Z")
        );
        assert_eq!(sent.query("include_deleted_data").as_deref(), Some("true"));
    }

    #[test]
    fn the_eu_origin_from_the_settings_is_used_and_allowed() {
        let host = host();
        host.set_config("base_url", Some("https://api-eu.merge.dev"));
        host.on_prefix(
            Method::Get,
            "https://api-eu.merge.dev/api/hris/v1/employees",
        )
        .reply(Reply::json(200, &json!({"next": null, "results": []})));
        MergeHris::test_connection().unwrap();
        assert_eq!(host.last_request().query("page_size").as_deref(), Some("1"));
    }

    #[test]
    fn a_refused_key_is_unauthorized() {
        let host = host();
        host.on_prefix(Method::Get, EMPLOYEES).reply(Reply::json(
            401,
            &json!({"detail": "Invalid token merge-key."}),
        ));
        let e = MergeHris::fetch(None, None).unwrap_err();
        assert_eq!(
            e,
            Error::Unauthorized("HTTP 401: Invalid token [redacted].".into())
        );
    }

    #[test]
    fn a_429_is_rate_limited_for_the_seconds_merge_asks() {
        let host = host();
        host.on_prefix(Method::Get, EMPLOYEES)
            .reply(Reply::status(429).header("Retry-After", "42"));
        assert_eq!(MergeHris::fetch(None, None), Err(Error::RateLimited(42)));
    }

    #[test]
    fn missing_secrets_are_unauthorized_before_any_request() {
        let host = FakeHost::new()
            .with_manifest(include_str!("../manifest.toml"))
            .secret("api_key", "merge-key");
        let e = MergeHris::test_connection().unwrap_err();
        assert!(
            matches!(&e, Error::Unauthorized(m) if m.contains("account_token")),
            "{e:?}"
        );
        assert!(host.requests().is_empty());
    }

    #[test]
    fn a_home_address_is_read_on_request_and_an_incomplete_one_is_none() {
        let host = host();
        let answer = |id: &str, body: serde_json::Value| {
            host.on_prefix(Method::Get, &format!("{EMPLOYEES}/{id}"))
                .reply(Reply::json(200, &body));
        };
        answer(
            "e-1",
            json!({"id": "e-1", "first_name": "Ann", "last_name": "Lee",
                   "home_location": {"street_1": "12 Elm St", "street_2": " ", "city": "Springfield",
                                     "state": "IL", "zip_code": "62704", "country": "us"}}),
        );
        answer(
            "e-2",
            json!({"id": "e-2", "home_location": {"city": "Springfield"}}),
        );
        answer("e-3", json!({"id": "e-3", "home_location": "loc-9"}));

        let a = MergeHris::home_address("e-1".into()).unwrap().unwrap();
        assert_eq!(
            host.last_request().query("expand").as_deref(),
            Some("home_location")
        );
        assert_eq!(a.name, "Ann Lee");
        assert_eq!(a.street, vec!["12 Elm St".to_string()]);
        assert_eq!(
            (a.postal_code.as_str(), a.country.as_str()),
            ("62704", "US")
        );
        assert_eq!(a.region.as_deref(), Some("IL"));
        assert_eq!(MergeHris::home_address("e-2".into()).unwrap(), None);
        assert_eq!(MergeHris::home_address("e-3".into()).unwrap(), None);
        assert!(matches!(
            MergeHris::home_address("../admin".into()),
            Err(Error::InvalidInput(_))
        ));
    }
}
