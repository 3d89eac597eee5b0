//! The facts that identify a citizen who asks for a meeting: national ID,
//! mobile number and full name, each a type that can only hold a valid,
//! canonical value.
//!
//! Parsing is lenient about how people type (Persian or Arabic digits,
//! spaces, hyphens, country codes) and strict about what is stored, so two
//! requests from the same person always carry the same strings and the
//! server can match them without further cleaning.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Localized};
use crate::text::{fold_digits, is_bidi_mark, is_diacritic, normalize_input, to_persian_digits};

/// Dashes people and phones put between digit groups.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{00AD}' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}'
    )
}

/// Characters nobody can see that arrive when a number is pasted from
/// another app; inside a number they carry no meaning.
fn is_invisible(c: char) -> bool {
    is_bidi_mark(c) || matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}')
}

/// The last `n` characters of an ASCII string (all of it if shorter).
fn ascii_tail(s: &str, n: usize) -> &str {
    s.get(s.len().saturating_sub(n)..).unwrap_or(s)
}

// ---------------------------------------------------------------------------
// National ID
// ---------------------------------------------------------------------------

/// An Iranian national ID (کد ملی): ten ASCII digits with a valid check
/// digit, and not one of the ten same-digit codes that pass the checksum.
///
/// `Debug` shows only the last four digits so that IDs do not end up whole
/// in logs; `Display` and [`NationalId::as_str`] give the full value for the
/// places that need it.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NationalId(String);

/// Why a text is not a national ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NationalIdError {
    #[error("the national ID is empty")]
    Empty,
    #[error("a national ID contains only digits")]
    NotDigits,
    #[error("a national ID has exactly 10 digits")]
    WrongLength,
    #[error("a national ID cannot be one digit repeated")]
    AllSameDigits,
    #[error("the national ID's check digit does not match")]
    BadChecksum,
}

impl Localized for NationalIdError {
    fn key(&self) -> &'static str {
        match self {
            NationalIdError::Empty => "national_id.empty",
            NationalIdError::NotDigits => "national_id.not_digits",
            NationalIdError::WrongLength => "national_id.wrong_length",
            NationalIdError::AllSameDigits => "national_id.all_same_digits",
            NationalIdError::BadChecksum => "national_id.bad_checksum",
        }
    }

    fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (NationalIdError::Empty, Lang::Fa) => "لطفاً کد ملی خود را وارد کنید.",
            (NationalIdError::Empty, Lang::En) => "Please enter your national ID.",
            (NationalIdError::NotDigits, Lang::Fa) => {
                "کد ملی فقط از رقم تشکیل می‌شود. لطفاً حروف و نشانه‌های دیگر را حذف کنید."
            }
            (NationalIdError::NotDigits, Lang::En) => {
                "A national ID contains only digits. Please remove any letters or other symbols."
            }
            (NationalIdError::WrongLength, Lang::Fa) => {
                "کد ملی باید ۱۰ رقم باشد (صفرهای ابتدای آن را هم وارد کنید)."
            }
            (NationalIdError::WrongLength, Lang::En) => {
                "A national ID has 10 digits. Please include any zeros at the start."
            }
            (NationalIdError::AllSameDigits, Lang::Fa) => {
                "کد ملی وارد شده معتبر نیست. لطفاً کد ملی خود را وارد کنید."
            }
            (NationalIdError::AllSameDigits, Lang::En) => {
                "This national ID is not valid. Please enter your own national ID."
            }
            (NationalIdError::BadChecksum, Lang::Fa) => {
                "کد ملی وارد شده معتبر نیست. لطفاً آن را دوباره بررسی کنید."
            }
            (NationalIdError::BadChecksum, Lang::En) => {
                "This national ID is not valid. Please check it and try again."
            }
        }
    }
}

/// The check digit for the first nine digits of a national ID (DESIGN §9):
/// s = Σ d[i]·(10−i), r = s mod 11; the check digit is r when r < 2 and
/// 11 − r otherwise.
pub fn national_id_check_digit(first_nine: [u8; 9]) -> u8 {
    let sum: u32 = first_nine
        .iter()
        .zip((2..=10u32).rev())
        .map(|(&d, weight)| u32::from(d) * weight)
        .sum();
    // r < 11, so both results are single digits.
    let r = (sum % 11) as u8;
    if r < 2 { r } else { 11 - r }
}

