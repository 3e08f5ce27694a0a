//! The warehouse and company sites devices ship back to (admins).

use leptos::prelude::*;
use tenure_domain::hardware::{HardwareSettings, Site};

use crate::pages::task_forms::hardware::{Prefill, address_fields};

use super::tabs;
use crate::pages::form_error;
use crate::{Chrome, Nav, document};

fn site_fields(prefix: String, site: Option<&Site>, warehouse: bool) -> impl IntoView + use<> {
    let key = site.map(|s| s.key.clone()).unwrap_or_default();
    let name = site.map(|s| s.name.clone()).unwrap_or_default();
    // The address fields, filled from the site as a refused form would be.
    let mut fill = Prefill::new();
    if let Some(a) = site.map(|s| &s.address) {
        let f = |k: &str| format!("{prefix}.{k}");
        fill.insert(f("name"), a.name.clone());
        fill.insert(f("street"), a.street.join("\n"));
        fill.insert(f("city"), a.city.clone());
        fill.insert(f("region"), a.region.clone().unwrap_or_default());
        fill.insert(f("postal_code"), a.postal_code.clone());
        fill.insert(f("country"), a.country.clone());
        fill.insert(f("phone"), a.phone.clone().unwrap_or_default());
    }
    let legend = if warehouse {
        "Warehouse".to_string()
    } else if site.is_some() {
        format!("Site {key}")
    } else {
        "A new site".to_string()
    };
    let k = format!("{prefix}.key");
    let n = format!("{prefix}.site_name");
    view! {
        <fieldset>
            <legend>{legend}</legend>
            {(!warehouse).then(|| view! {
                <label for=k.clone()>"Key (short, e.g. berlin; empty to remove the site)"</label>
                <input id=k.clone() name=k.clone() type="text" value=key/>
            })}
            <label for=n.clone()>"Name"</label>
            <input id=n.clone() name=n type="text" value=name/>
            {address_fields(&prefix, "Address", String::new(), "The name is who the carrier's label names.", &fill)}
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
