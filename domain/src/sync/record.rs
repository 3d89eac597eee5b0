//! The synced data. Every record lives in one district, and who may read it
//! follows from its kind and district (the server's pull scopes).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::command::CommandId;
use super::form::{Referral, RequestForm};
use crate::auth::{Grant, Role};
use crate::calls::{CallAttempt, CallOutcome};
use crate::case_files::CaseFile;
use crate::district::DistrictId;
use crate::i18n::Lang;
use crate::ids::{
    AttendeeId, DeputySlug, DeviceId, MeetingId, PersonKey, RegistrationId, TrusteeId, UserId,
};
use crate::meeting::{Meeting, MeetingError};
use crate::person::{Mobile, NationalId};
use crate::registration::{CaseNumber, Status, TrackingCode};
use crate::screening::Priority;
use crate::trustees::Trustee;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Registration,
    Meeting,
    Attendee,
    RequestForm,
    CaseFile,
    Trustee,
}

impl RecordKind {
    pub const ALL: [RecordKind; 6] = [
        RecordKind::Registration,
        RecordKind::Meeting,
        RecordKind::Attendee,
        RecordKind::RequestForm,
        RecordKind::CaseFile,
        RecordKind::Trustee,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Registration => "registration",
            RecordKind::Meeting => "meeting",
            RecordKind::Attendee => "attendee",
            RecordKind::RequestForm => "request_form",
            RecordKind::CaseFile => "case_file",
            RecordKind::Trustee => "trustee",
        }
    }

    pub fn from_code(code: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// The roles that may pull records of this kind in their districts:
    /// each device gets the minimum its work needs (DESIGN §5), so a door
    /// tablet holds the roster, not the requests' descriptions.
    pub fn readers(self) -> &'static [Role] {
        match self {
            RecordKind::Registration | RecordKind::CaseFile => &[
                Role::ReviewCommittee,
                Role::ScreeningCommittee,
                Role::Administrator,
            ],
            // The screening committee invites trustees from the list.
            RecordKind::Trustee => &[Role::ScreeningCommittee, Role::Administrator],
            RecordKind::Attendee => &[
                Role::ScreeningCommittee,
                Role::CallCenter,
                Role::Administrator,
            ],
            // The follow-up committee reports per meeting.
            RecordKind::Meeting => &[
                Role::ScreeningCommittee,
                Role::CallCenter,
                Role::FollowupCommittee,
                Role::Administrator,
            ],
            // The district manager answers the referrals the forms make;
            // the follow-up committee watches them.
            RecordKind::RequestForm => &[
                Role::ScreeningCommittee,
                Role::FollowupCommittee,
                Role::DistrictManager,
                Role::Administrator,
            ],
        }
    }

    /// Whether field staff read records of this kind for the meetings
    /// they are assigned to (DESIGN §3) — not for their whole district:
    /// a door device holds its own meeting's roster and nobody else's.
    pub fn read_by_assignment(self) -> bool {
        matches!(
            self,
            RecordKind::Meeting | RecordKind::Attendee | RecordKind::RequestForm
        )
    }
}

/// Where someone may read records of one kind: the pull scopes, from the
/// same grants the server checks every endpoint against.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Reach {
    Nowhere,
    Districts(Vec<DistrictId>),
    Everywhere,
}

impl Reach {
    pub fn of(grants: &[Grant], kind: RecordKind) -> Reach {
        let mut districts = Vec::new();
        for grant in grants.iter().filter(|g| kind.readers().contains(&g.role)) {
            match grant.district {
                None => return Reach::Everywhere,
                Some(district) => districts.push(district),
            }
        }
        districts.sort_unstable();
        districts.dedup();
        if districts.is_empty() {
            Reach::Nowhere
        } else {
            Reach::Districts(districts)
        }
    }

    pub fn includes(&self, district: DistrictId) -> bool {
        match self {
            Reach::Nowhere => false,
            Reach::Districts(districts) => districts.contains(&district),
            Reach::Everywhere => true,
        }
    }
}

/// Which record: its kind and id (the id's text: the key is one type for
/// every kind, made only from a typed id).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RecordKey {
    pub kind: RecordKind,
    pub id: String,
}

