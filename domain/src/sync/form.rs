//! The request form (فرم درخواست) filled at a deputy's table on meeting
//! day: what the citizen asked, the decision, the deputy the request is
//! referred to, and any answer given on the spot.
//!
//! Two devices may edit one form while both are offline. Neither edit is
//! ever dropped: each edit names the versions its author saw (`seen`), and
//! replaces exactly those. An edit made without seeing another device's
//! version leaves both standing — the form is *in conflict* — until someone
//! who sees both chooses one or merges them, by an edit that has seen both.
//! (A multi-value register: the versions nobody has seen past are the
//! form's current ones, whatever order the edits arrive in.)

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::command::CommandId;
use super::record::Attendee;
use crate::district::DistrictId;
use crate::followup::{self, Outcome, Report, Standing, Timeliness};
use crate::ids::{AttendeeId, DeputySlug, DeviceId, MeetingId, PhotoId, RegistrationId, UserId};
use crate::jalali::JalaliDate;
use crate::time::jalali_today;

/// The most versions standing at once: more than the devices at one
/// meeting's tables, few enough that a broken device cannot grow a form
/// without bound. An edit that would pass it must resolve the conflict.
pub const MAX_FORM_VERSIONS: usize = 8;
/// How many edits a form remembers (who, when, on which device): the
/// reconciliation's history of the form, not its content.
pub const MAX_FORM_EDITS: usize = 100;
/// The most photos on one form: the few pages a citizen brings.
pub const MAX_FORM_PHOTOS: usize = 6;
/// The largest photo, in bytes, as the device sends it: it shrinks each
/// picture to a JPEG of about 1600 pixels on its long side, some 200–400 KB.
pub const MAX_PHOTO_BYTES: u32 = 1_500_000;
/// A referral is due this many months after its meeting (the bylaw's one
/// month; holidays and a configurable period arrive with the follow-up).
pub const FOLLOW_UP_MONTHS: u32 = 1;

/// What one version of the form says, each text cleaned and bounded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormContent {
    /// What the citizen asked, in the staff member's words.
    pub asked: String,
    /// The mayor's or the deputy's decision.
    pub decision: String,
    /// The deputy domain the request is referred to, if it is.
    pub referral: Option<DeputySlug>,
    /// An answer given on the spot.
    pub answer: String,
}

/// One version of a form, as one device recorded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormVersion {
    /// The command that recorded it; later edits name it in `seen`.
    pub id: CommandId,
    pub device: DeviceId,
    pub by: UserId,
    #[serde(with = "crate::time::wire::instant")]
    pub at: DateTime<Utc>,
    pub content: FormContent,
}

/// Who edited a form, when and where; `resolved` when the edit replaced
/// more than one version (someone chose or merged after a conflict).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormEdit {
    pub id: CommandId,
    pub device: DeviceId,
    pub by: UserId,
    #[serde(with = "crate::time::wire::instant")]
    pub at: DateTime<Utc>,
    pub resolved: bool,
}

/// A referral: the follow-up item the district manager answers, due a
/// month after the meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub deputy: DeputySlug,
    /// When the form first referred it to this deputy.
    #[serde(with = "crate::time::wire::instant")]
    pub at: DateTime<Utc>,
    pub due: JalaliDate,
    /// What the district manager reported, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<Report>,
}

impl Referral {
    /// The result standing: the latest report that is one.
    pub fn result(&self) -> Option<&Report> {
        self.reports.iter().rev().find(|r| r.outcome.is_result())
    }

    /// The day (in Tehran) the first result came: what "on time" is
    /// judged by — a later correction does not make an answer late.
    pub fn result_on(&self) -> Option<JalaliDate> {
        let first = self.reports.iter().find(|r| r.outcome.is_result())?;
        Some(jalali_today(first.at))
    }

    pub fn timeliness(&self, today: JalaliDate) -> Timeliness {
        followup::timeliness(self.due, self.result_on(), today)
    }

    /// Where it stands on `today`; "soon" is within `soon` days.
    pub fn standing(&self, today: JalaliDate, soon: i64) -> Standing {
        match (self.result().is_some(), self.timeliness(today)) {
            (true, Timeliness::OnTime) => Standing::AnsweredOnTime,
            (true, _) => Standing::AnsweredLate,
            (false, Timeliness::Late) => Standing::Overdue,
            (false, _) if followup::days_past(self.due, today) > -soon => Standing::DueSoon,
            (false, _) => Standing::NotYetDue,
        }
    }

    /// Whether a report of `outcome` may be added now (see
    /// [`Outcome::may_follow`]): the one rule for the device's choices and
    /// for `apply`.
    pub fn accepts(&self, outcome: Outcome) -> bool {
        outcome.may_follow(self.result().map(|result| result.outcome))
    }

    /// The date the deputy gave while there is no result: the latest
    /// postponement's. On time is still judged by `due`, the bylaw's
    /// month; this is when the committee may expect an answer.
    pub fn postponed_to(&self) -> Option<JalaliDate> {
        if self.result().is_some() {
            return None;
        }
        self.reports.iter().rev().find_map(|r| r.until)
    }
}

/// A photo of a document the citizen brought, on their form. The picture
/// travels apart from the commands (the device uploads it before it
/// pushes the command that attaches it) and is shown to staff only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormPhoto {
    pub id: PhotoId,
    pub bytes: u32,
    pub device: DeviceId,
    pub by: UserId,
    #[serde(with = "crate::time::wire::instant")]
    pub at: DateTime<Utc>,
}

