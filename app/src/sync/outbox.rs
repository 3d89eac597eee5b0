//! The outbox: everything made on this device waits here until the server
//! has answered it (DESIGN §5). An entry is written in the same IndexedDB
//! transaction as its local effect and removed only by the server's answer:
//! accepted, or refused for good (then the refusal is kept and shown). A
//! network error or a busy server leaves it for the next attempt; sign-out
//! never touches it.

use chrono::{DateTime, Utc};
use domain::registration::Submission;
#[cfg(feature = "field")]
use domain::sync::Envelope;
use serde::{Deserialize, Serialize};

use crate::store::{self, StoreError, Write};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// A UUIDv7 made on the device: creation order, and the server's
    /// idempotency key.
    pub id: String,
    #[serde(with = "domain::time::wire::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(flatten)]
    pub queued: Queued,
}

/// What waits. Citizens have no account, so their registrations go to
/// `POST /api/registrations`; staff commands go through `/api/sync/push`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum Queued {
    Register(Submission),
    #[cfg(feature = "field")]
    Staff(Envelope),
    /// The citizens' bundle only needs to know staff work is there (it
    /// waits for the staff screens); not reading it keeps the commands'
    /// code out of that bundle.
    #[cfg(not(feature = "field"))]
    #[serde(skip_serializing)]
    Staff(serde::de::IgnoredAny),
}

/// Queues an entry together with its local effect, in one transaction
/// (announcing it is the caller's: `sync::queue`, `sync::run`).
/// Then the browser is asked not to evict the device's data (see
/// `store::persist`): something waits here that exists nowhere else.
pub async fn enqueue(entry: &OutboxEntry, effect: Vec<Write<'_>>) -> Result<(), StoreError> {
    let mut writes = vec![Write::Put(store::OUTBOX, store::to_js(entry)?)];
    writes.extend(effect);
    store::write_all(writes).await?;
    store::persist();
    Ok(())
}

/// Every entry, oldest first.
pub async fn entries() -> Result<Vec<OutboxEntry>, StoreError> {
    let db = store::open().await?;
    let mut entries: Vec<OutboxEntry> = store::all(&db, store::OUTBOX).await?;
    // Ids are unique, so an unstable sort gives the same order (and is the
    // smaller code on a citizen's phone).
    entries.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    Ok(entries)
}

/// The staff commands waiting, oldest first.
#[cfg(feature = "field")]
pub async fn staff_commands() -> Result<Vec<Envelope>, StoreError> {
    Ok(entries()
        .await?
        .into_iter()
        .filter_map(|entry| match entry.queued {
            Queued::Staff(envelope) => Some(envelope),
            Queued::Register(_) => None,
        })
        .collect())
}

/// Whether staff work waits here (for its author to sign in).
pub async fn holds_staff_work() -> Result<bool, StoreError> {
    Ok(entries()
        .await?
        .iter()
        .any(|entry| matches!(entry.queued, Queued::Staff(_))))
}
