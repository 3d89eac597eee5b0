//! Meeting day (DESIGN §2 step 5): the meetings this device holds the
//! rosters of (`/staff/checkin`), and each meeting's door
//! (`/staff/checkin/door/{meeting}`): search or code entry, one-tap
//! check-in, walk-ins, live counts; the deputies' tables
//! (`/staff/checkin/tables/{meeting}`) and each attendee's request form
//! (`/staff/checkin/form/{attendee}`); the reconciliation after the day —
//! all offline, every action a sync command shown at once and sent when
//! the network allows.

mod close;
mod door;
mod form;
mod photos;
pub(crate) mod reconcile;
mod scan;
mod tables;
mod walk_in;

use domain::auth::Profile;
use domain::i18n::Lang;
use domain::ids::{AttendeeId, DeviceId, MeetingId};
use domain::meeting::Meeting;
use domain::sync::{Attendee, MeetingRecord, Record, RecordKey, RecordKind, RequestForm};
use domain::time::{format_datetime, format_gregorian};
use leptos::prelude::*;

use crate::i18n::{tr, use_lang};
use crate::nav::AreaPath;
use crate::store::StoreError;
use crate::sync::{self, SyncPanel, use_sync};
use crate::ui::NotFound;

/// The last thing the door did, said large and in colour.
#[derive(Clone, Debug, PartialEq)]
pub enum Feedback {
    CheckedIn(Attendee),
    AlreadyIn(Attendee),
    Undone(String),
    WalkInAdded(String),
}

/// The area's screen (see `staff`).
pub fn area(profile: Profile, path: AreaPath) -> AnyView {
    let meeting = || path.id.as_deref().and_then(|id| MeetingId::parse(id).ok());
    match (path.section.as_deref(), path.id.as_deref()) {
        (None, None) => view! { <Meetings/> }.into_any(),
        (Some("door"), Some(_)) if let Some(meeting) = meeting() => {
            view! { <door::Door profile meeting/> }.into_any()
        }
        (Some("tables"), Some(_)) if let Some(meeting) = meeting() => {
            view! { <tables::Tables meeting/> }.into_any()
        }
        (Some("form"), Some(id)) if let Ok(attendee) = AttendeeId::parse(id) => {
            view! { <form::FormScreen attendee/> }.into_any()
        }
        (Some("reconcile"), Some(_)) if let Some(meeting) = meeting() => {
            view! { <reconcile::Reconciliation profile meeting/> }.into_any()
        }
        _ => view! { <NotFound/> }.into_any(),
    }
}

/// What the door's and the tables' search finds people by.
const SEARCH_LABEL: (&str, &str) = (
    "جست‌وجو: نام، کد رهگیری یا ۴ رقم آخر همراه یا کد ملی",
    "Search: name, tracking code, or the last 4 digits of the mobile or national ID",
);
const ROSTER_UNREADABLE: (&str, &str) = (
    "فهرست این دستگاه خوانده نشد: ",
    "This device's roster could not be read: ",
);
const MEETINGS_UNREADABLE: (&str, &str) = (
    "دیدارهای این دستگاه خوانده نشد: ",
    "This device's meetings could not be read: ",
);

/// A read of this device's store as a screen shows it: still reading;
/// failed, saying what (`unreadable`) and why; or read, drawn by `done`.
pub(crate) fn once_read<T>(
    read: Option<Result<T, StoreError>>,
    unreadable: (&'static str, &'static str),
    done: impl FnOnce(T) -> AnyView,
) -> AnyView {
    match read {
        None => view! { <p>{tr("در حال خواندن…", "Reading…")}</p> }.into_any(),
        Some(Err(problem)) => view! {
            <p class="alert-error" role="alert">{tr(unreadable.0, unreadable.1)}{problem.to_string()}</p>
        }
        .into_any(),
        Some(Ok(value)) => done(value),
    }
}

/// A meeting's roster as this device holds it, each entry with whether
/// this device's unsent work changed it.
pub async fn attendees_of(meeting: &MeetingId) -> Result<Vec<(Attendee, bool)>, StoreError> {
    Ok(sync::of_kind(RecordKind::Attendee)
        .await?
        .into_iter()
        .filter_map(|row| match row.view() {
            Some(Record::Attendee(attendee)) if &attendee.meeting == meeting => {
                Some((attendee.clone(), row.has_pending_work()))
            }
            _ => None,
        })
        .collect())
}

/// A meeting as this device holds it, if it does.
pub async fn meeting_record(meeting: &MeetingId) -> Result<Option<MeetingRecord>, StoreError> {
    let rows = sync::with_keys(&[RecordKey::meeting(meeting).text()]).await?;
    Ok(rows.iter().find_map(|row| match row.view() {
        Some(Record::Meeting(record)) => Some(record.clone()),
        _ => None,
    }))
}

