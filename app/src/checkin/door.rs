//! A meeting's door: find the person (name, tracking code, last digits of
//! mobile or national ID, in any script), check them in with one tap or
//! Enter, see at once if they are already in — here or, after a sync, on
//! another door — and undo with a reason. Counts and how much waits to be
//! sent stay on screen. Everything works offline.

use std::collections::BTreeSet;

use chrono::{DateTime, TimeDelta, Utc};
use domain::auth::Profile;
use domain::checkin::{Counts, Query, Searchable, in_expected_order, replace, search};
use domain::i18n::Lang;
use domain::ids::{AttendeeId, MeetingId};
use domain::meeting::Meeting;
use domain::registration::TrackingCode;
use domain::sync::{Attendee, Command, Record, RecordKey};
use domain::text::localize_digits;
use domain::time::{format_clock, format_datetime, format_gregorian};
use gloo_storage::{LocalStorage, Storage};
use leptos::html;
use leptos::prelude::*;

use super::Feedback;
use super::walk_in::WalkInForm;
use crate::clock::now;
use crate::i18n::{tr, use_lang};
use crate::store::StoreError;
use crate::sync::changes::{self, Touched};
use crate::sync::{self, CommandSender, SyncPanel, use_pending, use_sync};

/// The most results drawn at once: the door narrows by typing more.
const SHOWN: usize = 30;
/// A roster downloaded longer ago than this is flagged as possibly stale.
const STALE_AFTER: TimeDelta = TimeDelta::hours(12);
/// This device's door or desk name, kept across reloads.
const DOOR_KEY: &str = "didar.checkin.door";

/// What the door device holds of one meeting.
#[derive(Clone, Default)]
struct Roster {
    meeting: Option<Meeting>,
    /// In the order people are expected.
    entries: Vec<Searchable>,
    /// Entries this device changed and has not sent yet.
    pending: BTreeSet<AttendeeId>,
}

/// The roster read whole from the device's store.
async fn roster_of(meeting: &MeetingId) -> Result<Roster, StoreError> {
    let meetings = super::meetings_on_device().await?;
    let mut roster = Roster {
        meeting: meetings.into_iter().find(|m| &m.id == meeting),
        ..Roster::default()
    };
    for (attendee, pending) in super::attendees_of(meeting).await? {
        if pending {
            roster.pending.insert(attendee.id.clone());
        }
        roster.entries.push(Searchable::new(attendee));
    }
    in_expected_order(&mut roster.entries);
    Ok(roster)
}

/// What changed in the roster: these entries as the store now holds them
/// (`None`: gone from the meeting), or too much to patch.
enum RosterChange {
    Entries(Vec<(AttendeeId, Option<Attendee>, bool)>),
    Whole(Roster),
}

/// Reads what changed since the roster was read: only the touched entries,
/// unless the meeting itself or an unknown set changed.
async fn update_of(meeting: &MeetingId, touched: Touched) -> Result<RosterChange, StoreError> {
    let keys: Vec<String> = match touched {
        Touched::Keys(keys) if !keys.contains(&RecordKey::meeting(meeting).text()) => keys
            .into_iter()
            .filter(|key| key.starts_with("attendee/"))
            .collect(),
        _ => return roster_of(meeting).await.map(RosterChange::Whole),
    };
    let rows = sync::with_keys(&keys).await?;
    let mut entries = Vec::with_capacity(keys.len());
    for key in &keys {
        let Some(id) = key
            .strip_prefix("attendee/")
            .and_then(|id| AttendeeId::parse(id).ok())
        else {
            continue;
        };
        let row = rows.iter().find(|row| &row.key == key);
        let attendee = match row.and_then(|row| row.view()) {
            Some(Record::Attendee(attendee)) if &attendee.meeting == meeting => {
                Some(attendee.clone())
            }
            _ => None,
        };
        entries.push((id, attendee, row.is_some_and(|row| row.has_pending_work())));
    }
    Ok(RosterChange::Entries(entries))
}

