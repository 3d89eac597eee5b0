//! The 137 call centre (DESIGN §2 step 4): every selected citizen is
//! phoned with the day and place, and each call's outcome recorded. The
//! outcomes are facts on the roster place (`Attendee::calls`), written by
//! the `RecordCall` command; what they do to the request (confirmed,
//! withdrawn, back to the screening committee) is `sync::apply`'s. Here:
//! the outcomes, when to try again after no answer, and the order the
//! call list is worked in.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::ids::{AttendeeId, UserId};
use crate::sync::{Attendee, CommandId};

/// What one call came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// Reached; the citizen will come.
    Confirmed,
    /// Reached; the citizen will not come and withdraws the request.
    Declined,
    /// Nobody answered: try again later.
    NoAnswer,
    /// The number is not the citizen's: calling again will not help.
    WrongNumber,
    /// Reached; the citizen asks for another day: the request goes back
    /// to the screening committee's waiting list.
    Reschedule,
}

impl CallOutcome {
    pub const ALL: [CallOutcome; 5] = [
        CallOutcome::Confirmed,
        CallOutcome::NoAnswer,
        CallOutcome::Reschedule,
        CallOutcome::Declined,
        CallOutcome::WrongNumber,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CallOutcome::Confirmed => "confirmed",
            CallOutcome::Declined => "declined",
            CallOutcome::NoAnswer => "no_answer",
            CallOutcome::WrongNumber => "wrong_number",
            CallOutcome::Reschedule => "reschedule",
        }
    }

    pub fn from_code(code: &str) -> Option<CallOutcome> {
        CallOutcome::ALL.into_iter().find(|o| o.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (CallOutcome::Confirmed, Lang::Fa) => "پاسخ داد و حضور را تأیید کرد",
            (CallOutcome::Confirmed, Lang::En) => "Reached, will come",
            (CallOutcome::Declined, Lang::Fa) => "پاسخ داد و نمی‌آید (انصراف)",
            (CallOutcome::Declined, Lang::En) => "Reached, will not come (withdraws)",
            (CallOutcome::NoAnswer, Lang::Fa) => "پاسخ نداد",
            (CallOutcome::NoAnswer, Lang::En) => "No answer",
            (CallOutcome::WrongNumber, Lang::Fa) => "شمارهٔ اشتباه",
            (CallOutcome::WrongNumber, Lang::En) => "Wrong number",
            (CallOutcome::Reschedule, Lang::Fa) => "روز دیگری می‌خواهد",
            (CallOutcome::Reschedule, Lang::En) => "Asks for another day",
        }
    }

    /// Whether the citizen's place at the meeting goes with it.
    pub fn gives_up_place(self) -> bool {
        crate::sync::ReleaseReason::of_call(self).is_some()
    }
}

/// One call, as the operator recorded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallAttempt {
    /// The `RecordCall` command (a replay records nothing twice).
    pub id: CommandId,
    pub by: UserId,
    #[serde(with = "crate::time::wire::instant")]
    pub at: DateTime<Utc>,
    pub outcome: CallOutcome,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The most calls kept for one place: far more than anyone is tried, and
/// a bound on a broken device's growth of the roster.
pub const MAX_CALL_ATTEMPTS: usize = 30;

/// How long after an unanswered call the next try is due: an hour, then
/// three, then the next day — people in a meeting or asleep get a fair
/// chance before the committee hears they could not be reached.
pub fn retry_after(unanswered: usize) -> TimeDelta {
    match unanswered {
        0 | 1 => TimeDelta::hours(1),
        2 => TimeDelta::hours(3),
        _ => TimeDelta::hours(20),
    }
}

/// Where calling one person stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallState {
    /// Nobody has called yet.
    NotCalled,
    /// No answer so far: `attempts` calls, the next due at `next_try`.
    Retry {
        attempts: usize,
        next_try: DateTime<Utc>,
    },
    /// Calling is over: the last reached outcome (or the wrong number).
    Done(CallOutcome),
}

impl CallState {
    /// From the place's calls, in the order they were made: any reached
    /// outcome ends calling (a later unanswered call, made before the
    /// operator saw the first, changes nothing).
    pub fn of(calls: &[CallAttempt]) -> CallState {
        if let Some(last) = calls
            .iter()
            .rev()
            .find(|call| call.outcome != CallOutcome::NoAnswer)
        {
            return CallState::Done(last.outcome);
        }
        match calls.last() {
            None => CallState::NotCalled,
            Some(last) => CallState::Retry {
                attempts: calls.len(),
                next_try: last.at + retry_after(calls.len()),
            },
        }
    }

    /// Where calling stands, in a few words (the agenda's column).
    pub fn label(&self, lang: Lang) -> String {
        match (*self, lang) {
            (CallState::NotCalled, Lang::Fa) => "تماس گرفته نشده".into(),
            (CallState::NotCalled, Lang::En) => "Not called".into(),
            (CallState::Retry { attempts, .. }, Lang::Fa) => format!(
                "پاسخ نداد ({} بار)",
                crate::text::to_persian_digits(&attempts.to_string())
            ),
            (CallState::Retry { attempts, .. }, Lang::En) => format!("No answer ({attempts}×)"),
            (CallState::Done(outcome), lang) => outcome.name(lang).into(),
        }
    }

