//! The SMS the server sent or is sending (the citizens' invitations):
//! with the log gateway, where they are read; with a provider, where a
//! message that could not be sent says why.

use domain::calls::SmsMessage;
use domain::i18n::Lang;
use leptos::prelude::*;

use crate::api;
use crate::i18n::{tr, use_lang};
use crate::ui::table::{Column, DataTable};

#[component]
pub fn SmsLog(revision: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let rows = LocalResource::new(move || {
        revision.track();
        async move { api::get::<Vec<SmsMessage>>("/api/admin/sms").await }
    });
    view! {
        <section aria-labelledby="sms-title">
            <h2 id="sms-title">{tr("پیامک‌ها", "Text messages")}</h2>
            <p class="hint">{tr(
                "دعوت‌نامه‌های پیامکی شهروندان، تازه‌ترین نخست. هر پیام یک بار فرستاده می‌شود؛ اگر نشد، دوباره تلاش می‌شود و دلیلش این‌جا می‌آید.",
                "The citizens' text invitations, newest first. Each is sent once; if sending fails it is tried again, and why is shown here.",
            )}</p>
            <DataTable
                testid="sms"
                columns=vec![
                    Column::new("زمان", "Queued"),
                    Column::new("گیرنده", "To"),
                    Column::new("متن", "Text"),
                    Column::new("وضعیت", "State"),
                ]
                rows
                key=|row: &SmsMessage| (row.id, row.state.clone(), row.attempts)
                row=move |row: SmsMessage| {
                    let at = row.queued_at;
                    let state = row.state.clone();
                    let attempts = row.attempts;
                    let problem = row.last_error.clone().unwrap_or_default();
                    view! {
                        <tr data-state=row.state.clone()>
                            <td title=domain::time::format_gregorian(at)>{move || domain::time::format_datetime(at, lang.get())}</td>
                            <td class="ltr">{move || domain::text::localize_digits(&row.mobile, lang.get())}</td>
                            <td>{row.body.clone()}</td>
                            <td>
                                {move || state_name(&state, lang.get())}
                                {(attempts > 1).then(|| view! {
                                    <span class="meta">{move || match lang.get() {
                                        Lang::Fa => format!(" ({} بار)", domain::text::localize_digits(&attempts.to_string(), Lang::Fa)),
                                        Lang::En => format!(" ({attempts} tries)"),
                                    }}</span>
                                })}
                                {(!problem.is_empty()).then(|| view! { <br/><span class="meta ltr">{problem.clone()}</span> })}
                            </td>
                        </tr>
                    }
                }
                empty=("هنوز پیامکی نیست.", "No text messages yet.")
            />
        </section>
    }
}

fn state_name(state: &str, lang: Lang) -> &'static str {
    match (state, lang) {
        ("sent", Lang::Fa) => "فرستاده شد",
        ("sent", Lang::En) => "Sent",
        ("failed", Lang::Fa) => "فرستاده نشد",
        ("failed", Lang::En) => "Not sent",
        ("sending", Lang::Fa) => "در حال فرستادن",
        ("sending", Lang::En) => "Sending",
        (_, Lang::Fa) => "در صف",
        (_, Lang::En) => "Queued",
    }
}
