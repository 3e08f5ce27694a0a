//! Company hardware end to end through the real `tenure` binary, with the bundled `ups`
//! and `fleet` plugins against their fakes, Merge as HR and a real SMTP server
//! (aiosmtpd): the warehouse is set and stock imported from a CSV file (a bad row
//! refuses the file, skipping it imports the rest, a serial is never there twice);
//! Fleet's devices are matched to assets by serial; a new hire is equipped from stock;
//! offboarding her books a UPS return (an address UPS refuses records nothing), mails
//! her a QR code that reads back as the drop-off code, and locks her Mac through Fleet;
//! the parcel is tracked to the warehouse and restocked. Lock and wipe are refused for
//! devices no MDM manages, and a booked return can be voided.

mod common;

use common::running::Tenure;
use common::{start_smtp, wait_for_mail_to};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tenure_fakes::ServerHandle;
use tenure_fakes::fleet::{FakeFleet, FleetHost};
use tenure_fakes::merge::{FakeMerge, MergeEmployee};
use tenure_fakes::ups::FakeUps;

const ANN: &str = "ann.lee@acme.test";
/// Where her return instructions go: she has no work mailbox once she has left.
const ANN_HOME: &str = "ann.lee@home.example";
const BOB: &str = "bob.ray@acme.test";
/// A Mac that Fleet manages (MDM enrolled).
const MANAGED: &str = "C02MANAGED01";
/// A Mac Fleet knows, not enrolled in MDM.
const NOT_ENROLLED: &str = "C02NOMDM0004";
/// A laptop Fleet does not know.
const UNKNOWN: &str = "C02LOOSE0002";
const FLEET_TOKEN: &str = "fleet-token";

struct Vendors {
    ups: FakeUps,
    fleet: FakeFleet,
    merge: FakeMerge,
    _servers: Vec<ServerHandle>,
}

/// UPS (with label-free drop-off), Fleet with two of the company's Macs, Merge with
/// nobody yet, and the configuration that connects them and follows returns and MDM
/// commands every second.
async fn vendors() -> (Vendors, String) {
    tenure_runtime::install_crypto_provider();
    let ups = FakeUps::new("ups-client", "ups-secret").with_drop_off(true);
    let fleet = FakeFleet::new(FLEET_TOKEN);
    fleet.add_host(FleetHost::mac(MANAGED, Some(ANN)));
    fleet.add_host(FleetHost::mac(NOT_ENROLLED, Some(BOB)).without_mdm());
    let merge = FakeMerge::new("key", "acct");
    let (ups_origin, u) = ups.clone().serve(0).await.unwrap();
    let (fleet_origin, f) = fleet.clone().serve(0).await.unwrap();
    let (merge_origin, m) = merge.clone().serve(0).await.unwrap();
    let config = format!(
        "[integrations.merge-hris]\nbase_url = \"{merge_origin}\"\napi_key = \"key\"\naccount_token = \"acct\"\n\n\
         [integrations.ups]\nbase_url = \"{ups_origin}\"\nclient_id = \"ups-client\"\n\
         client_secret = \"ups-secret\"\naccount_number = \"A1B2C3\"\nlabel_free = \"true\"\n\n\
         [integrations.fleet]\nbase_url = \"{fleet_origin}\"\napi_token = \"{FLEET_TOKEN}\"\n\n\
         [hardware]\npoll_secs = 1\nfirst_track_secs = 1\ntrack_every_secs = 1\ncommand_poll_secs = 1\n"
    );
    (
        Vendors {
            ups,
            fleet,
            merge,
            _servers: vec![u, f, m],
        },
        config,
    )
}

fn address(name: &str, street: &str, postal_code: &str) -> Value {
    json!({"name": name, "street": [street], "city": "Springfield", "region": "IL",
           "postal_code": postal_code, "country": "US"})
}