#[component]
pub fn Door(profile: Profile, meeting: MeetingId) -> impl IntoView {
    let sync = use_sync();
    let meeting = StoredValue::new(meeting);
    // The roster as this screen holds it, and the revision it reflects:
    // after a check-in or a sync only the touched entries are read again
    // (a roster of thousands read whole would hold the door up).
    let roster = RwSignal::new(Roster::default());
    let held = RwSignal::new(None::<u32>);
    let read_error = RwSignal::new(None::<String>);
    Effect::new(move || {
        let revision = sync.revision.get();
        // The screen may be left while a read runs: every signal is then
        // gone, so the task touches them only through `try_`.
        leptos::task::spawn_local(async move {
            let (Some(base), Some(meeting)) = (held.try_get_untracked(), meeting.try_get_value())
            else {
                return;
            };
            let touched = base.map_or(Touched::Everything, changes::since);
            let update = update_of(&meeting, touched).await;
            // Another read finished meanwhile (its patch may be newer than
            // this one), or the screen was left.
            if held.try_get_untracked() != Some(base) {
                return;
            }
            match update {
                Ok(RosterChange::Whole(whole)) => {
                    roster.try_set(whole);
                }
                Ok(RosterChange::Entries(entries)) if entries.is_empty() => {}
                Ok(RosterChange::Entries(entries)) => {
                    roster.try_update(|roster| {
                        for (id, attendee, pending) in entries {
                            if pending {
                                roster.pending.insert(id.clone());
                            } else {
                                roster.pending.remove(&id);
                            }
                            replace(&mut roster.entries, &id, attendee);
                        }
                    });
                }
                Err(problem) => {
                    read_error.try_set(Some(problem.to_string()));
                    return;
                }
            }
            read_error.try_set(None);
            held.try_set(Some(revision));
        });
    });
    let door = RwSignal::new(LocalStorage::get::<String>(DOOR_KEY).unwrap_or_default());
    let query = RwSignal::new(String::new());
    let feedback = RwSignal::new(None::<Feedback>);
    let sender = sync::use_command();
    let search_box = NodeRef::<html::Input>::new();
    let device = StoredValue::new(profile.device_id.clone());

    let check_in = move |attendee: Attendee| {
        if attendee.present_since().is_some() {
            buzz(&[120, 80, 120]);
            feedback.set(Some(Feedback::AlreadyIn(attendee)));
            return;
        }
        leptos::task::spawn_local(async move {
            let command = Command::CheckIn {
                attendee: attendee.id.clone(),
                door: door.get_untracked(),
            };
            if sender.run(command, Vec::new()).await.is_some() {
                buzz(&[60]);
                feedback.try_set(Some(Feedback::CheckedIn(attendee)));
                // The person's name first, in the frame after the write;
                // the search is emptied for the next arrival a frame later
                // (redrawing the list would hold the name up) — unless
                // the door has typed the next one meanwhile.
                let typed = query.try_get_untracked();
                request_animation_frame(move || {
                    if query.try_get_untracked() == typed {
                        query.try_set(String::new());
                    }
                    if let Some(input) = search_box.try_get_untracked().flatten() {
                        let _ = input.focus();
                    }
                });
            }
        });
    };
    // A scanned code: the person it names shown large, so the door sees
    // the receipt belongs to whoever holds it, checked in by a tap.
    let scanned = RwSignal::new(None::<Scanned>);
    let on_code = Callback::new(move |text: String| {
        let found = TrackingCode::parse(&text).ok().and_then(|code| {
            roster.with_untracked(|roster| {
                roster
                    .entries
                    .iter()
                    .find(|entry| entry.attendee.tracking_code == Some(code))
                    .map(|entry| entry.attendee.clone())
            })
        });
        let next = match found {
            Some(attendee) => Scanned::Person(attendee),
            None => Scanned::Unknown(text),
        };
        // The same code read again, frame after frame, changes nothing.
        if scanned.with_untracked(|now| now.as_ref() != Some(&next)) {
            scanned.set(Some(next));
        }
    });
    let check_in_scanned = move |id: AttendeeId| {
        scanned.set(None);
        let current = roster.with_untracked(|roster| {
            roster
                .entries
                .iter()
                .find(|entry| entry.attendee.id == id)
                .map(|entry| entry.attendee.clone())
        });
        if let Some(attendee) = current {
            check_in(attendee);
        }
    };
    let results = Memo::new(move |_| {
        let typed = Query::new(&query.get());
        roster.with(|roster| {
            let (shown, total) = search(&roster.entries, &typed, SHOWN);
            let shown: Vec<(Attendee, bool)> = shown
                .into_iter()
                .map(|entry| {
                    let pending = roster.pending.contains(&entry.attendee.id);
                    (entry.attendee.clone(), pending)
                })
                .collect();
            (shown, total)
        })
    });
    let counts = Memo::new(move |_| {
        roster.with(|roster| {
            Counts::of(
                roster.entries.iter().map(|e| &e.attendee),
                &device.get_value(),
            )
        })
    });
    let on_enter = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Enter" {
            event.prevent_default();
            if let Some((first, _)) = results.with_untracked(|(shown, _)| shown.first().cloned()) {
                check_in(first);
            }
        }
    };

    // Search first: the door works with one hand at 360 px; the counts,
    // the roster's state and the settings follow below it.
    view! {
        <h1>{tr("پذیرش درِ ورود", "Door check-in")}</h1>
        {move || roster.with(|r| r.meeting.clone()).map(|meeting| view! { <MeetingLine meeting/> })}
        <FeedbackBanner feedback/>
        <ScannedCard scanned on_check_in=check_in_scanned/>
        <super::scan::Scanner on_code/>
        <p class="error" role="alert" data-testid="door-error">{sender.error()}</p>
        <section class="card door-search" aria-labelledby="door-search-label">
            <div class="field">
                <label id="door-search-label" for="door-search">
                    {tr(super::SEARCH_LABEL.0, super::SEARCH_LABEL.1)}
                </label>
                <input id="door-search" type="search" autocomplete="off" enterkeyhint="go"
                    data-testid="door-search" node_ref=search_box
                    prop:value=move || query.get()
                    on:input=move |event| query.set(event_target_value(&event))
                    on:keydown=on_enter/>
            </div>
            <p data-testid="door-result-count">{move || result_count(results.with(|(_, total)| *total), use_lang().get())}</p>
            <ul class="request-list door-results" data-testid="door-results">
                {move || results.get().0.into_iter().map(|(attendee, pending)| view! {
                    <Entry attendee pending sender on_check_in=check_in feedback/>
                }).collect_view()}
            </ul>
        </section>
        <Counters counts/>
        <Readiness roster read_error read=Signal::derive(move || held.get().is_some())/>
        <WalkInForm meeting=meeting.get_value() door feedback/>
        <DoorName door/>
        <p><a href=move || format!("/staff/checkin/tables/{}", meeting.get_value()) data-testid="door-tables-link">
            {tr("میزهای معاونت‌ها و فرم‌های درخواست", "The deputies' tables and request forms")}
        </a></p>
        <SyncPanel/>
    }
}

