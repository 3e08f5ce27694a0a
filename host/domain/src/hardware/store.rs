//! The hardware store: products an admin curates, and orders a hardware champion places
//! for an employee. An order is emailed to the product's supplier as a purchase request;
//! the champion moves it to shipped and delivered (or cancels it); on delivery the
//! device becomes an asset assigned to the employee.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::address::PostalAddress;
use super::asset::{Asset, AssetEvent, NewAsset};
use crate::audit::{Actor, AuditAction, AuditEntry, Subject};
use crate::effect::{Effect, NotificationKind, Plan};
use crate::employee::EmployeeRef;
use crate::ids::{AssetId, EmployeeId, OrderId, TaskId};
use crate::known::Known;
use crate::planner::{PlanContext, TaskError};

/// A product in the store.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    /// Short key: `mbp14`.
    pub id: String,
    pub model: String,
    /// "M3 Pro, 18 GB, 512 GB".
    #[serde(default)]
    pub specs: String,
    /// In cents of the hardware settings' currency.
    pub price_cents: u64,
    pub supplier: String,
    /// Where purchase requests go.
    pub supplier_email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

impl Product {
    /// Trims and checks the fields.
    pub fn cleaned(self) -> Result<Product, String> {
        let p = Product {
            id: self.id.trim().to_lowercase(),
            model: self.model.trim().into(),
            specs: self.specs.trim().into(),
            supplier: self.supplier.trim().into(),
            supplier_email: self.supplier_email.trim().into(),
            link: self
                .link
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty()),
            ..self
        };
        if p.id.is_empty()
            || !p
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(format!(
                "product key `{}`: use letters, digits, - and _",
                p.id
            ));
        }
        if p.model.is_empty() || p.supplier.is_empty() {
            return Err(format!("product {}: give the model and the supplier", p.id));
        }
        let at = p.supplier_email.find('@');
        if !at.is_some_and(|i| i > 0 && i + 1 < p.supplier_email.len()) {
            return Err(format!(
                "product {}: the supplier's email is not an address",
                p.id
            ));
        }
        if let Some(l) = &p.link
            && !(l.starts_with("https://") || l.starts_with("http://"))
        {
            return Err(format!(
                "product {}: the link must start with https://",
                p.id
            ));
        }
        Ok(p)
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum OrderState {
    Ordered,
    Shipped {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tracking: Option<String>,
    },
    /// Arrived; the asset it became.
    Delivered {
        asset: AssetId,
    },
    Cancelled {
        reason: String,
    },
}

impl OrderState {
    pub fn words(&self) -> String {
        match self {
            OrderState::Ordered => "ordered".into(),
            OrderState::Shipped { tracking: Some(t) } => format!("shipped ({t})"),
            OrderState::Shipped { tracking: None } => "shipped".into(),
            OrderState::Delivered { asset } => format!("delivered ({asset})"),
            OrderState::Cancelled { reason } => format!("cancelled: {reason}"),
        }
    }

    pub fn is_open(&self) -> bool {
        matches!(self, OrderState::Ordered | OrderState::Shipped { .. })
    }
}

/// An order for one device.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: OrderId,
    pub employee: EmployeeRef,
    /// The product as it was when ordered.
    pub product: Product,
    pub ship_to: PostalAddress,
    pub state: OrderState,
    /// The Equip New Hire task it answered, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<TaskId>,
    pub created_at: Timestamp,
    #[serde(default)]
    pub history: Vec<AssetEvent>,
}

/// What a hardware champion (or later a supplier plugin) does to an order.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum OrderMove {
    Shipped {
        #[serde(default)]
        tracking: Option<String>,
    },
    /// It arrived: the device's serial (and tag) make it an asset.
    Delivered {
        serial: String,
        #[serde(default)]
        tag: Option<String>,
    },
    Cancel {
        reason: String,
    },
}

fn who(actor: &Actor) -> String {
    match actor {
        Actor::User { id } => id.0.clone(),
        other => other.to_string(),
    }
}

