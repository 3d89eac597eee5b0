//! The executive committee (DESIGN §2 step 2): the district's requests as
//! this device holds them, each reviewed — linked to the district's
//! existing case files, which the screen suggests (by the number the
//! citizen wrote, the owner's national ID as the server matched it, or
//! the owner's name) — or rejected with a reason the citizen reads. The
//! citizen's other requests are shown beside each: asking again is a
//! signal. Works offline: every action is a sync command, shown at once
//! and sent when the network allows.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use domain::auth::{Profile, Role};
use domain::case_files::{CaseFile, CaseFileIndex, Match};
use domain::i18n::{Lang, Localized};
use domain::ids::PersonKey;
use domain::ids::RegistrationId;
use domain::registration::CaseNumber;
use domain::review::{Entry, Filter, Queue, StateFilter};
use domain::sync::{Command, Record, RecordKind, RegistrationRecord};
use domain::text::localize_digits;
use domain::time::{format_datetime, format_gregorian};
use leptos::prelude::*;

use crate::i18n::{tr, use_lang};
use crate::nav::AreaPath;
use crate::sync::{self, SyncPanel, use_sync};
use crate::ui::NotFound;
use crate::ui::controls::{ChoiceButton, SelectField};

/// The area's screen (see `staff`): one screen, no sections yet.
pub fn area(profile: Profile, path: AreaPath) -> AnyView {
    match path.section {
        None => view! { <ReviewPage profile/> }.into_any(),
        Some(_) => view! { <NotFound/> }.into_any(),
    }
}

/// Cards shown at first, and added by "show more": a phone stays quick
/// with a district's 20,000 requests on it.
const PAGE: usize = 30;

/// What the page reads from the device: the queue, the case files it was
/// built with (for the cards' suggestions), and each citizen's requests.
#[derive(Clone, Default)]
struct Loaded {
    queue: Arc<Queue>,
    case_files: Arc<CaseFileIndex>,
    by_citizen: Arc<HashMap<PersonKey, Vec<RegistrationRecord>>>,
}

/// Reads the district's requests and case files this device holds.
async fn load() -> Result<Loaded, crate::store::StoreError> {
    let requests = sync::of_kind(RecordKind::Registration).await?;
    // Without its case files the queue still works, unsuggested.
    let files = sync::of_kind(RecordKind::CaseFile)
        .await
        .unwrap_or_default();
    let case_files = CaseFileIndex::new(
        files
            .iter()
            .filter_map(|row| match row.view() {
                Some(Record::CaseFile(file)) => Some(file.clone()),
                _ => None,
            })
            .collect(),
    );
    let mut by_citizen: HashMap<PersonKey, Vec<RegistrationRecord>> = HashMap::new();
    let mut entries = Vec::with_capacity(requests.len());
    for row in &requests {
        let Some(Record::Registration(record)) = row.view() else {
            continue;
        };
        if let Some(citizen) = &record.citizen {
            by_citizen
                .entry(citizen.clone())
                .or_default()
                .push(record.clone());
        }
        entries.push(Entry::new(
            record.clone(),
            row.has_pending_work(),
            &case_files,
        ));
    }
    for requests in by_citizen.values_mut() {
        requests.sort_by_key(|record| record.submitted_at);
    }
    Ok(Loaded {
        queue: Arc::new(Queue::new(entries)),
        case_files: Arc::new(case_files),
        by_citizen: Arc::new(by_citizen),
    })
}

