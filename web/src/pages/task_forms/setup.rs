//! Complete IT Setup: apps preselected from the rules (the picker is an island with a
//! live count), "needs hardware?", a note.

use leptos::prelude::*;
use tenure_domain::GroupRef;

use super::{TaskPage, cancel_form, externals, group_label, how, suggested_by};
use crate::Chrome;
use crate::islands::{AppPicker, AppRow, HardwareChoice};

pub(super) fn form(chrome: &Chrome, page: &TaskPage) -> impl IntoView + use<> {
    let e = &page.employee;
    let groups: Vec<GroupRef> = e.access.groups.iter().cloned().collect();
    let held = e.apps();
    let rows: Vec<AppRow> = page
        .catalog
        .applications
        .iter()
        .map(|app| {
            let rules = suggested_by(&page.catalog, &groups, &app.id);
            AppRow {
                id: app.id.to_string(),
                name: app.name.clone(),
                checked: held.contains(&app.id),
                why: if rules.is_empty() {
                    String::new()
                } else {
                    format!("suggested by {}", rules.join(", "))
                },
                how: how(&page.catalog, &page.connectors, &app.id),
            }
        })
        .collect();
    let groups_text = groups
        .iter()
        .map(|g| group_label(&page.catalog, g))
        .collect::<Vec<_>>()
        .join(", ");
    let action = format!("/tasks/{}/setup", page.task.id);
    view! {
        <form method="post" action=action>
            {chrome.csrf_field()}
            <div class="card">
                <h2>"Applications"</h2>
                <p class="muted">{format!("Groups: {}. Preselected from their rules; add or remove as needed.", if groups_text.is_empty() { "none".to_string() } else { groups_text })}</p>
                <AppPicker rows=rows/>
                {externals("Groups and channels that follow the rules (joined with the accounts)", &e.access.grants.external_groups, &page.connectors)}
            </div>
            <div class="card">
                <h2>"Hardware"</h2>
                <HardwareChoice/>
            </div>
            <div class="card">
                <h2>"Accounts"</h2>
                <label class="inline">
                    <input type="checkbox" name="accounts_now" value="on"/>
                    "Create the accounts now, instead of a few days before the start date"
                </label>
            </div>
            <label for="note">"Note (optional)"</label>
            <textarea id="note" name="note"></textarea>
            <div class="actions"><button type="submit">"Confirm IT setup"</button></div>
        </form>
        {cancel_form(chrome, page)}
    }
}
