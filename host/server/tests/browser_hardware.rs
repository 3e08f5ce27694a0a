//! A hardware champion's day in a real headless Chromium (the harness of `browser.rs`),
//! with no carrier and no MDM set up: the warehouse address saved; a CSV import that
//! names its bad row and imports nothing, then imports the rest when told to skip it;
//! the assets searched by serial; a pre-hire equipped with two laptops from stock; her
//! offboarding with one laptop handed in (restocked through Receive Returned Devices,
//! its history showing it) and one shipped to the warehouse by hand, listed under
//! Returns. Each step asserts what the page shows and the state behind it.

mod common;

use common::browser::{Page, browser};
use common::ui_client::{Ui, champion};
use fantoccini::Locator;
use tenure_domain::hardware::AssetState;
use tenure_domain::{AssetId, Task, TaskKind, UserId};

/// The admin, a hardware champion too; `Ui::add_user` gives this password.
const ADA: &str = "ada";
const PASSWORD: &str = "a long enough password";

/// Three good rows; row 5 (the header is row 1) names a site that does not exist.
const CSV: &str = "model,serial,tag,location\n\
                   MacBook Air 13,C02AIR0001,IT-1,warehouse\n\
                   ThinkPad X1,PF0X10002,IT-2,warehouse\n\
                   Dell XPS 13,DXPS0003,,warehouse\n\
                   Surface Laptop,SURF0004,,berlin\n";

/// Chooses the option with this visible text in the `<select>` matched by `css`.
async fn choose(page: &Page, css: &str, label: &str) {
    page.client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .select_by_label(label)
        .await
        .unwrap_or_else(|e| panic!("{css} has no option `{label}`: {e}"));
}

/// The text of the first element matched by `css`.
async fn text_of(page: &Page, css: &str) -> String {
    page.client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap()
}

/// The asset with this serial number (imported by the page).
async fn asset_id(ui: &Ui, serial: &str) -> AssetId {
    ui.state
        .engine
        .read(|k| k.hardware.by_serial(serial).map(|a| a.id.clone()))
        .await
        .unwrap_or_else(|| panic!("no asset {serial}"))
}

