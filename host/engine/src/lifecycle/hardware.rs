//! The hardware side of the engine: admin moves on assets, returns booked with the
//! carrier, tracking and MDM commands followed on a schedule, and the leaver's return
//! email with its drop-off code.

use std::sync::Arc;

use tenure_domain::hardware::plan::{self as hw, CommandUpdate, TrackingUpdate};
use tenure_domain::hardware::{Booking, CommandState, ShipmentState};
use tenure_domain::jiff::{SignedDuration, Timestamp};
use tenure_domain::{Actor, EmployeeRef, MdmAction, Plan, ShipmentId};
use tenure_runtime::optional::Tracking;
use tenure_runtime::types::{CommandState as Remote, Error, ShipmentState as Carrier};
use tenure_runtime::{CallError, Plugin};

use super::{ActError, Engine};
use crate::email::{Email, qr_png, return_instructions};

/// How long to wait before sending a command again after the MDM failed to take it.
const COMMAND_RETRY_SECS: i64 = 300;
/// Returns tracked, and commands sent or followed, per round of the hardware loop.
const PER_ROUND: usize = 200;
/// Attempts before a command that keeps failing is given up (a person takes over).
const COMMAND_ATTEMPTS: u32 = 12;

/// The sealing purpose of an unlock PIN: bound to the command.
pub fn pin_purpose(command: &str) -> String {
    format!("mdm-unlock-pin:{command}")
}

impl Engine {
    /// Runs a hardware planner function and commits its plan.
    pub async fn act_hardware(
        &self,
        f: impl FnOnce(&tenure_domain::InMemoryKnown, &mut tenure_domain::PlanContext<'_>) -> Plan,
    ) -> Result<Plan, ActError> {
        self.act(|known, ctx| Ok::<_, std::convert::Infallible>(f(known, ctx)))
            .await
    }

    /// Replaces the hardware settings (each place's address checked), with an audit
    /// entry.
    pub async fn set_hardware_settings(
        &self,
        mut settings: tenure_domain::hardware::HardwareSettings,
        by: tenure_domain::UserId,
    ) -> Result<tenure_domain::hardware::HardwareSettings, ActError> {
        let clean = |site: &mut tenure_domain::hardware::Site| -> Result<(), ActError> {
            site.key = site.key.trim().to_lowercase();
            site.name = site.name.trim().to_string();
            if site.key.is_empty() || site.name.is_empty() {
                return Err(ActError::Refused(
                    "every site needs a key and a name".into(),
                ));
            }
            if !site
                .key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(ActError::Refused(format!(
                    "site key `{}`: use letters, digits, - and _",
                    site.key
                )));
            }
            site.address = site
                .address
                .clone()
                .cleaned()
                .map_err(|e| ActError::Refused(format!("{}: {e}", site.name)))?;
            Ok(())
        };
        if let Some(w) = settings.warehouse.as_mut() {
            w.key = tenure_domain::hardware::WAREHOUSE.into();
            clean(w)?;
        }
        let mut keys = std::collections::BTreeSet::new();
        for s in settings.sites.iter_mut() {
            clean(s)?;
            if s.key == tenure_domain::hardware::WAREHOUSE || !keys.insert(s.key.clone()) {
                return Err(ActError::Refused(format!(
                    "site key `{}` is used twice",
                    s.key
                )));
            }
        }
        if settings.sites.len() > 200 {
            return Err(ActError::Refused("at most 200 sites".into()));
        }
        let mut products = std::collections::BTreeSet::new();
        for p in std::mem::take(&mut settings.products) {
            let p = p.cleaned().map_err(ActError::Refused)?;
            if !products.insert(p.id.clone()) {
                return Err(ActError::Refused(format!(
                    "product key `{}` is used twice",
                    p.id
                )));
            }
            settings.products.push(p);
        }
        if settings.products.len() > 500 {
            return Err(ActError::Refused("at most 500 products".into()));
        }
        settings.currency = settings.currency.trim().to_ascii_uppercase();
        if settings.currency.len() != 3 {
            return Err(ActError::Refused(
                "the currency is a three-letter code like USD".into(),
            ));
        }
        self.store
            .set_hardware_settings(&settings)
            .map_err(|e| ActError::Store(e.to_string()))?;
        let saved = settings.clone();
        self.act(|known, ctx| {
            let _ = known;
            Ok::<_, std::convert::Infallible>(Plan {
                audit: vec![tenure_domain::AuditEntry {
                    at: ctx.now,
                    actor: Actor::User { id: by },
                    action: tenure_domain::AuditAction::CatalogChanged,
                    subject: tenure_domain::Subject::Catalog,
                    detail: format!(
                        "hardware settings: warehouse {}, {} sites",
                        if saved.warehouse.is_some() {
                            "set"
                        } else {
                            "not set"
                        },
                        saved.sites.len()
                    ),
                }],
                ..Plan::default()
            })
        })
        .await?;
        self.set_hardware_in_memory(settings.clone()).await;
        Ok(settings)
    }

