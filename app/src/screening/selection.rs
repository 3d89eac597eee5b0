//! Selecting a meeting's citizens (DESIGN §2 step 3): the routed requests
//! of the meeting's district that wait for a meeting, chosen one by one or
//! the first of a filtered list up to the places left, each given a slot;
//! the places given so far beside them. The quota is the meeting record's
//! (`apply` refuses a selection past it, here and on the server), and
//! whoever is not chosen stays on the waiting list for a later meeting.

use std::collections::BTreeSet;

use domain::auth::{Profile, Role};
use domain::i18n::Lang;
use domain::ids::{MeetingId, RegistrationId, TrusteeId};
use domain::meeting::Meeting;
use domain::registration::Status;
use domain::screening::Priority;
use domain::sync::{
    Attendee, AttendeeKind, Command, MeetingRecord, Record, RecordKind, RegistrationRecord,
};
use domain::text::{localize_digits, normalize_for_search};
use domain::time::{format_clock, format_datetime, format_gregorian, tehran_same_day};
use domain::trustees::Trustee;
use leptos::prelude::*;

use super::requests_of_device;
use super::trustees::InviteTrustees;
use crate::checkin::once_read;
use crate::i18n::{tr, use_lang};
use crate::registration::{deputy_choices, topic_name};
use crate::store::StoreError;
use crate::sync::{self, CommandSender, SyncPanel, use_sync};
use crate::ui::controls::{DATA_UNREADABLE, MeetingNotHere, SelectField, TextField};

/// What the screen shows of one meeting, as this device holds it.
#[derive(Clone)]
struct Board {
    meeting: Option<MeetingRecord>,
    /// Routed requests of the meeting's district waiting for a meeting.
    waiting: Vec<RegistrationRecord>,
    /// The citizens given a place, in slot order.
    seated: Vec<Attendee>,
    /// The district's other meetings still open, soonest first: where a
    /// citizen given a place here may be moved.
    others: Vec<Meeting>,
    /// The district's list of local trustees, by name.
    trustees: Vec<Trustee>,
}

async fn board(meeting: &MeetingId) -> Result<Board, StoreError> {
    let Some(record) = crate::checkin::meeting_record(meeting).await? else {
        return Ok(Board {
            meeting: None,
            waiting: Vec::new(),
            seated: Vec::new(),
            others: Vec::new(),
            trustees: Vec::new(),
        });
    };
    let district = record.meeting.plan.district;
    let mut waiting: Vec<RegistrationRecord> = requests_of_device()
        .await?
        .into_iter()
        .filter(|request| {
            request.district == district
                && matches!(request.status, Status::Screened | Status::Deferred)
        })
        .collect();
    // The most pressing first, then the longest waiting: "choose the
    // first on the list" takes them.
    waiting.sort_by_key(|request| {
        let priority = request.screening.as_ref().map(|s| s.priority);
        (std::cmp::Reverse(priority), request.submitted_at)
    });
    let mut seated: Vec<Attendee> = sync::of_kind(RecordKind::Attendee)
        .await?
        .iter()
        .filter_map(|row| match row.view() {
            Some(Record::Attendee(place))
                if &place.meeting == meeting
                    && place.attendee_kind == AttendeeKind::Citizen
                    && place.expected() =>
            {
                Some(place.clone())
            }
            _ => None,
        })
        .collect();
    seated.sort_by(|a, b| (a.slot, &a.full_name).cmp(&(b.slot, &b.full_name)));
    let mut others: Vec<Meeting> = sync::of_kind(RecordKind::Meeting)
        .await?
        .iter()
        .filter_map(|row| match row.view() {
            Some(Record::Meeting(other))
                if other.meeting.id != *meeting
                    && other.meeting.plan.district == district
                    && other.closed.is_none() =>
            {
                Some(other.meeting.clone())
            }
            _ => None,
        })
        .collect();
    others.sort_by_key(|other| other.plan.starts_at);
    let mut trustees: Vec<Trustee> = sync::of_kind(RecordKind::Trustee)
        .await?
        .iter()
        .filter_map(|row| match row.view() {
            Some(Record::Trustee(trustee)) if trustee.district == district => Some(trustee.clone()),
            _ => None,
        })
        .collect();
    trustees.sort_by(|a, b| a.full_name.cmp(&b.full_name));
    Ok(Board {
        meeting: Some(record),
        waiting,
        seated,
        others,
        trustees,
    })
}

