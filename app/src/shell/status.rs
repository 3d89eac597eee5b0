//! What the device is doing, always visible (DESIGN §5, §8): online or
//! offline.
//!
//! New versions of the app are offered by `public/boot.js`, outside the
//! app, so a release whose app fails to start can still be replaced.

use leptos::ev;
use leptos::prelude::*;

use crate::i18n::tr;

#[derive(Clone, Copy)]
pub struct DeviceStatus {
    pub online: RwSignal<bool>,
}

pub fn provide() {
    let status = DeviceStatus {
        online: RwSignal::new(window().navigator().on_line()),
    };
    // Listeners live as long as the page: the shell never unmounts.
    let _ = window_event_listener(ev::online, move |_| status.online.set(true));
    let _ = window_event_listener(ev::offline, move |_| status.online.set(false));
    provide_context(status);
}

pub fn use_status() -> DeviceStatus {
    expect_context::<DeviceStatus>()
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
