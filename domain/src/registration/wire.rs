//! What travels between the app and the server for registration: one
//! definition of each JSON shape, used by both sides.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{RegistrationForm, Status, TrackingCode, WindowId, WindowRule};
use crate::district::{Deputy, District, DistrictId};
use crate::i18n::{Bilingual, Lang};

/// `POST /api/registrations`: one submission, sent from the device's outbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    /// Made on the device (a UUIDv7) once per submission: the idempotency
    /// key, so a retry after a lost answer is applied once.
    pub request_id: String,
    /// The code the citizen was shown at once, even offline. The server
    /// keeps it unless the same person already registered this week (then
    /// the earlier request's code stays) or, improbably, it is taken.
    pub tracking_code: TrackingCode,
    /// When the citizen pressed "send", by the device's clock.
    #[serde(with = "crate::time::wire::instant")]
    pub made_at: DateTime<Utc>,
    /// The form as typed: the server validates it with the same rules.
    pub form: RegistrationForm,
}

/// The server's answer to an accepted submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub tracking_code: TrackingCode,
    pub window: WindowId,
    /// The same national ID had already registered in this window: that
    /// request was updated instead of a second one being made.
    pub replaced_earlier: bool,
    pub status: Status,
    #[serde(with = "crate::time::wire::instant")]
    pub received_at: DateTime<Utc>,
}

/// `POST /api/registrations/lookup`. A POST, so the mobile number never
/// appears in a URL, a proxy's log or the browser's history.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupQuery {
    pub tracking_code: String,
    pub mobile: String,
}

/// What a citizen sees of their request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupAnswer {
    pub tracking_code: TrackingCode,
    pub status: Status,
    pub district: DistrictId,
    pub topic: String,
    #[serde(with = "crate::time::wire::instant")]
    pub submitted_at: DateTime<Utc>,
    #[serde(with = "crate::time::wire::instant")]
    pub updated_at: DateTime<Utc>,
    /// Where the meeting referred the request and what came of it, once
    /// it did, in words (`followup::referral_for_citizen`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<Bilingual>,
    /// The meeting the citizen is invited to, while they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation: Option<Invitation>,
}

/// The meeting as it is now (a rescheduled one shows its new day) and the
/// time the citizen is expected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    /// The citizen's slot, or the meeting's start when they have none.
    #[serde(with = "crate::time::wire::instant")]
    pub at: DateTime<Utc>,
    pub venue: String,
}

impl Invitation {
    /// The invitation to a meeting at `starts_at` in `venue` with `slot`.
    /// A slot given before the meeting moved to another day no longer
    /// holds: then the meeting's start does.
    pub fn new(starts_at: DateTime<Utc>, venue: String, slot: Option<DateTime<Utc>>) -> Invitation {
        let same_day = |slot: &DateTime<Utc>| {
            crate::time::tehran_local(*slot).date_naive()
                == crate::time::tehran_local(starts_at).date_naive()
        };
        let at = slot
            .filter(|slot| *slot >= starts_at && same_day(slot))
            .unwrap_or(starts_at);
        Invitation { at, venue }
    }

    /// The SMS that invites the citizen (DESIGN §2 step 4): the day and
    /// time in the Jalali calendar, the place, and the tracking code to
    /// follow the request by — in `lang`, digits in its script.
    pub fn sms_text(&self, code: &TrackingCode, lang: Lang) -> String {
        let when = crate::time::format_datetime(self.at, lang);
        let venue = crate::text::localize_digits(&self.venue, lang);
        let code = code.display();
        match lang {
            Lang::Fa => format!(
                "شهروند گرامی، دیدار شما با شهردار: {when}، {venue}. کد رهگیری: {code}. لطفاً کارت ملی همراه داشته باشید."
            ),
            Lang::En => format!(
                "Dear citizen, your meeting with the mayor: {when}, {venue}. Tracking code: {code}. Please bring your national ID card."
            ),
        }
    }

