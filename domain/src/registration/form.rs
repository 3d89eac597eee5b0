//! The registration form a citizen fills on the phone (DESIGN §2 step 1):
//! the raw form as typed, the rules that check it field by field, and the
//! validated [`Registration`] that is sent and stored.
//!
//! The browser runs [`RegistrationForm::validate_field`] while the person
//! types and [`RegistrationForm::validate`] before the request goes to the
//! outbox; the server runs `validate` again on what it receives. Both use the
//! same configured topics and district count, so a form the phone accepted
//! offline is accepted by the server unless the configuration changed.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::district::{DistrictError, DistrictId};
use crate::i18n::{Lang, Localized};
use crate::person::{
    Mobile, MobileError, NationalId, NationalIdError, PersonName, PersonNameError,
};
use crate::text::{is_bidi_mark, normalize_input};

/// The fewest characters a description may have after normalisation: enough
/// for one sentence the committee can act on.
pub const DESCRIPTION_MIN_CHARS: usize = 20;
/// The most characters a description may have after normalisation: about a
/// page, which the committee reads in full.
pub const DESCRIPTION_MAX_CHARS: usize = 2000;

/// The form as the citizen typed it, unchecked. The app keeps it as the
/// device's draft, so nothing typed is lost when the page closes.
///
/// `Debug` hides all but the last four characters of the national ID and
/// the mobile number, as their parsed types do, to keep them out of logs.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RegistrationForm {
    pub full_name: String,
    pub national_id: String,
    pub mobile: String,
    /// The district number chosen from the list; `None` until one is.
    pub district: Option<u8>,
    /// A deputy domain's slug, or `"not_sure"`.
    pub topic: String,
    pub description: String,
    /// An existing case number, if the citizen has one; empty means none.
    pub case_number: String,
    /// Agreement that the request's details are used to handle it and to
    /// contact the citizen.
    pub consent: bool,
}

/// A field of the form, in the order the form shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    FullName,
    NationalId,
    Mobile,
    District,
    Topic,
    Description,
    CaseNumber,
    Consent,
}

impl Field {
    /// Every field, in form order.
    pub const ALL: [Field; 8] = [
        Field::FullName,
        Field::NationalId,
        Field::Mobile,
        Field::District,
        Field::Topic,
        Field::Description,
        Field::CaseNumber,
        Field::Consent,
    ];

    /// The field's name in [`RegistrationForm`]'s JSON, for matching an
    /// error to its input.
    pub fn name(self) -> &'static str {
        match self {
            Field::FullName => "full_name",
            Field::NationalId => "national_id",
            Field::Mobile => "mobile",
            Field::District => "district",
            Field::Topic => "topic",
            Field::Description => "description",
            Field::CaseNumber => "case_number",
            Field::Consent => "consent",
        }
    }
}

/// What is wrong with one field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FormError {
    #[error("full name: {0}")]
    Name(PersonNameError),
    #[error("national ID: {0}")]
    NationalId(NationalIdError),
    #[error("mobile: {0}")]
    Mobile(MobileError),
    /// No district chosen, or one beyond the city's districts.
    #[error("district: {0}")]
    District(DistrictError),
    #[error("no topic was chosen")]
    TopicMissing,
    #[error("the topic is not one of the configured deputy domains")]
    TopicUnknown,
    #[error("the description is shorter than {DESCRIPTION_MIN_CHARS} characters")]
    DescriptionTooShort,
    #[error("the description is longer than {DESCRIPTION_MAX_CHARS} characters")]
    DescriptionTooLong,
    #[error("case number: {0}")]
    CaseNumberInvalid(CaseNumberError),
    #[error("consent was not given")]
    ConsentMissing,
}

impl FormError {
    /// The field the problem belongs to, where the form shows the message.
    pub fn field(&self) -> Field {
        match self {
            FormError::Name(_) => Field::FullName,
            FormError::NationalId(_) => Field::NationalId,
            FormError::Mobile(_) => Field::Mobile,
            FormError::District(_) => Field::District,
            FormError::TopicMissing | FormError::TopicUnknown => Field::Topic,
            FormError::DescriptionTooShort | FormError::DescriptionTooLong => Field::Description,
            FormError::CaseNumberInvalid(_) => Field::CaseNumber,
            FormError::ConsentMissing => Field::Consent,
        }
    }
}

