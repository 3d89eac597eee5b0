//! The districts' existing case files, imported from each district's
//! spreadsheet for the executive committee to link requests to.

use leptos::prelude::*;

use super::import::{SpreadsheetImport, Table};
use crate::i18n::tr;

static CASE_FILES: Table = Table {
    path: "case-files",
    columns: domain::case_files::COLUMNS,
    added: ("پروندهٔ تازه", "new"),
};

#[component]
pub fn CaseFiles() -> impl IntoView {
    view! {
        <section aria-labelledby="case-files-title">
            <h2 id="case-files-title">{tr("پرونده‌های منطقه", "The district's case files")}</h2>
            <p class="hint">{tr(
                "پرونده‌های موجود منطقه را از صفحه‌گستردهٔ آن (فایل CSV) وارد کنید تا کمیتهٔ اجرایی هر درخواست را به پروندهٔ قدیمی‌اش پیوند دهد. ستون‌ها با عنوانشان شناخته می‌شوند؛ رقم‌ها فارسی یا لاتین. اگر سطری نادرست باشد هیچ سطری وارد نمی‌شود و همهٔ سطرهای نادرست با شماره‌شان فهرست می‌شوند. وارد کردن دوبارهٔ همان فایل، پرونده‌های موجود را به‌روز می‌کند و تکراری نمی‌سازد.",
                "Import the district's existing case files from its spreadsheet (CSV) so the executive committee can link each request to its old case. Columns are found by their headers; digits may be Persian or Latin. If any row is wrong nothing is imported and every wrong row is listed with its line. Importing the same file again updates the files it has and adds no duplicates.",
            )}</p>
            <SpreadsheetImport table=&CASE_FILES district=RwSignal::new(String::new()) revision=RwSignal::new(0)/>
        </section>
    }
}