impl RecordKey {
    pub fn registration(id: &RegistrationId) -> RecordKey {
        RecordKey {
            kind: RecordKind::Registration,
            id: id.to_string(),
        }
    }

    pub fn meeting(id: &MeetingId) -> RecordKey {
        RecordKey {
            kind: RecordKind::Meeting,
            id: id.to_string(),
        }
    }

    pub fn attendee(id: &AttendeeId) -> RecordKey {
        RecordKey {
            kind: RecordKind::Attendee,
            id: id.to_string(),
        }
    }

    /// An attendee's request form (one per roster place, the same id).
    pub fn request_form(id: &AttendeeId) -> RecordKey {
        RecordKey {
            kind: RecordKind::RequestForm,
            id: id.to_string(),
        }
    }

    /// A district's case file: its number is the district's own, so the
    /// district is part of the key.
    pub fn case_file(district: DistrictId, number: &CaseNumber) -> RecordKey {
        RecordKey {
            kind: RecordKind::CaseFile,
            id: format!("{}:{number}", district.number()),
        }
    }

    pub fn trustee(id: &TrusteeId) -> RecordKey {
        RecordKey {
            kind: RecordKind::Trustee,
            id: id.to_string(),
        }
    }

    /// One text for storage keys: `registration/0193…`.
    pub fn text(&self) -> String {
        format!("{}/{}", self.kind.code(), self.id)
    }
}

/// One synced record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    Registration(RegistrationRecord),
    Meeting(MeetingRecord),
    Attendee(Attendee),
    RequestForm(RequestForm),
    CaseFile(CaseFile),
    Trustee(Trustee),
}

impl Record {
    pub fn key(&self) -> RecordKey {
        match self {
            Record::Registration(record) => RecordKey::registration(&record.id),
            Record::Meeting(record) => RecordKey::meeting(&record.meeting.id),
            Record::Attendee(record) => RecordKey::attendee(&record.id),
            Record::RequestForm(record) => RecordKey::request_form(&record.id),
            Record::CaseFile(file) => RecordKey::case_file(file.district, &file.number),
            Record::Trustee(trustee) => RecordKey::trustee(&trustee.id),
        }
    }

    pub fn district(&self) -> DistrictId {
        match self {
            Record::Registration(record) => record.district,
            Record::Meeting(record) => record.meeting.plan.district,
            Record::Attendee(record) => record.district,
            Record::RequestForm(record) => record.district,
            Record::CaseFile(file) => file.district,
            Record::Trustee(trustee) => trustee.district,
        }
    }

    /// The meeting it belongs to, for the records field staff read by
    /// assignment (`RecordKind::read_by_assignment`).
    pub fn meeting(&self) -> Option<&MeetingId> {
        match self {
            Record::Registration(_) | Record::CaseFile(_) | Record::Trustee(_) => None,
            Record::Meeting(record) => Some(&record.meeting.id),
            Record::Attendee(record) => Some(&record.meeting),
            Record::RequestForm(record) => Some(&record.meeting),
        }
    }
}

/// A citizen's request as the committees work on it. The citizen's
/// national ID and mobile stay on the server: no committee screen needs
/// them on a device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationRecord {
    pub id: RegistrationId,
    pub tracking_code: TrackingCode,
    pub district: DistrictId,
    pub full_name: String,
    /// A deputy's slug, or "unsure".
    pub topic: String,
    pub description: String,
    pub case_number: Option<CaseNumber>,
    pub status: Status,
    #[serde(with = "crate::time::wire::instant")]
    pub submitted_at: DateTime<Utc>,
    pub review: Option<Review>,
    pub screening: Option<Screening>,
    /// Why a committee refused it; the citizen reads this.
    pub rejection: Option<String>,
    /// Another request of this window carries the same national ID from a
    /// different mobile. National IDs are not secret, so this may be
    /// someone else using the citizen's ID: the executive committee looks
    /// at both before either goes on.
    #[serde(default)]
    pub shares_national_id: bool,
    /// The last four digits of the citizen's mobile and national ID: enough
    /// to tell two people of the same name apart at the door, too little
    /// to be of use to anyone else (the full numbers stay on the server).
    #[serde(default)]
    pub mobile_last4: Option<LastDigits>,
    #[serde(default)]
    pub national_id_last4: Option<LastDigits>,
    /// Where the meeting's request form referred it (the citizen's lookup
    /// says "referred to … on …").
    #[serde(default)]
    pub referral: Option<Referral>,
    /// Who the citizen is, without their national ID (`PersonKey`): the
    /// same on each of their requests and on the case files they own.
    #[serde(default)]
    pub citizen: Option<PersonKey>,
}

