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
