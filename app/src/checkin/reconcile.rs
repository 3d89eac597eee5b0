//! What happened at a meeting's doors (issue 12, after the day): the
//! counts, each door's check-ins, the people admitted at two doors before
//! the devices could know, the walk-ins for the committee to confirm, and
//! the check-ins undone with their reasons, and the request forms whose
//! versions from several devices disagree — from the roster and forms as
//! synced, so every device says the same once it has synced.

use domain::auth::{Profile, Role};
use domain::checkin::reconcile;
use domain::i18n::Lang;
use domain::ids::MeetingId;
use domain::sync::Attendee;
use domain::text::localize_digits;
use domain::time::format_clock;
use leptos::prelude::*;

use crate::i18n::{tr, use_lang};
use crate::sync::{SyncPanel, use_sync};

#[component]
pub fn Reconciliation(profile: Profile, meeting: MeetingId) -> impl IntoView {
    let sync = use_sync();
    let lang = use_lang();
    let meeting = StoredValue::new(meeting);
    let device = StoredValue::new(profile.device_id.clone());
    let at_the_door = crate::session::holds(&profile, Role::FieldStaff)
        || crate::session::holds(&profile, Role::Administrator);
    let profile = StoredValue::new(profile);
    let roster = LocalResource::new(move || async move {
        sync.revision.track();
        let meeting = meeting.get_value();
        let attendees: Vec<Attendee> = super::attendees_of(&meeting)
            .await?
            .into_iter()
            .map(|(attendee, _)| attendee)
            .collect();
        Ok::<_, crate::store::StoreError>((attendees, super::forms_of(&meeting).await?))
    });
    let number = move |n: usize| localize_digits(&n.to_string(), lang.get());
    view! {
        <h1>{tr("گزارش روز دیدار", "Meeting-day report")}</h1>
        // The committee reads the report from its own area; the door is
        // field staff's.
        {at_the_door.then(|| view! {
            <p><a href=move || format!("/staff/checkin/door/{}", meeting.get_value())>
                {tr("بازگشت به پذیرش", "Back to the door")}
            </a></p>
        })}
        <p class="lead">{tr(
            "این گزارش از فهرست همگام‌شدهٔ همین دستگاه است؛ پس از همگام‌سازی همهٔ دستگاه‌ها، همه یک چیز نشان می‌دهند.",
            "This report is built from this device's synced roster; once every device has synced, all show the same.",
        )}</p>
        {move || super::once_read(roster.get(), super::ROSTER_UNREADABLE, |(attendees, forms)| {
                let closing = view! {
                    <super::close::CloseMeeting profile=profile.get_value() meeting=meeting.get_value()
                        roster=attendees.clone()/>
                };
                let report = reconcile(&attendees, &forms, &device.get_value());
                let counts = report.counts;
                view! {
                    <section class="card" aria-labelledby="reconcile-totals">
                        <h2 id="reconcile-totals">{tr("شمار کل", "Totals")}</h2>
                        <p data-testid="reconcile-totals">
                            {move || match lang.get() {
                                Lang::Fa => format!(
                                    "حاضر: {} از {} دعوت‌شده، و {} بدون نوبت",
                                    number(counts.present), number(counts.expected), number(counts.walk_ins)),
                                Lang::En => format!(
                                    "Present: {} of {} expected, and {} walk-ins",
                                    counts.present, counts.expected, counts.walk_ins),
                            }}
                        </p>
                        <table class="table" data-testid="reconcile-doors">
                            <thead><tr>
                                <th scope="col">{tr("ورودی", "Door")}</th>
                                <th scope="col">{tr("دستگاه", "Device")}</th>
                                <th scope="col">{tr("ورودها", "Check-ins")}</th>
                                <th scope="col">{tr("نخستین ورودِ هر نفر", "First check-in of a person")}</th>
                            </tr></thead>
                            <tbody>
                                {report.doors.into_iter().map(|door| {
                                    view! {
                                        <tr>
                                            <td>{if door.door.is_empty() { tr("(بی‌نام)", "(unnamed)")().to_string() } else { door.door.clone() }}</td>
                                            <td class="ltr">{super::device_tail(&door.device)}</td>
                                            <td>{move || number(door.check_ins)}</td>
                                            <td>{move || number(door.first)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                    <section class="card" aria-labelledby="reconcile-twice">
                        <h2 id="reconcile-twice">{tr("پذیرش‌شده در بیش از یک ورودی", "Admitted at more than one door")}</h2>
                        {report.admitted_twice.is_empty().then(|| view! { <p>{tr("هیچ‌کس.", "Nobody.")}</p> })}
                        <ul data-testid="reconcile-twice">
                            {report.admitted_twice.into_iter().map(|attendee| {
                                let facts: Vec<String> = attendee.check_ins.iter()
                                    .filter(|fact| fact.undone.is_none())
                                    .map(|fact| format!("{} {}", format_clock(fact.at, lang.get_untracked()), fact.door))
                                    .collect();
                                view! { <li><strong>{attendee.full_name.clone()}</strong> ": " {facts.join(match lang.get_untracked() { Lang::Fa => "، ", Lang::En => ", " })}</li> }
                            }).collect_view()}
                        </ul>
                    </section>
                    <section class="card" aria-labelledby="reconcile-walk-ins">
                        <h2 id="reconcile-walk-ins">{tr("بدون نوبت (برای تأیید کمیته)", "Walk-ins (for the committee to confirm)")}</h2>
                        {report.walk_ins.is_empty().then(|| view! { <p>{tr("هیچ‌کس.", "Nobody.")}</p> })}
                        <ul data-testid="reconcile-walk-ins">
                            {report.walk_ins.into_iter().map(|attendee| {
                                let kind = attendee.attendee_kind;
                                let first = attendee.present_since().map(|fact| format!("{} {}", format_clock(fact.at, lang.get_untracked()), fact.door));
                                view! { <li><strong>{attendee.full_name.clone()}</strong> " — " {move || kind.name(lang.get())} {first.map(|f| format!(" — {f}"))}</li> }
                            }).collect_view()}
                        </ul>
                    </section>
                    <section class="card" aria-labelledby="reconcile-forms">
                        <h2 id="reconcile-forms">{tr("فرم‌های درخواست", "Request forms")}</h2>
                        <p data-testid="reconcile-form-counts">{move || match lang.get() {
                            Lang::Fa => format!("{} فرم، {} ارجاع", number(report.forms), number(report.referrals)),
                            Lang::En => format!("{} forms, {} referrals", report.forms, report.referrals),
                        }}</p>
                        <h3>{tr("نسخه‌های ناهمخوان (باید یکی برگزیده شود)", "Conflicting versions (someone must choose)")}</h3>
                        {report.forms_in_conflict.is_empty().then(|| view! { <p>{tr("هیچ.", "None.")}</p> })}
                        <ul data-testid="reconcile-form-conflicts">
                            {report.forms_in_conflict.into_iter().map(|form| {
                                let href = format!("/staff/checkin/form/{}", form.id);
                                let versions = form.versions.len();
                                view! { <li><a href=href><strong>{form.full_name.clone()}</strong></a> " — " {move || match lang.get() {
                                    Lang::Fa => format!("{} نسخه", number(versions)),
                                    Lang::En => format!("{versions} versions"),
                                }}</li> }
                            }).collect_view()}
                        </ul>
                        <h3>{tr("ویرایش‌شده روی چند دستگاه", "Edited on several devices")}</h3>
                        {report.forms_shared.is_empty().then(|| view! { <p>{tr("هیچ.", "None.")}</p> })}
                        <ul data-testid="reconcile-form-shared">
                            {report.forms_shared.into_iter().map(|form| {
                                let edits: Vec<String> = form.edits.iter().map(|edit| {
                                    let chose = if edit.resolved { tr(" (برگزیدن)", " (choice)")() } else { "" };
                                    format!("{} {}{chose}", format_clock(edit.at, lang.get_untracked()), super::device_tail(&edit.device))
                                }).collect();
                                view! { <li><strong>{form.full_name.clone()}</strong> ": " {edits.join(match lang.get_untracked() { Lang::Fa => "، ", Lang::En => ", " })}</li> }
                            }).collect_view()}
                        </ul>
                    </section>
                    <section class="card" aria-labelledby="reconcile-undone">
                        <h2 id="reconcile-undone">{tr("ورودهای لغوشده", "Check-ins undone")}</h2>
                        {report.undone.is_empty().then(|| view! { <p>{tr("هیچ.", "None.")}</p> })}
                        <ul data-testid="reconcile-undone">
                            {report.undone.into_iter().map(|(attendee, fact)| {
                                let reason = fact.undone.as_ref().map(|undo| undo.reason.clone()).unwrap_or_default();
                                view! { <li><strong>{attendee.full_name.clone()}</strong> " — " {fact.door.clone()} " — " {reason}</li> }
                            }).collect_view()}
                        </ul>
                    </section>
                    {closing}
                }.into_any()
        })}
        <SyncPanel/>
    }
}
