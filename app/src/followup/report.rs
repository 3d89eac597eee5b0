//! The report to the mayor's office for one meeting
//! (`/staff/followup/report/{meeting}`): every referral with its deputy,
//! its result and whether it came in time, with the totals — from the
//! forms on this device, so offline too (labelled with the day it stands
//! on); printed on A4 or downloaded as CSV.

use domain::followup::MayorReport;
use domain::i18n::Lang;
use domain::ids::MeetingId;
use domain::sync::{MeetingRecord, RequestForm};
use domain::text::localize_digits;
use domain::time::{format_datetime, jalali_today};
use leptos::prelude::*;

use crate::checkin::{forms_of, meeting_record, once_read};
use crate::i18n::{tr, use_lang};
use crate::registration::topic_name;
use crate::store::StoreError;
use crate::sync::use_sync;
use crate::ui::SheetActions;
use crate::ui::controls::{DATA_UNREADABLE, MeetingNotHere};

async fn sheet(
    meeting: &MeetingId,
) -> Result<Option<(MeetingRecord, Vec<RequestForm>)>, StoreError> {
    let Some(record) = meeting_record(meeting).await? else {
        return Ok(None);
    };
    Ok(Some((record, forms_of(meeting).await?)))
}

#[component]
pub fn ReportScreen(meeting: MeetingId) -> impl IntoView {
    let sync = use_sync();
    let meeting = StoredValue::new(meeting);
    let loaded = LocalResource::new(move || async move {
        sync.revision.track();
        sheet(&meeting.get_value()).await
    });
    view! {
        <p class="no-print"><a href="/staff/followup">{tr("بازگشت به پیگیری", "Back to the follow-up")}</a></p>
        {move || once_read(loaded.get(), DATA_UNREADABLE, |sheet| match sheet {
            None => view! { <MeetingNotHere test_id="report-unknown"/> }.into_any(),
            Some((record, forms)) => view! { <ReportSheet record forms/> }.into_any(),
        })}
    }
}

#[component]
fn ReportSheet(record: MeetingRecord, forms: Vec<RequestForm>) -> impl IntoView {
    let lang = use_lang();
    let plan = record.meeting.plan;
    let starts = plan.starts_at;
    let today = jalali_today(crate::clock::server_now());
    let report = StoredValue::new(MayorReport::of(&forms, today));
    let csv = move || {
        let lang = lang.get();
        report.with_value(|report| report.csv(|deputy| topic_name(deputy.as_str(), lang), lang))
    };
    let venue = plan.venue;
    let figure = move |n: usize, lang: Lang| localize_digits(&n.to_string(), lang);
    view! {
        <h1>{tr("گزارش پیگیری به دفتر شهردار", "Follow-up report to the mayor's office")}</h1>
        <p class="lead">
            {move || localize_digits(&venue, lang.get())}
            " — "
            <time datetime=starts.to_rfc3339()>{move || format_datetime(starts, lang.get())}</time>
        </p>
        // What the figures stand on: this device's last sync.
        <p data-testid="report-as-of">{move || match lang.get() {
            Lang::Fa => format!("وضعیت تا {}، از داده‌های این دستگاه در آخرین همگام‌سازی.", today.format(Lang::Fa)),
            Lang::En => format!("As of {}, from this device's data at its last sync.", today.format(Lang::En)),
        }}</p>
        <SheetActions name="report" file="followup-report.csv" csv/>
        {move || report.with_value(|report| {
            let lang = lang.get();
            let tally = report.tally;
            view! {
                <p data-testid="report-totals">{match lang {
                    Lang::Fa => format!(
                        "{} ارجاع: {} پاسخ در مهلت، {} پاسخ پس از مهلت، {} گذشته از مهلت و بی‌نتیجه، {} هنوز در مهلت.",
                        figure(report.rows.len(), lang), figure(tally.answered_on_time, lang),
                        figure(tally.answered_late, lang), figure(tally.overdue, lang), figure(tally.not_yet_due, lang)),
                    Lang::En => format!(
                        "{} referrals: {} answered on time, {} answered late, {} overdue with no result, {} not yet due.",
                        report.rows.len(), tally.answered_on_time, tally.answered_late, tally.overdue, tally.not_yet_due),
                }}</p>
                <table class="table agenda-table" data-testid="report-table">
                    <thead><tr>
                        <th scope="col">{tr("ردیف", "No.")}</th>
                        <th scope="col">{tr("معاونت", "Deputy")}</th>
                        <th scope="col">{tr("نام", "Name")}</th>
                        <th scope="col">{tr("مهلت", "Due")}</th>
                        <th scope="col">{tr("نتیجه", "Result")}</th>
                        <th scope="col">{tr("در مهلت", "On time")}</th>
                        <th scope="col">{tr("شرح", "Note")}</th>
                    </tr></thead>
                    <tbody>
                        {report.rows.iter().enumerate().map(|(n, row)| view! {
                            <tr data-testid="report-row">
                                <td>{figure(n + 1, lang)}</td>
                                <td>{topic_name(row.deputy.as_str(), lang)}</td>
                                <td>{row.full_name.clone()}</td>
                                <td>{row.due.format_numeric(lang)}</td>
                                <td>{row.result_text(lang)}</td>
                                <td>{row.timeliness.label(lang)}</td>
                                <td>{row.note.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }
        })}
    }
}
