//! Follow-up (DESIGN §2 step 6): every referral a meeting's table made,
//! with its due date and where it stands. The district manager reports
//! what came of each (`ReportFollowUp`: a result the citizen reads, or a
//! later date and why); the follow-up committee watches what is due and
//! what is late, by deputy. Works offline like every staff screen: a
//! report is kept on the device and sent when the network allows.
//!
//! "On time" is the domain's one definition (`followup::timeliness`); the
//! report to the mayor's office per meeting is `report`.

mod report;

use domain::auth::{Profile, Role};
use domain::followup::{Outcome, Report, Standing, Tally, days_past};
use domain::i18n::{Lang, Localized};
use domain::ids::{AttendeeId, MeetingId};
use domain::jalali::JalaliDate;
use domain::sync::{Command, Record, RecordKind, Referral, RequestForm};
use domain::text::localize_digits;
use domain::time::jalali_today;
use leptos::prelude::*;

use crate::checkin::{MeetingLink, MeetingsOnDevice};
use crate::i18n::{tr, use_lang};
use crate::nav::AreaPath;
use crate::registration::{deputy_choices, topic_name};
use crate::store::StoreError;
use crate::sync::{self, SyncPanel, use_sync};
use crate::ui::NotFound;
use crate::ui::controls::{ChoiceButton, DATA_UNREADABLE, SelectField, TextArea, TextField};

/// The committee's device holds the meetings; a district manager's does
/// not, and sees no list.
const MEETING_LINKS: [MeetingLink; 1] = [(
    |id| format!("/staff/followup/report/{id}"),
    "followup-report-link",
    ("گزارش به دفتر شهردار", "Report to the mayor's office"),
)];

/// How many days ahead "due soon" looks: the committee's week.
const SOON_DAYS: i64 = 7;

/// The area's screen (see `staff`).
pub fn area(profile: Profile, path: AreaPath) -> AnyView {
    let meeting = path.id.as_deref().and_then(|id| MeetingId::parse(id).ok());
    match (path.section.as_deref(), meeting) {
        (None, None) => view! {
            <h1>{tr("پیگیری ارجاع‌ها", "Following up the referrals")}</h1>
            <p class="lead">{tr(
                "نتیجهٔ هر ارجاع دیدار باید تا یک ماه پس از دیدار گزارش شود. مدیر منطقه نتیجه را ثبت می‌کند و شهروند آن را می‌بیند؛ کمیتهٔ پیگیری موارد سررسیده و گذشته از مهلت را دنبال می‌کند.",
                "Each referral from a meeting must have its result reported within a month of the meeting. The district manager records the result, which the citizen sees; the follow-up committee watches what is due and what is late.",
            )}</p>
            <SyncPanel/>
            <MeetingsOnDevice links=&MEETING_LINKS/>
            <Referrals profile/>
        }
        .into_any(),
        (Some("report"), Some(meeting)) => view! { <report::ReportScreen meeting/> }.into_any(),
        _ => view! { <NotFound/> }.into_any(),
    }
}

/// A referral and the form it is on.
#[derive(Clone, PartialEq)]
struct Item {
    form: RequestForm,
    referral: Referral,
}

impl Item {
    /// Open ones by due day (the earliest, the longest overdue, first),
    /// then the answered, most recent first.
    fn order(
        &self,
    ) -> (
        bool,
        JalaliDate,
        std::cmp::Reverse<Option<chrono::DateTime<chrono::Utc>>>,
    ) {
        let result = self.referral.result().map(|r| r.at);
        (
            result.is_some(),
            self.referral.due,
            std::cmp::Reverse(result),
        )
    }
}

/// The referrals on the forms this device holds (its own unsent reports
/// applied).
async fn referrals_of_device() -> Result<Vec<Item>, StoreError> {
    let mut items: Vec<Item> = sync::of_kind(RecordKind::RequestForm)
        .await?
        .iter()
        .filter_map(|row| match row.view() {
            Some(Record::RequestForm(form)) => form.referral.clone().map(|referral| Item {
                form: form.clone(),
                referral,
            }),
            _ => None,
        })
        .collect();
    items.sort_by_cached_key(Item::order);
    Ok(items)
}

