//! The appliance's status: version, schema, plugins and the connection of each
//! configured integration (Settings → Status).

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
        <h1>"Status " {page.demo.then(|| view! { <span class="badge demo">"demo"</span> })}</h1>
        <div>
            <p class="muted">
                "Version " {page.version} " · database schema " {page.schema_version}
            </p>
            <h2>"Integrations"</h2>
            <table aria-label="Integrations">
                <thead><tr><th>"Plugin"</th><th>"Kind"</th><th>"Version"</th><th>"Connection"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Renders the status page inside the settings frame.
pub fn render_status(chrome: &crate::Chrome, page: StatusPage) -> String {
    crate::document(
        Some(chrome),
        crate::Nav::Settings,
        "Status",
        view! { {crate::pages::settings::tabs("status")} <Status page=page/> },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_plugins_and_their_connection() {
        let chrome = crate::Chrome {
            user_name: "Ada".into(),
            admin: true,
            ..crate::Chrome::default()
        };
        let html = render_status(
            &chrome,
            StatusPage {
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
            },
        );
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("Merge HRIS"));
        assert!(html.contains("not configured"));
        assert!(html.contains("demo"));
        // Text is escaped.
        assert!(html.contains("unauthorized &lt;b&gt;"), "{html}");
    }
}
