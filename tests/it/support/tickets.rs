//! What the ticket table holds, as the tests about registration read it.

use kommentarsvakt::domain::TicketKind;
use kommentarsvakt::pipeline::Pipeline;
use kommentarsvakt::store::TicketRow;

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