    /// Keeps what the carrier issued for a booking (the label, the drop-off image), by
    /// tracking number, before the booking is recorded: the email that goes out with
    /// the commit attaches them.
    fn keep_booking_files(&self, booking: &tenure_runtime::optional::ReturnBooking) {
        let shipment = booking.tracking_number.as_str();
        if let Some(label) = &booking.label
            && let Err(e) =
                self.store
                    .put_shipment_file(shipment, "label", &label.content_type, &label.data)
        {
            tracing::error!(%shipment, "keeping a return label: {e}");
        }
        if let Some(code) = &booking.drop_off
            && let Some(image) = &code.image
            && let Err(e) = self
                .store
                .put_shipment_file(shipment, "drop_off", "image/png", image)
        {
            tracing::error!(%shipment, "keeping a drop-off code: {e}");
        }
    }

    /// The leaver's email: the drop-off code as a QR code (attached and inline), else
    /// the carrier's own code image, else the printable label.
    pub(super) async fn return_email(
        &self,
        employee: &EmployeeRef,
        shipment: &ShipmentId,
        place: &str,
    ) -> Email {
        let booking = self
            .read(|k| {
                k.hardware
                    .shipments
                    .get(shipment)
                    .and_then(|s| s.booking.clone())
            })
            .await;
        let Some(b) = booking else {
            return return_instructions(&employee.name, place, "(see IT)", None, None, None);
        };
        let file = |kind: &str| {
            self.store
                .shipment_file(&b.tracking_number, kind)
                .ok()
                .flatten()
        };
        let code = match b.drop_off_text.as_deref().filter(|t| !t.is_empty()) {
            Some(text) => qr_png(text).map(|png| (png, Some(text))),
            None => file("drop_off").map(|(_, png)| (png, None)),
        };
        let label = if code.is_none() { file("label") } else { None };
        return_instructions(
            &employee.name,
            place,
            &b.tracking_number,
            b.tracking_url.as_deref(),
            code,
            label,
        )
    }

    /// Asks the carrier about every return due a look, and records the answers.
    pub async fn track_returns(&self, carrier: Option<&Arc<Plugin>>) -> usize {
        let now = Timestamp::now();
        let due: Vec<(ShipmentId, Option<String>)> = self
            .read(|k| {
                k.hardware
                    .shipments_due(now)
                    .into_iter()
                    .take(PER_ROUND)
                    .map(|s| (s.id.clone(), s.tracking_number().map(String::from)))
                    .collect()
            })
            .await;
        let mut seen = 0;
        for (id, number) in due {
            let (Some(plugin), Some(number)) = (carrier, number) else {
                continue;
            };
            let update = match plugin.ship_track_return(&number).await {
                Ok(t) => Some(tracking_update(t)),
                Err(e) => {
                    tracing::warn!(shipment = %id, "tracking a return failed (will try again): {e}");
                    None
                }
            };
            seen += 1;
            if let Err(e) = self
                .act_hardware(|known, ctx| hw::tracked(known, &id, update, ctx))
                .await
            {
                tracing::error!(shipment = %id, "recording tracking: {e}");
            }
        }
        seen
    }

    /// Sends queued MDM commands whose time has come, and follows the sent ones.
    pub async fn run_device_commands(
        &self,
        mdm: &(dyn Fn(&str) -> Option<Arc<Plugin>> + Sync),
    ) -> usize {
        let now = Timestamp::now();
        let due: Vec<_> = self
            .read(|k| {
                k.hardware
                    .commands_due(now)
                    .into_iter()
                    .take(PER_ROUND)
                    .cloned()
                    .collect()
            })
            .await;
        let mut done = 0;
        for c in due {
            let Some(plugin) = mdm(c.connector.as_str()) else {
                continue;
            };
            let update = match c.state {
                CommandState::Queued => self.send_command(&plugin, &c).await,
                _ => follow_command(&plugin, &c, self.policy.command_poll_secs).await,
            };
            done += 1;
            let id = c.id.clone();
            if let Err(e) = self
                .act_hardware(|known, ctx| hw::command_updated(known, &id, update, ctx))
                .await
            {
                tracing::error!(command = %id, "recording an MDM answer: {e}");
            }
        }
        done
    }

