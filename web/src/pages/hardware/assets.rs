//! The assets list: search, filters, add one, import a CSV.

use leptos::prelude::*;
use tenure_domain::hardware::{Asset, AssetFilter, AssetState, HardwareSettings, RowError};

use super::tabs;
use crate::pages::form_error;
use crate::{Chrome, Nav, document};

#[derive(Debug, Clone, Default)]
pub struct AssetsPage {
    pub filter: AssetFilter,
    pub rows: Vec<Asset>,
    /// How many match (the list shows at most `rows.len()`).
    pub total: usize,
    pub settings: HardwareSettings,
    pub error: Option<String>,
    /// The rows of a refused CSV import, each with its reason.
    pub import_errors: Vec<RowError>,
    /// The CSV text of a refused import, to fix and send again.
    pub csv: String,
}

pub fn assets_page(chrome: &Chrome, p: AssetsPage) -> String {
    let state_options = AssetState::ALL
        .into_iter()
        .map(|s| {
            let sel = p.filter.state == Some(s);
            view! { <option value=s.name() selected=sel>{s.words()}</option> }
        })
        .collect_view();
    let place_options = |selected: Option<&str>| {
        p.settings
            .places()
            .map(|s| {
                let sel = selected == Some(s.key.as_str());
                view! { <option value=s.key.clone() selected=sel>{s.name.clone()}</option> }
            })
            .collect_view()
    };
    let rows = p
        .rows
        .iter()
        .map(|a| {
            let who = a.assignee.as_ref().map(|w| {
                view! { <a href=format!("/employees/{}", w.id)>{w.name.clone()}</a> }
            });
            let mdm = match &a.mdm {
                Some(m) if m.managed => format!("{} (managed)", m.connector),
                Some(m) => format!("{} (not managed)", m.connector),
                None => "—".into(),
            };
            view! {
                <tr>
                    <td><a href=format!("/hardware/assets/{}", a.id)>{a.model.clone()}</a></td>
                    <td>{a.serial.clone()}</td>
                    <td>{a.tag.clone().unwrap_or_default()}</td>
                    <td><span class=format!("badge {}", a.state.name())>{a.state.words()}</span></td>
                    <td>{a.location.clone().unwrap_or_default()}</td>
                    <td>{who}</td>
                    <td>{mdm}</td>
                </tr>
            }
        })
        .collect_view();
    let shown = if p.total > p.rows.len() {
        format!("{} of {} shown: narrow the search", p.rows.len(), p.total)
    } else {
        match p.total {
            1 => "1 asset".to_string(),
            n => format!("{n} assets"),
        }
    };
    let import_errors = (!p.import_errors.is_empty()).then(|| {
        let items = p
            .import_errors
            .iter()
            .map(|e| view! { <li>{format!("Row {}: {}", e.row, e.reason)}</li> })
            .collect_view();
        view! {
            <div class="flash err" role="alert">
                <p>"Nothing was imported. Fix these rows, or tick “skip the bad rows” to import the others:"</p>
                <ul>{items}</ul>
            </div>
        }
    });
    let q = p.filter.q.clone().unwrap_or_default();
    let body = view! {
        {tabs("assets", chrome.admin)}
        {form_error(p.error.clone())}
        <form method="get" action="/hardware" class="card" role="search">
            <label for="q">"Search model, serial, tag or person"</label>
            <input id="q" name="q" type="search" value=q/>
            <label for="state">"State"</label>
            <select id="state" name="state"><option value="">"any"</option>{state_options}</select>
            <label for="location">"At"</label>
            <select id="location" name="location"><option value="">"anywhere"</option>{place_options(p.filter.location.as_deref())}</select>
            <div class="actions"><button type="submit">"Search"</button></div>
        </form>
        <p class="muted">{shown}</p>
        <div class="table-wrap">
            <table aria-label="Assets">
                <thead><tr><th>"Model"</th><th>"Serial"</th><th>"Tag"</th><th>"State"</th><th>"At"</th><th>"Assigned to"</th><th>"MDM"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <details class="card">
            <summary>"Add an asset"</summary>
            <form method="post" action="/hardware/assets">
                {chrome.csrf_field()}
                <label for="model">"Model"</label>
                <input id="model" name="model" type="text" required/>
                <label for="serial">"Serial number"</label>
                <input id="serial" name="serial" type="text" required/>
                <label for="tag">"Asset tag (optional)"</label>
                <input id="tag" name="tag" type="text"/>
                <label for="purchase_date">"Purchase date (optional)"</label>
                <input id="purchase_date" name="purchase_date" type="date"/>
                <label for="cost">{format!("Cost in {} (optional)", p.settings.currency)}</label>
                <input id="cost" name="cost" type="text" inputmode="decimal"/>
                <label for="warranty_end">"Warranty ends (optional)"</label>
                <input id="warranty_end" name="warranty_end" type="date"/>
                <label for="new-location">"Kept at"</label>
                <select id="new-location" name="location"><option value="">"not said"</option>{place_options(None)}</select>
                <div class="actions"><button type="submit">"Add to inventory"</button></div>
            </form>
        </details>
        <form method="post" action="/hardware/import-mdm" class="card">
            {chrome.csrf_field()}
            <p class="muted">"Add the devices your MDM knows: a serial already here is linked to its device, never added twice; a new one is assigned to the person the MDM names, when they work here."</p>
            <div class="actions"><button type="submit">"Import from the MDM"</button></div>
        </form>
        <details class="card" open=!p.import_errors.is_empty()>
            <summary>"Import a CSV"</summary>
            {import_errors}
            <form method="post" action="/hardware/import">
                {chrome.csrf_field()}
                <label for="csv">"Paste the file: a header row naming model, serial and any of tag, purchase_date, cost, warranty_end, location"</label>
                <textarea id="csv" name="csv" rows="8" required>{p.csv.clone()}</textarea>
                <label class="inline"><input type="checkbox" name="skip_bad_rows" value="yes"/>"Skip the bad rows (import the good ones)"</label>
                <p class="muted">"A serial number already in inventory is never imported twice. Devices your MDM knows are matched to it by serial number within minutes."</p>
                <div class="actions"><button type="submit">"Import"</button></div>
            </form>
        </details>
    };
    document(Some(chrome), Nav::Hardware, "Hardware", body)
}
