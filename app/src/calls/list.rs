//! A meeting's call list: each selected citizen with their slot, table
//! and where calling them stands, in the order calls are due — never
//! called first, then retries whose time has come. "Call" claims the
//! person on the server, which answers with the number to dial (a `tel:`
//! link) and shows the other operators who is calling whom; the outcome
//! is recorded with one tap and ends the claim.

use domain::auth::{Profile, Role};
use domain::calls::{CallOutcome, CallState, ClaimHeld, Claimed};
use domain::i18n::Lang;
use domain::ids::{AttendeeId, MeetingId};
use domain::person::Mobile;
use domain::sync::{Attendee, AttendeeKind, Command, MeetingRecord};
use domain::text::localize_digits;
use domain::time::{format_clock, format_datetime, format_gregorian};
use leptos::prelude::*;

use crate::api;
use crate::checkin::{attendees_of, meeting_record, once_read};
use crate::clock;
use crate::i18n::{tr, use_lang};
use crate::registration::topic_name;
use crate::store::StoreError;
use crate::sync::{self, CommandSender, SyncPanel, use_sync};
use crate::ui::controls::{ChoiceButton, DATA_UNREADABLE, MeetingNotHere};

/// How often the list asks who is calling whom while it is open.
const CLAIMS_EVERY: std::time::Duration = std::time::Duration::from_secs(15);

/// The meeting and the citizens to call, as this device holds them.
#[derive(Clone)]
struct Sheet {
    meeting: Option<MeetingRecord>,
    places: Vec<Attendee>,
}

async fn sheet(meeting: &MeetingId) -> Result<Sheet, StoreError> {
    let Some(record) = meeting_record(meeting).await? else {
        return Ok(Sheet {
            meeting: None,
            places: Vec::new(),
        });
    };
    let now = clock::server_now();
    let mut places: Vec<Attendee> = attendees_of(meeting)
        .await?
        .into_iter()
        .map(|(place, _)| place)
        .filter(|place| place.attendee_kind == AttendeeKind::Citizen && !place.walk_in)
        .collect();
    // Each place's key once, not at every comparison.
    places.sort_by_cached_key(|p| (p.call_state().urgency(now), p.slot, p.full_name.clone()));
    Ok(Sheet {
        meeting: Some(record),
        places,
    })
}

/// Which of the list's people are shown.
#[derive(Clone, Copy, PartialEq)]
enum Show {
    /// Those still to be called (never called, or not answered yet).
    ToCall,
    All,
}

impl Show {
    fn includes(self, place: &Attendee) -> bool {
        self == Show::All
            || matches!(
                place.call_state(),
                CallState::NotCalled | CallState::Retry { .. }
            )
    }
}

/// The call this operator is on: whom, and the number the server gave.
#[derive(Clone, PartialEq)]
struct OpenCall {
    attendee: AttendeeId,
    mobile: Mobile,
    until: chrono::DateTime<chrono::Utc>,
}

/// What the list's rows share: the call in progress, the claims, and
/// what the last action came to.
#[derive(Clone, Copy)]
struct Desk {
    open: RwSignal<Option<OpenCall>>,
    claims: RwSignal<Vec<ClaimHeld>>,
    /// A claim refused, or the network missing: said above the list.
    notice: RwSignal<Option<String>>,
    note: RwSignal<String>,
    sender: CommandSender,
    meeting: StoredValue<MeetingId>,
    lang: RwSignal<Lang>,
}

impl Desk {
    /// Asks the server who is calling whom (quietly keeps the last answer
    /// when offline: outcomes can still be recorded).
    fn refresh_claims(self) {
        leptos::task::spawn_local(async move {
            let path = format!("/api/calls/claims?meeting={}", self.meeting.get_value());
            if let Ok(held) = api::get::<Vec<ClaimHeld>>(&path).await {
                self.claims.try_set(held);
            }
        });
    }

