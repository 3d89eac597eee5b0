//! `apply`: a command against the records it reads, giving the records it
//! changes — or the reason it is refused. Pure: the browser runs it on the
//! device's copy, the server on the real data, and the server's answer wins.

use serde::{Deserialize, Serialize};

use super::command::{Command, Envelope};
use super::record::{
    Attendee, CheckInFact, Record, RecordKey, RegistrationRecord, Review, Screening, Undo,
    attendee_id,
};
use super::replica::Records;
use crate::district::DistrictId;
use crate::i18n::{Lang, Localized};
use crate::registration::Status;
use crate::text::normalize_input;

/// The longest reason, note or summary a committee writes.
const MAX_TEXT: usize = 1000;

/// What an accepted command does: the records it writes, in the district
/// whose staff may do it.
#[derive(Clone, Debug, PartialEq)]
pub struct Effect {
    pub district: DistrictId,
    pub changes: Vec<Record>,
}

/// Why a command is refused. The device shows the sentence and lets its
/// user act on it; it is never dropped silently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rejection {
    #[error("the record the command is about does not exist")]
    UnknownRecord,
    #[error("the request's current status does not allow this")]
    WrongStatus,
    #[error("a reason is required, at most 1000 characters")]
    ReasonNeeded,
    #[error("a text is longer than 1000 characters")]
    TextTooLong,
    #[error("the deputy domain is missing")]
    DeputyNeeded,
    #[error("the meeting is in another district")]
    OtherDistrict,
    #[error("the check-in to undo does not exist or was already undone")]
    NoSuchCheckIn,
    #[error("the author may not do this in this district")]
    NotPermitted,
    #[error("the command was made on another device or for another user")]
    WrongDevice,
}

impl Localized for Rejection {
    fn key(&self) -> &'static str {
        match self {
            Rejection::UnknownRecord => "sync.unknown_record",
            Rejection::WrongStatus => "sync.wrong_status",
            Rejection::ReasonNeeded => "sync.reason_needed",
            Rejection::TextTooLong => "sync.text_too_long",
            Rejection::DeputyNeeded => "sync.deputy_needed",
            Rejection::OtherDistrict => "sync.other_district",
            Rejection::NoSuchCheckIn => "sync.no_such_check_in",
            Rejection::NotPermitted => "sync.not_permitted",
            Rejection::WrongDevice => "sync.wrong_device",
        }
    }

    fn message(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Rejection::UnknownRecord, Lang::Fa) => "این مورد در سامانه پیدا نشد.",
            (Rejection::UnknownRecord, Lang::En) => "This item was not found.",
            (Rejection::WrongStatus, Lang::Fa) => {
                "وضعیت درخواست پیش از این تغییر کرده است و این کار دیگر ممکن نیست."
            }
            (Rejection::WrongStatus, Lang::En) => {
                "The request's status has changed meanwhile; this is no longer possible."
            }
            (Rejection::ReasonNeeded, Lang::Fa) => "دلیل را بنویسید (حداکثر ۱۰۰۰ نویسه).",
            (Rejection::ReasonNeeded, Lang::En) => {
                "Please write the reason (at most 1,000 characters)."
            }
            (Rejection::TextTooLong, Lang::Fa) => "متن از ۱۰۰۰ نویسه بلندتر است.",
            (Rejection::TextTooLong, Lang::En) => "The text is longer than 1,000 characters.",
            (Rejection::DeputyNeeded, Lang::Fa) => "معاونت مربوط را انتخاب کنید.",
            (Rejection::DeputyNeeded, Lang::En) => "Please choose the deputy's domain.",
            (Rejection::OtherDistrict, Lang::Fa) => "این جلسه در منطقهٔ دیگری است.",
            (Rejection::OtherDistrict, Lang::En) => "This meeting is in another district.",
            (Rejection::NoSuchCheckIn, Lang::Fa) => "این ورود ثبت نشده یا پیش از این لغو شده است.",
            (Rejection::NoSuchCheckIn, Lang::En) => {
                "This check-in does not exist or was already undone."
            }
            (Rejection::NotPermitted, Lang::Fa) => "شما اجازهٔ این کار را در این منطقه ندارید.",
            (Rejection::NotPermitted, Lang::En) => {
                "You are not allowed to do this in this district."
            }
            (Rejection::WrongDevice, Lang::Fa) => {
                "این کار روی دستگاه یا با حساب دیگری ثبت شده است."
            }
            (Rejection::WrongDevice, Lang::En) => {
                "This was recorded on another device or by another account."
            }
        }
    }
}

