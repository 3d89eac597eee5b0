//! The district meetings: planning and rescheduling.

use chrono::Timelike;
use domain::i18n::Lang;
use domain::ids::MeetingId;
use domain::meeting::{Meeting, MeetingPlan};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::meeting_staff::MeetingStaffForm;
use super::use_city;
use crate::api;
use crate::i18n::{tr, use_lang};
use crate::ui::controls::TextField;
use crate::ui::district_field::{DistrictField, chosen_district};
use crate::ui::table::{Column, DataTable};

/// The plan's fields as typed; numbers stay text until the form is sent,
/// so what was typed is never replaced by a default.
#[derive(Clone, Copy)]
struct Draft {
    district: RwSignal<String>,
    date: RwSignal<String>,
    time: RwSignal<String>,
    venue: RwSignal<String>,
    capacity: RwSignal<String>,
    citizen_quota: RwSignal<String>,
    trustee_quota: RwSignal<String>,
}

/// What the form could not read, by field.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unreadable {
    District,
    When,
    Number(&'static str),
}

impl Unreadable {
    fn field(self) -> &'static str {
        match self {
            Unreadable::District => "district",
            Unreadable::When => "when",
            Unreadable::Number(field) => field,
        }
    }

    fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Unreadable::District, Lang::Fa) => "منطقهٔ دیدار را انتخاب کنید.",
            (Unreadable::District, Lang::En) => "Choose the meeting's district.",
            (Unreadable::When, Lang::Fa) => "تاریخ و ساعت دیدار را انتخاب کنید.",
            (Unreadable::When, Lang::En) => "Choose the meeting's date and time.",
            (Unreadable::Number(_), Lang::Fa) => "یک عدد درست بنویسید (۰ تا ۶۵۵۳۵).",
            (Unreadable::Number(_), Lang::En) => "Write a whole number (0 to 65535).",
        }
    }
}

impl Draft {
    fn new() -> Draft {
        let text = |value: &str| RwSignal::new(value.to_string());
        Draft {
            district: text(""),
            date: text(""),
            time: text("10:00"),
            venue: text(""),
            capacity: text("150"),
            citizen_quota: text("100"),
            trustee_quota: text("30"),
        }
    }

    fn show(self, plan: &MeetingPlan) {
        let local = domain::time::tehran_local(plan.starts_at);
        self.district.set(plan.district.number().to_string());
        self.date.set(local.date_naive().to_string());
        self.time
            .set(format!("{:02}:{:02}", local.hour(), local.minute()));
        self.venue.set(plan.venue.clone());
        self.capacity.set(plan.capacity.to_string());
        self.citizen_quota.set(plan.citizen_quota.to_string());
        self.trustee_quota.set(plan.trustee_quota.to_string());
    }

    /// When it starts: the browser's pickers read as Tehran wall clock.
    fn starts_at(self) -> Option<chrono::DateTime<chrono::Utc>> {
        domain::time::tehran_picked(&self.date.get(), &self.time.get())
    }

    fn plan(self) -> Result<MeetingPlan, Unreadable> {
        let number = |value: RwSignal<String>, field| {
            let typed = domain::text::normalize_input(&value.get_untracked());
            typed.parse::<u16>().map_err(|_| Unreadable::Number(field))
        };
        Ok(MeetingPlan {
            district: chosen_district(&self.district.get_untracked())
                .ok_or(Unreadable::District)?,
            starts_at: self.starts_at().ok_or(Unreadable::When)?,
            venue: self.venue.get_untracked(),
            capacity: number(self.capacity, "capacity")?,
            citizen_quota: number(self.citizen_quota, "citizen_quota")?,
            trustee_quota: number(self.trustee_quota, "trustee_quota")?,
        })
    }
}

