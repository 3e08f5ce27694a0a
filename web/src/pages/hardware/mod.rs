//! Hardware (admins and hardware champions): the company's assets with search and
//! filters, adding one or importing a CSV, each asset's history and moves, the
//! returns of leavers' devices, and the places devices go back to.

mod asset;
mod assets;
mod returns;
mod settings;
mod store;

pub use asset::{AssetPage, asset_page};
pub use assets::{AssetsPage, assets_page};
pub use returns::{ReturnPage, return_page, returns_page};
pub use settings::settings_page;
pub use store::{StorePage, store_page};

use leptos::prelude::*;

/// The hardware sub-navigation; `here` is the current tab's key.
pub fn tabs(here: &'static str, admin: bool) -> impl IntoView {
    let mut tabs = vec![
        ("assets", "/hardware", "Assets"),
        ("store", "/hardware/store", "Store"),
        ("returns", "/hardware/returns", "Returns"),
    ];
    if admin {
        tabs.push(("settings", "/hardware/settings", "Sites & warehouse"));
    }
    let links = tabs
        .into_iter()
        .map(|(key, href, label)| {
            let current = (key == here).then_some("page");
            view! { <a href=href aria-current=current>{label}</a> }
        })
        .collect_view();
    view! {
        <nav aria-label="Hardware" class="card" style="display:flex;flex-wrap:wrap;gap:.4rem 1.1rem;padding:.6rem 1rem">
            {links}
        </nav>
    }
}

/// "$1,299.00" style, in the settings' currency.
pub fn money(cents: u64, currency: &str) -> String {
    format!("{}.{:02} {currency}", cents / 100, cents % 100)
}