/// What the camera read.
#[derive(Clone, Debug, PartialEq)]
enum Scanned {
    Person(Attendee),
    /// A code that names nobody on this meeting's roster.
    Unknown(String),
}

#[component]
fn ScannedCard(
    scanned: RwSignal<Option<Scanned>>,
    on_check_in: impl Fn(AttendeeId) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    move || {
        scanned.get().map(|said| match said {
            Scanned::Person(attendee) => {
                let id = StoredValue::new(attendee.id.clone());
                let facts = StoredValue::new(attendee.clone());
                view! {
                    <div class="door-feedback door-feedback-scan" role="status" data-testid="scan-match">
                        <p class="door-feedback-name">{attendee.full_name.clone()}</p>
                        <p>{move || attendee.attendee_kind.name(lang.get())} " — "
                            {move || where_to(&facts.get_value(), lang.get())}</p>
                        <p>{tr("این همان کسی است که کد را نشان می‌دهد؟", "Is this the person showing the code?")}</p>
                        <p class="actions">
                            <button class="button door-check-in" type="button" data-testid="scan-check-in"
                                on:click=move |_| on_check_in(id.get_value())>
                                {tr("بله، ثبت ورود", "Yes, check in")}
                            </button>
                            <button class="button button-secondary" type="button" data-testid="scan-dismiss"
                                on:click=move |_| scanned.set(None)>
                                {tr("نه، کس دیگری است", "No, someone else")}
                            </button>
                        </p>
                    </div>
                }
                .into_any()
            }
            Scanned::Unknown(text) => view! {
                <p class="warning" role="alert" data-testid="scan-unknown">
                    {tr("این کد در فهرست این دیدار نیست: ", "This code is not on this meeting's roster: ")}
                    <span class="ltr">{text}</span>
                </p>
            }
            .into_any(),
        })
    }
}

