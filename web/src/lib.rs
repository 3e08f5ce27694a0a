//! Tenure's web UI, rendered by the server with Leptos.
//!
//! For now one page: the appliance's status (version, schema, plugins and the
//! connection of each configured integration). The champion workflows grow here.

use leptos::prelude::*;

/// One plugin as the status page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginRow {
    pub id: String,
    pub name: String,
    pub version: String,
    pub world: String,
    /// `None`: not configured; `Some(Ok)`: connection works; `Some(Err(msg))`: it does not.
    pub connection: Option<Result<(), String>>,
}

/// What the status page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusPage {
    pub version: String,
    pub schema_version: u32,
    pub demo: bool,
    pub plugins: Vec<PluginRow>,
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#1f2933;background:#f5f7fa}\
header{background:#243b53;color:#fff;padding:1rem 1.5rem}header h1{margin:0;font-size:1.4rem}\
main{max-width:60rem;margin:1.5rem auto;padding:0 1rem}\
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:.5rem .75rem;border-bottom:1px solid #d9e2ec}\
.ok{color:#0e7c3a}.err{color:#b42318}.muted{color:#627d98}.badge{background:#f0b429;color:#243b53;border-radius:.25rem;padding:.1rem .4rem;font-size:.8rem}";

#[component]
fn ConnectionCell(connection: Option<Result<(), String>>) -> impl IntoView {
    match connection {
        None => view! { <td class="muted">"not configured"</td> }.into_any(),
        Some(Ok(())) => view! { <td class="ok">"connected"</td> }.into_any(),
        Some(Err(msg)) => view! { <td class="err">{msg}</td> }.into_any(),
    }
}

#[component]
fn Status(page: StatusPage) -> impl IntoView {
    let rows = page
        .plugins
        .into_iter()
        .map(|p| {
            view! {
                <tr>
                    <td><strong>{p.name}</strong><br/><span class="muted">{p.id}</span></td>
                    <td>{p.world}</td>
                    <td>{p.version}</td>
                    <ConnectionCell connection=p.connection/>
                </tr>
            }
        })
        .collect_view();
    view! {
        <header>
            <h1>"Tenure " {page.demo.then(|| view! { <span class="badge">"demo"</span> })}</h1>
        </header>
        <main>
            <p class="muted">
                "Version " {page.version} " · database schema " {page.schema_version}
            </p>
            <h2>"Integrations"</h2>
            <table aria-label="Integrations">
                <thead><tr><th>"Plugin"</th><th>"Kind"</th><th>"Version"</th><th>"Connection"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </main>
    }
}

/// Renders the status page as a complete HTML document.
pub fn render_status(page: StatusPage) -> String {
    let body = view! { <Status page=page/> }.to_html();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Tenure</title><style>{STYLE}</style></head><body>{body}</body></html>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_plugins_and_their_connection() {
        let html = render_status(StatusPage {
            version: "0.1.0".into(),
            schema_version: 1,
            demo: true,
            plugins: vec![
                PluginRow {
                    id: "merge-hris".into(),
                    name: "Merge HRIS".into(),
                    version: "0.1.0".into(),
                    world: "hr-source".into(),
                    connection: Some(Err("unauthorized <b>".into())),
                },
                PluginRow {
                    id: "okta".into(),
                    name: "Okta".into(),
                    version: "0.1.0".into(),
                    world: "app-connector".into(),
                    connection: None,
                },
            ],
        });
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("Merge HRIS"));
        assert!(html.contains("not configured"));
        assert!(html.contains("demo"));
        // Text is escaped.
        assert!(html.contains("unauthorized &lt;b&gt;"), "{html}");
    }
}
