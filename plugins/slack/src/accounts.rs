//! Slack accounts through Slack's SCIM API (Business+ and Enterprise Grid), with the
//! shared SCIM client. The SCIM id of a user is the member id the Web API uses.

use scim_client::{Scim, User, filter, user_body};
use serde_json::json;
use tenure_sdk::{Error, Person, settings};

/// Whether the administrator says the plan has SCIM and it should be used.
pub fn enabled() -> bool {
    settings::flag("scim_enabled", false)
}

/// The SCIM API with the admin token; an unset token parks the connector.
pub fn client() -> Result<Scim, Error> {
    let base = settings::required_config("scim_url")?;
    let token = settings::required_secret("scim_token")?;
    Ok(Scim::new(&base, &token))
}

/// The user whose email is `email` (Slack filters on `email`), compared
/// case-insensitively; deactivated users included.
pub fn find_by_email(scim: &Scim, email: &str) -> Result<Option<User>, Error> {
    Ok(scim
        .users_where(&filter::eq("email", email))?
        .into_iter()
        .find(|u| u.answers_to(email)))
}

/// A Slack username from the work email's local part (without a `+tag`): lower case letters, digits,
/// `.`, `-` and `_`, at most 21 characters (Slack's rule for display handles).
pub fn user_name(email: &str) -> String {
    let local = email.split('@').next().unwrap_or(email);
    let local = local.split('+').next().unwrap_or(local);
    let name: String = local
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(21)
        .collect();
    if name.is_empty() {
        "member".into()
    } else {
        name
    }
}

/// Creates the person's Slack account, or finds it (by email) when Slack answers
/// that it exists. Returns the user and whether this call created it.
pub fn create(scim: &Scim, who: &Person) -> Result<(User, bool), Error> {
    let mut body = user_body(who, true);
    let name = user_name(&who.work_email);
    body["userName"] = json!(name);
    match scim.create_or_find(&name, &body) {
        Ok((u, created)) if created || u.answers_to(&who.work_email) => Ok((u, created)),
        Ok(_) | Err(Error::Conflict(_)) => match find_by_email(scim, &who.work_email)? {
            Some(u) => Ok((u, false)),
            None => Err(Error::Conflict(format!(
                "Slack has the username {name} for someone else: create {} by hand",
                who.work_email
            ))),
        },
        Err(e) => Err(e),
    }
}

/// Names and title from HR (`PATCH replace`, Slack keeps the rest).
pub fn update_profile(scim: &Scim, id: &str, who: &Person) -> Result<(), Error> {
    let mut value = json!({
        "name": {"givenName": who.given_name, "familyName": who.family_name},
        "displayName": who.display_name,
    });
    if let Some(title) = &who.title {
        value["title"] = json!(title);
    }
    scim.patch_user(id, vec![json!({"op": "replace", "value": value})])
}
