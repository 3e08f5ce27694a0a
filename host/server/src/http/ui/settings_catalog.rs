//! Settings → Applications and Groups & rules: edits of the catalog, validated as the
//! API validates them, then re-applied to everyone (changed grants open Group Change).

use super::{Form, Signed, forbidden, page, redirect_with, server_error};
use crate::app::AppState;
use crate::lifecycle::ActError;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use std::collections::BTreeMap;
use tenure_domain::{
    AppId, Application, Catalog, Champion, CustomGroup, ExternalGroup, FirstCredential, GroupId,
    GroupMatch, GroupRef, PluginId, Provisioning, Rule, UserId,
};
use tenure_runtime::World;
use tenure_web::Flash;
use tenure_web::pages::settings::catalog::{self, UserChoice};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/settings/applications", get(apps_page).post(add_app))
        .route("/settings/applications/{id}/delete", post(delete_app))
        .route(
            "/settings/applications/{id}/provisioning",
            post(save_provisioning),
        )
        .route("/settings/groups", get(groups_page))
        .route("/settings/groups/rule", post(save_rule))
        .route("/settings/groups/custom", post(add_group))
}

/// Applies `edit` to the catalog and saves it; back to `to` with what happened.
async fn edit(
    form: &Form,
    state: &AppState,
    to: &str,
    done: &str,
    edit: impl FnOnce(&mut Catalog) -> Result<(), String>,
) -> Response {
    let signed = &form.signed;
    if !signed.user.admin {
        return forbidden(signed, "changing the catalog");
    }
    let before = state.engine.read(|k| k.catalog.clone()).await;
    let mut next = before.clone();
    if let Err(e) = edit(&mut next) {
        return redirect_with(to, Flash::Err(e));
    }
    if let Err(e) = crate::group_check::resolve(state, &before, &mut next).await {
        return redirect_with(to, Flash::Err(e));
    }
    if let Err(e) = crate::http::api::catalog::validate(&next) {
        return redirect_with(to, Flash::Err(e.to_string()));
    }
    match state.engine.set_catalog(next, signed.user.user_id()).await {
        Ok(plan) => {
            let changes = plan.tasks().count();
            let text = if changes == 0 {
                done.to_string()
            } else {
                format!("{done} {changes} tasks opened for changed access.")
            };
            redirect_with(to, Flash::Ok(text))
        }
        Err(ActError::Refused(e)) => redirect_with(to, Flash::Err(e)),
        Err(e) => server_error(signed, e),
    }
}

fn user_choices(state: &AppState) -> Vec<UserChoice> {
    state
        .store
        .users()
        .unwrap_or_default()
        .into_iter()
        .filter(|u| !u.disabled)
        .map(|u| UserChoice {
            id: u.id,
            name: u.name,
        })
        .collect()
}

async fn apps_page(signed: Signed, State(state): State<AppState>) -> Response {
    if !signed.user.admin {
        return forbidden(&signed, "changing the catalog");
    }
    let catalog = state.engine.read(|k| k.catalog.clone()).await;
    let connectors = state
        .plugins
        .loaded()
        .iter()
        .filter(|p| p.manifest().world == World::AppConnector)
        .map(|p| p.id().to_string())
        .collect();
    let html = catalog::applications(
        &signed.chrome(),
        &catalog,
        connectors,
        user_choices(&state),
        None,
    );
    page(&signed, html)
}

/// Champion entries for these user ids, from their accounts.
pub fn champions_of(state: &AppState, ids: &[String]) -> Result<Vec<Champion>, String> {
    ids.iter()
        .map(|id| {
            let user = state
                .store
                .user(id)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("there is no user `{id}`"))?;
            Ok(Champion {
                user: UserId(user.id),
                name: user.name,
                email: user.email,
            })
        })
        .collect()
}

async fn add_app(State(state): State<AppState>, form: Form) -> Response {
    // Before any lookup: what follows would tell a non-admin which users exist.
    if !form.signed.user.admin {
        return forbidden(&form.signed, "changing the catalog");
    }
    let id = form.get("id").to_lowercase();
    let name = form.get("name");
    let connector = form.opt("connector");
    if let Some(c) = &connector
        && !state
            .plugins
            .loaded()
            .iter()
            .any(|p| p.id() == c && p.manifest().world == World::AppConnector)
    {
        return redirect_with(
            "/settings/applications",
            Flash::Err(format!("`{c}` is not an installed connector")),
        );
    }
    let champions = match champions_of(&state, &form.all("champion")) {
        Ok(c) => c,
        Err(e) => return redirect_with("/settings/applications", Flash::Err(e)),
    };
    let done = format!("{name} added.");
    edit(&form, &state, "/settings/applications", &done, |c| {
        if c.applications.iter().any(|a| a.id.0 == id) {
            return Err(format!("an application with id `{id}` exists already"));
        }
        c.applications.push(Application {
            id: AppId(id.clone()),
            name: name.clone(),
            connector: connector.map(PluginId),
            champions,
            provisioning: Default::default(),
        });
        Ok(())
    })
    .await
}