#[component]
pub fn Meetings() -> impl IntoView {
    let lang = use_lang();
    let city = use_city();
    let revision = RwSignal::new(0u32);
    let rows = LocalResource::new(move || {
        revision.track();
        api::get::<Vec<Meeting>>("/api/admin/meetings")
    });
    let draft = Draft::new();
    let unreadable = RwSignal::new(None::<Unreadable>);
    let outcome = RwSignal::new(None::<String>);
    // The meeting whose field staff are being chosen, if any.
    let staffing = RwSignal::new(None::<Meeting>);
    // The meeting being rescheduled, if any; otherwise the form adds one.
    let editing = RwSignal::new(None::<MeetingId>);
    let edit = move |meeting: &Meeting| {
        draft.show(&meeting.plan);
        outcome.set(None);
        unreadable.set(None);
        editing.set(Some(meeting.id.clone()));
    };
    let error_of = move |field: &'static str| {
        Signal::derive(move || {
            unreadable
                .get()
                .filter(|problem| problem.field() == field)
                .map(|problem| problem.message(lang.get()).to_string())
        })
    };

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let lang = lang.get_untracked();
        outcome.set(None);
        let plan = match draft.plan() {
            Ok(plan) => plan,
            Err(problem) => return unreadable.set(Some(problem)),
        };
        unreadable.set(None);
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
    // The browser's date picker is Gregorian; the Jalali date is shown
    // beside it so nobody schedules the wrong day.
    let jalali = move || {
        draft
            .starts_at()
            .map(|at| domain::time::format_datetime(at, lang.get()))
            .unwrap_or_default()
    };
    view! {
        <section aria-labelledby="meetings-title">
            <h2 id="meetings-title">{tr("دیدارها", "Meetings")}</h2>
            <form class="card form" novalidate on:submit=submit data-testid="meeting-form">
                <DistrictField id="meeting-district" value=draft.district districts=city.districts()
                    error=error_of("district") disabled=Signal::derive(move || editing.get().is_some())/>
                <TextField id="meeting-date" label=tr("تاریخ", "Date") kind="date" ltr=true value=draft.date
                    hint=jalali error=error_of("when")/>
                <TextField id="meeting-time" label=tr("ساعت (به وقت تهران)", "Time (Tehran)") kind="time" ltr=true value=draft.time/>
                <TextField id="meeting-venue" label=tr("محل برگزاری", "Venue") value=draft.venue/>
                <TextField id="meeting-capacity" label=tr("ظرفیت محل", "Capacity") kind="number" ltr=true
                    value=draft.capacity error=error_of("capacity")/>
                <TextField id="meeting-citizens" label=tr("سهمیهٔ شهروندان", "Citizens' places") kind="number" ltr=true
                    value=draft.citizen_quota error=error_of("citizen_quota")/>
                <TextField id="meeting-trustees" label=tr("سهمیهٔ معتمدین", "Trustees' places") kind="number" ltr=true
                    value=draft.trustee_quota error=error_of("trustee_quota")/>
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
            <DataTable
                testid="meetings"
                columns=vec![
                    Column::new("منطقه", "District"),
                    Column::new("زمان", "When"),
                    Column::new("محل", "Venue"),
                    Column::new("شهروندان / معتمدین / ظرفیت", "Citizens / trustees / capacity"),
                    Column::hidden("تغییر", "Change"),
                    Column::hidden("کارشناسان پذیرش", "Field staff"),
                ]
                rows
                key=|meeting: &Meeting| (meeting.id.clone(), meeting.plan.clone())
                row=move |meeting: Meeting| {
                    let chosen = meeting.clone();
                    let to_staff = meeting.clone();
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
                            <td>
                                <button class="button button-small button-secondary" type="button" data-testid="meeting-staff-open"
                                    on:click=move |_| staffing.set(Some(to_staff.clone()))>
                                    {tr("کارشناسان پذیرش", "Field staff")}
                                </button>
                            </td>
                        </tr>
                    }
                }
                empty=("هنوز دیداری برنامه‌ریزی نشده است.", "No meeting is planned yet.")
            />
            {move || staffing.get().map(|meeting| view! {
                <MeetingStaffForm meeting on_close=move || staffing.set(None)/>
            })}
        </section>
    }
}
