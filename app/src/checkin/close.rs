//! Closing a meeting after the day (the screening committee or an
//! administrator): the invited citizens this device shows as never checked
//! in become no-shows. A check-in that reaches the server later still
//! counts — the citizen came — so closing early loses nothing.

use domain::auth::{Profile, Role};
use domain::i18n::Lang;
use domain::ids::MeetingId;
use domain::sync::{Attendee, Command, MeetingRecord};
use domain::text::localize_digits;
use domain::time::format_datetime;
use leptos::prelude::*;

use crate::i18n::{tr, use_lang};
use crate::sync::{self, use_sync};

/// Who may close: the roles `Command::CloseMeeting` names, in the
/// meeting's district.
fn may_close(profile: &Profile, meeting: &MeetingRecord) -> bool {
    let district = meeting.meeting.plan.district;
    profile.grants.iter().any(|grant| {
        grant.allows(Role::ScreeningCommittee, district)
            || grant.allows(Role::Administrator, district)
    })
}

/// The invited citizens not checked in: who the closing marks absent.
fn absent(roster: &[Attendee]) -> Vec<&Attendee> {
    roster
        .iter()
        .filter(|a| a.registration.is_some() && a.expected() && a.present_since().is_none())
        .collect()
}

#[component]
pub fn CloseMeeting(profile: Profile, meeting: MeetingId, roster: Vec<Attendee>) -> impl IntoView {
    let sync = use_sync();
    let lang = use_lang();
    let meeting = StoredValue::new(meeting);
    let record = LocalResource::new(move || async move {
        sync.revision.track();
        super::meeting_record(&meeting.get_value())
            .await
            .ok()
            .flatten()
    });
    let sender = sync::use_command();
    let absent_ids: Vec<_> = absent(&roster).iter().map(|a| a.id.clone()).collect();
    let count = absent_ids.len();
    let absent_ids = StoredValue::new(absent_ids);
    let number = move |n: usize| localize_digits(&n.to_string(), lang.get());
    let close = move |_| {
        sender.send_with(
            Command::CloseMeeting {
                meeting: meeting.get_value(),
                absent: absent_ids.get_value(),
            },
            Vec::new(),
        );
    };
    move || {
        let record = record.get().flatten()?;
        if let Some(closure) = record.closed {
            let at = closure.at;
            return Some(view! {
                <section class="card" aria-labelledby="close-title">
                    <h2 id="close-title">{tr("بستن دیدار", "Closing the meeting")}</h2>
                    <p class="state state-received" data-testid="meeting-closed">{move || match lang.get() {
                        Lang::Fa => format!("این دیدار {} بسته شد؛ {} نفر غایب ثبت شدند.",
                            format_datetime(at, Lang::Fa), number(closure.no_shows)),
                        Lang::En => format!("This meeting was closed on {}; {} marked as no-shows.",
                            format_datetime(at, Lang::En), closure.no_shows),
                    }}</p>
                </section>
            }.into_any());
        }
        if !may_close(&profile, &record) {
            return None;
        }
        Some(view! {
            <section class="card" aria-labelledby="close-title">
                <h2 id="close-title">{tr("بستن دیدار", "Closing the meeting")}</h2>
                <p data-testid="close-absent">{move || match lang.get() {
                    Lang::Fa => format!(
                        "{} شهروند دعوت‌شده در این دستگاه ورودی ندارند و با بستن دیدار «غایب» ثبت می‌شوند. ورودی که دیرتر از دستگاه دیگری برسد همچنان حضور حساب می‌شود.",
                        number(count)),
                    Lang::En => format!(
                        "{count} invited citizens have no check-in on this device and are marked as no-shows when the meeting is closed. A check-in that arrives later from another device still counts as attendance."),
                }}</p>
                <p class="hint">{tr(
                    "پیش از بستن، همهٔ دستگاه‌های درِ ورود را همگام کنید.",
                    "Before closing, have every door device sync.",
                )}</p>
                <p class="error" role="alert">{sender.error()}</p>
                <button class="button button-danger" type="button" data-testid="close-meeting"
                    disabled=sender.busy() on:click=close>
                    {tr("بستن دیدار", "Close the meeting")}
                </button>
            </section>
        }.into_any())
    }
}
