//! Looking a request up by tracking code and mobile, from any device. The
//! code's check symbol catches most typos before anything is sent.

use domain::i18n::{Lang, Localized};
use domain::person::Mobile;
use domain::registration::{LookupAnswer, LookupQuery, TrackingCode};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::i18n::{tr, use_lang};

#[derive(Clone)]
enum Outcome {
    Found(LookupAnswer),
    NotFound,
    Failed(ApiError),
}

#[component]
pub fn TrackPage() -> impl IntoView {
    let lang = use_lang();
    let query = RwSignal::new(LookupQuery::default());
    let checked = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    let busy = RwSignal::new(false);

    let code_error = Signal::derive(move || {
        checked
            .get()
            .then(|| query.with(|q| TrackingCode::parse(&q.tracking_code).err()))
            .flatten()
            .map(|e| e.message(lang.get()))
    });
    let mobile_error = Signal::derive(move || {
        checked
            .get()
            .then(|| query.with(|q| Mobile::parse(&q.mobile).err()))
            .flatten()
            .map(|e| e.message(lang.get()))
    });

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        checked.set(true);
        if code_error.get_untracked().is_some() || mobile_error.get_untracked().is_some() {
            return;
        }
        busy.set(true);
        let sent = query.get_untracked();
        leptos::task::spawn_local(async move {
            let result = api::post::<_, LookupAnswer>("/api/registrations/lookup", &sent).await;
            outcome.set(Some(match result {
                Ok(answer) => Outcome::Found(answer),
                Err(ApiError::Refused { status: 404, .. }) => Outcome::NotFound,
                Err(error) => Outcome::Failed(error),
            }));
            busy.set(false);
        });
    };

    view! {
        <h1>{tr("پیگیری درخواست", "Track a request")}</h1>
        <form class="card form" novalidate on:submit=submit data-testid="track-form">
            <div class="field">
                <label for="track-code">{tr("کد رهگیری", "Tracking code")}</label>
                <input
                    id="track-code"
                    class="ltr"
                    autocomplete="off"
                    aria-invalid=move || code_error.get().is_some().to_string()
                    aria-describedby="track-code-error"
                    prop:value=move || query.with(|q| q.tracking_code.clone())
                    on:input=move |event| query.update(|q| q.tracking_code = event_target_value(&event))
                />
                <p class="error" id="track-code-error" aria-live="polite">{move || code_error.get()}</p>
            </div>
            <div class="field">
                <label for="track-mobile">{tr("شمارهٔ همراهی که با آن ثبت‌نام کردید", "The mobile number you registered with")}</label>
                <input
                    id="track-mobile"
                    type="tel"
                    inputmode="tel"
                    autocomplete="tel"
                    class="ltr"
                    aria-invalid=move || mobile_error.get().is_some().to_string()
                    aria-describedby="track-mobile-error"
                    prop:value=move || query.with(|q| q.mobile.clone())
                    on:input=move |event| query.update(|q| q.mobile = event_target_value(&event))
                />
                <p class="error" id="track-mobile-error" aria-live="polite">{move || mobile_error.get()}</p>
            </div>
            <button class="button" type="submit" disabled=move || busy.get()>
                {tr("نمایش وضعیت", "Show status")}
            </button>
        </form>
        <div aria-live="polite">{move || outcome.get().map(|outcome| view! { <OutcomeCard outcome/> })}</div>
    }
}

#[component]
fn OutcomeCard(outcome: Outcome) -> impl IntoView {
    let lang = use_lang();
    move || {
        let lang = lang.get();
        match &outcome {
            Outcome::Found(answer) => {
                let submitted = domain::time::format_datetime(answer.submitted_at, lang);
                let updated = domain::time::format_datetime(answer.updated_at, lang);
                let district = domain::text::localize_digits(&answer.district.number().to_string(), lang);
                let (submitted_label, updated_label, district_label) = match lang {
                    Lang::Fa => ("ثبت:", "آخرین تغییر:", "منطقه:"),
                    Lang::En => ("Submitted:", "Last change:", "District:"),
                };
                view! {
                    <section class="card" data-testid="lookup-result">
                        <h2 data-testid="lookup-status">{answer.status.label(lang)}</h2>
                        <p>{answer.status.explanation(lang)}</p>
                        {answer.invitation.as_ref().map(|invitation| {
                            let at = domain::time::format_datetime(invitation.at, lang);
                            let venue = domain::text::localize_digits(&invitation.venue, lang);
                            view! {
                                <p class="state state-received" data-testid="lookup-invitation">{match lang {
                                    Lang::Fa => format!("دیدار شما: {at}، {venue}."),
                                    Lang::En => format!("Your meeting: {at}, {venue}."),
                                }}</p>
                            }
                        })}
                        // Where the meeting referred it and what came of it, in
                        // words the server wrote ("answered: not possible" is
                        // never shown as resolved).
                        {answer.referral.as_ref().map(|said| view! {
                            <p class="state state-received" data-testid="lookup-referral">{said.get(lang).to_owned()}</p>
                        })}
                        // One fact a line: a dot between facts reads as the
                        // Persian zero (۰) beside Persian digits.
                        <dl class="facts">
                            <dt>{district_label}</dt>
                            <dd>{district}</dd>
                            <dt>{submitted_label}</dt>
                            <dd><time title=domain::time::format_gregorian(answer.submitted_at)>{submitted}</time></dd>
                            <dt>{updated_label}</dt>
                            <dd><time title=domain::time::format_gregorian(answer.updated_at)>{updated}</time></dd>
                        </dl>
                    </section>
                }
                .into_any()
            }
            Outcome::NotFound => view! {
                <p class="alert-error" data-testid="lookup-not-found">
                    {match lang {
                        Lang::Fa => "درخواستی با این کد رهگیری و این شمارهٔ همراه پیدا نشد. لطفاً هر دو را دوباره بررسی کنید.",
                        Lang::En => "No request was found with this tracking code and mobile number. Please check both.",
                    }}
                </p>
            }
            .into_any(),
            Outcome::Failed(ApiError::Refused { body, .. }) => view! {
                <p class="alert-error">{body.message.get(lang).to_string()}</p>
            }
            .into_any(),
            Outcome::Failed(failure @ ApiError::Unavailable { .. }) => view! {
                <p class="alert-error">{failure.explain(lang)}</p>
            }
            .into_any(),
            Outcome::Failed(ApiError::Network) => view! {
                <p class="alert-error">
                    {match lang {
                        Lang::Fa => "برای پیگیری، اتصال به اینترنت لازم است. لطفاً پس از اتصال دوباره امتحان کنید.",
                        Lang::En => "Tracking needs the network. Please try again once connected.",
                    }}
                </p>
            }
            .into_any(),
        }
    }
}