/// A meeting's request forms as this device holds them.
pub async fn forms_of(meeting: &MeetingId) -> Result<Vec<RequestForm>, StoreError> {
    Ok(sync::of_kind(RecordKind::RequestForm)
        .await?
        .into_iter()
        .filter_map(|row| match row.view() {
            Some(Record::RequestForm(form)) if &form.meeting == meeting => Some(form.clone()),
            _ => None,
        })
        .collect())
}

/// The meetings whose rosters this device holds, soonest first.
pub async fn meetings_on_device() -> Result<Vec<Meeting>, StoreError> {
    let rows = sync::of_kind(RecordKind::Meeting).await?;
    let mut meetings: Vec<Meeting> = rows
        .iter()
        .filter_map(|row| match row.view() {
            Some(Record::Meeting(record)) => Some(record.meeting.clone()),
            _ => None,
        })
        .collect();
    meetings.sort_unstable_by(|a, b| (a.plan.starts_at, &a.id).cmp(&(b.plan.starts_at, &b.id)));
    Ok(meetings)
}

/// A link from a meeting to one of its screens: the address for the
/// meeting's id, a test id, and what it says.
pub type MeetingLink = (
    fn(&MeetingId) -> String,
    &'static str,
    (&'static str, &'static str),
);

/// Meeting day's screens of a meeting.
const DAY_LINKS: [MeetingLink; 3] = [
    (
        |id| format!("/staff/checkin/door/{id}"),
        "checkin-door-link",
        ("پذیرش درِ ورود", "Door check-in"),
    ),
    (
        |id| format!("/staff/checkin/tables/{id}"),
        "checkin-tables-link",
        (
            "میزهای معاونت‌ها و فرم‌های درخواست",
            "The deputies' tables and request forms",
        ),
    ),
    (
        |id| format!("/staff/checkin/reconcile/{id}"),
        "checkin-reconcile-link",
        (
            "گزارش روز دیدار و موارد ناهمخوان",
            "The meeting-day report and what needs a look",
        ),
    ),
];

#[component]
fn Meetings() -> impl IntoView {
    view! {
        <h1>{tr("پذیرش روز دیدار", "Meeting-day check-in")}</h1>
        <SyncPanel/>
        <MeetingsOnDevice links=&DAY_LINKS/>
    }
}

/// The meetings whose rosters this device holds, each with `links` to its
/// screens.
#[component]
pub fn MeetingsOnDevice(links: &'static [MeetingLink]) -> impl IntoView {
    let sync = use_sync();
    let lang = use_lang();
    let meetings = LocalResource::new(move || async move {
        sync.revision.track();
        meetings_on_device().await
    });
    view! {
        <section class="card" aria-labelledby="meetings-title">
            <h2 id="meetings-title">{tr("دیدارهای شما", "Your meetings")}</h2>
            {move || once_read(meetings.get(), MEETINGS_UNREADABLE, |list| match list {
                list if list.is_empty() => view! {
                    <p data-testid="checkin-no-meetings">{tr(
                        "هنوز دیداری به شما سپرده نشده یا فهرست آن به این دستگاه نرسیده است. به اینترنت وصل شوید و «همگام‌سازی» را بزنید؛ اگر باز هم چیزی نیامد، از مدیر سامانه بخواهید شما را به دیدار بگمارد.",
                        "No meeting is assigned to you yet, or its roster has not reached this device. Connect to the network and press “sync now”; if nothing comes, ask the administrator to assign you to the meeting.",
                    )}</p>
                }.into_any(),
                list => view! {
                    <ul class="request-list" data-testid="checkin-meetings">
                        {list.into_iter().map(|meeting| {
                            let starts = meeting.plan.starts_at;
                            let screens = links.iter().map(|(href, test_id, label)| view! {
                                <p><a href=href(&meeting.id) data-testid=*test_id>{tr(label.0, label.1)}</a></p>
                            }).collect_view();
                            view! {
                                <li class="card">
                                    <h3>{meeting.plan.venue.clone()}</h3>
                                    <p class="meta">
                                        <time datetime=starts.to_rfc3339() title=format_gregorian(starts)>
                                            {move || format_datetime(starts, lang.get())}
                                        </time>
                                        " — "
                                        {move || district_name(&meeting, lang.get())}
                                    </p>
                                    {screens}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </section>
    }
}

/// A device as the reports name it: ids are ASCII, and their last six
/// characters tell a meeting's devices apart.
fn device_tail(device: &DeviceId) -> String {
    let id = device.as_str();
    format!("…{}", &id[id.len().saturating_sub(6)..])
}

fn district_name(meeting: &Meeting, lang: Lang) -> String {
    let number = meeting.plan.district.number().to_string();
    match lang {
        Lang::Fa => format!("منطقهٔ {}", domain::text::to_persian_digits(&number)),
        Lang::En => format!("District {number}"),
    }
}
