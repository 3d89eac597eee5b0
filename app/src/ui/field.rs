//! A form field: a control with its label, its hint and its error, tied
//! together for screen readers (`for`, `aria-describedby`, `aria-invalid`),
//! so no form wires them by hand. The citizens' registration form and every
//! staff form (through `controls`) use it.

use leptos::prelude::*;

/// The ids of a field's hint and error, for the control's
/// `aria-describedby`.
pub fn described_by(id: &str, has_hint: bool) -> String {
    if has_hint {
        format!("{id}-hint {id}-error")
    } else {
        format!("{id}-error")
    }
}

/// A labelled control with its hint and its error. `children` is the
/// control: its id is `id`, and it is described by
/// [`described_by`]`(id, hint.is_some())`.
#[component]
pub fn Field(
    #[prop(into)] id: String,
    #[prop(into)] label: TextProp,
    #[prop(default = None)] hint: Option<TextProp>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    /// Names the field for the page's tests and styles (`data-field`).
    #[prop(optional)]
    name: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    view! {
        <div class="field" data-field=name>
            <label for=id>{move || label.get()}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id>{move || hint.get()}</p> })}
            {children()}
            <p class="error" id=error_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}
