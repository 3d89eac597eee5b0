//! The sync state, always on the staff screens: how much waits, when the
//! device last synced, what is wrong if anything, a "sync now" button, and
//! the commands the server refused — each with its reason and a choice.

use domain::i18n::Lang;
use domain::text::localize_digits;
use domain::time::{format_datetime, format_gregorian};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::staff::RejectedCommand;
use super::{Phase, SyncState, use_pending, use_sync};
use crate::i18n::{tr, use_lang};
use crate::store::{self, Write};

#[component]
pub fn SyncPanel() -> impl IntoView {
    let sync = use_sync();
    let lang = use_lang();
    let pending = use_pending();
    let rejected = LocalResource::new(move || async move {
        sync.revision.track();
        let db = store::open().await.ok()?;
        let all = store::all::<RejectedCommand>(&db, store::REJECTED)
            .await
            .ok()?;
        // Each person sees their own; another's wait for them.
        let user = crate::session::signed_in_user();
        Some(
            all.into_iter()
                .filter(|item| Some(&item.envelope.author) == user.as_ref())
                .collect::<Vec<_>>(),
        )
    });
    let held = LocalResource::new(move || async move {
        sync.revision.track();
        super::staff::held_since().await.ok().flatten()
    });
    let count_text = move || {
        let count = pending.get();
        match (count, lang.get()) {
            (None, Lang::Fa) => {
                "شمار کارهای در انتظار ارسال روی این دستگاه خوانده نشد.".to_string()
            }
            (None, Lang::En) => {
                "How much waits to be sent on this device could not be read.".to_string()
            }
            (Some(0), Lang::Fa) => "همهٔ کارهای این دستگاه ارسال شده است.".to_string(),
            (Some(0), Lang::En) => "Everything done on this device has been sent.".to_string(),
            (Some(n), Lang::Fa) => format!(
                "{} مورد در انتظار ارسال",
                localize_digits(&n.to_string(), Lang::Fa)
            ),
            (Some(n), Lang::En) => format!("{n} waiting to be sent"),
        }
    };
    view! {
        <section class="card sync-panel" aria-labelledby="sync-title" data-testid="sync-panel">
            <h2 id="sync-title">{tr("همگام‌سازی", "Sync")}</h2>
            <p data-testid="sync-pending" data-count=move || pending.get().map(|n| n.to_string())>{count_text}</p>
            <p role="status" data-testid="sync-phase" data-phase=move || phase_code(&sync.phase.get())>
                {move || phase_text(&sync.phase.get(), lang.get())}
            </p>
            {move || held.get().flatten().map(|since| view! { <HeldNotice since/> })}
            <p data-testid="sync-last">
                {tr("آخرین همگام‌سازی موفق: ", "Last successful sync: ")}
                {move || match sync.last_success.get() {
                    Some(at) => view! {
                        <time datetime=at.to_rfc3339() title=format_gregorian(at)>{format_datetime(at, lang.get())}</time>
                    }.into_any(),
                    None => tr("هنوز نه", "not yet").into_any(),
                }}
            </p>
            <button
                class="button button-secondary"
                type="button"
                data-testid="sync-now"
                on:click=move |_| super::sync_now(sync)
            >
                {tr("همگام‌سازی اکنون", "Sync now")}
            </button>
            <Show when=move || sync.phase.get() == Phase::DeviceRevoked>
                <ClearDeviceButton/>
            </Show>
            {move || {
                let items = match rejected.get() {
                    None => return None,
                    Some(Some(items)) => items,
                    // Refusals wait for their author: unread, they must not
                    // look like none.
                    Some(None) => return Some(view! {
                        <p class="alert-error" role="alert" data-testid="rejected-unreadable">
                            {tr(
                                "فهرست کارهای ردشده روی این دستگاه خوانده نشد؛ «همگام‌سازی اکنون» را بزنید یا برنامه را دوباره باز کنید.",
                                "The list of refused work on this device could not be read; press \u{201c}Sync now\u{201d} or open the app again.",
                            )}
                        </p>
                    }.into_any()),
                };
                (!items.is_empty()).then(|| view! {
                    <h3>{tr("ردشده از سوی سامانه", "Refused by the server")}</h3>
                    <ul class="rejected-list" data-testid="rejected-list">
                        {items.into_iter().map(|item| view! { <RejectedItem item sync/> }).collect_view()}
                    </ul>
                }.into_any())
            }}
        </section>
    }
}

/// Why the device still keeps records the server stopped sending it.
#[component]
fn HeldNotice(since: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="warning" role="status" data-testid="sync-held">
            {move || match lang.get() {
                Lang::Fa => format!(
                    "از {} داده‌هایی که سامانه دیگر برای این دستگاه نمی‌فرستد (فهرست دیداری که زمان نگهداری‌اش گذشته یا از آن برداشته شده‌اید) روی این دستگاه مانده است، چون کارهای این دستگاه هنوز ارسال نشده‌اند. پس از ارسال همهٔ آن‌ها پاک می‌شود.",
                    format_datetime(since, Lang::Fa)
                ),
                Lang::En => format!(
                    "Since {}, this device keeps data the server no longer sends it (a meeting's roster past its keep time, or a meeting you were taken off), because work made here is not sent yet. It goes once all of it is sent.",
                    format_datetime(since, Lang::En)
                ),
            }}
        </p>
    }
}