/// What the person is choosing: kept above the lists, which are drawn
/// anew whenever the device's records change (a sync, another tab), so
/// that a choice half made survives them.
#[derive(Clone, Copy)]
struct Choice {
    chosen: RwSignal<BTreeSet<RegistrationId>>,
    /// HH:MM, Tehran time, Latin digits as the picker writes it; empty
    /// until the meeting is read (then its start).
    slot: RwSignal<String>,
    deputy: RwSignal<String>,
    search: RwSignal<String>,
    /// The trustees chosen to invite.
    trustees: RwSignal<BTreeSet<TrusteeId>>,
    /// Its refusals stay on screen while the lists are drawn anew.
    sender: CommandSender,
}

#[component]
pub fn Selection(profile: Profile, meeting: MeetingId) -> impl IntoView {
    let sync = use_sync();
    let choice = Choice {
        chosen: RwSignal::new(BTreeSet::new()),
        slot: RwSignal::new(String::new()),
        deputy: RwSignal::new(String::new()),
        search: RwSignal::new(String::new()),
        trustees: RwSignal::new(BTreeSet::new()),
        sender: sync::use_command(),
    };
    let meeting = StoredValue::new(meeting);
    let loaded = LocalResource::new(move || async move {
        sync.revision.track();
        board(&meeting.get_value()).await
    });
    view! {
        <h1>{tr("انتخاب شرکت‌کنندگان دیدار", "Selecting the meeting's attendees")}</h1>
        <p><a href="/staff/screening">{tr("بازگشت به کمیتهٔ تشخیص", "Back to the screening committee")}</a></p>
        {move || once_read(loaded.get(), DATA_UNREADABLE, |board| match board {
            Board { meeting: None, .. } => view! { <MeetingNotHere test_id="selection-unknown"/> }.into_any(),
            Board { meeting: Some(record), waiting, seated, others, trustees } => {
                let may_select = profile.grants.iter().any(|grant| {
                    grant.allows(Role::ScreeningCommittee, record.meeting.plan.district)
                }) && record.closed.is_none();
                let moves = may_select.then(|| Moves {
                    from: record.meeting.id.clone(),
                    to: others,
                    sender: choice.sender,
                });
                view! {
                    <MeetingHeader record=record.clone()/>
                    {may_select.then(|| view! {
                        <Waiting record=record.clone() waiting choice/>
                    })}
                    <Seated seated moves/>
                    <InviteTrustees record=record.clone() listed=trustees chosen=choice.trustees
                        sender=choice.sender may_invite=may_select/>
                }.into_any()
            }
        })}
        <SyncPanel/>
    }
}

#[component]
fn MeetingHeader(record: MeetingRecord) -> impl IntoView {
    let lang = use_lang();
    let plan = record.meeting.plan.clone();
    let starts = plan.starts_at;
    let seated = record.seated.len();
    let quota = usize::from(plan.citizen_quota);
    let left = record.seats_left();
    view! {
        <section class="card">
            <h2>{plan.venue.clone()}</h2>
            <p class="meta">
                <time datetime=starts.to_rfc3339() title=format_gregorian(starts)>
                    {move || format_datetime(starts, lang.get())}
                </time>
            </p>
            <p class="notice" data-testid="selection-seats" data-seated=seated data-left=left>{move || {
                let n = |n: usize| localize_digits(&n.to_string(), lang.get());
                match lang.get() {
                    Lang::Fa => format!("{} از {} جای شهروندان داده شده؛ {} جای خالی.", n(seated), n(quota), n(left)),
                    Lang::En => format!("{seated} of {quota} citizens' places given; {left} left."),
                }
            }}</p>
            {record.closed.is_some().then(|| view! {
                <p class="warning" data-testid="selection-closed">{tr(
                    "این دیدار بسته شده است؛ کسی به آن افزوده نمی‌شود.",
                    "This meeting is closed; nobody is added to it.",
                )}</p>
            })}
        </section>
    }
}

