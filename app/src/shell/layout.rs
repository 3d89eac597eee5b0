//! The frame around every screen: the top bar with the language switch, and
//! the footer with today's date and what waits on this device.

use domain::i18n::Lang;
use domain::text::localize_digits;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock::now;
use crate::i18n::{tr, use_lang};
use crate::store;

#[component]
pub fn TopBar() -> impl IntoView {
    let location = crate::nav::use_location();
    let current = move |href: &'static str| move || location.is(href).then_some("page");
    view! {
        <header class="topbar">
            <a href="/" class="brand">
                <img src="/icons/icon.svg" alt="" width="32" height="32"/>
                <span class="brand-name">{tr("دیدار", "Didar")}</span>
                <span class="brand-sub">{tr("ملاقات مردمی شهردار", "Meet the Mayor")}</span>
            </a>
            <nav class="topnav" aria-label=tr("بخش‌ها", "Sections")>
                <a href="/register" aria-current=current("/register")>{tr("ثبت‌نام", "Register")}</a>
                <a href="/track" aria-current=current("/track")>{tr("پیگیری", "Track")}</a>
                // A full page load: the staff screens are their own bundle.
                <a href="/staff" rel="external">{tr("کارکنان", "Staff")}</a>
            </nav>
            <LangSwitch/>
        </header>
    }
}

/// Offers the other language, named in that language, so a reader of either
/// finds it.
#[component]
fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let toggle = move |_| {
        lang.update(|lang| {
            *lang = match lang {
                Lang::Fa => Lang::En,
                Lang::En => Lang::Fa,
            }
        })
    };
    view! {
        <button
            class="button button-quiet lang-switch"
            data-testid="lang-switch"
            on:click=toggle
            lang=move || match lang.get() { Lang::Fa => "en", Lang::En => "fa" }
        >
            {move || match lang.get() {
                Lang::Fa => "English",
                Lang::En => "فارسی",
            }}
        </button>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let lang = use_lang();
    let now = now();
    let pending = crate::sync::use_pending();
    spawn_local(record_visit());
    view! {
        <footer class="footer">
            <time
                datetime=now.to_rfc3339()
                title=domain::time::format_gregorian(now)
                data-testid="today"
            >
                {move || domain::time::jalali_today(now).format(lang.get())}
            </time>
            <span data-testid="pending">
                {move || {
                    let count = localize_digits(&pending.get()?.to_string(), lang.get());
                    Some(match lang.get() {
                        Lang::Fa => format!("{count} مورد در انتظار ارسال"),
                        Lang::En => format!("{count} waiting to be sent"),
                    })
                }}
            </span>
        </footer>
    }
}

/// Opens the device database at every start, which creates or upgrades its
/// schema before any screen needs it, and notes the visit.
async fn record_visit() {
    if store::open().await.is_ok() {
        let _ = store::put_meta("last_start", now()).await;
    }
}
