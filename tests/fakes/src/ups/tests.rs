//! The UPS fake over real HTTP, as a client sees it.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::*;

const ID: &str = "test-client";
const SECRET: &str = "test-secret";

struct Resp {
    status: u16,
    head: String,
    body: Value,
}

/// One HTTP/1.1 request with `Connection: close`; `headers` as `Name: value` lines.
async fn send(origin: &str, method: &str, path: &str, headers: &[String], body: &str) -> Resp {
    let addr = origin.strip_prefix("http://").unwrap();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for h in headers {
        req.push_str(h);
        req.push_str("\r\n");
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let body = serde_json::from_slice(&raw[split + 4..]).unwrap_or(Value::Null);
    Resp { status, head, body }
}

async fn token_as(origin: &str, id: &str, secret: &str) -> Resp {
    let basic = B64.encode(format!("{id}:{secret}"));
    send(
        origin,
        "POST",
        "/security/v1/oauth/token",
        &[
            format!("Authorization: Basic {basic}"),
            "Content-Type: application/x-www-form-urlencoded".into(),
            "x-merchant-id: A1B2C3".into(),
        ],
        "grant_type=client_credentials",
    )
    .await
}

/// A running fake and a token for it.
struct Api {
    origin: String,
    token: String,
    _server: ServerHandle,
}

impl Api {
    async fn start(fake: &FakeUps) -> Api {
        let (origin, server) = fake.clone().serve(0).await.unwrap();
        let token = token_as(&origin, ID, SECRET).await.body["access_token"]
            .as_str()
            .unwrap()
            .to_string();
        Api {
            origin,
            token,
            _server: server,
        }
    }

    async fn call(&self, method: &str, path: &str, extra: &[&str], body: Option<Value>) -> Resp {
        let mut headers = vec![
            format!("Authorization: Bearer {}", self.token),
            "transId: t-1".into(),
            "transactionSrc: tenure-tests".into(),
        ];
        headers.extend(extra.iter().map(|h| h.to_string()));
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        if !body.is_empty() && !extra.iter().any(|h| h.starts_with("Content-Type")) {
            headers.push("Content-Type: application/json".into());
        }
        send(&self.origin, method, path, &headers, &body).await
    }

    async fn ship(&self, body: Value) -> Resp {
        self.call("POST", "/api/shipments/v2409/ship", &[], Some(body))
            .await
    }

    async fn track(&self, number: &str) -> Resp {
        self.call("GET", &format!("/api/track/v1/details/{number}"), &[], None)
            .await
    }

    async fn void(&self, id: &str) -> Resp {
        self.call(
            "DELETE",
            &format!("/api/shipments/v2409/void/cancel/{id}"),
            &[],
            None,
        )
        .await
    }

    async fn drop_off(&self, tracking: &str, extra: &[&str]) -> Resp {
        let addr = json!({"companyName": "Ada Lovelace", "address1": "1 Main St",
            "city": "Atlanta", "stateProv": "GA", "postalCode": "30303", "country": "US"});
        let body = json!({
            "description": "Laptop", "fromAddress": addr, "toAddress": addr,
            "dimensions": {"units": "inches", "height": 4, "length": 18, "width": 13},
            "weight": {"actual": {"units": "lbs", "value": 5.0}, "chargeMethod": 0},
            "mobileInfo": {"mobileId": "RET42", "billMethod": 2, "movementType": 1,
                "programType": 2, "programRef1": "Acme IT"},
            "trackingNo": tracking, "carrierId": 1, "serviceID": 1991,
        });
        let mut headers = vec![
            "x-iship-date: Wed, 10 Nov 2021 21:42:37 GMT",
            "Content-Type: application/json;type=vnd.iShip.Dropoff",
        ];
        headers.extend_from_slice(extra);
        self.call(
            "POST",
            "/api/ups-store/iship/v1/direct-to-mobile",
            &headers,
            Some(body),
        )
        .await
    }
}

fn party(name: &str, postal: &str, state: &str) -> Value {
    json!({"Name": name, "Address": {"AddressLine": ["1 Main St"], "City": "Town",
        "StateProvinceCode": state, "PostalCode": postal, "CountryCode": "US"}})
}

fn package(description: Option<&str>) -> Value {
    let mut p = json!({
        "Packaging": {"Code": "02"},
        "PackageWeight": {"UnitOfMeasurement": {"Code": "LBS"}, "Weight": "5.0"},
        "PackageServiceOptions": {"DeclaredValue": {"CurrencyCode": "USD", "MonetaryValue": "1200.00"}},
        "ReferenceNumber": {"Value": "RET-42"},
    });
    if let Some(d) = description {
        p["Description"] = json!(d);
    }
    p
}

fn return_request(from_postal: &str, packages: Value) -> Value {
    let mut shipper = party("Acme IT", "30303", "GA");
    shipper["ShipperNumber"] = json!("A1B2C3");
    json!({"ShipmentRequest": {
        "Shipment": {
            "Description": "Laptop return",
            "ReturnService": {"Code": "9"},
            "Shipper": shipper,
            "ShipTo": party("Acme IT", "30303", "GA"),
            "ShipFrom": party("Ada Lovelace", from_postal, "CA"),
            "PaymentInformation": {"ShipmentCharge": [{"Type": "01", "BillShipper": {"AccountNumber": "A1B2C3"}}]},
            "Service": {"Code": "03"},
            "Package": packages,
        },
        "LabelSpecification": {"LabelImageFormat": {"Code": "PNG"}},
    }})
}

fn error(r: &Resp) -> (Value, String) {
    let e = &r.body["response"]["errors"][0];
    (
        e["code"].clone(),
        e["message"].as_str().unwrap_or("").to_string(),
    )
}

#[tokio::test]
async fn tokens_need_the_apps_credentials_and_expire_in_a_string() {
    let fake = FakeUps::new(ID, SECRET);
    let (origin, _server) = fake.clone().serve(0).await.unwrap();
    let bad = token_as(&origin, ID, "wrong").await;
    assert_eq!(bad.status, 401);
    assert_eq!(error(&bad).0, json!("10401"));
    let ok = token_as(&origin, ID, SECRET).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body["token_type"], "Bearer");
    assert_eq!(ok.body["status"], "approved");
    assert!(ok.body["expires_in"].is_string());
    assert_eq!(fake.token_request_count(), 2);

    let no_token = send(&origin, "GET", "/api/track/v1/details/1Z", &[], "").await;
    assert_eq!(no_token.status, 401);
    assert_eq!(error(&no_token).0, json!("250002"));
}