/// Which referrals the list shows.
#[derive(Clone, Copy, PartialEq)]
enum Show {
    /// No result yet, due or not.
    Open,
    /// No result, and the due day has passed.
    Late,
    /// With a result.
    Answered,
    All,
}

impl Show {
    fn includes(self, item: &Item, today: JalaliDate) -> bool {
        let standing = item.referral.standing(today, SOON_DAYS);
        match self {
            Show::Open => standing.is_open(),
            Show::Late => standing == Standing::Overdue,
            Show::Answered => !standing.is_open(),
            Show::All => true,
        }
    }
}

#[component]
fn Referrals(profile: Profile) -> impl IntoView {
    let sync = use_sync();
    let lang = use_lang();
    let items = LocalResource::new(move || async move {
        sync.revision.track();
        referrals_of_device().await
    });
    let show = RwSignal::new(Show::Open);
    let deputy = RwSignal::new(String::new());
    let today = move || {
        sync.revision.track();
        jalali_today(crate::clock::server_now())
    };
    let of_deputy = move || {
        let deputy = deputy.get();
        items
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(move |item| deputy.is_empty() || item.referral.deputy.as_str() == deputy)
            .collect::<Vec<_>>()
    };
    let shown = move || {
        let today = today();
        of_deputy()
            .into_iter()
            .filter(|item| show.get().includes(item, today))
            .collect::<Vec<_>>()
    };
    let profile = StoredValue::new(profile);
    view! {
        <section class="card" aria-labelledby="followup-title">
            <h2 id="followup-title">{tr("ارجاع‌های دیدارها", "The meetings' referrals")}</h2>
            {move || match items.get() {
                Some(Err(problem)) => Some(view! {
                    <p class="alert-error" role="alert">{tr(DATA_UNREADABLE.0, DATA_UNREADABLE.1)}{problem.to_string()}</p>
                }),
                _ => None,
            }}
            <Summary items=Signal::derive(of_deputy) today=Signal::derive(today)/>
            <SelectField id="followup-deputy" label=tr("معاونت", "Deputy") value=deputy
                options=Signal::derive(move || deputy_choices(lang.get()))
                none=tr("همهٔ معاونت‌ها", "Every deputy")/>
            <div class="filters" role="group" aria-label=move || tr("نمایش", "Show")()>
                <ChoiceButton choice=show value=Show::Open label=("بی‌نتیجه", "Open")/>
                <ChoiceButton choice=show value=Show::Late label=("گذشته از مهلت", "Overdue")/>
                <ChoiceButton choice=show value=Show::Answered label=("نتیجه‌دار", "With a result")/>
                <ChoiceButton choice=show value=Show::All label=("همه", "All")/>
            </div>
            <p data-testid="followup-count">{move || {
                let count = shown().len().to_string();
                match lang.get() {
                    Lang::Fa => format!("{} ارجاع", localize_digits(&count, Lang::Fa)),
                    Lang::En => format!("{count} referrals"),
                }
            }}</p>
            <ul class="request-list" data-testid="followup-list" aria-busy=move || items.with(Option::is_none).to_string()>
                // Keyed by what a report changes: a sync that touched other
                // forms leaves a card someone is filling in alone.
                <For each=shown key=|item| (item.form.id.clone(), item.referral.reports.len())
                    children=move |item| view! { <ReferralCard item profile=profile.get_value() today=today()/> }/>
            </ul>
        </section>
    }
}

