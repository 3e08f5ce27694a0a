//! The hardware parts of task pages: Equip New Hire (assign from stock), Receive
//! Returned Devices (restock, reassign, repair, retire), and the devices step of
//! Offboard Employee (per device: how it comes back and what the MDM does).

use leptos::prelude::*;
use tenure_domain::hardware::{Asset, HardwareSettings, ReturnShipment};
use tenure_domain::{Disposition, TaskKind};

use super::TaskPage;
use crate::Chrome;

/// What a task page knows of hardware.
#[derive(Debug, Clone, Default)]
pub struct HardwareView {
    /// The employee's devices (assigned, or on their way back).
    pub held: Vec<Asset>,
    /// Assets free to assign (in stock or received), for Equip New Hire.
    pub in_stock: Vec<Asset>,
    /// The devices a Receive Returned Devices task is about.
    pub task_assets: Vec<Asset>,
    pub settings: HardwareSettings,
    /// The employee's returns, newest first.
    pub returns: Vec<ReturnShipment>,
    /// The carrier returns are booked with (its name), when one is set up.
    pub carrier: Option<String>,
    /// The HR source the employee's address was read from, when it had one.
    pub origin_from: Option<String>,
}

pub fn disposition_words(d: &Disposition) -> String {
    match d {
        Disposition::Stock { location: Some(l) } => format!("back in stock at {l}"),
        Disposition::Stock { location: None } => "back in stock".into(),
        Disposition::Reassign { employee } => format!("reassigned to {employee}"),
        Disposition::Repair => "sent to repair".into(),
        Disposition::Retire { reason } => format!("retired: {reason}"),
    }
}

fn place_options(settings: &HardwareSettings, selected: Option<&str>) -> impl IntoView + use<> {
    settings
        .places()
        .map(|p| {
            let sel = selected == Some(p.key.as_str());
            view! { <option value=p.key.clone() selected=sel>{p.name.clone()}</option> }
        })
        .collect_view()
}