#[component]
fn MeetingLine(meeting: Meeting) -> impl IntoView {
    let lang = use_lang();
    let starts = meeting.plan.starts_at;
    view! {
        <p class="lead" data-testid="door-meeting">
            {meeting.plan.venue.clone()}
            " — "
            <time datetime=starts.to_rfc3339() title=format_gregorian(starts)>
                {move || format_datetime(starts, lang.get())}
            </time>
        </p>
    }
}

/// "Ready for offline: 132 people, downloaded 08:12" — or why not.
#[component]
fn Readiness(
    roster: RwSignal<Roster>,
    read_error: RwSignal<Option<String>>,
    /// Whether the roster was read yet (until then it is not known to be
    /// empty).
    read: Signal<bool>,
) -> impl IntoView {
    let sync = use_sync();
    let lang = use_lang();
    move || {
        if !read.get() {
            return view! {
                <p class="notice" data-testid="door-readiness" data-state="reading">
                    {tr("در حال خواندن فهرست این دستگاه…", "Reading this device's roster…")}
                </p>
            }
            .into_any();
        }
        if let Some(problem) = read_error.get() {
            return view! {
                <p class="alert-error" role="alert" data-testid="door-readiness">
                    {tr("فهرست این دستگاه خوانده نشد: ", "This device's roster could not be read: ")}
                    {problem}
                </p>
            }
            .into_any();
        }
        let people = roster.with(|r| r.entries.len());
        let lang = lang.get();
        match sync.last_success.get() {
            _ if people == 0 => view! {
                <p class="warning" data-testid="door-readiness">{tr(
                    "فهرست این دیدار هنوز روی این دستگاه نیست؛ پیش از روز دیدار به اینترنت وصل شوید تا دریافت شود.",
                    "This meeting's roster is not on this device yet; connect to the network before the day to download it.",
                )}</p>
            }
            .into_any(),
            Some(at) if now() - at > STALE_AFTER => view! {
                <p class="warning" data-testid="door-readiness">
                    {ready_text(people, at, lang)}
                    " "
                    {tr(
                        "این فهرست بیش از ۱۲ ساعت پیش دریافت شده؛ اگر می‌توانید به اینترنت وصل شوید تا تازه شود.",
                        "This roster was downloaded over 12 hours ago; connect to the network if you can, to refresh it.",
                    )}
                </p>
            }
            .into_any(),
            Some(at) => view! {
                <p class="notice notice-open" data-testid="door-readiness">{ready_text(people, at, lang)}</p>
            }
            .into_any(),
            None => view! {
                <p class="notice" data-testid="door-readiness">{match lang {
                    Lang::Fa => format!("{} نفر روی این دستگاه", localize_digits(&people.to_string(), lang)),
                    Lang::En => format!("{people} people on this device"),
                }}</p>
            }
            .into_any(),
        }
    }
}

