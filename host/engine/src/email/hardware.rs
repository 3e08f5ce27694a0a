//! The emails of the hardware workflow: a leaver's return instructions with the
//! drop-off code, and a supplier's purchase request.

use super::templates::{Attachment, Email, escape};

/// To a leaver: how to send their devices back. `code` is the drop-off QR code (PNG)
/// when the carrier issued one; `label` the printable label otherwise.
pub fn return_instructions(
    employee: &str,
    place: &str,
    tracking_number: &str,
    tracking_url: Option<&str>,
    code: Option<(Vec<u8>, Option<&str>)>,
    label: Option<(String, Vec<u8>)>,
) -> Email {
    let follow = tracking_url
        .map(|u| format!("\nFollow it: {u}\n"))
        .unwrap_or_default();
    let follow_html = tracking_url
        .map(|u| format!("<p><a href=\"{}\">Follow the shipment</a></p>", escape(u)))
        .unwrap_or_default();
    let mut attachments = Vec::new();
    let (how_text, how_html) = match (code, label) {
        (Some((png, text)), _) => {
            attachments.push(Attachment {
                filename: "drop-off-code.png".into(),
                content_type: "image/png".into(),
                data: png,
                inline_id: Some("drop-off-code".into()),
            });
            let words = text.map(|t| format!(" (code {t})")).unwrap_or_default();
            (
                format!(
                    "Bring the laptop and its charger to a UPS Store and show the attached \
                     code{words} at the counter. No box or label needed: they pack it and \
                     print the label for you."
                ),
                format!(
                    "<p>Bring the laptop and its charger to a UPS Store and show this code at \
                     the counter{w}. No box or label needed: they pack it and print the label \
                     for you.</p><p><img src=\"cid:drop-off-code\" alt=\"Drop-off code\" \
                     width=\"264\" height=\"264\"></p>",
                    w = escape(&words)
                ),
            )
        }
        (None, Some((content_type, data))) => {
            let ext = match content_type.as_str() {
                "application/pdf" => "pdf",
                "image/gif" => "gif",
                "image/png" => "png",
                _ => "bin",
            };
            attachments.push(Attachment {
                filename: format!("return-label.{ext}"),
                content_type,
                data,
                inline_id: None,
            });
            let t = "Print the attached return label, pack the laptop and its charger \
                     securely, stick the label on the box and drop it at any UPS location.";
            (t.to_string(), format!("<p>{}</p>", escape(t)))
        }
        (None, None) => {
            let t = "IT will send you a return label separately.";
            (t.to_string(), format!("<p>{t}</p>"))
        }
    };
    Email {
        subject: format!("Returning your work devices to {place}"),
        text: format!(
            "Hello {employee},\n\nPlease send your work devices back to {place}.\n\n\
             {how_text}\n\nTracking number: {tracking_number}\n{follow}"
        ),
        html: format!(
            "<p>Hello {e},</p><p>Please send your work devices back to {p}.</p>{how_html}\
             <p>Tracking number: <strong>{n}</strong></p>{follow_html}",
            e = escape(employee),
            p = escape(place),
            n = escape(tracking_number),
        ),
        attachments,
    }
}

/// To a supplier: a purchase request for one device, shipped to the address given.
pub fn purchase_request(
    order: &str,
    model: &str,
    specs: &str,
    price: &str,
    employee: &str,
    ship_to: &str,
) -> Email {
    let specs_line = if specs.is_empty() {
        String::new()
    } else {
        format!(" ({specs})")
    };
    Email {
        subject: format!("Purchase request {order}: {model}"),
        text: format!(
            "Hello,\n\nPlease supply one {model}{specs_line} at {price} for {employee}, \
             delivered to:\n{ship_to}\n\nPlease quote our reference {order} on the \
             invoice and the delivery note.\n"
        ),
        html: format!(
            "<p>Hello,</p><p>Please supply one <strong>{m}</strong>{s} at {p} for {e}, \
             delivered to:</p><p>{t}</p><p>Please quote our reference <strong>{o}</strong> \
             on the invoice and the delivery note.</p>",
            m = escape(model),
            s = escape(&specs_line),
            p = escape(price),
            e = escape(employee),
            t = escape(ship_to),
            o = escape(order),
        ),
        attachments: Vec::new(),
    }
}
