//! Users: find by userName, create (or find on 409), read, activate, replace, delete.

use crate::client::Scim;
use crate::errors;
use crate::filter;
use crate::model::{ENTERPRISE_USER_SCHEMA, ListResponse, USER_SCHEMA, User};
use serde_json::{Value, json};
use tenure_sdk::http::Method;
use tenure_sdk::{Error, Person};

/// Users asked for when looking one up by a filter.
const LOOKUP_COUNT: &str = "10";

/// The SCIM user for `who`: `userName` = the sign-in name, names, the work email as
/// the primary work address, `externalId` = Tenure's employee id, `title`, and the
/// enterprise extension's department and manager (by email, as `manager.value`
/// must be an id the service knows: only set where the caller resolves it).
pub fn user_body(who: &Person, active: bool) -> Value {
    let mut schemas = vec![json!(USER_SCHEMA)];
    let mut body = json!({
        "userName": who.sign_in(),
        "externalId": who.employee_id,
        "name": {
            "givenName": who.given_name,
            "familyName": who.family_name,
            "formatted": who.display_name,
        },
        "displayName": who.display_name,
        "emails": [{"value": who.work_email, "type": "work", "primary": true}],
        "active": active,
    });
    if let Some(title) = &who.title {
        body["title"] = json!(title);
    }
    if let Some(tz) = &who.time_zone {
        body["timezone"] = json!(tz);
    }
    if let Some(department) = &who.department {
        schemas.push(json!(ENTERPRISE_USER_SCHEMA));
        body[ENTERPRISE_USER_SCHEMA] = json!({"department": department});
    }
    body["schemas"] = json!(schemas);
    body
}

impl Scim {
    /// The users matching a filter (first page, a few at most).
    pub fn users_where(&self, filter: &str) -> Result<Vec<User>, Error> {
        let list: ListResponse<Value> = self
            .send(
                self.request(Method::Get, &self.url("Users", None))
                    .query("filter", filter)
                    .query("startIndex", "1")
                    .query("count", LOOKUP_COUNT),
            )?
            .json()?;
        list.resources.into_iter().map(User::from_value).collect()
    }

    /// The user whose userName is `user_name` (compared case-insensitively, as
    /// RFC 7643 defines userName). A service that ignores the filter is caught by
    /// the comparison.
    pub fn find_user(&self, user_name: &str) -> Result<Option<User>, Error> {
        Ok(self
            .users_where(&filter::eq("userName", user_name))?
            .into_iter()
            .find(|u| u.user_name.eq_ignore_ascii_case(user_name)))
    }

    /// The user with this id; `None` when the service answers 404.
    pub fn get_user(&self, id: &str) -> Result<Option<User>, Error> {
        let resp = self.send_raw(self.request(Method::Get, &self.url("Users", Some(id))))?;
        match resp.status {
            404 | 410 => Ok(None),
            s if (200..300).contains(&s) => User::from_value(resp.json()?).map(Some),
            _ => Err(errors::to_error(&resp)),
        }
    }

    /// Creates the user `body` (its `userName` is `user_name`), or finds it when the
    /// service answers 409 `uniqueness` (a retry, or made meanwhile): returns the
    /// user and whether this call created it. A 409 for a user the filter cannot find
    /// (another attribute is taken) stays a conflict.
    pub fn create_or_find(&self, user_name: &str, body: &Value) -> Result<(User, bool), Error> {
        let resp =
            self.send_raw(self.with_body(Method::Post, &self.url("Users", None), body)?)?;
        if resp.is_success() {
            return Ok((User::from_value(resp.json()?)?, true));
        }
        if resp.status == 409
            && let Some(found) = self.find_user(user_name)?
        {
            return Ok((found, false));
        }
        Err(errors::to_error(&resp))
    }

    /// `PATCH` replace `active`: false disables sign-in, true restores it. Already so
    /// is success; a user that is gone is [`Error::NotFound`].
    pub fn set_active(&self, id: &str, active: bool) -> Result<(), Error> {
        self.patch_user(
            id,
            vec![json!({"op": "replace", "path": "active", "value": active})],
        )
    }

    /// `PATCH /Users/{id}` with these operations.
    pub fn patch_user(&self, id: &str, operations: Vec<Value>) -> Result<(), Error> {
        let resp = self.patch_raw("Users", id, operations)?;
        if resp.is_success() {
            Ok(())
        } else {
            Err(errors::to_error(&resp))
        }
    }

    /// `PUT /Users/{id}`: replaces the whole user with `body`.
    pub fn replace_user(&self, id: &str, body: &Value) -> Result<(), Error> {
        self.send(self.with_body(Method::Put, &self.url("Users", Some(id)), body)?)?;
        Ok(())
    }

    /// `DELETE /Users/{id}`; already gone (404) is success.
    pub fn delete_user(&self, id: &str) -> Result<(), Error> {
        let resp = self.send_raw(self.request(Method::Delete, &self.url("Users", Some(id))))?;
        match resp.status {
            404 | 410 => Ok(()),
            s if (200..300).contains(&s) => Ok(()),
            _ => Err(errors::to_error(&resp)),
        }
    }
}
