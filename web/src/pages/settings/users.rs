//! Users: local accounts, their roles (admin; onboarding, hardware and application
//! champion) and new accounts.

use leptos::prelude::*;

use super::tabs;
use crate::pages::form_error;
use crate::{Chrome, Nav, document};

#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub admin: bool,
    pub onboarding: bool,
    pub hardware: bool,
    /// In the default application champions.
    pub application: bool,
    /// Applications they champion by name (set under Settings → Applications).
    pub champion_of: Vec<String>,
    pub disabled: bool,
}

fn role_boxes(u: Option<&UserRow>) -> impl IntoView + use<> {
    let (a, o, h, p) = u.map_or((false, false, false, false), |u| {
        (u.admin, u.onboarding, u.hardware, u.application)
    });
    view! {
        <label class="inline"><input type="checkbox" name="role" value="admin" checked=a/>"Admin"</label>
        <label class="inline"><input type="checkbox" name="role" value="onboarding" checked=o/>"Onboarding champion"</label>
        <label class="inline"><input type="checkbox" name="role" value="hardware" checked=h/>"Hardware champion"</label>
        <label class="inline"><input type="checkbox" name="role" value="application" checked=p/>"Default application champion"</label>
    }
}

pub fn users(chrome: &Chrome, users: Vec<UserRow>, error: Option<String>) -> String {
    let rows = users
        .iter()
        .map(|u| {
            let action = format!("/settings/users/{}", u.id);
            let state = if u.disabled { "disabled" } else { "active" };
            view! {
                <tr>
                    <td><strong>{u.name.clone()}</strong><br/><span class="muted">{format!("{} · {}", u.id, u.email)}</span></td>
                    <td>
                        <form method="post" action=action>
                            {chrome.csrf_field()}
                            <fieldset style="margin:0"><legend class="sr-only">{format!("Roles of {}", u.name)}</legend>{role_boxes(Some(u))}</fieldset>
                            <label class="inline"><input type="checkbox" name="disabled" value="yes" checked=u.disabled/>"Disabled"</label>
                            <label class="inline">
                                <span class="sr-only">{format!("New password for {}", u.name)}</span>
                                <input type="password" name="new_password" autocomplete="new-password" placeholder="new password (optional)" style="max-width:14rem"/>
                            </label>
                            <button type="submit" class="secondary" aria-label=format!("Save {}", u.name)>"Save"</button>
                        </form>
                        {(!u.champion_of.is_empty()).then(|| view! {
                            <p class="muted">{format!("Champion of {} (Settings → Applications)", u.champion_of.join(", "))}</p>
                        })}
                    </td>
                    <td>{state}</td>
                </tr>
            }
        })
        .collect_view();
    document(
        Some(chrome),
        Nav::Settings,
        "Users",
        view! {
            {tabs("users")}
            <h1>"Users"</h1>
            <p class="muted">"Champions get the tasks of their kind and the emails about them."</p>
            {form_error(error)}
            <div class="table-wrap">
                <table aria-label="Users">
                    <thead><tr><th>"User"</th><th>"Roles"</th><th>"State"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <h2>"New user"</h2>
            <form method="post" action="/settings/users" class="card">
                {chrome.csrf_field()}
                <div class="grid">
                    <div><label for="u-id">"User name"</label><input id="u-id" name="user" type="text" required pattern="[a-z0-9._-]+"/></div>
                    <div><label for="u-name">"Name"</label><input id="u-name" name="name" type="text" required/></div>
                    <div><label for="u-email">"Email"</label><input id="u-email" name="email" type="email" required/></div>
                    <div><label for="u-password">"Initial password (12+ characters)"</label><input id="u-password" name="password" type="password" required minlength="12" autocomplete="new-password"/></div>
                </div>
                <fieldset><legend>"Roles"</legend>{role_boxes(None)}</fieldset>
                <div class="actions"><button type="submit">"Create user"</button></div>
            </form>
        },
    )
}
