//! The district meetings: planning and rescheduling.

use chrono::{NaiveDate, NaiveTime, Timelike};
use domain::district::DistrictId;
use domain::i18n::Lang;
use domain::jalali::JalaliDate;
use domain::meeting::{Meeting, MeetingPlan};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::DistrictSelect;
use crate::api;
use crate::i18n::{tr, use_lang};

#[component]
pub fn Meetings() -> impl IntoView {
    let lang = use_lang();
    let revision = RwSignal::new(0u32);
    let meetings = LocalResource::new(move || async move {
        revision.track();
        api::get::<Vec<Meeting>>("/api/admin/meetings").await.ok()
    });
    let district = RwSignal::new(6u8);
    let date = RwSignal::new(String::new());
    let time = RwSignal::new("10:00".to_string());
    let venue = RwSignal::new(String::new());
    let numbers = RwSignal::new((150u16, 100u16, 30u16));
    let outcome = RwSignal::new(None::<String>);
    // The meeting being rescheduled, if any; otherwise the form adds one.
    let editing = RwSignal::new(None::<String>);
    let edit = move |meeting: &Meeting| {
        let local = domain::time::tehran_local(meeting.plan.starts_at);
        district.set(meeting.plan.district.number());
        date.set(local.date_naive().to_string());
        time.set(format!("{:02}:{:02}", local.hour(), local.minute()));
        venue.set(meeting.plan.venue.clone());
        numbers.set((
            meeting.plan.capacity,
            meeting.plan.citizen_quota,
            meeting.plan.trustee_quota,
        ));
        outcome.set(None);
        editing.set(Some(meeting.id.clone()));
    };

    // The browser's date picker is Gregorian; the Jalali date is shown
    // beside it so nobody schedules the wrong day.
    let starts_at = move || {
        let day = NaiveDate::parse_from_str(&date.get(), "%Y-%m-%d").ok()?;
        let clock = NaiveTime::parse_from_str(&time.get(), "%H:%M").ok()?;
        let jalali = JalaliDate::from_gregorian(day).ok()?;
        domain::time::tehran_to_utc(jalali, clock.hour(), clock.minute())
    };
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let lang = lang.get_untracked();
        let Some(starts_at) = starts_at() else {
            outcome.set(Some(match lang {
                Lang::Fa => "تاریخ و ساعت دیدار را انتخاب کنید.".into(),
                Lang::En => "Choose the meeting's date and time.".into(),
            }));
            return;
        };
        let (capacity, citizen_quota, trustee_quota) = numbers.get_untracked();
        let Ok(district) = DistrictId::new(district.get_untracked()) else {
            return;
        };
        let plan = MeetingPlan {
            district,
            starts_at,
            venue: venue.get_untracked(),
            capacity,
            citizen_quota,
            trustee_quota,
        };
        let editing_id = editing.get_untracked();
        leptos::task::spawn_local(async move {
            let saved = match &editing_id {
                Some(id) => {
                    api::put::<_, Meeting>(&format!("/api/admin/meetings/{id}"), &plan).await
                }
                None => api::post::<_, Meeting>("/api/admin/meetings", &plan).await,
            };
            let text = match saved {
                Ok(_) => {
                    revision.update(|r| *r += 1);
                    editing.set(None);
                    match (lang, editing_id.is_some()) {
                        (Lang::Fa, false) => "دیدار ثبت شد.".to_string(),
                        (Lang::En, false) => "The meeting was added.".to_string(),
                        (Lang::Fa, true) => "تغییرات دیدار ثبت شد.".to_string(),
                        (Lang::En, true) => "The meeting was updated.".to_string(),
                    }
                }
                Err(error) => error.explain(lang),
            };
            outcome.set(Some(text));
        });
    };
    let number = move |id: &'static str,
                       label: (&'static str, &'static str),
                       get: fn(&(u16, u16, u16)) -> u16,
                       set: fn(&mut (u16, u16, u16), u16)| {
        view! {
            <div class="field">
                <label for=id>{tr(label.0, label.1)}</label>
                <input
                    id=id
                    type="number"
                    min="0"
                    class="ltr"
                    prop:value=move || numbers.with(|n| get(n).to_string())
                    on:change=move |event| numbers.update(|n| set(n, event_target_value(&event).parse().unwrap_or(0)))
                />
            </div>
        }
    };
    view! {
        <section aria-labelledby="meetings-title">
            <h2 id="meetings-title">{tr("دیدارها", "Meetings")}</h2>
            <form class="card form" novalidate on:submit=submit data-testid="meeting-form">
                <div class="field">
                    <label for="meeting-district">{tr("منطقه", "District")}</label>
                    <DistrictSelect id="meeting-district" district disabled=Signal::derive(move || editing.get().is_some())/>
                </div>
                <div class="field">
                    <label for="meeting-date">{tr("تاریخ", "Date")}</label>
                    <p class="hint" id="meeting-date-jalali">
                        {move || starts_at().map(|at| domain::time::format_datetime(at, lang.get()))}
                    </p>
                    <input id="meeting-date" type="date" class="ltr" aria-describedby="meeting-date-jalali"
                        prop:value=move || date.get() on:change=move |event| date.set(event_target_value(&event))/>
                </div>
                <div class="field">
                    <label for="meeting-time">{tr("ساعت (به وقت تهران)", "Time (Tehran)")}</label>
                    <input id="meeting-time" type="time" class="ltr"
                        prop:value=move || time.get() on:change=move |event| time.set(event_target_value(&event))/>
                </div>
                <div class="field">
                    <label for="meeting-venue">{tr("محل برگزاری", "Venue")}</label>
                    <input id="meeting-venue" prop:value=move || venue.get() on:input=move |event| venue.set(event_target_value(&event))/>
                </div>
                {number("meeting-capacity", ("ظرفیت محل", "Capacity"), |n| n.0, |n, v| n.0 = v)}
                {number("meeting-citizens", ("سهمیهٔ شهروندان", "Citizens' places"), |n| n.1, |n, v| n.1 = v)}
                {number("meeting-trustees", ("سهمیهٔ معتمدین", "Trustees' places"), |n| n.2, |n, v| n.2 = v)}
                <p role="status" data-testid="meeting-outcome">{move || outcome.get()}</p>
                {move || match editing.get() {
                    None => view! { <button class="button" type="submit">{tr("افزودن دیدار", "Add meeting")}</button> }.into_any(),
                    Some(_) => view! {
                        <button class="button" type="submit">{tr("ثبت تغییرات", "Save changes")}</button>
                        " "
                        <button class="button button-secondary" type="button" on:click=move |_| editing.set(None)>
                            {tr("انصراف", "Cancel")}
                        </button>
                    }.into_any(),
                }}
            </form>
            <table class="table" data-testid="meetings">
                <thead>
                    <tr>
                        <th>{tr("منطقه", "District")}</th>
                        <th>{tr("زمان", "When")}</th>
                        <th>{tr("محل", "Venue")}</th>
                        <th>{tr("شهروندان / معتمدین / ظرفیت", "Citizens / trustees / capacity")}</th>
                        <th><span class="visually-hidden">{tr("تغییر", "Change")}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {move || meetings.get().flatten().unwrap_or_default().into_iter().map(|meeting| {
                        let chosen = meeting.clone();
                        let plan = meeting.plan;
                        let counts = format!("{} / {} / {}", plan.citizen_quota, plan.trustee_quota, plan.capacity);
                        view! {
                            <tr>
                                <td>{move || domain::text::localize_digits(&plan.district.number().to_string(), lang.get())}</td>
                                <td title=domain::time::format_gregorian(plan.starts_at)>{move || domain::time::format_datetime(plan.starts_at, lang.get())}</td>
                                <td>{move || domain::text::localize_digits(&plan.venue, lang.get())}</td>
                                <td>{move || domain::text::localize_digits(&counts, lang.get())}</td>
                                <td>
                                    <button class="button button-small button-secondary" type="button" data-testid="meeting-edit"
                                        on:click=move |_| edit(&chosen)>
                                        {tr("تغییر", "Change")}
                                    </button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
