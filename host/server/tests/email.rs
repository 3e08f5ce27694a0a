//! Email against a real SMTP server (aiosmtpd, from the test virtualenv that
//! `cargo xtask test` creates): the message arrives with its subject, recipient and link.

mod common;

use common::{delivered, start_smtp};
use tenure::email::{EmailConfig, Mailer, Security, new_hire_task};

fn config(port: u16, security: Security) -> EmailConfig {
    EmailConfig {
        smtp_host: "127.0.0.1".into(),
        smtp_port: port,
        security,
        from: "Tenure <tenure@example.com>".into(),
        timeout_secs: 5,
        ..EmailConfig::default()
    }
}

#[tokio::test]
async fn a_new_hire_message_arrives_with_its_link() {
    tenure_runtime::install_crypto_provider();
    let smtp = start_smtp();
    let mailer = Mailer::new(config(smtp.port, Security::None)).unwrap();
    let msg = new_hire_task(
        "Nia New",
        Some("2026-12-01"),
        Some("Sales"),
        "http://tenure.test/tasks/T-1",
    );
    mailer.send("champion@example.com", &msg).await.unwrap();

    let mails = delivered(&smtp);
    assert_eq!(mails.len(), 1, "one message delivered");
    let m = &mails[0];
    assert!(
        m.contains("Subject: Complete IT Setup for Nia New on 2026-12-01"),
        "{m}"
    );
    assert!(m.contains("To: champion@example.com"), "{m}");
    assert!(m.contains("From: Tenure <tenure@example.com>"), "{m}");
    assert!(m.contains("http://tenure.test/tasks/T-1"), "{m}");
    assert!(m.contains("multipart/alternative"), "{m}");
}

#[tokio::test]
async fn starttls_is_required_when_configured() {
    tenure_runtime::install_crypto_provider();
    // aiosmtpd here offers no STARTTLS: a mailer that requires it must refuse to send
    // in the clear, and say so.
    let smtp = start_smtp();
    let mailer = Mailer::new(config(smtp.port, Security::Starttls)).unwrap();
    let msg = new_hire_task("Nia New", None, None, "http://tenure.test/tasks/T-1");
    let err = mailer.send("champion@example.com", &msg).await.unwrap_err();
    assert!(err.to_string().contains("127.0.0.1"), "{err}");
    assert!(delivered(&smtp).is_empty(), "nothing sent in the clear");
}

#[tokio::test]
async fn without_a_server_email_is_off_and_says_so() {
    let mailer = Mailer::new(EmailConfig::default()).unwrap();
    assert!(!mailer.is_enabled());
    let msg = new_hire_task("X", None, None, "http://t");
    let err = mailer.send("a@example.com", &msg).await.unwrap_err();
    assert!(err.to_string().contains("smtp_host"), "{err}");
}