fn hire(first: &str, last: &str, work: &str, personal: Option<&str>) -> MergeEmployee {
    MergeEmployee {
        first_name: Some(first.into()),
        last_name: Some(last.into()),
        work_email: Some(work.into()),
        personal_email: personal.map(str::to_string),
        employment_status: Some("ACTIVE".into()),
        start_date: Some(format!(
            "{}T00:00:00Z",
            tenure_domain::jiff::Timestamp::now().strftime("%Y-%m-%d")
        )),
        ..MergeEmployee::default()
    }
}

/// Asks `f` every 250 ms until it answers `Ok`, for at most `secs`; the last `Err`
/// says what was seen instead.
async fn until<T>(what: &str, secs: u64, mut f: impl AsyncFnMut() -> Result<T, String>) -> T {
    let started = Instant::now();
    loop {
        match f().await {
            Ok(v) => return v,
            Err(seen) => assert!(
                started.elapsed() < Duration::from_secs(secs),
                "{what} did not happen within {secs} s; last seen: {seen}"
            ),
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

async fn asset(t: &Tenure, id: &str) -> Value {
    t.get(&format!("/assets/{id}")).await
}

/// Waits until asset `id` is in `state`; returns it.
async fn asset_becomes(t: &Tenure, id: &str, state: &str, secs: u64) -> Value {
    until(&format!("{id} {state}"), secs, async || {
        let a = asset(t, id).await["asset"].clone();
        if a["state"] == state {
            Ok(a)
        } else {
            Err(a.to_string())
        }
    })
    .await
}

/// The one open task of `kind` of an employee (filtered here: the API's `kind`
/// filter is checked on its own).
async fn open_task(t: &Tenure, employee: &str, kind: &str) -> Value {
    let open: Vec<Value> = t
        .tasks(&format!("employee={employee}&state=open"))
        .await
        .into_iter()
        .filter(|task| task["kind"]["kind"] == kind)
        .collect();
    assert_eq!(
        open.len(),
        1,
        "one open {kind} task of {employee}: {open:?}"
    );
    open[0].clone()
}

async fn decide(t: &Tenure, task: &Value, decision: Value) -> Value {
    let id = task["id"].as_str().unwrap();
    t.call("POST", &format!("/tasks/{id}/decision"), Some(decision))
        .await
}

/// A request the API must refuse as the client's mistake (400 or 422); returns the
/// body.
async fn refused(t: &Tenure, path: &str, body: Value) -> Value {
    let (status, answer) = t
        .send("POST", path, Some(("application/json", body.to_string())))
        .await;
    assert!(
        status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY,
        "POST {path}: {status} {answer}"
    );
    answer
}

/// The error text of a refusal, whichever shape it has (`error`, or `errors[].reason`).
fn error_text(body: &Value) -> String {
    match body["errors"].as_array() {
        Some(rows) => rows
            .iter()
            .map(|r| format!("row {}: {}", r["row"], r["reason"].as_str().unwrap_or("")))
            .collect::<Vec<_>>()
            .join("; "),
        None => body["error"].as_str().unwrap_or_default().to_string(),
    }
}

async fn import(t: &Tenure, csv: &str, skip_bad_rows: bool) -> (StatusCode, Value) {
    t.send(
        "POST",
        &format!("/assets/import?skip_bad_rows={skip_bad_rows}"),
        Some(("text/csv", csv.to_string())),
    )
    .await
}

/// The serials in inventory, sorted (duplicates kept, to be seen).
async fn serials(t: &Tenure) -> Vec<String> {
    let mut s: Vec<String> = t.get("/assets").await["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["serial"].as_str().unwrap().to_string())
        .collect();
    s.sort();
    s
}

/// The id of the asset with this serial.
async fn asset_id(t: &Tenure, serial: &str) -> String {
    let found = t.get(&format!("/assets?q={serial}")).await;
    let hits = found["assets"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "one asset {serial}: {found}");
    hits[0]["id"].as_str().unwrap().to_string()
}

/// The texts of the barcodes in the PNG images of a raw email, read by zxing-cpp
/// (`tests/vendor_clients/decode_qr.py`).
fn decode_qr(message: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let eml = dir.path().join("return.eml");
    std::fs::write(&eml, message).unwrap();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/vendor_clients/decode_qr.py");
    let out = std::process::Command::new(common::python())
        .arg(script)
        .arg(&eml)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "decode_qr.py: {}\n{message}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// The employee's hardware: assets, returns and MDM commands.
async fn hardware_of(t: &Tenure, employee: &str) -> Value {
    t.get(&format!("/employees/{employee}/hardware")).await
}

/// `ona` champions onboarding and `hal` hardware; no applications, no rules.
async fn champions(t: &Tenure) {
    let champion =
        |user: &str| json!({"user": user, "name": user, "email": format!("{user}@acme.test")});
    t.call(
        "PUT",
        "/catalog",
        Some(
            json!({"champions": {"onboarding": [champion("ona")], "hardware": [champion("hal")]},
                    "applications": [], "rules": []}),
        ),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stock_is_imported_a_hire_is_equipped_and_a_leavers_mac_is_locked_shipped_back_and_restocked()
 {
    let started = Instant::now();
    let smtp = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    let (v, config) = vendors().await;
    let t = Tenure::start(dir.path(), &config, &smtp);
    champions(&t).await;

    // 1. The warehouse, and stock.
    let settings = json!({
        "warehouse": {"key": "warehouse", "name": "Acme warehouse",
                      "address": {"name": "Acme IT", "street": ["100 Main St"], "city": "Springfield",
                                  "region": "IL", "postal_code": "62701", "country": "US"}},
        "sites": [{"key": "hq", "name": "Springfield HQ",
                   "address": address("Acme HQ", "1 Capitol Ave", "62706")}],
        "parcel_weight_grams": 2500,
        "currency": "USD"
    });
    let saved = t
        .call("PUT", "/hardware/settings", Some(settings.clone()))
        .await;
    let read = t.get("/hardware/settings").await;
    for (key, given) in settings.as_object().unwrap() {
        assert_eq!(&saved[key], given, "{key} saved as given");
        assert_eq!(&read[key], given, "{key} read as saved");
    }

    let (status, spare) = t
        .send(
            "POST",
            "/assets",
            Some((
                "application/json",
                json!({"model": "MacBook Air 13", "serial": NOT_ENROLLED, "tag": "T-0004",
                       "purchase_date": "2025-02-01", "cost_cents": 129900,
                       "warranty_end": "2027-02-01", "location": "warehouse"})
                .to_string(),
            )),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{spare}");
    assert!(spare["id"].as_str().unwrap().starts_with("A-"), "{spare}");
    // The same serial, typed differently, is the same device.
    let (status, dup) = t
        .send(
            "POST",
            "/assets",
            Some((
                "application/json",
                json!({"model": "MacBook Air 13", "serial": " c02nomdm0004 "}).to_string(),
            )),
        )
        .await;
    assert!(
        status == StatusCode::CONFLICT || status == StatusCode::UNPROCESSABLE_ENTITY,
        "{status} {dup}"
    );
    assert!(
        error_text(&dup).to_uppercase().contains(NOT_ENROLLED),
        "{dup}"
    );

    // Row 4 has a date that does not exist, row 5 a serial already in inventory: the
    // file is refused whole, naming both.
    let csv = format!(
        "model,serial,tag,purchase_date,cost,warranty_end,location\r\n\
         MacBook Pro 14,{MANAGED},T-0001,2025-01-15,\"2,499.00\",2028-01-15,warehouse\r\n\
         \"ThinkPad X1 Carbon, Gen 11\",{UNKNOWN},T-0002,2025-02-01,1299,,hq\r\n\
         ThinkPad X1,PF0BAD03,T-0003,2025-13-45,1500,,warehouse\r\n\
         MacBook Air 13,c02nomdm0004,,,,,warehouse\r\n"
    );
    let (status, answer) = import(&t, &csv, false).await;
    assert!(
        status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY,
        "{status} {answer}"
    );
    let why = error_text(&answer);
    assert!(why.contains("row 4") && why.contains("2025-13-45"), "{why}");
    assert!(
        why.contains("row 5") && why.to_uppercase().contains(NOT_ENROLLED),
        "{why}"
    );
    assert!(!why.contains("row 2") && !why.contains("row 3"), "{why}");
    assert_eq!(serials(&t).await, [NOT_ENROLLED], "nothing imported");

    let (status, answer) = import(&t, &csv, true).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["imported"].as_array().unwrap().len(), 2, "{answer}");
    let skipped: Vec<u64> = answer["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["row"].as_u64().unwrap())
        .collect();
    assert_eq!(skipped, [4, 5], "{answer}");
    // The same file again: everything is in inventory already.
    let (status, again) = import(&t, &csv, true).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["imported"], json!([]), "{again}");
    assert_eq!(again["skipped"].as_array().unwrap().len(), 4, "{again}");
    assert_eq!(serials(&t).await, [UNKNOWN, MANAGED, NOT_ENROLLED]);

    let mac = asset_id(&t, MANAGED).await;
    let thinkpad = asset_id(&t, UNKNOWN).await;
    let air = asset_id(&t, NOT_ENROLLED).await;
    let imported = asset(&t, &mac).await["asset"].clone();
    assert_eq!(imported["model"], "MacBook Pro 14");
    assert_eq!(imported["tag"], "T-0001");
    assert_eq!(imported["cost_cents"], 249900);
    assert_eq!(imported["state"], "in_stock");
    assert_eq!(imported["location"], "warehouse");
    assert_eq!(
        asset(&t, &thinkpad).await["asset"]["model"],
        "ThinkPad X1 Carbon, Gen 11",
        "a quoted field keeps its comma"
    );
    let in_stock_at_hq = t.get("/assets?state=in_stock&location=hq").await;
    assert_eq!(in_stock_at_hq["assets"].as_array().unwrap().len(), 1);
    assert_eq!(in_stock_at_hq["assets"][0]["id"], thinkpad);

    // Fleet's devices are found by serial: one managed, one known but not enrolled;
    // the third stays without an MDM.
    let link = until("the Mac linked to Fleet", 20, async || {
        let a = asset(&t, &mac).await["asset"].clone();
        if a["mdm"]["managed"] == true {
            Ok(a["mdm"].clone())
        } else {
            Err(a.to_string())
        }
    })
    .await;
    assert_eq!(link["connector"], "fleet", "{link}");
    assert_eq!(
        link["device_id"],
        v.fleet.host(MANAGED).unwrap().id.to_string(),
        "{link}"
    );
    until("the Air linked to Fleet", 20, async || {
        let a = asset(&t, &air).await["asset"].clone();
        if a["mdm"]["managed"] == false {
            Ok(())
        } else {
            Err(a.to_string())
        }
    })
    .await;
    assert!(
        asset(&t, &thinkpad).await["asset"]["mdm"].is_null(),
        "Fleet does not know {UNKNOWN}"
    );
    eprintln!("[hardware] stock and MDM matching: {:?}", started.elapsed());

    // 2. Ann is hired; IT setup asks for a MacBook; she gets the managed one.
    t.sync().await;
    v.merge
        .add_employee(hire("Ann", "Lee", ANN, Some(ANN_HOME)));
    v.merge.add_employee(hire("Bob", "Ray", BOB, None));
    t.sync().await;
    let ann = t.find(ANN).await["id"].as_str().unwrap().to_string();
    let bob = t.find(BOB).await["id"].as_str().unwrap().to_string();
    let setup = open_task(&t, &ann, "complete_it_setup").await;
    decide(
        &t,
        &setup,
        json!({"decision": "setup", "applications": [], "hardware": "MacBook Pro 14"}),
    )
    .await;
    let equip = t
        .tasks(&format!("employee={ann}&kind=equip_new_hire&state=open"))
        .await;
    assert_eq!(equip.len(), 1, "{equip:?}");
    assert_eq!(equip[0]["kind"]["request"], "MacBook Pro 14");
    assert_eq!(equip[0]["assignees"], json!(["hal"]));
    let done = decide(&t, &equip[0], json!({"decision": "equip", "assets": [mac]})).await;
    assert_eq!(done["state"]["state"], "done", "{done}");
    let a = asset(&t, &mac).await["asset"].clone();
    assert_eq!(a["state"], "assigned");
    assert_eq!(a["assignee"]["id"], ann);
    assert_eq!(a["assignee"]["name"], "Ann Lee");
    let hers = hardware_of(&t, &ann).await;
    assert_eq!(hers["assets"][0]["id"], mac, "{hers}");
    // Hers now: nobody else gets it.
    let no = refused(
        &t,
        &format!("/assets/{mac}/actions"),
        json!({"action": "assign", "employee": bob}),
    )
    .await;
    assert!(error_text(&no).contains("assigned"), "{no}");
    // Bob gets the other two by hand.
    for id in [&air, &thinkpad] {
        let moved = t
            .call(
                "POST",
                &format!("/assets/{id}/actions"),
                Some(json!({"action": "assign", "employee": bob})),
            )
            .await;
        assert_eq!(moved["asset"]["state"], "assigned", "{moved}");
    }

    // 3. Ann leaves today. UPS refuses a postal code that is not one; nothing is
    // recorded and the task stays open.
    t.call("POST", &format!("/employees/{ann}/offboard"), None)
        .await;
    let offboard = open_task(&t, &ann, "offboard_employee").await;
    let decision = |postal_code: &str| {
        json!({"decision": "offboard", "retrieval": {"method": "keep"}, "mdm": "none",
               "devices": [{"asset": mac, "retrieval": {"method": "ship_to_warehouse"}, "mdm": "lock"}],
               "origin": address("Ann Lee", "12 Elm St", postal_code)})
    };
    let path = format!("/tasks/{}/decision", offboard["id"].as_str().unwrap());
    let no = refused(&t, &path, decision("ABCDE")).await;
    let why = error_text(&no);
    assert!(
        why.contains("UPS") && why.contains("\"ABCDE\" is not a valid postal code"),
        "UPS's own words: {why}"
    );
    assert_eq!(
        open_task(&t, &ann, "offboard_employee").await["id"],
        offboard["id"]
    );
    assert!(v.ups.shipments().is_empty(), "{:?}", v.ups.shipments());
    let hers = hardware_of(&t, &ann).await;
    assert_eq!(hers["returns"], json!([]), "{hers}");
    assert_eq!(hers["commands"], json!([]), "{hers}");
    assert!(asset(&t, &mac).await["asset"]["return_shipment"].is_null());

    let done = t.call("POST", &path, Some(decision("62704"))).await;
    assert_eq!(done["state"]["state"], "done", "{done}");
    let hers = hardware_of(&t, &ann).await;
    let ret = hers["returns"][0].clone();
    assert_eq!(hers["returns"].as_array().unwrap().len(), 1, "{hers}");
    assert_eq!(ret["state"]["state"], "booked", "{ret}");
    assert_eq!(ret["place"], "warehouse");
    assert_eq!(ret["assets"], json!([mac]));
    assert_eq!(ret["origin"]["postal_code"], "62704");
    assert_eq!(ret["destination"]["name"], "Acme IT");
    assert_eq!(ret["booking"]["carrier"], "ups", "{ret}");
    let tracking = ret["booking"]["tracking_number"]
        .as_str()
        .unwrap()
        .to_string();
    let code = ret["booking"]["drop_off_text"]
        .as_str()
        .expect("a label-free drop-off code")
        .to_string();
    let booked = v.ups.shipment(&tracking).expect("booked with UPS");
    assert_eq!(booked.drop_off_text.as_deref(), Some(code.as_str()));
    assert_eq!(booked.ship_to_postal, "62701");
    assert_eq!(booked.ship_from_postal, "62704");
    assert_eq!(booked.declared_value.as_deref(), Some("2499.00"));
    assert_eq!(v.ups.shipments().len(), 1);
    let a = asset(&t, &mac).await["asset"].clone();
    assert_eq!(a["state"], "assigned", "hers until it is back");
    assert_eq!(a["assignee"]["id"], ann);
    assert_eq!(a["return_shipment"], ret["id"]);

    // Her instructions reach her personal address with the code as a QR image (shown
    // inline and attached: the same image twice).
    let mail = wait_for_mail_to(&smtp, ANN_HOME, 30).expect("the return email");
    assert!(mail.contains("drop-off-code.png"), "{mail}");
    let read = decode_qr(&mail);
    assert!(
        !read.is_empty() && read.iter().all(|text| *text == code),
        "the QR codes read {read:?}, not {code}"
    );

    // The lock reaches Fleet at once (offboarded today: no waiting for the end of a
    // final day), and the device takes it when it next comes online.
    until("Fleet gets the lock", 20, async || {
        let h = v.fleet.host(MANAGED).unwrap();
        if h.pending_action == "lock" {
            Ok(())
        } else {
            Err(format!("{h:?}"))
        }
    })
    .await;
    let command = until("the lock recorded as sent", 10, async || {
        let c = asset(&t, &mac).await["commands"][0].clone();
        if c["state"]["state"] == "pending" {
            Ok(c)
        } else {
            Err(c.to_string())
        }
    })
    .await;
    assert_eq!(command["action"], "lock", "{command}");
    assert_eq!(command["connector"], "fleet");
    if let Some(pin) = v.fleet.host(MANAGED).unwrap().unlock_pin {
        assert!(
            !command.to_string().contains(&pin),
            "the unlock PIN is not shown in the clear: {command}"
        );
    }
    assert_eq!(
        hardware_of(&t, &ann).await["commands"][0]["id"],
        command["id"]
    );
    v.fleet.complete_pending(MANAGED);
    assert_eq!(v.fleet.host(MANAGED).unwrap().device_status, "locked");
    assert_eq!(v.fleet.host(MANAGED).unwrap().lock_count, 1);
    eprintln!(
        "[hardware] equipped and offboarded: {:?}",
        started.elapsed()
    );

    // 4. UPS has the parcel, then delivers it to the warehouse.
    v.ups.pick_up(&tracking);
    asset_becomes(&t, &mac, "in_transit", 15).await;
    v.ups.deliver(&tracking);
    let a = asset_becomes(&t, &mac, "received", 15).await;
    assert_eq!(a["location"], "warehouse");
    assert!(a["assignee"].is_null(), "{a}");
    let ret = hardware_of(&t, &ann).await["returns"][0].clone();
    assert_eq!(ret["state"]["state"], "delivered", "{ret}");
    assert!(ret["last_event"].is_string(), "UPS's words: {ret}");
    let receive = open_task(&t, &ann, "receive_devices").await;
    assert_eq!(receive["kind"]["assets"], json!([mac]));
    assert_eq!(receive["kind"]["shipment"], ret["id"]);
    assert_eq!(receive["assignees"], json!(["hal"]));
    let listed = t.tasks("kind=receive_devices&state=open").await;
    assert_eq!(
        listed.len(),
        1,
        "the API filters by the kind it names: {listed:?}"
    );
    let done = decide(
        &t,
        &receive,
        json!({"decision": "receive", "devices": {(mac.clone()): {"to": "stock", "location": "warehouse"}}}),
    )
    .await;
    assert_eq!(done["state"]["state"], "done", "{done}");
    let a = asset(&t, &mac).await["asset"].clone();
    assert_eq!(a["state"], "in_stock", "{a}");
    assert_eq!(a["location"], "warehouse");
    assert!(
        a["assignee"].is_null() && a["return_shipment"].is_null(),
        "{a}"
    );
    assert_eq!(hardware_of(&t, &ann).await["assets"], json!([]));
    eprintln!("[hardware] returned and restocked: {:?}", started.elapsed());

    // 5. Bob leaves: neither of his devices can be locked or wiped (one is not enrolled
    // in MDM, Fleet does not know the other); the choice is refused, nothing recorded.
    t.call("POST", &format!("/employees/{bob}/offboard"), None)
        .await;
    let offboard = open_task(&t, &bob, "offboard_employee").await;
    let path = format!("/tasks/{}/decision", offboard["id"].as_str().unwrap());
    let ship = |air_mdm: &str, thinkpad_mdm: &str| {
        json!({"decision": "offboard", "retrieval": {"method": "keep"}, "mdm": "none",
               "devices": [{"asset": air, "retrieval": {"method": "ship_to_warehouse"}, "mdm": air_mdm},
                           {"asset": thinkpad, "retrieval": {"method": "ship_to_warehouse"}, "mdm": thinkpad_mdm}],
               "origin": address("Bob Ray", "7 Oak Ave", "62702")})
    };
    for (air_mdm, thinkpad_mdm, refused_one) in [
        ("lock", "none", NOT_ENROLLED),
        ("wipe", "none", NOT_ENROLLED),
        ("none", "lock", UNKNOWN),
        ("none", "wipe", UNKNOWN),
    ] {
        let no = refused(&t, &path, ship(air_mdm, thinkpad_mdm)).await;
        let why = error_text(&no);
        assert!(
            why.contains(refused_one) && why.contains("not managed"),
            "{air_mdm}/{thinkpad_mdm}: {why}"
        );
    }
    assert_eq!(
        v.ups.shipments().len(),
        1,
        "nothing booked for a refused choice"
    );
    assert_eq!(hardware_of(&t, &bob).await["returns"], json!([]));

    // Both ship back in one box; the return is voided before he drops it off.
    t.call("POST", &path, Some(ship("none", "none"))).await;
    let ret = hardware_of(&t, &bob).await["returns"][0].clone();
    assert_eq!(ret["state"]["state"], "booked", "{ret}");
    let mut shipped: Vec<&str> = ret["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    shipped.sort();
    let mut his = vec![air.as_str(), thinkpad.as_str()];
    his.sort();
    assert_eq!(shipped, his);
    let number = ret["booking"]["tracking_number"]
        .as_str()
        .unwrap()
        .to_string();
    for id in [&air, &thinkpad] {
        assert_eq!(asset(&t, id).await["asset"]["return_shipment"], ret["id"]);
    }
    let voided = t
        .call(
            "POST",
            &format!("/returns/{}/void", ret["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(voided["return"]["state"]["state"], "voided", "{voided}");
    assert!(v.ups.shipment(&number).unwrap().voided, "voided with UPS");
    let ret = hardware_of(&t, &bob).await["returns"][0].clone();
    assert_eq!(ret["state"]["state"], "voided", "{ret}");
    for id in [&air, &thinkpad] {
        let a = asset(&t, id).await["asset"].clone();
        assert!(a["return_shipment"].is_null(), "{a}");
        assert_eq!(a["state"], "assigned", "still his: {a}");
        assert_eq!(a["assignee"]["id"], bob);
    }
    // A voided return cannot be voided again.
    let no = refused(
        &t,
        &format!("/returns/{}/void", ret["id"].as_str().unwrap()),
        json!({}),
    )
    .await;
    assert!(error_text(&no).contains("voided"), "{no}");
    eprintln!("[hardware] refusals and void: {:?}", started.elapsed());

    // Tenure learns from Fleet that Ann's Mac is locked (a sent command is asked about
    // every `[hardware] command_poll_secs`: one second here).
    until("the lock recorded as done", 30, async || {
        let c = asset(&t, &mac).await["commands"][0].clone();
        if c["state"]["state"] == "done" {
            Ok(())
        } else {
            Err(c.to_string())
        }
    })
    .await;
    eprintln!("[hardware] lock confirmed: {:?}", started.elapsed());
}

/// The store through the binary: a product, an order from Equip New Hire that reaches
/// the supplier by email, and its delivery becoming the new hire's asset.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_order_reaches_the_supplier_and_its_delivery_is_assigned() {
    let smtp = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    let (_v, config) = vendors().await;
    let t = Tenure::start(dir.path(), &config, &smtp);
    champions(&t).await;
    let product = json!({"id": "MBP14", "model": "MacBook Pro 14", "specs": "M3, 18 GB",
        "price_cents": 199_900, "supplier": "Reseller", "supplier_email": "orders@reseller.test"});
    let saved = t
        .call(
            "PUT",
            "/hardware/settings",
            Some(json!({"products": [product]})),
        )
        .await;
    assert_eq!(saved["products"][0]["id"], "mbp14", "keys are lower case");
    let (status, bad) = t
        .send(
            "PUT",
            "/hardware/settings",
            Some((
                "application/json",
                json!({"products": [{"id": "x", "model": "X", "price_cents": 1,
                    "supplier": "S", "supplier_email": "not-an-address"}]})
                .to_string(),
            )),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");

    let added = t
        .call(
            "POST",
            "/employees",
            Some(json!({"given_name": "Nia", "family_name": "New",
                        "work_email": "nia.new@acme.test"})),
        )
        .await;
    let nia = added["effects"][0]["employee"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let setup = open_task(&t, &nia, "complete_it_setup").await;
    decide(
        &t,
        &setup,
        json!({"decision": "setup", "applications": [], "hardware": "a MacBook"}),
    )
    .await;
    let equip = open_task(&t, &nia, "equip_new_hire").await;
    let done = decide(
        &t,
        &equip,
        json!({"decision": "equip", "order": {"product": "mbp14",
               "ship_to": address("Nia New", "5 Pine Rd", "62703")}}),
    )
    .await;
    assert_eq!(
        done["state"]["state"], "done",
        "checkout closes the task: {done}"
    );
    let mail = wait_for_mail_to(&smtp, "orders@reseller.test", 20)
        .expect("the supplier gets the purchase request");
    assert!(
        mail.contains("MacBook Pro 14") && mail.contains("5 Pine Rd"),
        "{mail}"
    );
    let orders = t.get("/orders").await;
    let order = orders["orders"][0].clone();
    assert_eq!(order["state"]["state"], "ordered", "{order}");
    let id = order["id"].as_str().unwrap().to_string();
    let moved = t
        .call(
            "POST",
            &format!("/orders/{id}/actions"),
            Some(json!({"action": "shipped", "tracking": "1Z42"})),
        )
        .await;
    assert_eq!(moved["order"]["state"]["state"], "shipped");
    let moved = t
        .call(
            "POST",
            &format!("/orders/{id}/actions"),
            Some(json!({"action": "delivered", "serial": "C02STORE01"})),
        )
        .await;
    let asset_id = moved["order"]["state"]["asset"]
        .as_str()
        .unwrap()
        .to_string();
    let a = asset(&t, &asset_id).await["asset"].clone();
    assert_eq!(a["state"], "assigned", "{a}");
    assert_eq!(a["assignee"]["id"], nia);
    assert_eq!(a["cost_cents"], 199_900);
    let (status, again) = t
        .send(
            "POST",
            &format!("/orders/{id}/actions"),
            Some((
                "application/json",
                json!({"action": "cancel", "reason": "too late"}).to_string(),
            )),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a delivered order stays: {again}"
    );
}
