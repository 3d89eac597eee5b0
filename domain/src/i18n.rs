//! The two interface languages and the contract every user-facing error
//! fulfils: a stable machine key plus one plain sentence per language.
//!
//! Messages live next to the rule that produces them, so a new error kind
//! cannot ship without its Persian wording; the compiler insists on it.

use serde::{Deserialize, Serialize};

/// An interface language. Persian is the default because most of the people
/// who book a meeting with the mayor read Persian first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fa,
    En,
}

impl Lang {
    /// All languages, in the order the language switcher shows them.
    pub const ALL: [Lang; 2] = [Lang::Fa, Lang::En];

    /// The BCP 47 code, used for the `lang` attribute and in URLs.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fa => "fa",
            Lang::En => "en",
        }
    }

    /// The writing direction, for the `dir` attribute of the page.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Fa => "rtl",
            Lang::En => "ltr",
        }
    }

    /// Reads a language code as browsers and users write it: case does not
    /// matter and a region tag (`fa-IR`, `en_US`) is ignored, because the
    /// interface has one Persian and one English variant only.
    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("fa") {
            Some(Lang::Fa)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// Something that can be shown to a person in their language.
///
/// `key` is stable across releases so that the server can send it to the
/// browser (and logs can be grepped) without depending on wording, which may
/// be improved at any time.
pub trait Localized {
    /// A stable machine key such as `national_id.bad_checksum`.
    fn key(&self) -> &'static str;

    /// One complete, polite sentence in the requested language.
    fn message(&self, lang: Lang) -> &'static str;
}

/// A sentence in both interface languages, as the API sends messages: the
/// app shows the one its user chose.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bilingual {
    pub fa: String,
    pub en: String,
}

impl Bilingual {
    pub fn of(problem: &impl Localized) -> Bilingual {
        Bilingual {
            fa: problem.message(Lang::Fa).to_string(),
            en: problem.message(Lang::En).to_string(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fa => &self.fa,
            Lang::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_is_the_default_language_and_is_written_right_to_left() {
        assert_eq!(Lang::default(), Lang::Fa);
        assert_eq!(Lang::Fa.dir(), "rtl");
        assert_eq!(Lang::En.dir(), "ltr");
    }

    #[test]
    fn a_language_code_round_trips_through_parse() {
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
    }

    #[test]
    fn browser_language_tags_with_regions_and_any_case_are_understood() {
        assert_eq!(Lang::parse("fa-IR"), Some(Lang::Fa));
        assert_eq!(Lang::parse("EN_us"), Some(Lang::En));
        assert_eq!(Lang::parse(" en "), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn languages_serialize_as_their_lowercase_codes() {
        assert_eq!(
            serde_json::to_string(&Lang::Fa).ok().as_deref(),
            Some("\"fa\"")
        );
        let back: Option<Lang> = serde_json::from_str("\"en\"").ok();
        assert_eq!(back, Some(Lang::En));
    }
}
