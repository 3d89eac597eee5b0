//! The interface language: Persian first, English behind a switch that the
//! device remembers (DESIGN §8).
//!
//! Texts sit beside the views that show them as `(Persian, English)` pairs:
//! a missing translation is then a compile error, not a blank label.

use domain::i18n::Lang;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;

const STORAGE_KEY: &str = "didar.lang";

/// The language chosen on this device, Persian if none was.
pub fn remembered() -> Lang {
    LocalStorage::get(STORAGE_KEY).unwrap_or_default()
}

pub fn remember(lang: Lang) {
    // Private browsing may refuse storage: the choice then lasts the visit.
    let _ = LocalStorage::set(STORAGE_KEY, lang);
}

/// The current language, provided once by the shell.
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Fa))
}

/// A text that follows the language switch.
pub fn tr(fa: &'static str, en: &'static str) -> impl Fn() -> &'static str + Copy + 'static {
    let lang = use_lang();
    move || match lang.get() {
        Lang::Fa => fa,
        Lang::En => en,
    }
}
