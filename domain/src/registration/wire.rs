//! What travels between the app and the server for registration: one
//! definition of each JSON shape, used by both sides.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{RegistrationForm, Status, TrackingCode, WindowId, WindowRule};
use crate::district::{Deputy, District, DistrictId};
use crate::ids::DeputySlug;

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
    /// Where the meeting referred the request, once it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<ReferredTo>,
}

/// The deputy a request was referred to at the meeting, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferredTo {
    pub deputy: DeputySlug,
    #[serde(with = "crate::time::wire::instant")]
    pub at: DateTime<Utc>,
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
