//! Group Change: keep / remove or grant / don't grant per app, with the rule behind it;
//! stay / leave or join / don't join per group and channel, defaulted from the rules.

use std::collections::BTreeSet;

use leptos::prelude::*;
use tenure_domain::{AppChoice, AppId, ExternalGroup, GroupChange, TaskKind};

use super::{TaskPage, cancel_form, group_label, how, how_by, suggested_by};
use crate::Chrome;

pub(super) fn form(chrome: &Chrome, page: &TaskPage) -> impl IntoView + use<> {
    let TaskKind::GroupChange { change } = &page.task.kind else {
        unreachable!("checked by the caller")
    };
    let held = if change.held_before.is_empty() {
        change.granted_before.applications.clone()
    } else {
        change.held_before.clone()
    };
    let mut apps: BTreeSet<AppId> = held.clone();
    apps.extend(change.granted_after.applications.iter().cloned());
    let rows = apps
        .into_iter()
        .map(|app| {
            let holds = held.contains(&app);
            let wanted = change.granted_after.applications.contains(&app);
            let reason = if wanted {
                let rules = suggested_by(&page.catalog, &change.groups_after, &app);
                format!("granted by {}", rules.join(", "))
            } else {
                "no rule of the new groups grants it".to_string()
            };
            let name = page.catalog.app_name(&app);
            let field = format!("choice.{app}");
            let options: Vec<(AppChoice, &str)> = if holds {
                vec![(AppChoice::Keep, "Keep"), (AppChoice::Remove, "Remove")]
            } else {
                vec![(AppChoice::Grant, "Grant"), (AppChoice::Skip, "Don't grant")]
            };
            let default = match (holds, wanted) {
                (true, true) => AppChoice::Keep,
                (true, false) => AppChoice::Remove,
                (false, true) => AppChoice::Grant,
                (false, false) => AppChoice::Skip,
            };
            let radios = options
                .into_iter()
                .map(|(choice, label)| {
                    let value = choice_name(choice);
                    view! {
                        <label class="inline">
                            <input type="radio" name=field.clone() value=value checked=choice == default/>
                            {label}
                        </label>
                    }
                })
                .collect_view();
            let now = if holds { "has it" } else { "does not have it" };
            view! {
                <tr class="choice">
                    <td><strong>{name}</strong><br/><span class="muted">{now}</span></td>
                    <td>
                        <fieldset style="margin:0;border:0;padding:0">
                            <legend class="sr-only">{page.catalog.app_name(&app)}</legend>
                            {radios}
                        </fieldset>
                    </td>
                    <td class="muted" style="white-space:normal">{reason}</td>
                    <td class="muted hide-sm">{how(&page.catalog, &page.connectors, &app)}</td>
                </tr>
            }
        })
        .collect_view();
    let before = change
        .groups_before
        .iter()
        .map(|g| group_label(&page.catalog, g))
        .collect::<Vec<_>>()
        .join(", ");
    let after = change
        .groups_after
        .iter()
        .map(|g| group_label(&page.catalog, g))
        .collect::<Vec<_>>()
        .join(", ");
    let group_rows = group_rows(page, change);
    let action = format!("/tasks/{}/group-change", page.task.id);
    view! {
        <div class="card">
            <dl class="facts">
                <dt>"Groups before"</dt><dd>{before}</dd>
                <dt>"Groups now"</dt><dd>{after}</dd>
            </dl>
        </div>
        <form method="post" action=action>
            {chrome.csrf_field()}
            <h2>"Applications"</h2>
            <div class="table-wrap">
                <table aria-label="Application changes">
                    <thead><tr><th>"Application"</th><th>"Decision"</th><th>"Rule"</th><th class="hide-sm">"Provisioning"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {group_rows}
            <label for="note">"Note (optional)"</label>
            <textarea id="note" name="note"></textarea>
            <div class="actions"><button type="submit">"Apply group change"</button></div>
        </form>
        {cancel_form(chrome, page)}
    }
}

/// The form value of a choice.
pub fn choice_name(choice: AppChoice) -> &'static str {
    match choice {
        AppChoice::Keep => "keep",
        AppChoice::Remove => "remove",
        AppChoice::Grant => "grant",
        AppChoice::Skip => "skip",
    }
}

/// Keep / leave or join / don't join per group and channel, defaulted from the rules.
fn group_rows(page: &TaskPage, change: &GroupChange) -> Option<impl IntoView + use<>> {
    let held = change.groups_held_before();
    let mut groups: BTreeSet<ExternalGroup> = held.clone();
    groups.extend(change.granted_after.external_groups.iter().cloned());
    if groups.is_empty() {
        return None;
    }
    let rows = groups
        .into_iter()
        .map(|g| {
            let holds = held.contains(&g);
            let wanted = change.granted_after.external_groups.contains(&g);
            let reason = if wanted {
                "given by the new groups' rules"
            } else {
                "no rule of the new groups gives it"
            };
            let options: Vec<(AppChoice, &str)> = if holds {
                vec![(AppChoice::Keep, "Stay"), (AppChoice::Remove, "Leave")]
            } else {
                vec![(AppChoice::Grant, "Join"), (AppChoice::Skip, "Don't join")]
            };
            let default = match (holds, wanted) {
                (true, true) => AppChoice::Keep,
                (true, false) => AppChoice::Remove,
                (false, true) => AppChoice::Grant,
                (false, false) => AppChoice::Skip,
            };
            let field = format!("group.{}", g.key());
            let radios = options
                .into_iter()
                .map(|(choice, label)| {
                    view! {
                        <label class="inline">
                            <input type="radio" name=field.clone() value=choice_name(choice) checked=choice == default/>
                            {label}
                        </label>
                    }
                })
                .collect_view();
            let now = if holds { "member" } else { "not a member" };
            view! {
                <tr class="choice">
                    <td><strong>{g.to_string()}</strong><br/><span class="muted">{now}</span></td>
                    <td>
                        <fieldset style="margin:0;border:0;padding:0">
                            <legend class="sr-only">{g.to_string()}</legend>
                            {radios}
                        </fieldset>
                    </td>
                    <td class="muted" style="white-space:normal">{reason}</td>
                    <td class="muted hide-sm">{how_by(&page.connectors, Some(&g.connector))}</td>
                </tr>
            }
        })
        .collect_view();
    Some(view! {
        <h2>"Groups and channels"</h2>
        <div class="table-wrap">
            <table aria-label="Group and channel changes">
                <thead><tr><th>"Group or channel"</th><th>"Decision"</th><th>"Rule"</th><th class="hide-sm">"Membership"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}
