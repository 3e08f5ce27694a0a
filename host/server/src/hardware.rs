//! The carrier and MDM plugins the appliance acts through, decisions that book a
//! return before they commit, and the loop that tracks returns, sends and follows MDM
//! commands and matches assets to MDM devices by serial number.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tenure_domain::hardware::MdmLink;
use tenure_domain::jiff::{SignedDuration, Timestamp};
use tenure_domain::{Actor, AssetId, Decision, Plan, PluginId, TaskId, UserId};
use tenure_runtime::{Plugin, World};

use crate::app::AppState;
use crate::lifecycle::ActError;

/// Pages of devices read from one MDM in an import.
const MAX_MDM_PAGES: usize = 200;
/// Assets asked about per loop when matching them to MDM devices.
const MATCH_PER_LOOP: usize = 50;
/// How long before an asset the MDM did not know is asked about again.
const MATCH_AGAIN_SECS: i64 = 6 * 3600;

impl AppState {
    /// Loaded plugins of `world` whose required settings are filled in.
    fn configured(&self, world: World) -> Vec<Arc<Plugin>> {
        self.plugins
            .loaded()
            .iter()
            .filter(|p| p.manifest().world == world)
            .filter(|p| crate::plugins::is_configured(&self.store, p.manifest()).unwrap_or(false))
            .cloned()
            .collect()
    }

    /// The carrier returns are booked with: the first configured shipping plugin.
    pub fn carrier(&self) -> Option<Arc<Plugin>> {
        self.configured(World::Shipping).into_iter().next()
    }

    /// The configured MDMs (device-manager plugins).
    pub fn mdms(&self) -> Vec<Arc<Plugin>> {
        self.configured(World::DeviceManager)
    }

    /// Records a champion's decision. An Offboard decision whose devices ship books the
    /// return with the carrier first; the carrier's refusal (an address it rejects) is
    /// a refusal with its words, and nothing is recorded.
    pub async fn decide(
        &self,
        task: &TaskId,
        decision: Decision,
        by: UserId,
    ) -> Result<Plan, ActError> {
        let Decision::Offboard(d) = &decision else {
            return self.engine.decide(task, decision, by).await;
        };
        let draft = self
            .engine
            .read(|k| tenure_domain::hardware::plan::return_draft(k, task, d))
            .await
            .map_err(|e| ActError::Refused(e.to_string()))?;
        let carrier = self.carrier();
        let booking = match (&draft, &carrier) {
            (Some(draft), Some(carrier)) => Some(
                self.engine
                    .book_return(carrier, draft)
                    .await
                    .map_err(ActError::Refused)?,
            ),
            _ => None,
        };
        let result = self
            .engine
            .act(|known, ctx| {
                tenure_domain::decide_with(known, task, decision, booking.as_ref(), &by, ctx)
            })
            .await;
        if let (Err(_), Some(carrier), Some(b)) = (&result, &carrier, &booking) {
            // Nothing was recorded: cancel the label nobody will use.
            if let Err(e) = carrier.ship_void_return(&b.tracking_number).await {
                tracing::warn!("voiding an unused return label failed: {e}");
            }
        }
        result
    }

    /// Imports every device the configured MDMs know (bounded pages): serials already in
    /// inventory are linked, new ones added (assigned to the employee the MDM names).
    pub async fn import_from_mdm(
        &self,
        by: UserId,
    ) -> Result<tenure_domain::hardware::plan::MdmImport, ActError> {
        use tenure_domain::hardware::plan::{MdmDevice, import_devices};
        let mdms = self.mdms();
        if mdms.is_empty() {
            return Err(ActError::Refused(
                "no MDM is set up (Settings → Integrations: Fleet)".into(),
            ));
        }
        let mut devices = Vec::new();
        for mdm in &mdms {
            let mut cursor: Option<String> = None;
            for _ in 0..MAX_MDM_PAGES {
                let page = mdm
                    .mdm_list_devices(cursor.as_deref())
                    .await
                    .map_err(|e| ActError::Refused(format!("{}: {e}", mdm.manifest().name)))?;
                devices.extend(page.devices.into_iter().map(|d| MdmDevice {
                    model: d.model,
                    serial: d.serial,
                    link: MdmLink {
                        connector: PluginId::new(mdm.id()),
                        device_id: d.id,
                        managed: d.managed,
                    },
                    owner_email: d.owner_email,
                }));
                cursor = page.next_cursor;
                if cursor.is_none() {
                    break;
                }
            }
        }
        let mut done = Default::default();
        self.engine
            .act(|known, ctx| {
                let (plan, d) = import_devices(known, devices, Actor::User { id: by }, ctx);
                done = d;
                Ok::<_, std::convert::Infallible>(plan)
            })
            .await?;
        Ok(done)
    }

    /// Starts the hardware loop.
    pub fn start_hardware(&self, poll_secs: u64) -> tokio::task::JoinHandle<()> {
        let state = self.clone();
        tokio::spawn(async move {
            let mut checked: HashMap<AssetId, Timestamp> = HashMap::new();
            let every = Duration::from_secs(poll_secs.max(1));
            loop {
                state.hardware_round(&mut checked).await;
                tokio::time::sleep(every).await;
            }
        })
    }

    /// One look at everything hardware that is due.
    pub async fn hardware_round(&self, checked: &mut HashMap<AssetId, Timestamp>) {
        let carrier = self.carrier();
        self.engine.track_returns(carrier.as_ref()).await;
        let mdms = self.mdms();
        let find = |id: &str| mdms.iter().find(|p| p.id() == id).cloned();
        self.engine.run_device_commands(&find).await;
        self.match_devices(&mdms, checked).await;
    }

    /// Asks the MDMs for the devices of assets not yet matched, by serial number.
    async fn match_devices(&self, mdms: &[Arc<Plugin>], checked: &mut HashMap<AssetId, Timestamp>) {
        if mdms.is_empty() {
            return;
        }
        let now = Timestamp::now();
        checked
            .retain(|_, at| now.duration_since(*at) < SignedDuration::from_secs(MATCH_AGAIN_SECS));
        let todo: Vec<(AssetId, String)> = self
            .engine
            .read(|k| {
                k.hardware
                    .assets()
                    .filter(|a| {
                        a.mdm.is_none() && a.state != tenure_domain::hardware::AssetState::Retired
                    })
                    .filter(|a| !checked.contains_key(&a.id))
                    .take(MATCH_PER_LOOP)
                    .map(|a| (a.id.clone(), a.serial.clone()))
                    .collect()
            })
            .await;
        for (id, serial) in todo {
            checked.insert(id.clone(), now);
            for mdm in mdms {
                match mdm.mdm_find_by_serial(&serial).await {
                    Ok(Some(device)) => {
                        let link = MdmLink {
                            connector: PluginId::new(mdm.id()),
                            device_id: device.id,
                            managed: device.managed,
                        };
                        let at = Timestamp::now();
                        let _ = self
                            .engine
                            .act_hardware(|known, _| {
                                tenure_domain::hardware::plan::link_mdm(known, &id, link, at)
                            })
                            .await;
                        break;
                    }
                    Ok(None) => {}
                    Err(e) => tracing::debug!(plugin = mdm.id(), "finding a device by serial: {e}"),
                }
            }
        }
    }
}
