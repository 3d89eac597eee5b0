//! The 137 call centre (DESIGN §2 step 4): the meetings whose rosters the
//! operator's device holds, and each meeting's call list
//! (`/staff/calls/list/{meeting}`), worked in the order calls are due.
//! Dialling needs the network — the number comes from the server with a
//! claim that keeps other operators off the same person — while each
//! call's outcome is a sync command, kept on the device and sent when the
//! network allows.

mod list;

use domain::auth::Profile;
use domain::ids::MeetingId;
use leptos::prelude::*;

use crate::checkin::{MeetingLink, MeetingsOnDevice};
use crate::i18n::tr;
use crate::nav::AreaPath;
use crate::sync::SyncPanel;
use crate::ui::NotFound;

const MEETING_LINKS: [MeetingLink; 1] = [(
    |id| format!("/staff/calls/list/{id}"),
    "calls-list-link",
    ("فهرست تماس", "Call list"),
)];

/// The area's screen (see `staff`).
pub fn area(profile: Profile, path: AreaPath) -> AnyView {
    let meeting = path.id.as_deref().and_then(|id| MeetingId::parse(id).ok());
    match (path.section.as_deref(), meeting) {
        (None, None) => view! {
            <h1>{tr("سامانهٔ ۱۳۷", "137 call centre")}</h1>
            <p class="lead">{tr(
                "با هر شهروند دعوت‌شده تماس بگیرید، روز و ساعت و نشانی دیدار را بگویید و نتیجهٔ تماس را ثبت کنید.",
                "Phone each invited citizen, tell them the meeting's day, time and place, and record how the call went.",
            )}</p>
            <SyncPanel/>
            <MeetingsOnDevice links=&MEETING_LINKS/>
        }
        .into_any(),
        (Some("list"), Some(meeting)) => view! { <list::CallList profile meeting/> }.into_any(),
        _ => view! { <NotFound/> }.into_any(),
    }
}
