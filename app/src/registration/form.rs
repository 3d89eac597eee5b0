//! The registration form: validated while typing with the same rules the
//! server runs, kept as a draft on the device so nothing typed is lost, and
//! queued in the outbox on submit, online or not.

use chrono::Timelike;
use domain::i18n::{Lang, Localized};
use domain::registration::{DESCRIPTION_MAX_CHARS, Field, RegistrationForm, WindowState};
use domain::text::localize_digits;
use gloo_storage::{LocalStorage, Storage};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::fields::{FieldRow, described_by, input_id, set, value};
use super::offer::{self, Offer};
use super::options::KnownOptions;
use super::receipt::{MyRequests, ReceiptCard};
use super::{Sent, new_submission, queue, send_unkept};
use crate::api::ApiError;
use crate::clock::now;
use crate::i18n::{tr, use_lang};
use crate::store::StoreError;
use crate::sync::use_sync;

const DRAFT_KEY: &str = "didar.registration.draft";

#[component]
pub fn RegisterPage() -> impl IntoView {
    let options = offer::load();
    // The request just sent, shown as a receipt above the form.
    let sent = RwSignal::new(None::<Sent>);
    // The heading and introduction are painted first and the form, the
    // heaviest drawing of the citizens' pages, in the next task: a slow
    // phone shows the page at once and answers a tap in between.
    let drawn = RwSignal::new(false);
    set_timeout(move || drawn.set(true), std::time::Duration::ZERO);
    view! {
        <h1>{tr("ثبت‌نام برای دیدار با شهردار", "Register to meet the mayor")}</h1>
        <p class="lead">
            {tr(
                "فرم را پر کنید تا کد رهگیری بگیرید. کمیته‌های ملاقات درخواست شما را بررسی می‌کنند و اگر برای دیدار دعوت شوید، مرکز ۱۳۷ روز و مکان آن را به شما خبر می‌دهد. اگر اینترنت قطع باشد، درخواست روی گوشی می‌ماند و خودکار فرستاده می‌شود.",
                "Fill in the form to get a tracking code. The meeting committees review your request; if you are invited, the 137 centre tells you the day and place. If the network drops, the request stays on your phone and is sent by itself.",
            )}
        </p>
        {move || sent.get().map(|sent| view! { <ReceiptCard sent/> })}
        {move || match (drawn.get(), options.get()) {
            (true, Offer::Known(known)) => view! { <RegistrationForm known sent/> }.into_any(),
            // Holds the form's place, so nothing below jumps when it comes.
            (_, Offer::Asking | Offer::Known(_)) => view! {
                <p class="form-placeholder" role="status">{tr("فرم در حال آماده شدن است…", "Preparing the form…")}</p>
            }
            .into_any(),
            (_, Offer::Unavailable) => view! {
                <p class="alert-error" role="status">
                    {tr(
                        "برای نخستین بار، فرم باید با اینترنت باز شود. لطفاً پس از اتصال دوباره امتحان کنید.",
                        "The first time, the form needs the network to load. Please try again once connected.",
                    )}
                </p>
            }
            .into_any(),
        }}
        <MyRequests/>
    }
}

