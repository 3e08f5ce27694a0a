//! Installing plugins (Settings → Integrations → Install a plugin): the installed
//! plugins with Upgrade and Remove, an upload form, and the approval screen that says
//! what an uploaded plugin would be allowed to do before anything runs.

use leptos::prelude::*;

use super::tabs;
use crate::pages::form_error;
use crate::{Chrome, Nav, document};

/// An installed (not bundled) plugin.
#[derive(Debug, Clone)]
pub struct InstalledPlugin {
    pub id: String,
    pub name: String,
    pub version: String,
    pub world: String,
    /// The trusted publisher that signed it; `None` when unsigned.
    pub publisher: Option<String>,
}

/// A staged plugin waiting for approval.
#[derive(Debug, Clone)]
pub struct Approval {
    pub token: String,
    pub id: String,
    pub name: String,
    pub version: String,
    pub world: String,
    pub description: Option<String>,
    pub publisher: Option<String>,
    pub allowed_hosts: Vec<String>,
    /// Keys of its secret settings (and signing keys).
    pub secrets: Vec<String>,
    /// Keys of its other settings.
    pub settings: Vec<String>,
    /// The version replaced and its hosts, for an upgrade.
    pub replaces: Option<(String, Vec<String>)>,
    pub expires_in_minutes: u64,
}

/// The installed plugins and the upload form.
pub fn page(chrome: &Chrome, installed: Vec<InstalledPlugin>, error: Option<String>) -> String {
    let rows = installed
        .into_iter()
        .map(|p| {
            let signed = match &p.publisher {
                Some(who) => view! { <span class="badge done">{format!("signed by {who}")}</span> }.into_any(),
                None => view! { <span class="badge">"UNSIGNED"</span> }.into_any(),
            };
            let remove = format!("/settings/plugins/{}/remove", p.id);
            let settings = format!("/settings/integrations/{}", p.id);
            view! {
                <tr>
                    <td><a href=settings>{p.name.clone()}</a><div class="muted">{p.id.clone()}</div></td>
                    <td>{p.version.clone()}</td>
                    <td>{p.world.clone()}</td>
                    <td>{signed}</td>
                    <td>
                        <a class="button secondary" href="#upload" aria-label=format!("Upgrade {}", p.name)>"Upgrade"</a>
                        " "
                        <form method="post" action=remove style="display:inline">
                            {chrome.csrf_field()}
                            <button type="submit" class="secondary" aria-label=format!("Remove {}", p.name)>"Remove"</button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    document(
        Some(chrome),
        Nav::Settings,
        "Install a plugin",
        view! {
            {tabs("integrations")}
            <h1>"Plugins"</h1>
            {form_error(error)}
            <h2>"Installed"</h2>
            <table>
                <thead><tr><th>"Plugin"</th><th>"Version"</th><th>"Kind"</th><th>"Signature"</th><th></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="muted">"Bundled plugins come with tenure and are upgraded with it."</p>
            <h2 id="upload">"Install or upgrade a plugin"</h2>
            <form method="post" action="/settings/plugins/install" enctype="multipart/form-data" class="card">
                {chrome.csrf_field()}
                <label for="plugin-wasm">"Component (.wasm)"</label>
                <input id="plugin-wasm" name="wasm" type="file" accept=".wasm" required/>
                <label for="plugin-manifest">"Manifest (.toml)"</label>
                <input id="plugin-manifest" name="manifest" type="file" accept=".toml" required/>
                <p class="muted" style="font-size:.9rem">"Nothing runs yet: the next page shows what the plugin may reach and asks for, and waits for your approval. A plugin with an installed plugin's id upgrades it and keeps its settings."</p>
                <div class="actions"><button type="submit">"Check the plugin"</button></div>
            </form>
        },
    )
}

/// What an uploaded plugin would be allowed to do, with Approve and Cancel.
pub fn approval(chrome: &Chrome, a: Approval) -> String {
    let signed = match &a.publisher {
        Some(who) => {
            view! { <li>"Signed by: " <strong>{who.clone()}</strong> " (trusted)"</li> }.into_any()
        }
        None => {
            view! { <li><strong>"UNSIGNED"</strong> ": nobody vouches for this component."</li> }
                .into_any()
        }
    };
    let old_hosts = a.replaces.as_ref().map(|r| r.1.clone()).unwrap_or_default();
    let upgrading = a.replaces.is_some();
    let hosts = if a.allowed_hosts.is_empty() {
        view! { <li>"May reach: no host"</li> }.into_any()
    } else {
        a.allowed_hosts
            .iter()
            .map(|h| {
                let new = (upgrading && !old_hosts.contains(h)).then_some(" (new)");
                view! { <li>"May reach: " <code>{h.clone()}</code> <strong>{new}</strong></li> }
            })
            .collect_view()
            .into_any()
    };
    let secrets = (!a.secrets.is_empty())
        .then(|| view! { <li>{format!("Asks for secrets: {}", a.secrets.join(", "))}</li> });
    let settings = (!a.settings.is_empty())
        .then(|| view! { <li>{format!("Settings: {}", a.settings.join(", "))}</li> });
    let replaces = a.replaces.as_ref().map(|(v, _)| {
        view! { <li>{format!("Replaces version {v}; its settings and secrets are kept.")}</li> }
    });
    let approve = format!("/settings/plugins/install/{}/approve", a.token);
    let cancel = format!("/settings/plugins/install/{}/cancel", a.token);
    let title = format!("Install {}?", a.name);
    document(
        Some(chrome),
        Nav::Settings,
        &title,
        view! {
            {tabs("integrations")}
            <h1>{title.clone()}</h1>
            <p class="muted">{a.description.clone().unwrap_or_default()}</p>
            <div class="card">
                <ul>
                    <li>{format!("Plugin: {} {}", a.id, a.version)}</li>
                    <li>{format!("World: {}", a.world)}</li>
                    {signed}
                    {replaces}
                    {hosts}
                    {secrets}
                    {settings}
                </ul>
                <p class="muted" style="font-size:.9rem">{format!("This approval expires in {} minutes.", a.expires_in_minutes)}</p>
            </div>
            <div class="actions">
                <form method="post" action=approve>
                    {chrome.csrf_field()}
                    <button type="submit">"Approve and install"</button>
                </form>
                <form method="post" action=cancel>
                    {chrome.csrf_field()}
                    <button type="submit" class="secondary">"Cancel"</button>
                </form>
            </div>
        },
    )
}
