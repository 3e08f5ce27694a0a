//! Unit tests against the SDK's fake host: Fleet's answers scripted as Fleet documents
//! them (and as the fake in `tests/fakes/src/fleet` serves them).

use super::*;
use serde_json::{Value, json};
use tenure_sdk::testing::{FakeHost, Method, Reply};

const API: &str = "https://fleet.acme.com/api/v1/fleet";
const HOSTS: &str = "https://fleet.acme.com/api/v1/fleet/hosts";
const TOKEN: &str = "fleet-api-token-0123456789";

fn fleet_host() -> FakeHost {
    FakeHost::new()
        .with_manifest(include_str!("../manifest.toml"))
        .config("base_url", "https://fleet.acme.com/")
        .secret("api_token", TOKEN)
}

/// A host as the single-host endpoints show it.
fn detail(id: u64, platform: &str, status: &str, pending: &str) -> Value {
    json!({
        "id": id,
        "hostname": format!("host-{id}"),
        "hardware_serial": format!("SERIAL{id}"),
        "hardware_model": "MacBookPro18,3",
        "platform": platform,
        "mdm": {"enrollment_status": "On (automatic)", "name": "Fleet",
            "device_status": status, "pending_action": pending},
        "end_users": [{"idp_username": format!("owner{id}@acme.com")}],
    })
}

/// A host as the list shows it (with `device_mapping=true`).
fn listed(id: u64, email: Option<&str>, enrollment: Option<&str>) -> Value {
    json!({
        "id": id,
        "hostname": format!("host-{id}"),
        "hardware_serial": format!("SERIAL{id}"),
        "hardware_model": "ThinkPad X1",
        "platform": "windows",
        "mdm": {"enrollment_status": enrollment, "name": "Fleet"},
        "device_mapping": email.map(|e| json!([{"email": e, "source": "mdm_idp_accounts"}])),
    })
}

fn one(host: Value) -> Reply {
    Reply::json(200, &json!({ "host": host }))
}

fn fleet_error(status: u16, message: &str, reason: &str) -> Reply {
    Reply::json(
        status,
        &json!({"message": message, "errors": [{"name": "host_id", "reason": reason}]}),
    )
}

fn posts(host: &FakeHost) -> usize {
    host.requests_to(Method::Post, API).len()
}

#[test]
fn test_connection_reads_one_host_with_the_bearer_token() {
    let host = fleet_host();
    host.on(Method::Get, &format!("{HOSTS}?page=0&per_page=1"))
        .reply(Reply::json(200, &json!({"hosts": []})));
    assert_eq!(Fleet::test_connection(), Ok(()));
    let auth = format!("Bearer {TOKEN}");
    assert_eq!(
        host.last_request().header("authorization"),
        Some(auth.as_str())
    );
}

#[test]
fn a_wrong_token_is_unauthorized_and_never_quoted() {
    let host = fleet_host();
    host.on_prefix(Method::Get, HOSTS).reply(Reply::json(
        401,
        &json!({"message": "Authentication required",
            "errors": [{"name": "base", "reason": format!("bad token {TOKEN}")}]}),
    ));
    let Err(Error::Unauthorized(m)) = Fleet::test_connection() else {
        panic!("unauthorized expected");
    };
    assert!(m.contains("Authentication required"), "{m}");
    assert!(!m.contains(TOKEN), "{m}");
}

#[test]
fn missing_settings_are_unauthorized_naming_them() {
    let _host = FakeHost::new()
        .with_manifest(include_str!("../manifest.toml"))
        .config("base_url", "https://fleet.acme.com");
    assert!(
        matches!(Fleet::test_connection(), Err(Error::Unauthorized(m)) if m.contains("api_token"))
    );
}

#[test]
fn a_forbidden_read_is_unauthorized_and_names_the_role() {
    let host = fleet_host();
    host.on_prefix(Method::Get, HOSTS).reply(Reply::json(
        403,
        &json!({"message": "forbidden", "errors": []}),
    ));
    assert!(matches!(
        Fleet::find_devices("ada@acme.com".into()),
        Err(Error::Unauthorized(m)) if m.contains("maintainer")
    ));
}

