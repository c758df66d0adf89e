//! E-mail notifications: the operator's SMTP relay (`[notify]` in the configuration) and one
//! plain-text message sent through it, with lettre. With no relay configured nothing is sent
//! and the caller is told so.
//!
//! Owns: the relay settings, building and sending a message. Does not own: what a message
//! says or when it is sent (the callers: the Request Handler tells a request's owner its files
//! are ready).

use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use serde::Deserialize;
use std::time::Duration;

/// `[notify]`: where mail goes out.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct NotifySettings {
    /// `host:port` of the SMTP relay (none: no e-mail is sent).
    pub smtp_relay: Option<String>,
    /// Require STARTTLS on the relay (off for a relay on this machine).
    pub starttls: bool,
    /// Credentials, when the relay asks for them.
    pub user: Option<String>,
    pub password: Option<String>,
    /// The sender, e.g. `ALMA archive <archive@example.org>`.
    pub from: Option<String>,
}

/// Why a message was not sent.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("no SMTP relay is configured ([notify] smtp_relay)")]
    NoRelay,
    #[error("not an e-mail address: {0}")]
    Address(String),
    #[error("the relay did not take the message: {0}")]
    Send(String),
}

impl NotifySettings {
    /// Sends `body` to `to` with `subject`; blocks until the relay answers (at most 30 s).
    pub fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), NotifyError> {
        let relay = self.smtp_relay.as_deref().ok_or(NotifyError::NoRelay)?;
        let (host, port) = match relay.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>().map_err(|_| {
                    NotifyError::Send(format!("smtp_relay {relay:?} has no port number"))
                })?,
            ),
            None => (relay, 25),
        };
        let from: Mailbox = self
            .from
            .as_deref()
            .unwrap_or("archive <archive@localhost>")
            .parse()
            .map_err(|e| NotifyError::Address(format!("[notify] from: {e}")))?;
        let to: Mailbox = to
            .parse()
            .map_err(|e| NotifyError::Address(format!("{to}: {e}")))?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| NotifyError::Send(e.to_string()))?;
        let mut builder = if self.starttls {
            SmtpTransport::starttls_relay(host).map_err(|e| NotifyError::Send(e.to_string()))?
        } else {
            SmtpTransport::builder_dangerous(host)
        }
        .port(port)
        .timeout(Some(Duration::from_secs(30)));
        if let (Some(user), Some(password)) = (&self.user, &self.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        builder
            .build()
            .send(&message)
            .map(|_| ())
            .map_err(|e| NotifyError::Send(e.to_string()))
    }
}

/// Whether `text` is an e-mail address a message can go to.
pub fn is_address(text: &str) -> bool {
    text.parse::<Mailbox>().is_ok()
}
