//! The fleet plugin against the fake Fleet server, through the real runtime.

mod common;

use common::*;
use std::collections::HashSet;
use tenure_fakes::fleet::{FakeFleet, FleetHost};
use tenure_runtime::types::{CommandState, Error};
use tenure_runtime::{CallError, Plugin};

const PLUGIN: &str = "fleet";
const TOKEN: &str = "fleet-runtime-test-token";

struct Setup {
    fake: FakeFleet,
    plugin: Plugin,
    _server: tenure_fakes::ServerHandle,
}

/// The bundled plugin set up against `fake`, with `token` as its API token.
async fn setup_with(fake: FakeFleet, token: &str) -> Setup {
    let (origin, server) = fake.clone().serve(0).await.unwrap();
    let (rt, state) = strict_runtime();
    state.set_setting(PLUGIN, "base_url", &origin);
    state.set_secret(PLUGIN, "api_token", token);
    let (manifest, wasm) = bundled(PLUGIN);
    let plugin = rt.load(manifest, wasm).unwrap();
    Setup {
        fake,
        plugin,
        _server: server,
    }
}

/// Ada's Mac (id 1) and Windows laptop (2), Bob's Mac (3), and an unenrolled Mac (4).
async fn setup(fake: FakeFleet) -> Setup {
    fake.add_host(FleetHost::mac("C02ADA0001", Some("ada@acme.com")));
    fake.add_host(FleetHost::windows("PF3ADA0002", Some("Ada@Acme.com")));
    fake.add_host(FleetHost::mac("C02BOB0003", Some("bob@acme.com")));
    fake.add_host(FleetHost::mac("C02OLD0004", Some("ada.old@acme.com")).without_mdm());
    setup_with(fake, TOKEN).await
}

fn plugin_error<T: std::fmt::Debug>(r: Result<T, CallError>) -> Error {
    match r {
        Err(CallError::Plugin(e)) => e,
        other => panic!("expected a plugin error, got {other:?}"),
    }
}

#[tokio::test]
async fn finds_a_persons_devices_and_a_device_by_serial() {
    let s = setup(FakeFleet::new(TOKEN)).await;
    s.plugin.mdm_test_connection().await.unwrap();

    let mut ada = s.plugin.mdm_find_devices("ADA@acme.com").await.unwrap();
    ada.sort_by(|a, b| a.id.cmp(&b.id));
    let ids: Vec<&str> = ada.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["1", "2"], "not ada.old@acme.com's");
    assert_eq!(ada[0].serial, "C02ADA0001");
    assert_eq!(ada[0].model, "MacBookPro18,3");
    assert_eq!(ada[0].owner_email.as_deref(), Some("ada@acme.com"));
    assert!(ada.iter().all(|d| d.managed));
    assert!(
        s.plugin
            .mdm_find_devices("nobody@acme.com")
            .await
            .unwrap()
            .is_empty()
    );

    let bob = s.plugin.mdm_find_by_serial("c02bob0003").await.unwrap();
    let bob = bob.expect("found by serial, case-insensitively");
    assert_eq!(bob.id, "3");
    assert_eq!(bob.owner_email.as_deref(), Some("bob@acme.com"));
    let old = s.plugin.mdm_find_by_serial("C02OLD0004").await.unwrap();
    assert!(!old.unwrap().managed);
    assert_eq!(
        s.plugin.mdm_find_by_serial("NOSUCH999").await.unwrap(),
        None
    );
}

#[tokio::test]
async fn lists_every_host_page_by_page() {
    let fake = FakeFleet::new(TOKEN).with_hosts(250, "acme.com");
    let s = setup_with(fake, TOKEN).await;
    let mut cursor: Option<String> = None;
    let mut sizes = Vec::new();
    let mut serials = Vec::new();
    loop {
        let page = s.plugin.mdm_list_devices(cursor.as_deref()).await.unwrap();
        sizes.push(page.devices.len());
        for d in &page.devices {
            let host = s.fake.host(&d.id).expect("a Fleet host");
            assert_eq!(d.serial, host.serial);
            serials.push(d.serial.clone());
        }
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
        assert!(sizes.len() < 10, "paging does not end");
    }
    assert_eq!(sizes, vec![100, 100, 50]);
    assert_eq!(serials.iter().collect::<HashSet<_>>().len(), 250);
    assert_eq!(serials[0], "C02FLEET0001");
}

