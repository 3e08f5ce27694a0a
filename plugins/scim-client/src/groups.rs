//! Groups: find by display name, list a page (optionally by prefix), a user's
//! groups, add and remove members.

use crate::client::Scim;
use crate::errors;
use crate::filter;
use crate::model::{Group, ListResponse, Page, User};
use crate::{MAX_PAGES, PAGE_SIZE};
use serde_json::json;
use tenure_sdk::Error;
use tenure_sdk::http::{Method, Response};

impl Scim {
    /// `GET /Groups` with a filter, one page, members left out (they can be many).
    fn groups_raw(&self, filter: Option<&str>, start: u64) -> Result<Response, Error> {
        self.send_raw(
            self.request(Method::Get, &self.url("Groups", None))
                .query_opt("filter", filter)
                .query("startIndex", &start.max(1).to_string())
                .query("count", &PAGE_SIZE.to_string())
                .query("excludedAttributes", "members"),
        )
    }

    fn groups_page(&self, resp: Response, start: u64) -> Result<Page<Group>, Error> {
        if !resp.is_success() {
            return Err(errors::to_error(&resp));
        }
        let list: ListResponse<Group> = resp.json()?;
        list.page(start, Ok)
    }

    /// The group whose displayName is `name`, compared case-insensitively (as RFC
    /// 7643 defines displayName); `None` when there is none.
    pub fn find_group(&self, name: &str) -> Result<Option<Group>, Error> {
        let wanted = name.trim();
        let resp = self.groups_raw(Some(&filter::eq("displayName", wanted)), 1)?;
        let page = self.groups_page(resp, 1)?;
        Ok(page
            .items
            .into_iter()
            .find(|g| g.display_name.trim().eq_ignore_ascii_case(wanted)))
    }

    /// One page of groups from `start` (1-based), those whose displayName starts
    /// with `prefix` (case-insensitively) when given. Where the service refuses the
    /// `sw` filter (400), the page is read unfiltered and filtered here, so a page
    /// may hold fewer groups than asked while more follow.
    pub fn list_groups(&self, prefix: Option<&str>, start: u64) -> Result<Page<Group>, Error> {
        let prefix = prefix.map(str::trim).filter(|p| !p.is_empty());
        let Some(prefix) = prefix else {
            let resp = self.groups_raw(None, start)?;
            return self.groups_page(resp, start);
        };
        let resp = self.groups_raw(Some(&filter::starts_with("displayName", prefix)), start)?;
        let page = if resp.status == 400 {
            let resp = self.groups_raw(None, start)?;
            self.groups_page(resp, start)?
        } else {
            self.groups_page(resp, start)?
        };
        let lower = prefix.to_lowercase();
        Ok(Page {
            items: page
                .items
                .into_iter()
                .filter(|g| g.display_name.to_lowercase().starts_with(&lower))
                .collect(),
            next_start: page.next_start,
        })
    }

    /// One page of the groups `user_id` is a member of: `GET /Groups?filter=
    /// members[value eq "id"]`; where the service refuses that filter (400), the
    /// user's own `groups` attribute (all in one page).
    pub fn groups_of(&self, user_id: &str, start: u64) -> Result<Page<Group>, Error> {
        let resp = self.groups_raw(Some(&filter::has_member(user_id)), start)?;
        if resp.status != 400 {
            return self.groups_page(resp, start);
        }
        let user: Option<User> = self.get_user(user_id)?;
        let Some(user) = user else {
            return Err(Error::NotFound(format!(
                "the SCIM user {user_id} does not exist"
            )));
        };
        let Some(groups) = user.groups else {
            return Err(errors::to_error(&resp));
        };
        Ok(Page {
            items: groups
                .into_iter()
                .map(|g| Group {
                    id: g.value,
                    display_name: g.display.unwrap_or_default(),
                })
                .collect(),
            next_start: None,
        })
    }

    /// Every group `user_id` is in (at most [`MAX_PAGES`] pages).
    pub fn all_groups_of(&self, user_id: &str) -> Result<Vec<Group>, Error> {
        let mut all = Vec::new();
        let mut start = 1;
        for _ in 0..MAX_PAGES {
            let page = self.groups_of(user_id, start)?;
            all.extend(page.items);
            match page.next_start {
                Some(next) => start = next,
                None => return Ok(all),
            }
        }
        Err(Error::Other(format!(
            "gave up after {MAX_PAGES} pages of groups: the SCIM service keeps answering more"
        )))
    }

    /// `PATCH /Groups/{id}` add `members` `[{value: user_id}]`. Already a member is
    /// success (services ignore the duplicate; one answering 409 is taken at its
    /// word that the member is there). A group that is gone: [`Error::NotFound`].
    pub fn add_member(&self, group_id: &str, user_id: &str) -> Result<(), Error> {
        let op = json!({"op": "add", "path": "members", "value": [{"value": user_id}]});
        let resp = self.patch_raw("Groups", group_id, vec![op])?;
        if resp.is_success() || resp.status == 409 {
            Ok(())
        } else {
            Err(errors::to_error(&resp))
        }
    }

    /// `PATCH /Groups/{id}` remove `members[value eq "user_id"]`. Not a member is
    /// success (a service may answer 400 `noTarget` for a filter that matches
    /// nothing). A group that is gone: [`Error::NotFound`].
    pub fn remove_member(&self, group_id: &str, user_id: &str) -> Result<(), Error> {
        let path = format!("members[value eq {}]", filter::quote(user_id));
        let op = json!({"op": "remove", "path": path});
        let resp = self.patch_raw("Groups", group_id, vec![op])?;
        let no_target = resp.status == 400
            && errors::scim_type(&resp).is_some_and(|t| t.eq_ignore_ascii_case("noTarget"));
        if resp.is_success() || no_target {
            Ok(())
        } else {
            Err(errors::to_error(&resp))
        }
    }
}
