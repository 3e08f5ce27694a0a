//! Offboard Employee: what is revoked (automatically or by which manual task), how the
//! devices come back (an island), MDM, and the shipping address.

use leptos::prelude::*;
use tenure_domain::TaskKind;

use super::{TaskPage, externals, hardware};
use crate::Chrome;
use crate::islands::RetrievalChoice;
use crate::pages::tasks::state_badge;

fn revoke_step(page: &TaskPage) -> impl IntoView + use<> {
    let TaskKind::OffboardEmployee {
        to_revoke,
        revoke_not_before,
        ..
    } = &page.task.kind
    else {
        unreachable!("checked by the caller")
    };
    // Confirming queues the revocations; they wait for the end of the final day.
    let when = match revoke_not_before {
        Some(t) => format!(
            "revoked once you confirm, not before the final day is over ({})",
            crate::pages::when(*t)
        ),
        None => "revoked when you confirm".to_string(),
    };
    let rows = to_revoke
        .applications
        .iter()
        .map(|app| {
            let name = page.catalog.app_name(app);
            let connector = page.catalog.application(app).and_then(|a| a.connector.clone());
            let record = page.access.iter().find(|r| &r.app == app);
            let state = match (connector, record) {
                (Some(_), Some(r)) if r.state.is_gone() || r.state == tenure_domain::AccessState::Revoking => {
                    view! { <span>{r.state.label()}</span> }.into_any()
                }
                (Some(_), _) => {
                    let how = super::how(&page.catalog, &page.connectors, app);
                    view! { <span>{format!("{how}: {when}")}</span> }.into_any()
                }
                (None, _) => {
                    let manual = page.related.iter().find(|t| {
                        matches!(&t.kind, TaskKind::ManualApp { app_task } if &app_task.app == app && app_task.action == tenure_domain::AppAction::Revoke)
                    });
                    match manual {
                        Some(t) => {
                            let href = format!("/tasks/{}", t.id);
                            view! { <span><a href=href>"manual task"</a> " " {state_badge(t)}</span> }.into_any()
                        }
                        None => view! { <span class="muted">"by hand: a task opens for the app's champions when you confirm"</span> }.into_any(),
                    }
                }
            };
            view! { <tr><td>{name}</td><td>{state}</td></tr> }
        })
        .collect_view();
    view! {
        <div class="card">
            <h2>"1. Revoke access"</h2>
            <div class="table-wrap">
                <table aria-label="Access to revoke">
                    <thead><tr><th>"Application"</th><th>"Revocation"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {externals("Groups and channels left when you confirm", &to_revoke.external_groups, &page.connectors)}
        </div>
    }
}

pub(super) fn form(chrome: &Chrome, page: &TaskPage) -> impl IntoView + use<> {
    let action = format!("/tasks/{}/offboard", page.task.id);
    let recorded = page
        .hardware
        .held
        .iter()
        .any(|a| a.return_shipment.is_none());
    // Devices in inventory: one row each. None recorded: the champion says how whatever
    // the employee has comes back, and a person acts on it (no MDM, no carrier).
    let devices = if recorded {
        view! {
            <div class="card">
                <h2>"2. Devices"</h2>
                {hardware::offboard_devices(page)}
            </div>
            <div class="card">
                <h2>"3. Confirm the addresses"</h2>
                {page.hardware.origin_from.clone().map(|from| view! {
                    <p>{format!("The employee's address below is the home address {from} has for them: check it with them before you confirm.")}</p>
                })}
                {hardware::address_fields(
                    "origin",
                    "The employee's address (where the return starts; required when a device ships)",
                    page.employee.name(),
                    "Where HR has no home address for them, ask the employee.",
                    &page.prefill,
                )}
                {hardware::address_fields(
                    "destination",
                    "Where it goes (leave empty for the chosen place's own address)",
                    String::new(),
                    "Only to send this return elsewhere than the warehouse's or site's address.",
                    &page.prefill,
                )}
            </div>
        }
        .into_any()
    } else {
        view! {
            <div class="card">
                <h2>"2. Devices"</h2>
                <p class="muted">"No devices of this employee are in inventory. Say how whatever they have comes back; a person acts on it (nothing is shipped, locked or wiped from here)."</p>
                <RetrievalChoice/>
                <input type="hidden" name="mdm" value="none"/>
            </div>
            <div class="card">
                <h2>"3. Confirm the shipping address"</h2>
                <label for="address">"Where a return label would pick up from (required when shipping)"</label>
                <textarea id="address" name="address"></textarea>
            </div>
        }
        .into_any()
    };
    view! {
        {revoke_step(page)}
        <form method="post" action=action>
            {chrome.csrf_field()}
            {devices}
            <label for="note">"Note (optional)"</label>
            <textarea id="note" name="note"></textarea>
            <div class="actions"><button type="submit">"Confirm offboarding"</button></div>
        </form>
    }
}