#[test]
fn find_devices_keeps_hosts_linked_to_the_email_whatever_its_case() {
    let host = fleet_host();
    host.on_prefix(Method::Get, &format!("{HOSTS}?"))
        .reply(Reply::json(
            200,
            &json!({"hosts": [
                listed(1, Some("Ada@Acme.com"), Some("On (manual)")),
                listed(2, Some("ada@acme.com.evil"), Some("On (manual)")),
                listed(3, Some("ADA@ACME.COM"), None),
            ]}),
        ));
    let found = Fleet::find_devices(" ada@acme.com ".into()).unwrap();
    assert_eq!(
        found,
        vec![
            Device {
                id: "1".into(),
                serial: "SERIAL1".into(),
                model: "ThinkPad X1".into(),
                owner_email: Some("Ada@Acme.com".into()),
                managed: true,
            },
            Device {
                id: "3".into(),
                serial: "SERIAL3".into(),
                model: "ThinkPad X1".into(),
                owner_email: Some("ADA@ACME.COM".into()),
                managed: false,
            },
        ]
    );
    let sent = host.last_request();
    assert_eq!(sent.query("query").as_deref(), Some("ada@acme.com"));
    assert_eq!(sent.query("device_mapping").as_deref(), Some("true"));
    assert_eq!(sent.query("page").as_deref(), Some("0"));
}

#[test]
fn find_devices_stops_at_a_short_page_and_at_its_page_bound() {
    let host = fleet_host();
    let full: Vec<Value> = (1..=100)
        .map(|i| listed(i, Some("x@acme.com"), None))
        .collect();
    host.on_prefix(Method::Get, &format!("{HOSTS}?"))
        .once()
        .reply(Reply::json(200, &json!({ "hosts": full })));
    host.on_prefix(Method::Get, &format!("{HOSTS}?"))
        .once()
        .reply(Reply::json(
            200,
            &json!({"hosts": [listed(101, Some("x@acme.com"), None)]}),
        ));
    assert_eq!(Fleet::find_devices("x@acme.com".into()).unwrap().len(), 101);
    assert_eq!(host.requests().len(), 2);

    host.clear_requests();
    host.on_prefix(Method::Get, &format!("{HOSTS}?"))
        .reply(Reply::json(200, &json!({ "hosts": full })));
    assert_eq!(Fleet::find_devices("x@acme.com".into()).unwrap().len(), 500);
    assert_eq!(host.requests().len(), hosts::MAX_SEARCH_PAGES);
    assert_eq!(host.last_request().query("page").as_deref(), Some("4"));
    assert!(host.logged("only the first pages"));
}

#[test]
fn locking_a_mac_asks_for_the_pin_returns_it_and_remembers_the_lock() {
    let host = fleet_host();
    host.on(Method::Get, &format!("{HOSTS}/7"))
        .once()
        .reply(one(detail(7, "darwin", "unlocked", "")));
    host.on(Method::Post, &format!("{HOSTS}/7/lock?view_pin=true"))
        .reply(Reply::json(
            200,
            &json!({"device_status": "unlocked", "pending_action": "lock", "unlock_pin": "123456"}),
        ));
    let pin = Fleet::lock("7".into(), Some("Return this laptop to IT".into())).unwrap();
    assert_eq!(pin.as_deref(), Some("123456"));
    assert_eq!(commands::last(7), Some(commands::Command::Lock));

    // Status follows the device: pending, then done once it has locked.
    host.on(Method::Get, &format!("{HOSTS}/7"))
        .once()
        .reply(one(detail(7, "darwin", "unlocked", "lock")));
    host.on(Method::Get, &format!("{HOSTS}/7"))
        .once()
        .reply(one(detail(7, "darwin", "locked", "")));
    assert_eq!(Fleet::status("7".into()), Ok(CommandState::Pending));
    assert_eq!(Fleet::status("7".into()), Ok(CommandState::Done));
}

#[test]
fn locking_a_windows_host_asks_for_no_pin() {
    let host = fleet_host();
    host.on(Method::Get, &format!("{HOSTS}/8"))
        .reply(one(detail(8, "windows", "unlocked", "")));
    host.on(Method::Post, &format!("{HOSTS}/8/lock"))
        .reply(Reply::json(
            200,
            &json!({"device_status": "unlocked", "pending_action": "lock"}),
        ));
    assert_eq!(Fleet::lock("8".into(), None), Ok(None));
    assert_eq!(host.last_request().query("view_pin"), None);
}

#[test]
fn a_lock_already_done_or_queued_succeeds_without_sending_another() {
    let host = fleet_host();
    host.on(Method::Get, &format!("{HOSTS}/7"))
        .once()
        .reply(one(detail(7, "darwin", "locked", "")));
    host.on(Method::Get, &format!("{HOSTS}/7"))
        .reply(one(detail(7, "darwin", "unlocked", "lock")));
    assert_eq!(Fleet::lock("7".into(), None), Ok(None));
    assert_eq!(Fleet::lock("7".into(), None), Ok(None));
    assert_eq!(posts(&host), 0);
}

