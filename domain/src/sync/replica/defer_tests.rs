//! The screening committee moves a citizen it gave a place to (issue 13:
//! nobody is silently dropped): to another meeting, or back to the waiting
//! list. The place left is freed and kept, marked as moved; two members
//! who move the same citizen apart end in one outcome everywhere.

use super::meeting_day_tests::{
    at, envelope, meeting, place, request, roster_entry, server, status,
};
use super::*;
use crate::ids::{AttendeeId, MeetingId};
use crate::meeting::{Meeting, MeetingPlan};
use crate::registration::Status;
use crate::sync::{Command, MeetingRecord, Rejection, ReleaseReason};

fn later() -> MeetingId {
    "m2".into()
}

/// The server with a second meeting of the district a week later, of
/// `quota` citizens' places.
fn with_later_meeting(quota: u16) -> Replica {
    let mut replica = server();
    let Some(Record::Meeting(first)) = replica.get(&RecordKey::meeting(&meeting())).cloned() else {
        panic!("the first meeting is there");
    };
    replica.put(Record::Meeting(MeetingRecord::new(Meeting {
        id: later(),
        plan: MeetingPlan {
            starts_at: at(7 * 24 * 60),
            citizen_quota: quota,
            ..first.meeting.plan
        },
    })));
    replica
}

fn defer(minute: i64, byte: u8, to: Option<MeetingId>) -> Envelope {
    envelope(
        minute,
        byte,
        "desk",
        Command::DeferSelection {
            registration: request(),
            from: meeting(),
            to,
            slot: None,
        },
    )
}

fn seated(replica: &Replica, id: &MeetingId) -> Vec<crate::ids::RegistrationId> {
    match replica.get(&RecordKey::meeting(id)) {
        Some(Record::Meeting(record)) => record.seated.clone(),
        other => panic!("no meeting: {other:?}"),
    }
}

#[test]
fn a_citizen_moves_to_another_meeting_and_the_place_left_is_kept_as_moved() {
    let mut replica = with_later_meeting(80);
    replica
        .apply(&defer(-600, 10, Some(later())))
        .expect("moved");
    assert_eq!(status(&replica), Status::Invited);
    assert!(seated(&replica, &meeting()).is_empty());
    assert_eq!(seated(&replica, &later()), [request()]);
    let left = roster_entry(&replica, &place());
    assert_eq!(left.released.map(|r| r.reason), Some(ReleaseReason::Moved));
    let new_place = roster_entry(&replica, &AttendeeId::of_citizen(&later(), &request()));
    assert!(new_place.expected());
    assert_eq!(new_place.tracking_code, left.tracking_code);
}

#[test]
fn back_to_the_waiting_list_and_seated_again_later() {
    let mut replica = with_later_meeting(80);
    replica.apply(&defer(-600, 10, None)).expect("deferred");
    assert_eq!(status(&replica), Status::Deferred);
    assert!(seated(&replica, &meeting()).is_empty());
    replica
        .apply(&envelope(
            -500,
            11,
            "desk",
            Command::SelectForMeeting {
                registration: request(),
                meeting: later(),
                slot: None,
            },
        ))
        .expect("selected for the later meeting");
    assert_eq!(status(&replica), Status::Invited);
}

#[test]
fn two_members_moving_the_same_citizen_apart_end_by_the_servers_order() {
    let to_later = defer(-600, 10, Some(later()));
    let to_waiting = defer(-590, 11, None);
    let mut first = with_later_meeting(80);
    first.apply(&to_later).expect("moved");
    assert_eq!(first.apply(&to_waiting), Err(Rejection::NotSeatedThere));
    assert_eq!(status(&first), Status::Invited);
    let mut second = with_later_meeting(80);
    second.apply(&to_waiting).expect("deferred");
    assert_eq!(second.apply(&to_later), Err(Rejection::NotSeatedThere));
    assert_eq!(status(&second), Status::Deferred);
}

#[test]
fn a_move_that_cannot_be_made_changes_nothing() {
    // The later meeting is full.
    let replica = with_later_meeting(0);
    assert_eq!(
        replica.clone().apply(&defer(-600, 10, Some(later()))),
        Err(Rejection::MeetingFull)
    );
    // To the meeting it is at.
    assert_eq!(
        replica.clone().apply(&defer(-600, 10, Some(meeting()))),
        Err(Rejection::NotSeatedThere)
    );
    // From a meeting closed since.
    let mut closed = replica.clone();
    let Some(Record::Meeting(mut record)) = closed.get(&RecordKey::meeting(&meeting())).cloned()
    else {
        panic!("the meeting is there");
    };
    record.closed = Some(crate::sync::Closure {
        command: crate::sync::CommandId::new_v7(at(-700), [1; 10]),
        by: "screening6".into(),
        at: at(-700),
        no_shows: 0,
    });
    closed.put(Record::Meeting(record));
    assert_eq!(
        closed.apply(&defer(-600, 10, None)),
        Err(Rejection::AlreadyClosed)
    );
}
