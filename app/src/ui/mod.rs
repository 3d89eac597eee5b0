//! Views every capability shares: form fields (`field`, and the staff
//! forms' `controls`), the data table of staff lists (`table`), and the
//! "coming" and "not found" screens.

#[cfg(feature = "field")]
pub mod controls;
#[cfg(feature = "staff")]
pub mod district_field;
pub mod field;
#[cfg(feature = "staff")]
pub mod table;

use leptos::prelude::*;

use crate::i18n::tr;

/// A screen whose capability is being built: it stands where it will be
/// used, and says so plainly.
#[cfg(feature = "field")]
#[component]
pub fn Coming(
    title: (&'static str, &'static str),
    body: (&'static str, &'static str),
) -> impl IntoView {
    view! {
        <section class="card" data-testid="coming">
            <h1>{tr(title.0, title.1)}</h1>
            <p>{tr(body.0, body.1)}</p>
            <p class="badge">{tr("به‌زودی", "Coming soon")}</p>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card">
            <h1>{tr("این صفحه پیدا نشد", "Page not found")}</h1>
            <p>
                <a href="/">{tr("بازگشت به صفحهٔ اصلی", "Back to the home page")}</a>
            </p>
        </section>
    }
}