/// Applies `envelope` to `records`.
pub fn apply(records: &impl Records, envelope: &Envelope) -> Result<Effect, Rejection> {
    match &envelope.command {
        Command::ReviewRegistration {
            registration,
            case_files,
            note,
        } => {
            let mut record = registration_of(records, registration)?;
            // Reviewing again replaces the links: the committee found more.
            if record.status != Status::Reviewed {
                move_status(&mut record, Status::Reviewed)?;
            }
            record.review = Some(Review {
                case_files: case_files.clone(),
                note: short_text(note)?,
                by: envelope.author.clone(),
                at: envelope.happened_at(),
            });
            Ok(registration_effect(record))
        }
        Command::RejectRegistration {
            registration,
            reason,
        } => {
            let mut record = registration_of(records, registration)?;
            move_status(&mut record, Status::Rejected)?;
            record.rejection = Some(reason_text(reason)?);
            Ok(registration_effect(record))
        }
        Command::ScreenRegistration {
            registration,
            deputy,
            summary,
        } => {
            let mut record = registration_of(records, registration)?;
            let deputy = deputy.trim();
            if deputy.is_empty() {
                return Err(Rejection::DeputyNeeded);
            }
            if record.status != Status::Screened {
                move_status(&mut record, Status::Screened)?;
            }
            record.screening = Some(Screening {
                deputy: deputy.to_string(),
                summary: short_text(summary)?,
                by: envelope.author.clone(),
                at: envelope.happened_at(),
            });
            Ok(registration_effect(record))
        }
        Command::SelectForMeeting {
            registration,
            meeting,
        } => select_for_meeting(records, registration, meeting),
        Command::CheckIn { attendee, door } => {
            let mut record = attendee_of(records, attendee)?;
            // A replay of the same check-in changes nothing.
            if !record.check_ins.iter().any(|fact| fact.id == envelope.id) {
                record.check_ins.push(CheckInFact {
                    id: envelope.id.clone(),
                    device: envelope.device.clone(),
                    by: envelope.author.clone(),
                    door: normalize_input(door),
                    at: envelope.happened_at(),
                    undone: None,
                });
                // Earliest first; the id breaks ties, so every replica
                // orders the same facts the same way.
                record
                    .check_ins
                    .sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
            }
            Ok(attendee_effect(record))
        }
        Command::UndoCheckIn {
            attendee,
            check_in,
            reason,
        } => {
            let mut record = attendee_of(records, attendee)?;
            let reason = reason_text(reason)?;
            let fact = record
                .check_ins
                .iter_mut()
                .find(|fact| &fact.id == check_in && fact.undone.is_none())
                .ok_or(Rejection::NoSuchCheckIn)?;
            fact.undone = Some(Undo {
                reason,
                by: envelope.author.clone(),
                at: envelope.happened_at(),
            });
            Ok(attendee_effect(record))
        }
    }
}

fn select_for_meeting(
    records: &impl Records,
    registration: &str,
    meeting: &str,
) -> Result<Effect, Rejection> {
    let mut request = registration_of(records, registration)?;
    let Some(Record::Meeting(meeting_record)) = records.get(&RecordKey::meeting(meeting)) else {
        return Err(Rejection::UnknownRecord);
    };
    if meeting_record.meeting.plan.district != request.district {
        return Err(Rejection::OtherDistrict);
    }
    move_status(&mut request, Status::Invited)?;
    let attendee = Attendee {
        id: attendee_id(meeting, registration),
        meeting: meeting.to_string(),
        district: request.district,
        registration: Some(request.id.clone()),
        full_name: request.full_name.clone(),
        tracking_code: Some(request.tracking_code),
        deputy: request.screening.as_ref().map(|s| s.deputy.clone()),
        check_ins: Vec::new(),
    };
    Ok(Effect {
        district: request.district,
        changes: vec![Record::Registration(request), Record::Attendee(attendee)],
    })
}

fn registration_of(records: &impl Records, id: &str) -> Result<RegistrationRecord, Rejection> {
    match records.get(&RecordKey::registration(id)) {
        Some(Record::Registration(record)) => Ok(record.clone()),
        _ => Err(Rejection::UnknownRecord),
    }
}

fn attendee_of(records: &impl Records, id: &str) -> Result<Attendee, Rejection> {
    match records.get(&RecordKey::attendee(id)) {
        Some(Record::Attendee(record)) => Ok(record.clone()),
        _ => Err(Rejection::UnknownRecord),
    }
}

fn move_status(record: &mut RegistrationRecord, next: Status) -> Result<(), Rejection> {
    if record.status.can_become(next) {
        record.status = next;
        Ok(())
    } else {
        Err(Rejection::WrongStatus)
    }
}

fn registration_effect(record: RegistrationRecord) -> Effect {
    Effect {
        district: record.district,
        changes: vec![Record::Registration(record)],
    }
}

fn attendee_effect(record: Attendee) -> Effect {
    Effect {
        district: record.district,
        changes: vec![Record::Attendee(record)],
    }
}

fn short_text(text: &str) -> Result<String, Rejection> {
    let text = normalize_input(text);
    if text.chars().count() > MAX_TEXT {
        return Err(Rejection::TextTooLong);
    }
    Ok(text)
}

fn reason_text(text: &str) -> Result<String, Rejection> {
    match short_text(text) {
        Ok(text) if !text.is_empty() => Ok(text),
        _ => Err(Rejection::ReasonNeeded),
    }
}