/// Licences, first credential and leaver steps of one app with a connector.
async fn save_provisioning(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    if !form.signed.user.admin {
        return forbidden(&form.signed, "changing the catalog");
    }
    let credential = match form.opt("credential").as_deref() {
        None | Some("none") => FirstCredential::None,
        Some("temporary_password") => FirstCredential::TemporaryPassword,
        Some("invitation") => FirstCredential::Invitation,
        Some(other) => {
            return redirect_with(
                "/settings/applications",
                Flash::Err(format!("`{other}` is not a kind of first credential")),
            );
        }
    };
    let licences: Vec<String> = form
        .get("licences")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .take(50)
        .collect();
    let provisioning = Provisioning {
        entitlements: licences,
        credential,
        credential_to_manager: form.opt("credential_to_manager").is_some(),
        remove_entitlements: form.opt("remove_entitlements").is_some(),
        transfer_data_to_manager: form.opt("transfer_data_to_manager").is_some(),
        forward_mail_to_manager: form.opt("forward_mail_to_manager").is_some(),
    };
    let app = AppId(id);
    edit(
        &form,
        &state,
        "/settings/applications",
        "Provisioning saved.",
        |c| {
            let a = c
                .applications
                .iter_mut()
                .find(|a| a.id == app)
                .ok_or_else(|| format!("there is no application `{app}`"))?;
            a.provisioning = provisioning;
            Ok(())
        },
    )
    .await
}

async fn delete_app(State(state): State<AppState>, Path(id): Path<String>, form: Form) -> Response {
    let app = AppId(id);
    edit(
        &form,
        &state,
        "/settings/applications",
        "Application removed.",
        |c| {
            c.applications.retain(|a| a.id != app);
            for rule in &mut c.rules {
                rule.applications.retain(|a| *a != app);
            }
            Ok(())
        },
    )
    .await
}

/// Employed people per group (departments from HR, and custom groups).
async fn group_counts(state: &AppState) -> Vec<(GroupRef, usize)> {
    state
        .engine
        .read(|k| {
            let mut counts: BTreeMap<GroupRef, usize> = BTreeMap::new();
            for e in k.employees.values().filter(|e| e.is_employed()) {
                if let Some(d) = &e.profile.department {
                    *counts.entry(GroupRef::Department(d.clone())).or_default() += 1;
                }
                for g in e
                    .access
                    .groups
                    .iter()
                    .filter(|g| matches!(g, GroupRef::Custom(_)))
                {
                    *counts.entry(g.clone()).or_default() += 1;
                }
            }
            for g in &k.catalog.custom_groups {
                counts.entry(GroupRef::Custom(g.id.clone())).or_default();
            }
            for r in &k.catalog.rules {
                counts.entry(r.group.clone()).or_default();
            }
            counts.into_iter().collect()
        })
        .await
}

/// `?pick=<connector>&prefix=<text>`: the group picker's search.
#[derive(Debug, Default, serde::Deserialize)]
struct PickQuery {
    #[serde(default)]
    pick: String,
    #[serde(default)]
    prefix: String,
}

async fn groups_page(
    signed: Signed,
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<PickQuery>,
) -> Response {
    if !signed.user.admin {
        return forbidden(&signed, "changing the catalog");
    }
    let catalog = state.engine.read(|k| k.catalog.clone()).await;
    let groups = group_counts(&state).await;
    let prefix: String = q.prefix.chars().take(200).collect();
    let results = if q.pick.is_empty() {
        None
    } else {
        Some(
            crate::group_check::pick(&state, &q.pick, &prefix)
                .await
                .map(|found| {
                    found
                        .into_iter()
                        .map(|g| format!("{}:{}", q.pick, g.name))
                        .collect()
                }),
        )
    };
    let picker = catalog::Picker {
        connectors: crate::group_check::group_connectors(&state).await,
        chosen: q.pick,
        prefix,
        results,
    };
    page(
        &signed,
        catalog::groups(&signed.chrome(), &catalog, groups, None, &picker),
    )
}

