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
    super::sub_nav("Hardware", tabs, here)
}

/// "$1,299.00" style, in the settings' currency.
pub fn money(cents: u64, currency: &str) -> String {
    format!("{}.{:02} {currency}", cents / 100, cents % 100)
}
