//! The staff data on this device: each record as the server last sent it,
//! and — while this device's own commands wait — the view with them applied
//! (the rebase of DESIGN §5), so the screen always shows the user's work.

use std::collections::BTreeSet;

use domain::i18n::{Lang, Localized};
use domain::sync::{
    Envelope, PullChange, Record, RecordKey, RecordKind, Rejection, Replica, apply,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use super::outbox::{self, OutboxEntry, Queued};
use crate::store::{self, StoreError, Write};

/// A row of the `records` store.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoredRecord {
    /// `RecordKey::text()`.
    pub key: String,
    /// The kind's code, for the store's index.
    pub kind: String,
    /// As the server last sent it; None if only this device has it yet.
    pub server: Option<Record>,
    /// With this device's waiting commands applied, when that differs.
    pub local: Option<Record>,
    /// Present (1) only while `local` is: indexed, so the rebase finds
    /// every record with local changes without reading them all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<u8>,
}

impl StoredRecord {
    /// What the screen shows.
    pub fn view(&self) -> Option<&Record> {
        self.local.as_ref().or(self.server.as_ref())
    }

    /// Whether this device's own unsent work changed it.
    pub fn has_pending_work(&self) -> bool {
        self.local.is_some()
    }
}

/// The records of one kind as the screen shows them.
pub async fn of_kind(kind: RecordKind) -> Result<Vec<StoredRecord>, StoreError> {
    let db = store::open().await?;
    store::all_of_kind(&db, kind.code()).await
}

/// The records of `keys` that the device holds.
pub async fn with_keys(keys: &[String]) -> Result<Vec<StoredRecord>, StoreError> {
    let db = store::open().await?;
    store::get_many(&db, store::RECORDS, keys).await
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("refused: {0}")]
    Refused(Rejection),
    /// The offline allowance of the kept profile ran out.
    #[error("nobody is signed in")]
    SignedOut,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl RunError {
    /// What the person reads: the rule's reason, or what to do.
    pub fn explain(&self, lang: Lang) -> String {
        let text = match (self, lang) {
            (RunError::Refused(rejection), lang) => rejection.message(lang),
            (RunError::SignedOut, Lang::Fa) => {
                "برای ادامهٔ کار دوباره وارد شوید؛ کارهای ثبت‌شده از دست نمی‌رود."
            }
            (RunError::SignedOut, Lang::En) => "Sign in again to go on; nothing done is lost.",
            (RunError::Store(StoreError::Full), Lang::Fa) => {
                "حافظهٔ این دستگاه پر است و این کار ذخیره نشد. کمی جا باز کنید و دوباره امتحان کنید."
            }
            (RunError::Store(StoreError::Full), Lang::En) => {
                "This device's storage is full, so this was not saved. Free some space and try again."
            }
            (RunError::Store(_), Lang::Fa) => {
                "این کار روی این دستگاه ذخیره نشد؛ لطفاً دوباره امتحان کنید."
            }
            (RunError::Store(_), Lang::En) => {
                "This could not be saved on this device; please try again."
            }
        };
        text.to_string()
    }
}

/// The records of `rows` as this device shows them.
fn replica_of(rows: &[StoredRecord]) -> Replica {
    let mut replica = Replica::new();
    for record in rows.iter().filter_map(StoredRecord::view) {
        replica.put(record.clone());
    }
    replica
}

/// Applies a command to this device's view at once and queues it, in one
/// durable transaction. The device's own copy may refuse it (say, the
/// request was already rejected): then nothing is queued and the reason is
/// returned to show.
/// `also` joins the same transaction (a refused command's retry drops it
/// from the refused list there, so it can never be queued twice).
pub async fn run(envelope: Envelope, also: Vec<Write<'static>>) -> Result<(), RunError> {
    let db = store::open().await?;
    let keys: Vec<String> = envelope
        .command
        .reads()
        .iter()
        .map(RecordKey::text)
        .collect();
    // And what the command reads beyond those, where this device holds
    // it (a check-in moves the request only on a device that has it).
    let stored: Vec<StoredRecord> = store::get_then(&db, store::RECORDS, &keys, |first| {
        envelope
            .command
            .reads_after(&replica_of(first))
            .iter()
            .map(RecordKey::text)
            .collect()
    })
    .await?;
    let current = replica_of(&stored);
    let effect = apply(&current, &envelope).map_err(RunError::Refused)?;
    super::changes::touch(effect.changes.iter().map(|record| record.key().text()));
    let mut writes = also;
    for record in effect.changes {
        let key = record.key();
        let server = stored
            .iter()
            .find(|row| row.key == key.text())
            .and_then(|row| row.server.clone());
        writes.push(Write::Put(
            store::RECORDS,
            store::to_js(&row(&key, server, Some(record)))?,
        ));
    }
    let entry = OutboxEntry {
        id: envelope.id.to_string(),
        created_at: envelope.made_at,
        queued: Queued::Staff(envelope),
    };
    outbox::enqueue(&entry, writes).await?;
    Ok(())
}

