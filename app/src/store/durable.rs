//! Write transactions with an explicit durability. Chrome commits IndexedDB
//! "relaxed" by default since version 121: a write reported done may still
//! be lost if the device crashes or loses power a moment later. A check-in
//! or a registration shown as saved must not be, so those transactions ask
//! for `durability: "strict"` — which rexie (and web-sys, without unstable
//! APIs) cannot express, hence this small binding.

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransaction};

use super::{DATABASE, StoreError, VERSION, Write};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// On disk before the transaction completes.
    Strict,
    /// The browser's default: may be flushed later.
    #[cfg(feature = "field")]
    Relaxed,
}

thread_local! {
    static CONNECTION: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

/// Commits `writes` in one transaction: all or none.
pub async fn commit(writes: Vec<Write<'_>>, durability: Durability) -> Result<(), StoreError> {
    if writes.is_empty() {
        return Ok(());
    }
    let db = connection().await?;
    let names = Array::new();
    let mut seen: Vec<&str> = Vec::new();
    for write in &writes {
        let name = match write {
            Write::Put(store, _) | Write::Delete(store, _) => *store,
            #[cfg(feature = "field")]
            Write::Clear(store) => *store,
        };
        if !seen.contains(&name) {
            seen.push(name);
            names.push(&JsValue::from_str(name));
        }
    }
    let options = Object::new();
    let level = match durability {
        Durability::Strict => "strict",
        #[cfg(feature = "field")]
        Durability::Relaxed => "relaxed",
    };
    Reflect::set(&options, &"durability".into(), &level.into()).map_err(failed)?;
    // `IDBDatabase.transaction(names, mode, { durability })`, called by
    // name: web-sys has the options only behind its unstable APIs.
    let transaction: Function = Reflect::get(&db, &"transaction".into())
        .and_then(|method| method.dyn_into())
        .map_err(failed)?;
    let tx: IdbTransaction = transaction
        .call3(&db, &names, &"readwrite".into(), &options)
        .and_then(|tx| tx.dyn_into())
        .map_err(failed)?;
    let done = Promise::new(&mut |resolve, reject| {
        tx.set_oncomplete(Some(&resolve));
        tx.set_onerror(Some(&reject));
        tx.set_onabort(Some(&reject));
    });
    if let Err(error) = queue(&tx, writes) {
        // Nothing of it may land: abort what was queued.
        let _ = tx.abort();
        return Err(error);
    }
    // A full disk shows at commit: the transaction aborts, and its
    // `error` (not the event the promise rejects with) says why.
    JsFuture::from(done)
        .await
        .map_err(|event| match Reflect::get(&tx, &"error".into()) {
            Ok(error) if !error.is_null() && !error.is_undefined() => failed(error),
            _ => failed(event),
        })?;
    Ok(())
}

/// Queues every write without yielding, so the transaction stays open for
/// all of them.
fn queue(tx: &IdbTransaction, writes: Vec<Write<'_>>) -> Result<(), StoreError> {
    for write in writes {
        match write {
            Write::Put(store, value) => tx.object_store(store).and_then(|s| s.put(&value)),
            Write::Delete(store, key) => tx.object_store(store).and_then(|s| s.delete(&key)),
            #[cfg(feature = "field")]
            Write::Clear(store) => tx.object_store(store).and_then(|s| s.clear()),
        }
        .map_err(failed)?;
    }
    Ok(())
}

/// This tab's raw connection, opened after rexie has brought the schema up
/// to date.
async fn connection() -> Result<IdbDatabase, StoreError> {
    if let Some(db) = CONNECTION.with(|cell| cell.borrow().clone()) {
        return Ok(db);
    }
    super::open().await?;
    let factory = web_sys::window()
        .and_then(|window| window.indexed_db().ok().flatten())
        .ok_or_else(|| StoreError::Database("IndexedDB is not available".into()))?;
    let request = factory.open_with_u32(DATABASE, VERSION).map_err(failed)?;
    let opened = Promise::new(&mut |resolve, reject| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    JsFuture::from(opened).await.map_err(failed)?;
    let db: IdbDatabase = IdbRequest::result(&request)
        .map_err(failed)?
        .dyn_into()
        .map_err(failed)?;
    // A newer version of the app in another tab wants to upgrade the
    // schema: step aside (the next write opens the new version).
    let step_aside = Closure::<dyn FnMut()>::new({
        let db = db.clone();
        move || {
            db.close();
            CONNECTION.with(|cell| cell.borrow_mut().take());
        }
    });
    db.set_onversionchange(Some(step_aside.as_ref().unchecked_ref()));
    step_aside.forget();
    CONNECTION.with(|cell| *cell.borrow_mut() = Some(db.clone()));
    Ok(db)
}

fn failed(error: JsValue) -> StoreError {
    // `DOMException`s carry their kind in `name`.
    if Reflect::get(&error, &"name".into())
        .ok()
        .and_then(|name| name.as_string())
        == Some("QuotaExceededError".into())
    {
        return StoreError::Full;
    }
    let text = error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "IndexedDB refused the write".into());
    StoreError::Database(text)
}