#[component]
fn RegistrationForm(known: KnownOptions, sent: RwSignal<Option<Sent>>) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let form = RwSignal::new(LocalStorage::get::<RegistrationForm>(DRAFT_KEY).unwrap_or_default());
    Effect::new(move || {
        // Private browsing may refuse storage: the form still works.
        let _ = form.with(|draft| LocalStorage::set(DRAFT_KEY, draft));
    });
    let touched = RwSignal::new(Vec::<Field>::new());
    // Why the last send could not be kept or sent, in the person's words.
    let save_failed = RwSignal::new(None::<String>);
    let known = StoredValue::new(known);

    // The window is re-judged every 30 seconds, so the countdown moves and
    // the form opens or closes on time.
    let tick = RwSignal::new(now());
    let _ = set_interval_with_handle(move || tick.set(now()), std::time::Duration::from_secs(30));
    let window = Memo::new(move |_| {
        tick.track();
        known.with_value(|known| known.options.window.window_at(known.server_now()))
    });

    let error_of = move |field: Field| {
        Signal::derive(move || {
            if !touched.with(|fields| fields.contains(&field)) {
                return None;
            }
            known.with_value(|known| {
                let topics = known.options.topic_slugs();
                form.with(|form| {
                    form.validate_field(field, &topics, known.options.district_count())
                })
                .map(|error| error.message(lang.get()))
            })
        })
    };
    let touch = move |field: Field| {
        touched.update(|fields| {
            if !fields.contains(&field) {
                fields.push(field);
            }
        })
    };

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        touched.set(Field::ALL.to_vec());
        let (valid, made_at) = known.with_value(|known| {
            let topics = known.options.topic_slugs();
            let valid =
                form.with_untracked(|form| form.validate(&topics, known.options.district_count()));
            (valid, known.server_now())
        });
        if let Err(errors) = valid {
            focus_field(errors.first().map(|error| error.field()));
            return;
        }
        if matches!(window.get_untracked(), WindowState::Closed { .. }) {
            return;
        }
        let submission = new_submission(form.get_untracked(), made_at);
        let accepted = move |receipt: Sent| {
            form.set(RegistrationForm::default());
            touched.set(Vec::new());
            save_failed.set(None);
            sent.set(Some(receipt));
            scroll_to_top();
        };
        leptos::task::spawn_local(async move {
            let kept = match queue(sync, &submission, None).await {
                Ok(()) => {
                    accepted(Sent::Kept(submission.request_id.clone()));
                    return;
                }
                Err(error) => error,
            };
            let lang = lang.get_untracked();
            match send_unkept(&submission).await {
                Ok(request) => accepted(Sent::Unkept(request)),
                Err(refused @ ApiError::Refused { .. }) => {
                    save_failed.set(Some(refused.explain(lang)))
                }
                Err(_) => save_failed.set(Some(
                    match (kept, lang) {
                        (StoreError::Full, Lang::Fa) => "حافظهٔ این گوشی پر است و درخواست روی آن ذخیره نشد؛ بدون اینترنت هم فرستاده نشد. آنچه نوشته‌اید سر جایش است: کمی جا باز کنید یا با اینترنت دوباره بفرستید.",
                        (StoreError::Full, Lang::En) => "This phone's storage is full, so the request was not saved on it, and without the network it could not be sent. What you typed is still here: free some space, or send again when online.",
                        (_, Lang::Fa) => "درخواست روی این دستگاه ذخیره نشد. آنچه نوشته‌اید سر جایش است؛ لطفاً دوباره بفرستید.",
                        (_, Lang::En) => "The request could not be saved on this device. What you typed is still here; please send again.",
                    }
                    .to_string(),
                )),
            }
        });
    };

    let text_input = move |field: Field,
                           kind: &'static str,
                           mode: &'static str,
                           auto: &'static str,
                           ltr: bool| {
        let id = input_id(field);
        view! {
            <FieldRow field error=error_of(field)>
                <input
                    id=id.clone()
                    name=field.name()
                    type=kind
                    inputmode=mode
                    autocomplete=auto
                    class:ltr=ltr
                    aria-invalid=move || error_of(field).get().is_some().to_string()
                    aria-describedby=described_by(field)
                    prop:value=move || form.with(|form| value(form, field))
                    on:input=move |event| form.update(|form| set(form, field, event_target_value(&event)))
                    on:blur=move |_| touch(field)
                />
            </FieldRow>
        }
    };

    let is_closed = move || matches!(window.get(), WindowState::Closed { .. });
    view! {
        <WindowNotice window known/>
        <form class="card form" novalidate on:submit=submit data-testid="registration-form">
            {text_input(Field::FullName, "text", "text", "name", false)}
            {text_input(Field::NationalId, "text", "numeric", "off", true)}
            {text_input(Field::Mobile, "tel", "tel", "tel", true)}
            <FieldRow field=Field::District error=error_of(Field::District)>
                <select
                    id=input_id(Field::District)
                    name="district"
                    aria-invalid=move || error_of(Field::District).get().is_some().to_string()
                    aria-describedby="reg-district-hint reg-district-error"
                    prop:value=move || form.with(|form| value(form, Field::District))
                    on:change=move |event| {
                        form.update(|form| set(form, Field::District, event_target_value(&event)));
                        touch(Field::District);
                    }
                >
                    <option value="">{tr("انتخاب کنید…", "Choose…")}</option>
                    {known.with_value(|known| known.options.districts.clone()).into_iter().map(|district| {
                        let number = district.id.number();
                        view! {
                            <option value=number.to_string()>
                                {move || match lang.get() { Lang::Fa => district.name_fa.clone(), Lang::En => district.name_en.clone() }}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </FieldRow>
            <FieldRow field=Field::Topic error=error_of(Field::Topic)>
                <select
                    id=input_id(Field::Topic)
                    name="topic"
                    aria-invalid=move || error_of(Field::Topic).get().is_some().to_string()
                    aria-describedby="reg-topic-hint reg-topic-error"
                    prop:value=move || form.with(|form| value(form, Field::Topic))
                    on:change=move |event| {
                        form.update(|form| set(form, Field::Topic, event_target_value(&event)));
                        touch(Field::Topic);
                    }
                >
                    <option value="">{tr("انتخاب کنید…", "Choose…")}</option>
                    {known.with_value(|known| known.options.deputies.clone()).into_iter().map(|deputy| {
                        let slug = deputy.slug.clone();
                        view! { <option value=slug>{move || deputy.name(lang.get()).to_string()}</option> }
                    }).collect_view()}
                    <option value="not_sure">{tr("مطمئن نیستم", "Not sure")}</option>
                </select>
            </FieldRow>
            <FieldRow field=Field::Description error=error_of(Field::Description)>
                <textarea
                    id=input_id(Field::Description)
                    name="description"
                    rows="6"
                    aria-invalid=move || error_of(Field::Description).get().is_some().to_string()
                    aria-describedby="reg-description-count reg-description-error"
                    prop:value=move || form.with(|form| form.description.clone())
                    on:input=move |event| form.update(|form| form.description = event_target_value(&event))
                    on:blur=move |_| touch(Field::Description)
                ></textarea>
                <p class="hint" id="reg-description-count" data-testid="description-count">
                    {move || {
                        let used = form.with(|form| form.description.chars().count());
                        let text = format!("{used} / {DESCRIPTION_MAX_CHARS}");
                        localize_digits(&text, lang.get())
                    }}
                </p>
            </FieldRow>
            {text_input(Field::CaseNumber, "text", "text", "off", true)}
            <FieldRow field=Field::Consent error=error_of(Field::Consent)>
                <input
                    id=input_id(Field::Consent)
                    name="consent"
                    type="checkbox"
                    class="checkbox"
                    aria-invalid=move || error_of(Field::Consent).get().is_some().to_string()
                    aria-describedby="reg-consent-error"
                    prop:checked=move || form.with(|form| form.consent)
                    on:change=move |event| {
                        form.update(|form| form.consent = event_target_checked(&event));
                        touch(Field::Consent);
                    }
                />
            </FieldRow>
            <Show when=move || save_failed.with(Option::is_some)>
                <p class="alert-error" role="alert">
                    {move || save_failed.get()}
                </p>
            </Show>
            <button class="button" type="submit" disabled=is_closed>
                {tr("ارسال درخواست", "Send request")}
            </button>
        </form>
    }
}

/// Whether registration is open now, and if not, when it opens.
#[component]
fn WindowNotice(window: Memo<WindowState>, known: StoredValue<KnownOptions>) -> impl IntoView {
    let lang = use_lang();
    move || {
        let lang = lang.get();
        match window.get() {
            WindowState::Open { .. } => {
                let rule = known.with_value(|known| known.options.window.clone());
                let day = domain::jalali::weekday_name(rule.closes_on, lang);
                // By hand, not `format("%H:%M")`: chrono's format-string
                // machinery would otherwise ship in the citizens' bundle.
                let clock = format!(
                    "{:02}:{:02}",
                    rule.closes_at.hour(),
                    rule.closes_at.minute()
                );
                let time = localize_digits(&clock, lang);
                let text = match lang {
                    Lang::Fa => format!("ثبت‌نام این هفته تا {day} ساعت {time} باز است."),
                    Lang::En => format!("Registration is open this week until {day} {time}."),
                };
                view! { <p class="notice notice-open" data-testid="window-open">{text}</p> }
                    .into_any()
            }
            WindowState::Closed { next_opens, .. } => {
                let when = domain::time::format_datetime(next_opens, lang);
                let left = countdown(
                    next_opens - known.with_value(KnownOptions::server_now),
                    lang,
                );
                let text = match lang {
                    Lang::Fa => format!("ثبت‌نام اکنون بسته است. نوبت بعدی: {when} ({left} دیگر)."),
                    Lang::En => {
                        format!("Registration is closed now. It opens next on {when} (in {left}).")
                    }
                };
                view! { <p class="notice notice-closed" role="status" data-testid="window-closed">{text}</p> }.into_any()
            }
        }
    }
}

fn countdown(left: chrono::TimeDelta, lang: Lang) -> String {
    let minutes = left.num_minutes().max(0);
    let (days, hours, minutes) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let text = match lang {
        Lang::Fa => format!("{days} روز و {hours} ساعت و {minutes} دقیقه"),
        Lang::En => format!("{days} d {hours} h {minutes} min"),
    };
    localize_digits(&text, lang)
}

fn focus_field(field: Option<Field>) {
    let Some(field) = field else { return };
    if let Some(element) = document().get_element_by_id(&input_id(field))
        && let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element)
    {
        let _ = element.focus();
    }
}

fn scroll_to_top() {
    window().scroll_to_with_x_and_y(0.0, 0.0);
}
