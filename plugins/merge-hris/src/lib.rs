//! Merge HRIS (`/api/hris/v1`) as a Tenure HR source.
//!
//! Reads `GET /employees` with `page_size=100`, cursor paging, `modified_after` for
//! incremental reads and `expand` for the related objects it maps. Every request
//! carries `Authorization: Bearer <api key>` and `X-Account-Token`.

mod model;

use model::{Employee, Paginated};
use tenure_sdk::{Error, HrPage, HrSource, http, settings};

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
        Ok(HrPage {
            employees: page.results.into_iter().map(Employee::into_hr).collect(),
            next_cursor: page.next.filter(|c| !c.is_empty()),
        })
    }
}

tenure_sdk::export_hr_source!(MergeHris);
