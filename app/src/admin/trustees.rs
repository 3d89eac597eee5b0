//! Each district's local trustees (معتمدین محلی): the list administrators
//! keep by importing the district's spreadsheet, shown below it. The
//! screening committee invites from it to each meeting.

use domain::district::DistrictId;
use domain::text::localize_digits;
use domain::trustees::Trustee;
use leptos::prelude::*;

use super::import::{SpreadsheetImport, Table};
use crate::api;
use crate::i18n::{tr, use_lang};
use crate::ui::district_field::chosen_district;
use crate::ui::table::{Column, DataTable};

static TRUSTEES: Table = Table {
    path: "trustees",
    columns: domain::trustees::COLUMNS,
    added: ("معتمد تازه", "new"),
};

#[component]
pub fn Trustees() -> impl IntoView {
    let lang = use_lang();
    let district = RwSignal::new(String::new());
    let revision = RwSignal::new(0u32);
    let rows = LocalResource::new(move || {
        revision.track();
        let chosen: Option<DistrictId> = chosen_district(&district.get());
        async move {
            match chosen {
                Some(district) => {
                    api::get::<Vec<Trustee>>(&format!("/api/admin/trustees/{}", district.number()))
                        .await
                }
                None => Ok(Vec::new()),
            }
        }
    });
    view! {
        <section aria-labelledby="trustees-title">
            <h2 id="trustees-title">{tr("معتمدین محلی", "Local trustees")}</h2>
            <p class="hint">{tr(
                "فهرست معتمدین هر منطقه را از صفحه‌گسترده‌اش (فایل CSV: نام و نام خانوادگی، شمارهٔ همراه، محله، گروه) وارد کنید. هر معتمد با شمارهٔ همراهش شناخته می‌شود: وارد کردن دوبارهٔ فهرست، معتمدان موجود را به‌روز می‌کند. کمیتهٔ تشخیص از همین فهرست برای هر دیدار دعوت می‌کند.",
                "Import each district's list of trustees from its spreadsheet (CSV: full name, mobile, neighbourhood, group). Each trustee is known by their mobile: importing the list again updates those already on it. The screening committee invites to each meeting from this list.",
            )}</p>
            <SpreadsheetImport table=&TRUSTEES district revision/>
            <DataTable
                testid="trustees"
                columns=vec![
                    Column::new("نام", "Name"),
                    Column::new("همراه", "Mobile"),
                    Column::new("محله", "Neighbourhood"),
                    Column::new("گروه", "Group"),
                ]
                rows
                key=|trustee: &Trustee| (trustee.id.clone(), trustee.neighbourhood.clone(), trustee.group.clone())
                row=move |trustee: Trustee| {
                    let digits = format!("…{}", trustee.mobile_last4.as_str());
                    view! {
                        <tr>
                            <td>{trustee.full_name.clone()}</td>
                            <td class="ltr">{move || localize_digits(&digits, lang.get())}</td>
                            <td>{trustee.neighbourhood.clone()}</td>
                            <td>{trustee.group.clone()}</td>
                        </tr>
                    }
                }
                empty=("منطقه‌ای را برگزینید؛ اگر فهرستی وارد نشده باشد، این‌جا خالی است.", "Choose a district; if no list was imported, this is empty.")
            />
        </section>
    }
}