fn ready_text(people: usize, downloaded: DateTime<Utc>, lang: Lang) -> String {
    let people = localize_digits(&people.to_string(), lang);
    let at = format_datetime(downloaded, lang);
    match lang {
        Lang::Fa => format!("آماده برای کار بدون اینترنت: {people} نفر، دریافت {at}"),
        Lang::En => format!("Ready for offline: {people} people, downloaded {at}"),
    }
}

#[component]
fn Counters(counts: Memo<Counts>) -> impl IntoView {
    let lang = use_lang();
    let pending = use_pending();
    let number = move |n: usize| localize_digits(&n.to_string(), lang.get());
    view! {
        <dl class="counters" data-testid="door-counts">
            <div>
                <dt>{tr("حاضر", "Present")}</dt>
                <dd data-testid="count-present">
                    {move || number(counts.get().present)}
                    " / "
                    {move || number(counts.get().expected + counts.get().walk_ins)}
                </dd>
            </div>
            <div>
                <dt>{tr("بدون نوبت", "Walk-ins")}</dt>
                <dd data-testid="count-walk-ins">{move || number(counts.get().walk_ins)}</dd>
            </div>
            <div>
                <dt>{tr("با این دستگاه", "On this device")}</dt>
                <dd data-testid="count-this-device">{move || number(counts.get().by_this_device)}</dd>
            </div>
            <div>
                <dt>{tr("در انتظار ارسال", "Waiting to be sent")}</dt>
                <dd data-testid="count-pending">{move || match pending.get() {
                    Some(n) => number(n as usize),
                    None => "…".to_string(),
                }}</dd>
            </div>
        </dl>
    }
}

/// The name of this door or desk, recorded with every check-in made here.
#[component]
fn DoorName(door: RwSignal<String>) -> impl IntoView {
    view! {
        <details class="card action" open=door.with_untracked(String::is_empty)>
            <summary>{move || match door.get() {
                name if name.is_empty() => tr("نام این ورودی را بنویسید", "Name this door")().to_string(),
                name => format!("{}: {name}", tr("این ورودی", "This door")()),
            }}</summary>
        <div class="field door-name">
            <label for="door-name">{tr("نام این ورودی یا میز", "This door's or desk's name")}</label>
            <input id="door-name" data-testid="door-name" maxlength="40" autocomplete="off"
                placeholder=move || tr("مثلاً: ورودی ۱", "e.g. Door 1")()
                prop:value=move || door.get()
                on:change=move |event| {
                    let name = event_target_value(&event);
                    let _ = LocalStorage::set(DOOR_KEY, &name);
                    door.set(name);
                }/>
        </div>
        </details>
    }
}

#[component]
fn FeedbackBanner(feedback: RwSignal<Option<Feedback>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let lang = lang.get();
        feedback.get().map(|said| match said {
            Feedback::CheckedIn(attendee) => view! {
                <div class="door-feedback door-feedback-ok" role="status" data-testid="door-feedback" data-kind="checked-in">
                    <p class="door-feedback-name">{attendee.full_name.clone()}</p>
                    <p>{match lang { Lang::Fa => "ورود ثبت شد.", Lang::En => "Checked in." }}
                        " " {where_to(&attendee, lang)}</p>
                </div>
            }
            .into_any(),
            Feedback::AlreadyIn(attendee) => view! {
                <div class="door-feedback door-feedback-again" role="alert" data-testid="door-feedback" data-kind="already-in">
                    <p class="door-feedback-name">{attendee.full_name.clone()}</p>
                    <p>{already_in_text(&attendee, lang)}</p>
                </div>
            }
            .into_any(),
            Feedback::Undone(name) => view! {
                <div class="door-feedback" role="status" data-testid="door-feedback" data-kind="undone">
                    <p class="door-feedback-name">{name}</p>
                    <p>{match lang { Lang::Fa => "ورود لغو شد.", Lang::En => "Check-in undone." }}</p>
                </div>
            }
            .into_any(),
            Feedback::WalkInAdded(name) => view! {
                <div class="door-feedback door-feedback-ok" role="status" data-testid="door-feedback" data-kind="walk-in">
                    <p class="door-feedback-name">{name}</p>
                    <p>{match lang {
                        Lang::Fa => "بدون نوبت افزوده و پذیرش شد؛ کمیته آن را بررسی می‌کند.",
                        Lang::En => "Added as a walk-in and checked in; the committee will confirm it.",
                    }}</p>
                </div>
            }
            .into_any(),
        })
    }
}