impl NationalId {
    /// Reads a national ID as people type it: Persian or Arabic-Indic digits,
    /// with spaces or hyphens ("123-456789-0"). Leading zeros are never
    /// added: an ID typed with 8 or 9 digits is refused, because guessing
    /// could silently match someone else's ID.
    pub fn parse(input: &str) -> Result<NationalId, NationalIdError> {
        let compact: String = fold_digits(input)
            .chars()
            .filter(|&c| !c.is_whitespace() && !is_dash(c) && !is_invisible(c))
            .collect();
        if compact.is_empty() {
            return Err(NationalIdError::Empty);
        }
        if !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NationalIdError::NotDigits);
        }
        let digits: Vec<u8> = compact.bytes().map(|b| b - b'0').collect();
        let Ok(digits) = <[u8; 10]>::try_from(digits) else {
            return Err(NationalIdError::WrongLength);
        };
        let [d0, d1, d2, d3, d4, d5, d6, d7, d8, check] = digits;
        if digits.iter().all(|&d| d == d0) {
            return Err(NationalIdError::AllSameDigits);
        }
        if check != national_id_check_digit([d0, d1, d2, d3, d4, d5, d6, d7, d8]) {
            return Err(NationalIdError::BadChecksum);
        }
        Ok(NationalId(compact))
    }

    /// The ten ASCII digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ID with all but the last four digits hidden, "******1234", for
    /// screens and messages where the whole ID is not needed.
    pub fn masked(&self) -> String {
        let shown = self.last_digits(4);
        format!("{}{}", "*".repeat(self.0.len() - shown.len()), shown)
    }

    /// The last `n` digits (all ten if `n` is larger).
    pub fn last_digits(&self, n: usize) -> &str {
        ascii_tail(&self.0, n)
    }
}

impl fmt::Debug for NationalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("NationalId").field(&self.masked()).finish()
    }
}

// ---------------------------------------------------------------------------
// Mobile number
// ---------------------------------------------------------------------------

/// An Iranian mobile number, stored in E.164 form (`+989123456789`).
///
/// Operator prefixes are not checked: numbers move between operators and new
/// prefixes appear, and a refused real number is worse than an accepted
/// unused one (the SMS simply does not arrive).
///
/// `Debug` shows the masked form to keep numbers out of logs.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Mobile(String);

/// Why a text is not a mobile number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MobileError {
    #[error("the mobile number is empty")]
    Empty,
    #[error("a mobile number contains only digits")]
    NotDigits,
    #[error("not an Iranian mobile number: expected 09 followed by 9 digits")]
    NotMobile,
}

impl Localized for MobileError {
    fn key(&self) -> &'static str {
        match self {
            MobileError::Empty => "mobile.empty",
            MobileError::NotDigits => "mobile.not_digits",
            MobileError::NotMobile => "mobile.not_mobile",
        }
    }

    fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (MobileError::Empty, Lang::Fa) => "لطفاً شماره همراه خود را وارد کنید.",
            (MobileError::Empty, Lang::En) => "Please enter your mobile number.",
            (MobileError::NotDigits, Lang::Fa) => {
                "شماره همراه فقط از رقم تشکیل می‌شود. لطفاً حروف و نشانه‌های دیگر را حذف کنید."
            }
            (MobileError::NotDigits, Lang::En) => {
                "A mobile number contains only digits. Please remove any letters or other symbols."
            }
            (MobileError::NotMobile, Lang::Fa) => {
                "شماره همراه باید با ۰۹ شروع شود و ۱۱ رقم باشد، مثل ۰۹۱۲۳۴۵۶۷۸۹."
            }
            (MobileError::NotMobile, Lang::En) => {
                "A mobile number starts with 09 and has 11 digits, for example 09123456789."
            }
        }
    }
}