/// The waiting requests, the choice among them and the slot they get.
#[component]
fn Waiting(
    record: MeetingRecord,
    waiting: Vec<RegistrationRecord>,
    choice: Choice,
) -> impl IntoView {
    let lang = use_lang();
    let meeting = StoredValue::new(record.meeting.clone());
    let left = record.seats_left();
    let waiting = StoredValue::new(waiting);
    let Choice {
        chosen,
        slot,
        deputy,
        search,
        sender,
        ..
    } = choice;
    if slot.with_untracked(String::is_empty) {
        slot.set(format_clock(record.meeting.plan.starts_at, Lang::En));
    }
    let shown = Memo::new(move |_| {
        let wanted = normalize_for_search(&search.get());
        let deputy = deputy.get();
        waiting.with_value(|waiting| {
            waiting
                .iter()
                .filter(|request| deputy.is_empty() || routed_to(request) == deputy)
                .filter(|request| wanted.is_empty() || request.matches_search(&wanted))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    // The first of the list, as many as there are places left.
    let fillable = move || shown.with(Vec::len).min(left);
    let fill = move |_| {
        chosen.set(shown.with(|shown| shown.iter().take(left).map(|r| r.id.clone()).collect()));
    };
    let select = move |_| {
        let Some(at) = tehran_same_day(
            meeting.with_value(|m| m.plan.starts_at),
            &slot.get_untracked(),
        ) else {
            sender.refuse(
                tr(
                    "ساعت نوبت را به شکل ۰۹:۳۰ بنویسید.",
                    "Write the slot as 09:30.",
                )()
                .to_string(),
            );
            return;
        };
        let requests: Vec<RegistrationId> = chosen.get_untracked().into_iter().collect();
        leptos::task::spawn_local(select_all(
            sender,
            meeting.with_value(|m| m.id.clone()),
            requests,
            at,
            chosen,
        ));
    };
    let count = move |n: usize| localize_digits(&n.to_string(), lang.get());
    view! {
        <section class="card" aria-labelledby="waiting-title">
            <h2 id="waiting-title">{tr("منتظر دیدار", "Waiting for a meeting")}</h2>
            <p class="hint">{tr(
                "درخواست‌های ارجاع‌شدهٔ این منطقه. هر که انتخاب نشود در همین فهرست برای دیدار بعدی می‌ماند.",
                "This district's routed requests. Whoever is not chosen stays on this list for a later meeting.",
            )}</p>
            <SelectField id="selection-deputy" label=tr("معاونت", "Deputy") value=deputy
                none=tr("همهٔ معاونت‌ها", "Every deputy")
                options=Signal::derive(move || deputy_choices(lang.get()))/>
            <div class="field">
                <label for="selection-search">{tr("جست‌وجو (نام، کد رهگیری، شرح)", "Search (name, tracking code, description)")}</label>
                <input id="selection-search" type="search" data-testid="selection-search"
                    prop:value=move || search.get()
                    on:input=move |event| search.set(event_target_value(&event))/>
            </div>
            <p data-testid="selection-waiting-count">{move || match lang.get() {
                Lang::Fa => format!("{} درخواست در این فهرست؛ {} انتخاب‌شده", count(shown.with(Vec::len)), count(chosen.with(BTreeSet::len))),
                Lang::En => format!("{} requests on this list; {} chosen", shown.with(Vec::len), chosen.with(BTreeSet::len)),
            }}</p>
            <div class="actions">
                <button class="button button-secondary" type="button" on:click=fill data-testid="selection-fill" disabled=move || fillable() == 0>
                    {move || match lang.get() {
                        Lang::Fa => format!("انتخاب {} نفر نخست این فهرست", count(fillable())),
                        Lang::En => format!("Choose the first {} on this list", fillable()),
                    }}
                </button>
                <button class="button button-secondary" type="button" on:click=move |_| chosen.set(BTreeSet::new())>
                    {tr("پاک کردن انتخاب", "Clear the choice")}
                </button>
            </div>
            <ul class="request-list" data-testid="selection-waiting">
                <For each=move || shown.get() key=|request| request.id.clone() let:request>
                    <WaitingItem request chosen/>
                </For>
            </ul>
            <TextField id="selection-slot" label=tr("ساعت نوبت (به وقت تهران)", "Slot (Tehran time)") value=slot kind="time" ltr=true/>
            <button class="button" type="button" on:click=select data-testid="selection-submit"
                disabled=move || sender.busy().get() || chosen.with(BTreeSet::is_empty)>
                {move || match lang.get() {
                    Lang::Fa => format!("دادن جا به {} نفر در این دیدار", count(chosen.with(BTreeSet::len))),
                    Lang::En => format!("Give {} a place at this meeting", chosen.with(BTreeSet::len)),
                }}
            </button>
            <p class="error" role="alert" data-testid="selection-error">{sender.error()}</p>
        </section>
    }
}

/// The deputy a waiting request was routed to.
fn routed_to(request: &RegistrationRecord) -> &str {
    request
        .screening
        .as_ref()
        .map_or("", |screening| screening.deputy.as_str())
}

/// Selects `requests` one after another, each its own command; stops at
/// the first one the device refuses (the meeting filled up), which the
/// screen then says. The chosen that got a place leave the choice.
async fn select_all(
    sender: CommandSender,
    meeting: MeetingId,
    requests: Vec<RegistrationId>,
    slot: chrono::DateTime<chrono::Utc>,
    chosen: RwSignal<BTreeSet<RegistrationId>>,
) {
    for registration in requests {
        let command = Command::SelectForMeeting {
            registration: registration.clone(),
            meeting: meeting.clone(),
            slot: Some(slot),
        };
        if sender.run(command, Vec::new()).await.is_none() {
            return;
        }
        chosen.try_update(|chosen| chosen.remove(&registration));
    }
}

#[component]
fn WaitingItem(
    request: RegistrationRecord,
    chosen: RwSignal<BTreeSet<RegistrationId>>,
) -> impl IntoView {
    let lang = use_lang();
    let id = StoredValue::new(request.id.clone());
    let check_id = format!("choose-{}", request.id);
    let deputy = routed_to(&request).to_string();
    let deferred = request.status == Status::Deferred;
    let priority = request
        .screening
        .as_ref()
        .map(|s| s.priority)
        .filter(|p| *p != Priority::Normal);
    let summary = request
        .screening
        .as_ref()
        .map(|s| s.summary.clone())
        .unwrap_or_default();
    let toggle = move |event: leptos::ev::Event| {
        let on = event_target_checked(&event);
        chosen.update(|chosen| {
            if on {
                chosen.insert(id.get_value());
            } else {
                chosen.remove(&id.get_value());
            }
        });
    };
    view! {
        <li class="card request selectable" data-testid="selection-waiting-item">
            <input type="checkbox" id=check_id.clone() data-testid="selection-check"
                prop:checked=move || chosen.with(|chosen| id.with_value(|id| chosen.contains(id)))
                on:change=toggle/>
            <label for=check_id>
                <strong>{request.full_name.clone()}</strong>
                " "
                <span class="ltr meta">{request.tracking_code.display()}</span>
                <br/>
                <span class="meta">{move || topic_name(&deputy, lang.get())}</span>
                {(!summary.is_empty()).then(|| view! { <span class="meta">{format!(" — {summary}")}</span> })}
                {priority.map(|priority| view! {
                    " " <span class="badge" data-testid="selection-priority">{move || priority.label(lang.get())}</span>
                })}
                {deferred.then(|| view! {
                    " " <span class="badge" data-testid="selection-deferred">{tr("برگشته برای دیدار دیگر", "Back for another meeting")}</span>
                })}
            </label>
        </li>
    }
}

/// Where the committee may move a citizen given a place here.
#[derive(Clone)]
struct Moves {
    from: MeetingId,
    to: Vec<Meeting>,
    sender: CommandSender,
}

#[component]
fn Seated(seated: Vec<Attendee>, moves: Option<Moves>) -> impl IntoView {
    let lang = use_lang();
    let count = seated.len();
    view! {
        <section class="card" aria-labelledby="seated-title">
            <h2 id="seated-title">{tr("جای داده‌شده در این دیدار", "Given a place at this meeting")}</h2>
            {(count == 0).then(|| view! {
                <p data-testid="selection-seated-none">{tr("هنوز به کسی جا داده نشده است.", "Nobody has a place yet.")}</p>
            })}
            <ol class="seated-list" data-testid="selection-seated">
                {seated.into_iter().map(|place| {
                    let deputy = place.deputy.as_ref().map(|d| d.as_str().to_string()).unwrap_or_default();
                    let mover = moves.clone().zip(place.registration.clone());
                    view! {
                        <li data-testid="selection-seated-item">
                            {place.full_name.clone()}
                            <span class="meta">
                                {place.slot.map(|slot| view! { " — " {move || format_clock(slot, lang.get())} })}
                                " — "
                                {move || topic_name(&deputy, lang.get())}
                            </span>
                            {mover.map(|(moves, registration)| view! { <MoveSeated moves registration/> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// Moves one citizen given a place here to another open meeting of the
/// district, or back to the waiting list for a later one; the place here
/// is freed (`DeferSelection`).
#[component]
fn MoveSeated(moves: Moves, registration: RegistrationId) -> impl IntoView {
    let lang = use_lang();
    let target = RwSignal::new(String::new());
    let field_id = format!("move-{registration}");
    let options = moves
        .to
        .iter()
        .map(|meeting| {
            let id = meeting.id.to_string();
            let starts = meeting.plan.starts_at;
            let venue = meeting.plan.venue.clone();
            (id, starts, venue)
        })
        .collect::<Vec<_>>();
    let options = Signal::derive(move || {
        let lang = lang.get();
        options
            .iter()
            .map(|(id, starts, venue)| {
                (
                    id.clone(),
                    format!("{} — {venue}", format_datetime(*starts, lang)),
                )
            })
            .collect::<Vec<_>>()
    });
    let sender = moves.sender;
    let from = moves.from;
    let registration = StoredValue::new(registration);
    let send = move |_| {
        let to = MeetingId::parse(&target.get_untracked()).ok();
        sender.send(Command::DeferSelection {
            registration: registration.get_value(),
            from: from.clone(),
            to,
            slot: None,
        });
    };
    view! {
        <details class="action" data-testid="selection-move">
            <summary>{tr("انتقال به دیدار دیگر", "Move to another meeting")}</summary>
            <SelectField id=field_id label=tr("به کجا", "Where to") value=target options
                none=tr("فهرست انتظار، برای دیدار بعدی", "The waiting list, for a later meeting")/>
            <button class="button button-secondary" type="button" data-testid="selection-move-submit"
                disabled=sender.busy() on:click=send>
                {tr("انتقال و آزاد کردن این جا", "Move, freeing this place")}
            </button>
        </details>
    }
}
