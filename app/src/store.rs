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

use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

pub const DATABASE: &str = "didar";

/// The schema's version. Raise it with every change to the stores below:
/// the browser then runs the upgrade, and rexie creates what is missing.
///
/// - 1: `outbox`, `meta`
/// - 2: `requests`
const VERSION: u32 = 2;

pub const OUTBOX: &str = "outbox";
pub const META: &str = "meta";
pub const REQUESTS: &str = "requests";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
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

/// Opens the database, creating or upgrading it to the current schema.
pub async fn open() -> Result<Rexie, StoreError> {
    let db = Rexie::builder(DATABASE)
        .version(VERSION)
        .add_object_store(ObjectStore::new(OUTBOX).key_path("id"))
        .add_object_store(ObjectStore::new(META).key_path("key"))
        .add_object_store(ObjectStore::new(REQUESTS).key_path("request_id"))
        .build()
        .await?;
    Ok(db)
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
    let tx = db.transaction(&[store], TransactionMode::ReadOnly)?;
    let rows = tx.store(store)?.get_all(None, None).await?;
    tx.done().await?;
    rows.iter().map(from_js).collect()
}

/// One write of a transaction over several stores.
pub enum Write<'a> {
    Put(&'a str, JsValue),
    Delete(&'a str, JsValue),
}

/// Writes to several stores atomically: all happen or none (DESIGN §5: a
/// change and its outbox entry are one transaction).
pub async fn write_all(db: &Rexie, writes: Vec<Write<'_>>) -> Result<(), StoreError> {
    let mut names: Vec<&str> = writes
        .iter()
        .map(|write| match write {
            Write::Put(store, _) | Write::Delete(store, _) => *store,
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    let tx = db.transaction(&names, TransactionMode::ReadWrite)?;
    for write in writes {
        match write {
            Write::Put(store, value) => {
                tx.store(store)?.put(&value, None).await?;
            }
            Write::Delete(store, key) => tx.store(store)?.delete(key).await?,
        }
    }
    tx.done().await?;
    Ok(())
}

/// A `meta` record: `{ key, value }`.
#[derive(Serialize, serde::Deserialize)]
struct MetaRecord<T> {
    key: String,
    value: T,
}

pub async fn put_meta<T: Serialize>(db: &Rexie, key: &str, value: T) -> Result<(), StoreError> {
    let record = to_js(&MetaRecord {
        key: key.to_string(),
        value,
    })?;
    let tx = db.transaction(&[META], TransactionMode::ReadWrite)?;
    tx.store(META)?.put(&record, None).await?;
    tx.done().await?;
    Ok(())
}

/// Records go through JSON: serde_json is in the bundle already, and its
/// output is exactly the wire format, so stored and sent data agree.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, StoreError> {
    let text = serde_json::to_string(value).map_err(|e| StoreError::Format(e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| StoreError::Format("JSON.parse".into()))
}

fn from_js<T: DeserializeOwned>(value: &JsValue) -> Result<T, StoreError> {
    let text: String = js_sys::JSON::stringify(value)
        .map_err(|_| StoreError::Format("JSON.stringify".into()))?
        .into();
    serde_json::from_str(&text).map_err(|e| StoreError::Format(e.to_string()))
}