impl Mobile {
    /// Reads a mobile number in any of the forms Iranians write it:
    /// `09123456789`, `9123456789`, `+989123456789`, `00989123456789`,
    /// `989123456789`, and `+98 (0)912…`, in any digits, with spaces,
    /// hyphens or parentheses.
    pub fn parse(input: &str) -> Result<Mobile, MobileError> {
        let compact: String = fold_digits(input)
            .chars()
            .filter(|&c| {
                !c.is_whitespace() && !is_dash(c) && !is_invisible(c) && c != '(' && c != ')'
            })
            .collect();
        if compact.is_empty() {
            return Err(MobileError::Empty);
        }
        let (international, digits) = match compact.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, compact.as_str()),
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MobileError::NotDigits);
        }
        // After the country code, a trunk 0 written out of habit
        // ("+98 0912…") is dropped.
        let after_country_code = |rest: &'_ str| -> Option<String> {
            let rest = if rest.len() == 11 {
                rest.strip_prefix('0')?
            } else {
                rest
            };
            Some(rest.to_owned())
        };
        let national = if international {
            digits.strip_prefix("98").and_then(after_country_code)
        } else if let Some(rest) = digits.strip_prefix("0098") {
            after_country_code(rest)
        } else {
            match digits.len() {
                12 => digits.strip_prefix("98").map(str::to_owned),
                11 => digits.strip_prefix('0').map(str::to_owned),
                10 => Some(digits.to_owned()),
                _ => None,
            }
        };
        match national {
            Some(national) if national.len() == 10 && national.starts_with('9') => {
                Ok(Mobile(format!("+98{national}")))
            }
            _ => Err(MobileError::NotMobile),
        }
    }

    /// The E.164 form, `+989123456789`, for storage and SMS providers.
    pub fn e164(&self) -> &str {
        &self.0
    }

    /// The ten digits after the country code, `9123456789`.
    fn national(&self) -> &str {
        self.0.get(3..).unwrap_or_default()
    }

    /// The form Iranians dial, `09123456789`.
    pub fn local(&self) -> String {
        format!("0{}", self.national())
    }

    /// The number grouped the way it is read aloud, "0912 345 6789", with
    /// Persian digits in the Persian interface.
    ///
    /// In a right-to-left page the groups would be laid out right to left;
    /// render the result in a left-to-right isolate (`<bdi dir="ltr">` or
    /// `<span dir="ltr">`).
    pub fn display(&self, lang: Lang) -> String {
        let local = self.local();
        let grouped = format!(
            "{} {} {}",
            local.get(..4).unwrap_or_default(),
            local.get(4..7).unwrap_or_default(),
            local.get(7..).unwrap_or_default()
        );
        match lang {
            Lang::Fa => to_persian_digits(&grouped),
            Lang::En => grouped,
        }
    }

    /// The number with its middle hidden, "0912 *** 6789", enough for a
    /// person to recognise their own number on a confirmation screen.
    pub fn masked(&self) -> String {
        let local = self.local();
        format!(
            "{} *** {}",
            local.get(..4).unwrap_or_default(),
            ascii_tail(&local, 4)
        )
    }

    /// The last `n` digits (at most the ten after the country code).
    pub fn last_digits(&self, n: usize) -> &str {
        ascii_tail(self.national(), n)
    }
}

impl fmt::Debug for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Mobile").field(&self.masked()).finish()
    }
}

// ---------------------------------------------------------------------------
// Full name
// ---------------------------------------------------------------------------

/// A person's full name: first name and family name, in the person's own
/// spelling, made canonical by [`normalize_input`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

/// Why a text is not a full name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonNameError {
    #[error("the name is empty")]
    Empty,
    #[error("the name has fewer than 3 letters")]
    TooShort,
    #[error("the name is longer than 80 characters")]
    TooLong,
    #[error("a name may contain only letters, spaces, ZWNJ, hyphens, apostrophes and periods")]
    InvalidCharacters,
    #[error("the family name is missing")]
    MissingFamilyName,
}

