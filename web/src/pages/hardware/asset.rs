//! One asset: its details, history, MDM commands and the moves a person can make.

use leptos::prelude::*;
use tenure_domain::hardware::{Asset, AssetState, HardwareSettings, MdmCommand};

use super::{money, tabs};
use crate::pages::{form_error, when};
use crate::{Chrome, Nav, document};

#[derive(Debug, Clone)]
pub struct AssetPage {
    pub asset: Asset,
    pub commands: Vec<MdmCommand>,
    /// Unlock PINs by command id, for those allowed to read them.
    pub pins: Vec<(String, String)>,
    pub settings: HardwareSettings,
    pub error: Option<String>,
}

pub fn asset_page(chrome: &Chrome, p: AssetPage) -> String {
    let a = &p.asset;
    let action = format!("/hardware/assets/{}/action", a.id);
    let places = p
        .settings
        .places()
        .map(|s| {
            let sel = a.location.as_deref() == Some(s.key.as_str());
            view! { <option value=s.key.clone() selected=sel>{s.name.clone()}</option> }
        })
        .collect_view();
    let places2 = p
        .settings
        .places()
        .map(|s| view! { <option value=s.key.clone()>{s.name.clone()}</option> })
        .collect_view();
    let history = a
        .history
        .iter()
        .rev()
        .map(|e| view! { <tr><td>{when(e.at)}</td><td>{e.by.clone()}</td><td>{e.what.clone()}</td></tr> })
        .collect_view();
    let commands = p
        .commands
        .iter()
        .map(|c| {
            let pin = p
                .pins
                .iter()
                .find(|(id, _)| id == &c.id.0)
                .map(|(_, pin)| view! { <strong>{format!(" unlock PIN {pin}")}</strong> });
            view! { <li>{format!("{} ({}) via {}: {}", c.verb(), c.id, c.connector, c.state.words())}{pin}</li> }
        })
        .collect_view();
    let mdm = match &a.mdm {
        Some(m) => format!(
            "{} device {} ({})",
            m.connector,
            m.device_id,
            if m.managed {
                "managed: can be locked or wiped"
            } else {
                "not managed"
            }
        ),
        None => "not found in an MDM (matched by serial number)".into(),
    };
    let can_assign = matches!(a.state, AssetState::InStock | AssetState::Received);
    let can_receive = matches!(a.state, AssetState::Assigned | AssetState::InTransit);
    let details = view! {
        <dl class="card">
            <dt>"Serial"</dt><dd>{a.serial.clone()}</dd>
            <dt>"Tag"</dt><dd>{a.tag.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>"State"</dt><dd>{a.state.words()}</dd>
            <dt>"At"</dt><dd>{a.location.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>"Assigned to"</dt><dd>{a.assignee.as_ref().map(|w| view! { <a href=format!("/employees/{}", w.id)>{w.name.clone()}</a> })}</dd>
            <dt>"Purchased"</dt><dd>{a.purchase_date.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</dd>
            <dt>"Cost"</dt><dd>{a.cost_cents.map(|c| money(c, &p.settings.currency)).unwrap_or_else(|| "—".into())}</dd>
            <dt>"Warranty ends"</dt><dd>{a.warranty_end.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</dd>
            <dt>"MDM"</dt><dd>{mdm}</dd>
            <dt>"Return"</dt><dd>{a.return_shipment.as_ref().map(|s| view! { <a href=format!("/hardware/returns/{s}")>{s.0.clone()}</a> })}</dd>
        </dl>
    };
    let body = view! {
        {tabs("assets", chrome.admin)}
        {form_error(p.error.clone())}
        {details}
        <div class="card">
            <h2>"Move it"</h2>
            {can_assign.then(|| view! {
                <form method="post" action=action.clone()>
                    {chrome.csrf_field()}
                    <input type="hidden" name="action" value="assign"/>
                    <label for="employee">"Assign to (employee id or work email)"</label>
                    <input id="employee" name="employee" type="text" required/>
                    <div class="actions"><button type="submit">"Assign"</button></div>
                </form>
            })}
            {can_receive.then(|| view! {
                <form method="post" action=action.clone()>
                    {chrome.csrf_field()}
                    <input type="hidden" name="action" value="receive"/>
                    <label for="receive-at">"Received at"</label>
                    <select id="receive-at" name="location">{places2}</select>
                    <div class="actions"><button type="submit">"Mark received"</button></div>
                </form>
            })}
            {(a.state != AssetState::Retired && a.state != AssetState::InTransit).then(|| view! {
                <form method="post" action=action.clone()>
                    {chrome.csrf_field()}
                    <input type="hidden" name="action" value="restock"/>
                    <label for="restock-at">"Back in stock at"</label>
                    <select id="restock-at" name="location">{places}</select>
                    <div class="actions"><button type="submit">"Put in stock"</button></div>
                </form>
                <form method="post" action=action.clone()>
                    {chrome.csrf_field()}
                    <input type="hidden" name="action" value="repair"/>
                    <div class="actions"><button type="submit">"Send to repair"</button></div>
                </form>
                <form method="post" action=action.clone()>
                    {chrome.csrf_field()}
                    <input type="hidden" name="action" value="retire"/>
                    <label for="reason">"Retire it: why"</label>
                    <input id="reason" name="reason" type="text" required/>
                    <div class="actions"><button type="submit" class="danger">"Retire"</button></div>
                </form>
            })}
        </div>
        <div class="card">
            <h2>"MDM commands"</h2>
            {if p.commands.is_empty() { view! { <p class="muted">"None."</p> }.into_any() } else { view! { <ul>{commands}</ul> }.into_any() }}
        </div>
        <div class="card">
            <h2>"History"</h2>
            <div class="table-wrap">
                <table aria-label="History">
                    <thead><tr><th>"When"</th><th>"Who"</th><th>"What"</th></tr></thead>
                    <tbody>{history}</tbody>
                </table>
            </div>
            <p class="muted">"The latest 50 events; the audit log keeps them all."</p>
        </div>
    };
    document(Some(chrome), Nav::Hardware, &a.label(), body)
}