/// "Clear this device": everything the app keeps here goes. Unsent work
/// would go with it, so the person is told how much and asked first.
#[component]
pub fn ClearDeviceButton() -> impl IntoView {
    let sync = use_sync();
    let lang = use_lang();
    let pending = use_pending();
    let done = RwSignal::new(false);
    let clear = move |_| {
        let count = pending.get_untracked();
        let question = match (count, lang.get_untracked()) {
            (None, Lang::Fa) => {
                "معلوم نشد کاری روی این دستگاه در انتظار ارسال هست یا نه؛ اگر باشد، با پاک کردن از دست می‌رود. باز هم پاک شود؟".to_string()
            }
            (None, Lang::En) => {
                "Whether work waits unsent on this device could not be read; if it does, clearing loses it. Clear anyway?".to_string()
            }
            (Some(0), Lang::Fa) => {
                "همهٔ داده‌های این برنامه از این دستگاه پاک می‌شود. ادامه می‌دهید؟".to_string()
            }
            (Some(0), Lang::En) => {
                "All of this app's data on this device will be removed. Continue?".to_string()
            }
            (Some(n), Lang::Fa) => format!(
                "{} مورد هنوز ارسال نشده است و با پاک کردن از دست می‌رود. اگر می‌توانید، اول «همگام‌سازی اکنون» را بزنید. باز هم پاک شود؟",
                localize_digits(&n.to_string(), Lang::Fa)
            ),
            (Some(n), Lang::En) => format!(
                "{n} items are not sent yet and would be lost. If you can, press \u{201c}Sync now\u{201d} first. Clear anyway?"
            ),
        };
        if !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        leptos::task::spawn_local(async move {
            if super::clear_device(sync).await.is_ok() {
                done.set(true);
                // Start afresh: no profile, no data, nothing waiting.
                let _ = window().location().assign("/");
            }
        });
    };
    view! {
        <button class="button button-danger" type="button" on:click=clear data-testid="clear-device">
            {tr("پاک کردن داده‌های این دستگاه", "Clear this device")}
        </button>
        <Show when=move || done.get()>
            <p role="status">{tr("داده‌های این دستگاه پاک شد.", "This device's data was cleared.")}</p>
        </Show>
    }
}

#[component]
fn RejectedItem(item: RejectedCommand, sync: SyncState) -> impl IntoView {
    let lang = use_lang();
    let sender = super::use_command();
    let id = item.id.clone();
    let dismiss = move |_| {
        let id = id.clone();
        leptos::task::spawn_local(async move {
            if store::write_all(vec![refused_entry(&id)]).await.is_ok() {
                super::changed(sync);
            }
        });
    };
    let command = item.envelope.command.clone();
    let id = item.id.clone();
    // Made afresh, now, and queued in the transaction that drops the
    // refusal: it can never be queued twice.
    let try_again = move |_| sender.send_with(command.clone(), vec![refused_entry(&id)]);
    let message = item.message.clone();
    view! {
        <li class="rejected" data-testid="rejected-item">
            <strong>{move || item.envelope.command.label(lang.get())}</strong>
            <p>{move || message.get(lang.get()).to_string()}</p>
            <p class="error" role="alert">{sender.error()}</p>
            <button class="button button-secondary" type="button" on:click=try_again data-testid="rejected-retry">
                {tr("دوباره بفرست", "Try again")}
            </button>
            <button class="button button-secondary" type="button" on:click=dismiss data-testid="rejected-dismiss">
                {tr("کنار بگذار", "Dismiss")}
            </button>
        </li>
    }
}

fn refused_entry(id: &str) -> Write<'static> {
    Write::Delete(store::REJECTED, JsValue::from_str(id))
}

fn phase_code(phase: &Phase) -> &'static str {
    match phase {
        Phase::Idle => "idle",
        Phase::Syncing => "syncing",
        Phase::Offline => "offline",
        Phase::SignInNeeded => "sign_in_needed",
        Phase::DeviceRevoked => "device_revoked",
        Phase::Failed(_) => "failed",
    }
}

fn phase_text(phase: &Phase, lang: Lang) -> String {
    match (phase, lang) {
        (Phase::Idle, Lang::Fa) => "همگام است.".into(),
        (Phase::Idle, Lang::En) => "In sync.".into(),
        (Phase::Syncing, Lang::Fa) => "در حال همگام‌سازی…".into(),
        (Phase::Syncing, Lang::En) => "Syncing…".into(),
        (Phase::Offline, Lang::Fa) => {
            "اتصال برقرار نیست؛ کارها روی همین دستگاه می‌ماند و با برگشتن اینترنت فرستاده می‌شود.".into()
        }
        (Phase::Offline, Lang::En) => {
            "No connection; work stays on this device and is sent when the network returns.".into()
        }
        (Phase::SignInNeeded, Lang::Fa) => {
            "برای ارسال کارهای این دستگاه دوباره وارد شوید؛ چیزی از دست نمی‌رود.".into()
        }
        (Phase::SignInNeeded, Lang::En) => {
            "Sign in again to send this device's work; nothing is lost.".into()
        }
        (Phase::DeviceRevoked, Lang::Fa) => {
            "دسترسی این دستگاه لغو شده است. با مدیر سامانه تماس بگیرید و داده‌های برنامه را پاک کنید.".into()
        }
        (Phase::DeviceRevoked, Lang::En) => {
            "This device's access was revoked. Contact an administrator and clear the app's data.".into()
        }
        (Phase::Failed(detail), Lang::Fa) => {
            format!("همگام‌سازی ناموفق بود و دوباره تلاش می‌شود ({detail}).")
        }
        (Phase::Failed(detail), Lang::En) => format!("Sync failed and will be retried ({detail})."),
    }
}