    /// The SMS that invites a local trustee: the day and time, the place.
    pub fn trustee_sms_text(&self, lang: Lang) -> String {
        let when = crate::time::format_datetime(self.at, lang);
        let venue = crate::text::localize_digits(&self.venue, lang);
        match lang {
            Lang::Fa => format!(
                "معتمد گرامی، از شما برای دیدار مردمی شهردار دعوت می‌شود: {when}، {venue}. با سپاس از همراهی شما."
            ),
            Lang::En => format!(
                "Dear trustee, you are invited to the mayor's public meeting: {when}, {venue}. Thank you for your help."
            ),
        }
    }
}

/// `GET /api/registrations/options`: what the form offers, kept on the
/// device so the form works offline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegistrationOptions {
    pub districts: Vec<District>,
    pub deputies: Vec<Deputy>,
    pub window: WindowRule,
    /// The server's clock, so the device can tell how far off its own is.
    #[serde(with = "crate::time::wire::instant")]
    pub server_time: DateTime<Utc>,
}

/// `GET /api/admin/registration-window`: the weekly window as saved, and
/// whether the server's configuration overrides it (then saving here has
/// no effect until that is removed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowSetting {
    pub rule: WindowRule,
    pub overridden: bool,
}

impl RegistrationOptions {
    /// Whether `other` offers the same form: the same districts, topics
    /// and window, whatever the server's clock said.
    pub fn offers_same(&self, other: &RegistrationOptions) -> bool {
        self.districts == other.districts
            && self.deputies == other.deputies
            && self.window == other.window
    }

    /// The topic slugs a form may name (deputy domains; "not sure" is
    /// always allowed by the form rules).
    pub fn topic_slugs(&self) -> Vec<&str> {
        self.deputies
            .iter()
            .map(|deputy| deputy.slug.as_str())
            .collect()
    }

    pub fn district_count(&self) -> u8 {
        u8::try_from(self.districts.len()).unwrap_or(u8::MAX)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn utc(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, hour, minute, 0)
            .single()
            .expect("a valid instant")
    }

    #[test]
    fn an_invitation_names_the_slot_while_it_is_on_the_meetings_day() {
        // A meeting at 09:00 Tehran on 8 December, a slot at 10:30.
        let starts = utc(8, 5, 30);
        let slot = utc(8, 7, 0);
        let hall = || "تالار".to_string();
        assert_eq!(Invitation::new(starts, hall(), Some(slot)).at, slot);
        assert_eq!(Invitation::new(starts, hall(), None).at, starts);
        // The meeting moved a week on: the old slot does not hold.
        assert_eq!(
            Invitation::new(utc(15, 5, 30), hall(), Some(slot)).at,
            utc(15, 5, 30)
        );
        // Moved later the same day, past the slot: the start does.
        assert_eq!(
            Invitation::new(utc(8, 8, 0), hall(), Some(slot)).at,
            utc(8, 8, 0)
        );
    }

    #[test]
    fn the_invitation_sms_says_the_jalali_day_the_place_and_the_code() {
        let invitation = Invitation::new(
            utc(8, 5, 30),
            "فرهنگسرای منطقهٔ 6".into(),
            Some(utc(8, 7, 0)),
        );
        let code = TrackingCode::from_random([7; 16]);
        let fa = invitation.sms_text(&code, Lang::Fa);
        assert!(fa.contains("۱۷ آذر ۱۴۰۵، ساعت ۱۰:۳۰"), "{fa}");
        assert!(fa.contains("فرهنگسرای منطقهٔ ۶"), "{fa}");
        assert!(fa.contains(&code.display()), "{fa}");
        let en = invitation.sms_text(&code, Lang::En);
        assert!(en.contains("17 Azar 1405, 10:30"), "{en}");
        assert!(en.contains("منطقهٔ 6"), "{en}");
    }
}
