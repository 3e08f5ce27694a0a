//! Calls of the optional 0.2 interfaces an HR source (`hr-addresses`, `hr-places`), a
//! device manager (`device-inventory`) or a carrier (`return-shipping`) may export
//! beside its world's own. A component built for the base world (or for 0.1) does not
//! have them: home-address and inventory calls then answer `unsupported`, placed
//! fetches and shipping calls fall back to the base interface (`hr-source.fetch`,
//! `shipping`).

use wasmtime::component::{ComponentNamedList, InstancePre, Lift, Lower};

use crate::error::CallError;
use crate::manifest::World;
use crate::optional::{
    DevicePage, DropOffCode, Label, PlacedPage, ReturnBooking, ReturnRequest, Tracking, WorkPlace,
};
use crate::plugin::{Plugin, Pre, Versioned};
use crate::state::CallState;
use crate::types::{Device, Error, HrPage, Parcel};

const DEVICE_INVENTORY: &str = "tenure:plugin/device-inventory@0.2.0";
const HR_ADDRESSES: &str = "tenure:plugin/hr-addresses@0.2.0";
const HR_PLACES: &str = "tenure:plugin/hr-places@0.2.0";
const RETURN_SHIPPING: &str = "tenure:plugin/return-shipping@0.2.0";

impl Plugin {
    /// The pre-instantiated 0.2 component when it exports `func` of `iface`.
    fn optional_pre(&self, iface: &str, func: &str) -> Option<&InstancePre<CallState>> {
        let pre = match &self.pre {
            Pre::Device(Versioned::V0_2(p)) => p.instance_pre(),
            Pre::Ship(Versioned::V0_2(p)) => p.instance_pre(),
            Pre::App(Versioned::V0_2(p)) => p.instance_pre(),
            Pre::Hr(Versioned::V0_2(p)) => p.instance_pre(),
            _ => return None,
        };
        let component = pre.component();
        let i = component.get_export_index(None, iface)?;
        component.get_export_index(Some(&i), func)?;
        Some(pre)
    }

    /// Calls `func` of the optional interface `iface` on a fresh instance; `None` when
    /// the component does not export it.
    async fn call_optional<P, R>(
        &self,
        iface: &str,
        func: &'static str,
        params: P,
    ) -> Option<Result<R, CallError>>
    where
        P: ComponentNamedList + Lower + Send + Sync,
        (Result<R, Error>,): ComponentNamedList + Lift + Send + Sync + 'static,
        R: Send + Sync + 'static,
    {
        let pre = self.optional_pre(iface, func)?.clone();
        let called = self
            .run(func, async |store| {
                let instance = pre.instantiate_async(&mut *store).await?;
                let i = instance
                    .get_export_index(&mut *store, None, iface)
                    .and_then(|i| instance.get_export_index(&mut *store, Some(&i), func))
                    .ok_or_else(|| wasmtime::format_err!("{iface}.{func} is not exported"))?;
                let f = instance.get_typed_func::<P, (Result<R, Error>,)>(&mut *store, &i)?;
                let (answer,) = f.call_async(&mut *store, params).await?;
                Ok(answer)
            })
            .await;
        Some(called)
    }

    fn need_world(&self, world: World) -> Result<(), CallError> {
        let actual = self.manifest().world;
        if actual == world {
            Ok(())
        } else {
            Err(CallError::WrongWorld {
                id: self.id().into(),
                wanted: world.export_interface(),
                actual: actual.export_interface(),
            })
        }
    }
}

/// `hr-addresses` calls (a leaver's home address, read when a return needs it).
impl Plugin {
    /// The home address the HR source has for `source_id`; `unsupported` when the
    /// plugin does not export `hr-addresses`.
    pub async fn hr_home_address(
        &self,
        source_id: &str,
    ) -> Result<Option<crate::types::Address>, CallError> {
        self.need_world(World::HrSource)?;
        self.call_optional(HR_ADDRESSES, "home-address", (source_id,))
            .await
            .unwrap_or_else(|| Err(not_exported("reading home addresses", "hr-addresses")))
    }
}