    /// Claims `attendee` and opens the call with the number to dial.
    fn start(self, attendee: AttendeeId) {
        leptos::task::spawn_local(async move {
            let path = format!("/api/calls/{attendee}/claim");
            let answer = api::post::<_, Claimed>(&path, &()).await;
            let lang = self.lang.get_untracked();
            match answer.map(|claimed| (Mobile::parse(&claimed.mobile), claimed.until)) {
                Ok((Ok(mobile), until)) => {
                    self.notice.try_set(None);
                    self.note.try_set(String::new());
                    self.open.try_set(Some(OpenCall {
                        attendee,
                        mobile,
                        until,
                    }));
                }
                Ok((Err(_), _)) => {
                    self.notice.try_set(Some(
                        tr(
                            "شمارهٔ ثبت‌شدهٔ این شهروند شمارهٔ همراه نیست؛ به کمیتهٔ تشخیص بگویید.",
                            "The number this citizen registered is not a mobile; tell the screening committee.",
                        )()
                        .to_string(),
                    ));
                }
                Err(error) => {
                    self.notice.try_set(Some(error.explain(lang)));
                }
            }
            self.refresh_claims();
        });
    }

    /// Records the open call's outcome; the server ends the claim when
    /// the command reaches it.
    fn record(self, outcome: CallOutcome) {
        let Some(call) = self.open.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let command = Command::RecordCall {
                attendee: call.attendee,
                outcome,
                note: self.note.get_untracked(),
            };
            if self.sender.run(command, Vec::new()).await.is_some() {
                self.open.try_set(None);
                self.note.try_set(String::new());
            }
        });
    }

    /// Gives the claim up without recording a call (dialled by mistake).
    fn put_down(self) {
        let Some(call) = self.open.get_untracked() else {
            return;
        };
        self.open.set(None);
        leptos::task::spawn_local(async move {
            let path = format!("/api/calls/{}/claim", call.attendee);
            // Offline, the claim lapses by itself.
            let _ = api::delete(&path).await;
            self.refresh_claims();
        });
    }
}

#[component]
pub fn CallList(profile: Profile, meeting: MeetingId) -> impl IntoView {
    let sync = use_sync();
    let lang = use_lang();
    let desk = Desk {
        open: RwSignal::new(None),
        claims: RwSignal::new(Vec::new()),
        notice: RwSignal::new(None),
        note: RwSignal::new(String::new()),
        sender: sync::use_command(),
        meeting: StoredValue::new(meeting),
        lang,
    };
    let show = RwSignal::new(Show::ToCall);
    let loaded = LocalResource::new(move || async move {
        sync.revision.track();
        sheet(&desk.meeting.get_value()).await
    });
    desk.refresh_claims();
    if let Ok(handle) = set_interval_with_handle(move || desk.refresh_claims(), CLAIMS_EVERY) {
        on_cleanup(move || handle.clear());
    }
    view! {
        <h1>{tr("فهرست تماس ۱۳۷", "137 call list")}</h1>
        <p><a href="/staff/calls">{tr("بازگشت به سامانهٔ ۱۳۷", "Back to the call centre")}</a></p>
        {move || once_read(loaded.get(), DATA_UNREADABLE, |sheet| match sheet {
            Sheet { meeting: None, .. } => view! { <MeetingNotHere test_id="calls-unknown"/> }.into_any(),
            Sheet { meeting: Some(record), places } => {
                let may_call = profile.grants.iter().any(|grant| {
                    grant.allows(Role::CallCenter, record.meeting.plan.district)
                });
                let closed = record.closed.is_some();
                view! {
                    <MeetingCard record places=places.clone()/>
                    <p class="error" role="alert" data-testid="calls-notice">{move || desk.notice.get()}</p>
                    <p class="error" role="alert" data-testid="calls-error">{desk.sender.error()}</p>
                    <div class="filters" role="group" aria-label=tr("نمایش", "Show")>
                        <ChoiceButton choice=show value=Show::ToCall label=("در انتظار تماس", "To call")/>
                        <ChoiceButton choice=show value=Show::All label=("همه", "Everyone")/>
                    </div>
                    <ol class="request-list" data-testid="calls-list">
                        <For each=move || {
                            let show = show.get();
                            places.iter().filter(|place| show.includes(place)).cloned().collect::<Vec<_>>()
                        } key=|place| (place.id.clone(), place.calls.len(), place.released.is_some()) let:place>
                            <Row place desk may_call=may_call && !closed/>
                        </For>
                    </ol>
                }.into_any()
            }
        })}
        <SyncPanel/>
    }
}