/// The counts the committee reads first, by the one definition of on time.
#[component]
fn Summary(items: Signal<Vec<Item>>, today: Signal<JalaliDate>) -> impl IntoView {
    let lang = use_lang();
    let tally = Memo::new(move |_| {
        items.with(|items| {
            Tally::of(
                items.iter().map(|item| &item.referral),
                today.get(),
                SOON_DAYS,
            )
        })
    });
    let line = move |n: usize, fa: &'static str, en: &'static str| match lang.get() {
        Lang::Fa => format!("{} {fa}", localize_digits(&n.to_string(), Lang::Fa)),
        Lang::En => format!("{n} {en}"),
    };
    view! {
        <ul class="summary" data-testid="followup-summary">
            <li data-testid="followup-overdue">{move || line(tally.get().overdue, "گذشته از مهلت، بی‌نتیجه", "overdue, no result")}</li>
            <li data-testid="followup-due-soon">{move || line(tally.get().due_soon, "با مهلتی در هفتهٔ پیش رو", "due within a week")}</li>
            <li>{move || line(tally.get().not_yet_due, "در مهلت", "not yet due")}</li>
            <li data-testid="followup-on-time">{move || line(tally.get().answered_on_time, "پاسخ در مهلت", "answered on time")}</li>
            <li data-testid="followup-answered-late">{move || line(tally.get().answered_late, "پاسخ پس از مهلت", "answered late")}</li>
        </ul>
    }
}

#[component]
fn ReferralCard(item: Item, profile: Profile, today: JalaliDate) -> impl IntoView {
    let lang = use_lang();
    let Item { form, referral } = item;
    // The committee and administrators watch; the district's manager
    // reports (the server refuses anyone else).
    let may_report = profile
        .grants
        .iter()
        .any(|grant| grant.allows(Role::DistrictManager, form.district));
    let content = form.versions.first().map(|version| version.content.clone());
    let deputy = referral.deputy.as_str().to_string();
    let district = form.district.number().to_string();
    let referred_on = jalali_today(referral.at);
    let due = referral.due;
    let state = match referral.standing(today, SOON_DAYS) {
        Standing::AnsweredOnTime => "on-time",
        Standing::AnsweredLate => "answered-late",
        Standing::Overdue => "late",
        Standing::DueSoon | Standing::NotYetDue => "not-yet-due",
    };
    let standing = move |lang: Lang| -> String {
        let days = days_past(due, today);
        match (state, lang) {
            ("on-time", Lang::Fa) => "پاسخ در مهلت".into(),
            ("on-time", Lang::En) => "answered on time".into(),
            ("answered-late", Lang::Fa) => "پاسخ پس از مهلت".into(),
            ("answered-late", Lang::En) => "answered late".into(),
            ("late", Lang::Fa) => format!(
                "{} روز گذشته از مهلت",
                localize_digits(&days.to_string(), Lang::Fa)
            ),
            ("late", Lang::En) => format!("{days} days overdue"),
            (_, Lang::Fa) => format!(
                "{} روز تا مهلت",
                localize_digits(&(-days).to_string(), Lang::Fa)
            ),
            (_, Lang::En) => format!("{} days to the due date", -days),
        }
    };
    let postponed = referral.postponed_to();
    let attendee = StoredValue::new(form.id.clone());
    view! {
        <li class="card request" data-testid="followup-item" data-state=state>
            <h3>{form.full_name.clone()}</h3>
            <p class="meta">
                {move || match lang.get() {
                    Lang::Fa => format!("منطقهٔ {}", localize_digits(&district, Lang::Fa)),
                    Lang::En => format!("District {district}"),
                }}
                " — " <span data-testid="followup-deputy">{move || topic_name(&deputy, lang.get())}</span>
                " — " {tr("ارجاع: ", "Referred: ")} {move || referred_on.format(lang.get())}
            </p>
            {content.map(|content| view! {
                <p class="description">{content.asked}</p>
                {(!content.decision.is_empty()).then(|| view! {
                    <p>{tr("تصمیم: ", "Decision: ")}{content.decision}</p>
                })}
            })}
            <p>
                {tr("مهلت: ", "Due: ")} {move || due.format(lang.get())} " "
                <span class=format!("badge badge-{state}") data-testid="followup-timeliness">{move || standing(lang.get())}</span>
            </p>
            {postponed.map(|until| view! {
                <p data-testid="followup-postponed">{tr("زمان بیشتر خواسته شده تا ", "More time asked until ")}{move || until.format(lang.get())}</p>
            })}
            <Reports reports=referral.reports.clone()/>
            {may_report.then(|| view! { <ReportAction attendee referral/> })}
        </li>
    }
}

