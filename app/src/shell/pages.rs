//! The public landing page, and what a /staff address shows in the
//! citizens' bundle.

use leptos::prelude::*;

use crate::i18n::tr;

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <section class="hero">
            <h1>{tr("دیدار با شهردار", "Meet the Mayor")}</h1>
            <p class="lead">
                {tr(
                    "هر هفته از شنبه تا سه‌شنبه می‌توانید برای دیدار با شهردار در منطقهٔ خودتان ثبت‌نام کنید و درخواستتان را پیگیری کنید.",
                    "Every week from Saturday to Tuesday you can register to meet the mayor in your district and follow your request.",
                )}
            </p>
        </section>
        <div class="cards">
            <a href="/register" class="card card-link">
                <h2>{tr("ثبت‌نام برای دیدار", "Register to meet the mayor")}</h2>
                <p>{tr("با گوشی، حتی وقتی اینترنت قطع است.", "From your phone, even when the network drops.")}</p>
            </a>
            <a href="/track" class="card card-link">
                <h2>{tr("پیگیری درخواست", "Track a request")}</h2>
                <p>{tr("با کد رهگیری و شمارهٔ همراه.", "With your tracking code and mobile number.")}</p>
            </a>
            <a href="/staff/sign-in" rel="external" class="card card-link">
                <h2>{tr("ورود کارکنان", "Staff sign-in")}</h2>
                <p>{tr("کمیته‌ها، مرکز ۱۳۷، پذیرش و مدیران.", "Committees, the 137 call centre, check-in and managers.")}</p>
            </a>
        </div>
    }
}

/// In the citizens' bundle, a /staff address: the staff screens are their
/// own bundle, which the server serves there. Reaching this means the page
/// was opened offline on a device that has never loaded them.
#[cfg(not(feature = "staff"))]
#[component]
pub fn StaffElsewhere() -> impl IntoView {
    // Online after all (the network came back): load the staff bundle —
    // once, so a server that cannot serve it yet does not start a loop.
    const TRIED: &str = "didar.staff_reload_tried";
    let storage = window().session_storage().ok().flatten();
    let tried = storage
        .as_ref()
        .is_some_and(|storage| storage.get_item(TRIED).ok().flatten().is_some());
    if window().navigator().on_line() && !tried {
        if let Some(storage) = &storage {
            let _ = storage.set_item(TRIED, "1");
        }
        let _ = window().location().reload();
    }
    view! {
        <section class="card">
            <h1>{tr("بخش کارکنان", "Staff")}</h1>
            <p data-testid="staff-elsewhere">{tr(
                "بخش کارکنان هنوز روی این دستگاه نیست. یک بار با اینترنت آن را باز کنید؛ از آن پس بدون اینترنت هم باز می‌شود.",
                "The staff screens are not on this device yet. Open them once while online; after that they open offline too.",
            )}</p>
        </section>
    }
}
