//! The warehouse and company sites devices ship back to (admins).

use leptos::prelude::*;
use tenure_domain::hardware::{HardwareSettings, Site};

use super::tabs;
use crate::pages::form_error;
use crate::{Chrome, Nav, document};

fn site_fields(prefix: String, site: Option<&Site>, warehouse: bool) -> impl IntoView + use<> {
    let v = |f: fn(&Site) -> String| site.map(f).unwrap_or_default();
    let key = v(|s| s.key.clone());
    let name = v(|s| s.name.clone());
    let who = v(|s| s.address.name.clone());
    let street = v(|s| s.address.street.join("\n"));
    let city = v(|s| s.address.city.clone());
    let region = v(|s| s.address.region.clone().unwrap_or_default());
    let postal = v(|s| s.address.postal_code.clone());
    let country = v(|s| s.address.country.clone());
    let phone = v(|s| s.address.phone.clone().unwrap_or_default());
    let f = move |field: &str| format!("{prefix}.{field}");
    view! {
        <fieldset>
            <legend>{if warehouse { "Warehouse".to_string() } else if site.is_some() { format!("Site {key}") } else { "A new site".to_string() }}</legend>
            {(!warehouse).then(|| view! {
                <label for=f("key")>"Key (short, e.g. berlin; empty to remove the site)"</label>
                <input id=f("key") name=f("key") type="text" value=key.clone()/>
            })}
            <label for=f("name")>"Name"</label>
            <input id=f("name") name=f("name") type="text" value=name/>
            <label for=f("who")>"Addressee (on the label)"</label>
            <input id=f("who") name=f("who") type="text" value=who/>
            <label for=f("street")>"Street (one line per row)"</label>
            <textarea id=f("street") name=f("street")>{street}</textarea>
            <label for=f("city")>"City"</label>
            <input id=f("city") name=f("city") type="text" value=city/>
            <label for=f("region")>"State or region"</label>
            <input id=f("region") name=f("region") type="text" value=region/>
            <label for=f("postal_code")>"Postal code"</label>
            <input id=f("postal_code") name=f("postal_code") type="text" value=postal/>
            <label for=f("country")>"Country (two letters)"</label>
            <input id=f("country") name=f("country") type="text" maxlength="2" value=country/>
            <label for=f("phone")>"Phone (for the carrier)"</label>
            <input id=f("phone") name=f("phone") type="text" value=phone/>
        </fieldset>
    }
}

pub fn settings_page(chrome: &Chrome, s: HardwareSettings, error: Option<String>) -> String {
    let sites = s
        .sites
        .iter()
        .enumerate()
        .map(|(i, site)| site_fields(format!("site{i}"), Some(site), false))
        .collect_view();
    let blank = site_fields(format!("site{}", s.sites.len()), None, false);
    let body = view! {
        {tabs("settings", true)}
        {form_error(error)}
        <form method="post" action="/hardware/settings" class="card">
            {chrome.csrf_field()}
            <p class="muted">"Where leavers' devices ship back to. Returns are booked with the carrier set up under Settings → Integrations (UPS)."</p>
            {site_fields("warehouse".into(), s.warehouse.as_ref(), true)}
            {sites}
            {blank}
            <label for="weight">"A returned laptop with its charger weighs (grams)"</label>
            <input id="weight" name="parcel_weight_grams" type="number" min="1" value=s.parcel_weight_grams.to_string()/>
            <label for="currency">"Currency of costs and declared values"</label>
            <input id="currency" name="currency" type="text" maxlength="3" value=s.currency.clone()/>
            <div class="actions"><button type="submit">"Save"</button></div>
        </form>
    };
    document(Some(chrome), Nav::Hardware, "Sites & warehouse", body)
}
