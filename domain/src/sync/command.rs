//! Commands: one per thing a staff member does, each in an envelope that
//! says which device made it, for whom, and when.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::apply::Rejection;
use super::record::{AttendeeKind, Record, RecordKey};
use super::replica::Records;
use crate::auth::Role;
use crate::calls::CallOutcome;
use crate::followup::Outcome;
use crate::i18n::Lang;
use crate::ids::{AttendeeId, DeviceId, MeetingId, PhotoId, RegistrationId, TrusteeId, UserId};
use crate::jalali::JalaliDate;
use crate::registration::CaseNumber;
use crate::screening::Priority;

/// A command's id: a UUIDv7 made on the device, so ids sort by creation
/// time and the server can store each exactly once.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CommandId(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a command id is a UUID in its hyphenated lowercase form")]
pub struct CommandIdError;

impl CommandId {
    pub fn parse(text: &str) -> Result<CommandId, CommandIdError> {
        let uuid = uuid::Uuid::try_parse(text).map_err(|_| CommandIdError)?;
        let canonical = uuid.hyphenated().to_string();
        if canonical == text {
            Ok(CommandId(canonical))
        } else {
            Err(CommandIdError)
        }
    }

    /// A new id from a time and 10 random bytes (the caller owns the
    /// randomness: the browser's crypto or the server's generator).
    pub fn new_v7(at: DateTime<Utc>, random: [u8; 10]) -> CommandId {
        let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
        let uuid = uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid();
        CommandId(uuid.hyphenated().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_conversions!(CommandId, CommandIdError, as_str);

/// A command with what the server needs to judge and order it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub id: CommandId,
    /// The device that made it: must be the device of the session pushing it.
    pub device: DeviceId,
    /// The user who made it: must be the signed-in user pushing it.
    pub author: UserId,
    /// When it was made, by the device's clock.
    #[serde(with = "crate::time::wire::instant")]
    pub made_at: DateTime<Utc>,
    /// Server clock minus device clock as last measured, in milliseconds:
    /// a device with a wrong clock still records the right check-in time.
    pub clock_offset_ms: i64,
    #[serde(flatten)]
    pub command: Command,
}

/// The most absentees one closing names: more than any venue holds.
pub const MAX_ABSENT: usize = 1000;

/// The most a device's clock may be off and still be corrected: more than
/// any clock that reset to 1970 after a flat battery, yet far from where
/// the arithmetic could overflow.
pub const MAX_CLOCK_OFFSET: TimeDelta = TimeDelta::days(100 * 366);
/// How long a command may wait on a device before the server refuses it as
/// too old to be trusted (a month offline is longer than any meeting day).
pub const MAX_COMMAND_AGE: TimeDelta = TimeDelta::days(30);
/// How far ahead of the server's clock a command may claim to be: a few
/// minutes of drift since the offset was last measured.
pub const MAX_COMMAND_LEAD: TimeDelta = TimeDelta::minutes(5);

impl Envelope {
    /// When it happened by the server's clock, as well as the device knew;
    /// `None` when the offset is absurd or the sum leaves the years the
    /// wire format can carry (0001–9999), so nothing `apply` writes can
    /// fail to be read back.
    pub fn happened_at(&self) -> Option<DateTime<Utc>> {
        let offset = TimeDelta::try_milliseconds(self.clock_offset_ms)?;
        if offset.abs() > MAX_CLOCK_OFFSET {
            return None;
        }
        let at = self.made_at.checked_add_signed(offset)?;
        (1..=9999)
            .contains(&chrono::Datelike::year(&at))
            .then_some(at)
    }

    /// The server's check of a command's time against its own clock: a
    /// device clock can be wrong, never absurd (DESIGN §5).
    pub fn check_time(&self, server_now: DateTime<Utc>) -> Result<DateTime<Utc>, Rejection> {
        let at = self.happened_at().ok_or(Rejection::ClockWrong)?;
        if at > server_now + MAX_COMMAND_LEAD {
            Err(Rejection::ClockWrong)
        } else if at < server_now - MAX_COMMAND_AGE {
            Err(Rejection::TooOld)
        } else {
            Ok(at)
        }
    }
}

/// Declares the commands: each one once, with its wire name (the `kind`
/// of its JSON, stored in the audit log, so never renamed) and the few
/// words people read for it (the sync panel's list of refusals).
macro_rules! commands {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident as $wire:literal, ($fa:literal, $en:literal) {
            $($(#[$field_meta:meta])* $field:ident: $type:ty),* $(,)?
        }
    )*) => {
        /// What a staff member did. Each variant names the records it reads
        /// and the role it needs; the district comes from the record (see
        /// `apply`).
        #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(tag = "kind")]
        pub enum Command {
            $(
                $(#[doc = $doc])*
                #[serde(rename = $wire)]
                $variant { $($(#[$field_meta])* $field: $type),* },
            )*
        }

        impl Command {
            /// Every command's wire name, in declaration order.
            pub const NAMES: &[&str] = &[$($wire),*];

            /// The kind, as on the wire and in the audit log.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Command::$variant { .. } => $wire,)*
                }
            }

            /// What it does, in a few words, in `lang`.
            pub fn label(&self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(
                        (Command::$variant { .. }, Lang::Fa) => $fa,
                        (Command::$variant { .. }, Lang::En) => $en,
                    )*
                }
            }
        }
    };
}

commands! {
    /// Executive committee: the request was reviewed and linked to the
    /// district's existing case files (none is a valid answer). Repeating it
    /// replaces the links.
    ReviewRegistration as "review_registration", ("بررسی درخواست", "Review of a request") {
        registration: RegistrationId,
        case_files: Vec<CaseNumber>,
        note: String,
    }
    /// A committee refuses the request, with the reason the citizen reads.
    RejectRegistration as "reject_registration", ("رد درخواست", "Rejection of a request") {
        registration: RegistrationId,
        reason: String,
    }
    /// Screening committee: the deputy domain the request goes to.
    ScreenRegistration as "screen_registration", ("ارجاع درخواست به معاونت", "Routing of a request") {
        registration: RegistrationId,
        deputy: String,
        summary: String,
        /// How soon the mayor should hear it (older devices send none:
        /// normal).
        #[serde(default)]
        priority: Priority,
    }
    /// Screening committee: a screened request gets a place at a meeting.
    SelectForMeeting as "select_for_meeting", ("انتخاب برای دیدار", "Selection for a meeting") {
        registration: RegistrationId,
        meeting: MeetingId,
        /// When the citizen is expected, if the committee gave a time.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "crate::time::wire::instant::deserialize_option"
        )]
        slot: Option<DateTime<Utc>>,
    }
    /// Screening committee: a citizen given a place at `from` goes to
    /// another meeting (`to`), or back to the waiting list for a later one
    /// (`None`). The place at `from` is freed and kept, marked as moved,
    /// so the door still recognises them; a deferral that finds the
    /// citizen no longer at `from` (another member moved them first) is
    /// refused, so two members end in one outcome.
    DeferSelection as "defer_selection", ("انتقال به دیدار دیگر", "Moving to another meeting") {
        registration: RegistrationId,
        from: MeetingId,
        to: Option<MeetingId>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "crate::time::wire::instant::deserialize_option"
        )]
        slot: Option<DateTime<Utc>>,
    }
    /// Screening committee: one of the district's trustees, from its
    /// list, gets a trustee's place at a meeting, within its quota.
    /// Inviting again changes only the slot.
    InviteTrustee as "invite_trustee", ("دعوت معتمد محلی", "Inviting a local trustee") {
        trustee: TrusteeId,
        meeting: MeetingId,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "crate::time::wire::instant::deserialize_option"
        )]
        slot: Option<DateTime<Utc>>,
    }
    /// Screening committee: a trustee invited to a meeting is not coming
    /// after all; the place is freed (and kept, marked, so a door still
    /// recognises them) for another trustee of the list.
    UninviteTrustee as "uninvite_trustee", ("لغو دعوت معتمد", "Cancelling a trustee's invitation") {
        trustee: TrusteeId,
        meeting: MeetingId,
    }
    /// Call centre (137): one call to someone on a meeting's roster and
    /// what it came to; the citizen's request moves with it (see
    /// `calls::CallOutcome`).
    RecordCall as "record_call", ("ثبت نتیجهٔ تماس", "A call's outcome") {
        attendee: AttendeeId,
        outcome: CallOutcome,
        note: String,
    }
    /// Field staff: the attendee arrived. A fact: never refused for being
    /// second; every check-in is kept.
    CheckIn as "check_in", ("ثبت ورود", "Check-in") {
        attendee: AttendeeId,
        door: String,
    }
    /// Field staff: a check-in was a mistake.
    UndoCheckIn as "undo_check_in", ("لغو ورود", "Undoing a check-in") {
        attendee: AttendeeId,
        check_in: CommandId,
        reason: String,
    }
    /// Field staff: someone not on the roster came (a trustee, or a
    /// citizen who was not selected): added to the meeting as a walk-in
    /// and checked in, in one step. The full mobile and national ID travel
    /// in the command to the server; the roster keeps their last digits.
    AddWalkIn as "add_walk_in", ("ثبت مراجعهٔ بدون نوبت", "Adding a walk-in") {
        /// Made on the device (a UUIDv7), so the walk-in can be checked in
        /// again or undone before the server has seen it.
        attendee: AttendeeId,
        meeting: MeetingId,
        attendee_kind: AttendeeKind,
        full_name: String,
        mobile: String,
        /// Required of citizens; trustees may leave it empty.
        national_id: String,
        door: String,
    }
    /// The screening committee (or an administrator) after the day: the
    /// meeting is over. The invited citizens in `absent` — those the
    /// closer's device shows as never checked in — become no-shows; one a
    /// late-synced check-in shows present is not one.
    CloseMeeting as "close_meeting", ("بستن دیدار", "Closing a meeting") {
        meeting: MeetingId,
        absent: Vec<AttendeeId>,
    }
    /// Field staff at a deputy's table: the attendee's request form,
    /// written or edited. `seen` names the versions the author had in
    /// front of them, and the edit replaces exactly those: an edit that
    /// did not see another device's version leaves both standing (see
    /// `sync::form`).
    RecordRequestForm as "record_request_form", ("ثبت فرم درخواست", "Request form") {
        attendee: AttendeeId,
        seen: Vec<CommandId>,
        asked: String,
        decision: String,
        /// A deputy's slug, or empty when the request is not referred.
        referral: String,
        answer: String,
    }
    /// Field staff at a deputy's table: a photo of a document the citizen
    /// brought, attached to their request form. The picture itself is
    /// uploaded before the command is pushed (`PUT /api/photos/{photo}`),
    /// and the server accepts the command only if it has it.
    AttachPhoto as "attach_photo", ("افزودن عکس مدرک", "Adding a document photo") {
        attendee: AttendeeId,
        photo: PhotoId,
        /// The picture's size, checked against the one uploaded.
        bytes: u32,
    }
    /// Field staff: a photo taken by mistake comes off the form.
    DetachPhoto as "detach_photo", ("حذف عکس مدرک", "Removing a document photo") {
        attendee: AttendeeId,
        photo: PhotoId,
    }
    /// District manager: what came of the referral on the attendee's
    /// request form — a result the citizen reads, or a later date (see
    /// `followup`). Every report is kept.
    ReportFollowUp as "report_follow_up", ("ثبت نتیجهٔ پیگیری", "A referral's result") {
        attendee: AttendeeId,
        outcome: Outcome,
        note: String,
        /// A postponement's new date.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<JalaliDate>,
    }
}

