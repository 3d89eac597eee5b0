//! The outbox: everything made on this device waits here until the server
//! has answered it (DESIGN §5). Entries are written in the same IndexedDB
//! transaction as their local effect, sent in order when online — at start,
//! on the `online` event, on a timer, right after a new entry — and removed
//! only by the server's answer: accepted, or refused for good (then the
//! refusal is kept and shown). A network error or a busy server leaves the
//! entry for the next attempt.
//!
//! Citizens have no account, so their registrations go to
//! `POST /api/registrations`; staff commands will join as further kinds,
//! sent through `/api/sync/push`.

use chrono::{DateTime, Utc};
use domain::registration::{Receipt, Submission};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use wasm_bindgen::JsValue;

use crate::api::{self, ApiError};
use crate::registration::{MyRequest, RequestState};
use crate::store::{self, StoreError, Write};

/// How often a waiting outbox is retried while the page is open.
const RETRY_EVERY_MS: u32 = 20_000;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// The request id: also the idempotency key on the server.
    pub id: String,
    pub created_at: DateTime<Utc>,
    #[serde(flatten)]
    pub command: Command,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum Command {
    Register(Submission),
}

/// What the rest of the app watches: bumped after every change to the
/// device's data, so lists and counts re-read it.
#[derive(Clone, Copy)]
pub struct SyncState {
    pub revision: RwSignal<u32>,
}

pub fn use_sync() -> SyncState {
    expect_context::<SyncState>()
}

/// How many entries wait in the outbox, kept current.
pub fn use_pending() -> Signal<u32> {
    let sync = use_sync();
    let count = LocalResource::new(move || async move {
        sync.revision.track();
        let db = store::open().await.ok()?;
        store::outbox_len(&db).await.ok()
    });
    Signal::derive(move || count.get().flatten().unwrap_or(0))
}

thread_local! {
    /// One flush at a time in this tab: a second trigger while sending
    /// would only send the same entries twice (harmless, the server is
    /// idempotent, but wasteful).
    static FLUSHING: Cell<bool> = const { Cell::new(false) };
}

/// Starts the sender: now, when the network returns, and on a timer.
pub fn provide() {
    let state = SyncState {
        revision: RwSignal::new(0),
    };
    provide_context(state);
    let _ = window_event_listener(leptos::ev::online, move |_| flush_soon(state));
    let _ = set_interval_with_handle(
        move || flush_soon(state),
        std::time::Duration::from_millis(u64::from(RETRY_EVERY_MS)),
    );
    flush_soon(state);
}

/// Queues an entry together with its local effect, in one transaction.
pub async fn enqueue(entry: &OutboxEntry, effect: Vec<Write<'_>>) -> Result<(), StoreError> {
    let db = store::open().await?;
    let mut writes = vec![Write::Put(store::OUTBOX, store::to_js(entry)?)];
    writes.extend(effect);
    store::write_all(&db, writes).await
}

pub fn flush_soon(state: SyncState) {
    leptos::task::spawn_local(async move {
        if FLUSHING.with(|flag| flag.replace(true)) {
            return;
        }
        let changed = flush().await.unwrap_or(false);
        FLUSHING.with(|flag| flag.set(false));
        if changed {
            state.revision.update(|revision| *revision += 1);
        }
    });
}

/// Sends every entry in order; stops at the first transient failure so
/// order is kept. Returns whether anything changed.
async fn flush() -> Result<bool, StoreError> {
    let db = store::open().await?;
    let mut entries: Vec<OutboxEntry> = store::all(&db, store::OUTBOX).await?;
    entries.sort_by(|a, b| a.id.cmp(&b.id)); // UUIDv7: creation order
    let mut changed = false;
    for entry in entries {
        let outcome = match &entry.command {
            Command::Register(submission) => {
                api::post::<_, Receipt>("/api/registrations", submission).await
            }
        };
        if matches!(&outcome, Err(error) if error.is_transient()) {
            break;
        }
        let state = match outcome {
            Ok(receipt) => RequestState::Received { receipt },
            Err(ApiError::Refused { body, .. }) => RequestState::Refused { error: body },
            Err(ApiError::Network) => break,
        };
        settle(&db, &entry, state).await?;
        changed = true;
    }
    Ok(changed)
}

/// The server decided: the entry leaves the outbox and its result is kept,
/// in one transaction.
async fn settle(
    db: &rexie::Rexie,
    entry: &OutboxEntry,
    state: RequestState,
) -> Result<(), StoreError> {
    let Command::Register(submission) = &entry.command;
    let mut request = MyRequest::waiting(submission);
    request.state = state;
    store::write_all(
        db,
        vec![
            Write::Delete(store::OUTBOX, JsValue::from_str(&entry.id)),
            Write::Put(store::REQUESTS, store::to_js(&request)?),
        ],
    )
    .await
}