/// Every report on the referral, oldest first: the follow-up's record.
#[component]
fn Reports(reports: Vec<Report>) -> impl IntoView {
    let lang = use_lang();
    (!reports.is_empty()).then(|| view! {
        <ol class="history" data-testid="followup-reports">
            {reports.into_iter().map(|report| {
                let on = jalali_today(report.at);
                let outcome = report.outcome;
                let until = report.until;
                view! {
                    <li data-testid="followup-report" data-outcome=outcome.code()>
                        <strong>{move || outcome.label(lang.get())}</strong>
                        {until.map(|until| view! { " — " {tr("تا ", "until ")} {move || until.format(lang.get())} })}
                        " (" {move || on.format(lang.get())} ")"
                        {(!report.note.is_empty()).then(|| view! { <p>{report.note.clone()}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    })
}

/// The district manager's report: an outcome, the words the citizen or
/// the committee reads, and for more time the new date (Jalali, as the
/// office writes it).
#[component]
fn ReportAction(attendee: StoredValue<AttendeeId>, referral: Referral) -> impl IntoView {
    let sender = sync::use_command();
    let lang = use_lang();
    let outcome = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let allowed: Vec<Outcome> = Outcome::ALL
        .into_iter()
        .filter(|next| referral.accepts(*next))
        .collect();
    let reportable = !allowed.is_empty();
    let options = Signal::derive(move || {
        let lang = lang.get();
        allowed
            .iter()
            .map(|o| (o.code().to_string(), o.label(lang).to_string()))
            .collect::<Vec<_>>()
    });
    let needs_date = move || outcome.get() == Outcome::MoreTime.code();
    let send = move |_| {
        let lang = lang.get_untracked();
        let Some(chosen) = Outcome::from_code(&outcome.get_untracked()) else {
            problem.set(Some(
                tr("نتیجه را انتخاب کنید.", "Choose the result.")().to_string(),
            ));
            return;
        };
        let date = match (chosen, until.get_untracked().trim()) {
            (Outcome::MoreTime, "") => None,
            (Outcome::MoreTime, text) => match JalaliDate::parse(text) {
                Ok(date) => Some(date),
                Err(error) => {
                    problem.set(Some(error.message(lang).to_string()));
                    return;
                }
            },
            _ => None,
        };
        problem.set(None);
        sender.send(Command::ReportFollowUp {
            attendee: attendee.get_value(),
            outcome: chosen,
            note: note.get_untracked(),
            until: date,
        });
    };
    let field_id = move |name: &str| format!("followup-{name}-{}", attendee.get_value());
    // Nothing may follow a resolved referral: no form.
    reportable.then(|| view! {
        // Closed until asked for: a manager's list is long.
        <details class="action">
            <summary data-testid="followup-open">{tr("ثبت نتیجه", "Record the result")}</summary>
            <SelectField id=field_id("outcome") label=tr("نتیجه", "Result") value=outcome options/>
            <TextArea id=field_id("note") label=tr(
                "پاسخ یا دلیل (شهروند آن را می‌خواند)",
                "The answer or the reason (the citizen reads it)",
            ) value=note/>
            <Show when=needs_date>
                <TextField id=field_id("until") label=tr("تاریخ تازه", "New date") value=until ltr=true
                    hint=tr("به تاریخ خورشیدی، مثلاً ۱۴۰۵/۱۱/۱۵", "In the Jalali calendar, e.g. 1405/11/15")/>
            </Show>
            <button class="button" type="button" on:click=send disabled=sender.busy() data-testid="followup-submit">
                {tr("ثبت نتیجه", "Record the result")}
            </button>
            <p class="error" role="alert" data-testid="followup-error">
                {move || problem.get()} {sender.error()}
            </p>
        </details>
    })
}
