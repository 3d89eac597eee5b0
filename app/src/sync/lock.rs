//! One tab at a time drives sync (DESIGN §5): the Web Locks API, where the
//! browser has it. Other tabs hear about changes on a broadcast channel and
//! re-read the device's data.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

const LOCK: &str = "didar-sync";
const CHANNEL: &str = "didar-sync";

/// Runs `work` if no other tab is syncing; returns whether it ran.
pub async fn if_free<F>(work: F) -> bool
where
    F: std::future::Future<Output = ()> + 'static,
{
    let Some(request) = lock_request() else {
        // No Web Locks: this tab alone decides.
        work.await;
        return true;
    };
    let options = Object::new();
    let _ = Reflect::set(&options, &"ifAvailable".into(), &true.into());
    let callback = Closure::once_into_js(move |lock: JsValue| -> Promise {
        if lock.is_null() {
            return Promise::resolve(&JsValue::FALSE);
        }
        wasm_bindgen_futures::future_to_promise(async move {
            work.await;
            Ok(true.into())
        })
    });
    let Ok(held) = request
        .1
        .call3(&request.0, &LOCK.into(), &options, &callback)
    else {
        return false;
    };
    let Ok(promise) = held.dyn_into::<Promise>() else {
        return false;
    };
    JsFuture::from(promise)
        .await
        .ok()
        .and_then(|ran| ran.as_bool())
        .unwrap_or(false)
}

/// `navigator.locks` and its `request` method.
fn lock_request() -> Option<(JsValue, Function)> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &"locks".into()).ok()?;
    if locks.is_undefined() {
        return None;
    }
    let request = Reflect::get(&locks, &"request".into())
        .ok()?
        .dyn_into()
        .ok()?;
    Some((locks, request))
}

thread_local! {
    /// This tab's one end of the channel: a message is delivered to every
    /// other end but the one that posts it, so the tab that made a change
    /// does not hear it back (and re-read everything) as if another had.
    static ENDPOINT: Option<web_sys::BroadcastChannel> =
        web_sys::BroadcastChannel::new(CHANNEL).ok();
}

/// Tells the other tabs the device's data changed.
pub fn announce() {
    ENDPOINT.with(|endpoint| {
        if let Some(channel) = endpoint {
            let _ = channel.post_message(&"changed".into());
        }
    });
}

/// Calls `changed` whenever another tab announces a change.
pub fn listen(changed: impl Fn() + 'static) {
    ENDPOINT.with(|endpoint| {
        let Some(channel) = endpoint else {
            return;
        };
        let handler = Closure::<dyn Fn()>::new(changed);
        channel.set_onmessage(Some(handler.as_ref().unchecked_ref()));
        // It lives as long as the tab.
        handler.forget();
    });
}
