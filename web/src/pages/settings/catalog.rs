//! The catalog an admin keeps: applications (with connector and champions) and what
//! each group grants (departments from HR, and custom groups).

use leptos::prelude::*;
use tenure_domain::{Catalog, ExternalGroup, GroupRef};

use super::tabs;
use crate::pages::form_error;
use crate::pages::task_forms::group_label;
use crate::{Chrome, Nav, document};

/// A user who can be picked as a champion.
#[derive(Debug, Clone)]
pub struct UserChoice {
    pub id: String,
    pub name: String,
}

pub fn applications(
    chrome: &Chrome,
    catalog: &Catalog,
    connectors: Vec<String>,
    users: Vec<UserChoice>,
    error: Option<String>,
) -> String {
    let rows = catalog
        .applications
        .iter()
        .map(|a| {
            let champions = if a.champions.is_empty() {
                "default application champions".to_string()
            } else {
                a.champions.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(", ")
            };
            let delete = format!("/settings/applications/{}/delete", a.id);
            let provisioning = a.connector.is_some().then(|| provisioning_form(chrome, a));
            view! {
                <tr>
                    <td><strong>{a.name.clone()}</strong><br/><span class="muted">{a.id.to_string()}</span></td>
                    <td>{a.connector.as_ref().map_or_else(|| "none (manual tasks)".to_string(), |c| c.to_string())}{provisioning}</td>
                    <td>{champions}</td>
                    <td>
                        <form method="post" action=delete>
                            {chrome.csrf_field()}
                            <button type="submit" class="secondary" aria-label=format!("Remove {}", a.name)>"Remove"</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let connector_options = connectors
        .into_iter()
        .map(|c| view! { <option value=c.clone()>{c.clone()}</option> })
        .collect_view();
    let champion_boxes = users
        .into_iter()
        .map(|u| {
            view! { <label class="inline"><input type="checkbox" name="champion" value=u.id.clone()/>{u.name.clone()}</label> }
        })
        .collect_view();
    document(
        Some(chrome),
        Nav::Settings,
        "Applications",
        view! {
            {tabs("applications")}
            <h1>"Applications"</h1>
            {form_error(error)}
            <div class="table-wrap">
                <table aria-label="Applications">
                    <thead><tr><th>"Application"</th><th>"Connector"</th><th>"Champions"</th><th><span class="sr-only">"Actions"</span></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <h2>"Add an application"</h2>
            <form method="post" action="/settings/applications" class="card">
                {chrome.csrf_field()}
                <div class="grid">
                    <div><label for="app-name">"Name"</label><input id="app-name" name="name" type="text" required/></div>
                    <div><label for="app-id">"Id (lower-case, no spaces)"</label><input id="app-id" name="id" type="text" required pattern="[a-z0-9._-]+"/></div>
                    <div>
                        <label for="app-connector">"Connector"</label>
                        <select id="app-connector" name="connector">
                            <option value="">"None: access by manual task"</option>
                            {connector_options}
                        </select>
                    </div>
                </div>
                <fieldset><legend>"App champions (who grants and revokes by hand)"</legend>{champion_boxes}</fieldset>
                <div class="actions"><button type="submit">"Add application"</button></div>
            </form>
        },
    )
}

/// What the connector does for one app: licences, the first credential, leaver steps.
fn provisioning_form(chrome: &Chrome, a: &tenure_domain::Application) -> impl IntoView + use<> {
    use tenure_domain::FirstCredential;
    let p = &a.provisioning;
    let action = format!("/settings/applications/{}/provisioning", a.id);
    let id = |k: &str| format!("{}-{k}", a.id);
    let credential = |value: &'static str, label: &'static str, current: FirstCredential| {
        let checked = p.credential == current;
        view! { <label class="inline"><input type="radio" name="credential" value=value checked=checked/>{label}</label> }
    };
    let licences = p.entitlements.join("\n");
    view! {
        <details>
            <summary>"Provisioning"</summary>
            <form method="post" action=action>
                {chrome.csrf_field()}
                <label for=id("licences")>"Licences or plans for new accounts (ids, one per line; Microsoft 365: licence SKU ids)"</label>
                <textarea id=id("licences") name="licences">{licences}</textarea>
                <fieldset><legend>"First credential"</legend>
                    {credential("none", "None (single sign-on)", FirstCredential::None)}
                    {credential("temporary_password", "Temporary password, emailed on the start date", FirstCredential::TemporaryPassword)}
                    {credential("invitation", "The application invites the person", FirstCredential::Invitation)}
                    <label class="inline"><input type="checkbox" name="credential_to_manager" value="on" checked=p.credential_to_manager/>"Send the password to the manager instead"</label>
                </fieldset>
                <fieldset><legend>"When someone leaves (sessions are always revoked and the account disabled)"</legend>
                    <label class="inline"><input type="checkbox" name="remove_entitlements" value="on" checked=p.remove_entitlements/>"Remove licences"</label>
                    <label class="inline"><input type="checkbox" name="transfer_data_to_manager" value="on" checked=p.transfer_data_to_manager/>"Hand their files to the manager"</label>
                    <label class="inline"><input type="checkbox" name="forward_mail_to_manager" value="on" checked=p.forward_mail_to_manager/>"Forward their mail to the manager"</label>
                </fieldset>
                <div class="actions"><button type="submit">"Save provisioning"</button></div>
            </form>
        </details>
    }
}

/// External groups as the rule form writes them, one per line: `okta:Engineers`,
/// `entra:<id>`, `slack:#eng`, `google:everyone@acme.test`.
pub fn external_line(g: &ExternalGroup) -> String {
    g.line()
}

/// A group as the rule form names it: `department:<name>`, `hr:<name>`, `custom:<id>`.
pub fn group_key(group: &GroupRef) -> String {
    match group {
        GroupRef::Department(n) => format!("department:{n}"),
        GroupRef::Hr(n) => format!("hr:{n}"),
        GroupRef::Custom(id) => format!("custom:{id}"),
    }
}

/// The group picker: which connectors list groups, and the last search.
#[derive(Debug, Clone, Default)]
pub struct Picker {
    /// App connectors that manage groups (installed and set up).
    pub connectors: Vec<String>,
    /// The connector searched, when one was.
    pub chosen: String,
    pub prefix: String,
    /// Lines (`okta:Engineering`) found, or why the connector could not say.
    pub results: Option<Result<Vec<String>, String>>,
}

/// Search a connector's groups; the results fill the "Add a group" fields' suggestions.
fn picker_card(picker: &Picker) -> impl IntoView + use<> {
    let options = picker
        .connectors
        .iter()
        .map(
            |c| view! { <option value=c.clone() selected=*c == picker.chosen>{c.clone()}</option> },
        )
        .collect_view();
    let found = picker.results.clone().map(|r| match r {
        Ok(lines) if lines.is_empty() => view! {
            <p class="muted" role="status">{format!("No group in {} starts with “{}”.", picker.chosen, picker.prefix)}</p>
        }
        .into_any(),
        Ok(lines) => {
            let n = lines.len();
            let items = lines
                .iter()
                .map(|l| view! { <li><code>{l.clone()}</code></li> })
                .collect_view();
            view! {
                <p role="status">{format!("{n} found: pick one in a rule's “Add a group” field, or copy its line.")}</p>
                <ul aria-label="Groups found">{items}</ul>
            }
            .into_any()
        }
        Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
    });
    let datalist = picker
        .results
        .clone()
        .and_then(Result::ok)
        .unwrap_or_default()
        .into_iter()
        .map(|l| view! { <option value=l/> })
        .collect_view();
    view! {
        <form method="get" action="/settings/groups" class="card" aria-label="Find a group">
            <h2 style="margin-top:0">"Find a group or channel"</h2>
            {if picker.connectors.is_empty() {
                view! { <p class="muted">"No connector that manages groups is set up yet (Okta, Microsoft Entra, Slack, SCIM...: Settings → Integrations)."</p> }.into_any()
            } else {
                view! {
                    <div class="grid">
                        <div><label for="pick">"In"</label><select id="pick" name="pick">{options}</select></div>
                        <div><label for="prefix">"Name starts with"</label><input id="prefix" name="prefix" type="text" value=picker.prefix.clone() maxlength="200"/></div>
                    </div>
                    <div class="actions"><button type="submit">"Search groups"</button></div>
                }.into_any()
            }}
            {found}
        </form>
        <datalist id="group-options">{datalist}</datalist>
    }
}

pub fn groups(
    chrome: &Chrome,
    catalog: &Catalog,
    groups: Vec<(GroupRef, usize)>,
    error: Option<String>,
    picker: &Picker,
) -> String {
    let cards = groups
        .into_iter()
        .map(|(group, members)| {
            let rule = catalog.rules.iter().find(|r| r.group == group);
            let granted: Vec<_> = rule.map(|r| r.applications.clone()).unwrap_or_default();
            let externals = rule
                .map(|r| r.external_groups.iter().map(external_line).collect::<Vec<_>>().join("\n"))
                .unwrap_or_default();
            let key = group_key(&group);
            let label = group_label(catalog, &group);
            let boxes = catalog
                .applications
                .iter()
                .map(|a| {
                    view! {
                        <label class="inline">
                            <input type="checkbox" name="app" value=a.id.to_string() checked=granted.contains(&a.id)/>
                            {a.name.clone()}
                        </label>
                    }
                })
                .collect_view();
            let ext_id = format!("ext-{key}");
            view! {
                <form method="post" action="/settings/groups/rule" class="card">
                    {chrome.csrf_field()}
                    <input type="hidden" name="group" value=key/>
                    <h3 style="margin:0">{label.clone()} <span class="muted">{format!(" · {members} people")}</span></h3>
                    <fieldset><legend>{format!("Applications {label} grants")}</legend>{boxes}</fieldset>
                    <label for=ext_id.clone()>"Groups and channels (one per line: okta:Name, entra:Name, slack:#channel, scim:Name; checked with the connector when you save)"</label>
                    <textarea id=ext_id.clone() name="external">{externals}</textarea>
                    <label for=format!("{ext_id}-add")>"Add a group (suggestions from “Find a group or channel”)"</label>
                    <input id=format!("{ext_id}-add") name="add_external" type="text" list="group-options"/>
                    <div class="actions"><button type="submit">"Save rule"</button></div>
                </form>
            }
        })
        .collect_view();
    let new_boxes = catalog
        .applications
        .iter()
        .map(|a| {
            view! { <label class="inline"><input type="checkbox" name="app" value=a.id.to_string()/>{a.name.clone()}</label> }
        })
        .collect_view();
    document(
        Some(chrome),
        Nav::Settings,
        "Groups & rules",
        view! {
            {tabs("groups")}
            <h1>"Groups & rules"</h1>
            <p class="muted">"Departments come from HR; custom groups (Management, Contractors, regional...) match people by department, title or country. Saving a rule re-applies it to everyone: changed grants open Group Change tasks."</p>
            {form_error(error)}
            {picker_card(picker)}
            {cards}
            <h2>"Rule for another department"</h2>
            <p class="muted">"Set up a department before HR has anyone in it (or before the first sync)."</p>
            <form method="post" action="/settings/groups/rule" class="card">
                {chrome.csrf_field()}
                <label for="new-dept">"Department name, as HR spells it"</label>
                <input id="new-dept" name="department" type="text" required/>
                <fieldset><legend>"Applications it grants"</legend>{new_boxes}</fieldset>
                <label for="new-ext">"Groups and channels (one per line)"</label>
                <textarea id="new-ext" name="external"></textarea>
                <label for="new-ext-add">"Add a group (suggestions from “Find a group or channel”)"</label>
                <input id="new-ext-add" name="add_external" type="text" list="group-options"/>
                <div class="actions"><button type="submit">"Save rule"</button></div>
            </form>
            <h2>"New custom group"</h2>
            <form method="post" action="/settings/groups/custom" class="card">
                {chrome.csrf_field()}
                <div class="grid">
                    <div><label for="g-name">"Name"</label><input id="g-name" name="name" type="text" required/></div>
                    <div><label for="g-dept">"Department is (optional)"</label><input id="g-dept" name="department" type="text"/></div>
                    <div><label for="g-title">"Title contains (optional)"</label><input id="g-title" name="title_contains" type="text"/></div>
                    <div><label for="g-country">"Country code (optional)"</label><input id="g-country" name="country" type="text" maxlength="2"/></div>
                </div>
                <div class="actions"><button type="submit">"Create group"</button></div>
            </form>
        },
    )
}
