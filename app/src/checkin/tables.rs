//! The deputies' tables (`/staff/checkin/tables/{meeting}`): the people
//! checked in, latest first, or anyone on the roster by the door's search
//! (a check-in made on another device may not have arrived yet) — and
//! each one's request form. Each entry says whether its form is written,
//! referred, or in conflict between two devices.

use std::collections::BTreeMap;

use domain::checkin::{Query, Searchable, in_expected_order, search};
use domain::i18n::Lang;
use domain::ids::{AttendeeId, MeetingId};
use domain::sync::{Attendee, RequestForm};
use domain::text::localize_digits;
use leptos::prelude::*;

use crate::i18n::{tr, use_lang};
use crate::sync::{SyncPanel, use_sync};

/// The most entries drawn at once: the table narrows by typing more.
const SHOWN: usize = 30;

/// Where a form stands, as its badge says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormState {
    None,
    Written,
    Referred,
    Conflict,
}

impl FormState {
    pub fn of(form: Option<&RequestForm>) -> FormState {
        match form {
            None => FormState::None,
            Some(form) if form.is_conflicted() => FormState::Conflict,
            Some(form) if form.referral.is_some() => FormState::Referred,
            Some(_) => FormState::Written,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            FormState::None => "none",
            FormState::Written => "written",
            FormState::Referred => "referred",
            FormState::Conflict => "conflict",
        }
    }

    fn label(self) -> (&'static str, &'static str) {
        match self {
            FormState::None => ("بدون فرم", "No form yet"),
            FormState::Written => ("فرم ثبت شده", "Form written"),
            FormState::Referred => ("ارجاع شده", "Referred"),
            FormState::Conflict => ("دو نسخهٔ ناهمخوان", "Conflicting versions"),
        }
    }
}

#[component]
pub fn Tables(meeting: MeetingId) -> impl IntoView {
    let sync = use_sync();
    let lang = use_lang();
    let meeting = StoredValue::new(meeting);
    let held = LocalResource::new(move || async move {
        sync.revision.track();
        let meeting = meeting.get_value();
        let mut roster: Vec<Searchable> = super::attendees_of(&meeting)
            .await?
            .into_iter()
            .map(|(attendee, _)| Searchable::new(attendee))
            .collect();
        in_expected_order(&mut roster);
        let forms: BTreeMap<AttendeeId, RequestForm> = super::forms_of(&meeting)
            .await?
            .into_iter()
            .map(|form| (form.id.clone(), form))
            .collect();
        Ok::<_, crate::store::StoreError>((roster, forms))
    });
    let query = RwSignal::new(String::new());
    let shown = move || {
        held.get().map(|read| {
            read.map(|(roster, forms)| {
                let typed = query.get();
                let (found, total) = if typed.trim().is_empty() {
                    latest_arrivals(&roster)
                } else {
                    search(&roster, &Query::new(&typed), SHOWN)
                };
                let rows: Vec<(Attendee, FormState)> = found
                    .into_iter()
                    .map(|entry| {
                        let state = FormState::of(forms.get(&entry.attendee.id));
                        (entry.attendee.clone(), state)
                    })
                    .collect();
                (rows, total)
            })
        })
    };
    view! {
        <h1>{tr("میزهای معاونت‌ها", "The deputies' tables")}</h1>
        <p><a href=move || format!("/staff/checkin/door/{}", meeting.get_value())>
            {tr("پذیرش درِ ورود", "Door check-in")}
        </a></p>
        <section class="card door-search" aria-labelledby="tables-search-label">
            <div class="field">
                <label id="tables-search-label" for="tables-search">
                    {tr(super::SEARCH_LABEL.0, super::SEARCH_LABEL.1)}
                </label>
                <input id="tables-search" type="search" autocomplete="off" data-testid="tables-search"
                    prop:value=move || query.get()
                    on:input=move |event| query.set(event_target_value(&event))/>
            </div>
            {move || super::once_read(shown(), super::ROSTER_UNREADABLE, |(rows, total)| view! {
                    <p data-testid="tables-count">{move || match (query.with(|q| q.trim().is_empty()), lang.get()) {
                        (true, Lang::Fa) => format!(
                            "{} نفر حاضر (تازه‌ترین در بالا)؛ برای یافتن هر کس در فهرست، جست‌وجو کنید.",
                            localize_digits(&total.to_string(), Lang::Fa)),
                        (true, Lang::En) => format!("{total} present (latest first); search to find anyone on the roster."),
                        (false, lang) => super::door::result_count(total, lang),
                    }}</p>
                    <ul class="request-list" data-testid="tables-results">
                        {rows.into_iter().map(|(attendee, state)| {
                            let href = format!("/staff/checkin/form/{}", attendee.id);
                            let present = attendee.present_since().is_some();
                            let label = state.label();
                            view! {
                                <li class="card request" data-testid="tables-entry" data-form=state.code()>
                                    <h3><a href=href>{attendee.full_name.clone()}</a></h3>
                                    <p class="meta">{move || super::door::where_to(&attendee, lang.get())}</p>
                                    <p>
                                        <span class=if state == FormState::Conflict { "badge" } else { "badge badge-pending" }>
                                            {tr(label.0, label.1)}
                                        </span>
                                        " "
                                        {(!present).then(|| view! {
                                            <span class="meta">{tr("(ورودش هنوز به این دستگاه نرسیده)", "(no check-in on this device yet)")}</span>
                                        })}
                                    </p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any())}
        </section>
        <SyncPanel/>
    }
}

/// The people present, latest arrival first, and how many are present.
fn latest_arrivals(roster: &[Searchable]) -> (Vec<&Searchable>, usize) {
    let mut present: Vec<(&Searchable, _)> = roster
        .iter()
        .filter_map(|entry| Some((entry, entry.attendee.present_since()?.at)))
        .collect();
    present.sort_by_key(|&(_, at)| std::cmp::Reverse(at));
    let total = present.len();
    (
        present
            .into_iter()
            .take(SHOWN)
            .map(|(entry, _)| entry)
            .collect(),
        total,
    )
}

/// "Referred to the urban-planning deputy, due 14 Dey 1405".
pub fn referral_text(form: &RequestForm, lang: Lang) -> Option<String> {
    let referral = form.referral.as_ref()?;
    let deputy = crate::registration::topic_name(referral.deputy.as_str(), lang);
    let due = referral.due.format(lang);
    Some(match lang {
        Lang::Fa => format!("ارجاع به {deputy}؛ مهلت پاسخ: {due}"),
        Lang::En => format!("Referred to {deputy}; answer due {due}"),
    })
}
