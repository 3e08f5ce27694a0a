//! Unit tests against the SDK's fake host: UPS's answers scripted as UPS documents them
//! (and as the fake in `tests/fakes/src/ups` serves them).

use super::*;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};
use tenure_sdk::testing::{FakeHost, Method, Reply};

const BASE: &str = "https://wwwcie.ups.com";
const TOKEN_URL: &str = "https://wwwcie.ups.com/security/v1/oauth/token";
const SHIP: &str = "https://wwwcie.ups.com/api/shipments/v2409/ship";
const DROP_OFF: &str = "https://wwwcie.ups.com/api/ups-store/iship/v1/direct-to-mobile";
const TRACK: &str = "https://wwwcie.ups.com/api/track/v1/details/";
const VOID: &str = "https://wwwcie.ups.com/api/shipments/v2409/void/cancel/";
const TRACKING: &str = "1ZA1B2C30312345674";
const GIF: &[u8] = b"GIF89a-label";
const PNG: &[u8] = b"\x89PNG-code";

fn host() -> FakeHost {
    let host = FakeHost::new()
        .with_manifest(include_str!("../manifest.toml"))
        .config("base_url", BASE)
        .config("client_id", "client-1")
        .config("account_number", "a1b2c3")
        .secret("client_secret", "s3cret");
    host.on(Method::Post, TOKEN_URL).reply(token_reply("tok-1"));
    host
}

fn token_reply(token: &str) -> Reply {
    Reply::json(
        200,
        &json!({"token_type": "Bearer", "access_token": token, "expires_in": "14399",
            "status": "approved", "issued_at": "1735689600000", "client_id": "client-1"}),
    )
}

fn ups_error(status: u16, code: Value, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({"response": {"errors": [{"code": code, "message": message}]}}),
    )
}

fn address(name: &str, postal: &str, region: &str) -> Address {
    Address {
        name: name.into(),
        street: vec!["1 Main St".into(), "Apt 4".into()],
        city: "Town".into(),
        region: Some(region.into()),
        postal_code: postal.into(),
        country: "US".into(),
        phone: Some("+1 (404) 555-0100".into()),
    }
}

fn request() -> ReturnRequest {
    ReturnRequest {
        origin: address("Ada Lovelace", "94105", "CA"),
        destination: address("Acme IT Warehouse", "30303", "GA"),
        description: "MacBook Pro 16-inch with USB-C charger and sleeve".into(),
        weight_grams: 2500,
        declared_value: Some(249_900),
        currency: "usd".into(),
        reference: "RET-0042".into(),
    }
}

fn package_result(n: &str) -> Value {
    json!({"TrackingNumber": n, "ShippingLabel": {"ImageFormat": {"Code": "GIF"},
        "GraphicImage": B64.encode(GIF)}})
}

fn shipped(package_results: Value) -> Reply {
    Reply::json(
        200,
        &json!({"ShipmentResponse": {
            "Response": {"ResponseStatus": {"Code": "1", "Description": "Success"}},
            "ShipmentResults": {"ShipmentIdentificationNumber": TRACKING,
                "PackageResults": package_results}}}),
    )
}

fn dropped_off() -> Reply {
    Reply::json(
        200,
        &json!({"dropoffOID": "abc", "trackingNo": TRACKING, "dropOffDocument": {
            "imageOutput": B64.encode(PNG), "text": "UNPK-RET0042"}}),
    )
}

fn tracked(package: Value) -> Reply {
    Reply::json(
        200,
        &json!({"trackResponse": {"shipment": [{"inquiryNumber": TRACKING, "package": [package]}]}}),
    )
}

