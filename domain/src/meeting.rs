//! A district's public meeting with the mayor (DESIGN §2 step 3): when,
//! where, how many people the room holds, and how many places go to
//! citizens and to local trustees (about 60–100 and about 30, per the
//! bylaw).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::district::DistrictId;
use crate::i18n::{Lang, Localized};
use crate::ids::{MeetingId, UserId};
use crate::text::normalize_input;

/// What an administrator enters for a meeting.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MeetingPlan {
    pub district: DistrictId,
    #[serde(with = "crate::time::wire::instant")]
    pub starts_at: DateTime<Utc>,
    pub venue: String,
    pub capacity: u16,
    pub citizen_quota: u16,
    pub trustee_quota: u16,
}

/// A meeting as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: MeetingId,
    #[serde(flatten)]
    pub plan: MeetingPlan,
}

/// The field staff who work at a meeting (`PUT
/// /api/admin/meetings/{id}/staff`): their devices pull its roster.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingStaff {
    pub users: Vec<UserId>,
}

impl MeetingStaff {
    /// More than any district office has doors and tables.
    pub const MAX_USERS: usize = 50;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingError {
    #[error("the venue is missing or too long")]
    Venue,
    #[error("the citizens' quota is outside 1–200")]
    CitizenQuota,
    #[error("the trustees' quota is over 100")]
    TrusteeQuota,
    #[error("the quotas exceed the capacity")]
    OverCapacity,
    #[error("a meeting's district cannot change")]
    DistrictFixed,
    #[error("someone assigned is not field staff of the meeting's district")]
    NotFieldStaff,
    #[error("more than 50 people assigned")]
    TooManyStaff,
    #[error("the citizens' quota is below the places already given")]
    QuotaBelowSeated,
    #[error("the trustees' quota is below the trustees already invited")]
    TrusteeQuotaBelowInvited,
}

impl MeetingError {
    /// The field of the API's answer the problem is reported under.
    pub fn field(self) -> &'static str {
        match self {
            MeetingError::DistrictFixed => "district",
            MeetingError::NotFieldStaff | MeetingError::TooManyStaff => "users",
            MeetingError::QuotaBelowSeated => "citizen_quota",
            MeetingError::TrusteeQuotaBelowInvited => "trustee_quota",
            _ => "meeting",
        }
    }
}

impl Localized for MeetingError {
    fn key(&self) -> &'static str {
        match self {
            MeetingError::Venue => "meeting.venue",
            MeetingError::CitizenQuota => "meeting.citizen_quota",
            MeetingError::TrusteeQuota => "meeting.trustee_quota",
            MeetingError::OverCapacity => "meeting.over_capacity",
            MeetingError::DistrictFixed => "meeting.district_fixed",
            MeetingError::NotFieldStaff => "meeting.not_field_staff",
            MeetingError::TooManyStaff => "meeting.too_many_staff",
            MeetingError::QuotaBelowSeated => "meeting.quota_below_seated",
            MeetingError::TrusteeQuotaBelowInvited => "meeting.trustee_quota_below_invited",
        }
    }

    fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (MeetingError::Venue, Lang::Fa) => "محل برگزاری را بنویسید (حداکثر ۱۲۰ نویسه).",
            (MeetingError::Venue, Lang::En) => "Write the venue (120 characters at most).",
            (MeetingError::CitizenQuota, Lang::Fa) => "سهمیهٔ شهروندان باید بین ۱ تا ۲۰۰ نفر باشد.",
            (MeetingError::CitizenQuota, Lang::En) => {
                "The citizens' quota must be between 1 and 200."
            }
            (MeetingError::TrusteeQuota, Lang::Fa) => "سهمیهٔ معتمدین نباید بیش از ۱۰۰ نفر باشد.",
            (MeetingError::TrusteeQuota, Lang::En) => "The trustees' quota may be at most 100.",
            (MeetingError::OverCapacity, Lang::Fa) => {
                "مجموع سهمیهٔ شهروندان و معتمدین از ظرفیت محل بیشتر است."
            }
            (MeetingError::OverCapacity, Lang::En) => {
                "The citizens' and trustees' quotas together exceed the venue's capacity."
            }
            (MeetingError::DistrictFixed, Lang::Fa) => {
                "منطقهٔ یک دیدار تغییر نمی‌کند؛ برای منطقهٔ دیگر دیدار تازه‌ای بگذارید."
            }
            (MeetingError::DistrictFixed, Lang::En) => {
                "A meeting's district cannot change; plan a new meeting for the other district."
            }
            (MeetingError::NotFieldStaff, Lang::Fa) => {
                "فقط کارشناسان پذیرشِ فعالِ منطقهٔ همین دیدار را می‌توان به آن گماشت."
            }
            (MeetingError::NotFieldStaff, Lang::En) => {
                "Only active field staff of the meeting's district can be assigned to it."
            }
            (MeetingError::TooManyStaff, Lang::Fa) => "بیش از ۵۰ نفر را نمی‌توان به یک دیدار گماشت.",
            (MeetingError::TooManyStaff, Lang::En) => {
                "No more than 50 people can be assigned to one meeting."
            }
            (MeetingError::QuotaBelowSeated, Lang::Fa) => {
                "سهمیهٔ شهروندان از شمار کسانی که برای این دیدار انتخاب شده‌اند کمتر است؛ نخست برخی را به دیدار دیگری منتقل کنید."
            }
            (MeetingError::QuotaBelowSeated, Lang::En) => {
                "The citizens' quota is below the number already selected for this meeting; move some to another meeting first."
            }
            (MeetingError::TrusteeQuotaBelowInvited, Lang::Fa) => {
                "سهمیهٔ معتمدین از شمار معتمدانی که به این دیدار دعوت شده‌اند کمتر است."
            }
            (MeetingError::TrusteeQuotaBelowInvited, Lang::En) => {
                "The trustees' quota is below the number of trustees already invited to this meeting."
            }
        }
    }
}