/// An attendee's request form: one per roster place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestForm {
    /// The attendee's id: one form per place on the roster.
    pub id: AttendeeId,
    pub meeting: MeetingId,
    pub district: DistrictId,
    pub registration: Option<RegistrationId>,
    pub full_name: String,
    /// The versions standing, earliest first; more than one is a conflict.
    pub versions: Vec<FormVersion>,
    /// The latest edits, oldest first.
    pub edits: Vec<FormEdit>,
    /// The referral every standing version agrees on; none while versions
    /// disagree (the citizen is not told of a referral still in dispute).
    pub referral: Option<Referral>,
    /// Photos of documents, in the order they were attached. Unlike the
    /// texts they never conflict: each device's photos are kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<FormPhoto>,
}

/// Why an edit cannot be kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormError {
    /// It would leave more than [`MAX_FORM_VERSIONS`] standing.
    TooManyVersions,
    /// It would put more than [`MAX_FORM_PHOTOS`] on the form.
    TooManyPhotos,
    /// It would take back or redirect a referral the district manager has
    /// already reported on: the reports would be lost.
    FollowedUp,
}

impl RequestForm {
    /// An empty form for `attendee`.
    pub fn for_attendee(attendee: &Attendee) -> RequestForm {
        RequestForm {
            id: attendee.id.clone(),
            meeting: attendee.meeting.clone(),
            district: attendee.district,
            registration: attendee.registration.clone(),
            full_name: attendee.full_name.clone(),
            versions: Vec::new(),
            edits: Vec::new(),
            referral: None,
            photos: Vec::new(),
        }
    }

    /// The content when one version stands.
    pub fn settled(&self) -> Option<&FormContent> {
        match self.versions.as_slice() {
            [only] => Some(&only.content),
            _ => None,
        }
    }

    pub fn is_conflicted(&self) -> bool {
        self.versions.len() > 1
    }

    /// The ids an edit made now has seen: every standing version.
    pub fn standing(&self) -> Vec<CommandId> {
        self.versions.iter().map(|v| v.id.clone()).collect()
    }

    /// The devices that edited it (as far as `edits` remembers).
    pub fn devices(&self) -> BTreeSet<&DeviceId> {
        self.edits.iter().map(|edit| &edit.device).collect()
    }

    /// Keeps `version`, replacing the standing versions its author saw.
    /// The same edit kept twice (a replay, a rebase) changes nothing.
    pub fn record(&mut self, version: FormVersion, seen: &[CommandId]) -> Result<(), FormError> {
        let known = |id: &CommandId| {
            self.versions.iter().any(|v| &v.id == id) || self.edits.iter().any(|e| &e.id == id)
        };
        if known(&version.id) {
            return Ok(());
        }
        let standing = self
            .versions
            .iter()
            .filter(|v| !seen.contains(&v.id))
            .count();
        if seen.len() > MAX_FORM_VERSIONS || standing >= MAX_FORM_VERSIONS {
            return Err(FormError::TooManyVersions);
        }
        let replaced = self.versions.len() - standing;
        self.versions.retain(|v| !seen.contains(&v.id));
        self.edits.push(FormEdit {
            id: version.id.clone(),
            device: version.device.clone(),
            by: version.by.clone(),
            at: version.at,
            resolved: replaced > 1,
        });
        if self.edits.len() > MAX_FORM_EDITS {
            self.edits.remove(0);
        }
        self.versions.push(version);
        // Earliest first, the id breaking ties: the same set of versions
        // is the same list on every replica.
        self.versions
            .sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        Ok(())
    }

    /// Attaches `photo`; the same photo attached again changes nothing.
    pub fn attach(&mut self, photo: FormPhoto) -> Result<(), FormError> {
        if self.photos.iter().any(|kept| kept.id == photo.id) {
            return Ok(());
        }
        if self.photos.len() >= MAX_FORM_PHOTOS {
            return Err(FormError::TooManyPhotos);
        }
        self.photos.push(photo);
        // Earliest first, the id breaking ties: the same photos are the
        // same list on every replica, whatever order they arrived in.
        self.photos
            .sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        Ok(())
    }

    /// Takes the photo off the form, if it is on it.
    pub fn detach(&mut self, photo: &PhotoId) {
        self.photos.retain(|kept| &kept.id != photo);
    }

    /// Brings `referral` in line with the standing versions: the deputy
    /// they all name, due [`FOLLOW_UP_MONTHS`] after the meeting that
    /// started at `meeting_start`; referred again to the same deputy, the
    /// first referral's time (and its follow-up) stands. Refused when it
    /// would take back or redirect a referral already reported on.
    pub fn settle_referral(&mut self, meeting_start: DateTime<Utc>) -> Result<(), FormError> {
        let mut named = self.versions.iter().map(|v| v.content.referral.as_ref());
        let first = named.next().flatten();
        let agreed = first.filter(|deputy| named.all(|other| other == Some(*deputy)));
        if let Some(earlier) = &self.referral
            && !earlier.reports.is_empty()
            && agreed != Some(&earlier.deputy)
        {
            return Err(FormError::FollowedUp);
        }
        self.referral = agreed.map(|deputy| match &self.referral {
            Some(earlier) if &earlier.deputy == deputy => earlier.clone(),
            _ => Referral {
                deputy: deputy.clone(),
                at: self
                    .versions
                    .iter()
                    .map(|v| v.at)
                    .max()
                    .unwrap_or(meeting_start),
                due: jalali_today(meeting_start).months_later(FOLLOW_UP_MONTHS),
                reports: Vec::new(),
            },
        });
        Ok(())
    }
}
