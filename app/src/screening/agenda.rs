//! A meeting's agenda (`/staff/screening/agenda/{meeting}`): per deputy's
//! table, the citizens in the order they are expected with their
//! summaries, case files and where the 137 call stands, then the local
//! trustees — from the device's synced roster, so offline too; printed on
//! A4 (the page's chrome stays off paper) or downloaded as CSV.

use domain::i18n::Lang;
use domain::ids::{DeputySlug, MeetingId};
use domain::screening::Agenda;
use domain::sync::{Attendee, MeetingRecord};
use domain::text::localize_digits;
use domain::time::{format_clock, format_datetime};
use leptos::prelude::*;

use crate::checkin::{attendees_of, meeting_record, once_read};
use crate::i18n::{tr, use_lang};
use crate::registration::topic_name;
use crate::store::StoreError;
use crate::sync::use_sync;
use crate::ui::SheetActions;
use crate::ui::controls::{DATA_UNREADABLE, MeetingNotHere};

async fn sheet(meeting: &MeetingId) -> Result<Option<(MeetingRecord, Vec<Attendee>)>, StoreError> {
    let Some(record) = meeting_record(meeting).await? else {
        return Ok(None);
    };
    let roster = attendees_of(meeting)
        .await?
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    Ok(Some((record, roster)))
}

fn table_name(deputy: Option<&DeputySlug>, lang: Lang) -> String {
    match deputy {
        Some(deputy) => topic_name(deputy.as_str(), lang),
        None => tr("بدون ارجاع به معاونت", "Not routed to a deputy")().to_string(),
    }
}

#[component]
pub fn AgendaScreen(meeting: MeetingId) -> impl IntoView {
    let sync = use_sync();
    let meeting = StoredValue::new(meeting);
    let loaded = LocalResource::new(move || async move {
        sync.revision.track();
        sheet(&meeting.get_value()).await
    });
    view! {
        <p class="no-print"><a href="/staff/screening">{tr("بازگشت به کمیتهٔ تشخیص", "Back to the screening committee")}</a></p>
        {move || once_read(loaded.get(), DATA_UNREADABLE, |sheet| match sheet {
            None => view! { <MeetingNotHere test_id="agenda-unknown"/> }.into_any(),
            Some((record, roster)) => view! { <AgendaSheet record roster/> }.into_any(),
        })}
    }
}

#[component]
fn AgendaSheet(record: MeetingRecord, roster: Vec<Attendee>) -> impl IntoView {
    let lang = use_lang();
    let plan = record.meeting.plan.clone();
    let starts = plan.starts_at;
    let roster = StoredValue::new(roster);
    let csv = move || {
        roster.with_value(|roster| {
            let lang = lang.get();
            Agenda::of(roster).csv(|deputy| table_name(deputy, lang), lang)
        })
    };
    let venue = plan.venue.clone();
    view! {
        <h1>{tr("دستور کار دیدار مردمی شهردار", "Agenda of the mayor's public meeting")}</h1>
        <p class="lead">
            {move || localize_digits(&venue, lang.get())}
            " — "
            <time datetime=starts.to_rfc3339()>{move || format_datetime(starts, lang.get())}</time>
        </p>
        <SheetActions name="agenda" file="agenda.csv" csv/>
        {move || roster.with_value(|roster| {
            let agenda = Agenda::of(roster);
            let lang = lang.get();
            let count = agenda.tables.iter().map(|t| t.attendees.len()).sum::<usize>();
            view! {
                <p data-testid="agenda-count">{match lang {
                    Lang::Fa => format!("{} شهروند در {} میز، و {} معتمد محلی.",
                        localize_digits(&count.to_string(), lang),
                        localize_digits(&agenda.tables.len().to_string(), lang),
                        localize_digits(&agenda.trustees.len().to_string(), lang)),
                    Lang::En => format!("{count} citizens at {} tables, and {} local trustees.",
                        agenda.tables.len(), agenda.trustees.len()),
                }}</p>
                {agenda.tables.iter().map(|table| view! {
                    <section class="agenda-section" data-testid="agenda-table">
                        <h2>{table_name(table.deputy, lang)}</h2>
                        <table class="table agenda-table">
                            <thead><tr>
                                <th scope="col">{tr("ردیف", "No.")}</th>
                                <th scope="col">{tr("ساعت", "Time")}</th>
                                <th scope="col">{tr("نام و کد رهگیری", "Name and tracking code")}</th>
                                <th scope="col">{tr("خلاصه", "Summary")}</th>
                                <th scope="col">{tr("پرونده‌ها", "Case files")}</th>
                                <th scope="col">{tr("تماس ۱۳۷", "137 call")}</th>
                            </tr></thead>
                            <tbody>
                                {table.attendees.iter().enumerate().map(|(n, attendee)| view! {
                                    <tr data-testid="agenda-row">
                                        <td>{localize_digits(&(n + 1).to_string(), lang)}</td>
                                        <td>{attendee.slot.map(|slot| format_clock(slot, lang))}</td>
                                        <td>
                                            {attendee.full_name.clone()}
                                            {attendee.tracking_code.map(|code| view! { <br/><span class="ltr meta">{code.display()}</span> })}
                                        </td>
                                        <td>{attendee.summary.clone()}</td>
                                        <td class="ltr">{attendee.case_files.iter().map(|c| c.as_str()).collect::<Vec<_>>().join("، ")}</td>
                                        <td>{attendee.call_state().label(lang)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                }).collect_view()}
                {(!agenda.trustees.is_empty()).then(|| view! {
                    <section class="agenda-section" data-testid="agenda-trustees">
                        <h2>{tr("معتمدین محلی", "Local trustees")}</h2>
                        <ol class="seated-list">
                            {agenda.trustees.iter().map(|t| view! { <li>{t.full_name.clone()}</li> }).collect_view()}
                        </ol>
                    </section>
                })}
            }
        })}
    }
}