impl RegistrationRecord {
    /// A district-6 request just submitted, with nothing else known: the
    /// tests' starting point, each changing what it is about.
    #[cfg(test)]
    pub(crate) fn sample(id: &str, name: &str) -> RegistrationRecord {
        RegistrationRecord {
            id: id.into(),
            tracking_code: TrackingCode::from_random([7; 16]),
            district: DistrictId::new(6).unwrap_or_else(|_| unreachable!("district 6 exists")),
            full_name: name.into(),
            topic: "services".into(),
            description: "کوچه".into(),
            case_number: None,
            status: Status::Submitted,
            submitted_at: DateTime::UNIX_EPOCH,
            review: None,
            screening: None,
            rejection: None,
            shares_national_id: false,
            mobile_last4: None,
            national_id_last4: None,
            referral: None,
            citizen: None,
        }
    }

    /// Whether a committee's search finds the request: `wanted` (folded
    /// with `normalize_for_search`) in its name, tracking code or
    /// description.
    pub fn matches_search(&self, wanted: &str) -> bool {
        [
            self.full_name.as_str(),
            self.tracking_code.as_str(),
            self.description.as_str(),
        ]
        .iter()
        .any(|text| crate::text::normalize_for_search(text).contains(wanted))
    }
}

/// The executive committee's finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub case_files: Vec<CaseNumber>,
    pub note: String,
    pub by: UserId,
    #[serde(with = "crate::time::wire::instant")]
    pub at: DateTime<Utc>,
}

/// The screening committee's routing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Screening {
    pub deputy: DeputySlug,
    pub summary: String,
    #[serde(default)]
    pub priority: Priority,
    pub by: UserId,
    #[serde(with = "crate::time::wire::instant")]
    pub at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingRecord {
    #[serde(flatten)]
    pub meeting: Meeting,
    /// Set when the committee closed it after the day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<Closure>,
    /// The requests given a citizen's place here, in id order: what keeps
    /// the selections of several committee members, made apart and
    /// offline, within the citizens' quota wherever they are applied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seated: Vec<RegistrationId>,
    /// The trustees invited from the district's list, in id order: kept
    /// within the trustees' quota the same way.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trustees: Vec<TrusteeId>,
}

impl MeetingRecord {
    /// A meeting just planned: nobody seated, not closed.
    pub fn new(meeting: Meeting) -> MeetingRecord {
        MeetingRecord {
            meeting,
            closed: None,
            seated: Vec::new(),
            trustees: Vec::new(),
        }
    }

    /// The meeting with its plan revised by an administrator; who was
    /// seated and the closing stay. The citizens' quota may not fall
    /// below the places already given: nobody selected is dropped
    /// silently (the committee defers them first).
    pub fn replan(&mut self, meeting: Meeting) -> Result<(), MeetingError> {
        if usize::from(meeting.plan.citizen_quota) < self.seated.len() {
            return Err(MeetingError::QuotaBelowSeated);
        }
        if usize::from(meeting.plan.trustee_quota) < self.trustees.len() {
            return Err(MeetingError::TrusteeQuotaBelowInvited);
        }
        self.meeting = meeting;
        Ok(())
    }

    /// Gives `request` a citizen's place, if it has none and one is left.
    pub fn seat(&mut self, request: &RegistrationId) -> Result<(), Full> {
        match self.seated.binary_search(request) {
            Ok(_) => Ok(()),
            Err(_) if self.seats_left() == 0 => Err(Full),
            Err(at) => {
                self.seated.insert(at, request.clone());
                Ok(())
            }
        }
    }

    /// Takes `request`'s place back, if it has one.
    pub fn unseat(&mut self, request: &RegistrationId) {
        if let Ok(at) = self.seated.binary_search(request) {
            self.seated.remove(at);
        }
    }

