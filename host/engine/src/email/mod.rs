//! Email over SMTP (lettre, TLS through rustls): the messages that tell a champion
//! what to do, each linking to its task.

mod hardware;
mod kept;
mod qr;
mod templates;

pub use kept::{KeptMail, MailView};

pub use hardware::{purchase_request, return_instructions};
pub use qr::qr_png;
pub use templates::{
    Attachment, Email, connector_parked, first_password, new_hire_task, offboardings_held,
    task_opened,
};

use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Deserialize;
use std::time::Duration;

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain connection upgraded with STARTTLS (port 587); refuses servers without it.
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or in tests.
    None,
}

/// `[email]` in the configuration file. Email is off while `smtp_host` is empty.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmailConfig {
    pub smtp_host: String,
    pub smtp_port: u16,
    pub security: Security,
    pub username: Option<String>,
    /// Prefer `TENURE_SMTP_PASSWORD` to keeping it in the file.
    pub password: Option<String>,
    /// The sender, e.g. `Tenure <tenure@example.com>`.
    pub from: String,
    /// The appliance's address for links in messages. Default: `[server] public_url`.
    pub public_url: String,
    pub timeout_secs: u64,
}

impl Default for EmailConfig {
    fn default() -> Self {
        Self {
            smtp_host: String::new(),
            smtp_port: 587,
            security: Security::Starttls,
            username: None,
            password: None,
            from: "Tenure <tenure@localhost>".into(),
            public_url: String::new(),
            timeout_secs: 30,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    #[error("email is not configured: set [email] smtp_host")]
    Disabled,
    #[error("invalid address `{0}`: {1}")]
    Address(String, String),
    #[error("cannot build the message: {0}")]
    Build(String),
    #[error("the SMTP server {host}:{port} refused or failed: {reason}")]
    Send {
        host: String,
        port: u16,
        reason: String,
    },
}

/// Sends messages through the configured SMTP server.
#[derive(Clone)]
pub struct Mailer {
    /// The demo keeps messages here instead of sending them.
    kept: Option<MailView>,
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    config: EmailConfig,
    from: Option<Mailbox>,
}

impl Mailer {
    pub fn new(mut config: EmailConfig) -> Result<Mailer, EmailError> {
        if config.password.is_none() {
            config.password = std::env::var("TENURE_SMTP_PASSWORD").ok();
        }
        if config.smtp_host.trim().is_empty() {
            return Ok(Mailer {
                kept: None,
                transport: None,
                config,
                from: None,
            });
        }
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| EmailError::Address(config.from.clone(), format!("{e}")))?;
        let host = config.smtp_host.as_str();
        let builder = match config.security {
            Security::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host),
            Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host),
            Security::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                host,
            )),
        }
        .map_err(|e| EmailError::Send {
            host: host.into(),
            port: config.smtp_port,
            reason: e.to_string(),
        })?;
        let mut builder = builder
            .port(config.smtp_port)
            .timeout(Some(Duration::from_secs(config.timeout_secs)));
        if let (Some(user), Some(pass)) = (&config.username, &config.password) {
            builder = builder.credentials(Credentials::new(user.clone(), pass.clone()));
        }
        Ok(Mailer {
            kept: None,
            transport: Some(builder.build()),
            from: Some(from),
            config,
        })
    }

    /// A mailer that sends nothing and keeps every message in `view` (the demo).
    pub fn keeping(config: EmailConfig, view: MailView) -> Mailer {
        Mailer {
            kept: Some(view),
            transport: None,
            config,
            from: None,
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.transport.is_some() || self.kept.is_some()
    }

    /// Where the appliance is reached, for links.
    pub fn public_url(&self) -> &str {
        self.config.public_url.trim_end_matches('/')
    }

    /// Sends one message (plain text with an HTML alternative) to one recipient.
    pub async fn send(&self, to: &str, email: &Email) -> Result<(), EmailError> {
        if let Some(view) = &self.kept {
            view.keep(to, email);
            return Ok(());
        }
        let (Some(transport), Some(from)) = (&self.transport, &self.from) else {
            return Err(EmailError::Disabled);
        };
        let to_box: Mailbox = to
            .parse()
            .map_err(|e| EmailError::Address(to.into(), format!("{e}")))?;
        let message = Message::builder()
            .from(from.clone())
            .to(to_box)
            .subject(&email.subject)
            .multipart(body(email)?)
            .map_err(|e| EmailError::Build(e.to_string()))?;
        transport
            .send(message)
            .await
            .map_err(|e| EmailError::Send {
                host: self.config.smtp_host.clone(),
                port: self.config.smtp_port,
                reason: e.to_string(),
            })?;
        Ok(())
    }
}

/// Text and HTML as alternatives; with attachments, the HTML and its inline images as a
/// related part inside a mixed one that also carries each file as an attachment.
fn body(email: &Email) -> Result<MultiPart, EmailError> {
    let alternative = MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(email.text.clone()),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(email.html.clone()),
        );
    if email.attachments.is_empty() {
        return Ok(alternative);
    }
    let content_type = |a: &Attachment| {
        ContentType::parse(&a.content_type)
            .map_err(|e| EmailError::Build(format!("{}: {e}", a.content_type)))
    };
    let mut related = MultiPart::related().multipart(alternative);
    for a in email.attachments.iter().filter(|a| a.inline_id.is_some()) {
        let id = a.inline_id.clone().unwrap_or_default();
        related = related.singlepart(
            lettre::message::Attachment::new_inline(id).body(a.data.clone(), content_type(a)?),
        );
    }
    let mut mixed = MultiPart::mixed().multipart(related);
    for a in &email.attachments {
        mixed = mixed.singlepart(
            lettre::message::Attachment::new(a.filename.clone())
                .body(a.data.clone(), content_type(a)?),
        );
    }
    Ok(mixed)
}