async fn asset_state(ui: &Ui, id: &AssetId) -> AssetState {
    ui.state
        .engine
        .read(|k| k.hardware.asset(id).map(|a| a.state))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hardware_champion_stocks_equips_and_takes_back_devices_in_the_browser() {
    // Tenure with an admin who is the hardware champion; no carrier, no MDM.
    let ui = Ui::start().await;
    ui.add_user(ADA, true);
    let mut catalog = ui.state.engine.read(|k| k.catalog.clone()).await;
    catalog.champions.hardware = vec![champion(ADA)];
    ui.set_catalog(catalog, ADA).await;

    let (_driver, client) = browser().await;
    // With `TENURE_UPDATE_SCREENSHOTS=1` it refreshes the README's hardware screenshots.
    let shots = std::env::var_os("TENURE_UPDATE_SCREENSHOTS")
        .map(|_| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web/screenshots"));
    let page = Page {
        client,
        base: ui.base.clone(),
        shots,
    };
    page.go("/login").await;
    page.fill("#user", ADA).await;
    page.fill("#password", PASSWORD).await;
    page.press("Sign in").await;
    page.arrives("/tasks").await;

    // 1. The warehouse devices ship back to.
    page.go("/hardware/settings").await;
    for (field, value) in [
        ("site_name", "Main warehouse"),
        ("name", "Acme IT"),
        ("street", "100 Main St"),
        ("city", "Springfield"),
        ("region", "IL"),
        ("postal_code", "62701"),
        ("country", "US"),
    ] {
        page.fill(&format!("[name='warehouse.{field}']"), value)
            .await;
    }
    page.press("Save").await;
    page.shows(&["Saved."]).await;
    assert_eq!(
        page.client
            .find(Locator::Css("[name='warehouse.city']"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Springfield"),
        "the saved warehouse comes back in the form"
    );
    let warehouse = ui
        .state
        .engine
        .read(|k| k.hardware.settings.warehouse.clone())
        .await
        .expect("a warehouse");
    assert_eq!(warehouse.key, "warehouse");
    assert_eq!(warehouse.address.street, ["100 Main St"]);

    // 2. Stock from a CSV: the bad row is named and nothing is imported...
    page.go("/hardware").await;
    page.shows(&["0 assets"]).await;
    page.click("details:has(#csv) summary").await;
    page.fill("#csv", CSV).await;
    page.press("Import").await;
    page.shows(&[
        "Nothing was imported",
        "Row 5: there is no site or warehouse `berlin`",
    ])
    .await;
    let text = page.text().await;
    assert!(
        !text.contains("Row 2") && !text.contains("Row 3") && !text.contains("Row 4"),
        "only the bad row is named:\n{text}"
    );
    let count = ui.state.engine.read(|k| k.hardware.assets().count()).await;
    assert_eq!(count, 0, "a bad row refuses the whole file");
    // ...until the bad rows are skipped on purpose (the pasted text is kept).
    let kept = page
        .client
        .find(Locator::Css("#csv"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert!(
        kept.is_some_and(|v| v.contains("SURF0004")),
        "the refused file is kept to fix"
    );
    page.click("input[name='skip_bad_rows']").await;
    page.press("Import").await;
    page.arrives("/hardware").await;
    page.shows(&["Imported 3 assets. Skipped 1 bad row.", "3 assets"])
        .await;
    page.shot("hardware-assets").await;
    let table = text_of(&page, "table[aria-label='Assets']").await;
    for serial in ["C02AIR0001", "PF0X10002", "DXPS0003"] {
        assert!(table.contains(serial), "{serial} listed:\n{table}");
    }
    assert!(!table.contains("SURF0004"), "the skipped row is not");
    assert!(table.contains("in stock"));
    // The search box finds one by serial.
    page.fill("#q", "pf0x10002").await;
    page.click("form[role='search'] button").await;
    page.arrives("/hardware?q=pf0x10002").await;
    page.shows(&["1 asset"]).await;
    let table = text_of(&page, "table[aria-label='Assets']").await;
    assert!(table.contains("ThinkPad X1") && table.contains("PF0X10002"));
    assert!(
        !table.contains("MacBook") && !table.contains("Dell"),
        "{table}"
    );
    let mac = asset_id(&ui, "C02AIR0001").await;
    let thinkpad = asset_id(&ui, "PF0X10002").await;

    // 3. A pre-hire whose IT setup asks for hardware: Equip New Hire from stock.
    page.go("/employees/new").await;
    page.fill("#given_name", "Hana").await;
    page.fill("#family_name", "Hire").await;
    page.fill("#work_email", "hana.hire@acme.test").await;
    page.press("Add and continue to IT setup").await;
    page.arrives("/tasks/").await;
    page.shows(&["Employee added.", "Complete IT Setup"]).await;
    page.hydrated().await;
    page.click("input[name='needs_hardware'][value='yes']")
        .await;
    page.fill("#hardware", "Two laptops").await;
    page.press("Confirm IT setup").await;
    page.shows(&["IT setup confirmed.", "Hana Hire"]).await;
    let hana = ui
        .state
        .engine
        .read(|k| {
            let key = tenure_domain::employee::email_key("hana.hire@acme.test");
            k.employees.by_email_key(&key).next().map(|e| e.id.clone())
        })
        .await
        .expect("Hana added");
    let profile = format!("/employees/{hana}");
    let equip = ui
        .state
        .engine
        .read(|k| {
            k.tasks
                .values()
                .find(|t| t.is_open() && matches!(t.kind, TaskKind::EquipNewHire { .. }))
                .map(|t| (t.id.clone(), t.assignees.clone()))
        })
        .await
        .expect("Equip New Hire opened");
    assert_eq!(equip.1, [UserId(ADA.into())], "for the hardware champions");
    page.go("/tasks").await;
    page.press("Equip New Hire").await;
    page.arrives(&format!("/tasks/{}", equip.0)).await;
    page.shows(&["Requested: Two laptops.", "Assign from stock"])
        .await;
    page.shot("equip-new-hire").await;
    let boxes = page
        .client
        .find_all(Locator::Css(
            "table[aria-label='In stock'] input[type='checkbox'][name='asset']",
        ))
        .await
        .unwrap();
    assert_eq!(boxes.len(), 3, "every in-stock asset can be picked");
    let stock = text_of(&page, "table[aria-label='In stock']").await;
    assert!(stock.contains("C02AIR0001") && stock.contains("DXPS0003"));
    for id in [&mac, &thinkpad] {
        page.click(&format!("input[name='asset'][value='{id}']"))
            .await;
    }
    // Its button's words change with what the form does (assign, order): the form's own.
    page.click("form[action$='/equip'] button[type='submit']")
        .await;
    page.arrives(&profile).await;
    page.shows(&["Hardware", "Equip New Hire"]).await;
    let devices = text_of(&page, "table[aria-label='Devices']").await;
    for line in ["MacBook Air 13 (C02AIR0001", "ThinkPad X1 (PF0X10002"] {
        let row = devices
            .lines()
            .find(|l| l.contains(line))
            .unwrap_or_else(|| panic!("{line} not on the Hardware card:\n{devices}"));
        assert!(row.contains("assigned"), "{row}");
    }
    assert!(
        !devices.contains("Dell"),
        "the unticked laptop stays in stock"
    );
    assert_eq!(asset_state(&ui, &mac).await, AssetState::Assigned);

    // 4. Offboarding her: the Mac handed in, the ThinkPad shipped by hand.
    page.click("details.card summary").await;
    page.press("Offboard employee now").await;
    page.arrives("/tasks/").await;
    page.shows(&[
        "Offboarding opened",
        "2. Devices",
        "no MDM manages it: lock or wipe it by hand",
        "No carrier is set up",
    ])
    .await;
    let offboard_task = page.path().await;
    let rows = text_of(&page, "table[aria-label='Devices']").await;
    assert_eq!(
        rows.matches("no MDM manages it").count(),
        2,
        "one row per device:\n{rows}"
    );
    for field in ["name", "street", "city", "region", "postal_code", "country"] {
        let found = page
            .client
            .find(Locator::Css(&format!("[name='origin.{field}']")))
            .await;
        assert!(found.is_ok(), "the employee's address asks for {field}");
    }
    let device = |id: &AssetId| format!("select[name='device.{id}']");
    // Shipping needs her address: refused without one, and with half of one.
    choose(&page, &device(&mac), "Return in person").await;
    choose(&page, &device(&thinkpad), "Ship to the warehouse").await;
    page.press("Confirm offboarding").await;
    page.shows(&["confirm the address the return label picks up from"])
        .await;
    // The refused page comes back as it was sent: the champion only adds what is missing.
    let value = |css: String| {
        let page = &page;
        async move {
            page.client
                .find(Locator::Css(&css))
                .await
                .unwrap()
                .prop("value")
                .await
                .unwrap()
                .unwrap_or_default()
        }
    };
    assert_eq!(value(device(&mac)).await, "in_person", "the choice is kept");
    page.fill("[name='origin.street']", "12 Elm St").await;
    page.fill("[name='origin.city']", "Shelbyville").await;
    page.press("Confirm offboarding").await;
    page.shows(&["the employee's address: the address needs a postal code"])
        .await;
    assert_eq!(page.path().await, format!("{offboard_task}/offboard"));
    assert_eq!(value(device(&mac)).await, "in_person");
    assert_eq!(value(device(&thinkpad)).await, "ship_to_warehouse");
    assert_eq!(value("[name='origin.city']".into()).await, "Shelbyville");
    page.shows(&["No carrier is set up"]).await;
    page.shot("offboard-devices").await;
    for (field, value) in [
        ("region", "IL"),
        ("postal_code", "62565"),
        ("country", "us"),
    ] {
        page.fill(&format!("[name='origin.{field}']"), value).await;
    }
    page.press("Confirm offboarding").await;
    page.arrives(&profile).await;
    page.shows(&["Offboarding confirmed.", "terminated"]).await;

    // The handed-in Mac: Receive Returned Devices for the hardware champions; the
    // shipped ThinkPad: one to send its label by hand.
    let open: Vec<Task> = ui
        .state
        .engine
        .read(|k| k.tasks.values().filter(|t| t.is_open()).cloned().collect())
        .await;
    let receiving: Vec<(&Task, &[AssetId], bool, &str)> = open
        .iter()
        .filter_map(|t| match &t.kind {
            TaskKind::ReceiveDevices {
                assets,
                shipment,
                what,
            } => Some((t, assets.as_slice(), shipment.is_some(), what.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(receiving.len(), 2, "{receiving:?}");
    let (handed_in, assets, shipped, what) = receiving
        .iter()
        .find(|r| !r.2)
        .expect("Receive Returned Devices for the handed-in Mac");
    assert_eq!((*assets, *shipped), (std::slice::from_ref(&mac), false));
    assert!(what.contains("to be handed in"), "{what}");
    assert_eq!(handed_in.assignees, [UserId(ADA.into())]);
    let (_, assets, _, what) = receiving.iter().find(|r| r.2).unwrap();
    assert_eq!(*assets, std::slice::from_ref(&thinkpad));
    assert!(what.contains("send a return label by hand"), "{what}");
    page.go("/tasks").await;
    page.shows(&["Receive Returned Devices"]).await;
    page.go(&format!("/tasks/{}", handed_in.id)).await;
    page.shows(&["Receive Returned Devices", "to be handed in", "C02AIR0001"])
        .await;
    choose(&page, &format!("select[name='to.{mac}']"), "Back in stock").await;
    page.press("Received: confirm").await;
    page.arrives(&profile).await;
    page.shows(&["Devices received."]).await;
    page.go(&format!("/hardware/assets/{mac}")).await;
    let state = page
        .client
        .find(Locator::XPath(
            "//dt[normalize-space()='State']/following-sibling::dd[1]",
        ))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(state, "in stock");
    let history = text_of(&page, "table[aria-label='History']").await;
    assert!(history.contains("received from Hana Hire"), "{history}");
    assert!(history.contains("in stock at warehouse"), "{history}");
    assert_eq!(asset_state(&ui, &mac).await, AssetState::InStock);

    // 5. The shipped ThinkPad: a return by hand, with her address, under Returns.
    page.go("/hardware/returns").await;
    let returns = text_of(&page, "table[aria-label='Returns']").await;
    assert!(returns.contains("by hand (no carrier set up)"), "{returns}");
    assert!(returns.contains(&thinkpad.0), "{returns}");
    assert!(
        returns.contains("Hana Hire, 12 Elm St, Shelbyville, IL 62565, US"),
        "{returns}"
    );
    assert!(returns.contains("Acme IT, 100 Main St, Springfield, IL 62701, US"));
    assert_eq!(asset_state(&ui, &thinkpad).await, AssetState::Assigned);

    // 6. The store: a product, an order from Equip New Hire, its delivery assigned.
    page.go("/hardware/store").await;
    page.click("details.card > summary").await;
    for (field, value) in [
        ("#pid", "air13"),
        ("#pmodel", "MacBook Air 13"),
        ("#pspecs", "M2, 16 GB"),
        ("#pprice", "1199"),
        ("#psupplier", "Reseller"),
        ("#pemail", "orders@reseller.test"),
    ] {
        page.fill(field, value).await;
    }
    page.press("Save product").await;
    page.shows(&["Saved.", "MacBook Air 13", "orders@reseller.test"])
        .await;
    page.go("/employees/new").await;
    page.fill("#given_name", "Omar").await;
    page.fill("#family_name", "Order").await;
    page.fill("#work_email", "omar.order@acme.test").await;
    page.press("Add and continue to IT setup").await;
    page.arrives("/tasks/").await;
    page.hydrated().await;
    page.click("input[name='needs_hardware'][value='yes']")
        .await;
    page.fill("#hardware", "A light laptop").await;
    page.press("Confirm IT setup").await;
    // A champion who also equips goes straight on to Equip New Hire.
    page.shows(&["Now equip the new hire.", "Order from the store"])
        .await;
    choose(
        &page,
        "#product",
        "MacBook Air 13 M2, 16 GB (1199.00 USD, Reseller)",
    )
    .await;
    for (field, value) in [
        ("street", "5 Pine Rd"),
        ("city", "Springfield"),
        ("region", "IL"),
        ("postal_code", "62703"),
        ("country", "US"),
    ] {
        page.fill(&format!("[name='ship.{field}']"), value).await;
    }
    page.click("form[action$='/equip'] button[type='submit']")
        .await;
    page.shows(&["New hire equipped."]).await;
    page.go("/hardware/store").await;
    let orders = text_of(&page, "table[aria-label='Orders']").await;
    assert!(
        orders.contains("Omar Order") && orders.contains("ordered"),
        "{orders}"
    );
    page.click("table[aria-label='Orders'] details summary")
        .await;
    page.fill(
        "table[aria-label='Orders'] input[name='serial']",
        "C02ORDER01",
    )
    .await;
    page.press("Delivered: assign it").await;
    page.shows(&["Order updated.", "delivered"]).await;
    let delivered = asset_id(&ui, "C02ORDER01").await;
    assert_eq!(asset_state(&ui, &delivered).await, AssetState::Assigned);

    page.client.close().await.unwrap();
}