/// Places an order for `employee` and emails the supplier a purchase request.
pub fn checkout(
    known: &dyn Known,
    employee: &EmployeeId,
    product: &str,
    ship_to: PostalAddress,
    task: Option<TaskId>,
    actor: &Actor,
    ctx: &mut PlanContext<'_>,
) -> Result<Plan, TaskError> {
    let e = known
        .employee(employee)
        .ok_or_else(|| TaskError::NoEmployee(employee.clone()))?;
    if !e.is_employed() {
        return Err(TaskError::NotEmployed(e.name()));
    }
    let product = known
        .hardware()
        .settings
        .products
        .iter()
        .find(|p| p.id == product)
        .cloned()
        .ok_or_else(|| {
            TaskError::Hardware(format!("there is no product `{product}` in the store"))
        })?;
    let ship_to = ship_to
        .cleaned()
        .map_err(|err| TaskError::Hardware(format!("the shipping address: {err}")))?;
    let mut order = Order {
        id: ctx.ids.order_id(),
        employee: e.reference(),
        product,
        ship_to,
        state: OrderState::Ordered,
        task,
        created_at: ctx.now,
        history: Vec::new(),
    };
    order.history.push(AssetEvent {
        at: ctx.now,
        by: who(actor),
        what: format!("ordered from {}", order.product.supplier),
    });
    let mut plan = Plan::default();
    plan.audit.push(AuditEntry {
        at: ctx.now,
        actor: actor.clone(),
        action: AuditAction::OrderPlaced,
        subject: Subject::Order {
            id: order.id.clone(),
        },
        detail: format!(
            "{} ordered for {} from {}",
            order.product.model, order.employee, order.product.supplier
        ),
    });
    plan.effects.push(Effect::Notify {
        to: vec![order.product.supplier_email.clone()],
        message: NotificationKind::PurchaseRequest {
            order: Box::new(order.clone()),
        },
    });
    plan.effects.push(Effect::PutOrder { order });
    Ok(plan)
}

/// Moves an order: shipped, delivered (the device becomes an asset assigned to the
/// employee), or cancelled.
pub fn order_moved(
    known: &dyn Known,
    id: &OrderId,
    to: OrderMove,
    actor: &Actor,
    ctx: &mut PlanContext<'_>,
) -> Result<Plan, TaskError> {
    let mut order = known
        .hardware()
        .orders
        .get(id)
        .cloned()
        .ok_or_else(|| TaskError::Hardware(format!("there is no order {id}")))?;
    if !order.state.is_open() {
        return Err(TaskError::Hardware(format!(
            "order {id} is {}",
            order.state.words()
        )));
    }
    let mut plan = Plan::default();
    let by = who(actor);
    order.state = match to {
        OrderMove::Shipped { tracking } => OrderState::Shipped {
            tracking: tracking
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty()),
        },
        OrderMove::Cancel { reason } => {
            let reason = reason.trim().to_string();
            if reason.is_empty() {
                return Err(TaskError::Hardware("say why the order is cancelled".into()));
            }
            OrderState::Cancelled { reason }
        }
        OrderMove::Delivered { serial, tag } => {
            let new = NewAsset {
                model: order.product.model.clone(),
                serial,
                tag,
                purchase_date: Some(ctx.now.to_zoned(ctx.company_time_zone.clone()).date()),
                cost_cents: Some(order.product.price_cents),
                warranty_end: None,
                location: None,
            }
            .cleaned()?;
            known.hardware().check_new(&new)?;
            let mut asset = Asset::new(ctx.ids.asset_id(), new, ctx.now, &by);
            asset.record(ctx.now, &by, format!("delivered for order {id}"));
            match known.employee(&order.employee.id) {
                Some(e) if e.is_employed() => asset.assign(e.reference(), ctx.now, &by)?,
                _ => asset.record(ctx.now, &by, "kept in stock: the employee has left".into()),
            }
            let state = OrderState::Delivered {
                asset: asset.id.clone(),
            };
            plan.audit.push(AuditEntry {
                at: ctx.now,
                actor: actor.clone(),
                action: AuditAction::AssetAdded,
                subject: Subject::Asset {
                    id: asset.id.clone(),
                },
                detail: format!("{} delivered for {}", asset.label(), order.employee),
            });
            plan.effects.push(Effect::PutAsset { asset });
            state
        }
    };
    order.history.push(AssetEvent {
        at: ctx.now,
        by,
        what: order.state.words(),
    });
    plan.audit.push(AuditEntry {
        at: ctx.now,
        actor: actor.clone(),
        action: AuditAction::OrderChanged,
        subject: Subject::Order { id: id.clone() },
        detail: format!("order {id} for {}: {}", order.employee, order.state.words()),
    });
    plan.effects.push(Effect::PutOrder { order });
    Ok(plan)
}
