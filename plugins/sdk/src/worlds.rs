//! One trait per plugin world. Methods that a system may not support have defaults
//! that answer with a clear "not supported" error.

use crate::{
    Account, Address, CommandState, Device, Error, Features, GroupPage, HrPage, Parcel, Person,
    ReturnShipment, ShipmentState,
};

fn unsupported(what: &str) -> Error {
    Error::Other(format!("this connector does not support {what}"))
}

/// An HR system: the source of truth for who works here.
pub trait HrSource {
    /// Checks that the settings reach the source and the credentials work.
    fn test_connection() -> Result<(), Error>;
    /// Reads one page of employees changed since `since` (RFC 3339), or all when none.
    fn fetch(since: Option<String>, cursor: Option<String>) -> Result<HrPage, Error>;
}

/// An application with accounts and groups.
pub trait AppConnector {
    fn describe() -> Features;
    fn test_connection() -> Result<(), Error>;
    /// Finds the account by work email, creating it when absent. Never creates twice.
    fn ensure_account(who: Person) -> Result<Account, Error>;
    fn suspend_account(_account_id: String) -> Result<(), Error> {
        Err(unsupported("suspending accounts"))
    }
    fn restore_account(_account_id: String) -> Result<(), Error> {
        Err(unsupported("restoring accounts"))
    }
    fn delete_account(_account_id: String) -> Result<(), Error> {
        Err(unsupported("deleting accounts"))
    }
    fn list_groups(_cursor: Option<String>) -> Result<GroupPage, Error> {
        Err(unsupported("groups"))
    }
    fn add_to_group(_account_id: String, _group_id: String) -> Result<(), Error> {
        Err(unsupported("groups"))
    }
    fn remove_from_group(_account_id: String, _group_id: String) -> Result<(), Error> {
        Err(unsupported("groups"))
    }
}

/// A mobile-device-management system.
pub trait DeviceManager {
    fn test_connection() -> Result<(), Error>;
    fn find_devices(owner_email: String) -> Result<Vec<Device>, Error>;
    fn lock(_device_id: String, _message: Option<String>) -> Result<Option<String>, Error> {
        Err(unsupported("locking devices"))
    }
    fn wipe(_device_id: String) -> Result<(), Error> {
        Err(unsupported("wiping devices"))
    }
    fn status(_device_id: String) -> Result<CommandState, Error> {
        Err(unsupported("command status"))
    }
}

/// A carrier for device returns.
pub trait Shipping {
    fn test_connection() -> Result<(), Error>;
    fn create_return(
        origin: Address,
        destination: Address,
        item: Parcel,
    ) -> Result<ReturnShipment, Error>;
    fn track(tracking_number: String) -> Result<ShipmentState, Error>;
}