impl Localized for PersonNameError {
    fn key(&self) -> &'static str {
        match self {
            PersonNameError::Empty => "person_name.empty",
            PersonNameError::TooShort => "person_name.too_short",
            PersonNameError::TooLong => "person_name.too_long",
            PersonNameError::InvalidCharacters => "person_name.invalid_characters",
            PersonNameError::MissingFamilyName => "person_name.missing_family_name",
        }
    }

    fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (PersonNameError::Empty, Lang::Fa) => "لطفاً نام و نام خانوادگی خود را وارد کنید.",
            (PersonNameError::Empty, Lang::En) => "Please enter your first and family name.",
            (PersonNameError::TooShort, Lang::Fa) => {
                "نام وارد شده خیلی کوتاه است. لطفاً نام و نام خانوادگی کامل خود را وارد کنید."
            }
            (PersonNameError::TooShort, Lang::En) => {
                "The name is too short. Please enter your full first and family name."
            }
            (PersonNameError::TooLong, Lang::Fa) => {
                "نام وارد شده خیلی طولانی است. لطفاً آن را در حداکثر ۸۰ حرف بنویسید."
            }
            (PersonNameError::TooLong, Lang::En) => {
                "The name is too long. Please keep it to at most 80 characters."
            }
            (PersonNameError::InvalidCharacters, Lang::Fa) => {
                "نام و نام خانوادگی فقط باید از حروف تشکیل شود. لطفاً رقم‌ها و نشانه‌های اضافی را حذف کنید."
            }
            (PersonNameError::InvalidCharacters, Lang::En) => {
                "A name may contain only letters, spaces, hyphens, apostrophes and periods. Please remove digits and other symbols."
            }
            (PersonNameError::MissingFamilyName, Lang::Fa) => {
                "لطفاً نام خانوادگی خود را هم بعد از نام وارد کنید."
            }
            (PersonNameError::MissingFamilyName, Lang::En) => {
                "Please enter your family name after your first name."
            }
        }
    }
}

impl PersonName {
    /// The longest accepted name, in characters: room for long compound
    /// names while keeping rosters and SMS templates predictable.
    pub const MAX_CHARS: usize = 80;
    /// The fewest letters a full name may have.
    pub const MIN_LETTERS: usize = 3;