/// Where to send the person: their time slot and deputy's table.
pub(super) fn where_to(attendee: &Attendee, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(slot) = attendee.slot {
        parts.push(match lang {
            Lang::Fa => format!("نوبت {}", format_clock(slot, lang)),
            Lang::En => format!("slot {}", format_clock(slot, lang)),
        });
    }
    if let Some(deputy) = &attendee.deputy {
        let table = crate::registration::topic_name(deputy.as_str(), lang);
        parts.push(match lang {
            Lang::Fa => format!("میز {table}"),
            Lang::En => format!("table: {table}"),
        });
    }
    parts.join(match lang {
        Lang::Fa => "، ",
        Lang::En => ", ",
    })
}

fn already_in_text(attendee: &Attendee, lang: Lang) -> String {
    let Some(first) = attendee.present_since() else {
        return String::new();
    };
    let at = format_clock(first.at, lang);
    match (lang, first.door.is_empty()) {
        (Lang::Fa, false) => format!("پیش از این، ساعت {at} در «{}» پذیرش شده است.", first.door),
        (Lang::Fa, true) => format!("پیش از این، ساعت {at} پذیرش شده است."),
        (Lang::En, false) => format!("Already checked in at {at} at “{}”.", first.door),
        (Lang::En, true) => format!("Already checked in at {at}."),
    }
}

pub(super) fn result_count(total: usize, lang: Lang) -> String {
    let shown = total.min(SHOWN);
    let n = |n: usize| localize_digits(&n.to_string(), lang);
    match (lang, total > SHOWN) {
        (Lang::Fa, false) => format!("{} نفر", n(total)),
        (Lang::Fa, true) => format!(
            "{} نفر از {}؛ برای یافتن، بیشتر بنویسید.",
            n(shown),
            n(total)
        ),
        (Lang::En, false) => format!("{total} people"),
        (Lang::En, true) => format!("{shown} of {total}; type more to narrow it down."),
    }
}

