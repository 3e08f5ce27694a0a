//! The Fleet fake over real HTTP, as a client sees it.

// The same client the okta fake's tests include; clippy flags a file included twice,
// which is intended here (each fake's tests stand alone).
#[allow(clippy::duplicate_mod)]
#[path = "../../tests/common/mod.rs"]
mod common;

use common::{Body, Resp, send};

use super::*;

const TOKEN: &str = "fleet-test-api-token";
const AUTH: [(&str, &str); 1] = [("Authorization", "Bearer fleet-test-api-token")];

async fn get(origin: &str, path: &str) -> Resp {
    send(origin, "GET", path, &AUTH, Body::None).await
}

async fn post(origin: &str, path: &str) -> Resp {
    send(origin, "POST", path, &AUTH, Body::None).await
}

/// A premium server with Ada's Mac (id 1), Bob's Windows laptop (2) and an unenrolled
/// Mac (3).
async fn start(fake: FakeFleet) -> (FakeFleet, String, ServerHandle) {
    fake.add_host(FleetHost::mac("C02ADA0001", Some("Ada@Acme.com")));
    fake.add_host(FleetHost::windows("PF3BOB0002", Some("bob@acme.com")));
    fake.add_host(FleetHost::mac("C02NOMDM003", None).without_mdm());
    let (origin, handle) = fake.clone().serve(0).await.unwrap();
    (fake, origin, handle)
}

#[tokio::test]
async fn calls_need_the_bearer_token_on_both_base_paths() {
    let (fake, o, _h) = start(FakeFleet::new(TOKEN)).await;
    for auth in [vec![], vec![("Authorization", "Bearer wrong")]] {
        let r = send(&o, "GET", "/api/v1/fleet/hosts", &auth, Body::None).await;
        assert_eq!(r.status, 401);
        assert_eq!(r.body["message"], "Authentication required");
        assert_eq!(r.body["errors"][0]["name"], "base");
    }
    for base in ["/api/v1/fleet", "/api/latest/fleet"] {
        let r = get(&o, &format!("{base}/hosts")).await;
        assert_eq!(r.status, 200, "{base}");
        assert_eq!(r.body["hosts"].as_array().unwrap().len(), 3);
    }
    assert_eq!(fake.request_count(), 4);
}