    /// The order the call list is worked in at `now`: who was never
    /// called, then retries already due (oldest first), then retries not
    /// yet due, then the done. Lower comes first.
    pub fn urgency(&self, now: DateTime<Utc>) -> (u8, Option<DateTime<Utc>>) {
        match *self {
            CallState::NotCalled => (0, None),
            CallState::Retry { next_try, .. } if next_try <= now => (1, Some(next_try)),
            CallState::Retry { next_try, .. } => (2, Some(next_try)),
            CallState::Done(_) => (3, None),
        }
    }
}

impl Attendee {
    pub fn call_state(&self) -> CallState {
        CallState::of(&self.calls)
    }
}

/// `POST /api/calls/{attendee}/claim`'s answer: the number to dial. The
/// claim keeps other operators off this person until `until` (or until
/// the call's outcome is recorded); the full mobile never leaves the
/// server otherwise and is never stored on the device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claimed {
    pub mobile: String,
    #[serde(with = "crate::time::wire::instant")]
    pub until: DateTime<Utc>,
}

/// A claim held now, as `GET /api/calls/claims?meeting=…` lists them: the
/// other operators see who is calling whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimHeld {
    pub attendee: AttendeeId,
    /// The operator's display name.
    pub by: String,
    pub mine: bool,
    #[serde(with = "crate::time::wire::instant")]
    pub until: DateTime<Utc>,
}

/// An SMS as the administrators' screen lists it (`GET /api/admin/sms`):
/// the number masked, the text, and where sending stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsMessage {
    pub id: i64,
    /// "0913 *** 0000".
    pub mobile: String,
    pub body: String,
    #[serde(with = "crate::time::wire::instant")]
    pub queued_at: DateTime<Utc>,
    /// `queued`, `sending`, `sent` or `failed`.
    pub state: String,
    pub attempts: i64,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::time::wire::instant::deserialize_option"
    )]
    pub sent_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(minutes: i64, outcome: CallOutcome) -> CallAttempt {
        let at = DateTime::UNIX_EPOCH + TimeDelta::minutes(minutes);
        CallAttempt {
            id: CommandId::new_v7(at, [0; 10]),
            by: "calls6".into(),
            at,
            outcome,
            note: String::new(),
        }
    }

    #[test]
    fn codes_are_one_each_and_read_back() {
        for outcome in CallOutcome::ALL {
            assert_eq!(CallOutcome::from_code(outcome.code()), Some(outcome));
            let json = serde_json::to_string(&outcome).expect("serialises");
            assert_eq!(json, format!("\"{}\"", outcome.code()));
        }
        assert_eq!(CallOutcome::from_code("busy"), None);
    }

    #[test]
    fn unanswered_calls_are_retried_later_and_later() {
        assert_eq!(CallState::of(&[]), CallState::NotCalled);
        let first = [call(0, CallOutcome::NoAnswer)];
        assert_eq!(
            CallState::of(&first),
            CallState::Retry {
                attempts: 1,
                next_try: first[0].at + TimeDelta::hours(1)
            }
        );
        let three = [
            call(0, CallOutcome::NoAnswer),
            call(60, CallOutcome::NoAnswer),
            call(240, CallOutcome::NoAnswer),
        ];
        assert_eq!(
            CallState::of(&three),
            CallState::Retry {
                attempts: 3,
                next_try: three[2].at + TimeDelta::hours(20)
            }
        );
    }

    #[test]
    fn a_reached_outcome_ends_calling_whatever_follows_unanswered() {
        let calls = [
            call(0, CallOutcome::NoAnswer),
            call(60, CallOutcome::Confirmed),
            call(61, CallOutcome::NoAnswer),
        ];
        assert_eq!(
            CallState::of(&calls),
            CallState::Done(CallOutcome::Confirmed)
        );
        assert_eq!(
            CallState::of(&[call(0, CallOutcome::WrongNumber)]),
            CallState::Done(CallOutcome::WrongNumber)
        );
    }

    #[test]
    fn the_list_puts_the_never_called_first_then_due_retries() {
        let now = DateTime::UNIX_EPOCH + TimeDelta::hours(2);
        let due = CallState::of(&[call(0, CallOutcome::NoAnswer)]);
        let later = CallState::of(&[call(100, CallOutcome::NoAnswer)]);
        let done = CallState::of(&[call(0, CallOutcome::Confirmed)]);
        let mut states = [done, later, due, CallState::NotCalled];
        states.sort_by_key(|state| state.urgency(now));
        assert_eq!(states, [CallState::NotCalled, due, later, done]);
    }

    #[test]
    fn only_declining_and_rescheduling_give_the_place_up() {
        let giving_up: Vec<CallOutcome> = CallOutcome::ALL
            .into_iter()
            .filter(|o| o.gives_up_place())
            .collect();
        assert_eq!(giving_up, [CallOutcome::Reschedule, CallOutcome::Declined]);
    }
}
