//! Views every capability shares: form fields (`field`, and the staff
//! forms' `controls`), the data table of staff lists (`table`), a printed
//! sheet's actions, and the "not found" and "in another bundle" screens.

#[cfg(feature = "field")]
pub mod controls;
#[cfg(feature = "staff")]
pub mod district_field;
pub mod field;
#[cfg(feature = "staff")]
pub mod table;

use leptos::prelude::*;

use crate::i18n::tr;

/// A link target that downloads `csv` as a file a spreadsheet opens as
/// UTF-8 (with a byte-order mark, which Excel needs to read Persian).
#[cfg(feature = "staff")]
pub fn csv_href(csv: &str) -> String {
    format!(
        "data:text/csv;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&format!("\u{FEFF}{csv}")))
    )
}

/// A printable sheet's actions (kept off paper): print it on A4, or
/// download it as `file`, a CSV whose data link `csv` makes. Test ids are
/// `{name}-print` and `{name}-csv`.
#[cfg(feature = "staff")]
#[component]
pub fn SheetActions(
    name: &'static str,
    file: &'static str,
    csv: impl Fn() -> String + Send + Sync + 'static,
) -> impl IntoView {
    let print = |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <div class="actions no-print">
            <button class="button" type="button" on:click=print data-testid=format!("{name}-print")>{tr("چاپ", "Print")}</button>
            <a class="button button-secondary" href=move || csv_href(&csv()) download=file data-testid=format!("{name}-csv")>
                {tr("دریافت CSV", "Download CSV")}
            </a>
        </div>
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

/// An address whose screens are in another bundle, which the server
/// serves there: any /staff address in the citizens' bundle, the
/// citizens' pages in a staff bundle, a committee's or the
/// administrators' area in a field device's. Reaching this means the page
/// was opened offline on a device that has never loaded them.
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