    /// Citizens' places not given yet.
    pub fn seats_left(&self) -> usize {
        usize::from(self.meeting.plan.citizen_quota).saturating_sub(self.seated.len())
    }

    /// Gives `trustee` a trustee's place, if they have none and one is
    /// left.
    pub fn invite(&mut self, trustee: &TrusteeId) -> Result<(), Full> {
        match self.trustees.binary_search(trustee) {
            Ok(_) => Ok(()),
            Err(_) if self.trustee_places_left() == 0 => Err(Full),
            Err(at) => {
                self.trustees.insert(at, trustee.clone());
                Ok(())
            }
        }
    }

    /// Takes `trustee`'s place back, if they have one.
    pub fn uninvite(&mut self, trustee: &TrusteeId) {
        if let Ok(at) = self.trustees.binary_search(trustee) {
            self.trustees.remove(at);
        }
    }

    /// Trustees' places not given yet.
    pub fn trustee_places_left(&self) -> usize {
        usize::from(self.meeting.plan.trustee_quota).saturating_sub(self.trustees.len())
    }
}

/// Every citizen's place at the meeting is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Full;

/// A meeting's closing: who, when, and how many invited citizens it
/// found absent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    /// The command that closed it (a replay closes nothing twice).
    pub command: CommandId,
    pub by: UserId,
    #[serde(with = "crate::time::wire::instant")]
    pub at: DateTime<Utc>,
    pub no_shows: usize,
}

/// Someone on a meeting's roster: what the door and the tables need and
/// no more (DESIGN §5, ASVS V8.2.2) — never a full mobile or national ID,
/// never the request's description.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    /// For a selected citizen, `AttendeeId::of_citizen`; for a walk-in,
    /// an id the door device made.
    pub id: AttendeeId,
    pub meeting: MeetingId,
    pub district: DistrictId,
    pub registration: Option<RegistrationId>,
    /// The trustee on the district's list the place is for (invited from
    /// the list; a trustee who walked in has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trustee: Option<TrusteeId>,
    pub full_name: String,
    pub tracking_code: Option<TrackingCode>,
    /// The deputy's table the person is sent to.
    pub deputy: Option<DeputySlug>,
    #[serde(default)]
    pub attendee_kind: AttendeeKind,
    /// Added at the door, not selected beforehand: the committee confirms
    /// walk-ins afterwards.
    #[serde(default)]
    pub walk_in: bool,
    /// When the person is expected (the screening committee's time slot).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::time::wire::instant::deserialize_option"
    )]
    pub slot: Option<DateTime<Utc>>,
    /// The screening committee's summary of the request.
    #[serde(default)]
    pub summary: String,
    /// The district's case files the request is linked to.
    #[serde(default)]
    pub case_files: Vec<CaseNumber>,
    #[serde(default)]
    pub mobile_last4: Option<LastDigits>,
    #[serde(default)]
    pub national_id_last4: Option<LastDigits>,
    /// Every check-in ever recorded, earliest first (DESIGN §5: facts,
    /// merged, never a conflict).
    pub check_ins: Vec<CheckInFact>,
    /// The call centre's calls to the person, in the order the server
    /// took them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<CallAttempt>,
    /// Set when the person gave the place up (declined, or asked for
    /// another day): kept, not deleted, so a door still recognises them
    /// and every device sees why the place is free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released: Option<Release>,
}

impl Attendee {
    /// Present from the earliest check-in that was not undone.
    pub fn present_since(&self) -> Option<&CheckInFact> {
        self.check_ins.iter().find(|fact| fact.undone.is_none())
    }

    /// A district-6 citizen's place at meeting `m1` with nothing recorded:
    /// the tests' starting point, each changing what it is about.
    #[cfg(test)]
    pub(crate) fn sample(id: &str, name: &str) -> Attendee {
        Attendee {
            id: id.into(),
            meeting: "m1".into(),
            district: DistrictId::new(6).unwrap_or_else(|_| unreachable!("district 6 exists")),
            registration: None,
            trustee: None,
            full_name: name.into(),
            tracking_code: None,
            deputy: None,
            attendee_kind: AttendeeKind::Citizen,
            walk_in: false,
            slot: None,
            summary: String::new(),
            case_files: Vec::new(),
            mobile_last4: None,
            national_id_last4: None,
            check_ins: Vec::new(),
            calls: Vec::new(),
            released: None,
        }
    }

