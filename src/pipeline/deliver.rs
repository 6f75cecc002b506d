//! Stage 5, deliver: send queued e-mails, ticket e-mails and webhooks.

use tracing::{error, warn};

use crate::alerts::OutgoingMail;
use crate::config::SinkTarget;
use crate::store::OutboxItem;
use crate::telemetry;
use crate::tickets::sinks::{self, DeliveryError};

use super::{Pipeline, PipelineError, RefusedPath, RunSummary};

/// Outbox items read per page.
const DELIVERY_PAGE: i64 = 200;
/// Delivery attempts per e-mail before it is set aside as a dead letter.
const MAX_DELIVERY_ATTEMPTS: i64 = 48;

impl Pipeline {
    /// Stage 5: delivers every due outbox item (e-mails, ticket e-mails,
    /// webhooks), page by page, as fast as the mail server takes them;
    /// failures wait with capped backoff and never hold up moderation, and
    /// items that cannot succeed become dead letters. When the mail server
    /// itself fails (unreachable, busy), the other e-mails wait for the next
    /// pass instead of each failing in turn.
    pub async fn deliver_outbox(&self, summary: &mut RunSummary) -> Result<(), PipelineError> {
        self.deliver_due(summary).await?;
        let backlog = self.store.outbox_backlog().await?;
        telemetry::outbox_backlog(backlog.pending, backlog.dead);
        Ok(())
    }

    /// Delivers every due outbox item, page by page.
    async fn deliver_due(&self, summary: &mut RunSummary) -> Result<(), PipelineError> {
        let now = self.clock.now();
        let mut after = 0;
        let mut mail_server_down = false;
        loop {
            let page = self
                .store
                .due_outbox_after(now, after, DELIVERY_PAGE)
                .await?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            after = last.id;
            for item in &page {
                let is_mail = item.kind != sinks::WEBHOOK_KIND;
                if is_mail && mail_server_down {
                    continue;
                }
                let failed_transiently = self.deliver_one(item, summary).await?;
                mail_server_down |= is_mail && failed_transiently;
            }
        }
    }

    /// Delivers one item and records the outcome; says whether it failed
    /// in a way that a later attempt may mend.
    async fn deliver_one(
        &self,
        item: &OutboxItem,
        summary: &mut RunSummary,
    ) -> Result<bool, PipelineError> {
        match self.deliver_item(item).await {
            Ok(()) => {
                self.store
                    .outbox_delivered(item.id, self.clock.now())
                    .await?;
                telemetry::outbox(&item.kind, "delivered");
                if item.kind == sinks::WEBHOOK_KIND {
                    summary.webhooks_sent += 1;
                } else {
                    summary.emails_sent += 1;
                }
            }
            Err(e) => {
                let retry_at = (e.is_retryable() && item.attempts + 1 < MAX_DELIVERY_ATTEMPTS)
                    .then(|| self.clock.now() + delivery_backoff(item.attempts + 1));
                warn!(outbox_id = item.id, kind = %item.kind, error = %e, dead = retry_at.is_none(), "Delivery failed");
                telemetry::outbox(
                    &item.kind,
                    if retry_at.is_some() { "retry" } else { "dead" },
                );
                self.store
                    .outbox_failed(item.id, &e.to_string(), retry_at)
                    .await?;
                return Ok(e.is_retryable());
            }
        }
        Ok(false)
    }

    /// Delivers one outbox item by its kind.
    async fn deliver_item(&self, item: &OutboxItem) -> Result<(), DeliveryError> {
        match item.kind.as_str() {
            "email" => {
                let mail: OutgoingMail = payload(item)?;
                self.send_mail(&mail).await
            }
            sinks::TICKET_EMAIL_KIND => {
                let ticket: sinks::TicketEmailPayload = payload(item)?;
                if ticket.attach_record {
                    self.report_refused_ticket_path(item, &ticket.record_path)
                        .await;
                }
                let mail = sinks::ticket_mail(ticket, &self.archive)?;
                self.send_mail(&mail).await
            }
            sinks::WEBHOOK_KIND => self.post_ticket(item, payload(item)?).await,
            other => Err(DeliveryError::Permanent(format!(
                "unknown outbox kind {other:?}"
            ))),
        }
    }

    /// A ticket e-mail whose record path the archive refuses becomes a
    /// dead letter ([`sinks::ticket_mail`]); operations are told which
    /// outbox row names which path. A failure to tell them is logged: the
    /// delivery's own outcome is recorded either way.
    async fn report_refused_ticket_path(&self, item: &OutboxItem, record_path: &str) {
        let row = format!("outbox.id = {} ({})", item.id, item.idempotency_key);
        let during = "leveransen av ett ärende till registrator med bevisposten bifogad \
                      (ärendet skickades inte)";
        let Some(refused) = RefusedPath::check(row, during, record_path) else {
            return;
        };
        if let Err(e) = self.report_refused_path(&refused).await {
            error!(error = %e, "Cannot queue the notice of a refused record path");
        }
    }

    async fn send_mail(&self, mail: &OutgoingMail) -> Result<(), DeliveryError> {
        self.mailer
            .send(&self.config.mail.from, mail)
            .await
            .map_err(|e| {
                if e.is_retryable() {
                    DeliveryError::Transient(e.to_string())
                } else {
                    DeliveryError::Permanent(e.to_string())
                }
            })
    }

    async fn post_ticket(
        &self,
        item: &OutboxItem,
        webhook: sinks::WebhookPayload,
    ) -> Result<(), DeliveryError> {
        let target = self
            .config
            .ticket_sinks
            .iter()
            .find(|s| s.name == webhook.sink)
            .map(|s| &s.target);
        let Some(SinkTarget::Webhook {
            url,
            secret,
            timeout,
        }) = target
        else {
            return Err(DeliveryError::Permanent(format!(
                "the webhook sink {:?} is no longer configured",
                webhook.sink
            )));
        };
        sinks::post_webhook(
            &self.webhooks,
            &sinks::WebhookDelivery {
                sink: &webhook.sink,
                url,
                secret,
                timeout: *timeout,
                id: &item.idempotency_key,
                body: &webhook.body,
                now: self.clock.now(),
            },
        )
        .await
    }
}

/// Reads an outbox item's payload; one that does not parse is a dead letter.
fn payload<T: serde::de::DeserializeOwned>(item: &OutboxItem) -> Result<T, DeliveryError> {
    serde_json::from_value(item.payload.clone())
        .map_err(|e| DeliveryError::Permanent(format!("unreadable payload: {e}")))
}

/// Capped exponential backoff for e-mail delivery: 1, 2, 4 … 60 minutes.
fn delivery_backoff(attempt: i64) -> chrono::Duration {
    let minutes = 1i64 << attempt.clamp(0, 6);
    chrono::Duration::minutes(minutes.min(60))
}