#[tokio::test]
async fn a_lock_returns_the_mac_pin_and_its_status_follows_the_device() {
    let s = setup(FakeFleet::new(TOKEN)).await;
    let pin = s
        .plugin
        .mdm_lock("1", Some("Please return this laptop"))
        .await
        .unwrap();
    let host = s.fake.host("1").unwrap();
    assert_eq!(pin, host.unlock_pin);
    assert_eq!(pin.as_deref().map(str::len), Some(6));
    assert_eq!(host.pending_action, "lock");
    assert_eq!(
        s.plugin.mdm_status("1").await.unwrap(),
        CommandState::Pending
    );

    // A retry while the lock is queued sends nothing more.
    assert_eq!(s.plugin.mdm_lock("1", None).await.unwrap(), None);
    assert_eq!(s.fake.host("1").unwrap().lock_count, 1);

    s.fake.complete_pending("C02ADA0001");
    assert_eq!(s.plugin.mdm_status("1").await.unwrap(), CommandState::Done);
    assert_eq!(s.fake.host("1").unwrap().device_status, "locked");
    assert_eq!(s.plugin.mdm_lock("1", None).await.unwrap(), None);
    assert_eq!(s.fake.host("1").unwrap().lock_count, 1);
}

#[tokio::test]
async fn a_wipe_is_queued_once_and_done_when_the_device_has_run_it() {
    let s = setup(FakeFleet::new(TOKEN)).await;
    s.plugin.mdm_wipe("2").await.unwrap();
    s.plugin.mdm_wipe("2").await.unwrap();
    let host = s.fake.host("PF3ADA0002").unwrap();
    assert_eq!((host.pending_action.as_str(), host.wipe_count), ("wipe", 1));
    assert_eq!(
        s.plugin.mdm_status("2").await.unwrap(),
        CommandState::Pending
    );
    s.fake.complete_pending("2");
    assert_eq!(s.plugin.mdm_status("2").await.unwrap(), CommandState::Done);
    s.plugin.mdm_wipe("2").await.unwrap();
    assert_eq!(s.fake.host("2").unwrap().wipe_count, 1);

    // Bob's Mac is locked: Fleet wipes only unlocked devices.
    s.plugin.mdm_lock("3", None).await.unwrap();
    s.fake.complete_pending("3");
    let e = plugin_error(s.plugin.mdm_wipe("3").await);
    assert!(
        matches!(&e, Error::Conflict(m) if m.contains("locked")),
        "{e:?}"
    );
}

#[tokio::test]
async fn lock_and_wipe_without_fleet_premium_are_unsupported() {
    let s = setup(FakeFleet::new(TOKEN).with_premium(false)).await;
    let e = plugin_error(s.plugin.mdm_lock("1", None).await);
    assert!(
        matches!(&e, Error::Unsupported(m) if m.contains("Fleet Premium")),
        "{e:?}"
    );
    let e = plugin_error(s.plugin.mdm_wipe("2").await);
    assert!(matches!(&e, Error::Unsupported(_)), "{e:?}");
    assert_eq!(s.fake.host("1").unwrap().lock_count, 0);
    // Reading still works on the free licence.
    assert_eq!(
        s.plugin
            .mdm_find_devices("bob@acme.com")
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_host_without_mdm_cannot_be_locked_or_wiped() {
    let s = setup(FakeFleet::new(TOKEN)).await;
    for e in [
        plugin_error(s.plugin.mdm_lock("4", None).await),
        plugin_error(s.plugin.mdm_wipe("4").await),
    ] {
        assert!(
            matches!(&e, Error::Unsupported(m) if m.contains("not enrolled")),
            "{e:?}"
        );
    }
    let e = plugin_error(s.plugin.mdm_lock("99", None).await);
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
}

#[tokio::test]
async fn a_wrong_token_is_unauthorized() {
    let fake = FakeFleet::new(TOKEN);
    fake.add_host(FleetHost::mac("C02ADA0001", Some("ada@acme.com")));
    let s = setup_with(fake, "not-the-token").await;
    let e = plugin_error(s.plugin.mdm_test_connection().await);
    assert!(
        matches!(&e, Error::Unauthorized(m) if !m.contains("not-the-token")),
        "{e:?}"
    );
    let e = plugin_error(s.plugin.mdm_find_devices("ada@acme.com").await);
    assert!(matches!(e, Error::Unauthorized(_)), "{e:?}");
    let e = plugin_error(s.plugin.mdm_lock("1", None).await);
    assert!(matches!(e, Error::Unauthorized(_)), "{e:?}");
    assert_eq!(s.fake.host("1").unwrap().lock_count, 0);
}
