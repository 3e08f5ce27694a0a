//! The typed calls of each world. Each takes a fresh instance of the plugin.

use crate::error::CallError;
use crate::manifest::World;
use crate::plugin::{Plugin, Pre};
use crate::types::{
    Account, Address, CommandState, Device, Error, Features, GroupPage, HrPage, Parcel, Person,
    ReturnShipment, ShipmentState,
};

impl From<Error> for CallError {
    fn from(e: Error) -> Self {
        CallError::Plugin(e)
    }
}

/// Infallible exports (like `describe`) go through the same runner.
enum Never {}
impl From<Never> for CallError {
    fn from(n: Never) -> Self {
        match n {}
    }
}

macro_rules! pre_of {
    ($self:ident, $variant:ident, $wanted:expr) => {
        match &$self.pre {
            Pre::$variant(p) => p,
            _ => {
                return Err(CallError::WrongWorld {
                    id: $self.id().into(),
                    wanted: $wanted.export_interface(),
                    actual: $self.manifest().world.export_interface(),
                })
            }
        }
    };
}

/// Runs one export: instantiate the world, call the interface's function.
macro_rules! call {
    ($self:ident, $variant:ident, $world:expr, $iface:ident, $name:literal, $func:ident ( $($arg:expr),* )) => {{
        let pre = pre_of!($self, $variant, $world);
        $self
            .run($name, async |store| {
                let instance = pre.instantiate_async(&mut *store).await?;
                instance.$iface().$func(&mut *store, $($arg),*).await
            })
            .await
    }};
    (infallible $self:ident, $variant:ident, $world:expr, $iface:ident, $name:literal, $func:ident ( $($arg:expr),* )) => {{
        let pre = pre_of!($self, $variant, $world);
        $self
            .run($name, async |store| {
                let instance = pre.instantiate_async(&mut *store).await?;
                let out = instance.$iface().$func(&mut *store, $($arg),*).await?;
                Ok(Ok::<_, Never>(out))
            })
            .await
    }};
}

/// Calls every world has.
impl Plugin {
    /// Checks that the plugin's settings reach its system and the credentials work.
    pub async fn test_connection(&self) -> Result<(), CallError> {
        match self.manifest().world {
            World::HrSource => self.hr_test_connection().await,
            World::AppConnector => self.app_test_connection().await,
            World::DeviceManager => self.mdm_test_connection().await,
            World::Shipping => self.ship_test_connection().await,
        }
    }
}

/// `hr-source` calls.
impl Plugin {
    pub async fn hr_test_connection(&self) -> Result<(), CallError> {
        call!(
            self,
            Hr,
            World::HrSource,
            tenure_plugin_hr_source,
            "test-connection",
            call_test_connection()
        )
    }

    /// One page of employees changed since `since` (RFC 3339), or all.
    pub async fn hr_fetch(
        &self,
        since: Option<&str>,
        cursor: Option<&str>,
    ) -> Result<HrPage, CallError> {
        let since = since.map(str::to_string);
        let cursor = cursor.map(str::to_string);
        call!(
            self,
            Hr,
            World::HrSource,
            tenure_plugin_hr_source,
            "fetch",
            call_fetch(since.as_deref(), cursor.as_deref())
        )
    }
}

/// `app-connector` calls.
impl Plugin {
    pub async fn app_describe(&self) -> Result<Features, CallError> {
        call!(infallible self, App, World::AppConnector, tenure_plugin_app_connector, "describe", call_describe())
    }

    pub async fn app_test_connection(&self) -> Result<(), CallError> {
        call!(
            self,
            App,
            World::AppConnector,
            tenure_plugin_app_connector,
            "test-connection",
            call_test_connection()
        )
    }

    pub async fn app_ensure_account(&self, who: &Person) -> Result<Account, CallError> {
        call!(
            self,
            App,
            World::AppConnector,
            tenure_plugin_app_connector,
            "ensure-account",
            call_ensure_account(who)
        )
    }