/// The writes that bring the device's records up to date: the server's
/// `incoming` changes, and every record that waiting commands touch
/// recomputed from the server's version with those commands applied on
/// top — minus the commands in `settled`, which the server just answered.
pub async fn rebase(
    incoming: Vec<PullChange>,
    settled: &BTreeSet<String>,
) -> Result<Vec<Write<'static>>, StoreError> {
    let db = store::open().await?;
    let pending: Vec<Envelope> = outbox::staff_commands()
        .await?
        .into_iter()
        .filter(|envelope| !settled.contains(envelope.id.as_str()))
        .collect();
    let mut keys: BTreeSet<String> = store::with_local_changes::<StoredRecord>(&db)
        .await?
        .into_iter()
        .map(|row| row.key)
        .collect();
    keys.extend(
        pending
            .iter()
            .flat_map(|envelope| envelope.command.reads())
            .map(|key| key.text()),
    );
    if keys.is_empty() {
        // Nothing of this device's own waits: the server's records are
        // stored as they came (the common case, and a big pull's).
        return incoming_as_is(incoming);
    }
    let keys: Vec<String> = keys.into_iter().collect();
    let stored: Vec<StoredRecord> = store::get_many(&db, store::RECORDS, &keys).await?;

    let mut base = Replica::new();
    for record in stored.iter().filter_map(|row| row.server.clone()) {
        base.put(record);
    }
    let mut touched: BTreeSet<RecordKey> = stored
        .iter()
        .filter_map(|row| row.view().map(Record::key))
        .collect();
    for change in &incoming {
        match &change.record {
            Some(record) => base.put(record.clone()),
            None => base.remove(&change.key),
        }
        touched.insert(change.key.clone());
    }
    let (view, _refused_here) = base.rebased(&pending);
    touched.extend(view.records().map(Record::key));

    let mut gone = Vec::new();
    let mut rows = Vec::with_capacity(touched.len());
    for key in touched {
        let server = domain::sync::Records::get(&base, &key).cloned();
        let shown = domain::sync::Records::get(&view, &key).cloned();
        let local = shown.filter(|record| Some(record) != server.as_ref());
        if server.is_none() && local.is_none() {
            gone.push(Write::Delete(
                store::RECORDS,
                JsValue::from_str(&key.text()),
            ));
        } else {
            rows.push(row(&key, server, local));
        }
    }
    puts_then(rows, gone)
}

fn incoming_as_is(incoming: Vec<PullChange>) -> Result<Vec<Write<'static>>, StoreError> {
    let mut gone = Vec::new();
    let mut rows = Vec::with_capacity(incoming.len());
    for change in incoming {
        match change.record {
            Some(record) => rows.push(row(&change.key, Some(record), None)),
            None => gone.push(Write::Delete(
                store::RECORDS,
                JsValue::from_str(&change.key.text()),
            )),
        }
    }
    puts_then(rows, gone)
}

/// The rows to store, then the deletions, as one transaction's writes.
fn puts_then(
    rows: Vec<StoredRecord>,
    deletions: Vec<Write<'static>>,
) -> Result<Vec<Write<'static>>, StoreError> {
    super::changes::touch(rows.iter().map(|row| row.key.clone()));
    super::changes::touch(deletions.iter().filter_map(Write::deleted_key));
    let mut writes: Vec<Write<'static>> = store::to_js_all(&rows)?
        .into_iter()
        .map(|value| Write::Put(store::RECORDS, value))
        .collect();
    writes.extend(deletions);
    Ok(writes)
}

fn row(key: &RecordKey, server: Option<Record>, local: Option<Record>) -> StoredRecord {
    StoredRecord {
        key: key.text(),
        kind: key.kind.code().to_string(),
        pending: local.is_some().then_some(1),
        server,
        local,
    }
}