impl Localized for FormError {
    fn key(&self) -> &'static str {
        match self {
            FormError::Name(e) => e.key(),
            FormError::NationalId(e) => e.key(),
            FormError::Mobile(e) => e.key(),
            FormError::District(e) => e.key(),
            FormError::TopicMissing => "topic.missing",
            FormError::TopicUnknown => "topic.unknown",
            FormError::DescriptionTooShort => "description.too_short",
            FormError::DescriptionTooLong => "description.too_long",
            FormError::CaseNumberInvalid(e) => e.key(),
            FormError::ConsentMissing => "consent.missing",
        }
    }

    fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (FormError::Name(e), _) => e.message(lang),
            (FormError::NationalId(e), _) => e.message(lang),
            (FormError::Mobile(e), _) => e.message(lang),
            (FormError::District(e), _) => e.message(lang),
            (FormError::CaseNumberInvalid(e), _) => e.message(lang),
            (FormError::TopicMissing, Lang::Fa) => {
                "لطفاً موضوع درخواست خود را انتخاب کنید؛ اگر مطمئن نیستید، گزینهٔ «مطمئن نیستم» را انتخاب کنید."
            }
            (FormError::TopicMissing, Lang::En) => {
                "Please choose the topic of your request; if you are not sure, choose \"Not sure\"."
            }
            (FormError::TopicUnknown, Lang::Fa) => {
                "موضوع انتخاب‌شده در فهرست نیست. لطفاً یکی از موضوع‌های فهرست را انتخاب کنید."
            }
            (FormError::TopicUnknown, Lang::En) => {
                "The chosen topic is not in the list. Please choose one of the listed topics."
            }
            (FormError::DescriptionTooShort, Lang::Fa) => {
                "لطفاً درخواست خود را دست‌کم در ۲۰ حرف توضیح دهید تا کمیته بتواند آن را بررسی کند."
            }
            (FormError::DescriptionTooShort, Lang::En) => {
                "Please describe your request in at least 20 characters so that the committee can review it."
            }
            (FormError::DescriptionTooLong, Lang::Fa) => {
                "توضیح درخواست حداکثر ۲۰۰۰ حرف است. لطفاً آن را کوتاه‌تر کنید."
            }
            (FormError::DescriptionTooLong, Lang::En) => {
                "The description may be at most 2000 characters. Please shorten it."
            }
            (FormError::ConsentMissing, Lang::Fa) => {
                "برای ثبت درخواست، لطفاً موافقت خود را با استفاده از این اطلاعات برای رسیدگی به درخواست و تماس با شما اعلام کنید."
            }
            (FormError::ConsentMissing, Lang::En) => {
                "To submit the request, please agree that this information is used to handle your request and to contact you."
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Topic
// ---------------------------------------------------------------------------

/// What the request is about: a deputy mayor's domain, or "not sure", in
/// which case the screening committee chooses (DESIGN §2).
///
/// Serialized as the deputy's slug, or `"not_sure"`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Topic {
    Deputy(String),
    NotSure,
}

impl Topic {
    /// The form value and JSON form of [`Topic::NotSure`].
    pub const NOT_SURE: &'static str = "not_sure";

    /// The slug, or `"not_sure"`.
    pub fn as_str(&self) -> &str {
        match self {
            Topic::Deputy(slug) => slug,
            Topic::NotSure => Self::NOT_SURE,
        }
    }

    /// The deputy domain's slug, if the citizen chose one.
    pub fn deputy(&self) -> Option<&str> {
        match self {
            Topic::Deputy(slug) => Some(slug),
            Topic::NotSure => None,
        }
    }
}

impl TryFrom<String> for Topic {
    type Error = FormError;

    /// Reads a stored topic. Whether the slug is still configured is not
    /// checked here: a deputy domain may be retired after requests were
    /// routed to it.
    fn try_from(s: String) -> Result<Self, Self::Error> {
        match s.as_str() {
            "" => Err(FormError::TopicMissing),
            Topic::NOT_SURE => Ok(Topic::NotSure),
            _ => Ok(Topic::Deputy(s)),
        }
    }
}

impl From<Topic> for String {
    fn from(topic: Topic) -> String {
        match topic {
            Topic::Deputy(slug) => slug,
            Topic::NotSure => Topic::NOT_SURE.to_owned(),
        }
    }
}

