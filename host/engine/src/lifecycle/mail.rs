//! Renders the planner's notifications as emails.

use crate::email::{
    Email, connector_parked, first_password, new_hire_task, offboardings_held, task_opened,
};
use tenure_domain::NotificationKind;

/// `opened`: a credential message's password, unsealed just before sending.
pub fn render(kind: &NotificationKind, public_url: &str, opened: Option<&str>) -> Email {
    match kind {
        NotificationKind::NewHire {
            employee,
            start_date,
            task,
            ..
        } => {
            let start = start_date.map(|d| d.to_string());
            new_hire_task(
                &employee.name,
                start.as_deref(),
                None,
                &format!("{public_url}/tasks/{}", task.0),
            )
        }
        NotificationKind::TaskOpened {
            task,
            title,
            employee,
        } => task_opened(
            title,
            &employee.name,
            &format!("{public_url}/tasks/{}", task.0),
        ),
        NotificationKind::OffboardingsHeld {
            hold,
            reason,
            employees,
        } => {
            let names: Vec<String> = employees.iter().map(ToString::to_string).collect();
            offboardings_held(reason, &names, &format!("{public_url}/holds/{}", hold.0))
        }
        NotificationKind::Credential {
            employee,
            app_name,
            login,
            to_manager,
            ..
        } => first_password(
            &employee.name,
            app_name,
            login,
            opened.unwrap_or("(not available: reset it in the application)"),
            *to_manager,
        ),
        // Rendered with the shipment's files by `Engine::return_email`; this is what is
        // sent when the shipment is gone.
        NotificationKind::ReturnInstructions {
            employee, place, ..
        } => crate::email::return_instructions(&employee.name, place, "(see IT)", None, None, None),
        NotificationKind::PurchaseRequest { order } => crate::email::purchase_request(
            &order.id.0,
            &order.product.model,
            &order.product.specs,
            &format!(
                "{}.{:02}",
                order.product.price_cents / 100,
                order.product.price_cents % 100
            ),
            &order.employee.name,
            &order.ship_to.one_line(),
        ),
        NotificationKind::ConnectorParked { connector, reason } => connector_parked(
            connector.as_str(),
            reason,
            &format!("{public_url}/settings/integrations"),
        ),
    }
}
