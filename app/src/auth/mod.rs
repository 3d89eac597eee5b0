//! Staff sign-in, sessions and the signed-in profile kept for offline work
//! (DESIGN §3, §6).

use leptos::prelude::*;

use crate::shell::Coming;

#[component]
pub fn SignInPage() -> impl IntoView {
    view! {
        <Coming
            title=("ورود کارکنان", "Staff sign-in")
            body=(
                "ورود با نام کاربری و گذرواژه‌ای که مدیر سامانه به شما داده است، به‌زودی.",
                "Sign-in with the username and password your administrator gave you, soon.",
            )
        />
    }
}