#[tokio::test]
async fn a_return_is_booked_with_one_package_as_an_object_and_several_as_an_array() {
    let fake = FakeUps::new(ID, SECRET);
    let api = Api::start(&fake).await;
    let one = api
        .ship(return_request("94105", package(Some("Laptop"))))
        .await;
    assert_eq!(one.status, 200, "{}", one.body);
    let results = &one.body["ShipmentResponse"]["ShipmentResults"];
    assert_eq!(
        one.body["ShipmentResponse"]["Response"]["ResponseStatus"]["Code"],
        "1"
    );
    let tracking = results["PackageResults"]["TrackingNumber"]
        .as_str()
        .unwrap();
    assert_eq!(results["ShipmentIdentificationNumber"], tracking);
    let label = results["PackageResults"]["ShippingLabel"]["GraphicImage"]
        .as_str()
        .unwrap();
    assert!(B64.decode(label).unwrap().starts_with(b"\x89PNG"));

    let two = api
        .ship(return_request(
            "94105",
            json!([package(Some("Laptop")), package(Some("Charger"))]),
        ))
        .await;
    let list = two.body["ShipmentResponse"]["ShipmentResults"]["PackageResults"]
        .as_array()
        .unwrap();
    assert_eq!(list.len(), 2);

    let booked = fake.shipment(tracking).unwrap();
    assert_eq!(booked.reference.as_deref(), Some("RET-42"));
    assert_eq!(booked.declared_value.as_deref(), Some("1200.00"));
    assert_eq!(booked.return_service, "9");
    assert_eq!(booked.ship_from_name, "Ada Lovelace");
    assert_eq!(
        (
            booked.ship_from_postal.as_str(),
            booked.ship_to_postal.as_str()
        ),
        ("94105", "30303")
    );
    assert_eq!(booked.status, "created");
    assert_eq!(fake.shipments().len(), 2);
}

#[tokio::test]
async fn bad_addresses_and_undescribed_returns_are_refused() {
    let fake = FakeUps::new(ID, SECRET);
    let api = Api::start(&fake).await;
    let short = api
        .ship(return_request("9410", package(Some("Laptop"))))
        .await;
    assert_eq!(short.status, 400);
    assert!(
        error(&short).1.contains("ship from postal code"),
        "{}",
        short.body
    );
    let wrong_state = api
        .ship(return_request("30303", package(Some("Laptop"))))
        .await;
    assert_eq!(wrong_state.status, 400);
    assert!(
        error(&wrong_state).1.contains("invalid for CA"),
        "{}",
        wrong_state.body
    );
    let undescribed = api.ship(return_request("94105", package(None))).await;
    assert_eq!(undescribed.status, 400);
    assert!(error(&undescribed).1.contains("description"));
    assert!(fake.shipments().is_empty());
}

#[tokio::test]
async fn a_shipment_voids_once_and_not_after_pickup() {
    let fake = FakeUps::new(ID, SECRET);
    let api = Api::start(&fake).await;
    let first = api
        .ship(return_request("94105", package(Some("Laptop"))))
        .await
        .body["ShipmentResponse"]["ShipmentResults"]["ShipmentIdentificationNumber"]
        .as_str()
        .unwrap()
        .to_string();
    let ok = api.void(&first).await;
    assert_eq!(ok.status, 200);
    assert_eq!(
        ok.body["VoidShipmentResponse"]["SummaryResult"]["Status"]["Description"],
        "Voided"
    );
    assert!(fake.shipment(&first).unwrap().voided);
    assert_eq!(error(&api.void(&first).await).0, json!("190117"));

    let second = api
        .ship(return_request("94105", package(Some("Laptop"))))
        .await
        .body["ShipmentResponse"]["ShipmentResults"]["ShipmentIdentificationNumber"]
        .as_str()
        .unwrap()
        .to_string();
    fake.pick_up(&second);
    let late = api.void(&second).await;
    assert_eq!((late.status, error(&late).0), (400, json!("190102")));
    assert_eq!(
        error(&api.void("1Z0000000000000000").await).0,
        json!("190101")
    );
}