/// Equip New Hire: pick devices from stock; a request says what was asked for.
pub fn equip_form(chrome: &Chrome, page: &TaskPage) -> impl IntoView + use<> {
    let TaskKind::EquipNewHire { request, .. } = &page.task.kind else {
        unreachable!("checked by the caller")
    };
    let asked = request
        .clone()
        .unwrap_or_else(|| "hardware for the new hire".into());
    let action = format!("/tasks/{}/equip", page.task.id);
    let stock = &page.hardware.in_stock;
    let rows = stock
        .iter()
        .map(|a| {
            let place = a.location.clone().unwrap_or_default();
            view! {
                <tr>
                    <td><label class="inline"><input type="checkbox" name="asset" value=a.id.0.clone()/>{a.model.clone()}</label></td>
                    <td>{a.serial.clone()}</td>
                    <td>{a.tag.clone().unwrap_or_default()}</td>
                    <td>{place}</td>
                </tr>
            }
        })
        .collect_view();
    let table = if stock.is_empty() {
        view! { <p class="muted">"Nothing is in stock. Add devices under Hardware (or import a CSV), then come back."</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table aria-label="In stock">
                    <thead><tr><th>"Device"</th><th>"Serial"</th><th>"Tag"</th><th>"At"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <div class="card"><p>{format!("Requested: {asked}.")}</p></div>
        <form method="post" action=action>
            {chrome.csrf_field()}
            {store_section(page)}
            <div class="card">
                <h2>"Assign from stock"</h2>
                <p class="muted">"Ticked devices are assigned to the new hire when you confirm; an order goes to its supplier; the task closes."</p>
                {table}
            </div>
            <label for="note">"Note (optional)"</label>
            <textarea id="note" name="note"></textarea>
            <div class="actions"><button type="submit">"Confirm and close"</button></div>
        </form>
        {super::cancel_form(chrome, page)}
    }
}

/// Equip New Hire's other way: order a product from the store, delivered to an address.
fn store_section(page: &TaskPage) -> impl IntoView + use<> {
    let products = &page.hardware.settings.products;
    if products.is_empty() {
        return view! { <div class="card"><h2>"Order from the store"</h2><p class="muted">"The store has no products yet (Hardware → Store)."</p></div> }.into_any();
    }
    let options = products
        .iter()
        .map(|p| {
            let label = format!(
                "{} {} ({}.{:02} {}, {})",
                p.model,
                p.specs,
                p.price_cents / 100,
                p.price_cents % 100,
                page.hardware.settings.currency,
                p.supplier
            );
            view! { <option value=p.id.clone()>{label}</option> }
        })
        .collect_view();
    view! {
        <div class="card">
            <h2>"Order from the store"</h2>
            <label for="product">"Product"</label>
            <select id="product" name="product"><option value="">"none"</option>{options}</select>
            {address_fields("ship", "Deliver to", page.employee.name(), "The new hire's home, or an office: the supplier gets this address with the purchase request.", &page.prefill)}
        </div>
    }
    .into_any()
}

/// Receive Returned Devices: where each device goes now.
pub fn receive_form(chrome: &Chrome, page: &TaskPage) -> impl IntoView + use<> {
    let TaskKind::ReceiveDevices { what, shipment, .. } = &page.task.kind else {
        unreachable!("checked by the caller")
    };
    let action = format!("/tasks/{}/receive", page.task.id);
    let settings = page.hardware.settings.clone();
    let rows = page
        .hardware
        .task_assets
        .iter()
        .map(|a| {
            let name = format!("to.{}", a.id);
            let loc = format!("location.{}", a.id);
            let reason = format!("reason.{}", a.id);
            let here = a.location.clone();
            view! {
                <tr>
                    <td><a href=format!("/hardware/assets/{}", a.id)>{a.label()}</a></td>
                    <td>{a.state.words()}</td>
                    <td>
                        <select name=name aria-label=format!("What becomes of {}", a.model)>
                            <option value="stock" selected=true>"Back in stock"</option>
                            <option value="repair">"Send to repair"</option>
                            <option value="retire">"Retire"</option>
                        </select>
                        " at "
                        <select name=loc aria-label="Where">{place_options(&settings, here.as_deref())}</select>
                        <input type="text" name=reason placeholder="Why retired (when retiring)"/>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let shipment = shipment
        .as_ref()
        .map(|s| view! { <p>"Return " {s.0.clone()}</p> });
    view! {
        <div class="card"><p>{format!("Devices of {}: {what}.", page.employee.name())}</p>{shipment}</div>
        <form method="post" action=action>
            {chrome.csrf_field()}
            <div class="table-wrap">
                <table aria-label="Returned devices">
                    <thead><tr><th>"Device"</th><th>"Now"</th><th>"Goes"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <label for="note">"Note (optional)"</label>
            <textarea id="note" name="note"></textarea>
            <div class="actions"><button type="submit">"Received: confirm"</button></div>
        </form>
        {super::cancel_form(chrome, page)}
    }
}

/// The devices step of Offboard Employee, one row per device the employee has.
pub fn offboard_devices(page: &TaskPage) -> impl IntoView + use<> {
    let hw = &page.hardware;
    let settings = hw.settings.clone();
    let ships_to = |a: &Asset| {
        let mut opts = Vec::new();
        if settings.warehouse.is_some() {
            opts.push((
                "ship_to_warehouse".to_string(),
                "Ship to the warehouse".to_string(),
            ));
        }
        for s in &settings.sites {
            opts.push((
                format!("ship_to_site:{}", s.key),
                format!("Ship to {}", s.name),
            ));
        }
        opts.push(("in_person".into(), "Return in person".into()));
        opts.push(("keep".into(), "Employee keeps it (leaves inventory)".into()));
        let first = page
            .prefill
            .get(&format!("device.{}", a.id))
            .cloned()
            .or_else(|| opts.first().map(|o| o.0.clone()))
            .unwrap_or_default();
        let options = opts
            .into_iter()
            .map(|(v, l)| {
                let sel = v == first;
                view! { <option value=v selected=sel>{l}</option> }
            })
            .collect_view();
        view! { <select name=format!("device.{}", a.id) aria-label=format!("How {} comes back", a.model)>{options}</select> }
    };
    let rows = hw
        .held
        .iter()
        .filter(|a| a.return_shipment.is_none())
        .map(|a| {
            let chosen = page
                .prefill
                .get(&format!("mdm.{}", a.id))
                .cloned()
                .unwrap_or_else(|| "lock".into());
            let mdm = match &a.mdm {
                Some(m) if m.managed => view! {
                    <select name=format!("mdm.{}", a.id) aria-label=format!("MDM action for {}", a.model)>
                        <option value="lock" selected=chosen == "lock">{format!("Lock ({})", m.connector)}</option>
                        <option value="wipe" selected=chosen == "wipe">{format!("Wipe ({})", m.connector)}</option>
                        <option value="none" selected=chosen == "none">"Leave unchanged: the data stays on a device that leaves your hands"</option>
                    </select>
                }
                .into_any(),
                Some(m) => view! { <span class="muted">{format!("known to {} but not managed: lock or wipe it by hand", m.connector)}</span> }.into_any(),
                None => view! { <span class="muted">"no MDM manages it: lock or wipe it by hand"</span> }.into_any(),
            };
            view! {
                <tr>
                    <td><a href=format!("/hardware/assets/{}", a.id)>{a.label()}</a></td>
                    <td>{ships_to(a)}</td>
                    <td>{mdm}</td>
                </tr>
            }
        })
        .collect_view();
    let carrier = match &hw.carrier {
        Some(name) => format!(
            "Shipped devices go in one box: {name} books the return when you confirm, and the \
             employee's personal email gets the drop-off code (or the printable label)."
        ),
        None => "No carrier is set up (Settings → Integrations): shipped devices get a task \
                 for the hardware champions to send a label by hand."
            .to_string(),
    };
    view! {
        <div class="table-wrap">
            <table aria-label="Devices">
                <thead><tr><th>"Device"</th><th>"Comes back"</th><th>"MDM"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="muted">{carrier}</p>
    }
}

/// The origin (the employee) and destination address fields of a shipped return,
/// filled from `prefill` (what was submitted before a refusal) where it has them.
pub fn address_fields(
    prefix: &str,
    legend: &'static str,
    name: String,
    hint: &'static str,
    prefill: &Prefill,
) -> impl IntoView + use<> {
    let prefix = prefix.to_string();
    let f = move |field: &'static str| format!("{prefix}.{field}");
    let v = |field: &'static str| prefill.get(&f(field)).cloned().unwrap_or_default();
    let name = prefill.get(&f("name")).cloned().unwrap_or(name);
    let (street, city, region, postal, country, phone) = (
        v("street"),
        v("city"),
        v("region"),
        v("postal_code"),
        v("country"),
        v("phone"),
    );
    view! {
        <fieldset>
            <legend>{legend}</legend>
            <p class="muted">{hint}</p>
            <label for=f("name")>"Name"</label>
            <input id=f("name") name=f("name") type="text" value=name/>
            <label for=f("street")>"Street (one line per row, at most three)"</label>
            <textarea id=f("street") name=f("street")>{street}</textarea>
            <label for=f("city")>"City"</label>
            <input id=f("city") name=f("city") type="text" value=city/>
            <label for=f("region")>"State or region"</label>
            <input id=f("region") name=f("region") type="text" value=region/>
            <label for=f("postal_code")>"Postal code"</label>
            <input id=f("postal_code") name=f("postal_code") type="text" value=postal/>
            <label for=f("country")>"Country (two letters, e.g. US)"</label>
            <input id=f("country") name=f("country") type="text" maxlength="2" value=country/>
            <label for=f("phone")>"Phone (optional)"</label>
            <input id=f("phone") name=f("phone") type="text" value=phone/>
        </fieldset>
    }
}

/// The fields a refused form was submitted with, to show it again as it was.
pub type Prefill = std::collections::BTreeMap<String, String>;

/// The employee's returns on the Offboard page once confirmed, and on the profile.
pub fn returns_table(returns: &[ReturnShipment], show_address: bool) -> impl IntoView + use<> {
    if returns.is_empty() {
        return view! { <p class="muted">"No return shipments."</p> }.into_any();
    }
    let rows = returns
        .iter()
        .map(|s| {
            let tracking = match &s.booking {
                Some(b) => match &b.tracking_url {
                    Some(u) => view! { <a href=u.clone() rel="noopener noreferrer" target="_blank">{b.tracking_number.clone()}</a> }.into_any(),
                    None => view! { <span>{b.tracking_number.clone()}</span> }.into_any(),
                },
                None => view! { <span class="muted">"—"</span> }.into_any(),
            };
            let from = if show_address {
                s.origin.one_line()
            } else {
                "(shown to admins and hardware champions)".into()
            };
            let assets = s.assets.iter().map(|a| a.0.clone()).collect::<Vec<_>>().join(", ");
            view! {
                <tr>
                    <td><a href=format!("/hardware/returns/{}", s.id)>{s.id.0.clone()}</a></td>
                    <td>{assets}</td>
                    <td>{s.state.words()}{s.last_event.clone().map(|e| format!(" ({e})"))}</td>
                    <td>{tracking}</td>
                    <td>{from}</td>
                    <td>{s.destination.one_line()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table aria-label="Returns">
                <thead><tr><th>"Return"</th><th>"Devices"</th><th>"Status"</th><th>"Tracking"</th><th>"From"</th><th>"To"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The employee's devices as they stand: state and return.
pub fn devices_now(held: &[Asset]) -> impl IntoView + use<> {
    if held.is_empty() {
        return view! { <p class="muted">"No devices assigned any more."</p> }.into_any();
    }
    let items = held
        .iter()
        .map(|a| {
            let ret = a
                .return_shipment
                .as_ref()
                .map(|r| format!(", return {r}"))
                .unwrap_or_default();
            view! { <li><a href=format!("/hardware/assets/{}", a.id)>{a.label()}</a>{format!(": {}{ret}", a.state.words())}</li> }
        })
        .collect_view();
    view! { <ul>{items}</ul> }.into_any()
}