#[component]
fn ReviewPage(profile: Profile) -> impl IntoView {
    let sync = use_sync();
    let lang = use_lang();
    let state = RwSignal::new(StateFilter::New);
    let topic = RwSignal::new(String::new());
    let week = RwSignal::new(String::new());
    let with_case_file = RwSignal::new(false);
    let search = RwSignal::new(String::new());
    let limit = RwSignal::new(PAGE);
    let loaded = LocalResource::new(move || async move {
        sync.revision.track();
        load().await
    });
    let current = move || loaded.get().and_then(Result::ok).unwrap_or_default();
    let case_files = Signal::derive(move || current().case_files);
    let filter = Memo::new(move |_| Filter {
        state: state.get(),
        topic: Some(topic.get()).filter(|t| !t.is_empty()),
        week: week.get().parse().ok(),
        with_case_file: with_case_file.get(),
        search: search.get(),
    });
    // A new filter starts from the top again.
    Effect::new(move |_| {
        filter.track();
        limit.set(PAGE);
    });
    let selected = Memo::new(move |_| {
        let loaded = current();
        let (entries, counts) = loaded.queue.select(&filter.get());
        let total = entries.len();
        let shown: Vec<Shown> = entries
            .into_iter()
            .take(limit.get())
            .map(|entry| Shown {
                others: entry
                    .record
                    .citizen
                    .as_ref()
                    .and_then(|citizen| loaded.by_citizen.get(citizen))
                    .map(|all| {
                        all.iter()
                            .filter(|other| other.id != entry.record.id)
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default(),
                record: entry.record.clone(),
                pending: entry.pending,
            })
            .collect();
        (shown, counts, total)
    });
    let topics = Signal::derive(move || {
        let lang = lang.get();
        current()
            .queue
            .choices()
            .0
            .into_iter()
            .map(|slug| {
                let name = crate::registration::topic_name(&slug, lang);
                (slug, name)
            })
            .collect::<Vec<_>>()
    });
    let weeks = Signal::derive(move || {
        let lang = lang.get();
        current()
            .queue
            .choices()
            .1
            .into_iter()
            .map(|saturday| {
                let jalali = domain::jalali::JalaliDate::from_gregorian(saturday)
                    .map(|date| date.format(lang))
                    .unwrap_or_default();
                let text = match lang {
                    Lang::Fa => format!("هفتهٔ {jalali}"),
                    Lang::En => format!("Week of {jalali}"),
                };
                (saturday.to_string(), text)
            })
            .collect::<Vec<_>>()
    });
    let profile = StoredValue::new(profile);
    view! {
        <h1>{tr("کمیتهٔ اجرایی", "Executive committee")}</h1>
        <SyncPanel/>
        <section class="card" aria-labelledby="requests-title">
            <h2 id="requests-title">{tr("درخواست‌های منطقه", "The district's requests")}</h2>
            <div class="filters" role="group" aria-label=move || tr("نمایش", "Show")()>
                <ChoiceButton choice=state value=StateFilter::New label=("تازه", "New")/>
                <ChoiceButton choice=state value=StateFilter::Reviewed label=("بررسی‌شده", "Reviewed")/>
                <ChoiceButton choice=state value=StateFilter::All label=("همه", "All")/>
            </div>
            <p class="meta" data-testid="review-counts">{move || {
                let counts = selected.with(|(_, counts, _)| *counts);
                let text = match lang.get() {
                    Lang::Fa => format!("تازه: {} — بررسی‌شده: {} — همه: {}", counts.new, counts.reviewed, counts.all),
                    Lang::En => format!("New: {} — reviewed: {} — all: {}", counts.new, counts.reviewed, counts.all),
                };
                localize_digits(&text, lang.get())
            }}</p>
            <div class="filter-fields">
                <SelectField id="review-topic" label=tr("موضوع", "Topic") value=topic options=topics
                    none=tr("همهٔ موضوع‌ها", "Every topic")/>
                <SelectField id="review-week" label=tr("هفته", "Week") value=week options=weeks
                    none=tr("همهٔ هفته‌ها", "Every week")/>
            </div>
            <label class="check">
                <input type="checkbox" data-testid="review-with-case-file"
                    prop:checked=move || with_case_file.get()
                    on:change=move |event| with_case_file.set(event_target_checked(&event))/>
                {tr("فقط درخواست‌هایی که پرونده دارند (نوشته، پیشنهادی یا پیوندشده)", "Only requests with a case file (given, suggested or linked)")}
            </label>
            <div class="field">
                <label for="review-search">{tr("جست‌وجو (نام، کد رهگیری، شرح)", "Search (name, tracking code, description)")}</label>
                <input id="review-search" type="search"
                    prop:value=move || search.get()
                    on:input=move |event| search.set(event_target_value(&event))/>
            </div>
            <p data-testid="review-count" data-count=move || selected.with(|(_, _, total)| *total)>{move || {
                let count = selected.with(|(_, _, total)| *total).to_string();
                match lang.get() {
                    Lang::Fa => format!("{} درخواست", localize_digits(&count, Lang::Fa)),
                    Lang::En => format!("{count} requests"),
                }
            }}</p>
            {move || match loaded.get() {
                Some(Err(problem)) => Some(view! {
                    <p class="alert-error" role="alert" data-testid="review-load-error">
                        {tr("درخواست‌های این دستگاه خوانده نشد: ", "This device's requests could not be read: ")}
                        {problem.to_string()}
                        " "
                        <button class="button button-small button-secondary" type="button" on:click=move |_| loaded.refetch()>
                            {tr("دوباره تلاش کنید", "Try again")}
                        </button>
                    </p>
                }),
                _ => None,
            }}
            <ul class="request-list" data-testid="review-list">
                // Keyed by what a decision changes: a sync that changed
                // other requests leaves a card someone is filling in alone.
                <For each=move || selected.get().0 key=|shown| (shown.record.id.clone(), shown.record.status, shown.pending, shown.others.len())
                    children=move |shown| view! {
                        <RequestCard shown case_files profile=profile.get_value()/>
                    }/>
            </ul>
            {move || {
                let (shown, total) = selected.with(|(shown, _, total)| (shown.len(), *total));
                (shown < total).then(|| view! {
                    <button class="button button-secondary" type="button" data-testid="review-more"
                        on:click=move |_| limit.update(|limit| *limit += PAGE)>
                        {move || match lang.get() {
                            Lang::Fa => format!("نمایش {} درخواست دیگر", localize_digits(&PAGE.min(total - shown).to_string(), Lang::Fa)),
                            Lang::En => format!("Show {} more", PAGE.min(total - shown)),
                        }}
                    </button>
                })
            }}
        </section>
    }
}

/// A request on screen, with the citizen's other requests.
#[derive(Clone, PartialEq)]
struct Shown {
    record: RegistrationRecord,
    pending: bool,
    others: Vec<RegistrationRecord>,
}

#[component]
fn RequestCard(
    shown: Shown,
    case_files: Signal<Arc<CaseFileIndex>>,
    profile: Profile,
) -> impl IntoView {
    let Shown {
        record,
        pending,
        others,
    } = shown;
    let lang = use_lang();
    // Administrators see every district's requests; deciding is the
    // committee's, and the server would refuse anyone else's command.
    let may_decide = profile
        .grants
        .iter()
        .any(|grant| grant.allows(Role::ReviewCommittee, record.district));
    let open = may_decide && record.status.is_with_review_committee();
    let submitted = record.submitted_at;
    let review = record.review.clone();
    let rejection = record.rejection.clone();
    let topic = record.topic.clone();
    view! {
        <li class="card request" data-testid="review-item" data-tracking-code=record.tracking_code.as_str().to_string()>
            <h3>{record.full_name.clone()}</h3>
            <p class="meta">
                <span class="ltr">{record.tracking_code.display()}</span>
                " — "
                {move || crate::registration::topic_name(&topic, lang.get())}
                " — "
                <time datetime=submitted.to_rfc3339() title=format_gregorian(submitted)>
                    {move || format_datetime(submitted, lang.get())}
                </time>
            </p>
            <p>
                <span class="badge" data-testid="review-status">{move || record.status.label(lang.get())}</span>
                {pending.then(|| view! {
                    " "
                    <span class="badge badge-pending" data-testid="review-pending">
                        {tr("در انتظار ارسال", "Waiting to be sent")}
                    </span>
                })}
            </p>
            {record.shares_national_id.then(|| view! {
                <p class="warning" data-testid="review-shared-national-id">
                    {tr(
                        "هشدار: درخواست دیگری در همین هفته با همین کد ملی ولی از شمارهٔ همراه دیگری ثبت شده است. شاید کسی از کد ملی این شهروند استفاده کرده باشد؛ پیش از تصمیم هر دو را ببینید.",
                        "Warning: another request this week has the same national ID from a different mobile. Someone may be using this citizen's ID; look at both before deciding.",
                    )}
                </p>
            })}
            <p class="description">{record.description.clone()}</p>
            {record.case_number.as_ref().map(|number| view! {
                <p>{tr("شمارهٔ پرونده‌ای که شهروند نوشته: ", "Case number given by the citizen: ")}
                    <span class="ltr">{number.as_str().to_string()}</span></p>
            })}
            {review.map(|review| view! {
                <p data-testid="review-links">
                    {tr("پرونده‌های پیوندشده: ", "Linked case files: ")}
                    {if review.case_files.is_empty() {
                        tr("هیچ", "none")().to_string()
                    } else {
                        review.case_files.iter().map(|n| n.as_str().to_string()).collect::<Vec<_>>().join("، ")
                    }}
                    {(!review.note.is_empty()).then(|| format!(" — {}", review.note))}
                </p>
            })}
            {rejection.map(|reason| view! {
                <p data-testid="review-rejection">{tr("دلیل رد: ", "Reason for rejection: ")}{reason}</p>
            })}
            {(!others.is_empty()).then(|| view! { <OtherRequests others/> })}
            {open.then(|| {
                let request = record.clone();
                let suggestions = Memo::new(move |_| {
                    case_files.with(|index| {
                        index
                            .suggest(&request)
                            .into_iter()
                            .map(|(why, file)| (why, file.clone()))
                            .collect::<Vec<_>>()
                    })
                });
                view! { <Actions id=record.id.clone() suggestions/> }
            })}
        </li>
    }
}

/// The citizen's other requests, this window's and earlier ones.
#[component]
fn OtherRequests(others: Vec<RegistrationRecord>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="other-requests" data-testid="review-others">
            <p>{tr("درخواست‌های دیگر همین شهروند:", "The same citizen's other requests:")}</p>
            <ul>
                {others.into_iter().map(|other| {
                    let at = other.submitted_at;
                    let topic = other.topic.clone();
                    view! {
                        <li data-testid="review-other">
                            <span class="ltr">{other.tracking_code.display()}</span>
                            " — "
                            <time datetime=at.to_rfc3339()>{move || domain::time::jalali_today(at).format(lang.get())}</time>
                            " — "
                            {move || crate::registration::topic_name(&topic, lang.get())}
                            " — "
                            <span class="badge">{move || other.status.label(lang.get())}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}

/// The two decisions on an open request.
#[component]
fn Actions(id: RegistrationId, suggestions: Memo<Vec<(Match, CaseFile)>>) -> impl IntoView {
    let lang = use_lang();
    let sender = sync::use_command();
    let case_files = RwSignal::new(String::new());
    let picked = RwSignal::new(BTreeSet::<CaseNumber>::new());
    let note = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let id = StoredValue::new(id);

    let review = move |_| match CaseNumber::parse_list(&case_files.get_untracked()) {
        Ok(typed) => {
            let mut linked = picked.get_untracked();
            linked.extend(typed);
            sender.send(Command::ReviewRegistration {
                registration: id.get_value(),
                case_files: linked.into_iter().collect(),
                note: note.get_untracked(),
            })
        }
        Err(problem) => sender.refuse(problem.message(lang.get_untracked()).to_string()),
    };
    let reject = move |_| {
        sender.send(Command::RejectRegistration {
            registration: id.get_value(),
            reason: reason.get_untracked(),
        })
    };
    let field_id = move |name: &str| format!("{name}-{}", id.get_value());
    // A card's forms are drawn when opened: a queue redraws 30 cards at a
    // keystroke, and most are only looked at.
    let reviewing = RwSignal::new(false);
    let rejecting = RwSignal::new(false);
    view! {
        <details class="action" on:toggle=move |event| reviewing.set(opened(&event))>
            <summary>
                {tr("ثبت بررسی و پیوند پرونده", "Record the review and link case files")}
                {move || {
                    let count = suggestions.with(Vec::len);
                    (count > 0).then(|| view! {
                        " "
                        <span class="badge" data-testid="review-suggestion-count">{move || match lang.get() {
                            Lang::Fa => format!("{} پروندهٔ پیشنهادی", localize_digits(&count.to_string(), Lang::Fa)),
                            Lang::En => format!("{count} suggested case files"),
                        }}</span>
                    })
                }}
            </summary>
            {move || reviewing.get().then(|| view! {
                <Suggestions suggestions picked/>
                <div class="field">
                    <label for=field_id("case-files")>{tr("شمارهٔ پرونده‌های دیگر (با ویرگول جدا کنید؛ اگر نیست خالی بگذارید)", "Other case numbers (comma-separated; leave empty if none)")}</label>
                    <input id=field_id("case-files") class="ltr" data-testid="review-case-files"
                        prop:value=move || case_files.get()
                        on:input=move |event| case_files.set(event_target_value(&event))/>
                </div>
                <div class="field">
                    <label for=field_id("note")>{tr("یادداشت", "Note")}</label>
                    <textarea id=field_id("note") rows="2"
                        prop:value=move || note.get()
                        on:input=move |event| note.set(event_target_value(&event))></textarea>
                </div>
                <button class="button" type="button" on:click=review disabled=sender.busy() data-testid="review-submit">
                    {tr("ثبت بررسی", "Record review")}
                </button>
            })}
        </details>
        <details class="action" on:toggle=move |event| rejecting.set(opened(&event))>
            <summary>{tr("رد درخواست", "Reject the request")}</summary>
            {move || rejecting.get().then(|| view! {
                <div class="field">
                    <label for=field_id("reason")>{tr("دلیل (شهروند این دلیل را می‌بیند)", "Reason (the citizen reads it)")}</label>
                    <textarea id=field_id("reason") rows="2" data-testid="review-reason"
                        prop:value=move || reason.get()
                        on:input=move |event| reason.set(event_target_value(&event))></textarea>
                </div>
                <button class="button button-danger" type="button" on:click=reject disabled=sender.busy() data-testid="review-reject">
                    {tr("رد درخواست", "Reject")}
                </button>
            })}
        </details>
        <p class="error" role="alert" data-testid="review-error">{sender.error()}</p>
    }
}

/// Whether the `<details>` a toggle event is from is open now.
fn opened(event: &leptos::ev::Event) -> bool {
    event_target::<web_sys::HtmlDetailsElement>(event).open()
}

/// The district's case files that may be this request's, each linked with
/// a tap: the number, what it is about, its owner, and why it is offered.
#[component]
fn Suggestions(
    suggestions: Memo<Vec<(Match, CaseFile)>>,
    picked: RwSignal<BTreeSet<CaseNumber>>,
) -> impl IntoView {
    let lang = use_lang();
    move || {
        let suggestions = suggestions.get();
        (!suggestions.is_empty()).then(|| view! {
            <fieldset class="suggestions" data-testid="review-suggestions">
                <legend>{tr("پرونده‌های پیشنهادی منطقه", "Suggested case files of the district")}</legend>
                {suggestions.into_iter().map(|(why, file)| {
                    let number = file.number.clone();
                    let toggled = number.clone();
                    let shown_number = number.as_str().to_string();
                    let owner_digits = file.owner_national_id_last4.as_ref().map(|d| d.as_str().to_string());
                    view! {
                        <label class="suggestion" data-testid="review-suggestion" data-number=shown_number>
                            <input type="checkbox"
                                prop:checked=move || picked.with(|p| p.contains(&number))
                                on:change=move |event| {
                                    let on = event_target_checked(&event);
                                    picked.update(|p| {
                                        if on { p.insert(toggled.clone()); } else { p.remove(&toggled); }
                                    });
                                }/>
                            <span>
                                <strong class="ltr">{file.number.as_str().to_string()}</strong>
                                " — " {file.subject.clone()}
                                " — " {file.owner_name.clone()}
                                {owner_digits.map(|digits| view! {
                                    " " <span class="meta">{move || match lang.get() {
                                        Lang::Fa => format!("(کد ملی …{})", localize_digits(&digits, Lang::Fa)),
                                        Lang::En => format!("(national ID …{digits})"),
                                    }}</span>
                                })}
                                {(!file.status.is_empty()).then(|| view! { " — " <span class="badge">{file.status.clone()}</span> })}
                                <br/>
                                <span class="meta">{move || why.label(lang.get())}</span>
                            </span>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
        })
    }
}
