//! What the device is doing, always visible (DESIGN §5, §8): online or
//! offline, and a new version of the app ready to start.
//!
//! The service worker is driven from `public/boot.js`; it announces a
//! waiting update with the `didar:update-ready` window event (and the
//! `__didarUpdateReady` flag, for an update found before the app mounted),
//! and applies it on `didar:apply-update`.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::i18n::tr;

#[derive(Clone, Copy)]
pub struct DeviceStatus {
    pub online: RwSignal<bool>,
    update_ready: RwSignal<bool>,
}

pub fn provide() {
    let status = DeviceStatus {
        online: RwSignal::new(window().navigator().on_line()),
        update_ready: RwSignal::new(update_flag_set()),
    };
    // Listeners live as long as the page: the shell never unmounts.
    let _ = window_event_listener(ev::online, move |_| status.online.set(true));
    let _ = window_event_listener(ev::offline, move |_| status.online.set(false));
    let _ =
        window_event_listener_untyped("didar:update-ready", move |_| status.update_ready.set(true));
    provide_context(status);
}

pub fn use_status() -> DeviceStatus {
    expect_context::<DeviceStatus>()
}

fn update_flag_set() -> bool {
    js_sys::Reflect::get(&window(), &JsValue::from_str("__didarUpdateReady"))
        .map(|flag| flag.is_truthy())
        .unwrap_or(false)
}

#[component]
pub fn OfflineBanner() -> impl IntoView {
    let status = use_status();
    view! {
        <Show when=move || !status.online.get()>
            <div class="offline-banner" role="status" data-testid="offline-banner">
                <strong>{tr("شما آفلاین هستید.", "You are offline.")}</strong>
                " "
                {tr(
                    "برنامه کار می‌کند و هر چه ثبت کنید روی همین دستگاه می‌ماند تا اینترنت برگردد.",
                    "The app keeps working; what you record stays on this device until the network returns.",
                )}
            </div>
        </Show>
    }
}

#[component]
pub fn UpdateToast() -> impl IntoView {
    let status = use_status();
    let apply = move |_| {
        if let Ok(event) = web_sys::CustomEvent::new("didar:apply-update") {
            let _ = window().dispatch_event(&event);
        }
    };
    view! {
        <Show when=move || status.update_ready.get()>
            <div class="toast" role="status" data-testid="update-toast">
                <span>{tr("نسخهٔ تازه‌ای از برنامه آماده است.", "A new version of the app is ready.")}</span>
                <button class="button button-small" on:click=apply>
                    {tr("به‌روزرسانی", "Update")}
                </button>
            </div>
        </Show>
    }
}