/// The meeting's day and place (what the operator tells each citizen),
/// and where calling stands.
#[component]
fn MeetingCard(record: MeetingRecord, places: Vec<Attendee>) -> impl IntoView {
    let lang = use_lang();
    let plan = record.meeting.plan.clone();
    let starts = plan.starts_at;
    let states: Vec<CallState> = places.iter().map(Attendee::call_state).collect();
    let count = |wanted: fn(&CallState) -> bool| states.iter().filter(|s| wanted(s)).count();
    let waiting = count(|s| matches!(s, CallState::NotCalled | CallState::Retry { .. }));
    let confirmed = count(|s| *s == CallState::Done(CallOutcome::Confirmed));
    let given_up = count(|s| matches!(s, CallState::Done(o) if o.gives_up_place()));
    let wrong = count(|s| *s == CallState::Done(CallOutcome::WrongNumber));
    let total = places.len();
    let n = move |n: usize| localize_digits(&n.to_string(), lang.get());
    view! {
        <section class="card">
            <h2>{localize_digits(&plan.venue, lang.get_untracked())}</h2>
            <p class="meta">
                <time datetime=starts.to_rfc3339() title=format_gregorian(starts)>
                    {move || format_datetime(starts, lang.get())}
                </time>
            </p>
            <p class="notice" data-testid="calls-counts" data-waiting=waiting data-confirmed=confirmed>{move || match lang.get() {
                Lang::Fa => format!(
                    "{} شهروند: {} در انتظار تماس، {} حضور را تأیید کرده، {} از جای خود گذشته، {} با شمارهٔ اشتباه.",
                    n(total), n(waiting), n(confirmed), n(given_up), n(wrong)),
                Lang::En => format!(
                    "{total} citizens: {waiting} to call, {confirmed} confirmed, {given_up} gave the place up, {wrong} wrong numbers."),
            }}</p>
        </section>
    }
}

/// One citizen on the list.
#[component]
fn Row(place: Attendee, desk: Desk, may_call: bool) -> impl IntoView {
    let lang = use_lang();
    let id = StoredValue::new(place.id.clone());
    let state = place.call_state();
    let deputy = place
        .deputy
        .as_ref()
        .map(|d| d.as_str().to_string())
        .unwrap_or_default();
    let slot = place.slot;
    let code = place.tracking_code.map(|code| code.display());
    let claim = move || {
        desk.claims
            .with(|claims| id.with_value(|id| claims.iter().find(|c| &c.attendee == id).cloned()))
    };
    let is_open = move || {
        desk.open
            .with(|open| id.with_value(|id| open.as_ref().is_some_and(|o| &o.attendee == id)))
    };
    let done = matches!(state, CallState::Done(_));
    let held_by_other = move || claim().is_some_and(|c| !c.mine);
    view! {
        <li class="card request" data-testid="call-item" data-attendee=place.id.to_string()
            data-state=state_code(state)>
            <p>
                <strong>{place.full_name.clone()}</strong>
                {code.map(|code| view! { " " <span class="ltr meta">{code}</span> })}
            </p>
            <p class="meta">
                {slot.map(|slot| view! { {move || format_clock(slot, lang.get())} " — " })}
                {move || topic_name(&deputy, lang.get())}
            </p>
            <p data-testid="call-state">{move || state_text(state, lang.get())}</p>
            {move || claim().map(|claim| {
                let until = claim.until;
                view! {
                    <p class="badge" data-testid="call-claimed">{move || match (claim.mine, lang.get()) {
                        (true, Lang::Fa) => format!("شما در حال تماس هستید (تا {})", format_clock(until, Lang::Fa)),
                        (true, Lang::En) => format!("You are calling (until {})", format_clock(until, Lang::En)),
                        (false, Lang::Fa) => format!("{} در حال تماس است (تا {})", claim.by, format_clock(until, Lang::Fa)),
                        (false, Lang::En) => format!("{} is calling (until {})", claim.by, format_clock(until, Lang::En)),
                    }}</p>
                }
            })}
            {move || match (is_open(), may_call) {
                (true, _) => view! { <OpenCallPanel desk/> }.into_any(),
                (false, true) => view! {
                    <button class="button" type="button" data-testid="call-start"
                        disabled=move || held_by_other() || desk.open.with(Option::is_some)
                        on:click=move |_| desk.start(id.get_value())>
                        {if done { tr("تماس دوباره", "Call again") } else { tr("تماس", "Call") }}
                    </button>
                }.into_any(),
                (false, false) => ().into_any(),
            }}
        </li>
    }
}

