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
