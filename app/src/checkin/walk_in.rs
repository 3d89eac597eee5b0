//! Someone at the door who is not on the roster — a local trustee, or a
//! citizen who was not selected — is added as a walk-in and checked in in
//! the same step, with the registration's rules for name, mobile and
//! national ID (optional for trustees). The committee confirms walk-ins
//! afterwards.

use domain::i18n::Localized;
use domain::ids::{AttendeeId, MeetingId};
use domain::sync::{AttendeeKind, Command, WalkInPerson};
use leptos::prelude::*;

use super::Feedback;
use crate::clock::now;
use crate::i18n::{tr, use_lang};
use crate::sync;
use crate::ui::controls::{SelectField, TextField};

#[component]
pub fn WalkInForm(
    meeting: MeetingId,
    door: RwSignal<String>,
    feedback: RwSignal<Option<Feedback>>,
) -> impl IntoView {
    let lang = use_lang();
    let sender = sync::use_command();
    let kind = RwSignal::new("trustee".to_string());
    let name = RwSignal::new(String::new());
    let mobile = RwSignal::new(String::new());
    let national_id = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let meeting = StoredValue::new(meeting);
    let kinds = Signal::derive(move || {
        let lang = lang.get();
        [AttendeeKind::Trustee, AttendeeKind::Citizen]
            .into_iter()
            .map(|kind| (code(kind).to_string(), kind.name(lang).to_string()))
            .collect::<Vec<_>>()
    });
    let add = move |_| {
        let attendee_kind = match kind.get_untracked().as_str() {
            "citizen" => AttendeeKind::Citizen,
            _ => AttendeeKind::Trustee,
        };
        let (full_name, phone, id_number) = (
            name.get_untracked(),
            mobile.get_untracked(),
            national_id.get_untracked(),
        );
        // The rules `apply` enforces, said before anything is queued.
        if let Err(problem) = WalkInPerson::parse(attendee_kind, &full_name, &phone, &id_number) {
            sender.refuse(problem.message(lang.get_untracked()).to_string());
            return;
        }
        let command = Command::AddWalkIn {
            attendee: AttendeeId::new_v7(now(), crate::random::bytes()),
            meeting: meeting.get_value(),
            attendee_kind,
            full_name: full_name.clone(),
            mobile: phone,
            national_id: id_number,
            door: door.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            if sender.run(command, Vec::new()).await.is_some() {
                feedback.try_set(Some(Feedback::WalkInAdded(full_name)));
                for field in [name, mobile, national_id] {
                    field.try_set(String::new());
                }
                open.try_set(false);
            }
        });
    };
    view! {
        <details class="card action" data-testid="walk-in" prop:open=move || open.get()
            on:toggle=move |event| open.set(event_target::<web_sys::HtmlDetailsElement>(&event).open())>
            <summary>{tr("افزودن مراجعه‌کنندهٔ بدون نوبت", "Add a walk-in")}</summary>
            <p>{tr(
                "کسی که در فهرست نیست — معتمد محلی یا شهروندی که انتخاب نشده — همین‌جا افزوده و پذیرش می‌شود.",
                "Someone not on the roster — a local trustee, or a citizen who was not selected — is added and checked in here.",
            )}</p>
            <SelectField id="walk-in-kind" label=tr("نوع", "Kind") value=kind options=kinds/>
            <TextField id="walk-in-name" label=tr("نام و نام خانوادگی", "Full name") value=name autocomplete="off"/>
            <TextField id="walk-in-mobile" label=tr("شمارهٔ همراه", "Mobile") value=mobile kind="tel" ltr=true/>
            <TextField id="walk-in-national-id" label=tr("کد ملی", "National ID") value=national_id ltr=true
                hint=tr("برای شهروندان لازم است؛ برای معتمدین اختیاری.", "Required of citizens; optional for trustees.")/>
            <p class="error" role="alert" data-testid="walk-in-error">{sender.error()}</p>
            <button class="button" type="button" data-testid="walk-in-add" disabled=sender.busy() on:click=add>
                {tr("افزودن و ثبت ورود", "Add and check in")}
            </button>
        </details>
    }
}

fn code(kind: AttendeeKind) -> &'static str {
    match kind {
        AttendeeKind::Citizen => "citizen",
        AttendeeKind::Trustee => "trustee",
    }
}