/// `hr-places` calls (a sync page with the region and city of each work location), with
/// the base `hr-source.fetch` as the fallback.
impl Plugin {
    /// One page of employees changed since `since` (RFC 3339), or all, with the work
    /// places of its employees. Without `hr-places`: [`Plugin::hr_fetch`] and no places
    /// (the host then knows the country of a work location only).
    pub async fn hr_fetch_placed(
        &self,
        since: Option<&str>,
        cursor: Option<&str>,
    ) -> Result<(HrPage, Vec<WorkPlace>), CallError> {
        self.need_world(World::HrSource)?;
        if let Some(answer) = self
            .call_optional::<_, PlacedPage>(HR_PLACES, "fetch-placed", (since, cursor))
            .await
        {
            return answer.map(|placed| (placed.page, placed.places));
        }
        Ok((self.hr_fetch(since, cursor).await?, Vec::new()))
    }
}

/// `device-inventory` calls (asset import, matching assets to devices).
impl Plugin {
    /// One page of every device the MDM knows.
    pub async fn mdm_list_devices(&self, cursor: Option<&str>) -> Result<DevicePage, CallError> {
        self.need_world(World::DeviceManager)?;
        self.call_optional(DEVICE_INVENTORY, "list-devices", (cursor,))
            .await
            .unwrap_or_else(|| Err(not_exported("listing devices", "device-inventory")))
    }

    /// The device with this serial number, `None` when the MDM does not know it.
    pub async fn mdm_find_by_serial(&self, serial: &str) -> Result<Option<Device>, CallError> {
        self.need_world(World::DeviceManager)?;
        self.call_optional(DEVICE_INVENTORY, "find-by-serial", (serial,))
            .await
            .unwrap_or_else(|| {
                Err(not_exported(
                    "finding devices by serial number",
                    "device-inventory",
                ))
            })
    }
}

/// `return-shipping` calls, with the base `shipping` interface as the fallback.
impl Plugin {
    /// Books a return. Without `return-shipping`: `shipping.create-return` (no
    /// insurance, no reference, no tracking page).
    pub async fn ship_book_return(
        &self,
        request: &ReturnRequest,
    ) -> Result<ReturnBooking, CallError> {
        self.need_world(World::Shipping)?;
        if let Some(answer) = self
            .call_optional(RETURN_SHIPPING, "book-return", (request,))
            .await
        {
            return answer;
        }
        let item = Parcel {
            description: request.description.clone(),
            weight_grams: request.weight_grams,
        };
        let made = self
            .ship_create_return(&request.origin, &request.destination, &item)
            .await?;
        Ok(ReturnBooking {
            tracking_number: made.tracking_number,
            drop_off: made.drop_off_code.map(|image| DropOffCode {
                text: String::new(),
                image: Some(image),
            }),
            label: made.label.map(|data| Label {
                content_type: sniff(&data).into(),
                data,
            }),
            tracking_url: None,
        })
    }

    /// Cancels a return. Without `return-shipping`: `unsupported`.
    pub async fn ship_void_return(&self, tracking_number: &str) -> Result<(), CallError> {
        self.need_world(World::Shipping)?;
        self.call_optional(RETURN_SHIPPING, "void-return", (tracking_number,))
            .await
            .unwrap_or_else(|| Err(not_exported("voiding shipments", "return-shipping")))
    }

    /// Where a return is. Without `return-shipping`: `shipping.track`, without words.
    pub async fn ship_track_return(&self, tracking_number: &str) -> Result<Tracking, CallError> {
        self.need_world(World::Shipping)?;
        if let Some(answer) = self
            .call_optional(RETURN_SHIPPING, "track-return", (tracking_number,))
            .await
        {
            return answer;
        }
        let state = self.ship_track(tracking_number).await?;
        Ok(Tracking {
            state,
            description: String::new(),
            delivered_at: None,
        })
    }
}

fn not_exported(what: &str, iface: &str) -> CallError {
    CallError::Plugin(Error::Unsupported(format!(
        "{what}: this plugin does not export {iface}"
    )))
}

/// The content type of a label the base interface gave as bytes.
fn sniff(data: &[u8]) -> &'static str {
    match data {
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [b'G', b'I', b'F', ..] => "image/gif",
        [b'%', b'P', b'D', b'F', ..] => "application/pdf",
        _ => "application/octet-stream",
    }
}
