//! The device's database (IndexedDB through rexie). This module alone owns
//! it: its name, its versioned schema, and the stores other modules fill.
//!
//! - `outbox`: commands made on this device and not yet acknowledged by the
//!   server (DESIGN §5). Nothing here is ever deleted except by an
//!   acknowledgement: not by sign-out, purge or an error.
//! - `meta`: small records about the device and its sync (cursors, the
//!   device id, the last successful sync).

use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::Serialize;
use wasm_bindgen::JsValue;

pub const DATABASE: &str = "didar";

/// The schema's version. Raise it with every change to the stores below:
/// the browser then runs the upgrade, and rexie creates what is missing.
const VERSION: u32 = 1;

pub const OUTBOX: &str = "outbox";
pub const META: &str = "meta";

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
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, StoreError> {
    let text = serde_json::to_string(value).map_err(|e| StoreError::Format(e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| StoreError::Format("JSON.parse".into()))
}
