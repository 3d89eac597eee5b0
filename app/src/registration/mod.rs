//! The citizen's side: registering to meet the mayor and looking a request
//! up by tracking code and mobile (DESIGN §2 step 1).

use leptos::prelude::*;

use crate::shell::Coming;

#[component]
pub fn RegisterPage() -> impl IntoView {
    view! {
        <Coming
            title=("ثبت‌نام برای دیدار با شهردار", "Register to meet the mayor")
            body=(
                "فرم ثبت‌نام به‌زودی همین‌جا خواهد بود: نام، کد ملی، شمارهٔ همراه، منطقه و موضوع درخواست.",
                "The registration form will be here soon: name, national ID, mobile, district and topic.",
            )
        />
    }
}

#[component]
pub fn TrackPage() -> impl IntoView {
    view! {
        <Coming
            title=("پیگیری درخواست", "Track a request")
            body=(
                "به‌زودی با کد رهگیری و شمارهٔ همراه، وضعیت درخواستتان را همین‌جا می‌بینید.",
                "Soon you will see your request's status here with its tracking code and your mobile.",
            )
        />
    }
}