// ---------------------------------------------------------------------------
// Case number
// ---------------------------------------------------------------------------

/// The number of an existing case file in the district (پرونده), which the
/// executive committee uses to put an old case back on the agenda.
///
/// Formats differ between districts and systems ("1402/12345",
/// "ش-۱۲۳۴"), so only the characters are checked: letters, digits, `-` and
/// `/`. Spaces are removed, since people put them around separators but no
/// case number contains one; digits become ASCII, dashes `-`, and Latin
/// letters upper case, so the committee's search matches however it was
/// typed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseNumber(String);

/// Why a text is not a case number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseNumberError {
    #[error("the case number is empty")]
    Empty,
    #[error("a case number has at most 30 characters")]
    TooLong,
    #[error("a case number contains only letters, digits, hyphens and slashes")]
    InvalidCharacters,
}

impl Localized for CaseNumberError {
    fn key(&self) -> &'static str {
        match self {
            CaseNumberError::Empty => "case_number.empty",
            CaseNumberError::TooLong => "case_number.too_long",
            CaseNumberError::InvalidCharacters => "case_number.invalid_characters",
        }
    }

    fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (CaseNumberError::Empty, Lang::Fa) => "لطفاً شمارهٔ پرونده را وارد کنید.",
            (CaseNumberError::Empty, Lang::En) => "Please enter the case number.",
            (CaseNumberError::TooLong, Lang::Fa) => {
                "شمارهٔ پرونده حداکثر ۳۰ حرف و رقم دارد. لطفاً آن را دوباره بررسی کنید."
            }
            (CaseNumberError::TooLong, Lang::En) => {
                "A case number has at most 30 letters and digits. Please check it and try again."
            }
            (CaseNumberError::InvalidCharacters, Lang::Fa) => {
                "شمارهٔ پرونده فقط از حرف، رقم، خط تیره (-) و خط مورب (/) تشکیل می‌شود. لطفاً نشانه‌های دیگر را حذف کنید."
            }
            (CaseNumberError::InvalidCharacters, Lang::En) => {
                "A case number contains only letters, digits, hyphens (-) and slashes (/). Please remove any other symbols."
            }
        }
    }
}

/// Dashes people and phones put between the parts of a number.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{00AD}' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' | '\u{FF0D}'
    )
}

/// Slashes from other keyboards and fonts: fraction slash, division slash,
/// full-width solidus.
fn is_slash(c: char) -> bool {
    matches!(c, '/' | '\u{2044}' | '\u{2215}' | '\u{FF0F}')
}

impl CaseNumber {
    /// The longest accepted case number, in characters.
    pub const MAX_CHARS: usize = 30;

    /// Case numbers as staff type a list of them: separated by commas
    /// (Latin or Persian), spaces or lines; each checked by [`parse`].
    ///
    /// [`parse`]: CaseNumber::parse
    pub fn parse_list(input: &str) -> Result<Vec<CaseNumber>, CaseNumberError> {
        input
            .split([',', '،', ' ', '\n'])
            .filter(|part| !part.trim().is_empty())
            .map(CaseNumber::parse)
            .collect()
    }

