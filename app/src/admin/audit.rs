//! The audit log: who did what, when, from which device; filtered and
//! exported.

use domain::auth::AuditEntry;
use leptos::prelude::*;

use crate::api;
use crate::i18n::{tr, use_lang};
use crate::ui::table::{Column, DataTable};

#[component]
pub fn AuditLog(revision: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let action = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let query = move || {
        let encode = |text: String| String::from(js_sys::encode_uri_component(&text));
        format!(
            "action={}&user={}",
            encode(action.get()),
            encode(user.get())
        )
    };
    let rows = LocalResource::new(move || {
        revision.track();
        let path = format!("/api/admin/audit?{}", query());
        async move { api::get::<Vec<AuditEntry>>(&path).await }
    });
    view! {
        <section aria-labelledby="audit-title">
            <h2 id="audit-title">{tr("گزارش رویدادها", "Audit log")}</h2>
            <div class="field">
                <label for="audit-action">{tr("فقط این کار (مثلاً sign_in)", "Only this action (e.g. sign_in)")}</label>
                <input id="audit-action" class="ltr" prop:value=move || action.get() on:change=move |event| action.set(event_target_value(&event))/>
            </div>
            <div class="field">
                <label for="audit-user">{tr("فقط این کاربر (نام کاربری)", "Only this user (username)")}</label>
                <input id="audit-user" class="ltr" prop:value=move || user.get() on:change=move |event| user.set(event_target_value(&event))/>
            </div>
            <p><a href=move || format!("/api/admin/audit?format=csv&{}", query()) download="didar-audit.csv">{tr("دریافت CSV", "Download CSV")}</a></p>
            <DataTable
                testid="audit"
                columns=vec![
                    Column::new("زمان", "Time"),
                    Column::new("کار", "Action"),
                    Column::new("کاربر", "User"),
                    Column::new("دستگاه", "Device"),
                    Column::new("مورد", "Target"),
                ]
                rows
                key=|row: &AuditEntry| row.id
                row=move |row: AuditEntry| {
                    let at = row.at;
                    let device = row.device_name.unwrap_or_default();
                    view! {
                        <tr>
                            <td title=domain::time::format_gregorian(at)>{move || domain::time::format_datetime(at, lang.get())}</td>
                            <td class="ltr">{row.action}</td>
                            <td class="ltr">{row.username.unwrap_or_default()}</td>
                            <td>{move || domain::text::localize_digits(&device, lang.get())}</td>
                            <td class="ltr">{row.target.unwrap_or_default()}</td>
                        </tr>
                    }
                }
                empty=("رویدادی با این شرط‌ها نیست.", "No events match.")
            />
        </section>
    }
}
