//! The screening committee (DESIGN §2 step 3): routing each reviewed
//! request to a deputy (`routing`), selecting each meeting's citizens
//! (`selection`) and printing its agenda (`agenda`), and after the day
//! each meeting's report and its closing, which makes the invited who
//! never came no-shows. Works offline: every
//! action is a sync command, shown at once and sent when the network
//! allows.

mod agenda;
mod routing;
mod selection;
mod trustees;

use domain::auth::Profile;
use domain::ids::MeetingId;
use domain::sync::{Record, RecordKind, RegistrationRecord};
use leptos::prelude::*;

use crate::checkin::{MeetingLink, MeetingsOnDevice};
use crate::i18n::tr;
use crate::nav::AreaPath;
use crate::store::StoreError;
use crate::sync::{self, SyncPanel};
use crate::ui::NotFound;

const MEETING_LINKS: [MeetingLink; 3] = [
    (
        |id| format!("/staff/screening/select/{id}"),
        "screening-select-link",
        ("انتخاب شرکت‌کنندگان", "Selecting the attendees"),
    ),
    (
        |id| format!("/staff/screening/agenda/{id}"),
        "screening-agenda-link",
        ("دستور کار (چاپ و CSV)", "Agenda (print and CSV)"),
    ),
    (
        |id| format!("/staff/screening/meeting/{id}"),
        "screening-meeting-link",
        ("گزارش و بستن دیدار", "Report and closing"),
    ),
];

/// The area's screen (see `staff`).
pub fn area(profile: Profile, path: AreaPath) -> AnyView {
    let meeting = path.id.as_deref().and_then(|id| MeetingId::parse(id).ok());
    match (path.section.as_deref(), meeting) {
        (None, None) => view! {
            <h1>{tr("کمیتهٔ تشخیص", "Screening committee")}</h1>
            <p class="lead">{tr(
                "درخواست‌های بررسی‌شده را به معاونت‌ها ارجاع دهید، برای هر دیدار شرکت‌کنندگان را انتخاب کنید، و پس از برگزاری گزارش آن را ببینید و دیدار را ببندید.",
                "Route the reviewed requests to the deputies, select each meeting's attendees, and after the day read its report and close it.",
            )}</p>
            <SyncPanel/>
            <MeetingsOnDevice links=&MEETING_LINKS/>
            <routing::Routing profile/>
        }
        .into_any(),
        (Some("select"), Some(meeting)) => {
            view! { <selection::Selection profile meeting/> }.into_any()
        }
        (Some("agenda"), Some(meeting)) => {
            view! { <agenda::AgendaScreen meeting/> }.into_any()
        }
        (Some("meeting"), Some(meeting)) => {
            view! { <crate::checkin::reconcile::Reconciliation profile meeting/> }.into_any()
        }
        _ => view! { <NotFound/> }.into_any(),
    }
}

/// A list of requests read from this device.
type Requests = LocalResource<Result<Vec<RegistrationRecord>, StoreError>>;

/// The requests this device holds, as its screens show them (its own
/// unsent work applied).
async fn requests_of_device() -> Result<Vec<RegistrationRecord>, StoreError> {
    Ok(sync::of_kind(RecordKind::Registration)
        .await?
        .iter()
        .filter_map(|row| match row.view() {
            Some(Record::Registration(record)) => Some(record.clone()),
            _ => None,
        })
        .collect())
}
