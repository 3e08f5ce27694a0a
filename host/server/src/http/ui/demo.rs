//! `/demo/mail` (admins, demo only): the messages the demo kept instead of sending.

use super::{Signed, forbidden, not_found, page};
use crate::app::AppState;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use tenure_web::pages::demo_mail::{MailRow, mail};

pub fn router() -> Router<AppState> {
    Router::new().route("/demo/mail", get(kept_mail))
}

async fn kept_mail(signed: Signed, State(state): State<AppState>) -> Response {
    if !signed.user.admin {
        return forbidden(&signed, "reading the demo's mail");
    }
    let Some(view) = &state.mail_view else {
        return not_found(
            &signed,
            "The mail view exists in the demo only: email goes to the SMTP server.",
        );
    };
    let rows = view
        .newest_first()
        .into_iter()
        .map(|m| {
            use base64::Engine as _;
            let (images, files): (Vec<_>, Vec<_>) = m
                .attachments
                .iter()
                .partition(|a| a.content_type == "image/png" && a.inline_id.is_some());
            MailRow {
                at: m.at,
                to: m.to,
                subject: m.subject,
                text: m.text,
                images: images
                    .iter()
                    .map(|a| {
                        format!(
                            "data:image/png;base64,{}",
                            base64::engine::general_purpose::STANDARD.encode(&a.data)
                        )
                    })
                    .collect(),
                files: files.iter().map(|a| a.filename.clone()).collect(),
            }
        })
        .collect();
    page(&signed, mail(&signed.chrome(), rows))
}
