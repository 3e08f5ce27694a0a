//! The demo's hardware: a warehouse and an office, a stocked inventory (most Macs known
//! to a fake Fleet, so they can be locked or wiped), a small store, and a fake UPS
//! whose returns move
//! to delivered by themselves, so a newcomer can walk a whole offboarding: book the
//! return, read the QR email in the mail view, watch it arrive, restock the laptop.

use anyhow::Context;
use std::time::Duration;
use tenure_domain::hardware::plan::add_assets;
use tenure_domain::hardware::{HardwareSettings, NewAsset, PostalAddress, Product, Site};
use tenure_domain::{Actor, UserId};
use tenure_fakes::fleet::{FakeFleet, FleetHost};
use tenure_fakes::ups::FakeUps;

use crate::app::AppState;

const FLEET_TOKEN: &str = "demo-fleet-api-token";
const UPS_CLIENT: &str = "demo-ups-client";
const UPS_SECRET: &str = "demo-ups-secret";
/// Returns go in transit this long after booking, and arrive twice as late.
const UPS_ADVANCE: Duration = Duration::from_secs(60);
/// Fleet's devices take a lock or wipe this long after it was sent.
const FLEET_ONLINE: Duration = Duration::from_secs(20);

/// The demo's stock: model, serial, cost in cents, whether Fleet manages it.
const STOCK: [(&str, &str, u64, bool); 6] = [
    ("MacBook Pro 14 (M3)", "C02DEMO0001", 199_900, true),
    ("MacBook Pro 14 (M3)", "C02DEMO0002", 199_900, true),
    ("MacBook Air 13 (M2)", "C02DEMO0003", 119_900, true),
    ("MacBook Air 13 (M2)", "C02DEMO0004", 119_900, true),
    ("Dell Latitude 7440", "DLDEMO0005", 149_900, false),
    ("Dell U2723QE monitor", "CNDEMO0006", 57_900, false),
];

fn address(name: &str, street: &str, city: &str, region: &str, postal: &str) -> PostalAddress {
    PostalAddress {
        name: name.into(),
        street: vec![street.into()],
        city: city.into(),
        region: Some(region.into()),
        postal_code: postal.into(),
        country: "US".into(),
        phone: Some("+1 555 0100".into()),
    }
}

/// Hardware's timing in the demo: tracked and followed every few seconds.
pub fn configure(config: &mut crate::config::Config) {
    config.hardware.poll_secs = 5;
    config.hardware.first_track_secs = 10;
    config.hardware.track_every_secs = 15;
    config.hardware.command_poll_secs = 10;
}

/// Starts the fakes, connects the fleet and ups plugins to them, and (once) sets the
/// places and stocks the inventory.
pub async fn start(
    state: &AppState,
    admin: &str,
) -> anyhow::Result<Vec<tenure_fakes::ServerHandle>> {
    let store = &state.store;
    let fleet = FakeFleet::new(FLEET_TOKEN).with_auto_complete(FLEET_ONLINE);
    for (_, serial, _, managed) in STOCK.iter().filter(|s| s.3) {
        let _ = managed;
        fleet.add_host(FleetHost::mac(serial, None));
    }
    let (fleet_origin, fleet_server) = fleet.serve(0).await.context("starting the demo Fleet")?;
    store.set_setting("fleet", "base_url", &fleet_origin)?;
    store.set_secret("fleet", "api_token", FLEET_TOKEN)?;
    let ups = FakeUps::new(UPS_CLIENT, UPS_SECRET)
        .with_drop_off(true)
        .with_auto_advance(UPS_ADVANCE);
    let (ups_origin, ups_server) = ups.serve(0).await.context("starting the demo UPS")?;
    store.set_setting("ups", "base_url", &ups_origin)?;
    store.set_setting("ups", "client_id", UPS_CLIENT)?;
    store.set_secret("ups", "client_secret", UPS_SECRET)?;
    store.set_setting("ups", "account_number", "A1B2C3")?;
    store.set_setting("ups", "label_free", "true")?;
    tracing::info!(%fleet_origin, %ups_origin, "demo: a fake Fleet and a fake UPS are connected");

    let by = UserId(admin.into());
    if state
        .engine
        .read(|k| k.hardware.settings.warehouse.is_none())
        .await
    {
        let settings = HardwareSettings {
            warehouse: Some(Site {
                key: "warehouse".into(),
                name: "Warehouse".into(),
                address: address(
                    "Acme IT Depot",
                    "100 Industrial Way",
                    "Springfield",
                    "IL",
                    "62701",
                ),
            }),
            sites: vec![Site {
                key: "nyc".into(),
                name: "New York office".into(),
                address: address("Acme New York", "350 5th Ave", "New York", "NY", "10118"),
            }],
            products: vec![
                Product {
                    id: "mbp14".into(),
                    model: "MacBook Pro 14 (M3)".into(),
                    specs: "M3 Pro, 18 GB, 512 GB".into(),
                    price_cents: 199_900,
                    supplier: "Demo Reseller".into(),
                    supplier_email: "orders@reseller.demo.tenure.test".into(),
                    link: None,
                },
                Product {
                    id: "air13".into(),
                    model: "MacBook Air 13 (M2)".into(),
                    specs: "M2, 16 GB, 256 GB".into(),
                    price_cents: 119_900,
                    supplier: "Demo Reseller".into(),
                    supplier_email: "orders@reseller.demo.tenure.test".into(),
                    link: None,
                },
            ],
            ..HardwareSettings::default()
        };
        state
            .engine
            .set_hardware_settings(settings, by.clone())
            .await
            .map_err(|e| anyhow::anyhow!("demo hardware settings: {e}"))?;
    }
    if state.engine.read(|k| k.hardware.asset_count() == 0).await {
        let stock = STOCK
            .iter()
            .map(|(model, serial, cost, _)| NewAsset {
                model: (*model).into(),
                serial: (*serial).into(),
                cost_cents: Some(*cost),
                location: Some("warehouse".into()),
                ..NewAsset::default()
            })
            .collect();
        state
            .engine
            .act(|known, ctx| {
                add_assets(known, stock, Actor::User { id: by }, ctx).map(|(plan, _)| plan)
            })
            .await
            .map_err(|e| anyhow::anyhow!("demo inventory: {e}"))?;
    }
    Ok(vec![fleet_server, ups_server])
}
