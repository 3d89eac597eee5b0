//! The screening committee (DESIGN §2 step 3). So far its part after the
//! day: each meeting of its districts with the meeting-day report — the
//! check-ins, the walk-ins, the request forms and what needs a look — and
//! closing the meeting, which makes the invited who never came no-shows.
//! Routing requests and selecting each meeting's attendees arrive with
//! the screening issue (13).

use domain::auth::Profile;
use domain::ids::MeetingId;
use leptos::prelude::*;

use crate::checkin::{MeetingLink, MeetingsOnDevice};
use crate::i18n::tr;
use crate::nav::AreaPath;
use crate::sync::SyncPanel;
use crate::ui::NotFound;

const MEETING_LINKS: [MeetingLink; 1] = [(
    |id| format!("/staff/screening/meeting/{id}"),
    "screening-meeting-link",
    ("گزارش و بستن دیدار", "Report and closing"),
)];

/// The area's screen (see `staff`).
pub fn area(profile: Profile, path: AreaPath) -> AnyView {
    let meeting = path.id.as_deref().and_then(|id| MeetingId::parse(id).ok());
    match (path.section.as_deref(), meeting) {
        (None, None) => view! {
            <h1>{tr("کمیتهٔ تشخیص", "Screening committee")}</h1>
            <p class="lead">{tr(
                "دیدارهای منطقهٔ شما: گزارش روز دیدار و بستن هر دیدار پس از برگزاری. ارجاع درخواست‌ها و انتخاب شرکت‌کنندگان به‌زودی اینجا می‌آید.",
                "Your districts' meetings: each meeting-day report, and closing the meeting afterwards. Routing requests and selecting attendees come here soon.",
            )}</p>
            <SyncPanel/>
            <MeetingsOnDevice links=&MEETING_LINKS/>
        }
        .into_any(),
        (Some("meeting"), Some(meeting)) => {
            view! { <crate::checkin::reconcile::Reconciliation profile meeting/> }.into_any()
        }
        _ => view! { <NotFound/> }.into_any(),
    }
}
