//! Districts (مناطق) and the deputy mayors' domains (معاونت‌ها) that requests
//! are routed to. Both are data, not constants (DESIGN §1): Isfahan's 15
//! districts are the default seed; another city has its own count.

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Localized};

/// The most districts any city may configure; Tehran, the largest, has 22.
pub const MAX_DISTRICTS: u8 = 40;

/// A district's number, as citizens know it ("منطقهٔ ۶").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct DistrictId(u8);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum DistrictError {
    #[error("the district number is out of range")]
    OutOfRange,
}

impl Localized for DistrictError {
    fn key(&self) -> &'static str {
        "district.out_of_range"
    }

    fn message(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fa => "لطفاً منطقهٔ خود را از فهرست انتخاب کنید.",
            Lang::En => "Please choose your district from the list.",
        }
    }
}

impl DistrictId {
    pub fn new(number: u8) -> Result<Self, DistrictError> {
        if (1..=MAX_DISTRICTS).contains(&number) {
            Ok(DistrictId(number))
        } else {
            Err(DistrictError::OutOfRange)
        }
    }

    pub fn number(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for DistrictId {
    type Error = DistrictError;

    fn try_from(number: u8) -> Result<Self, Self::Error> {
        DistrictId::new(number)
    }
}

impl From<DistrictId> for u8 {
    fn from(id: DistrictId) -> u8 {
        id.0
    }
}

/// A district as configured by an administrator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct District {
    pub id: DistrictId,
    pub name_fa: String,
    pub name_en: String,
}

impl District {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fa => &self.name_fa,
            Lang::En => &self.name_en,
        }
    }
}

/// The most characters a district's or deputy domain's name may have.
pub const NAME_MAX_CHARS: usize = 80;

/// `PUT /api/admin/districts/{id}` and `/api/admin/deputies/{slug}`: a
/// place's name in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    pub name_fa: String,
    pub name_en: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a name is missing or too long")]
pub struct NameError;

impl Localized for NameError {
    fn key(&self) -> &'static str {
        "name.invalid"
    }

    fn message(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fa => "نام فارسی و انگلیسی را بنویسید (هر کدام حداکثر ۸۰ نویسه).",
            Lang::En => "Write the Persian and the English name (80 characters each at most).",
        }
    }
}

impl Names {
    /// Both names made canonical (see `text::normalize_input`), each
    /// present and at most [`NAME_MAX_CHARS`] long.
    pub fn checked(&self) -> Result<Names, NameError> {
        let name_fa = crate::text::normalize_input(&self.name_fa);
        let name_en = crate::text::normalize_input(&self.name_en);
        let fits = |name: &str| !name.is_empty() && name.chars().count() <= NAME_MAX_CHARS;
        if fits(&name_fa) && fits(&name_en) {
            Ok(Names { name_fa, name_en })
        } else {
            Err(NameError)
        }
    }
}

/// A deputy mayor's domain, identified by a stable slug
/// (`urban_planning`, `services`, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deputy {
    pub slug: String,
    pub name_fa: String,
    pub name_en: String,
}

impl Deputy {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fa => &self.name_fa,
            Lang::En => &self.name_en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_canonical_and_each_must_be_present_and_short() {
        let names = Names {
            name_fa: "  منطقهٔ  ۶ ".into(),
            name_en: "District 6".into(),
        };
        let checked = names.checked().expect("fits");
        assert_eq!(checked.name_en, "District 6");
        assert!(!checked.name_fa.starts_with(' '));
        let missing = Names {
            name_en: " ".into(),
            ..names.clone()
        };
        assert_eq!(missing.checked(), Err(NameError));
        let long = Names {
            name_fa: "ا".repeat(NAME_MAX_CHARS + 1),
            ..names
        };
        assert_eq!(long.checked(), Err(NameError));
    }

    #[test]
    fn district_numbers_outside_the_configurable_range_are_refused() {
        assert_eq!(DistrictId::new(0), Err(DistrictError::OutOfRange));
        assert_eq!(
            DistrictId::new(MAX_DISTRICTS + 1),
            Err(DistrictError::OutOfRange)
        );
        assert_eq!(DistrictId::new(15).map(DistrictId::number), Ok(15));
    }

    #[test]
    fn a_district_id_from_json_is_checked() {
        assert!(serde_json::from_str::<DistrictId>("6").is_ok());
        assert!(serde_json::from_str::<DistrictId>("0").is_err());
    }
}
