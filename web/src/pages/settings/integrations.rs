//! Integrations: each plugin's settings as a form generated from its manifest (secrets
//! write-only), the connection test, and HR sync with its progress and runs.

use leptos::prelude::*;

use super::tabs;
use crate::pages::form_error;
use crate::{Chrome, Nav, document};

/// One setting as the form shows it.
#[derive(Debug, Clone)]
pub struct SettingField {
    pub key: String,
    pub label: String,
    /// `text`, `url`, `secret` or `signing-key` (a private key: multi-line, write-only
    /// like a secret).
    pub kind: &'static str,
    pub required: bool,
    pub help: Option<String>,
    /// The current value; always empty for secrets and signing keys.
    pub value: String,
    /// Whether a value is stored (all a secret or signing key ever shows).
    pub is_set: bool,
}

/// One plugin.
#[derive(Debug, Clone)]
pub struct Integration {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// `hr-source`, `app-connector`, ...
    pub world: String,
    pub configured: bool,
    pub allowed_hosts: Vec<String>,
    pub fields: Vec<SettingField>,
}

/// The integrations overview; on first start it leads with choosing the HR source.
pub fn overview(
    chrome: &Chrome,
    plugins: Vec<Integration>,
    first_run: bool,
    parked: &[tenure_domain::ParkedConnector],
) -> String {
    let (hr, other): (Vec<_>, Vec<_>) = plugins.into_iter().partition(|p| p.world == "hr-source");
    let card = |p: Integration| {
        let href = format!("/settings/integrations/{}", p.id);
        let state = if p.configured {
            view! { <span class="badge done">"configured"</span> }.into_any()
        } else {
            view! { <span class="badge">"not configured"</span> }.into_any()
        };
        view! {
            <div class="card">
                <h3 style="margin:0 0 .25rem">{p.name.clone()} " " {state}</h3>
                <p class="muted">{p.description.clone().unwrap_or_default()}</p>
                <a class="button secondary" href=href aria-label=format!("Set up {}", p.name)>"Set up"</a>
            </div>
        }
    };
    let hr_cards = hr.into_iter().map(card).collect_view();
    let other_cards = other.into_iter().map(card).collect_view();
    let intro = first_run.then(|| {
        view! {
            <div class="card">
                <h2 style="margin-top:0">"Connect your HR system"</h2>
                <p>"Choose where employees come from: TriNet HR Plus directly (Company ID, Client ID, Client Secret), or Merge's unified HRIS API (API key and account token). Test the connection, then start the first sync."</p>
            </div>
        }
    });
    document(
        Some(chrome),
        Nav::Settings,
        "Integrations",
        view! {
            {tabs("integrations")}
            <h1>"Integrations"</h1>
            {super::jobs::parked_banner(parked)}
            {intro}
            <h2>"HR source"</h2>
            <div class="grid">{hr_cards}</div>
            <h2>"Connectors"</h2>
            <div class="grid">{other_cards}</div>
            <p><a class="button secondary" href="/settings/plugins">"Install a plugin"</a></p>
        },
    )
}

/// What the last test of a connection said.
#[derive(Debug, Clone)]
pub enum TestOutcome {
    Passed,
    Failed(String),
}

/// One plugin's settings form.
pub fn form(
    chrome: &Chrome,
    p: Integration,
    test: Option<TestOutcome>,
    error: Option<String>,
) -> String {
    let fields = p
        .fields
        .iter()
        .map(|f| {
            let id = format!("setting-{}", f.key);
            let name = format!("setting.{}", f.key);
            let label = if f.required {
                f.label.clone()
            } else {
                format!("{} (optional)", f.label)
            };
            let input = if f.kind == "secret" {
                let placeholder = if f.is_set {
                    "stored — leave blank to keep"
                } else {
                    "not set"
                };
                view! { <input id=id.clone() name=name type="password" autocomplete="off" placeholder=placeholder/> }.into_any()
            } else if f.kind == "signing-key" {
                // A PEM or a service-account JSON file is several lines. Write-only: the
                // stored key is never put back into the page.
                let placeholder = if f.is_set {
                    "stored — leave blank to keep; paste a new key to replace it"
                } else {
                    "not set — paste the PEM private key or the service-account JSON file"
                };
                view! { <textarea id=id.clone() name=name rows="8" autocomplete="off" spellcheck="false" placeholder=placeholder></textarea> }.into_any()
            } else {
                let kind = if f.kind == "url" { "url" } else { "text" };
                view! { <input id=id.clone() name=name type=kind value=f.value.clone()/> }.into_any()
            };
            let help = f.help.clone().map(|h| view! { <div class="muted" style="font-size:.9rem">{h}</div> });
            view! { <label for=id>{label}</label>{input}{help} }
        })
        .collect_view();
    let test_view = test.map(|t| match t {
        TestOutcome::Passed => {
            view! { <div class="flash ok" role="status">"Connection works."</div> }.into_any()
        }
        TestOutcome::Failed(e) => {
            view! { <div class="flash err" role="alert">"Connection failed: " {e}</div> }.into_any()
        }
    });
    let save = format!("/settings/integrations/{}", p.id);
    let test_action = format!("/settings/integrations/{}/test", p.id);
    let is_hr = p.world == "hr-source";
    let sync = (is_hr && p.configured).then(|| {
        view! {
            <form method="post" action="/settings/sync">
                {chrome.csrf_field()}
                <button type="submit">"Start sync"</button>
            </form>
        }
    });
    let hosts = p.allowed_hosts.join(", ");
    document(
        Some(chrome),
        Nav::Settings,
        &p.name,
        view! {
            {tabs("integrations")}
            <h1>{p.name.clone()}</h1>
            <p class="muted">{p.description.clone().unwrap_or_default()}</p>
            {form_error(error)}
            {test_view}
            <form method="post" action=save class="card">
                {chrome.csrf_field()}
                {fields}
                <p class="muted" style="font-size:.9rem">{format!("This plugin may reach only: {hosts}")}</p>
                <div class="actions"><button type="submit">"Save"</button></div>
            </form>
            <div class="actions">
                <form method="post" action=test_action>
                    {chrome.csrf_field()}
                    <button type="submit" class="secondary">"Test connection"</button>
                </form>
                {sync}
            </div>
        },
    )
}

