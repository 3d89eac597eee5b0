//! The form's fields: reading and writing each one of the as-typed form,
//! and their labels and hints, shown through the shared `ui::field`.

use domain::i18n::Lang;
use domain::registration::{Field, RegistrationForm};
use leptos::prelude::*;

use crate::i18n::use_lang;
use crate::ui::field::Field as UiField;

pub fn value(form: &RegistrationForm, field: Field) -> String {
    match field {
        Field::FullName => form.full_name.clone(),
        Field::NationalId => form.national_id.clone(),
        Field::Mobile => form.mobile.clone(),
        Field::District => form.district.map(|d| d.to_string()).unwrap_or_default(),
        Field::Topic => form.topic.clone(),
        Field::Description => form.description.clone(),
        Field::CaseNumber => form.case_number.clone(),
        Field::Consent => form.consent.to_string(),
    }
}

pub fn set(form: &mut RegistrationForm, field: Field, value: String) {
    match field {
        Field::FullName => form.full_name = value,
        Field::NationalId => form.national_id = value,
        Field::Mobile => form.mobile = value,
        Field::District => form.district = value.parse().ok(),
        Field::Topic => form.topic = value,
        Field::Description => form.description = value,
        Field::CaseNumber => form.case_number = value,
        Field::Consent => form.consent = value == "true",
    }
}

pub fn label(field: Field, lang: Lang) -> &'static str {
    match (field, lang) {
        (Field::FullName, Lang::Fa) => "نام و نام خانوادگی",
        (Field::FullName, Lang::En) => "Full name",
        (Field::NationalId, Lang::Fa) => "کد ملی",
        (Field::NationalId, Lang::En) => "National ID",
        (Field::Mobile, Lang::Fa) => "شمارهٔ همراه",
        (Field::Mobile, Lang::En) => "Mobile number",
        (Field::District, Lang::Fa) => "منطقهٔ شهرداری",
        (Field::District, Lang::En) => "Municipal district",
        (Field::Topic, Lang::Fa) => "موضوع درخواست",
        (Field::Topic, Lang::En) => "Topic",
        (Field::Description, Lang::Fa) => "شرح درخواست",
        (Field::Description, Lang::En) => "Your request",
        (Field::CaseNumber, Lang::Fa) => "شمارهٔ پرونده (اگر دارید)",
        (Field::CaseNumber, Lang::En) => "Case number (if you have one)",
        (Field::Consent, Lang::Fa) => "موافقم که برای هماهنگی دیدار با من تماس گرفته شود.",
        (Field::Consent, Lang::En) => "I agree to be contacted to arrange the meeting.",
    }
}

pub fn hint(field: Field, lang: Lang) -> Option<&'static str> {
    Some(match (field, lang) {
        (Field::NationalId, Lang::Fa) => {
            "۱۰ رقم، با صفرهای ابتدای آن. ارقام فارسی یا انگلیسی فرقی نمی‌کند."
        }
        (Field::NationalId, Lang::En) => {
            "10 digits, with its leading zeros. Persian or Latin digits both work."
        }
        (Field::Mobile, Lang::Fa) => "مثل ۰۹۱۲۳۴۵۶۷۸۹. زمان و مکان دیدار به این شماره پیامک می‌شود.",
        (Field::Mobile, Lang::En) => {
            "Like 09123456789. The meeting's day and place are sent here by SMS."
        }
        (Field::District, Lang::Fa) => {
            "منطقه‌ای که موضوع درخواست شما در آن است. اگر نمی‌دانید کدام منطقه است، سامانهٔ ۱۳۷ شهرداری راهنمایی‌تان می‌کند."
        }
        (Field::District, Lang::En) => {
            "The district your request is about. If you do not know which it is, the municipality's 137 line will tell you."
        }
        (Field::Topic, Lang::Fa) => {
            "اگر مطمئن نیستید، «مطمئن نیستم» را انتخاب کنید؛ کمیته آن را ارجاع می‌دهد."
        }
        (Field::Topic, Lang::En) => {
            "If you are not sure, choose \u{201c}Not sure\u{201d}: the committee will route it."
        }
        _ => return None,
    })
}

/// The id of a field's input, and of its hint and error for
/// `aria-describedby`.
pub fn input_id(field: Field) -> String {
    format!("reg-{}", field.name())
}

/// What a field's input is described by: its hint, if it has one, and its
/// error.
pub fn described_by(field: Field) -> String {
    crate::ui::field::described_by(&input_id(field), hint(field, Lang::Fa).is_some())
}

/// A form field (see `ui::field`) with this form's label, hint and error.
#[component]
pub fn FieldRow(
    field: Field,
    #[prop(into)] error: Signal<Option<&'static str>>,
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    let hint_text = hint(field, Lang::Fa)
        .is_some()
        .then(|| TextProp::from(move || hint(field, lang.get()).unwrap_or_default()));
    view! {
        <UiField
            id=input_id(field)
            label=move || label(field, lang.get())
            hint=hint_text
            error=Signal::derive(move || error.get().map(str::to_string))
            name=field.name()
        >
            {children()}
        </UiField>
    }
}
