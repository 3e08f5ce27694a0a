//! My account: who I am, my roles, and changing my password.

use leptos::prelude::*;

use crate::{Chrome, Nav, document};

/// The signed-in user as the account page shows them.
#[derive(Debug, Clone)]
pub struct Me {
    pub id: String,
    pub name: String,
    pub email: String,
    pub roles: Vec<String>,
}

pub fn account(chrome: &Chrome, me: Me) -> String {
    let roles = if me.roles.is_empty() {
        "none yet (an admin assigns roles)".to_string()
    } else {
        me.roles.join(", ")
    };
    document(
        Some(chrome),
        Nav::None,
        "My account",
        view! {
            <h1>"My account"</h1>
            <div class="card">
                <dl class="facts">
                    <dt>"User name"</dt><dd>{me.id}</dd>
                    <dt>"Name"</dt><dd>{me.name}</dd>
                    <dt>"Email"</dt><dd>{me.email}</dd>
                    <dt>"Roles"</dt><dd>{roles}</dd>
                </dl>
            </div>
            <h2>"Change password"</h2>
            <form method="post" action="/account/password" class="card">
                {chrome.csrf_field()}
                <label for="current">"Current password"</label>
                <input id="current" name="current" type="password" autocomplete="current-password" required/>
                <label for="new">"New password (at least 12 characters)"</label>
                <input id="new" name="new" type="password" autocomplete="new-password" required minlength="12"/>
                <div class="actions"><button type="submit">"Change password"</button></div>
                <p class="muted">"Your other sessions are signed out."</p>
            </form>
        },
    )
}
