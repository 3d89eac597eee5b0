//! The device's database (IndexedDB through rexie). This module alone owns
//! it: its name, its versioned schema, and the stores other modules fill.
//!
//! - `outbox`: commands made on this device and not yet acknowledged by the
//!   server (DESIGN §5). Nothing here is ever deleted except by an
//!   acknowledgement: not by sign-out, purge or an error.
//! - `meta`: small records about the device and its sync (cursors, the
//!   device id, the last successful sync).
//! - `requests`: the citizen's own registrations made on this device, with
//!   what became of each (waiting, received, refused), so the phone can show
//!   them and resubmit a refused one.
//! - `records`: staff data pulled from the server (requests under review, a
//!   meeting's roster), each with the server's version and this device's
//!   view of it while its own commands wait (see `sync`).
//! - `rejected`: commands the server refused, kept with the reason until
//!   their user acts on each.
//! - `photos`: pictures of documents taken at the tables, kept until they
//!   are uploaded (the outbox of their bytes; see `sync::photos`).
//!
//! Reads go through rexie. Writes go through `durable`: rexie cannot ask
//! for `durability: "strict"`, which a check-in or a registration needs to
//! survive a crash right after it was shown as saved.

mod durable;

pub use durable::Durability;

use std::rc::Rc;

#[cfg(feature = "field")]
use rexie::KeyRange;
use rexie::{Index, ObjectStore, Rexie, TransactionMode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

pub const DATABASE: &str = "didar";

/// The schema's version. Raise it with every change to the stores below:
/// the browser then runs the upgrade, and rexie creates what is missing.
///
/// - 1: `outbox`, `meta`
/// - 2: `requests`
/// - 3: `records` (indexed by kind), `rejected`
/// - 4: `photos`
///
/// Every bundle opens the same database, so every bundle declares every
/// store: one at an older version could not open it.
const VERSION: u32 = 4;

pub const OUTBOX: &str = "outbox";
pub const META: &str = "meta";
pub const REQUESTS: &str = "requests";
pub const RECORDS: &str = "records";
pub const REJECTED: &str = "rejected";
pub const PHOTOS: &str = "photos";
/// The `records` index by record kind.
const BY_KIND: &str = "by_kind";
/// The `records` index of those with this device's unsent changes.
const WITH_LOCAL_CHANGES: &str = "with_local_changes";

#[derive(Clone, Debug, thiserror::Error)]
pub enum StoreError {
    /// The browser refused the write for lack of space (a
    /// `QuotaExceededError`): the phone's storage is full.
    #[error("the device's storage is full")]
    Full,
    #[error("the device database failed: {0}")]
    Database(String),
    #[error("a stored record could not be read: {0}")]
    Format(String),
}

impl From<rexie::Error> for StoreError {
    fn from(error: rexie::Error) -> Self {
        StoreError::Database(error.to_string())
    }
}

thread_local! {
    /// One connection per tab, opened on first use.
    static CONNECTION: std::cell::RefCell<Option<Rc<Rexie>>> = const { std::cell::RefCell::new(None) };
}

/// The database, created or upgraded to the current schema on first use.
pub async fn open() -> Result<Rc<Rexie>, StoreError> {
    if let Some(db) = CONNECTION.with(|cell| cell.borrow().clone()) {
        return Ok(db);
    }
    let db = Rc::new(
        Rexie::builder(DATABASE)
            .version(VERSION)
            .add_object_store(ObjectStore::new(OUTBOX).key_path("id"))
            .add_object_store(ObjectStore::new(META).key_path("key"))
            .add_object_store(ObjectStore::new(REQUESTS).key_path("request_id"))
            .add_object_store(
                ObjectStore::new(RECORDS)
                    .key_path("key")
                    .add_index(Index::new(BY_KIND, "kind"))
                    .add_index(Index::new(WITH_LOCAL_CHANGES, "pending")),
            )
            .add_object_store(ObjectStore::new(REJECTED).key_path("id"))
            .add_object_store(ObjectStore::new(PHOTOS).key_path("id"))
            .build()
            .await?,
    );
    CONNECTION.with(|cell| *cell.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// Asks the browser to keep this origin's storage under pressure instead of
/// evicting it (`navigator.storage.persist()`): called where staff work and
/// where something waits in the outbox. The browser decides (Chromium by
/// the site's engagement, Firefox by asking the person); the answer is not
/// awaited, since nothing changes either way but the risk.
pub fn persist() {
    // Asked once per page: the browser remembers the answer.
    thread_local! {
        static ASKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if ASKED.with(|asked| asked.replace(true)) {
        return;
    }
    let storage = web_sys::window()
        .and_then(|window| js_sys::Reflect::get(&window.navigator(), &"storage".into()).ok());
    if let Some(storage) = storage
        && let Ok(persist) = js_sys::Reflect::get(&storage, &"persist".into())
        && let Ok(persist) = persist.dyn_into::<js_sys::Function>()
    {
        let _ = persist.call0(&storage);
    }
}

/// How many commands wait to be sent.
pub async fn outbox_len(db: &Rexie) -> Result<u32, StoreError> {
    let tx = db.transaction(&[OUTBOX], TransactionMode::ReadOnly)?;
    let count = tx.store(OUTBOX)?.count(None).await?;
    tx.done().await?;
    Ok(count)
}

/// Every record of a store, in key order.
pub async fn all<T: DeserializeOwned>(db: &Rexie, store: &str) -> Result<Vec<T>, StoreError> {
    all_values(db, store).await?.iter().map(from_js).collect()
}

/// Every value of a store as stored, in key order (a photo's picture is
/// a `Blob`, which no JSON round trip keeps).
pub async fn all_values(db: &Rexie, store: &str) -> Result<Vec<JsValue>, StoreError> {
    let tx = db.transaction(&[store], TransactionMode::ReadOnly)?;
    let rows = tx.store(store)?.get_all(None, None).await?;
    tx.done().await?;
    Ok(rows)
}

/// One value of a store as stored, if it is there.
#[cfg(feature = "field")]
pub async fn value(db: &Rexie, store: &str, key: &str) -> Result<Option<JsValue>, StoreError> {
    let tx = db.transaction(&[store], TransactionMode::ReadOnly)?;
    let found = tx.store(store)?.get(JsValue::from_str(key)).await?;
    tx.done().await?;
    Ok(found)
}

/// The records of one kind, in key order.
#[cfg(feature = "field")]
pub async fn all_of_kind<T: DeserializeOwned>(
    db: &Rexie,
    kind: &str,
) -> Result<Vec<T>, StoreError> {
    let tx = db.transaction(&[RECORDS], TransactionMode::ReadOnly)?;
    let range = KeyRange::only(&JsValue::from_str(kind))
        .map_err(|e| StoreError::Database(e.to_string()))?;
    let rows = tx
        .store(RECORDS)?
        .index(BY_KIND)?
        .get_all(Some(range), None)
        .await?;
    tx.done().await?;
    rows.iter().map(from_js).collect()
}

/// The records that carry this device's unsent changes.
#[cfg(feature = "field")]
pub async fn with_local_changes<T: DeserializeOwned>(db: &Rexie) -> Result<Vec<T>, StoreError> {
    let tx = db.transaction(&[RECORDS], TransactionMode::ReadOnly)?;
    let rows = tx
        .store(RECORDS)?
        .index(WITH_LOCAL_CHANGES)?
        .get_all(None, None)
        .await?;
    tx.done().await?;
    rows.iter().map(from_js).collect()
}

/// The records of `store` with these keys that exist.
pub async fn get_many<T: DeserializeOwned>(
    db: &Rexie,
    store: &str,
    keys: &[String],
) -> Result<Vec<T>, StoreError> {
    get_then(db, store, keys, |_| Vec::new()).await
}

/// The values at `keys`, then at the keys `then` finds through those, in
/// one read transaction: a command's records and the ones they lead to,
/// read in the time a tap at the door can afford.
pub async fn get_then<T: DeserializeOwned>(
    db: &Rexie,
    store: &str,
    keys: &[String],
    then: impl FnOnce(&[T]) -> Vec<String>,
) -> Result<Vec<T>, StoreError> {
    let tx = db.transaction(&[store], TransactionMode::ReadOnly)?;
    let object_store = tx.store(store)?;
    let mut found = get_each(&object_store, keys).await?;
    let more = then(&found);
    found.extend(get_each(&object_store, &more).await?);
    tx.done().await?;
    Ok(found)
}

async fn get_each<T: DeserializeOwned>(
    store: &rexie::Store,
    keys: &[String],
) -> Result<Vec<T>, StoreError> {
    let mut found = Vec::with_capacity(keys.len());
    for key in keys {
        if let Some(value) = store.get(JsValue::from_str(key)).await? {
            found.push(from_js(&value)?);
        }
    }
    Ok(found)
}

/// A `meta` value, if set.
pub async fn get_meta<T: DeserializeOwned>(db: &Rexie, key: &str) -> Result<Option<T>, StoreError> {
    let found: Vec<MetaRecord<T>> = get_many(db, META, &[key.to_string()]).await?;
    Ok(found.into_iter().next().map(|record| record.value))
}

/// One write of a transaction over several stores.
pub enum Write<'a> {
    Put(&'a str, JsValue),
    Delete(&'a str, JsValue),
    /// Empties a store.
    #[cfg(feature = "field")]
    Clear(&'a str),
}

#[cfg(feature = "field")]
impl Write<'_> {
    /// The key a deletion removes, when it is text.
    pub fn deleted_key(&self) -> Option<String> {
        match self {
            Write::Delete(_, key) => key.as_string(),
            _ => None,
        }
    }
}

/// Writes to several stores atomically: all happen or none (DESIGN §5: a
/// change and its outbox entry are one transaction), committed to disk
/// before this returns.
pub async fn write_all(writes: Vec<Write<'_>>) -> Result<(), StoreError> {
    durable::commit(writes, Durability::Strict).await
}

/// Like `write_all`, for data the server still has (a pulled page): the
/// browser may commit it lazily, which is much faster for bulk writes.
#[cfg(feature = "field")]
pub async fn write_relaxed(writes: Vec<Write<'_>>) -> Result<(), StoreError> {
    durable::commit(writes, Durability::Relaxed).await
}

/// A `meta` record: `{ key, value }`.
#[derive(Serialize, serde::Deserialize)]
struct MetaRecord<T> {
    key: String,
    value: T,
}

pub async fn put_meta<T: Serialize>(key: &str, value: T) -> Result<(), StoreError> {
    write_all(vec![meta(key, value)?]).await
}

/// A `meta` write, to go in a transaction with others.
pub fn meta<T: Serialize>(key: &str, value: T) -> Result<Write<'static>, StoreError> {
    let record = to_js(&MetaRecord {
        key: key.to_string(),
        value,
    })?;
    Ok(Write::Put(META, record))
}

/// Records go through JSON: serde_json is in the bundle already, and its
/// output is exactly the wire format, so stored and sent data agree.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, StoreError> {
    let text = serde_json::to_string(value).map_err(|e| StoreError::Format(e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| StoreError::Format("JSON.parse".into()))
}

/// Many records at once: one JSON text and one `JSON.parse` for all, which
/// is much faster than one each for a page of a thousand.
#[cfg(feature = "field")]
pub fn to_js_all<T: Serialize>(values: &[T]) -> Result<Vec<JsValue>, StoreError> {
    let text = serde_json::to_string(values).map_err(|e| StoreError::Format(e.to_string()))?;
    let parsed = js_sys::JSON::parse(&text).map_err(|_| StoreError::Format("JSON.parse".into()))?;
    Ok(js_sys::Array::from(&parsed).iter().collect())
}

pub fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, StoreError> {
    let text: String = js_sys::JSON::stringify(value)
        .map_err(|_| StoreError::Format("JSON.stringify".into()))?
        .into();
    serde_json::from_str(&text).map_err(|e| StoreError::Format(e.to_string()))
}