    async fn send_command(
        &self,
        plugin: &Plugin,
        c: &tenure_domain::hardware::MdmCommand,
    ) -> CommandUpdate {
        let now = Timestamp::now();
        let sent = match c.action {
            MdmAction::Lock => {
                plugin
                    .mdm_lock(
                        &c.device_id,
                        Some("This device belongs to the company. Please return it to IT."),
                    )
                    .await
            }
            MdmAction::Wipe => plugin.mdm_wipe(&c.device_id).await.map(|()| None),
            MdmAction::None => Ok(None),
        };
        match sent {
            Ok(pin) => CommandUpdate {
                state: CommandState::Pending,
                sealed_pin: pin.and_then(|p| {
                    self.store
                        .seal_note(&pin_purpose(&c.id.0), &p)
                        .map_err(|e| tracing::error!(command = %c.id, "sealing an unlock PIN: {e}"))
                        .ok()
                }),
                next_try: Some(now + SignedDuration::from_secs(self.policy.command_poll_secs)),
                attempted: true,
            },
            Err(e) => failed_or_retry(c, e, now),
        }
    }

    /// Books a return with the carrier for a draft; the carrier's refusal of an address
    /// comes back as `Err` with its words, for the form.
    pub async fn book_return(
        &self,
        carrier: &Plugin,
        draft: &tenure_domain::hardware::ReturnDraft,
    ) -> Result<Booking, String> {
        let request = tenure_runtime::optional::ReturnRequest {
            origin: address(&draft.origin),
            destination: address(&draft.destination),
            description: draft.description.clone(),
            weight_grams: draft.weight_grams,
            declared_value: draft.declared_value_cents,
            currency: draft.currency.clone(),
            reference: draft.reference.clone(),
        };
        match carrier.ship_book_return(&request).await {
            Ok(b) => {
                self.keep_booking_files(&b);
                Ok(Booking {
                    carrier: tenure_domain::PluginId::new(carrier.id()),
                    drop_off_text: b
                        .drop_off
                        .as_ref()
                        .map(|d| d.text.clone())
                        .filter(|t| !t.is_empty()),
                    has_label: b.label.is_some(),
                    tracking_url: b.tracking_url,
                    tracking_number: b.tracking_number,
                })
            }
            Err(CallError::Plugin(Error::InvalidInput(why))) => Err(format!(
                "{} refused the address: {why}",
                carrier.manifest().name
            )),
            Err(e) => Err(format!(
                "{} could not book the return: {e}",
                carrier.manifest().name
            )),
        }
    }

    /// Books a voided return again (addresses as given, else the old ones) and records
    /// the new shipment; the employee gets the new code. The carrier's refusal of an
    /// address is a refusal with its words.
    pub async fn rebook_return(
        &self,
        carrier: &Plugin,
        id: &ShipmentId,
        origin: Option<tenure_domain::hardware::PostalAddress>,
        destination: Option<tenure_domain::hardware::PostalAddress>,
        by: tenure_domain::UserId,
    ) -> Result<ShipmentId, ActError> {
        let old = self
            .read(|k| {
                let s = k.hardware.shipments.get(id)?.clone();
                let models: Vec<String> = s
                    .assets
                    .iter()
                    .filter_map(|a| k.hardware.asset(a).map(|a| a.model.clone()))
                    .collect();
                Some((s, models, k.hardware.settings.clone()))
            })
            .await;
        let Some((old, models, settings)) = old else {
            return Err(ActError::Refused(format!("there is no return {id}")));
        };
        if old.state != ShipmentState::Voided {
            return Err(ActError::Refused(format!(
                "return {id} is {}: void it first",
                old.state.words()
            )));
        }
        let clean = |a: tenure_domain::hardware::PostalAddress, what: &str| {
            a.cleaned()
                .map_err(|e| ActError::Refused(format!("{what}: {e}")))
        };
        let origin = clean(
            origin.unwrap_or(old.origin.clone()),
            "the employee's address",
        )?;
        let destination = clean(
            destination.unwrap_or(old.destination.clone()),
            "the address it ships to",
        )?;
        let draft = tenure_domain::hardware::ReturnDraft {
            place: old.place.clone(),
            origin: origin.clone(),
            destination: destination.clone(),
            assets: old.assets.clone(),
            description: format!("Return: {}", models.join(", ")),
            weight_grams: settings
                .parcel_weight_grams
                .saturating_mul(old.assets.len().max(1) as u32),
            declared_value_cents: old.declared_value_cents,
            currency: settings.currency.clone(),
            reference: format!("{}-rebook-{}", old.task, old.id),
        };
        let booking = self
            .book_return(carrier, &draft)
            .await
            .map_err(ActError::Refused)?;
        let mut new_id = None;
        self.act(|known, ctx| {
            let (plan, nid) = hw::rebooked(
                known,
                id,
                origin,
                destination,
                booking,
                Actor::User { id: by },
                ctx,
            )?;
            new_id = Some(nid);
            Ok::<_, tenure_domain::TaskError>(plan)
        })
        .await?;
        let new_id = new_id.expect("set by the plan");
        Ok(new_id)
    }