#[test]
fn a_return_is_billed_to_the_account_insured_and_described_in_35_characters() {
    let host = host();
    host.on(Method::Post, SHIP)
        .reply(shipped(package_result(TRACKING)));
    host.on(Method::Post, DROP_OFF).reply(dropped_off());
    let booking = UpsCarrier::book_return(request()).unwrap();
    assert_eq!(booking.tracking_number, TRACKING);
    assert_eq!(
        booking.tracking_url.as_deref(),
        Some("https://www.ups.com/track?tracknum=1ZA1B2C30312345674")
    );

    let sent = host.requests_to(Method::Post, SHIP).remove(0);
    assert_eq!(sent.header("authorization"), Some("Bearer tok-1"));
    assert!(sent.header("transId").is_some_and(|t| t.len() <= 32));
    assert_eq!(sent.header("transactionSrc"), Some("tenure"));
    let body: Value = sent.json();
    let s = &body["ShipmentRequest"]["Shipment"];
    assert_eq!(s["ReturnService"]["Code"], "9");
    assert_eq!(s["Shipper"]["ShipperNumber"], "A1B2C3");
    assert_eq!(s["Shipper"]["Name"], "Acme IT Warehouse");
    assert_eq!(s["ShipTo"]["Address"]["PostalCode"], "30303");
    assert_eq!(s["ShipFrom"]["Name"], "Ada Lovelace");
    assert_eq!(s["ShipFrom"]["Address"]["StateProvinceCode"], "CA");
    assert_eq!(
        s["ShipFrom"]["Address"]["AddressLine"],
        json!(["1 Main St", "Apt 4"])
    );
    assert_eq!(s["ShipFrom"]["Phone"]["Number"], "14045550100");
    assert_eq!(
        s["PaymentInformation"]["ShipmentCharge"][0],
        json!({"Type": "01", "BillShipper": {"AccountNumber": "A1B2C3"}})
    );
    assert_eq!(s["Service"]["Code"], "03");
    let p = &s["Package"][0];
    assert_eq!(p["Description"], "MacBook Pro 16-inch with USB-C char");
    assert_eq!(p["Description"].as_str().unwrap().chars().count(), 35);
    assert_eq!(
        p["PackageWeight"],
        json!({"UnitOfMeasurement": {"Code": "LBS"}, "Weight": "5.6"})
    );
    assert_eq!(
        p["PackageServiceOptions"]["DeclaredValue"],
        json!({"CurrencyCode": "USD", "MonetaryValue": "2499.00"})
    );
    assert_eq!(p["ReferenceNumber"], json!([{"Value": "RET-0042"}]));
    assert_eq!(
        body["ShipmentRequest"]["LabelSpecification"]["LabelImageFormat"]["Code"],
        "GIF"
    );
}

#[test]
fn the_drop_off_code_comes_with_the_label() {
    let host = host();
    host.on(Method::Post, SHIP)
        .reply(shipped(package_result(TRACKING)));
    host.on(Method::Post, DROP_OFF).reply(dropped_off());
    let booking = UpsCarrier::book_return(request()).unwrap();
    let code = booking.drop_off.unwrap();
    assert_eq!(code.text, "UNPK-RET0042");
    assert_eq!(code.image.as_deref(), Some(PNG));
    let label = booking.label.unwrap();
    assert_eq!(
        (label.content_type.as_str(), label.data.as_slice()),
        ("image/gif", GIF)
    );

    let sent = host.requests_to(Method::Post, DROP_OFF).remove(0);
    assert_eq!(
        sent.header("content-type"),
        Some("application/json;type=vnd.iShip.Dropoff")
    );
    assert_eq!(
        sent.header("x-iship-date"),
        Some("Wed, 01 Jan 2025 00:00:00 GMT")
    );
    assert!(sent.header("transId").is_some());
    let body: Value = sent.json();
    assert_eq!(body["trackingNo"], TRACKING);
    assert_eq!(body["mobileInfo"]["mobileId"], "RET0042");
    assert_eq!(body["mobileInfo"]["programRef1"], "Acme IT Warehouse");
    assert_eq!(body["description"].as_str().unwrap().chars().count(), 35);
    assert_eq!(body["fromAddress"]["postalCode"], "94105");
    for field in ["dimensions", "weight", "carrierId", "serviceID"] {
        assert!(!body[field].is_null(), "{field}");
    }
}

#[test]
fn several_packages_answer_with_an_array_of_results() {
    let host = host().config("label_free", "false");
    host.on(Method::Post, SHIP).reply(shipped(json!([
        package_result(TRACKING),
        package_result("1ZA1B2C30312345683")
    ])));
    let booking = UpsCarrier::book_return(request()).unwrap();
    assert_eq!(booking.tracking_number, TRACKING);
    assert_eq!(booking.label.unwrap().data, GIF);
    assert!(booking.drop_off.is_none());
    assert!(
        host.requests_to(Method::Post, DROP_OFF).is_empty(),
        "label_free off"
    );
}

#[test]
fn an_address_ups_refuses_is_invalid_input_in_ups_words() {
    let host = host();
    host.on(Method::Post, SHIP).reply(ups_error(
        400,
        json!("120507"),
        "The ship from postal code \"9410\" is not a valid postal code for US.",
    ));
    let err = UpsCarrier::book_return(request()).unwrap_err();
    match err {
        Error::InvalidInput(m) => {
            assert!(m.contains("ship from postal code \"9410\""), "{m}");
            assert!(m.contains("120507"), "{m}");
            assert!(!m.contains("s3cret"));
        }
        other => panic!("expected invalid input, got {other:?}"),
    }
    assert!(host.requests_to(Method::Post, DROP_OFF).is_empty());
}

