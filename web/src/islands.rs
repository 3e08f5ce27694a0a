//! The interactive parts of pages ("islands"): rendered on the server like the rest,
//! then hydrated in the browser by the WebAssembly bundle so they react at once. Every
//! island is inside a plain HTML form and only changes what the page shows; the form
//! posts the same fields with or without them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One app on the Complete IT Setup page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppRow {
    pub id: String,
    pub name: String,
    pub checked: bool,
    /// "suggested by Department Engineering", or empty.
    pub why: String,
    /// "automatic (okta)" or "manual task".
    pub how: String,
}

fn summary(rows: &[AppRow], picked: &[bool]) -> String {
    let names: Vec<&str> = rows
        .iter()
        .zip(picked)
        .filter(|(_, on)| **on)
        .map(|(r, _)| r.name.as_str())
        .collect();
    match names.len() {
        0 => "No applications selected.".to_string(),
        1 => format!("1 application selected: {}.", names[0]),
        n => format!("{n} applications selected: {}.", names.join(", ")),
    }
}

/// The app checkboxes with a live count of what is selected.
#[island]
pub fn AppPicker(rows: Vec<AppRow>) -> impl IntoView {
    let picked = RwSignal::new(rows.iter().map(|r| r.checked).collect::<Vec<bool>>());
    let for_summary = rows.clone();
    let body = rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let id = format!("app-{}", row.id);
            let toggle = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                picked.update(|p| p[i] = on);
            };
            view! {
                <tr>
                    <td><input type="checkbox" id=id.clone() name="app" value=row.id checked=row.checked on:change=toggle/></td>
                    <td><label for=id style="margin:0">{row.name}</label></td>
                    <td class="muted">{row.why}</td>
                    <td class="muted hide-sm">{row.how}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p id="app-summary" aria-live="polite"><strong>{move || summary(&for_summary, &picked.get())}</strong></p>
        <div class="table-wrap">
            <table aria-label="Applications">
                <thead><tr><th><span class="sr-only">"Grant"</span></th><th>"Application"</th><th>"Why"</th><th class="hide-sm">"Provisioning"</th></tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

/// "Needs hardware?": the request field is only asked for when the answer is yes.
#[island]
pub fn HardwareChoice() -> impl IntoView {
    let needed = RwSignal::new(true);
    view! {
        <fieldset>
            <legend>"Needs hardware?"</legend>
            <label class="inline"><input type="radio" name="needs_hardware" value="yes" checked=true on:change=move |_| needed.set(true)/>"Yes"</label>
            <label class="inline"><input type="radio" name="needs_hardware" value="no" on:change=move |_| needed.set(false)/>"No"</label>
        </fieldset>
        <div id="hardware-request" hidden=move || !needed.get()>
            <label for="hardware">"What to buy or assign"</label>
            <input id="hardware" name="hardware" type="text" placeholder="Laptop, monitor, headset"/>
        </div>
    }
}

/// Device retrieval: the site is asked for only when shipping to a site, and the
/// address is marked required only when something ships.
#[island]
pub fn RetrievalChoice() -> impl IntoView {
    let method = RwSignal::new("ship_to_warehouse".to_string());
    let option = move |value: &'static str, label: &'static str, first: bool| {
        view! {
            <label class="inline">
                <input type="radio" name="retrieval" value=value checked=first on:change=move |_| method.set(value.to_string())/>
                {label}
            </label>
        }
    };
    let ships = move || method.with(|m| m.starts_with("ship_"));
    view! {
        <fieldset>
            <legend>"How do the devices come back?"</legend>
            {option("ship_to_warehouse", "Ship to the warehouse", true)}
            {option("ship_to_site", "Ship to a company site", false)}
            {option("in_person", "Return in person", false)}
            {option("keep", "Employee keeps them", false)}
        </fieldset>
        <div id="site-field" hidden=move || method.with(|m| m != "ship_to_site")>
            <label for="site">"Site"</label>
            <input id="site" name="site" type="text" placeholder="Austin office"/>
        </div>
        <p id="address-hint" class="muted">
            {move || if ships() {
                "A hardware champion sends a return label by hand: confirm the address below."
            } else {
                "Nothing ships: no address needed."
            }}
        </p>
    }
}
