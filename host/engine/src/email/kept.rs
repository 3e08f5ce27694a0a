//! The demo's mail view: outgoing messages kept in memory instead of being sent, so a
//! newcomer can read the welcome message without an SMTP server.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::Email;

/// Messages kept; older ones are dropped.
pub const KEPT: usize = 200;

/// One message the demo kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptMail {
    /// RFC 3339.
    pub at: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    /// The files it carried (the demo's mail view shows images).
    pub attachments: Vec<super::Attachment>,
}

/// Newest last, at most [`KEPT`].
#[derive(Debug, Clone, Default)]
pub struct MailView(Arc<Mutex<VecDeque<KeptMail>>>);

impl MailView {
    pub fn keep(&self, to: &str, email: &Email) {
        let mut kept = self.0.lock().expect("mail view");
        if kept.len() >= KEPT {
            kept.pop_front();
        }
        kept.push_back(KeptMail {
            at: tenure_domain::jiff::Timestamp::now().to_string(),
            to: to.to_string(),
            subject: email.subject.clone(),
            text: email.text.clone(),
            attachments: email.attachments.clone(),
        });
    }

    /// Newest first.
    pub fn newest_first(&self) -> Vec<KeptMail> {
        self.0
            .lock()
            .expect("mail view")
            .iter()
            .rev()
            .cloned()
            .collect()
    }
}
