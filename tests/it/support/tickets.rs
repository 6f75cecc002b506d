//! What the ticket table holds, as the tests about registration read it.

use kommentarsvakt::domain::TicketKind;
use kommentarsvakt::pipeline::Pipeline;
use kommentarsvakt::store::{OutboxItem, OutboxState, TicketRow};

/// The tickets that register removed content, open and closed.
pub async fn registration_tickets(pipeline: &Pipeline) -> Vec<TicketRow> {
    pipeline
        .store()
        .tickets(true)
        .await
        .expect("the ticket table can be read")
        .into_iter()
        .filter(|t| t.kind == TicketKind::RemovedContentRegistration)
        .collect()
}

/// The outbox items of `kind` (`ticket_email`, `webhook`) in `state`:
/// where ticket deliveries stand.
pub async fn ticket_deliveries(
    pipeline: &Pipeline,
    state: OutboxState,
    kind: &str,
) -> Vec<OutboxItem> {
    pipeline
        .store()
        .outbox_in_state(state)
        .await
        .expect("the outbox can be read")
        .into_iter()
        .filter(|item| item.kind == kind)
        .collect()
}
