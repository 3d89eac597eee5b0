//! Trustees invited from the district's list (issue 13): within the
//! meeting's trustees' quota wherever the invitations are applied, once
//! each, and never from another district's list.

use super::meeting_day_tests::{at, envelope, meeting, roster_entry, server};
use super::*;
use crate::district::DistrictId;
use crate::ids::{AttendeeId, TrusteeId};
use crate::sync::{AttendeeKind, Command, LastDigits, Rejection};
use crate::trustees::Trustee;

fn listed(id: &str, district: u8) -> Record {
    Record::Trustee(Trustee {
        id: id.into(),
        district: DistrictId::new(district).expect("a district"),
        full_name: format!("معتمد {id}"),
        mobile_last4: LastDigits::parse("4567").expect("digits"),
        neighbourhood: "جلفا".into(),
        group: "شورایاری".into(),
    })
}

/// The server with trustees t1–t3 of district 6 and t9 of district 7 on
/// the lists, and meeting m1's trustees' quota set to `quota`.
fn with_trustees(quota: u16) -> Replica {
    let mut replica = server();
    for (id, district) in [("t1", 6), ("t2", 6), ("t3", 6), ("t9", 7)] {
        replica.put(listed(id, district));
    }
    let Some(Record::Meeting(mut record)) = replica.get(&RecordKey::meeting(&meeting())).cloned()
    else {
        panic!("the meeting is there");
    };
    record.meeting.plan.trustee_quota = quota;
    replica.put(Record::Meeting(record));
    replica
}

fn invite(minute: i64, byte: u8, trustee: &str) -> Envelope {
    envelope(
        minute,
        byte,
        "desk",
        Command::InviteTrustee {
            trustee: trustee.into(),
            meeting: meeting(),
            slot: Some(at(30)),
        },
    )
}

fn invited(replica: &Replica) -> Vec<TrusteeId> {
    match replica.get(&RecordKey::meeting(&meeting())) {
        Some(Record::Meeting(record)) => record.trustees.clone(),
        other => panic!("no meeting: {other:?}"),
    }
}

#[test]
fn an_invited_trustee_gets_a_place_on_the_roster_once() {
    let mut replica = with_trustees(2);
    replica.apply(&invite(-600, 10, "t1")).expect("invited");
    let place = roster_entry(&replica, &AttendeeId::of_trustee(&meeting(), &"t1".into()));
    assert_eq!(place.attendee_kind, AttendeeKind::Trustee);
    assert_eq!(place.trustee, Some("t1".into()));
    assert_eq!(place.summary, "جلفا — شورایاری");
    assert_eq!(
        place.mobile_last4.as_ref().map(LastDigits::as_str),
        Some("4567")
    );
    assert_eq!(place.slot, Some(at(30)));
    // Invited again (another member, or a new slot): still one place.
    replica.apply(&invite(-500, 11, "t1")).expect("again");
    assert_eq!(invited(&replica), ["t1".into()]);
}

#[test]
fn the_trustees_quota_holds_whoever_invites_first() {
    let mut replica = with_trustees(2);
    replica.apply(&invite(-600, 10, "t1")).expect("invited");
    replica.apply(&invite(-590, 11, "t2")).expect("invited");
    assert_eq!(
        replica.apply(&invite(-580, 12, "t3")),
        Err(Rejection::TrusteesFull)
    );
    assert_eq!(invited(&replica).len(), 2);
    // Another district's trustee is not this meeting's to invite.
    let mut roomy = with_trustees(30);
    assert_eq!(
        roomy.apply(&invite(-600, 10, "t9")),
        Err(Rejection::OtherDistrict)
    );
    assert_eq!(
        roomy.apply(&invite(-600, 10, "t404")),
        Err(Rejection::UnknownRecord)
    );
}

#[test]
fn a_cancelled_invitation_frees_the_place_for_another_and_can_be_renewed() {
    let mut replica = with_trustees(1);
    replica.apply(&invite(-600, 10, "t1")).expect("invited");
    let cancel = |minute, byte, trustee: &str| {
        envelope(
            minute,
            byte,
            "desk",
            Command::UninviteTrustee {
                trustee: trustee.into(),
                meeting: meeting(),
            },
        )
    };
    replica.apply(&cancel(-590, 11, "t1")).expect("cancelled");
    assert!(invited(&replica).is_empty());
    let place = roster_entry(&replica, &AttendeeId::of_trustee(&meeting(), &"t1".into()));
    assert_eq!(
        place.released.map(|r| r.reason),
        Some(crate::sync::ReleaseReason::Uninvited)
    );
    // Twice, or someone never invited: refused, said.
    assert_eq!(
        replica.apply(&cancel(-580, 12, "t1")),
        Err(Rejection::NotInvited)
    );
    assert_eq!(
        replica.apply(&cancel(-580, 13, "t2")),
        Err(Rejection::NotInvited)
    );
    // The place goes to another; the first, invited again, finds it full.
    replica.apply(&invite(-570, 14, "t2")).expect("invited");
    assert_eq!(
        replica.apply(&invite(-560, 15, "t1")),
        Err(Rejection::TrusteesFull)
    );
    replica.apply(&cancel(-550, 16, "t2")).expect("cancelled");
    replica
        .apply(&invite(-540, 17, "t1"))
        .expect("invited again");
    let renewed = roster_entry(&replica, &AttendeeId::of_trustee(&meeting(), &"t1".into()));
    assert!(renewed.expected());
}