impl Command {
    /// The roles that may make it, any one in the record's district.
    pub fn roles(&self) -> &'static [Role] {
        match self {
            Command::ReviewRegistration { .. } | Command::RejectRegistration { .. } => {
                &[Role::ReviewCommittee]
            }
            Command::ScreenRegistration { .. }
            | Command::SelectForMeeting { .. }
            | Command::DeferSelection { .. }
            | Command::InviteTrustee { .. }
            | Command::UninviteTrustee { .. } => &[Role::ScreeningCommittee],
            Command::CloseMeeting { .. } => &[Role::ScreeningCommittee, Role::Administrator],
            Command::RecordCall { .. } => &[Role::CallCenter],
            Command::CheckIn { .. }
            | Command::UndoCheckIn { .. }
            | Command::AddWalkIn { .. }
            | Command::RecordRequestForm { .. }
            | Command::AttachPhoto { .. }
            | Command::DetachPhoto { .. } => &[Role::FieldStaff],
            Command::ReportFollowUp { .. } => &[Role::DistrictManager],
        }
    }

    /// The records `apply` reads, the first deciding the district.
    pub fn reads(&self) -> Vec<RecordKey> {
        match self {
            Command::ReviewRegistration { registration, .. }
            | Command::RejectRegistration { registration, .. }
            | Command::ScreenRegistration { registration, .. } => {
                vec![RecordKey::registration(registration)]
            }
            Command::SelectForMeeting {
                registration,
                meeting,
                ..
            } => vec![
                RecordKey::registration(registration),
                RecordKey::meeting(meeting),
            ],
            Command::DeferSelection {
                registration,
                from,
                to,
                ..
            } => [
                RecordKey::registration(registration),
                RecordKey::meeting(from),
                RecordKey::attendee(&AttendeeId::of_citizen(from, registration)),
            ]
            .into_iter()
            .chain(to.iter().map(RecordKey::meeting))
            .collect(),
            Command::InviteTrustee {
                trustee, meeting, ..
            } => vec![
                RecordKey::trustee(trustee),
                RecordKey::meeting(meeting),
                RecordKey::attendee(&AttendeeId::of_trustee(meeting, trustee)),
            ],
            Command::UninviteTrustee { trustee, meeting } => vec![
                RecordKey::attendee(&AttendeeId::of_trustee(meeting, trustee)),
                RecordKey::meeting(meeting),
            ],
            Command::CheckIn { attendee, .. }
            | Command::UndoCheckIn { attendee, .. }
            | Command::RecordCall { attendee, .. } => vec![RecordKey::attendee(attendee)],
            Command::AddWalkIn {
                attendee, meeting, ..
            } => vec![RecordKey::meeting(meeting), RecordKey::attendee(attendee)],
            Command::RecordRequestForm { attendee, .. }
            | Command::AttachPhoto { attendee, .. }
            | Command::DetachPhoto { attendee, .. } => vec![
                RecordKey::attendee(attendee),
                RecordKey::request_form(attendee),
            ],
            // The district manager's device holds the forms, not the
            // roster: the form is the subject.
            Command::ReportFollowUp { attendee, .. } => vec![RecordKey::request_form(attendee)],
            Command::CloseMeeting { meeting, absent } => {
                std::iter::once(RecordKey::meeting(meeting))
                    .chain(absent.iter().take(MAX_ABSENT).map(RecordKey::attendee))
                    .collect()
            }
        }
    }

    /// The records `apply` reads beyond [`Command::reads`], found in
    /// those: a check-in or its undo moves the citizen's request (to
    /// `attended` and back), a request form's referral moves it to
    /// `referred`, due a month after the meeting, and a call's outcome
    /// confirms, withdraws or defers it (and may free a place at the
    /// meeting), and a follow-up report answers or resolves it. A device
    /// without the request (a field device or a district manager's never
    /// holds requests) changes only the roster and the form; the server,
    /// which has all, changes all.
    pub fn reads_after(&self, loaded: &impl Records) -> Vec<RecordKey> {
        if let Command::CloseMeeting { absent, .. } = self {
            return absent
                .iter()
                .take(MAX_ABSENT)
                .filter_map(|id| match loaded.get(&RecordKey::attendee(id)) {
                    Some(Record::Attendee(place)) => place.registration.as_ref(),
                    _ => None,
                })
                .map(RecordKey::registration)
                .collect();
        }
        if let Command::ReportFollowUp { attendee, .. } = self {
            return match loaded.get(&RecordKey::request_form(attendee)) {
                Some(Record::RequestForm(form)) => form
                    .registration
                    .iter()
                    .map(RecordKey::registration)
                    .collect(),
                _ => Vec::new(),
            };
        }
        let attendee = match self {
            Command::CheckIn { attendee, .. }
            | Command::UndoCheckIn { attendee, .. }
            | Command::RecordRequestForm { attendee, .. }
            | Command::RecordCall { attendee, .. } => attendee,
            _ => return Vec::new(),
        };
        let Some(Record::Attendee(place)) = loaded.get(&RecordKey::attendee(attendee)) else {
            return Vec::new();
        };
        let mut keys = Vec::new();
        if matches!(
            self,
            Command::RecordRequestForm { .. } | Command::RecordCall { .. }
        ) {
            keys.push(RecordKey::meeting(&place.meeting));
        }
        keys.extend(place.registration.iter().map(RecordKey::registration));
        keys
    }

    /// The deputy the command names, whose existence only the server can
    /// check (the city's deputies are its data).
    pub fn deputy_named(&self) -> Option<&str> {
        match self {
            Command::ScreenRegistration { deputy, .. } => Some(deputy.trim()),
            Command::RecordRequestForm { referral, .. } if !referral.trim().is_empty() => {
                Some(referral.trim())
            }
            _ => None,
        }
    }

    /// The photo the command attaches, whose upload only the server can
    /// check: the attendee it was uploaded for and its size.
    pub fn photo_attached(&self) -> Option<(&AttendeeId, &PhotoId, u32)> {
        match self {
            Command::AttachPhoto {
                attendee,
                photo,
                bytes,
            } => Some((attendee, photo, *bytes)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_of_each() -> Vec<Command> {
        let id = CommandId::new_v7(chrono::DateTime::UNIX_EPOCH, [0; 10]);
        vec![
            Command::ReviewRegistration {
                registration: "r".into(),
                case_files: Vec::new(),
                note: String::new(),
            },
            Command::RejectRegistration {
                registration: "r".into(),
                reason: "why".into(),
            },
            Command::ScreenRegistration {
                registration: "r".into(),
                deputy: "transport".into(),
                summary: String::new(),
                priority: Priority::High,
            },
            Command::SelectForMeeting {
                registration: "r".into(),
                meeting: "m".into(),
                slot: None,
            },
            Command::DeferSelection {
                registration: "r".into(),
                from: "m".into(),
                to: Some("m2".into()),
                slot: None,
            },
            Command::InviteTrustee {
                trustee: "t".into(),
                meeting: "m".into(),
                slot: None,
            },
            Command::UninviteTrustee {
                trustee: "t".into(),
                meeting: "m".into(),
            },
            Command::RecordCall {
                attendee: "a".into(),
                outcome: CallOutcome::NoAnswer,
                note: String::new(),
            },
            Command::CheckIn {
                attendee: "a".into(),
                door: "1".into(),
            },
            Command::UndoCheckIn {
                attendee: "a".into(),
                check_in: id,
                reason: "mistake".into(),
            },
            Command::AddWalkIn {
                attendee: "w".into(),
                meeting: "m".into(),
                attendee_kind: AttendeeKind::Trustee,
                full_name: "نام".into(),
                mobile: "09120000000".into(),
                national_id: String::new(),
                door: "1".into(),
            },
            Command::CloseMeeting {
                meeting: "m".into(),
                absent: vec!["a".into()],
            },
            Command::RecordRequestForm {
                attendee: "a".into(),
                seen: Vec::new(),
                asked: "آسفالت کوچه".into(),
                decision: String::new(),
                referral: "services".into(),
                answer: String::new(),
            },
            Command::AttachPhoto {
                attendee: "a".into(),
                photo: "p".into(),
                bytes: 1000,
            },
            Command::DetachPhoto {
                attendee: "a".into(),
                photo: "p".into(),
            },
            Command::ReportFollowUp {
                attendee: "a".into(),
                outcome: crate::followup::Outcome::Answered,
                note: "پاسخ".into(),
                until: None,
            },
        ]
    }

    #[test]
    fn a_commands_name_is_the_kind_it_travels_as() {
        let commands = one_of_each();
        assert_eq!(commands.len(), Command::NAMES.len());
        for (command, name) in commands.iter().zip(Command::NAMES) {
            let json = serde_json::to_value(command).expect("serialises");
            assert_eq!(json["kind"], *name);
            assert_eq!(command.name(), *name);
        }
    }

    #[test]
    fn every_command_has_its_own_label_in_both_languages() {
        for lang in Lang::ALL {
            let mut labels: Vec<&str> = one_of_each().iter().map(|c| c.label(lang)).collect();
            labels.sort_unstable();
            labels.dedup();
            assert_eq!(labels.len(), Command::NAMES.len(), "{lang:?}");
            assert!(labels.iter().all(|label| !label.is_empty()));
        }
    }
}