/// One sync run, as the sync page lists it.
#[derive(Debug, Clone)]
pub struct RunRow {
    pub source: String,
    pub mode: String,
    pub started: String,
    pub finished: Option<String>,
    pub pages: u64,
    pub records: u64,
    pub created: u64,
    pub changed: u64,
    pub quarantined: u64,
    pub tasks_opened: u64,
    pub error: Option<String>,
}

/// The sync page: what runs now (the page refreshes itself while it does), then the
/// recent runs.
pub fn sync_page(
    chrome: &Chrome,
    running: Vec<RunRow>,
    runs: Vec<RunRow>,
    sources: Vec<String>,
) -> String {
    let busy = !running.is_empty();
    let live = running
        .into_iter()
        .map(|r| {
            view! {
                <div class="card" aria-live="polite">
                    <h2 style="margin-top:0">{format!("Syncing {} ({})", r.source, r.mode)}</h2>
                    <progress aria-label="Sync progress"></progress>
                    <p>{format!("{} records in {} pages so far: {} new, {} changed, {} quarantined, {} tasks opened", r.records, r.pages, r.created, r.changed, r.quarantined, r.tasks_opened)}</p>
                </div>
            }
        })
        .collect_view();
    let rows = runs
        .into_iter()
        .map(|r| {
            let result = match (&r.error, &r.finished) {
                (Some(e), _) => view! { <span class="err">{e.clone()}</span> }.into_any(),
                (None, None) => view! { <span class="muted">"running"</span> }.into_any(),
                (None, Some(_)) => view! { <span class="ok">"ok"</span> }.into_any(),
            };
            view! {
                <tr>
                    <td>{r.source.clone()}</td>
                    <td>{r.mode.clone()}</td>
                    <td>{r.started.clone()}</td>
                    <td>{r.records}</td>
                    <td>{r.created}</td>
                    <td>{r.changed}</td>
                    <td>{r.quarantined}</td>
                    <td>{r.tasks_opened}</td>
                    <td>{result}</td>
                </tr>
            }
        })
        .collect_view();
    let none = sources.is_empty().then(|| {
        view! { <p class="muted">"No HR source is configured yet: " <a href="/settings">"set one up"</a> "."</p> }
    });
    let body = view! {
        {tabs("sync")}
        <h1>"Sync"</h1>
        {none}
        {live}
        <form method="post" action="/settings/sync" class="actions">
            {chrome.csrf_field()}
            <button type="submit" disabled=busy || sources.is_empty()>"Sync now"</button>
            <span class="muted">{format!("Sources: {}", sources.join(", "))}</span>
        </form>
        <h2>"Recent runs"</h2>
        <div class="table-wrap">
            <table aria-label="Sync runs">
                <thead><tr><th>"Source"</th><th>"Mode"</th><th>"Started"</th><th>"Records"</th><th>"New"</th><th>"Changed"</th><th>"Quarantined"</th><th>"Tasks"</th><th>"Result"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    };
    let html = document(Some(chrome), Nav::Settings, "Sync", body);
    if busy {
        // Poll while a sync runs: works without JavaScript.
        html.replacen(
            "<head>",
            "<head><meta http-equiv=\"refresh\" content=\"2\">",
            1,
        )
    } else {
        html
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str, kind: &'static str, value: &str) -> SettingField {
        SettingField {
            key: key.into(),
            label: key.into(),
            kind,
            required: true,
            help: None,
            value: value.into(),
            is_set: true,
        }
    }

    #[test]
    fn a_signing_key_is_a_blank_write_only_text_area() {
        let chrome = Chrome {
            user_name: "Ada".into(),
            admin: true,
            csrf: "tok".into(),
            ..Chrome::default()
        };
        let p = Integration {
            id: "google".into(),
            name: "Google Workspace".into(),
            description: None,
            world: "app-connector".into(),
            configured: true,
            allowed_hosts: vec![],
            fields: vec![
                field("service_account", "signing-key", ""),
                field("domain", "text", "acme.test"),
            ],
        };
        let html = form(&chrome, p, None, None);
        let area = html
            .split("<textarea")
            .nth(1)
            .and_then(|rest| rest.split("</textarea>").next())
            .expect("a text area");
        assert!(area.contains(r#"name="setting.service_account""#), "{area}");
        assert!(
            area.ends_with('>'),
            "empty: the stored key is never shown: {area}"
        );
        assert!(area.contains("leave blank to keep"), "{area}");
        assert!(html.contains(r#"value="acme.test""#));
    }
}
