//! The district picker of the administrators' forms.

use domain::district::{District, DistrictId};
use domain::text::localize_digits;
use leptos::prelude::*;

use super::controls::SelectField;
use crate::i18n::{tr, use_lang};

/// The city's districts as the server holds them (DESIGN §1: the count is
/// data), numbered and named in the reader's language.
#[component]
pub fn DistrictField(
    #[prop(into)] id: String,
    value: RwSignal<String>,
    #[prop(into)] districts: Signal<Vec<District>>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let options = Signal::derive(move || {
        let lang = lang.get();
        districts
            .get()
            .into_iter()
            .map(|district| {
                let number = district.id.number().to_string();
                let text = localize_digits(&format!("{number} — {}", district.name(lang)), lang);
                (number, text)
            })
            .collect()
    });
    view! { <SelectField id label=tr("منطقه", "District") value options error disabled/> }
}

/// The district a [`DistrictField`]'s value names, if one is chosen.
pub fn chosen_district(value: &str) -> Option<DistrictId> {
    value
        .parse()
        .ok()
        .and_then(|number| DistrictId::new(number).ok())
}
