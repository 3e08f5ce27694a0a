//! The typed calls of each world, in the host's contract (0.2) terms. Each takes a
//! fresh instance of the plugin; a plugin built for 0.1 is called through
//! [`crate::adapt_v0_1`], so callers never see which version answered.

use crate::adapt_v0_1::app_connector;
use crate::adapt_v0_1::records::Upgrade;
use crate::error::CallError;
use crate::manifest::World;
use crate::plugin::{Plugin, Pre, Versioned};
use crate::types::{
    Account, Address, Capabilities, CommandState, Device, Error, Group, GroupPage, HrPage,
    LeaverOptions, Operation, Parcel, Person, ProvisionRequest, Provisioned, ReturnShipment,
    ShipmentState,
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

/// Runs one call on a fresh instance of the version the plugin was built for: `$i` is
/// the instance and `$s` the store in both arms; `v0_2` calls the export, `v0_1` its
/// adaptation.
macro_rules! dispatch {
    ($self:ident, $variant:ident, $world:expr, $name:literal, |$i:ident, $s:ident|
        v0_2: $v2:expr, v0_1: $v1:expr $(,)?) => {{
        let pre = pre_of!($self, $variant, $world);
        $self
            .run($name, async |store| match pre {
                Versioned::V0_2(pre) => {
                    let $i = pre.instantiate_async(&mut *store).await?;
                    let $s = &mut *store;
                    $v2
                }
                Versioned::V0_1(pre) => {
                    let $i = pre.instantiate_async(&mut *store).await?;
                    let $s = &mut *store;
                    $v1
                }
            })
            .await
    }};
}

/// Runs an export both versions have with the same shape; a 0.1 answer is upgraded.
macro_rules! call {
    ($self:ident, $variant:ident, $world:expr, $iface:ident, $name:literal, $func:ident ( $($arg:expr),* )) => {
        dispatch!($self, $variant, $world, $name, |i, s|
            v0_2: i.$iface().$func(s, $($arg),*).await,
            v0_1: Ok(i.$iface().$func(s, $($arg),*).await?.upgrade()),
        )
    };
}

/// Runs an app-connector call: the export on 0.2, the adapter's function of the same
/// name on 0.1.
macro_rules! app {
    ($self:ident, $name:literal, $func:ident / $adapted:ident ( $($arg:expr),* )) => {
        dispatch!($self, App, World::AppConnector, $name, |i, s|
            v0_2: i.tenure_plugin_app_connector().$func(s, $($arg),*).await,
            v0_1: app_connector::$adapted(i.tenure_plugin_app_connector(), s, $($arg),*).await,
        )
    };
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

/// `app-connector` calls. On a connector built for 0.1 they go through the adapter
/// (`adapt_v0_1/app_connector.rs` has the table of what each answers): the calls 0.1
/// cannot make answer `unsupported` without calling it.
impl Plugin {
    /// What the connector can do; the host offers only that and asks a person for the
    /// rest.
    pub async fn app_describe(&self) -> Result<Capabilities, CallError> {
        dispatch!(self, App, World::AppConnector, "describe", |i, s|
            v0_2: Ok(Ok::<_, Never>(i.tenure_plugin_app_connector().call_describe(s).await?)),
            v0_1: Ok(Ok(app_connector::describe(i.tenure_plugin_app_connector(), s).await?)),
        )
    }

    pub async fn app_test_connection(&self) -> Result<(), CallError> {
        app!(
            self,
            "test-connection",
            call_test_connection / test_connection()
        )
    }

    /// The person's account (by `login`, else work email), without creating one.
    pub async fn app_find_account(&self, who: &Person) -> Result<Option<Account>, CallError> {
        app!(self, "find-account", call_find_account / find_account(who))
    }

    /// Creates the person's account or finds it (`created: false`).
    pub async fn app_provision(
        &self,
        request: &ProvisionRequest,
    ) -> Result<Provisioned, CallError> {
        app!(self, "provision", call_provision / provision(request))
    }

    pub async fn app_update_profile(
        &self,
        account_id: &str,
        who: &Person,
    ) -> Result<(), CallError> {
        app!(
            self,
            "update-profile",
            call_update_profile / update_profile(account_id, who)
        )
    }

    /// Makes the account's entitlements exactly `entitlements` (among those the
    /// connector manages).
    pub async fn app_set_entitlements(
        &self,
        account_id: &str,
        entitlements: &[String],
    ) -> Result<(), CallError> {
        app!(
            self,
            "set-entitlements",
            call_set_entitlements / set_entitlements(account_id, entitlements)
        )
    }

    /// Takes the leaver steps in `options`; poll the operation while it is in progress.
    pub async fn app_offboard(
        &self,
        account_id: &str,
        who: &Person,
        options: &LeaverOptions,
    ) -> Result<Operation, CallError> {
        app!(
            self,
            "offboard",
            call_offboard / offboard(account_id, who, options)
        )
    }

    pub async fn app_operation_status(&self, operation_id: &str) -> Result<Operation, CallError> {
        app!(
            self,
            "operation-status",
            call_operation_status / operation_status(operation_id)
        )
    }

    /// Turns a disabled account back on (a rehire).
    pub async fn app_reactivate(&self, account_id: &str) -> Result<(), CallError> {
        app!(self, "reactivate", call_reactivate / reactivate(account_id))
    }

    pub async fn app_delete_account(&self, account_id: &str) -> Result<(), CallError> {
        app!(
            self,
            "delete-account",
            call_delete_account / delete_account(account_id)
        )
    }

    /// A group, team or channel by name.
    pub async fn app_find_group(&self, name: &str) -> Result<Option<Group>, CallError> {
        app!(self, "find-group", call_find_group / find_group(name))
    }

    /// One page of the groups the account is a member of.
    pub async fn app_list_memberships(
        &self,
        account_id: &str,
        cursor: Option<&str>,
    ) -> Result<GroupPage, CallError> {
        app!(
            self,
            "list-memberships",
            call_list_memberships / list_memberships(account_id, cursor)
        )
    }

    pub async fn app_add_to_group(
        &self,
        account_id: &str,
        group_id: &str,
    ) -> Result<(), CallError> {
        app!(
            self,
            "add-to-group",
            call_add_to_group / add_to_group(account_id, group_id)
        )
    }

    pub async fn app_remove_from_group(
        &self,
        account_id: &str,
        group_id: &str,
    ) -> Result<(), CallError> {
        app!(
            self,
            "remove-from-group",
            call_remove_from_group / remove_from_group(account_id, group_id)
        )
    }
}

/// The optional `group-directory` export of an app connector.
const GROUP_DIRECTORY: &str = "tenure:plugin/group-directory@0.2.0";

/// `group-directory` calls (the group picker).
impl Plugin {
    /// One page of the groups whose name starts with `prefix` (all when `None`), for
    /// the group picker. `unsupported` when the connector does not list its groups (a
    /// component built for `app-connector-plugin` alone, or one that says so).
    pub async fn app_list_groups(
        &self,
        prefix: Option<&str>,
        cursor: Option<&str>,
    ) -> Result<GroupPage, CallError> {
        let pre = pre_of!(self, App, World::AppConnector);
        match pre {
            Versioned::V0_2(pre) => {
                let pre = pre.instance_pre().clone();
                self.run("list-groups", async |store| {
                    let instance = pre.instantiate_async(&mut *store).await?;
                    let func = instance
                        .get_export_index(&mut *store, None, GROUP_DIRECTORY)
                        .and_then(|i| {
                            instance.get_export_index(&mut *store, Some(&i), "list-groups")
                        });
                    let Some(func) = func else {
                        return Ok(Err(Error::Unsupported(
                            "listing groups: this connector does not export group-directory".into(),
                        )));
                    };
                    type Params<'a> = (Option<&'a str>, Option<&'a str>);
                    let func = instance.get_typed_func::<Params<'_>, (Result<GroupPage, Error>,)>(
                        &mut *store,
                        &func,
                    )?;
                    let (answer,) = func.call_async(&mut *store, (prefix, cursor)).await?;
                    Ok(answer)
                })
                .await
            }
            Versioned::V0_1(pre) => {
                self.run("list-groups", async |store| {
                    let i = pre.instantiate_async(&mut *store).await?;
                    app_connector::list_groups(
                        i.tenure_plugin_app_connector(),
                        store,
                        prefix,
                        cursor,
                    )
                    .await
                })
                .await
            }
        }
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
        dispatch!(self, Ship, World::Shipping, "create-return", |i, s|
            v0_2: i.tenure_plugin_shipping().call_create_return(s, origin, destination, item).await,
            v0_1: Ok(i
                .tenure_plugin_shipping()
                .call_create_return(s, &origin.into(), &destination.into(), &item.into())
                .await?
                .upgrade()),
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