#[test]
fn without_the_drop_off_contract_the_label_goes_out_and_the_log_says_why() {
    let host = host();
    host.on(Method::Post, SHIP)
        .reply(shipped(package_result(TRACKING)));
    host.on(Method::Post, DROP_OFF)
        .reply(ups_error(403, json!(403), "Authorization Failed"));
    let booking = UpsCarrier::book_return(request()).unwrap();
    assert!(booking.drop_off.is_none());
    assert_eq!(booking.label.unwrap().data, GIF);
    assert!(host.logged("no label-free drop-off"), "{:?}", host.logs());
}

#[test]
fn a_drop_off_outage_fails_the_booking_for_a_retry() {
    let host = host();
    host.on(Method::Post, SHIP)
        .reply(shipped(package_result(TRACKING)));
    host.on(Method::Post, DROP_OFF).reply(Reply::status(503));
    assert!(matches!(
        UpsCarrier::book_return(request()),
        Err(Error::Unavailable(_))
    ));
}

#[test]
fn the_token_is_cached_between_calls() {
    let host = host();
    host.on(Method::Get, &format!("{TRACK}{TRACKING}?locale=en_US&returnSignature=false"))
        .times(2)
        .reply(tracked(json!({"currentStatus": {"code": "003", "description": "Label Created"},
            "activity": [{"status": {"type": "M", "code": "MP", "description": "Shipper created a label"}}]})));
    UpsCarrier::track_return(TRACKING.into()).unwrap();
    UpsCarrier::track_return(TRACKING.into()).unwrap();
    assert_eq!(host.requests_to(Method::Post, TOKEN_URL).len(), 1, "cached");
    let token = host.requests_to(Method::Post, TOKEN_URL).remove(0);
    assert_eq!(
        token.form("grant_type").as_deref(),
        Some("client_credentials")
    );
    assert_eq!(
        token.header("authorization"),
        Some(format!("Basic {}", B64.encode("client-1:s3cret")).as_str())
    );
}

#[test]
fn a_revoked_token_is_replaced_and_a_wrong_secret_is_unauthorized() {
    let host = host();
    let track_url = format!("{TRACK}{TRACKING}?locale=en_US&returnSignature=false");
    host.on(Method::Get, &track_url).once().reply(ups_error(
        401,
        json!("250002"),
        "Invalid Authentication Information.",
    ));
    host.on(Method::Get, &track_url).reply(tracked(
        json!({"currentStatus": {"code": "005", "description": "On the Way"},
            "activity": [{"status": {"type": "I", "description": "Origin Scan"}}]}),
    ));
    let t = UpsCarrier::track_return(TRACKING.into()).unwrap();
    assert_eq!(t.state, ShipmentState::InTransit);
    assert_eq!(host.requests_to(Method::Post, TOKEN_URL).len(), 2);

    let host = FakeHost::new()
        .with_manifest(include_str!("../manifest.toml"))
        .config("base_url", BASE)
        .config("client_id", "client-1")
        .config("account_number", "A1B2C3")
        .secret("client_secret", "wrong");
    host.on(Method::Post, TOKEN_URL)
        .reply(ups_error(401, json!("10401"), "ClientId is Invalid"));
    match UpsCarrier::test_connection() {
        Err(Error::Unauthorized(m)) => assert!(!m.contains("wrong"), "{m}"),
        other => panic!("expected unauthorized, got {other:?}"),
    }
}

#[test]
fn test_connection_gets_a_new_token_and_checks_the_settings() {
    let host = host();
    UpsCarrier::test_connection().unwrap();
    UpsCarrier::test_connection().unwrap();
    assert_eq!(
        host.requests_to(Method::Post, TOKEN_URL).len(),
        2,
        "not the cached one"
    );
    host.set_config("account_number", Some("12"));
    assert!(
        matches!(UpsCarrier::test_connection(), Err(Error::Unauthorized(m)) if m.contains("account_number"))
    );
    host.set_config("account_number", Some("A1B2C3"));
    host.set_config("weight_unit", Some("stone"));
    assert!(
        matches!(UpsCarrier::test_connection(), Err(Error::Unauthorized(m)) if m.contains("weight_unit"))
    );
}

#[test]
fn kilograms_are_sent_when_the_account_ships_in_them() {
    let host = host()
        .config("weight_unit", "kgs")
        .config("label_free", "false");
    host.on(Method::Post, SHIP)
        .reply(shipped(package_result(TRACKING)));
    let mut r = request();
    r.declared_value = None;
    r.reference = String::new();
    UpsCarrier::book_return(r).unwrap();
    let body: Value = host.last_request().json();
    let p = &body["ShipmentRequest"]["Shipment"]["Package"][0];
    assert_eq!(
        p["PackageWeight"],
        json!({"UnitOfMeasurement": {"Code": "KGS"}, "Weight": "2.5"})
    );
    assert!(p.get("PackageServiceOptions").is_none());
    assert!(p.get("ReferenceNumber").is_none());
}