#[tokio::test]
async fn drop_off_codes_need_the_contract_and_the_headers() {
    let fake = FakeUps::new(ID, SECRET);
    let api = Api::start(&fake).await;
    let booked = api
        .ship(return_request("94105", package(Some("Laptop"))))
        .await;
    let tracking =
        booked.body["ShipmentResponse"]["ShipmentResults"]["ShipmentIdentificationNumber"]
            .as_str()
            .unwrap()
            .to_string();
    let ok = api.drop_off(&tracking, &[]).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.body["dropOffDocument"]["text"], "UNPK-RET42");
    let png = B64
        .decode(ok.body["dropOffDocument"]["imageOutput"].as_str().unwrap())
        .unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    assert_eq!(
        fake.shipment(&tracking).unwrap().drop_off_text.as_deref(),
        Some("UNPK-RET42")
    );
    let unknown = api.drop_off("1Z0000000000000000", &[]).await;
    assert_eq!(unknown.status, 400);

    fake.set_drop_off(false);
    let refused = api.drop_off(&tracking, &[]).await;
    assert_eq!(refused.status, 403);
    assert_eq!(error(&refused), (json!(403), "Authorization Failed".into()));
}

#[tokio::test]
async fn drop_off_without_its_date_header_is_a_bad_request() {
    let fake = FakeUps::new(ID, SECRET);
    let api = Api::start(&fake).await;
    let resp = api
        .call(
            "POST",
            "/api/ups-store/iship/v1/direct-to-mobile",
            &[],
            Some(json!({})),
        )
        .await;
    assert_eq!(resp.status, 400);
    assert_eq!(
        error(&resp),
        (json!(400), "Missing required header x-iship-date".into())
    );
}

#[tokio::test]
async fn tracking_follows_the_parcel_to_delivery() {
    let fake = FakeUps::new(ID, SECRET);
    let api = Api::start(&fake).await;
    let booked = api
        .ship(return_request("94105", package(Some("Laptop"))))
        .await;
    let n = booked.body["ShipmentResponse"]["ShipmentResults"]["ShipmentIdentificationNumber"]
        .as_str()
        .unwrap()
        .to_string();
    let package_of = |r: &Resp| r.body["trackResponse"]["shipment"][0]["package"][0].clone();
    let created = package_of(&api.track(&n).await);
    assert_eq!(created["currentStatus"]["description"], "Label Created");
    assert_eq!(created["activity"][0]["status"]["type"], "M");
    assert!(created.get("deliveryDate").is_none());

    fake.pick_up(&n);
    let moving = package_of(&api.track(&n).await);
    assert_eq!(moving["activity"][0]["status"]["type"], "I");
    fake.deliver(&n);
    let done = package_of(&api.track(&n).await);
    assert_eq!(done["activity"][0]["status"]["type"], "D");
    assert_eq!(done["deliveryDate"][0]["type"], "DEL");
    assert_eq!(done["deliveryDate"][0]["date"].as_str().unwrap().len(), 8);
    assert_eq!(fake.shipment(&n).unwrap().status, "delivered");

    let unknown = api.track("1Z0000000000000000").await;
    assert_eq!((unknown.status, error(&unknown).0), (404, json!("TW0001")));
    let bare = send(
        &api.origin,
        "GET",
        &format!("/api/track/v1/details/{n}"),
        &[format!("Authorization: Bearer {}", api.token)],
        "",
    )
    .await;
    assert_eq!(bare.status, 400);
}

#[tokio::test]
async fn shipments_advance_by_themselves_when_asked() {
    let fake = FakeUps::new(ID, SECRET).with_auto_advance(Duration::from_millis(100));
    let api = Api::start(&fake).await;
    api.ship(return_request("94105", package(Some("Laptop"))))
        .await;
    assert_eq!(fake.shipments()[0].status, "created");
    tokio::time::sleep(Duration::from_millis(120)).await;
    assert_eq!(fake.shipments()[0].status, "in_transit");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(fake.shipments()[0].status, "delivered");
}

#[tokio::test]
async fn calls_past_the_rate_limit_are_told_to_wait() {
    let fake = FakeUps::new(ID, SECRET).with_rate_limit(1, Duration::from_secs(30));
    let api = Api::start(&fake).await;
    assert_eq!(api.track("1Z0000000000000000").await.status, 404);
    let limited = api.track("1Z0000000000000000").await;
    assert_eq!(limited.status, 429);
    assert!(limited.head.contains("retry-after: 30"), "{}", limited.head);
    assert_eq!(fake.request_count(), 2);
}