#[test]
fn a_409_or_a_raced_pending_lock_is_success_and_another_pending_action_a_conflict() {
    let host = fleet_host();
    host.on(Method::Get, &format!("{HOSTS}/8"))
        .reply(one(detail(8, "windows", "unlocked", "")));
    host.on(Method::Post, &format!("{HOSTS}/8/lock"))
        .once()
        .reply(fleet_error(409, "Conflict", "Host is already locked."));
    host.on(Method::Post, &format!("{HOSTS}/8/lock"))
        .once()
        .reply(fleet_error(
            422,
            "Validation Failed",
            "Host has pending lock request. The host will lock when it comes online.",
        ));
    host.on(Method::Post, &format!("{HOSTS}/8/lock"))
        .reply(fleet_error(
            422,
            "Validation Failed",
            "Host has pending wipe request. Cannot process lock requests once host is wiped.",
        ));
    assert_eq!(Fleet::lock("8".into(), None), Ok(None));
    assert_eq!(Fleet::lock("8".into(), None), Ok(None));
    assert!(matches!(
        Fleet::lock("8".into(), None),
        Err(Error::Conflict(m)) if m.contains("pending wipe request")
    ));
}

#[test]
fn without_fleet_premium_lock_and_wipe_are_unsupported() {
    let host = fleet_host();
    host.on(Method::Get, &format!("{HOSTS}/8"))
        .reply(one(detail(8, "windows", "unlocked", "")));
    let premium = fleet_error(
        402,
        "Requires Fleet Premium license",
        "Requires Fleet Premium license",
    );
    host.on_prefix(Method::Post, &format!("{HOSTS}/8/"))
        .reply(premium);
    for result in [
        Fleet::lock("8".into(), None).map(|_| ()),
        Fleet::wipe("8".into()),
    ] {
        assert!(
            matches!(&result, Err(Error::Unsupported(m)) if m.contains("Fleet Premium")),
            "{result:?}"
        );
    }
    assert_eq!(commands::last(8), None, "nothing was sent");
}

#[test]
fn a_host_without_mdm_is_unsupported() {
    let host = fleet_host();
    host.on(Method::Get, &format!("{HOSTS}/9"))
        .reply(one(detail(9, "windows", "unlocked", "")));
    host.on(Method::Post, &format!("{HOSTS}/9/wipe"))
        .reply(fleet_error(
            422,
            "Validation Failed",
            "Can't wipe the host because it doesn't have MDM turned on.",
        ));
    assert!(matches!(
        Fleet::wipe("9".into()),
        Err(Error::Unsupported(m)) if m.contains("not enrolled") && m.contains("host-9")
    ));
}

#[test]
fn an_unknown_host_is_not_found_and_a_bad_id_invalid() {
    let host = fleet_host();
    host.on(Method::Get, &format!("{HOSTS}/404")).reply(Reply::json(
        404,
        &json!({"message": "Resource Not Found", "errors": [{"name": "base", "reason": "Host was not found in the datastore"}]}),
    ));
    assert!(matches!(
        Fleet::lock("404".into(), None),
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        Fleet::status("404".into()),
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        Fleet::wipe("C02ABC".into()),
        Err(Error::InvalidInput(_))
    ));
    assert_eq!(host.requests().len(), 2);
}

#[test]
fn wiping_sends_once_and_a_wipe_pending_or_done_is_success() {
    let host = fleet_host();
    host.on(Method::Get, &format!("{HOSTS}/5"))
        .once()
        .reply(one(detail(5, "windows", "unlocked", "")));
    host.on(Method::Post, &format!("{HOSTS}/5/wipe"))
        .reply(Reply::json(
            200,
            &json!({"device_status": "unlocked", "pending_action": "wipe"}),
        ));
    host.on(Method::Get, &format!("{HOSTS}/5"))
        .once()
        .reply(one(detail(5, "windows", "unlocked", "wipe")));
    host.on(Method::Get, &format!("{HOSTS}/5"))
        .reply(one(detail(5, "windows", "wiped", "")));
    assert_eq!(Fleet::wipe("5".into()), Ok(()));
    assert_eq!(Fleet::wipe("5".into()), Ok(()));
    assert_eq!(Fleet::wipe("5".into()), Ok(()));
    assert_eq!(posts(&host), 1);
    assert_eq!(Fleet::status("5".into()), Ok(CommandState::Done));
}

#[test]
fn wiping_a_locked_host_or_one_with_a_lock_queued_is_a_conflict() {
    let host = fleet_host();
    host.on(Method::Get, &format!("{HOSTS}/6"))
        .once()
        .reply(one(detail(6, "darwin", "locked", "")));
    host.on(Method::Get, &format!("{HOSTS}/6"))
        .reply(one(detail(6, "darwin", "unlocked", "lock")));
    assert!(matches!(Fleet::wipe("6".into()), Err(Error::Conflict(m)) if m.contains("Unlock")));
    assert!(
        matches!(Fleet::wipe("6".into()), Err(Error::Conflict(m)) if m.contains("a lock is pending"))
    );
    assert_eq!(posts(&host), 0);
}

