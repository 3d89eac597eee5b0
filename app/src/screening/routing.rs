//! Routing (DESIGN §2 step 3): each reviewed request goes to the deputy
//! whose domain it is, with a one-line summary for the mayor's table.
//! A routed request waits for a meeting (`selection`); its routing may be
//! changed until then.

use domain::auth::{Profile, Role};
use domain::i18n::Lang;
use domain::ids::RegistrationId;
use domain::registration::Status;
use domain::screening::Priority;
use domain::sync::{Command, RegistrationRecord};
use domain::text::localize_digits;
use domain::time::{format_datetime, format_gregorian};
use leptos::prelude::*;

use super::{Requests, requests_of_device};
use crate::i18n::{tr, use_lang};
use crate::registration::{deputy_choices, topic_name};
use crate::sync::{self, use_sync};
use crate::ui::controls::{ChoiceButton, SelectField, TextField};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Reviewed, not routed yet.
    ToRoute,
    /// Routed, waiting for a meeting.
    Waiting,
}

impl Stage {
    fn status(self) -> Status {
        match self {
            Stage::ToRoute => Status::Reviewed,
            Stage::Waiting => Status::Screened,
        }
    }
}

/// The reviewed requests of the committee's districts, to route.
#[component]
pub fn Routing(profile: Profile) -> impl IntoView {
    let sync = use_sync();
    let lang = use_lang();
    let stage = RwSignal::new(Stage::ToRoute);
    let requests: Requests = LocalResource::new(move || async move {
        sync.revision.track();
        requests_of_device().await
    });
    let shown = move || {
        let mut shown: Vec<RegistrationRecord> = requests
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|record| record.status == stage.get().status())
            .collect();
        shown.sort_by_key(|record| record.submitted_at);
        shown
    };
    let profile = StoredValue::new(profile);
    view! {
        <section class="card" aria-labelledby="routing-title">
            <h2 id="routing-title">{tr("ارجاع درخواست‌ها به معاونت‌ها", "Routing requests to the deputies")}</h2>
            <div class="filters" role="group" aria-label=move || tr("نمایش", "Show")()>
                <ChoiceButton choice=stage value=Stage::ToRoute label=("منتظر ارجاع", "To route")/>
                <ChoiceButton choice=stage value=Stage::Waiting label=("ارجاع‌شده، منتظر دیدار", "Routed, waiting for a meeting")/>
            </div>
            <p data-testid="routing-count">{move || {
                let count = shown().len().to_string();
                match lang.get() {
                    Lang::Fa => format!("{} درخواست", localize_digits(&count, Lang::Fa)),
                    Lang::En => format!("{count} requests"),
                }
            }}</p>
            <ul class="request-list" data-testid="routing-list">
                // Keyed by what routing changes: a sync that changed other
                // requests leaves a card someone is filling in alone.
                <For each=shown key=|record| (record.id.clone(), record.status, record.screening.as_ref().map(|s| (s.deputy.clone(), s.summary.clone())))
                    children=move |record| view! {
                        <RoutingCard record profile=profile.get_value()/>
                    }/>
            </ul>
        </section>
    }
}

#[component]
fn RoutingCard(record: RegistrationRecord, profile: Profile) -> impl IntoView {
    let lang = use_lang();
    // Administrators see every district; routing is the committee's, and
    // the server would refuse anyone else's command.
    let may_route = profile
        .grants
        .iter()
        .any(|grant| grant.allows(Role::ScreeningCommittee, record.district));
    let submitted = record.submitted_at;
    let topic = record.topic.clone();
    let case_files = record
        .review
        .as_ref()
        .map(|review| {
            review
                .case_files
                .iter()
                .map(|number| number.as_str().to_string())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let routed = record.screening.clone();
    view! {
        <li class="card request" data-testid="routing-item" data-tracking-code=record.tracking_code.as_str().to_string()>
            <h3>{record.full_name.clone()}</h3>
            <p class="meta">
                <span class="ltr">{record.tracking_code.display()}</span>
                " — "
                {move || topic_name(&topic, lang.get())}
                " — "
                <time datetime=submitted.to_rfc3339() title=format_gregorian(submitted)>
                    {move || format_datetime(submitted, lang.get())}
                </time>
            </p>
            <p class="description">{record.description.clone()}</p>
            {(!case_files.is_empty()).then(|| view! {
                <p>{tr("پرونده‌های پیوندشده: ", "Linked case files: ")}<span class="ltr">{case_files.join("، ")}</span></p>
            })}
            {routed.map(|screening| {
                let deputy = screening.deputy.as_str().to_string();
                let priority = screening.priority;
                view! {
                    <p data-testid="routing-done">
                        {tr("ارجاع به: ", "Routed to: ")}{move || topic_name(&deputy, lang.get())}
                        {(!screening.summary.is_empty()).then(|| format!(" — {}", screening.summary))}
                        {(priority != Priority::Normal).then(|| view! {
                            " " <span class="badge" data-testid="routing-priority">{move || priority.label(lang.get())}</span>
                        })}
                    </p>
                }
            })}
            {may_route.then(|| view! { <RouteAction record=record.clone()/> })}
        </li>
    }
}

/// The deputy and the summary, sent as one `ScreenRegistration`.
#[component]
fn RouteAction(record: RegistrationRecord) -> impl IntoView {
    let sender = sync::use_command();
    let id: StoredValue<RegistrationId> = StoredValue::new(record.id.clone());
    // The citizen's own choice of topic is the first guess.
    let deputy = RwSignal::new(match &record.screening {
        Some(screening) => screening.deputy.as_str().to_string(),
        None => record.topic.clone(),
    });
    let summary = RwSignal::new(
        record
            .screening
            .as_ref()
            .map(|s| s.summary.clone())
            .unwrap_or_default(),
    );
    // Normal is the select's empty choice.
    let priority = RwSignal::new(
        record
            .screening
            .as_ref()
            .map(|s| s.priority)
            .filter(|p| *p != Priority::Normal)
            .map(|p| p.code().to_string())
            .unwrap_or_default(),
    );
    let route = move |_| {
        sender.send(Command::ScreenRegistration {
            registration: id.get_value(),
            deputy: deputy.get_untracked(),
            summary: summary.get_untracked(),
            priority: Priority::from_code(&priority.get_untracked()).unwrap_or_default(),
        })
    };
    let priorities = Signal::derive(move || {
        let lang = use_lang().get();
        Priority::ALL
            .into_iter()
            .skip(1)
            .map(|p| (p.code().to_string(), p.label(lang).to_string()))
            .collect::<Vec<_>>()
    });
    let field_id = move |name: &str| format!("{name}-{}", id.get_value());
    let label = if record.screening.is_some() {
        ("تغییر ارجاع", "Change the routing")
    } else {
        ("ارجاع", "Route")
    };
    view! {
        <details class="action" open=record.screening.is_none()>
            <summary>{tr(label.0, label.1)}</summary>
            <SelectField id=field_id("deputy") label=tr("معاونت", "Deputy") value=deputy
                options=Signal::derive(move || deputy_choices(use_lang().get()))/>
            <TextField id=field_id("summary") label=tr("خلاصه در یک خط برای میز شهردار", "One-line summary for the mayor's table") value=summary/>
            <SelectField id=field_id("priority") label=tr("اولویت", "Priority") value=priority options=priorities
                none=tr("عادی", "Normal")/>
            <button class="button" type="button" on:click=route disabled=sender.busy() data-testid="routing-submit">
                {tr(label.0, label.1)}
            </button>
            <p class="error" role="alert" data-testid="routing-error">{sender.error()}</p>
        </details>
    }
}
