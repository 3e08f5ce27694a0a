//! The pages, one module per area.

pub mod account;
pub mod auth;
pub mod demo_mail;
pub mod employees;
pub mod hardware;
pub mod profile;
pub mod settings;
pub mod task_forms;
pub mod tasks;

use leptos::prelude::*;
use tenure_domain::jiff::Timestamp;

/// A timestamp as people read it: `2026-11-25 14:03 UTC`.
pub fn when(at: Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// An error line under a form, when there is one.
pub fn form_error(error: Option<String>) -> impl IntoView {
    error.map(|e| view! { <div class="flash err" role="alert">{e}</div> })
}

/// A page that says what went wrong and leads back.
pub fn problem(chrome: &crate::Chrome, title: &str, message: &str) -> String {
    let message = message.to_string();
    crate::document(
        Some(chrome),
        crate::Nav::None,
        title,
        view! {
            <h1>{title.to_string()}</h1>
            <p>{message}</p>
            <p><a href="/tasks">"Back to my tasks"</a></p>
        },
    )
}

#[cfg(test)]
mod tests;

/// A section's sub-navigation (Settings, Hardware): `(key, href, label)` per tab, the
/// one whose key is `here` marked current.
pub fn sub_nav(
    label: &'static str,
    tabs: Vec<(&'static str, &'static str, &'static str)>,
    here: &'static str,
) -> impl IntoView + use<> {
    let links = tabs
        .into_iter()
        .map(|(key, href, text)| {
            let current = (key == here).then_some("page");
            view! { <a href=href aria-current=current>{text}</a> }
        })
        .collect_view();
    view! {
        <nav aria-label=label class="card" style="display:flex;flex-wrap:wrap;gap:.4rem 1.1rem;padding:.6rem 1rem">
            {links}
        </nav>
    }
}
