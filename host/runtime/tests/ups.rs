//! The ups carrier plugin against the fake UPS APIs, through the real runtime.

mod common;

use common::*;
use std::sync::Arc;
use tenure_fakes::ups::FakeUps;
use tenure_runtime::optional::{ReturnBooking, ReturnRequest, Tracking};
use tenure_runtime::types::{Address, Error, ShipmentState};
use tenure_runtime::{CallError, MemoryStateStore, Plugin};

const PLUGIN: &str = "ups";
const CLIENT: &str = "test-client-id";
const SECRET: &str = "test-client-secret";
const ACCOUNT: &str = "A1B2C3";

struct Setup {
    fake: FakeUps,
    plugin: Plugin,
    _state: Arc<MemoryStateStore>,
    _server: tenure_fakes::ServerHandle,
}

async fn setup_with(fake: FakeUps, secret: &str) -> Setup {
    let (origin, server) = fake.clone().serve(0).await.unwrap();
    let (rt, state) = strict_runtime();
    state.set_setting(PLUGIN, "base_url", &origin);
    state.set_setting(PLUGIN, "client_id", CLIENT);
    state.set_setting(PLUGIN, "account_number", ACCOUNT);
    state.set_secret(PLUGIN, "client_secret", secret);
    let (manifest, wasm) = bundled(PLUGIN);
    let plugin = rt.load(manifest, wasm).unwrap();
    Setup {
        fake,
        plugin,
        _state: state,
        _server: server,
    }
}

async fn setup() -> Setup {
    setup_with(FakeUps::new(CLIENT, SECRET), SECRET).await
}

fn address(name: &str, postal: &str, region: &str) -> Address {
    Address {
        name: name.into(),
        street: vec!["1 Main St".into()],
        city: "Springfield".into(),
        region: Some(region.into()),
        postal_code: postal.into(),
        country: "US".into(),
        phone: Some("404-555-0100".into()),
    }
}

fn request(origin_postal: &str, reference: &str) -> ReturnRequest {
    ReturnRequest {
        origin: address("Ada Lovelace", origin_postal, "CA"),
        destination: address("Acme IT", "30303", "GA"),
        description: "MacBook Pro 14-inch and its USB-C charger".into(),
        weight_grams: 2200,
        declared_value: Some(180_000),
        currency: "USD".into(),
        reference: reference.into(),
    }
}

async fn book(s: &Setup, reference: &str) -> ReturnBooking {
    s.plugin
        .ship_book_return(&request("94105", reference))
        .await
        .expect("booked")
}

fn plugin_error<T: std::fmt::Debug>(r: Result<T, CallError>) -> Error {
    match r {
        Err(CallError::Plugin(e)) => e,
        other => panic!("expected a plugin error, got {other:?}"),
    }
}

async fn tracking(s: &Setup, n: &str) -> Tracking {
    s.plugin.ship_track_return(n).await.expect("tracked")
}

#[tokio::test]
async fn a_return_comes_with_a_drop_off_code_and_the_label() {
    let s = setup().await;
    s.plugin.ship_test_connection().await.unwrap();
    let booking = book(&s, "RET-1001").await;
    let code = booking.drop_off.as_ref().expect("a drop-off code");
    assert!(code.text.starts_with("UNPK-"), "{}", code.text);
    assert_eq!(code.text, "UNPK-RET1001");
    assert!(code.image.as_ref().unwrap().starts_with(b"\x89PNG"));
    let label = booking.label.as_ref().expect("the label too");
    assert_eq!(label.content_type, "image/gif");
    assert!(label.data.starts_with(b"GIF"));
    assert_eq!(
        booking.tracking_url.as_deref(),
        Some(
            format!(
                "https://www.ups.com/track?tracknum={}",
                booking.tracking_number
            )
            .as_str()
        )
    );

    let booked = s.fake.shipment(&booking.tracking_number).unwrap();
    assert_eq!(booked.reference.as_deref(), Some("RET-1001"));
    assert_eq!(booked.declared_value.as_deref(), Some("1800.00"));
    assert_eq!(booked.return_service, "9");
    assert_eq!(booked.ship_from_name, "Ada Lovelace");
    assert_eq!(booked.ship_from_postal, "94105");
    assert_eq!(booked.ship_to_postal, "30303");
    assert_eq!(booked.drop_off_text.as_deref(), Some("UNPK-RET1001"));
    assert_eq!(s.fake.token_request_count(), 1, "one token for both calls");
}

