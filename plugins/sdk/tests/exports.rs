//! The export macros expand in a plugin crate for every world (natively here; the
//! template and the first-party plugins build them for wasm32-wasip2).

#![cfg(not(target_arch = "wasm32"))]

use tenure_sdk::testing::{self, FakeHost};
use tenure_sdk::*;

struct Hr;
impl HrSource for Hr {
    fn test_connection() -> Result<(), Error> {
        Ok(())
    }
    fn fetch(since: Option<String>, cursor: Option<String>) -> Result<HrPage, Error> {
        // Echoes its arguments, so a test can see that a default passed them on.
        Ok(HrPage {
            employees: vec![],
            next_cursor: Some(format!("{since:?}/{cursor:?}")),
        })
    }
}
export_hr_source!(Hr);

struct App;
impl AppConnector for App {
    fn describe() -> Capabilities {
        Capabilities {
            groups: true,
            ..Capabilities::minimal()
        }
    }
    fn test_connection() -> Result<(), Error> {
        Ok(())
    }
    fn find_account(who: Person) -> Result<Option<Account>, Error> {
        settings::required_config("base_url")?;
        Ok(Some(testing::account("1", who.sign_in())))
    }
    fn provision(request: ProvisionRequest) -> Result<Provisioned, Error> {
        match Self::find_account(request.who)? {
            Some(a) => Ok(Provisioned::found(a)),
            None => Err(Error::Other("unreachable".into())),
        }
    }
    fn find_group(_name: String) -> Result<Option<Group>, Error> {
        Err(Error::Unavailable("probe".into()))
    }
    fn list_memberships(_account_id: String, _cursor: Option<String>) -> Result<GroupPage, Error> {
        Err(Error::Unavailable("probe".into()))
    }
    fn add_to_group(_account_id: String, _group_id: String) -> Result<(), Error> {
        Ok(())
    }
    fn remove_from_group(_account_id: String, _group_id: String) -> Result<(), Error> {
        Ok(())
    }
}
export_app_connector!(App);

struct Mdm;
impl DeviceManager for Mdm {
    fn test_connection() -> Result<(), Error> {
        Ok(())
    }
    fn find_devices(_owner_email: String) -> Result<Vec<Device>, Error> {
        Ok(vec![])
    }
}
export_device_manager!(Mdm);

struct Carrier;
impl Shipping for Carrier {
    fn test_connection() -> Result<(), Error> {
        Ok(())
    }
    fn create_return(_o: Address, _d: Address, _i: Parcel) -> Result<ReturnShipment, Error> {
        Err(Error::InvalidInput("no".into()))
    }
}
export_shipping!(Carrier);

#[test]
fn defaults_answer_unsupported_and_say_so() {
    let e = Mdm::wipe("d1".into()).unwrap_err();
    assert!(
        matches!(&e, Error::Unsupported(m) if m.contains("wiping")),
        "{e:?}"
    );
    assert!(is_not_implemented(&e));
    assert!(is_not_implemented(
        &Carrier::track("1Z".into()).unwrap_err()
    ));
    assert!(is_not_implemented(
        &App::reactivate("1".into()).unwrap_err()
    ));
    assert!(is_not_implemented(
        &App::list_groups(None, None).unwrap_err()
    ));
    assert!(!is_not_implemented(&Error::Unsupported(
        "plan lacks it".into()
    )));
}

#[test]
fn capabilities_that_match_pass() {
    testing::assert_capabilities_match::<App>();
}

struct Liar;
impl AppConnector for Liar {
    fn describe() -> Capabilities {
        Capabilities {
            reactivate: true,
            ..Capabilities::minimal()
        }
    }
    fn test_connection() -> Result<(), Error> {
        Ok(())
    }
    fn find_account(_who: Person) -> Result<Option<Account>, Error> {
        Ok(None)
    }
    fn provision(_r: ProvisionRequest) -> Result<Provisioned, Error> {
        Err(Error::Unavailable("x".into()))
    }
    fn delete_account(_id: String) -> Result<(), Error> {
        Ok(())
    }
}

#[test]
#[should_panic(expected = "reactivate / reactivate: describe() claims it")]
fn capabilities_that_lie_fail() {
    testing::assert_capabilities_match::<Liar>();
}

#[test]
fn the_capability_check_puts_the_tests_fake_host_back() {
    let host = FakeHost::new().config("base_url", "https://x.example");
    testing::assert_capabilities_match::<App>();
    // The probe host had no settings; ours is back.
    assert!(App::find_account(testing::person("a@example.com")).is_ok());
    drop(host);
}

#[test]
fn leaver_options_are_checked_against_capabilities() {
    let can = OffboardCapabilities {
        disable: true,
        ..OffboardCapabilities::none()
    };
    let mut asks = testing::leaver_options();
    asks.disable = true;
    assert_eq!(asks.check(&can), Ok(()));
    asks.forward_mail_to = Some("boss@example.com".into());
    asks.revoke_sessions = true;
    let e = asks.check(&can).unwrap_err();
    assert_eq!(
        e,
        Error::Unsupported(
            "this connector cannot revoke sessions, forward mail: a person does it by hand".into()
        )
    );
}

#[test]
fn the_export_hands_list_groups_to_the_connector() {
    use tenure_sdk::__private::app_connector::exports::tenure::plugin::group_directory::Guest;
    type Export = tenure_sdk::__private::AppConnectorExport<App>;
    let e = <Export as Guest>::list_groups(Some("eng".into()), None).unwrap_err();
    assert!(is_not_implemented(&e), "{e:?}");
}

#[test]
fn fetch_placed_defaults_to_fetch_with_no_places() {
    use tenure_sdk::__private::hr_source::exports::tenure::plugin::hr_places::Guest;
    type Export = tenure_sdk::__private::HrSourceExport<Hr>;
    let since = Some("2024-01-01T00:00:00Z".to_string());
    let cursor = Some("p2".to_string());
    let page = Hr::fetch(since.clone(), cursor.clone()).unwrap();
    let placed: PlacedPage = <Export as Guest>::fetch_placed(since, cursor).unwrap();
    assert_eq!(placed.page, page);
    assert_eq!(placed.places, Vec::<WorkPlace>::new());
}

#[test]
fn home_address_defaults_to_unsupported() {
    assert!(is_not_implemented(
        &Hr::home_address("e1".into()).unwrap_err()
    ));
}