fn parse_group(key: &str) -> Result<GroupRef, String> {
    match key.split_once(':') {
        Some(("department", n)) if !n.is_empty() => Ok(GroupRef::Department(n.into())),
        Some(("hr", n)) if !n.is_empty() => Ok(GroupRef::Hr(n.into())),
        Some(("custom", id)) if !id.is_empty() => Ok(GroupRef::Custom(GroupId(id.into()))),
        _ => Err(format!("`{key}` is not a group")),
    }
}

/// `okta:Engineers`, `entra:Sales`, `slack:#eng`, `scim:Staff`: a connector's id and a
/// group's name. The id is the connector's, found when the rule is saved.
pub fn parse_external(line: &str) -> Result<ExternalGroup, String> {
    let (connector, name) = line.split_once(':').ok_or_else(|| {
        format!("`{line}`: write connector:name, like okta:Engineers or slack:#eng")
    })?;
    let connector = connector.trim().to_lowercase();
    let connector = if connector == "google" {
        "google-workspace".to_string()
    } else {
        connector
    };
    if connector.is_empty()
        || !connector
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!("`{line}`: `{connector}` is not a connector id"));
    }
    let name = name.trim().trim_start_matches('#').trim();
    if name.is_empty() {
        return Err(format!("`{line}` has no name"));
    }
    Ok(ExternalGroup {
        connector: PluginId(connector),
        id: String::new(),
        name: name.to_string(),
    })
}

async fn save_rule(State(state): State<AppState>, form: Form) -> Response {
    if !form.signed.user.admin {
        return forbidden(&form.signed, "changing the catalog");
    }
    let to = "/settings/groups";
    let key = match form.opt("group") {
        Some(key) => key,
        None => format!("department:{}", form.get("department")),
    };
    let group = match parse_group(&key) {
        Ok(g) => g,
        Err(e) => return redirect_with(to, Flash::Err(e)),
    };
    let mut lines = form.get("external");
    for picked in form.all("add_external") {
        lines.push('\n');
        lines.push_str(&picked);
    }
    let externals: Result<Vec<ExternalGroup>, String> = lines
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(parse_external)
        .collect();
    let externals = match externals {
        Ok(e) => e,
        Err(e) => return redirect_with(to, Flash::Err(e)),
    };
    let apps: Vec<AppId> = form.all("app").into_iter().map(AppId).collect();
    edit(&form, &state, to, "Rule saved.", |c| {
        c.rules.retain(|r| r.group != group);
        if !apps.is_empty() || !externals.is_empty() {
            c.rules.push(Rule {
                group,
                applications: apps,
                external_groups: externals,
            });
        }
        Ok(())
    })
    .await
}

/// A custom group's id from its name: `Sales Managers (EU)` → `sales-managers-eu`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

async fn add_group(State(state): State<AppState>, form: Form) -> Response {
    if !form.signed.user.admin {
        return forbidden(&form.signed, "changing the catalog");
    }
    let name = form.get("name");
    let id = slug(&name);
    let matches = GroupMatch {
        department: form.opt("department"),
        title_contains: form.opt("title_contains"),
        country: form.opt("country").map(|c| c.to_uppercase()),
    };
    let done = format!("Group {name} created.");
    edit(&form, &state, "/settings/groups", &done, |c| {
        if id.is_empty() {
            return Err("give the group a name".into());
        }
        if c.custom_groups.iter().any(|g| g.id.0 == id) {
            return Err(format!("a group `{id}` exists already"));
        }
        c.custom_groups.push(CustomGroup {
            id: GroupId(id.clone()),
            name: name.clone(),
            members: Vec::new(),
            matches: Some(matches),
        });
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_groups_parse_with_clear_errors() {
        let g = parse_external("slack:#eng").unwrap();
        assert_eq!((g.connector.as_str(), g.name.as_str()), ("slack", "eng"));
        let g = parse_external("google:all@acme.test").unwrap();
        assert_eq!(g.connector.as_str(), "google-workspace");
        assert!(parse_external("a b:x").is_err());
        assert!(parse_external("slack:#").is_err());
        assert_eq!(
            parse_external(" Okta : Engineers ").unwrap().name,
            "Engineers"
        );
        assert_eq!(parse_external("jira:x").unwrap().connector.as_str(), "jira");
        assert!(
            parse_external("eng")
                .unwrap_err()
                .contains("connector:name")
        );
        assert_eq!(slug("Sales Managers (EU)"), "sales-managers-eu");
        assert_eq!(
            parse_group("department:Sales").unwrap(),
            GroupRef::Department("Sales".into())
        );
        assert!(parse_group("team").is_err());
    }
}