#[tokio::test]
async fn without_the_drop_off_contract_the_label_goes_out() {
    let s = setup_with(FakeUps::new(CLIENT, SECRET).with_drop_off(false), SECRET).await;
    let booking = book(&s, "RET-1002").await;
    assert!(booking.drop_off.is_none());
    assert!(booking.label.unwrap().data.starts_with(b"GIF"));
    let booked = s.fake.shipment(&booking.tracking_number).unwrap();
    assert_eq!(booked.drop_off_text, None);
    assert_eq!(booked.reference.as_deref(), Some("RET-1002"));
}

#[tokio::test]
async fn a_bad_postal_code_is_invalid_input_in_ups_words() {
    let s = setup().await;
    let e = plugin_error(
        s.plugin
            .ship_book_return(&request("9410", "RET-1003"))
            .await,
    );
    match e {
        Error::InvalidInput(m) => assert!(
            m.contains("The ship from postal code \"9410\" is not a valid postal code for US."),
            "{m}"
        ),
        other => panic!("expected invalid input, got {other:?}"),
    }
    assert!(s.fake.shipments().is_empty());
}

#[tokio::test]
async fn a_return_is_voided_once_and_not_after_pickup() {
    let s = setup().await;
    let first = book(&s, "RET-1004").await.tracking_number;
    s.plugin.ship_void_return(&first).await.unwrap();
    assert!(s.fake.shipment(&first).unwrap().voided);
    s.plugin
        .ship_void_return(&first)
        .await
        .expect("already voided is done");

    let second = book(&s, "RET-1005").await.tracking_number;
    s.fake.pick_up(&second);
    assert!(matches!(
        plugin_error(s.plugin.ship_void_return(&second).await),
        Error::Conflict(_)
    ));
    assert!(!s.fake.shipment(&second).unwrap().voided);
}

#[tokio::test]
async fn tracking_follows_the_return_to_delivery() {
    let s = setup().await;
    let n = book(&s, "RET-1006").await.tracking_number;
    let t = tracking(&s, &n).await;
    assert!(matches!(t.state, ShipmentState::Created), "{t:?}");
    assert_eq!(t.description, "Label Created");
    assert_eq!(t.delivered_at, None);

    s.fake.pick_up(&n);
    let t = tracking(&s, &n).await;
    assert!(matches!(t.state, ShipmentState::InTransit), "{t:?}");
    assert_eq!(t.description, "On the Way");

    s.fake.deliver(&n);
    let t = tracking(&s, &n).await;
    assert!(matches!(t.state, ShipmentState::Delivered), "{t:?}");
    let today = time::OffsetDateTime::now_utc().date();
    assert_eq!(
        t.delivered_at.as_deref(),
        Some(
            format!(
                "{:04}-{:02}-{:02}",
                today.year(),
                u8::from(today.month()),
                today.day()
            )
            .as_str()
        )
    );
    assert!(matches!(
        s.plugin.ship_track(&n).await.unwrap(),
        ShipmentState::Delivered
    ));
    assert!(matches!(
        plugin_error(s.plugin.ship_track_return("1Z0000000000000000").await),
        Error::NotFound(_)
    ));
}

#[tokio::test]
async fn a_wrong_secret_is_unauthorized() {
    let s = setup_with(FakeUps::new(CLIENT, SECRET), "not-the-secret").await;
    match plugin_error(s.plugin.ship_test_connection().await) {
        Error::Unauthorized(m) => assert!(!m.contains("not-the-secret"), "{m}"),
        other => panic!("expected unauthorized, got {other:?}"),
    }
    assert!(matches!(
        plugin_error(
            s.plugin
                .ship_book_return(&request("94105", "RET-1007"))
                .await
        ),
        Error::Unauthorized(_)
    ));
    assert!(s.fake.shipments().is_empty());
}
