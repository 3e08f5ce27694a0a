use super::not_implemented;
use crate::bindings::device_manager::exports::tenure::plugin::device_manager::Guest;
use crate::{CommandState, Device, DevicePage, Error};
use std::marker::PhantomData;

/// A mobile-device-management system (world `device-manager`, register with
/// [`crate::export_device_manager!`]). The host finds a leaver's devices, locks or
/// wipes them when a person asks for it, and follows the command.
///
/// Commands may be retried after a timeout: sending one twice must do no harm
/// (a second lock of a locked device is success).
pub trait DeviceManager {
    /// Checks that the settings reach the MDM and the credentials work (one cheap
    /// authenticated read). Wrong credentials: [`Error::Unauthorized`].
    fn test_connection() -> Result<(), Error>;

    /// The devices assigned to this person (match the owner's email
    /// case-insensitively). None: an empty list, not [`Error::NotFound`].
    fn find_devices(owner_email: String) -> Result<Vec<Device>, Error>;

    /// Locks the device, showing `message` where the platform can. Returns the unlock
    /// PIN when the MDM issues one (the host shows it to the person who asked, and
    /// never logs it). An unknown device: [`Error::NotFound`]; a device the MDM cannot
    /// command (unmanaged): [`Error::Unsupported`].
    ///
    /// Default: [`Error::Unsupported`] (a person locks it by hand).
    fn lock(device_id: String, message: Option<String>) -> Result<Option<String>, Error> {
        let _ = (device_id, message);
        Err(not_implemented("locking devices"))
    }

    /// Erases the device. A wipe already pending or done is success. Default:
    /// [`Error::Unsupported`].
    fn wipe(device_id: String) -> Result<(), Error> {
        let _ = device_id;
        Err(not_implemented("wiping devices"))
    }

    /// Where the last command sent to the device stands. Default:
    /// [`Error::Unsupported`].
    fn status(device_id: String) -> Result<CommandState, Error> {
        let _ = device_id;
        Err(not_implemented("command status"))
    }

    /// One page of every device the MDM knows, for importing them as company assets.
    /// Bound the page size; pass the remote's cursor on in `next_cursor`. (WIT:
    /// `device-inventory.list-devices`.) Default: [`Error::Unsupported`] (no import).
    fn list_devices(cursor: Option<String>) -> Result<DevicePage, Error> {
        let _ = cursor;
        Err(not_implemented("listing devices"))
    }

    /// The device with this serial number (case-insensitive), `None` when the MDM does
    /// not know it. The host matches company assets to devices with it. (WIT:
    /// `device-inventory.find-by-serial`.) Default: [`Error::Unsupported`].
    fn find_by_serial(serial: String) -> Result<Option<Device>, Error> {
        let _ = serial;
        Err(not_implemented("finding devices by serial number"))
    }
}

/// Wires a [`DeviceManager`] to the generated bindings.
#[doc(hidden)]
pub struct DeviceManagerExport<T>(PhantomData<T>);

impl<T: DeviceManager> Guest for DeviceManagerExport<T> {
    fn test_connection() -> Result<(), Error> {
        T::test_connection()
    }
    fn find_devices(owner_email: String) -> Result<Vec<Device>, Error> {
        T::find_devices(owner_email)
    }
    fn lock(device_id: String, message: Option<String>) -> Result<Option<String>, Error> {
        T::lock(device_id, message)
    }
    fn wipe(device_id: String) -> Result<(), Error> {
        T::wipe(device_id)
    }
    fn status(device_id: String) -> Result<CommandState, Error> {
        T::status(device_id)
    }
}

impl<T: DeviceManager>
    crate::bindings::device_manager::exports::tenure::plugin::device_inventory::Guest
    for DeviceManagerExport<T>
{
    fn list_devices(cursor: Option<String>) -> Result<DevicePage, Error> {
        T::list_devices(cursor)
    }
    fn find_by_serial(serial: String) -> Result<Option<Device>, Error> {
        T::find_by_serial(serial)
    }
}