#[component]
fn Entry(
    attendee: Attendee,
    pending: bool,
    sender: CommandSender,
    on_check_in: impl Fn(Attendee) + Copy + 'static,
    feedback: RwSignal<Option<Feedback>>,
) -> impl IntoView {
    let lang = use_lang();
    let present = attendee.present_since().cloned();
    // Every standing check-in after the first: the same person admitted
    // again at another door before the devices had synced.
    let again: Vec<_> = attendee
        .check_ins
        .iter()
        .filter(|fact| fact.undone.is_none())
        .skip(1)
        .cloned()
        .collect();
    let facts = StoredValue::new(attendee.clone());
    let code = attendee.tracking_code.map(|code| code.display());
    let kind = attendee.attendee_kind;
    let walk_in = attendee.walk_in;
    let released = attendee.released.as_ref().map(|release| release.reason);
    let tail = |label: (&'static str, &'static str), digits: Option<String>| {
        digits.map(|digits| {
            view! { <span>{tr(label.0, label.1)} " " <span class="ltr">{format!("…{digits}")}</span></span> }
        })
    };
    view! {
        <li class="card door-entry" data-testid="door-entry" data-present=present.is_some().to_string()
            data-attendee=attendee.id.to_string()>
            <p class="door-entry-name">{attendee.full_name.clone()}</p>
            <p class="meta">
                {move || kind.name(lang.get())}
                {walk_in.then(|| view! { " " <span class="badge">{tr("بدون نوبت", "Walk-in")}</span> })}
                {code.map(|code| view! { " · " <span class="ltr" data-testid="door-code">{code}</span> })}
            </p>
            <p class="meta">
                {move || where_to(&facts.get_value(), lang.get())}
                " "
                {tail(("همراه", "mobile"), attendee.mobile_last4.as_ref().map(|d| d.to_string()))}
                " "
                {tail(("کد ملی", "national ID"), attendee.national_id_last4.as_ref().map(|d| d.to_string()))}
            </p>
            {pending.then(|| view! {
                <p><span class="badge badge-pending">{tr("در انتظار ارسال", "Waiting to be sent")}</span></p>
            })}
            {released.map(|reason| view! {
                <p class="warning" data-testid="door-released">
                    {move || reason.explain(lang.get())}
                    {tr(
                        "؛ اگر باز هم آمده، می‌توانید پذیرشش کنید.",
                        "; if they came all the same, you may still check them in.",
                    )}
                </p>
            })}
            {match present.clone() {
                None => view! {
                    <button class="button door-check-in" type="button" data-testid="door-check-in"
                        disabled=sender.busy()
                        on:click=move |_| on_check_in(facts.get_value())>
                        {tr("ثبت ورود", "Check in")}
                    </button>
                }.into_any(),
                Some(first) => {
                    let at = first.at;
                    let door = first.door.clone();
                    view! {
                        <p class="state state-received" data-testid="door-present">
                            {move || match lang.get() {
                                Lang::Fa => format!("حاضر از ساعت {} — {}", format_clock(at, Lang::Fa), door),
                                Lang::En => format!("Present since {} — {}", format_clock(at, Lang::En), door),
                            }}
                        </p>
                        <Undo attendee=facts.get_value() sender feedback/>
                    }.into_any()
                }
            }}
            {(!again.is_empty()).then(|| view! {
                <p class="warning" data-testid="door-duplicate">
                    {move || again.iter().map(|fact| match lang.get() {
                        Lang::Fa => format!("دوباره پذیرش شده: ساعت {} در «{}»", format_clock(fact.at, Lang::Fa), fact.door),
                        Lang::En => format!("Checked in again at {} at “{}”", format_clock(fact.at, Lang::En), fact.door),
                    }).collect::<Vec<_>>().join("؛ ")}
                </p>
            })}
        </li>
    }
}

/// Undoing the standing check-in, with the reason the committee reads.
#[component]
fn Undo(
    attendee: Attendee,
    sender: CommandSender,
    feedback: RwSignal<Option<Feedback>>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let field = format!("undo-reason-{}", attendee.id);
    let attendee = StoredValue::new(attendee);
    let undo = move |_| {
        let attendee = attendee.get_value();
        let Some(first) = attendee.present_since().cloned() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let command = Command::UndoCheckIn {
                attendee: attendee.id.clone(),
                check_in: first.id,
                reason: reason.get_untracked(),
            };
            if sender.run(command, Vec::new()).await.is_some() {
                feedback.try_set(Some(Feedback::Undone(attendee.full_name.clone())));
            }
        });
    };
    view! {
        <details class="action">
            <summary>{tr("لغو ورود", "Undo check-in")}</summary>
            <div class="field">
                <label for=field.clone()>{tr("دلیل (مثلاً: شخص دیگری بود)", "Reason (e.g. it was someone else)")}</label>
                <input id=field data-testid="door-undo-reason"
                    prop:value=move || reason.get()
                    on:input=move |event| reason.set(event_target_value(&event))/>
            </div>
            <button class="button button-danger" type="button" data-testid="door-undo"
                disabled=sender.busy() on:click=undo>
                {tr("لغو ورود", "Undo check-in")}
            </button>
        </details>
    }
}

/// A short vibration on phones that have one: one pulse for a check-in,
/// a double pulse for someone already in — felt without looking.
fn buzz(pattern: &[u32]) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let pattern: js_sys::Array = pattern
        .iter()
        .map(|ms| wasm_bindgen::JsValue::from(*ms))
        .collect();
    let _ = window.navigator().vibrate_with_pattern(&pattern);
}
