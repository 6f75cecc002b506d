//! The daily digest to the registry office (`mail.registry_mailbox`): the
//! evidence chain's latest anchor — head hash, number of records, when it
//! was anchored — so that the chain head is kept outside the archive and
//! outside the service's database too, in the registry's own records. An
//! archivist holds the archive to it with `archive verify --anchor
//! HASH:COUNT` (see [`crate::archive::anchor`]).
//!
//! The daemon queues it with the daily checks (`[checks] schedule`), under
//! the key `registry-digest:<day>`, so a day's digest is sent once however
//! often the checks run that day. Nothing is sent while the chain is empty
//! or when no registry mailbox is configured.

use chrono::{DateTime, Utc};

use super::OutgoingMail;
use super::templates::{RegistryDigest, registry_digest};
use crate::archive;
use crate::config::Config;
use crate::store::{Store, StoreError};

/// Queues the day's digest to the registry; answers whether it was queued
/// now (false: no registry mailbox, nothing anchored yet, or already
/// queued today).
pub async fn queue_daily(
    store: &Store,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let Some(mailbox) = config.mail.registry_mailbox.clone() else {
        return Ok(false);
    };
    let Some(anchor) = store.latest_chain_anchor().await? else {
        return Ok(false);
    };
    let day = now.with_timezone(&config.schedule.timezone()).date_naive();
    let key = format!("registry-digest:{day}");
    let rendered = registry_digest(&RegistryDigest {
        day,
        head_sha256: anchor.head_sha256.clone(),
        record_count: anchor.record_count,
        anchored_at: anchor.anchored_at,
        given_form: archive::given_form(&anchor),
    });
    let mail = OutgoingMail::from_rendered(rendered, vec![mailbox], Vec::new(), key.clone());
    store.enqueue(&mail.outbox_item(key), now).await
}
