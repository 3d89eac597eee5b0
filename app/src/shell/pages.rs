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

/// An address whose screens are in another bundle, which the server
/// serves there: any /staff address in the citizens' bundle, a committee's
/// or the administrators' area in a field device's. Reaching this means
/// the page was opened offline on a device that has never loaded them.
#[cfg(not(feature = "staff"))]
#[component]
pub fn Elsewhere() -> impl IntoView {
    // Online (or the network came back): load the other bundle — once per
    // address, so a server that cannot serve it yet does not start a loop.
    const TRIED: &str = "didar.elsewhere_reload_tried";
    let storage = window().session_storage().ok().flatten();
    let path = window().location().pathname().unwrap_or_default();
    let tried = storage
        .as_ref()
        .is_some_and(|storage| storage.get_item(TRIED).ok().flatten() == Some(path.clone()));
    if window().navigator().on_line() && !tried {
        if let Some(storage) = &storage {
            let _ = storage.set_item(TRIED, &path);
        }
        let _ = window().location().reload();
    }
    view! {
        <section class="card">
            <h1>{tr("این بخش هنوز اینجا نیست", "Not on this device yet")}</h1>
            <p data-testid="staff-elsewhere">{tr(
                "این بخش هنوز روی این دستگاه نیست. یک بار با اینترنت آن را باز کنید؛ از آن پس بدون اینترنت هم باز می‌شود.",
                "These screens are not on this device yet. Open them once while online; after that they open offline too.",
            )}</p>
        </section>
    }
}
