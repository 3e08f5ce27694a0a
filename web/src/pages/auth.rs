//! Before sign-in: the sign-in form, and on first start the form that creates the
//! first admin.

use leptos::prelude::*;

use super::form_error;
use crate::{Nav, document};

/// The sign-in page; `next` is where to go afterwards.
pub fn login(error: Option<String>, next: &str, user: &str) -> String {
    login_with(error, next, user, None)
}

/// The sign-in page with "Sign in with <identity provider>" above the local form when
/// single sign-on is set up (`sso`: the provider's name).
pub fn login_with(error: Option<String>, next: &str, user: &str, sso: Option<&str>) -> String {
    let sso = sso.map(|name| {
        let href = format!(
            "/auth/oidc/start?next={}",
            super::employees::percent_encode(next)
        );
        let label = format!("Sign in with {name}");
        view! {
            <div class="actions" style="margin-bottom:1rem">
                <a class="button" id="sso" href=href>{label}</a>
            </div>
            <p class="muted">"Or with a local account:"</p>
        }
    });
    let next = next.to_string();
    let user = user.to_string();
    document(
        None,
        Nav::None,
        "Sign in",
        view! {
            <div class="card" style="max-width:26rem;margin:3rem auto">
                <h1>"Sign in to Tenure"</h1>
                {form_error(error)}
                {sso}
                <form method="post" action="/login">
                    <input type="hidden" name="next" value=next/>
                    <label for="user">"User name"</label>
                    <input id="user" name="user" type="text" autocomplete="username" required value=user autofocus/>
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required/>
                    <div class="actions"><button type="submit">"Sign in"</button></div>
                </form>
            </div>
        },
    )
}

/// What the first-admin form keeps when it comes back with an error.
#[derive(Debug, Clone, Default)]
pub struct FirstAdminForm {
    /// The setup code as typed (kept when another field needs fixing).
    pub code: String,
    pub user: String,
    pub name: String,
    pub email: String,
}

/// First start: nobody can sign in yet, so the first admin is created here.
pub fn first_admin(error: Option<String>, form: FirstAdminForm) -> String {
    document(
        None,
        Nav::None,
        "Welcome",
        view! {
            <div class="card" style="max-width:30rem;margin:3rem auto">
                <h1>"Welcome to Tenure"</h1>
                <p>"Create the first administrator. You will connect your HR system next."</p>
                {form_error(error)}
                <form method="post" action="/setup">
                    <label for="code">"Setup code"</label>
                    <input id="code" name="code" type="text" autocomplete="off" required spellcheck="false" value=form.code/>
                    <p class="muted">"Printed in the appliance's log when it started (the terminal running "<code>"tenure serve"</code>", or "<code>"journalctl -u tenure"</code>"). It proves you run this appliance."</p>
                    <label for="user">"User name"</label>
                    <input id="user" name="user" type="text" autocomplete="username" required value=form.user
                        pattern="[a-z0-9._-]+" title="lower-case letters, digits, dot, dash, underscore"/>
                    <label for="name">"Your name"</label>
                    <input id="name" name="name" type="text" autocomplete="name" required value=form.name/>
                    <label for="email">"Work email"</label>
                    <input id="email" name="email" type="email" autocomplete="email" required value=form.email/>
                    <label for="password">"Password (at least 12 characters)"</label>
                    <input id="password" name="password" type="password" autocomplete="new-password" required minlength="12"/>
                    <div class="actions"><button type="submit">"Create administrator"</button></div>
                </form>
            </div>
        },
    )
}