    /// Reads a full name. Letters of any script are accepted (Persian,
    /// Arabic, Latin, …), with spaces, ZWNJ, hyphens, apostrophes and
    /// periods; digits are not, since no name contains them and they usually
    /// mean a field was mixed up. At least two words are required, because
    /// staff call people by family name and a first name alone cannot tell
    /// two visitors apart.
    pub fn parse(input: &str) -> Result<PersonName, PersonNameError> {
        let name = normalize_input(input);
        if name.is_empty() {
            return Err(PersonNameError::Empty);
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(PersonNameError::TooLong);
        }
        let allowed =
            |c: char| c.is_alphabetic() || matches!(c, ' ' | '\u{200C}' | '-' | '\'' | '’' | '.');
        if !name.chars().all(allowed) {
            return Err(PersonNameError::InvalidCharacters);
        }
        // Diacritics and tatweel count as alphabetic in Unicode but are not
        // letters a reader counts.
        let is_letter = |c: char| c.is_alphabetic() && !is_diacritic(c) && c != '\u{0640}';
        if name.chars().filter(|&c| is_letter(c)).count() < Self::MIN_LETTERS {
            return Err(PersonNameError::TooShort);
        }
        let words = name
            .split(' ')
            .filter(|word| word.chars().any(is_letter))
            .count();
        if words < 2 {
            return Err(PersonNameError::MissingFamilyName);
        }
        Ok(PersonName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_conversions!(NationalId, NationalIdError, as_str);
text_conversions!(Mobile, MobileError, e164);
text_conversions!(PersonName, PersonNameError, as_str);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn with_check_digit(first_nine: [u8; 9]) -> String {
        let mut id: String = first_nine.iter().map(|d| char::from(b'0' + d)).collect();
        id.push(char::from(b'0' + national_id_check_digit(first_nine)));
        id
    }

    // ----- national ID -----

    #[test]
    fn known_valid_national_ids_are_accepted() {
        for id in ["0499370899", "0790419904", "0084575948"] {
            assert_eq!(NationalId::parse(id).unwrap().as_str(), id);
        }
    }

    #[test]
    fn a_national_id_with_a_wrong_check_digit_is_refused() {
        assert_eq!(
            NationalId::parse("0499370898"),
            Err(NationalIdError::BadChecksum)
        );
        assert_eq!(
            NationalId::parse("0790419900"),
            Err(NationalIdError::BadChecksum)
        );
    }

    #[test]
    fn every_same_digit_national_id_passes_the_checksum_but_is_refused() {
        for d in 0..=9u8 {
            assert_eq!(national_id_check_digit([d; 9]), d);
            let id = char::from(b'0' + d).to_string().repeat(10);
            assert_eq!(NationalId::parse(&id), Err(NationalIdError::AllSameDigits));
        }
    }

    #[test]
    fn a_national_id_without_its_leading_zeros_is_refused_not_padded() {
        assert_eq!(
            NationalId::parse("499370899"),
            Err(NationalIdError::WrongLength)
        );
        assert_eq!(
            NationalId::parse("84575948"),
            Err(NationalIdError::WrongLength)
        );
        assert_eq!(
            NationalId::parse("04993708990"),
            Err(NationalIdError::WrongLength)
        );
    }

    #[test]
    fn an_empty_national_id_is_refused_as_empty() {
        assert_eq!(NationalId::parse(""), Err(NationalIdError::Empty));
        assert_eq!(NationalId::parse("  - "), Err(NationalIdError::Empty));
    }

    #[test]
    fn a_national_id_with_letters_or_symbols_is_refused() {
        assert_eq!(
            NationalId::parse("04993708a9"),
            Err(NationalIdError::NotDigits)
        );
        assert_eq!(
            NationalId::parse("0499.370899"),
            Err(NationalIdError::NotDigits)
        );
        assert_eq!(
            NationalId::parse("+0499370899"),
            Err(NationalIdError::NotDigits)
        );
    }

    #[test]
    fn a_national_id_in_persian_or_arabic_digits_with_separators_is_accepted() {
        assert_eq!(
            NationalId::parse("۰۴۹۹۳۷۰۸۹۹").unwrap().as_str(),
            "0499370899"
        );
        assert_eq!(
            NationalId::parse("٠٤٩٩٣٧٠٨٩٩").unwrap().as_str(),
            "0499370899"
        );
        assert_eq!(
            NationalId::parse(" 049-937089-9 ").unwrap().as_str(),
            "0499370899"
        );
        assert_eq!(
            NationalId::parse("\u{200E}۰۴۹ ۹۳۷ ۰۸۹۹").unwrap().as_str(),
            "0499370899"
        );
    }

    #[test]
    fn a_national_id_is_masked_to_its_last_four_digits() {
        let id = NationalId::parse("0499370899").unwrap();
        assert_eq!(id.masked(), "******0899");
        assert_eq!(id.last_digits(4), "0899");
        assert_eq!(id.last_digits(20), "0499370899");
        assert_eq!(id.last_digits(0), "");
        assert_eq!(format!("{id:?}"), r#"NationalId("******0899")"#);
        assert_eq!(id.to_string(), "0499370899");
    }

    #[test]
    fn a_national_id_round_trips_through_json_as_a_string() {
        let id = NationalId::parse("0790419904").unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, r#""0790419904""#);
        assert_eq!(serde_json::from_str::<NationalId>(&json).unwrap(), id);
    }

    #[test]
    fn an_invalid_national_id_cannot_be_deserialized() {
        assert!(serde_json::from_str::<NationalId>(r#""0790419900""#).is_err());
        assert!(serde_json::from_str::<NationalId>(r#""1111111111""#).is_err());
        assert!(serde_json::from_str::<NationalId>("790419904").is_err());
    }

    // ----- mobile -----

    #[test]
    fn every_usual_way_of_writing_a_mobile_number_gives_the_same_e164() {
        for input in [
            "09123456789",
            "9123456789",
            "+989123456789",
            "00989123456789",
            "989123456789",
            "+98 (0) 912 345 6789",
            "0098-0912-345-6789",
            "۰۹۱۲۳۴۵۶۷۸۹",
            "٠٩١٢٣٤٥٦٧٨٩",
            " 0912 345 6789 ",
            "(0912) 345-67-89",
            "+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹",
        ] {
            assert_eq!(
                Mobile::parse(input).map(|m| m.e164().to_owned()),
                Ok("+989123456789".to_owned()),
                "{input}"
            );
        }
    }

    #[test]
    fn a_landline_or_a_short_number_is_not_a_mobile() {
        for input in [
            "0212345678",
            "0912345678",
            "091234567890",
            "02112345678",
            "+9802112345678",
            "+12025550123",
            "+",
            "8123456789",
            "0098912345678",
        ] {
            assert_eq!(Mobile::parse(input), Err(MobileError::NotMobile), "{input}");
        }
    }

    #[test]
    fn a_mobile_number_with_letters_is_refused() {
        assert_eq!(Mobile::parse("0912abc6789"), Err(MobileError::NotDigits));
        assert_eq!(Mobile::parse("0912+3456789"), Err(MobileError::NotDigits));
        assert_eq!(Mobile::parse("++989123456789"), Err(MobileError::NotDigits));
    }

    #[test]
    fn an_empty_mobile_number_is_refused_as_empty() {
        assert_eq!(Mobile::parse(""), Err(MobileError::Empty));
        assert_eq!(Mobile::parse(" ( ) "), Err(MobileError::Empty));
    }

    #[test]
    fn operator_prefixes_are_not_checked() {
        assert!(Mobile::parse("09991234567").is_ok());
        assert!(Mobile::parse("09001234567").is_ok());
    }

    #[test]
    fn a_mobile_number_is_shown_grouped_in_the_readers_digits() {
        let mobile = Mobile::parse("+989123456789").unwrap();
        assert_eq!(mobile.local(), "09123456789");
        assert_eq!(mobile.display(Lang::Fa), "۰۹۱۲ ۳۴۵ ۶۷۸۹");
        assert_eq!(mobile.display(Lang::En), "0912 345 6789");
        assert_eq!(mobile.masked(), "0912 *** 6789");
        assert_eq!(mobile.last_digits(4), "6789");
        assert_eq!(mobile.last_digits(99), "9123456789");
        assert_eq!(format!("{mobile:?}"), r#"Mobile("0912 *** 6789")"#);
    }

    #[test]
    fn a_mobile_number_round_trips_through_json_in_e164_form() {
        let mobile = Mobile::parse("09123456789").unwrap();
        let json = serde_json::to_string(&mobile).unwrap();
        assert_eq!(json, r#""+989123456789""#);
        assert_eq!(serde_json::from_str::<Mobile>(&json).unwrap(), mobile);
        assert!(serde_json::from_str::<Mobile>(r#""0212345678""#).is_err());
    }

    // ----- name -----

    #[test]
    fn a_first_and_family_name_is_accepted_in_canonical_form() {
        assert_eq!(
            PersonName::parse("علی رضایی").unwrap().as_str(),
            "علی رضایی"
        );
        assert_eq!(
            PersonName::parse("  علي   كريمي ").unwrap().as_str(),
            "علی کریمی"
        );
        assert_eq!(
            PersonName::parse("محمد\u{200C}رضا شجریان")
                .unwrap()
                .as_str(),
            "محمد\u{200C}رضا شجریان"
        );
        assert!(PersonName::parse("Mary-Jane O'Neil").is_ok());
        assert!(PersonName::parse("J. R. R. Tolkien").is_ok());
        assert!(PersonName::parse("سید علی").is_ok());
        assert!(PersonName::parse("مُحَمَّد رضایی").is_ok());
    }

    #[test]
    fn a_single_word_name_is_missing_its_family_name() {
        assert_eq!(
            PersonName::parse("علی"),
            Err(PersonNameError::MissingFamilyName)
        );
        assert_eq!(
            PersonName::parse("محمد\u{200C}رضا"),
            Err(PersonNameError::MissingFamilyName)
        );
        assert_eq!(
            PersonName::parse("علی ."),
            Err(PersonNameError::MissingFamilyName)
        );
    }

    #[test]
    fn a_name_with_fewer_than_three_letters_is_too_short() {
        assert_eq!(PersonName::parse("ع ب"), Err(PersonNameError::TooShort));
        assert_eq!(PersonName::parse("a"), Err(PersonNameError::TooShort));
        assert_eq!(PersonName::parse("عَ بِ"), Err(PersonNameError::TooShort));
    }

    #[test]
    fn an_empty_name_is_refused_as_empty() {
        assert_eq!(PersonName::parse(""), Err(PersonNameError::Empty));
        assert_eq!(
            PersonName::parse(" \u{200C} \u{200F}"),
            Err(PersonNameError::Empty)
        );
    }

    #[test]
    fn a_name_longer_than_80_characters_is_refused() {
        let long = format!("{} {}", "ا".repeat(40), "ب".repeat(40));
        assert_eq!(PersonName::parse(&long), Err(PersonNameError::TooLong));
        let fits = format!("{} {}", "ا".repeat(40), "ب".repeat(39));
        assert!(PersonName::parse(&fits).is_ok());
    }

    #[test]
    fn a_name_with_digits_or_symbols_is_refused() {
        for input in [
            "علی رضایی ۲",
            "Ali Rezaei2",
            "علی@رضایی کریمی",
            "علی، رضایی",
        ] {
            assert_eq!(
                PersonName::parse(input),
                Err(PersonNameError::InvalidCharacters),
                "{input}"
            );
        }
    }

    #[test]
    fn a_name_round_trips_through_json_and_an_invalid_one_is_refused() {
        let name = PersonName::parse("زهرا احمدی").unwrap();
        let json = serde_json::to_string(&name).unwrap();
        assert_eq!(serde_json::from_str::<PersonName>(&json).unwrap(), name);
        assert!(serde_json::from_str::<PersonName>(r#""زهرا""#).is_err());
    }

    // ----- messages -----

    fn all_errors() -> Vec<Box<dyn Localized>> {
        use MobileError as M;
        use NationalIdError as N;
        use PersonNameError as P;
        vec![
            Box::new(N::Empty),
            Box::new(N::NotDigits),
            Box::new(N::WrongLength),
            Box::new(N::AllSameDigits),
            Box::new(N::BadChecksum),
            Box::new(M::Empty),
            Box::new(M::NotDigits),
            Box::new(M::NotMobile),
            Box::new(P::Empty),
            Box::new(P::TooShort),
            Box::new(P::TooLong),
            Box::new(P::InvalidCharacters),
            Box::new(P::MissingFamilyName),
        ]
    }

    #[test]
    fn every_error_has_a_unique_key_and_a_sentence_in_each_language() {
        let errors = all_errors();
        let mut keys: Vec<&str> = errors.iter().map(|e| e.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), errors.len());
        for error in &errors {
            let fa = error.message(Lang::Fa);
            let en = error.message(Lang::En);
            assert!(fa.ends_with('.') && en.ends_with('.'), "{}", error.key());
            assert!(en.is_ascii(), "{}", error.key());
            // Persian text uses Persian letters and digits only.
            assert!(
                !fa.chars().any(|c| matches!(c, 'ي' | 'ك' | '0'..='9')),
                "{}",
                error.key()
            );
        }
    }

    #[test]
    fn errors_serialize_as_snake_case_names() {
        assert_eq!(
            serde_json::to_string(&NationalIdError::BadChecksum).unwrap(),
            r#""bad_checksum""#
        );
    }

    proptest! {
        #[test]
        fn nine_digits_with_their_check_digit_form_a_valid_id_and_any_other_last_digit_does_not(
            first_nine in prop::array::uniform9(0u8..=9)
                .prop_filter("not all the same digit", |d| d.iter().any(|&x| x != d[0])),
            other in 0u8..=9,
        ) {
            let id = with_check_digit(first_nine);
            prop_assert_eq!(NationalId::parse(&id).map(String::from), Ok(id.clone()));
            let check = national_id_check_digit(first_nine);
            if other != check {
                let mut wrong = id[..9].to_owned();
                wrong.push(char::from(b'0' + other));
                prop_assert_eq!(NationalId::parse(&wrong), Err(NationalIdError::BadChecksum));
            }
        }

        #[test]
        fn a_valid_id_survives_json_and_persian_digits(
            first_nine in prop::array::uniform9(0u8..=9)
                .prop_filter("not all the same digit", |d| d.iter().any(|&x| x != d[0])),
        ) {
            let id = NationalId::parse(&with_check_digit(first_nine)).unwrap();
            let json = serde_json::to_string(&id).unwrap();
            prop_assert_eq!(serde_json::from_str::<NationalId>(&json).unwrap(), id.clone());
            prop_assert_eq!(NationalId::parse(&to_persian_digits(id.as_str())).unwrap(), id);
        }

        #[test]
        fn any_mobile_parses_to_the_same_value_from_its_displayed_forms(national in "9[0-9]{9}") {
            let mobile = Mobile::parse(&national).unwrap();
            prop_assert_eq!(mobile.e164(), format!("+98{national}"));
            prop_assert_eq!(Mobile::parse(&mobile.display(Lang::Fa)).unwrap(), mobile.clone());
            prop_assert_eq!(Mobile::parse(&mobile.local()).unwrap(), mobile.clone());
            prop_assert_eq!(Mobile::parse(mobile.e164()).unwrap(), mobile);
        }
    }
}