#[tokio::test]
async fn the_list_pages_from_zero_searches_and_maps_devices_on_request() {
    let (_fake, o, _h) = start(FakeFleet::new(TOKEN).with_hosts(5, "acme.com")).await;
    let ids = |r: &Resp| -> Vec<u64> {
        r.body["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_u64().unwrap())
            .collect()
    };
    let r = get(&o, "/api/v1/fleet/hosts?page=0&per_page=3").await;
    assert_eq!(ids(&r), vec![1, 2, 3]);
    assert!(r.body["hosts"][0].get("device_mapping").is_none());
    let r = get(&o, "/api/v1/fleet/hosts?page=2&per_page=3").await;
    assert_eq!(ids(&r), vec![7, 8]);
    let r = get(&o, "/api/v1/fleet/hosts?page=3&per_page=3").await;
    assert_eq!(ids(&r), Vec::<u64>::new());
    let r = get(&o, "/api/v1/fleet/hosts?page=x").await;
    assert_eq!(r.status, 400);

    let r = get(
        &o,
        "/api/v1/fleet/hosts?query=ada%40acme.com&device_mapping=true",
    )
    .await;
    assert_eq!(ids(&r), vec![6], "after the five seeded hosts");
    let ada = &r.body["hosts"][0];
    assert_eq!(ada["device_mapping"][0]["email"], "Ada@Acme.com");
    assert_eq!(ada["hardware_serial"], "C02ADA0001");
    assert_eq!(ada["platform"], "darwin");
    assert_eq!(ada["mdm"]["enrollment_status"], "On (automatic)");
    assert!(
        ada["mdm"].get("device_status").is_none(),
        "single-host only"
    );
    let r = get(&o, "/api/v1/fleet/hosts?query=pf3bob").await;
    assert_eq!(ids(&r), vec![7]);
    assert_eq!(
        r.body["hosts"][0]["mdm"]["enrollment_status"],
        "On (manual)"
    );
    let r = get(
        &o,
        "/api/v1/fleet/hosts?query=C02NOMDM003&device_mapping=true",
    )
    .await;
    assert!(r.body["hosts"][0]["mdm"]["enrollment_status"].is_null());
    assert!(r.body["hosts"][0]["device_mapping"].is_null());
}

#[tokio::test]
async fn single_hosts_show_end_users_and_lock_state_by_id_or_identifier() {
    let (fake, o, _h) = start(FakeFleet::new(TOKEN)).await;
    let r = get(&o, "/api/v1/fleet/hosts/1").await;
    assert_eq!(r.status, 200);
    let host = &r.body["host"];
    assert_eq!(host["end_users"][0]["idp_username"], "Ada@Acme.com");
    assert_eq!(host["mdm"]["device_status"], "unlocked");
    assert_eq!(host["mdm"]["pending_action"], "");
    assert_eq!(host["mdm"]["name"], "Fleet");

    let uuid = get(&o, "/api/v1/fleet/hosts/2").await.body["host"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    for id in ["c02ada0001", "ada-macbook-pro"] {
        let r = get(&o, &format!("/api/latest/fleet/hosts/identifier/{id}")).await;
        assert_eq!(r.body["host"]["id"], 1, "{id}");
    }
    let r = get(&o, &format!("/api/v1/fleet/hosts/identifier/{uuid}")).await;
    assert_eq!(r.body["host"]["id"], 2);
    let r = get(&o, "/api/v1/fleet/hosts/identifier/NOPE").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body["message"], "Resource Not Found");
    assert_eq!(get(&o, "/api/v1/fleet/hosts/99").await.status, 404);

    let r = get(&o, "/api/v1/fleet/hosts/2/device_mapping").await;
    assert_eq!(r.body["host_id"], 2);
    assert_eq!(r.body["device_mapping"][0]["email"], "bob@acme.com");
    assert_eq!(fake.host("3").unwrap().serial, "C02NOMDM003");
}

#[tokio::test]
async fn a_lock_queues_with_a_pin_for_macs_until_the_device_comes_online() {
    let (fake, o, _h) = start(FakeFleet::new(TOKEN)).await;
    let r = post(&o, "/api/v1/fleet/hosts/1/lock?view_pin=true").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["device_status"], "unlocked");
    assert_eq!(r.body["pending_action"], "lock");
    let pin = r.body["unlock_pin"].as_str().unwrap().to_string();
    assert_eq!(pin.len(), 6);
    assert!(pin.bytes().all(|b| b.is_ascii_digit()));

    let again = post(&o, "/api/v1/fleet/hosts/1/lock").await;
    assert_eq!(again.status, 422);
    assert_eq!(again.body["errors"][0]["name"], "host_id");
    assert!(
        again.body["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("Host has pending lock request.")
    );
    let wipe = post(&o, "/api/v1/fleet/hosts/1/wipe").await;
    assert_eq!(wipe.status, 422);

    let state = fake.host("C02ADA0001").unwrap();
    assert_eq!(
        (state.pending_action.as_str(), state.lock_count),
        ("lock", 1)
    );
    assert_eq!(state.unlock_pin.as_deref(), Some(pin.as_str()));
    fake.complete_pending("C02ADA0001");
    let host = get(&o, "/api/v1/fleet/hosts/1").await.body["host"].clone();
    assert_eq!(host["mdm"]["device_status"], "locked");
    assert_eq!(host["mdm"]["pending_action"], "");
    assert_eq!(post(&o, "/api/v1/fleet/hosts/1/lock").await.status, 409);
    let wipe = post(&o, "/api/v1/fleet/hosts/1/wipe").await;
    assert_eq!(wipe.status, 422, "a locked host is unlocked before a wipe");

    let r = post(&o, "/api/v1/fleet/hosts/1/unlock").await;
    assert_eq!(r.body["pending_action"], "unlock");
    assert_eq!(r.body["unlock_pin"], pin.as_str());
    fake.complete_pending("1");
    assert_eq!(fake.host("1").unwrap().device_status, "unlocked");

    // Windows: no PIN.
    let r = post(&o, "/api/v1/fleet/hosts/2/lock?view_pin=true").await;
    assert_eq!(r.status, 200);
    assert!(r.body.get("unlock_pin").is_none());
}

#[tokio::test]
async fn a_wipe_queues_and_a_wiped_host_refuses_more() {
    let (fake, o, _h) = start(FakeFleet::new(TOKEN)).await;
    let r = post(&o, "/api/v1/fleet/hosts/2/wipe").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["pending_action"], "wipe");
    fake.complete_pending("2");
    let state = fake.host("2").unwrap();
    assert_eq!(
        (state.device_status.as_str(), state.wipe_count),
        ("wiped", 1)
    );
    assert_eq!(post(&o, "/api/v1/fleet/hosts/2/wipe").await.status, 409);
    assert_eq!(post(&o, "/api/v1/fleet/hosts/2/lock").await.status, 422);
}

#[tokio::test]
async fn actions_need_premium_mdm_and_a_known_host() {
    let (fake, o, _h) = start(FakeFleet::new(TOKEN)).await;
    let r = post(&o, "/api/v1/fleet/hosts/3/lock").await;
    assert_eq!(r.status, 422);
    assert!(
        r.body["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("doesn't have MDM turned on")
    );
    assert_eq!(post(&o, "/api/v1/fleet/hosts/42/wipe").await.status, 404);

    let free = FakeFleet::new(TOKEN).with_premium(false);
    let (free, o, _h2) = start(free).await;
    let r = post(&o, "/api/v1/fleet/hosts/1/lock").await;
    assert_eq!(r.status, 402);
    assert_eq!(r.body["message"], "Requires Fleet Premium license");
    assert_eq!(free.host("1").unwrap().lock_count, 0);
    assert_eq!(fake.host("1").unwrap().lock_count, 0);
}

#[tokio::test]
async fn auto_completion_runs_queued_actions_after_the_delay() {
    let fake = FakeFleet::new(TOKEN).with_auto_complete(Duration::from_millis(50));
    let (fake, o, _h) = start(fake).await;
    post(&o, "/api/v1/fleet/hosts/2/lock").await;
    assert_eq!(fake.host("2").unwrap().pending_action, "lock");
    tokio::time::sleep(Duration::from_millis(80)).await;
    let host = get(&o, "/api/v1/fleet/hosts/2").await.body["host"].clone();
    assert_eq!(host["mdm"]["device_status"], "locked");
    assert_eq!(host["mdm"]["pending_action"], "");
}