#[test]
fn status_is_failed_when_the_command_cannot_have_run() {
    let host = fleet_host();
    host.kv_set(
        "last-command:3",
        br#"{"command":"lock","at":1735689600}"#,
        None,
    );
    host.on(Method::Get, &format!("{HOSTS}/3"))
        .once()
        .reply(one(detail(3, "darwin", "locked", "unlock")));
    host.on(Method::Get, &format!("{HOSTS}/3"))
        .once()
        .reply(one(detail(3, "darwin", "unlocked", "")));
    host.on(Method::Get, &format!("{HOSTS}/4"))
        .reply(one(detail(4, "darwin", "unlocked", "")));
    assert_eq!(Fleet::status("3".into()), Ok(CommandState::Done));
    assert_eq!(Fleet::status("3".into()), Ok(CommandState::Failed));
    assert_eq!(
        Fleet::status("4".into()),
        Ok(CommandState::Failed),
        "nothing sent"
    );
}

#[test]
fn list_devices_pages_by_page_number() {
    let host = fleet_host();
    let full: Vec<Value> = (1..=100)
        .map(|i| listed(i, None, Some("On (manual)")))
        .collect();
    host.on_prefix(Method::Get, &format!("{HOSTS}?page=0&"))
        .reply(Reply::json(200, &json!({ "hosts": full })));
    host.on_prefix(Method::Get, &format!("{HOSTS}?page=1&"))
        .reply(Reply::json(
            200,
            &json!({"hosts": [listed(101, Some("z@acme.com"), None)]}),
        ));
    let first = Fleet::list_devices(None).unwrap();
    assert_eq!(first.devices.len(), 100);
    assert_eq!(first.next_cursor.as_deref(), Some("1"));
    assert_eq!(
        host.last_request().query("per_page").as_deref(),
        Some("100")
    );
    let second = Fleet::list_devices(first.next_cursor).unwrap();
    assert_eq!(second.devices[0].owner_email.as_deref(), Some("z@acme.com"));
    assert_eq!(second.next_cursor, None);
    assert!(matches!(
        Fleet::list_devices(Some("abc".into())),
        Err(Error::InvalidInput(_))
    ));
}

#[test]
fn find_by_serial_uses_the_identifier_endpoint_and_checks_the_serial() {
    let host = fleet_host();
    let mut mac = detail(7, "darwin", "unlocked", "");
    mac["end_users"] = json!([]);
    host.on(Method::Get, &format!("{HOSTS}/identifier/serial7"))
        .reply(one(mac));
    host.on(Method::Get, &format!("{HOSTS}/7/device_mapping")).reply(Reply::json(
        200,
        &json!({"host_id": 7, "device_mapping": [{"email": "ada@acme.com", "source": "custom"}]}),
    ));
    let found = Fleet::find_by_serial("serial7".into()).unwrap().unwrap();
    assert_eq!((found.id.as_str(), found.serial.as_str()), ("7", "SERIAL7"));
    assert_eq!(found.owner_email.as_deref(), Some("ada@acme.com"));
    assert!(found.managed);

    host.on(Method::Get, &format!("{HOSTS}/identifier/NOPE"))
        .reply(Reply::json(
            404,
            &json!({"message": "Resource Not Found", "errors": []}),
        ));
    assert_eq!(Fleet::find_by_serial("NOPE".into()), Ok(None));

    // The identifier matched a host by its hostname: not the serial asked for.
    host.on(Method::Get, &format!("{HOSTS}/identifier/host-2"))
        .reply(one(detail(2, "darwin", "unlocked", "")));
    host.on_prefix(Method::Get, &format!("{HOSTS}?"))
        .reply(Reply::json(200, &json!({"hosts": [listed(2, None, None)]})));
    assert_eq!(Fleet::find_by_serial("host-2".into()), Ok(None));
    assert_eq!(
        host.last_request().query("query").as_deref(),
        Some("host-2")
    );
}

#[test]
fn throttling_and_outages_are_retried_by_the_host() {
    let host = fleet_host();
    host.on_prefix(Method::Get, HOSTS)
        .once()
        .reply(Reply::status(429).header("retry-after", "17"));
    host.on_prefix(Method::Get, HOSTS)
        .reply(Reply::text(502, "Bad Gateway"));
    assert!(matches!(
        Fleet::list_devices(None),
        Err(Error::RateLimited(17))
    ));
    assert!(matches!(Fleet::list_devices(None), Err(Error::Unavailable(m)) if m.contains("502")));
}