    pub async fn app_suspend_account(&self, account_id: &str) -> Result<(), CallError> {
        call!(
            self,
            App,
            World::AppConnector,
            tenure_plugin_app_connector,
            "suspend-account",
            call_suspend_account(account_id)
        )
    }

    pub async fn app_restore_account(&self, account_id: &str) -> Result<(), CallError> {
        call!(
            self,
            App,
            World::AppConnector,
            tenure_plugin_app_connector,
            "restore-account",
            call_restore_account(account_id)
        )
    }

    pub async fn app_delete_account(&self, account_id: &str) -> Result<(), CallError> {
        call!(
            self,
            App,
            World::AppConnector,
            tenure_plugin_app_connector,
            "delete-account",
            call_delete_account(account_id)
        )
    }

    pub async fn app_list_groups(&self, cursor: Option<&str>) -> Result<GroupPage, CallError> {
        call!(
            self,
            App,
            World::AppConnector,
            tenure_plugin_app_connector,
            "list-groups",
            call_list_groups(cursor)
        )
    }

    pub async fn app_add_to_group(
        &self,
        account_id: &str,
        group_id: &str,
    ) -> Result<(), CallError> {
        call!(
            self,
            App,
            World::AppConnector,
            tenure_plugin_app_connector,
            "add-to-group",
            call_add_to_group(account_id, group_id)
        )
    }

    pub async fn app_remove_from_group(
        &self,
        account_id: &str,
        group_id: &str,
    ) -> Result<(), CallError> {
        call!(
            self,
            App,
            World::AppConnector,
            tenure_plugin_app_connector,
            "remove-from-group",
            call_remove_from_group(account_id, group_id)
        )
    }
}

/// `device-manager` calls.
impl Plugin {
    pub async fn mdm_test_connection(&self) -> Result<(), CallError> {
        call!(
            self,
            Device,
            World::DeviceManager,
            tenure_plugin_device_manager,
            "test-connection",
            call_test_connection()
        )
    }

    pub async fn mdm_find_devices(&self, owner_email: &str) -> Result<Vec<Device>, CallError> {
        call!(
            self,
            Device,
            World::DeviceManager,
            tenure_plugin_device_manager,
            "find-devices",
            call_find_devices(owner_email)
        )
    }

    pub async fn mdm_lock(
        &self,
        device_id: &str,
        message: Option<&str>,
    ) -> Result<Option<String>, CallError> {
        call!(
            self,
            Device,
            World::DeviceManager,
            tenure_plugin_device_manager,
            "lock",
            call_lock(device_id, message)
        )
    }

    pub async fn mdm_wipe(&self, device_id: &str) -> Result<(), CallError> {
        call!(
            self,
            Device,
            World::DeviceManager,
            tenure_plugin_device_manager,
            "wipe",
            call_wipe(device_id)
        )
    }

    pub async fn mdm_status(&self, device_id: &str) -> Result<CommandState, CallError> {
        call!(
            self,
            Device,
            World::DeviceManager,
            tenure_plugin_device_manager,
            "status",
            call_status(device_id)
        )
    }
}

/// `shipping` calls.
impl Plugin {
    pub async fn ship_test_connection(&self) -> Result<(), CallError> {
        call!(
            self,
            Ship,
            World::Shipping,
            tenure_plugin_shipping,
            "test-connection",
            call_test_connection()
        )
    }

    pub async fn ship_create_return(
        &self,
        origin: &Address,
        destination: &Address,
        item: &Parcel,
    ) -> Result<ReturnShipment, CallError> {
        call!(
            self,
            Ship,
            World::Shipping,
            tenure_plugin_shipping,
            "create-return",
            call_create_return(origin, destination, item)
        )
    }

    pub async fn ship_track(&self, tracking_number: &str) -> Result<ShipmentState, CallError> {
        call!(
            self,
            Ship,
            World::Shipping,
            tenure_plugin_shipping,
            "track",
            call_track(tracking_number)
        )
    }
}