    pub fn parse(input: &str) -> Result<CaseNumber, CaseNumberError> {
        let compact: String = normalize_input(input)
            .chars()
            .filter(|&c| {
                !c.is_whitespace()
                    && !is_bidi_mark(c)
                    && !matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}')
            })
            .map(|c| {
                if is_dash(c) {
                    '-'
                } else if is_slash(c) {
                    '/'
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect();
        if compact.is_empty() {
            return Err(CaseNumberError::Empty);
        }
        if compact.chars().count() > Self::MAX_CHARS {
            return Err(CaseNumberError::TooLong);
        }
        let allowed = |c: char| c.is_alphabetic() || c.is_ascii_digit() || c == '-' || c == '/';
        if !compact.chars().all(allowed) {
            return Err(CaseNumberError::InvalidCharacters);
        }
        Ok(CaseNumber(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// ---------------------------------------------------------------------------
// The validated registration
// ---------------------------------------------------------------------------

/// A registration whose every field passed the rules, in canonical form:
/// what the outbox sends and the server stores.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub full_name: PersonName,
    pub national_id: NationalId,
    pub mobile: Mobile,
    pub district: DistrictId,
    pub topic: Topic,
    /// The description made canonical line by line (see
    /// [`normalize_description`]), DESCRIPTION_MIN_CHARS to
    /// DESCRIPTION_MAX_CHARS characters.
    pub description: String,
    pub case_number: Option<CaseNumber>,
}

impl Registration {
    /// The form that produces this registration, to let the citizen edit a
    /// request they already sent (a second request in the same window
    /// replaces the first).
    pub fn to_form(&self) -> RegistrationForm {
        RegistrationForm {
            full_name: self.full_name.as_str().to_owned(),
            national_id: self.national_id.as_str().to_owned(),
            mobile: self.mobile.local(),
            district: Some(self.district.number()),
            topic: self.topic.as_str().to_owned(),
            description: self.description.clone(),
            case_number: self
                .case_number
                .as_ref()
                .map(|n| n.as_str().to_owned())
                .unwrap_or_default(),
            consent: true,
        }
    }
}

/// A description made canonical: each line through [`normalize_input`], so
/// Arabic letters become Persian, digits ASCII, spaces single, while the
/// paragraphs the citizen wrote are kept. Runs of empty lines become one,
/// and empty lines at the ends go.
pub fn normalize_description(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut paragraph_break = false;
    for line in text.split('\n') {
        let line = normalize_input(line);
        if line.is_empty() {
            paragraph_break = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if paragraph_break {
                out.push('\n');
            }
        }
        paragraph_break = false;
        out.push_str(&line);
    }
    out
}

/// A check's value, or `None` with its problem added to `errors`.
fn record<T>(result: Result<T, FormError>, errors: &mut Vec<FormError>) -> Option<T> {
    result.map_err(|error| errors.push(error)).ok()
}

impl RegistrationForm {
    fn check_full_name(&self) -> Result<PersonName, FormError> {
        PersonName::parse(&self.full_name).map_err(FormError::Name)
    }

    fn check_national_id(&self) -> Result<NationalId, FormError> {
        NationalId::parse(&self.national_id).map_err(FormError::NationalId)
    }

    fn check_mobile(&self) -> Result<Mobile, FormError> {
        Mobile::parse(&self.mobile).map_err(FormError::Mobile)
    }

    fn check_district(&self, district_count: u8) -> Result<DistrictId, FormError> {
        match self.district {
            Some(number) if (1..=district_count).contains(&number) => {
                DistrictId::new(number).map_err(FormError::District)
            }
            _ => Err(FormError::District(DistrictError::OutOfRange)),
        }
    }

    fn check_topic(&self, known_topics: &[&str]) -> Result<Topic, FormError> {
        let topic = self.topic.trim();
        if topic.is_empty() {
            Err(FormError::TopicMissing)
        } else if topic == Topic::NOT_SURE {
            Ok(Topic::NotSure)
        } else if known_topics.contains(&topic) {
            Ok(Topic::Deputy(topic.to_owned()))
        } else {
            Err(FormError::TopicUnknown)
        }
    }

    fn check_description(&self) -> Result<String, FormError> {
        let description = normalize_description(&self.description);
        // Characters, not bytes: a Persian letter is two bytes in UTF-8.
        let chars = description.chars().count();
        if chars < DESCRIPTION_MIN_CHARS {
            Err(FormError::DescriptionTooShort)
        } else if chars > DESCRIPTION_MAX_CHARS {
            Err(FormError::DescriptionTooLong)
        } else {
            Ok(description)
        }
    }

    fn check_case_number(&self) -> Result<Option<CaseNumber>, FormError> {
        match CaseNumber::parse(&self.case_number) {
            Ok(number) => Ok(Some(number)),
            // The field is optional: left empty (or only spaces) means none.
            Err(CaseNumberError::Empty) => Ok(None),
            Err(error) => Err(FormError::CaseNumberInvalid(error)),
        }
    }

    fn check_consent(&self) -> Result<(), FormError> {
        if self.consent {
            Ok(())
        } else {
            Err(FormError::ConsentMissing)
        }
    }

    /// Checks the whole form. On failure every problem is returned, at most
    /// one per field and in form order, so the form can mark all fields at
    /// once instead of revealing them one submit at a time.
    ///
    /// `known_topics` are the slugs of the configured deputy domains and
    /// `district_count` the number of the city's districts (15 in Isfahan).
    pub fn validate(
        &self,
        known_topics: &[&str],
        district_count: u8,
    ) -> Result<Registration, Vec<FormError>> {
        let mut errors = Vec::new();
        let full_name = record(self.check_full_name(), &mut errors);
        let national_id = record(self.check_national_id(), &mut errors);
        let mobile = record(self.check_mobile(), &mut errors);
        let district = record(self.check_district(district_count), &mut errors);
        let topic = record(self.check_topic(known_topics), &mut errors);
        let description = record(self.check_description(), &mut errors);
        let case_number = record(self.check_case_number(), &mut errors);
        let consent = record(self.check_consent(), &mut errors);
        match (
            full_name,
            national_id,
            mobile,
            district,
            topic,
            description,
            case_number,
            consent,
        ) {
            (
                Some(full_name),
                Some(national_id),
                Some(mobile),
                Some(district),
                Some(topic),
                Some(description),
                Some(case_number),
                Some(()),
            ) => Ok(Registration {
                full_name,
                national_id,
                mobile,
                district,
                topic,
                description,
                case_number,
            }),
            _ => Err(errors),
        }
    }

    /// The problem with one field, if any, for showing it as the person
    /// types or leaves the field. The same rules as [`Self::validate`].
    pub fn validate_field(
        &self,
        field: Field,
        known_topics: &[&str],
        district_count: u8,
    ) -> Option<FormError> {
        match field {
            Field::FullName => self.check_full_name().err(),
            Field::NationalId => self.check_national_id().err(),
            Field::Mobile => self.check_mobile().err(),
            Field::District => self.check_district(district_count).err(),
            Field::Topic => self.check_topic(known_topics).err(),
            Field::Description => self.check_description().err(),
            Field::CaseNumber => self.check_case_number().err(),
            Field::Consent => self.check_consent().err(),
        }
    }
}

/// All but the last four characters of a raw value replaced by `*`.
fn mask_raw(value: &str) -> String {
    let count = value.chars().count();
    let hidden = count.saturating_sub(4);
    let shown: String = value.chars().skip(hidden).collect();
    format!("{}{}", "*".repeat(hidden), shown)
}

impl fmt::Debug for RegistrationForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegistrationForm")
            .field("full_name", &self.full_name)
            .field("national_id", &mask_raw(&self.national_id))
            .field("mobile", &mask_raw(&self.mobile))
            .field("district", &self.district)
            .field("topic", &self.topic)
            .field("description", &self.description)
            .field("case_number", &self.case_number)
            .field("consent", &self.consent)
            .finish()
    }
}

text_conversions!(CaseNumber, CaseNumberError, as_str);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::person::national_id_check_digit;
    use crate::text::to_persian_digits;

    const TOPICS: [&str; 3] = ["urban_planning", "services", "transport"];
    const DISTRICTS: u8 = 15;

    fn national_id() -> String {
        let first_nine = [0, 0, 1, 2, 3, 4, 5, 6, 7];
        let check = national_id_check_digit(first_nine);
        first_nine
            .iter()
            .chain(std::iter::once(&check))
            .map(|d| char::from(b'0' + d))
            .collect()
    }

    fn valid_form() -> RegistrationForm {
        RegistrationForm {
            full_name: "زهرا احمدی".to_owned(),
            national_id: national_id(),
            mobile: "09123456789".to_owned(),
            district: Some(6),
            topic: "urban_planning".to_owned(),
            description: "کوچهٔ ما سه ماه است که آسفالت نشده و در زمستان گل‌آلود است.".to_owned(),
            case_number: String::new(),
            consent: true,
        }
    }

    fn validate(form: &RegistrationForm) -> Result<Registration, Vec<FormError>> {
        form.validate(&TOPICS, DISTRICTS)
    }

    #[test]
    fn a_complete_form_becomes_a_registration() {
        let registration = validate(&valid_form()).unwrap();
        assert_eq!(registration.full_name.as_str(), "زهرا احمدی");
        assert_eq!(registration.national_id.as_str(), national_id());
        assert_eq!(registration.mobile.e164(), "+989123456789");
        assert_eq!(registration.district.number(), 6);
        assert_eq!(
            registration.topic,
            Topic::Deputy("urban_planning".to_owned())
        );
        assert_eq!(registration.case_number, None);
        for field in Field::ALL {
            assert_eq!(
                valid_form().validate_field(field, &TOPICS, DISTRICTS),
                None,
                "{field:?}"
            );
        }
    }

    #[test]
    fn not_sure_is_a_valid_topic() {
        let form = RegistrationForm {
            topic: "not_sure".to_owned(),
            ..valid_form()
        };
        assert_eq!(validate(&form).unwrap().topic, Topic::NotSure);
    }

    #[test]
    fn each_field_reports_its_own_problem() {
        let cases: Vec<(RegistrationForm, FormError)> = vec![
            (
                RegistrationForm {
                    full_name: "زهرا".to_owned(),
                    ..valid_form()
                },
                FormError::Name(PersonNameError::MissingFamilyName),
            ),
            (
                RegistrationForm {
                    national_id: "1234567890".to_owned(),
                    ..valid_form()
                },
                FormError::NationalId(NationalIdError::BadChecksum),
            ),
            (
                RegistrationForm {
                    mobile: "02112345678".to_owned(),
                    ..valid_form()
                },
                FormError::Mobile(MobileError::NotMobile),
            ),
            (
                RegistrationForm {
                    district: None,
                    ..valid_form()
                },
                FormError::District(DistrictError::OutOfRange),
            ),
            (
                RegistrationForm {
                    topic: String::new(),
                    ..valid_form()
                },
                FormError::TopicMissing,
            ),
            (
                RegistrationForm {
                    topic: "parks".to_owned(),
                    ..valid_form()
                },
                FormError::TopicUnknown,
            ),
            (
                RegistrationForm {
                    description: "آسفالت کوچه".to_owned(),
                    ..valid_form()
                },
                FormError::DescriptionTooShort,
            ),
            (
                RegistrationForm {
                    description: "ا".repeat(DESCRIPTION_MAX_CHARS + 1),
                    ..valid_form()
                },
                FormError::DescriptionTooLong,
            ),
            (
                RegistrationForm {
                    case_number: "1402#55".to_owned(),
                    ..valid_form()
                },
                FormError::CaseNumberInvalid(CaseNumberError::InvalidCharacters),
            ),
            (
                RegistrationForm {
                    consent: false,
                    ..valid_form()
                },
                FormError::ConsentMissing,
            ),
        ];
        for (form, expected) in cases {
            assert_eq!(validate(&form), Err(vec![expected]), "{expected:?}");
            assert_eq!(
                form.validate_field(expected.field(), &TOPICS, DISTRICTS),
                Some(expected)
            );
            for other in Field::ALL.into_iter().filter(|&f| f != expected.field()) {
                assert_eq!(form.validate_field(other, &TOPICS, DISTRICTS), None);
            }
        }
    }

    #[test]
    fn an_empty_form_reports_every_required_field_once_in_form_order() {
        let errors = validate(&RegistrationForm::default()).unwrap_err();
        assert_eq!(
            errors,
            vec![
                FormError::Name(PersonNameError::Empty),
                FormError::NationalId(NationalIdError::Empty),
                FormError::Mobile(MobileError::Empty),
                FormError::District(DistrictError::OutOfRange),
                FormError::TopicMissing,
                FormError::DescriptionTooShort,
                FormError::ConsentMissing,
            ]
        );
    }

    #[test]
    fn several_problems_are_reported_together() {
        let form = RegistrationForm {
            mobile: "0912".to_owned(),
            topic: "zoo".to_owned(),
            case_number: "x".repeat(31),
            ..valid_form()
        };
        let errors = validate(&form).unwrap_err();
        assert_eq!(
            errors,
            vec![
                FormError::Mobile(MobileError::NotMobile),
                FormError::TopicUnknown,
                FormError::CaseNumberInvalid(CaseNumberError::TooLong),
            ]
        );
        let fields: Vec<Field> = errors.iter().map(FormError::field).collect();
        assert_eq!(fields, vec![Field::Mobile, Field::Topic, Field::CaseNumber]);
    }

    #[test]
    fn persian_digits_and_arabic_letters_are_accepted_and_made_canonical() {
        let form = RegistrationForm {
            full_name: "علي كريمي".to_owned(),
            national_id: to_persian_digits(&national_id()),
            mobile: "۰۹۱۲ ۳۴۵ ٦٧٨٩".to_owned(),
            description: "لطفاً به مشكل آب كوچهٔ ۱۲ رسيدگي شود، سه هفته است.".to_owned(),
            case_number: "۱۴۰۲ / ۵۵۱".to_owned(),
            ..valid_form()
        };
        let registration = validate(&form).unwrap();
        assert_eq!(registration.full_name.as_str(), "علی کریمی");
        assert_eq!(registration.national_id.as_str(), national_id());
        assert_eq!(registration.mobile.e164(), "+989123456789");
        assert_eq!(
            registration.description,
            "لطفاً به مشکل آب کوچهٔ 12 رسیدگی شود، سه هفته است."
        );
        assert_eq!(registration.case_number.unwrap().as_str(), "1402/551");
    }

    #[test]
    fn the_description_is_counted_in_characters_not_bytes() {
        // 20 Persian letters are 40 bytes but exactly the minimum.
        let at_min = "ب".repeat(DESCRIPTION_MIN_CHARS);
        assert!(at_min.len() > DESCRIPTION_MIN_CHARS);
        let form = |description: String| RegistrationForm {
            description,
            ..valid_form()
        };
        assert!(validate(&form(at_min)).is_ok());
        assert_eq!(
            validate(&form("ب".repeat(DESCRIPTION_MIN_CHARS - 1))),
            Err(vec![FormError::DescriptionTooShort])
        );
        // 2000 Persian letters are 4000 bytes, still within the limit.
        assert!(validate(&form("ب".repeat(DESCRIPTION_MAX_CHARS))).is_ok());
    }

    #[test]
    fn the_description_is_counted_after_spaces_are_collapsed() {
        // Padding with spaces does not reach the minimum.
        let form = RegistrationForm {
            description: "  آب        قطع        است  ".to_owned(),
            ..valid_form()
        };
        assert_eq!(validate(&form), Err(vec![FormError::DescriptionTooShort]));
    }

    #[test]
    fn the_description_keeps_its_paragraphs() {
        let text = "\n  خیابان ما چراغ ندارد.  \r\n\n\n\nشب‌ها  تاریک است و خطرناک.\n\n";
        assert_eq!(
            normalize_description(text),
            "خیابان ما چراغ ندارد.\n\nشب‌ها تاریک است و خطرناک."
        );
        assert_eq!(normalize_description("یک\nدو"), "یک\nدو");
        assert_eq!(normalize_description(" \n \n "), "");
    }

    #[test]
    fn a_district_beyond_the_citys_count_is_refused() {
        let form = |district| RegistrationForm {
            district: Some(district),
            ..valid_form()
        };
        assert!(validate(&form(15)).is_ok());
        assert!(validate(&form(1)).is_ok());
        for district in [0, 16, 40, 255] {
            assert_eq!(
                validate(&form(district)),
                Err(vec![FormError::District(DistrictError::OutOfRange)]),
                "{district}"
            );
        }
        // A city with 22 districts accepts 16.
        assert!(form(16).validate(&TOPICS, 22).is_ok());
    }

    #[test]
    fn case_numbers_are_made_canonical_and_checked() {
        assert_eq!(
            CaseNumber::parse(" ۱۴۰۲ – ab/۷ ").unwrap().as_str(),
            "1402-AB/7"
        );
        assert_eq!(CaseNumber::parse("ش-۱۲۳۴").unwrap().as_str(), "ش-1234");
        assert_eq!(CaseNumber::parse(" \u{200F} "), Err(CaseNumberError::Empty));
        assert_eq!(
            CaseNumber::parse(&"1".repeat(31)),
            Err(CaseNumberError::TooLong)
        );
        assert!(CaseNumber::parse(&"1".repeat(30)).is_ok());
        assert_eq!(
            CaseNumber::parse("12.5"),
            Err(CaseNumberError::InvalidCharacters)
        );
        // Only spaces in the optional field means no case number.
        let form = RegistrationForm {
            case_number: "   ".to_owned(),
            ..valid_form()
        };
        assert_eq!(validate(&form).unwrap().case_number, None);
    }

    #[test]
    fn a_registration_round_trips_through_json_and_back_into_its_form() {
        let form = RegistrationForm {
            topic: "not_sure".to_owned(),
            case_number: "1402/551".to_owned(),
            ..valid_form()
        };
        let registration = validate(&form).unwrap();
        let json = serde_json::to_value(&registration).unwrap();
        assert_eq!(json["topic"], "not_sure");
        assert_eq!(json["district"], 6);
        assert_eq!(json["mobile"], "+989123456789");
        assert_eq!(json["case_number"], "1402/551");
        let back: Registration = serde_json::from_value(json).unwrap();
        assert_eq!(back, registration);
        assert_eq!(validate(&registration.to_form()).unwrap(), registration);
        let deputy = serde_json::to_string(&Topic::Deputy("services".to_owned())).unwrap();
        assert_eq!(deputy, r#""services""#);
        assert!(serde_json::from_str::<Topic>(r#""""#).is_err());
    }

    #[test]
    fn the_raw_form_uses_its_field_names_in_json() {
        let json = serde_json::to_value(valid_form()).unwrap();
        let object = json.as_object().unwrap();
        let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
        let keys: Vec<&str> = object.keys().map(String::as_str).collect();
        let mut sorted_names = names.clone();
        sorted_names.sort_unstable();
        assert_eq!(keys, sorted_names);
        for field in Field::ALL {
            assert_eq!(
                serde_json::to_string(&field).unwrap(),
                format!("\"{}\"", field.name())
            );
        }
        let back: RegistrationForm = serde_json::from_value(json).unwrap();
        assert_eq!(back, valid_form());
    }

    #[test]
    fn the_debug_form_of_a_draft_hides_the_national_id_and_mobile() {
        let shown = format!("{:?}", valid_form());
        assert!(!shown.contains(&national_id()));
        assert!(!shown.contains("09123456789"));
        assert!(shown.contains("*******6789"));
    }

    #[test]
    fn every_error_has_a_unique_key_and_a_sentence_in_each_language() {
        let errors = [
            FormError::TopicMissing,
            FormError::TopicUnknown,
            FormError::DescriptionTooShort,
            FormError::DescriptionTooLong,
            FormError::ConsentMissing,
            FormError::CaseNumberInvalid(CaseNumberError::Empty),
            FormError::CaseNumberInvalid(CaseNumberError::TooLong),
            FormError::CaseNumberInvalid(CaseNumberError::InvalidCharacters),
            FormError::Name(PersonNameError::Empty),
            FormError::District(DistrictError::OutOfRange),
        ];
        let mut keys: Vec<&str> = errors.iter().map(|e| e.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), errors.len());
        for error in errors {
            let fa = error.message(Lang::Fa);
            let en = error.message(Lang::En);
            assert!(fa.ends_with('.') && en.ends_with('.'), "{}", error.key());
            assert!(en.is_ascii(), "{}", error.key());
            assert!(
                !fa.chars().any(|c| matches!(c, 'ي' | 'ك' | '0'..='9')),
                "{}",
                error.key()
            );
        }
        // Wrapped errors keep the wording and key of their own type.
        let inner = NationalIdError::BadChecksum;
        assert_eq!(FormError::NationalId(inner).key(), inner.key());
        assert_eq!(
            FormError::NationalId(inner).message(Lang::Fa),
            inner.message(Lang::Fa)
        );
    }

    #[test]
    fn the_limits_in_the_messages_match_the_constants() {
        let min = DESCRIPTION_MIN_CHARS.to_string();
        let max = DESCRIPTION_MAX_CHARS.to_string();
        let case_max = CaseNumber::MAX_CHARS.to_string();
        let short = FormError::DescriptionTooShort;
        let long = FormError::DescriptionTooLong;
        let case = CaseNumberError::TooLong;
        assert!(short.message(Lang::Fa).contains(&to_persian_digits(&min)));
        assert!(short.message(Lang::En).contains(&min));
        assert!(long.message(Lang::Fa).contains(&to_persian_digits(&max)));
        assert!(long.message(Lang::En).contains(&max));
        assert!(
            case.message(Lang::Fa)
                .contains(&to_persian_digits(&case_max))
        );
        assert!(case.message(Lang::En).contains(&case_max));
    }

    #[test]
    fn errors_serialize_with_their_field_and_reason() {
        assert_eq!(
            serde_json::to_string(&FormError::NationalId(NationalIdError::BadChecksum)).unwrap(),
            r#"{"national_id":"bad_checksum"}"#
        );
        assert_eq!(
            serde_json::to_string(&FormError::ConsentMissing).unwrap(),
            r#""consent_missing""#
        );
    }
}
