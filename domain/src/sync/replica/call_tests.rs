//! The 137 call centre (DESIGN §2 step 4): a call's outcome is kept on the
//! roster place and moves the citizen's request — confirmed, withdrawn,
//! or back to the screening committee with the place freed — and two
//! operators who call the same citizen apart end the same way everywhere.

use super::meeting_day_tests::{
    at, envelope, meeting, place, request, roster_entry, server, status,
};
use super::*;
use crate::calls::{CallOutcome, CallState, MAX_CALL_ATTEMPTS};
use crate::registration::Status;
use crate::sync::{Command, MeetingRecord, RecordKind, Rejection};

fn call(minute: i64, byte: u8, outcome: CallOutcome) -> Envelope {
    envelope(
        minute,
        byte,
        "phone-1",
        Command::RecordCall {
            attendee: place(),
            outcome,
            note: String::new(),
        },
    )
}

fn meeting_record(replica: &Replica) -> MeetingRecord {
    match replica.get(&RecordKey::meeting(&meeting())) {
        Some(Record::Meeting(record)) => record.clone(),
        other => panic!("no meeting: {other:?}"),
    }
}

#[test]
fn a_confirmed_call_confirms_the_request_once() {
    let mut replica = server();
    let confirmed = call(-600, 10, CallOutcome::Confirmed);
    let effect = replica.apply(&confirmed).expect("recorded");
    assert_eq!(effect.changes.len(), 2, "the place and the request");
    assert_eq!(status(&replica), Status::Confirmed);
    // Applied again (a rebase): nothing more is kept.
    replica.apply(&confirmed).expect("a replay");
    assert_eq!(roster_entry(&replica, &place()).calls.len(), 1);
    // Confirmed again in a later call: kept, the request stays.
    let again = replica
        .apply(&call(-500, 11, CallOutcome::Confirmed))
        .expect("recorded");
    assert_eq!(again.changes.len(), 1, "only the place");
    assert_eq!(
        roster_entry(&replica, &place()).call_state(),
        CallState::Done(CallOutcome::Confirmed)
    );
}

#[test]
fn unanswered_calls_keep_the_invitation_and_count_the_attempts() {
    let mut replica = server();
    for (minute, byte) in [(-600, 10), (-540, 11), (-360, 12)] {
        replica
            .apply(&call(minute, byte, CallOutcome::NoAnswer))
            .expect("recorded");
    }
    assert_eq!(status(&replica), Status::Invited);
    match roster_entry(&replica, &place()).call_state() {
        CallState::Retry { attempts, next_try } => {
            assert_eq!(attempts, 3);
            assert!(next_try > at(-360));
        }
        other => panic!("expected a retry, got {other:?}"),
    }
}

#[test]
fn asking_for_another_day_frees_the_place_and_puts_the_request_back_on_the_list() {
    let mut replica = server();
    assert_eq!(meeting_record(&replica).seated, [request()]);
    replica
        .apply(&call(-600, 10, CallOutcome::Reschedule))
        .expect("recorded");
    assert_eq!(status(&replica), Status::Deferred);
    assert!(
        meeting_record(&replica).seated.is_empty(),
        "the place is free"
    );
    let entry = roster_entry(&replica, &place());
    assert!(!entry.expected());
    assert_eq!(
        entry.released.map(|release| release.reason),
        Some(crate::sync::ReleaseReason::Reschedule)
    );
    // Nothing more is recorded on a place given up.
    assert_eq!(
        replica.apply(&call(-590, 11, CallOutcome::Confirmed)),
        Err(Rejection::PlaceGivenUp)
    );
    // The committee can seat the request again, here or elsewhere.
    replica
        .apply(&envelope(
            -500,
            12,
            "desk",
            Command::SelectForMeeting {
                registration: request(),
                meeting: meeting(),
                slot: None,
            },
        ))
        .expect("selected again");
    assert_eq!(status(&replica), Status::Invited);
    assert_eq!(meeting_record(&replica).seated, [request()]);
    assert!(roster_entry(&replica, &place()).expected());
}

#[test]
fn declining_withdraws_the_request() {
    let mut replica = server();
    replica
        .apply(&call(-600, 10, CallOutcome::Declined))
        .expect("recorded");
    assert_eq!(status(&replica), Status::Withdrawn);
    assert_eq!(meeting_record(&replica).seats_left(), 100);
}

#[test]
fn two_operators_calling_apart_end_by_the_servers_order() {
    let rescheduled = call(-600, 10, CallOutcome::Reschedule);
    let confirmed = call(-590, 11, CallOutcome::Confirmed);
    // The reschedule first: the confirmation comes too late, refused.
    let mut first = server();
    first.apply(&rescheduled).expect("recorded");
    assert_eq!(first.apply(&confirmed), Err(Rejection::PlaceGivenUp));
    assert_eq!(status(&first), Status::Deferred);
    // The confirmation first: the later wish for another day stands.
    let mut second = server();
    second.apply(&confirmed).expect("recorded");
    second.apply(&rescheduled).expect("recorded");
    assert_eq!(status(&second), Status::Deferred);
}

#[test]
fn an_operators_device_without_the_request_changes_the_roster_and_the_meeting() {
    let server = server();
    let mut phone = Replica::new();
    for key in [
        RecordKey::meeting(&meeting()),
        RecordKey::attendee(&place()),
    ] {
        phone.put(server.get(&key).cloned().expect("on the server"));
    }
    let effect = phone
        .apply(&call(-600, 10, CallOutcome::Declined))
        .expect("recorded");
    let kinds: Vec<RecordKind> = effect.changes.iter().map(|r| r.key().kind).collect();
    assert_eq!(kinds, [RecordKind::Attendee, RecordKind::Meeting]);
    assert!(meeting_record(&phone).seated.is_empty());
}

#[test]
fn a_closed_meeting_and_an_endless_call_log_refuse_more_calls() {
    let mut replica = server();
    for n in 0..MAX_CALL_ATTEMPTS {
        let byte = u8::try_from(n).expect("small");
        replica
            .apply(&call(-900 + i64::from(byte), byte, CallOutcome::NoAnswer))
            .expect("recorded");
    }
    assert_eq!(
        replica.apply(&call(-100, 200, CallOutcome::NoAnswer)),
        Err(Rejection::TooManyCalls)
    );
    let mut closed = server();
    closed
        .apply(&envelope(
            300,
            201,
            "desk",
            Command::CloseMeeting {
                meeting: meeting(),
                absent: Vec::new(),
            },
        ))
        .expect("closed");
    assert_eq!(
        closed.apply(&call(301, 202, CallOutcome::Confirmed)),
        Err(Rejection::AlreadyClosed)
    );
}