#[test]
fn void_treats_already_voided_as_done_and_a_moving_parcel_as_conflict() {
    let host = host();
    host.on(Method::Delete, &format!("{VOID}{TRACKING}"))
        .once()
        .reply(Reply::json(
            200,
            &json!({"VoidShipmentResponse": {"Response": {"ResponseStatus": {"Code": "1"}},
            "SummaryResult": {"Status": {"Code": "1", "Description": "Voided"}}}}),
        ));
    UpsCarrier::void_return(TRACKING.into()).unwrap();
    host.on(Method::Delete, &format!("{VOID}{TRACKING}"))
        .once()
        .reply(ups_error(
            400,
            json!("190117"),
            "The shipment has already been voided",
        ));
    UpsCarrier::void_return(TRACKING.into()).unwrap();
    host.on(Method::Delete, &format!("{VOID}{TRACKING}"))
        .once()
        .reply(ups_error(
            400,
            json!("190102"),
            "No shipment found within the allowed void period",
        ));
    assert!(matches!(
        UpsCarrier::void_return(TRACKING.into()),
        Err(Error::Conflict(m)) if m.contains("void period")
    ));
}

#[test]
fn tracking_reads_ups_words_and_the_delivery_date() {
    let host = host();
    let url = format!("{TRACK}{TRACKING}?locale=en_US&returnSignature=false");
    host.on(Method::Get, &url).once().reply(tracked(json!({
        "currentStatus": {"code": "011", "description": "Delivered"},
        "activity": [{"status": {"type": "D", "code": "FS", "description": "DELIVERED"},
            "date": "20250103", "time": "101500"}],
        "deliveryDate": [{"type": "DEL", "date": "20250103"}]})));
    let t = UpsCarrier::track_return(TRACKING.into()).unwrap();
    assert_eq!(t.state, ShipmentState::Delivered);
    assert_eq!(t.description, "Delivered");
    assert_eq!(t.delivered_at.as_deref(), Some("2025-01-03"));
    let sent = host.last_request();
    assert_eq!(sent.header("transactionSrc"), Some("tenure"));

    host.on(Method::Get, &url).once().reply(tracked(json!({
        "currentStatus": {"code": "003", "description": "Label Created"},
        "activity": [{"status": {"type": "M", "description": "Shipper created a label, UPS has not received the package yet."}}]})));
    let t = UpsCarrier::track_return(TRACKING.into()).unwrap();
    assert_eq!((t.state, t.delivered_at), (ShipmentState::Created, None));

    host.on(Method::Get, &url).once().reply(tracked(json!({
        "currentStatus": {"code": "X1", "description": "Exception: address unknown"},
        "activity": [{"status": {"type": "X", "description": "The address is unknown"}}]})));
    assert_eq!(
        UpsCarrier::track(TRACKING.into()).unwrap(),
        ShipmentState::Exception
    );

    host.on(Method::Get, &url).once().reply(ups_error(
        404,
        json!("TW0001"),
        "Tracking Information Not Found",
    ));
    assert!(matches!(
        UpsCarrier::track_return(TRACKING.into()),
        Err(Error::NotFound(m)) if m.contains("Tracking Information Not Found")
    ));
}

#[test]
fn a_rate_limited_call_waits_as_told() {
    let host = host();
    host.on(Method::Post, SHIP)
        .reply(ups_error(429, json!("429"), "Too Many Requests").header("retry-after", "7"));
    assert!(matches!(
        UpsCarrier::book_return(request()),
        Err(Error::RateLimited(7))
    ));
}

#[test]
fn the_base_interface_books_with_the_parcel() {
    let host = host();
    host.on(Method::Post, SHIP)
        .reply(shipped(package_result(TRACKING)));
    host.on(Method::Post, DROP_OFF).reply(dropped_off());
    let made = UpsCarrier::create_return(
        address("Ada Lovelace", "94105", "CA"),
        address("Acme IT", "30303", "GA"),
        Parcel {
            description: "Laptop".into(),
            weight_grams: 2000,
        },
    )
    .unwrap();
    assert_eq!(made.tracking_number, TRACKING);
    assert_eq!(made.drop_off_code.as_deref(), Some(PNG));
    assert_eq!(made.label.as_deref(), Some(GIF));
    let ship: Value = host.requests_to(Method::Post, SHIP).remove(0).json();
    assert_eq!(
        ship["ShipmentRequest"]["Shipment"]["Package"][0]["Description"],
        "Laptop"
    );
    let drop: Value = host.requests_to(Method::Post, DROP_OFF).remove(0).json();
    assert_eq!(
        drop["mobileInfo"]["mobileId"], TRACKING,
        "no reference: the tracking number"
    );
}