/// The call in progress: the number to dial and the outcomes.
#[component]
fn OpenCallPanel(desk: Desk) -> impl IntoView {
    let lang = use_lang();
    let Some(call) = desk.open.get_untracked() else {
        return ().into_any();
    };
    let dial = format!("tel:{}", call.mobile.local());
    let until = call.until;
    view! {
        <div class="call-panel" data-testid="call-panel">
            <p>
                <a class="button button-secondary ltr" href=dial data-testid="call-dial">
                    {move || call.mobile.display(lang.get())}
                </a>
            </p>
            <p class="hint">{move || match lang.get() {
                Lang::Fa => format!("تا ساعت {} کس دیگری با این شهروند تماس نمی‌گیرد.", format_clock(until, Lang::Fa)),
                Lang::En => format!("Nobody else calls this citizen until {}.", format_clock(until, Lang::En)),
            }}</p>
            <div class="field">
                <label for="call-note">{tr("یادداشت (اختیاری)", "Note (optional)")}</label>
                <input id="call-note" type="text" data-testid="call-note"
                    prop:value=move || desk.note.get()
                    on:input=move |event| desk.note.set(event_target_value(&event))/>
            </div>
            <div class="actions">
                {CallOutcome::ALL.into_iter().map(|outcome| view! {
                    <button class="button button-secondary" type="button"
                        data-testid=format!("call-outcome-{}", outcome.code())
                        disabled=desk.sender.busy()
                        on:click=move |_| desk.record(outcome)>
                        {move || outcome.name(lang.get())}
                    </button>
                }).collect_view()}
                <button class="button button-secondary" type="button" data-testid="call-put-down"
                    on:click=move |_| desk.put_down()>
                    {tr("تماس گرفته نشد", "No call made")}
                </button>
            </div>
        </div>
    }
    .into_any()
}

fn state_code(state: CallState) -> &'static str {
    match state {
        CallState::NotCalled => "not_called",
        CallState::Retry { .. } => "retry",
        CallState::Done(outcome) => outcome.code(),
    }
}

/// Where calling stands, with when to try again.
fn state_text(state: CallState, lang: Lang) -> String {
    match (state, lang) {
        (CallState::Retry { attempts, next_try }, Lang::Fa) => format!(
            "{} بار پاسخ نداد؛ تماس بعدی از {}",
            localize_digits(&attempts.to_string(), Lang::Fa),
            format_datetime(next_try, Lang::Fa)
        ),
        (CallState::Retry { attempts, next_try }, Lang::En) => format!(
            "No answer {attempts} times; next try from {}",
            format_datetime(next_try, Lang::En)
        ),
        (state, lang) => state.label(lang),
    }
}