impl MeetingPlan {
    pub const VENUE_MAX_CHARS: usize = 120;

    /// The plan with its venue made canonical, or the first problem.
    pub fn checked(mut self) -> Result<MeetingPlan, MeetingError> {
        self.venue = normalize_input(&self.venue);
        let venue_chars = self.venue.chars().count();
        if venue_chars == 0 || venue_chars > Self::VENUE_MAX_CHARS {
            return Err(MeetingError::Venue);
        }
        if !(1..=200).contains(&self.citizen_quota) {
            return Err(MeetingError::CitizenQuota);
        }
        if self.trustee_quota > 100 {
            return Err(MeetingError::TrusteeQuota);
        }
        if u32::from(self.citizen_quota) + u32::from(self.trustee_quota) > u32::from(self.capacity)
        {
            return Err(MeetingError::OverCapacity);
        }
        Ok(self)
    }
}

impl Meeting {
    /// The meeting with a changed plan: time, venue and numbers may change;
    /// the district may not (its roster belongs to that district).
    pub fn revised(&self, plan: MeetingPlan) -> Result<Meeting, MeetingError> {
        if plan.district != self.plan.district {
            return Err(MeetingError::DistrictFixed);
        }
        Ok(Meeting {
            id: self.id.clone(),
            plan: plan.checked()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revision_keeps_the_district_and_checks_the_new_plan() {
        let meeting = Meeting {
            id: "m".into(),
            plan: plan().checked().unwrap(),
        };
        let later = MeetingPlan {
            venue: "فرهنگسرا".into(),
            ..plan()
        };
        assert_eq!(meeting.revised(later).unwrap().plan.venue, "فرهنگسرا");
        let elsewhere = MeetingPlan {
            district: DistrictId::new(7).unwrap(),
            ..plan()
        };
        assert_eq!(meeting.revised(elsewhere), Err(MeetingError::DistrictFixed));
        let crowded = MeetingPlan {
            capacity: 10,
            ..plan()
        };
        assert_eq!(meeting.revised(crowded), Err(MeetingError::OverCapacity));
    }

    fn plan() -> MeetingPlan {
        MeetingPlan {
            district: DistrictId::new(6).unwrap(),
            starts_at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
            venue: "  سالن اجتماعات  منطقهٔ ۶ ".into(),
            capacity: 150,
            citizen_quota: 100,
            trustee_quota: 30,
        }
    }

    #[test]
    fn a_plan_within_the_bylaw_passes_with_its_venue_made_canonical() {
        let checked = plan().checked().unwrap();
        assert_eq!(checked.venue, "سالن اجتماعات منطقهٔ 6");
    }

    #[test]
    fn quotas_beyond_the_room_or_the_bylaw_are_refused() {
        let over = MeetingPlan {
            capacity: 120,
            ..plan()
        };
        assert_eq!(over.checked(), Err(MeetingError::OverCapacity));
        let none = MeetingPlan {
            citizen_quota: 0,
            ..plan()
        };
        assert_eq!(none.checked(), Err(MeetingError::CitizenQuota));
        let trustees = MeetingPlan {
            trustee_quota: 101,
            capacity: 400,
            ..plan()
        };
        assert_eq!(trustees.checked(), Err(MeetingError::TrusteeQuota));
        let nowhere = MeetingPlan {
            venue: "   ".into(),
            ..plan()
        };
        assert_eq!(nowhere.checked(), Err(MeetingError::Venue));
    }
}
