//! The frame around every page: the top bar with navigation and the signed-in user,
//! the flash message, and the HTML document itself.

use leptos::prelude::*;

use crate::style::CSS;

static ISLANDS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Called once by the server when it has the browser bundle: pages then load it.
pub fn enable_islands() {
    let _ = ISLANDS.set(true);
}

/// The loader of the islands' bundle (served by the server under /pkg/).
fn scripts() -> &'static str {
    if ISLANDS.get().copied().unwrap_or(false) {
        "<script type=\"module\" src=\"/pkg/boot.js\"></script>"
    } else {
        ""
    }
}

/// Which top-level area a page belongs to (marked in the navigation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Tasks,
    Employees,
    Hardware,
    Settings,
    None,
}

/// A one-line message after a form was handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flash {
    Ok(String),
    Err(String),
}

/// Who is signed in and what the page frame needs to know about them.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    pub user_name: String,
    pub admin: bool,
    /// May see employees (admins and champions).
    pub sees_employees: bool,
    /// May see the hardware pages (admins and hardware champions).
    pub sees_hardware: bool,
    /// The session's CSRF token, for every form the page holds.
    pub csrf: String,
    pub flash: Option<Flash>,
    pub demo: bool,
}

impl Chrome {
    /// The hidden CSRF field every form posts.
    pub fn csrf_field(&self) -> impl IntoView + use<> {
        let token = self.csrf.clone();
        view! { <input type="hidden" name="csrf" value=token/> }
    }
}

fn nav_link(href: &'static str, label: &'static str, here: bool) -> impl IntoView {
    let current = here.then_some("page");
    view! { <a href=href aria-current=current>{label}</a> }
}

fn top_bar(chrome: &Chrome, nav: Nav) -> impl IntoView + use<> {
    let links = view! {
        {nav_link("/tasks", "My tasks", nav == Nav::Tasks)}
        {chrome.sees_employees.then(|| nav_link("/employees", "Employees", nav == Nav::Employees))}
        {chrome.sees_hardware.then(|| nav_link("/hardware", "Hardware", nav == Nav::Hardware))}
        {chrome.admin.then(|| nav_link("/settings", "Settings", nav == Nav::Settings))}
        {(chrome.admin && chrome.demo).then(|| nav_link("/demo/mail", "Mail (demo)", false))}
    };
    let name = chrome.user_name.clone();
    let demo = chrome
        .demo
        .then(|| view! { <span class="badge demo">"demo"</span> });
    view! {
        <header class="top">
            <span class="brand">"Tenure"</span>
            {demo}
            <nav aria-label="Main" style="display:flex;gap:1rem;flex-wrap:wrap">{links}</nav>
            <div class="who">
                <a href="/account" aria-label="My account">{name}</a>
                <form method="post" action="/logout">
                    {chrome.csrf_field()}
                    <button type="submit">"Sign out"</button>
                </form>
            </div>
        </header>
    }
}

fn flash_view(flash: Option<Flash>) -> impl IntoView {
    flash.map(|f| match f {
        Flash::Ok(m) => view! { <div class="flash ok" role="status">{m}</div> }.into_any(),
        Flash::Err(m) => view! { <div class="flash err" role="alert">{m}</div> }.into_any(),
    })
}

/// A whole HTML document: `chrome` is `None` on pages shown before sign-in.
pub fn document(chrome: Option<&Chrome>, nav: Nav, title: &str, body: impl IntoView) -> String {
    let bar = chrome.map(|c| top_bar(c, nav));
    let flash = flash_view(chrome.and_then(|c| c.flash.clone()));
    let html = view! {
        {bar}
        <main>
            {flash}
            {body}
        </main>
    }
    .to_html();
    let title = escape(title);
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Tenure</title><style>{CSS}</style>{scripts}</head><body>{html}</body></html>",
        scripts = scripts()
    )
}

/// Escapes text for HTML outside the view macro (the title).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
