//! The demo's mail view: what Tenure would have emailed, kept instead of sent.

use leptos::prelude::*;

use crate::{Chrome, Nav, document};

/// One kept message.
#[derive(Debug, Clone)]
pub struct MailRow {
    pub at: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    /// Attached images as `data:` URIs (the drop-off QR code), shown under the text.
    pub images: Vec<String>,
    /// Names of the other attachments.
    pub files: Vec<String>,
}

pub fn mail(chrome: &Chrome, mails: Vec<MailRow>) -> String {
    let count = mails.len();
    let items = mails
        .into_iter()
        .map(|m| {
            view! {
                <details class="card">
                    <summary><strong>{m.subject}</strong>" — to "{m.to}<span class="muted">{format!(" · {}", m.at)}</span></summary>
                    <pre style="white-space:pre-wrap">{m.text}</pre>
                    {m.images.into_iter().map(|src| view! { <img src=src alt="Attached image" width="264" height="264"/> }).collect_view()}
                    {(!m.files.is_empty()).then(|| view! { <p class="muted">{format!("Attached: {}", m.files.join(", "))}</p> })}
                </details>
            }
        })
        .collect_view();
    document(
        Some(chrome),
        Nav::Settings,
        "Mail (demo)",
        view! {
            <h1>"Mail (demo)"</h1>
            <p class="muted">{format!("The demo sends no email: the {count} most recent messages it would have sent are kept here, newest first. A real installation sends them through [email] smtp_host.")}</p>
            {items}
        },
    )
}