    /// Voids a return with its carrier and records it.
    pub async fn void_return(
        &self,
        carrier: Option<&Plugin>,
        id: &ShipmentId,
        by: tenure_domain::UserId,
    ) -> Result<Plan, ActError> {
        let number = self
            .read(|k| {
                k.hardware
                    .shipments
                    .get(id)
                    .map(|s| (s.tracking_number().map(String::from), s.state.clone()))
            })
            .await;
        let Some((number, state)) = number else {
            return Err(ActError::Refused(format!("there is no return {id}")));
        };
        if let (Some(plugin), Some(number), ShipmentState::Booked) = (carrier, number, &state) {
            match plugin.ship_void_return(&number).await {
                Ok(()) | Err(CallError::Plugin(Error::Unsupported(_))) => {}
                Err(e) => {
                    return Err(ActError::Refused(format!(
                        "the carrier did not void it: {e}"
                    )));
                }
            }
        }
        self.act(|known, ctx| hw::voided(known, id, Actor::User { id: by }, ctx))
            .await
    }
}

/// Asks the MDM where a sent command stands; `poll_secs` until the next look.
async fn follow_command(
    plugin: &Plugin,
    c: &tenure_domain::hardware::MdmCommand,
    poll_secs: i64,
) -> CommandUpdate {
    let now = Timestamp::now();
    match plugin.mdm_status(&c.device_id).await {
        Ok(Remote::Done) => CommandUpdate {
            state: CommandState::Done,
            sealed_pin: None,
            next_try: None,
            attempted: false,
        },
        Ok(Remote::Failed) => CommandUpdate {
            state: CommandState::Failed {
                reason: "the MDM reports the command failed on the device".into(),
            },
            sealed_pin: None,
            next_try: None,
            attempted: false,
        },
        Ok(_) => CommandUpdate {
            state: CommandState::Pending,
            sealed_pin: None,
            next_try: Some(now + SignedDuration::from_secs(poll_secs)),
            attempted: false,
        },
        Err(e) => {
            tracing::warn!(command = %c.id, "asking the MDM for a command's state: {e}");
            CommandUpdate {
                state: CommandState::Pending,
                sealed_pin: None,
                next_try: Some(now + SignedDuration::from_secs(COMMAND_RETRY_SECS)),
                attempted: false,
            }
        }
    }
}

/// A refused command: permanent refusals fail at once with the reason; passing ones
/// are retried later, a bounded number of times.
fn failed_or_retry(
    c: &tenure_domain::hardware::MdmCommand,
    e: CallError,
    now: Timestamp,
) -> CommandUpdate {
    let permanent = matches!(
        e,
        CallError::Plugin(
            Error::Unsupported(_)
                | Error::NotFound(_)
                | Error::InvalidInput(_)
                | Error::Conflict(_)
        )
    );
    if permanent || c.attempts + 1 >= COMMAND_ATTEMPTS {
        return CommandUpdate {
            state: CommandState::Failed {
                reason: format!("{e}; {} it by hand", c.verb()),
            },
            sealed_pin: None,
            next_try: None,
            attempted: true,
        };
    }
    let wait = match &e {
        CallError::Plugin(Error::RateLimited(secs)) => i64::from(*secs).max(1),
        _ => COMMAND_RETRY_SECS,
    };
    CommandUpdate {
        state: CommandState::Queued,
        sealed_pin: None,
        next_try: Some(now + SignedDuration::from_secs(wait)),
        attempted: true,
    }
}

fn tracking_update(t: Tracking) -> TrackingUpdate {
    let state = match t.state {
        Carrier::Created => ShipmentState::Booked,
        Carrier::InTransit => ShipmentState::InTransit,
        Carrier::Delivered => ShipmentState::Delivered { at: t.delivered_at },
        Carrier::Exception => ShipmentState::Exception {
            reason: if t.description.is_empty() {
                "the carrier reports a problem".into()
            } else {
                t.description.clone()
            },
        },
    };
    TrackingUpdate {
        state,
        description: t.description,
    }
}

fn address(a: &tenure_domain::hardware::PostalAddress) -> tenure_runtime::types::Address {
    tenure_runtime::types::Address {
        name: a.name.clone(),
        street: a.street.clone(),
        city: a.city.clone(),
        region: a.region.clone(),
        postal_code: a.postal_code.clone(),
        country: a.country.clone(),
        phone: a.phone.clone(),
    }
}
