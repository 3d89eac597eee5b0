//! The staff forms' controls, each inside a [`Field`]. Values are kept as
//! the person typed them; a form parses them when it is sent and says
//! what it could not read, never replacing it with a default.

use leptos::prelude::*;

use super::field::{Field, described_by};
use crate::i18n::tr;

/// A one-line text field (`kind`: text, password, date, time, number…).
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] label: TextProp,
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] hint: Option<TextProp>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    /// Latin text (usernames, times, numbers) reads left to right.
    #[prop(optional)]
    ltr: bool,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let described = described_by(&id, hint.is_some());
    view! {
        <Field id=id.clone() label hint error>
            <input
                id=id
                type=kind
                class:ltr=ltr
                autocomplete=autocomplete
                aria-describedby=described
                aria-invalid=move || error.with(Option::is_some).to_string()
                disabled=move || disabled.get()
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
            />
        </Field>
    }
}

/// Several lines of free text.
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] label: TextProp,
    value: RwSignal<String>,
    #[prop(optional, into)] hint: Option<TextProp>,
    #[prop(default = 3)] rows: u32,
) -> impl IntoView {
    let described = described_by(&id, hint.is_some());
    view! {
        <Field id=id.clone() label hint>
            <textarea
                id=id
                rows=rows
                maxlength="1000"
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
            ></textarea>
        </Field>
    }
}

/// A choice from a list: `(value, label)` pairs after an entry whose
/// value is empty ("choose…" unless told), so nothing is chosen for the
/// person.
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    #[prop(into)] label: TextProp,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] disabled: Signal<bool>,
    /// What the empty choice says when it is an answer ("not referred"),
    /// not only "choose…".
    #[prop(optional, into)]
    none: Option<TextProp>,
) -> impl IntoView {
    let none = none.unwrap_or_else(|| tr("انتخاب کنید…", "Choose…").into());
    view! {
        <Field id=id.clone() label error>
            <select
                aria-describedby=described_by(&id, false)
                id=id
                aria-invalid=move || error.with(Option::is_some).to_string()
                disabled=move || disabled.get()
                on:change=move |event| value.set(event_target_value(&event))
            >
                <option value="" selected=move || value.with(String::is_empty)>
                    {move || none.get()}
                </option>
                {move || options.get().into_iter().map(|(option, text)| {
                    let chosen = option.clone();
                    view! { <option value=option selected=move || value.with(|v| *v == chosen)>{text}</option> }
                }).collect_view()}
            </select>
        </Field>
    }
}

/// One of a row of buttons choosing what a list shows: pressed while
/// `choice` is `value`. The committees' lists only.
#[cfg(feature = "staff")]
#[component]
pub fn ChoiceButton<T>(
    choice: RwSignal<T>,
    value: T,
    label: (&'static str, &'static str),
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    view! {
        <button type="button" class="button button-secondary"
            aria-pressed=move || (choice.get() == value).to_string()
            on:click=move |_| choice.set(value)>
            {tr(label.0, label.1)}
        </button>
    }
}

/// What a committee's or the call centre's screen of one meeting says
/// when its records cannot be read.
#[cfg(feature = "staff")]
pub const DATA_UNREADABLE: (&str, &str) = (
    "داده‌های این دستگاه خوانده نشد: ",
    "This device's data could not be read: ",
);

/// What a screen of one meeting says when this device does not hold it.
#[cfg(feature = "staff")]
#[component]
pub fn MeetingNotHere(test_id: &'static str) -> impl IntoView {
    view! {
        <p class="warning" data-testid=test_id>{tr(
            "این دیدار روی این دستگاه نیست؛ به اینترنت وصل شوید و همگام‌سازی کنید.",
            "This meeting is not on this device; connect to the network and sync.",
        )}</p>
    }
}
