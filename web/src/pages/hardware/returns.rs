//! Returns of leavers' devices: the list, and one return with void and rebook.

use leptos::prelude::*;
use tenure_domain::hardware::{ReturnShipment, ShipmentState};

use super::tabs;
use crate::pages::task_forms::hardware::{address_fields, returns_table};
use crate::pages::{form_error, when};
use crate::{Chrome, Nav, document};

pub fn returns_page(chrome: &Chrome, returns: Vec<ReturnShipment>, show_address: bool) -> String {
    let body = view! {
        {tabs("returns", chrome.admin)}
        <div class="card">{returns_table(&returns, show_address)}</div>
    };
    document(Some(chrome), Nav::Hardware, "Returns", body)
}

#[derive(Debug, Clone)]
pub struct ReturnPage {
    pub shipment: ReturnShipment,
    pub show_address: bool,
    /// The carrier's name, when one is set up.
    pub carrier: Option<String>,
    pub error: Option<String>,
}

pub fn return_page(chrome: &Chrome, p: ReturnPage) -> String {
    let s = &p.shipment;
    let void = format!("/hardware/returns/{}/void", s.id);
    let rebook = format!("/hardware/returns/{}/rebook", s.id);
    let booking = s.booking.as_ref().map(|b| {
        view! {
            <dt>"Carrier"</dt><dd>{b.carrier.0.clone()}</dd>
            <dt>"Tracking"</dt><dd>{match &b.tracking_url {
                Some(u) => view! { <a href=u.clone() rel="noopener noreferrer" target="_blank">{b.tracking_number.clone()}</a> }.into_any(),
                None => view! { <span>{b.tracking_number.clone()}</span> }.into_any(),
            }}</dd>
            <dt>"Drop-off"</dt><dd>{if b.drop_off_text.is_some() { "label-free code (QR) emailed to the employee" } else { "printable label emailed to the employee" }}</dd>
        }
    });
    let origin = if p.show_address {
        s.origin.one_line()
    } else {
        "(shown to admins and hardware champions)".into()
    };
    let assets = s
        .assets
        .iter()
        .map(|a| view! { <a href=format!("/hardware/assets/{a}")>{a.0.clone()}</a>" " })
        .collect_view();
    let can_void = s.state == ShipmentState::Booked;
    let can_rebook = s.state == ShipmentState::Voided && p.carrier.is_some();
    let body = view! {
        {tabs("returns", chrome.admin)}
        {form_error(p.error.clone())}
        <dl class="card">
            <dt>"Employee"</dt><dd><a href=format!("/employees/{}", s.employee.id)>{s.employee.name.clone()}</a></dd>
            <dt>"Devices"</dt><dd>{assets}</dd>
            <dt>"Status"</dt><dd>{s.state.words()}{s.last_event.clone().map(|e| format!(" ({e})"))}</dd>
            {booking}
            <dt>"From"</dt><dd>{origin}</dd>
            <dt>"To"</dt><dd>{s.destination.one_line()}</dd>
            <dt>"Booked"</dt><dd>{when(s.created_at)}</dd>
            <dt>"Replaces"</dt><dd>{s.replaces.as_ref().map(|r| view! { <a href=format!("/hardware/returns/{r}")>{r.0.clone()}</a> })}</dd>
        </dl>
        {can_void.then(|| view! {
            <form method="post" action=void class="card">
                {chrome.csrf_field()}
                <p>"Void it when the employee cannot use it (a wrong address, a lost code): the carrier cancels it and you can book a new one."</p>
                <div class="actions"><button type="submit" class="danger">"Void this return"</button></div>
            </form>
        })}
        {can_rebook.then(|| view! {
            <form method="post" action=rebook class="card">
                {chrome.csrf_field()}
                <h2>"Book it again"</h2>
                {address_fields("origin", "The employee's address (empty: as before)", String::new(), "Correct what made the first one fail.", &Default::default())}
                {address_fields("destination", "Where it goes (empty: as before)", String::new(), "", &Default::default())}
                <div class="actions"><button type="submit">"Book a new return"</button></div>
            </form>
        })}
    };
    document(
        Some(chrome),
        Nav::Hardware,
        &format!("Return {}", s.id),
        body,
    )
}