    /// Whether the meeting still expects the person: on the roster and
    /// not given up.
    pub fn expected(&self) -> bool {
        self.released.is_none()
    }
}

/// A place given up, why, and who recorded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    pub reason: ReleaseReason,
    pub by: UserId,
    #[serde(with = "crate::time::wire::instant")]
    pub at: DateTime<Utc>,
}

/// Why a place at a meeting was freed. The first two are the 137 call's
/// outcomes and keep their wire names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseReason {
    /// The citizen will not come and withdrew the request.
    Declined,
    /// The citizen asked for another day.
    Reschedule,
    /// The screening committee moved them to another meeting or back to
    /// the waiting list.
    Moved,
    /// The screening committee cancelled a trustee's invitation.
    Uninvited,
}

impl ReleaseReason {
    /// The reason a call's outcome frees a place for, if it does.
    pub fn of_call(outcome: CallOutcome) -> Option<ReleaseReason> {
        match outcome {
            CallOutcome::Declined => Some(ReleaseReason::Declined),
            CallOutcome::Reschedule => Some(ReleaseReason::Reschedule),
            CallOutcome::Confirmed | CallOutcome::NoAnswer | CallOutcome::WrongNumber => None,
        }
    }

    /// What the door reads about a place freed so.
    pub fn explain(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ReleaseReason::Declined, Lang::Fa) => "در تماس ۱۳۷ انصراف داده است",
            (ReleaseReason::Declined, Lang::En) => "Withdrew in the 137 call",
            (ReleaseReason::Reschedule, Lang::Fa) => "در تماس ۱۳۷ روز دیگری خواسته است",
            (ReleaseReason::Reschedule, Lang::En) => "Asked for another day in the 137 call",
            (ReleaseReason::Moved, Lang::Fa) => {
                "کمیتهٔ تشخیص او را به دیدار دیگری یا نوبت بعد برده است"
            }
            (ReleaseReason::Moved, Lang::En) => {
                "The screening committee moved them to another meeting or a later turn"
            }
            (ReleaseReason::Uninvited, Lang::Fa) => "دعوت این معتمد لغو شده است",
            (ReleaseReason::Uninvited, Lang::En) => "This trustee's invitation was cancelled",
        }
    }
}

/// Who a roster place is for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttendeeKind {
    /// A citizen whose request is on the agenda.
    #[default]
    Citizen,
    /// One of the district's local trustees (معتمدین محلی).
    Trustee,
}

impl AttendeeKind {
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (AttendeeKind::Citizen, Lang::Fa) => "شهروند",
            (AttendeeKind::Citizen, Lang::En) => "Citizen",
            (AttendeeKind::Trustee, Lang::Fa) => "معتمد محلی",
            (AttendeeKind::Trustee, Lang::En) => "Local trustee",
        }
    }
}

/// The last four digits of a mobile or national ID (ASCII), the most of
/// either number a roster carries.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LastDigits(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("expected the last four digits")]
pub struct LastDigitsError;

impl LastDigits {
    pub fn parse(text: &str) -> Result<LastDigits, LastDigitsError> {
        if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
            Ok(LastDigits(text.to_owned()))
        } else {
            Err(LastDigitsError)
        }
    }

    /// The last four of a mobile.
    pub fn of_mobile(mobile: &Mobile) -> LastDigits {
        LastDigits(mobile.last_digits(4).to_owned())
    }

    /// The last four of a national ID.
    pub fn of_national_id(id: &NationalId) -> LastDigits {
        LastDigits(id.last_digits(4).to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_conversions!(LastDigits, LastDigitsError, as_str);

/// One check-in, as a device recorded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInFact {
    /// The command that recorded it.
    pub id: CommandId,
    pub device: DeviceId,
    pub by: UserId,
    pub door: String,
    #[serde(with = "crate::time::wire::instant")]
    pub at: DateTime<Utc>,
    pub undone: Option<Undo>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Undo {
    pub reason: String,
    pub by: UserId,
    #[serde(with = "crate::time::wire::instant")]
    pub at: DateTime<Utc>,
}
