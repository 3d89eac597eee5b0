//! Meeting day (DESIGN §2 step 5): a check-in moves the citizen's request
//! where the request is at hand (the server), a door device changes only
//! its roster, and walk-ins are checked with the registration's rules and
//! keep no more than the last digits of their numbers; request forms
//! edited on two devices keep both versions until someone chooses, and a
//! referral moves the request with the date it is due.

use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::district::DistrictId;
use crate::ids::{AttendeeId, MeetingId, RegistrationId};
use crate::jalali::JalaliDate;
use crate::meeting::{Meeting, MeetingPlan};
use crate::registration::{Status, TrackingCode};
use crate::sync::{
    Attendee, AttendeeKind, Command, LastDigits, MAX_FORM_PHOTOS, MAX_FORM_VERSIONS,
    MAX_PHOTO_BYTES, MeetingRecord, RegistrationRecord, Rejection, RequestForm, Review, Screening,
};

pub(super) fn at(minute: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 5, 6, 0, 0)
        .single()
        .expect("an instant")
        + chrono::TimeDelta::minutes(minute)
}

pub(super) fn meeting() -> MeetingId {
    "m1".into()
}

pub(super) fn request() -> RegistrationId {
    "r1".into()
}

pub(super) fn place() -> AttendeeId {
    AttendeeId::of_citizen(&meeting(), &request())
}

/// The server: a screened request and its meeting.
pub(super) fn server() -> Replica {
    let district = DistrictId::new(6).expect("district 6");
    let mut replica = Replica::new();
    replica.put(Record::Meeting(MeetingRecord::new(Meeting {
        id: meeting(),
        plan: MeetingPlan {
            district,
            starts_at: at(0),
            venue: "تالار".into(),
            capacity: 130,
            citizen_quota: 100,
            trustee_quota: 30,
        },
    })));
    replica.put(Record::Registration(RegistrationRecord {
        tracking_code: TrackingCode::from_random([4; 16]),
        district,
        description: "شرح محرمانه".into(),
        case_number: Some("6/1403/77".parse().expect("a case number")),
        status: Status::Screened,
        submitted_at: at(-10_000),
        review: Some(Review {
            case_files: vec!["6/1402/12".parse().expect("a case number")],
            note: String::new(),
            by: "review6".into(),
            at: at(-9_000),
        }),
        screening: Some(Screening {
            deputy: "services".parse().expect("a slug"),
            summary: "جمع‌آوری زباله".into(),
            priority: crate::screening::Priority::Normal,
            by: "screening6".into(),
            at: at(-8_000),
        }),
        rejection: None,
        shares_national_id: false,
        mobile_last4: LastDigits::parse("4567").ok(),
        national_id_last4: LastDigits::parse("0123").ok(),
        ..RegistrationRecord::sample(request().as_str(), "مریم کاظمی")
    }));
    let selected = envelope(
        -7_000,
        1,
        "desk",
        Command::SelectForMeeting {
            registration: request(),
            meeting: meeting(),
            slot: Some(at(30)),
        },
    );
    replica.apply(&selected).expect("selected");
    replica
}

pub(super) fn envelope(minute: i64, byte: u8, device: &str, command: Command) -> Envelope {
    Envelope {
        id: CommandId::new_v7(at(minute), [byte; 10]),
        device: device.into(),
        author: "field6".into(),
        made_at: at(minute),
        clock_offset_ms: 0,
        command,
    }
}

pub(super) fn check_in(minute: i64, byte: u8, device: &str) -> Envelope {
    envelope(
        minute,
        byte,
        device,
        Command::CheckIn {
            attendee: place(),
            door: device.into(),
        },
    )
}

pub(super) fn status(replica: &Replica) -> Status {
    match replica.get(&RecordKey::registration(&request())) {
        Some(Record::Registration(record)) => record.status,
        other => panic!("no request: {other:?}"),
    }
}

pub(super) fn roster_entry(replica: &Replica, id: &AttendeeId) -> Attendee {
    match replica.get(&RecordKey::attendee(id)) {
        Some(Record::Attendee(attendee)) => attendee.clone(),
        other => panic!("no roster entry: {other:?}"),
    }
}

#[test]
fn a_selected_citizens_roster_entry_carries_what_the_door_and_tables_need_and_no_more() {
    let replica = server();
    let entry = roster_entry(&replica, &place());
    assert_eq!(entry.slot, Some(at(30)));
    assert_eq!(entry.summary, "جمع‌آوری زباله");
    let files: Vec<&str> = entry.case_files.iter().map(|c| c.as_str()).collect();
    assert_eq!(files, ["6/1402/12", "6/1403/77"]);
    assert_eq!(
        entry.mobile_last4.as_ref().map(LastDigits::as_str),
        Some("4567")
    );
    let json = serde_json::to_string(&Record::Attendee(entry)).expect("serialises");
    assert!(
        !json.contains("شرح محرمانه"),
        "no description on the roster"
    );
}

#[test]
fn a_check_in_makes_the_request_attended_and_its_undo_takes_that_back() {
    let mut replica = server();
    assert_eq!(status(&replica), Status::Invited);
    let first = check_in(31, 2, "door-1");
    let effect = replica.apply(&first).expect("checked in");
    assert_eq!(effect.changes.len(), 2, "the roster and the request");
    assert_eq!(status(&replica), Status::Attended);
    // A second device's check-in of the same person is kept, and moves
    // nothing further.
    let second = check_in(33, 3, "door-2");
    assert_eq!(replica.apply(&second).expect("kept").changes.len(), 1);
    assert_eq!(roster_entry(&replica, &place()).check_ins.len(), 2);
    // Undoing one of two leaves the person present.
    let undo = |fact: &Envelope, byte| {
        envelope(
            40,
            byte,
            "door-1",
            Command::UndoCheckIn {
                attendee: place(),
                check_in: fact.id.clone(),
                reason: "اشتباه".into(),
            },
        )
    };
    replica.apply(&undo(&first, 4)).expect("undone");
    assert_eq!(status(&replica), Status::Attended);
    replica.apply(&undo(&second, 5)).expect("undone");
    assert_eq!(status(&replica), Status::Invited);
    assert!(roster_entry(&replica, &place()).present_since().is_none());
}

#[test]
fn a_door_device_without_the_request_changes_only_its_roster() {
    let server = server();
    let mut door = Replica::new();
    door.put(
        server
            .get(&RecordKey::meeting(&meeting()))
            .cloned()
            .expect("meeting"),
    );
    door.put(
        server
            .get(&RecordKey::attendee(&place()))
            .cloned()
            .expect("place"),
    );
    let effect = door.apply(&check_in(31, 2, "door-1")).expect("checked in");
    assert_eq!(effect.changes.len(), 1);
    assert!(matches!(effect.changes[0], Record::Attendee(_)));
}

#[test]
fn the_request_a_check_in_moves_is_read_after_the_roster_entry() {
    let replica = server();
    let command = check_in(31, 2, "door-1").command;
    assert_eq!(command.reads(), vec![RecordKey::attendee(&place())]);
    assert_eq!(
        command.reads_after(&replica),
        vec![RecordKey::registration(&request())]
    );
    assert!(command.reads_after(&Replica::new()).is_empty());
}

fn walk_in(byte: u8, kind: AttendeeKind, mobile: &str, national_id: &str) -> Envelope {
    envelope(
        35,
        byte,
        "door-1",
        Command::AddWalkIn {
            attendee: "w1".into(),
            meeting: meeting(),
            attendee_kind: kind,
            full_name: "حسن  رحیمی".into(),
            mobile: mobile.into(),
            national_id: national_id.into(),
            door: "در ۱".into(),
        },
    )
}

#[test]
fn a_walk_in_is_added_checked_in_and_keeps_only_the_last_digits() {
    let mut replica = server();
    let envelope = walk_in(7, AttendeeKind::Citizen, "۰۹۱۳ ۱۲۳ ۴۵۶۷", "0012345679");
    replica.apply(&envelope).expect("added");
    let entry = roster_entry(&replica, &"w1".into());
    assert!(entry.walk_in);
    assert_eq!(entry.full_name, "حسن رحیمی");
    assert_eq!(entry.district, DistrictId::new(6).expect("6"));
    assert!(
        entry.present_since().is_some(),
        "checked in in the same step"
    );
    let json = serde_json::to_string(&Record::Attendee(entry)).expect("serialises");
    assert!(json.contains("\"4567\"") && json.contains("\"5679\""));
    assert!(!json.contains("1234567") && !json.contains("0012345679"));
    // The same command applied again (a rebase before its answer) changes
    // nothing; another command claiming the same place is refused.
    let again = replica.apply(&envelope).expect("the same walk-in");
    assert_eq!(
        again.changes,
        vec![Record::Attendee(roster_entry(&replica, &"w1".into()))]
    );
    assert_eq!(
        replica.apply(&walk_in(8, AttendeeKind::Trustee, "09131234567", "")),
        Err(Rejection::IdTaken)
    );
}

#[test]
fn a_walk_in_is_checked_with_the_registration_rules() {
    let replica = server();
    let refused = |envelope: Envelope| apply(&replica, &envelope).err();
    assert_eq!(
        refused(walk_in(1, AttendeeKind::Trustee, "09131234567", "")),
        None,
        "a trustee may come without a national ID"
    );
    assert_eq!(
        refused(walk_in(2, AttendeeKind::Citizen, "09131234567", "")),
        Some(Rejection::BadNationalId)
    );
    assert_eq!(
        refused(walk_in(
            3,
            AttendeeKind::Citizen,
            "09131234567",
            "1111111111"
        )),
        Some(Rejection::BadNationalId)
    );
    assert_eq!(
        refused(walk_in(4, AttendeeKind::Trustee, "0913", "")),
        Some(Rejection::BadMobile)
    );
    let mut nameless = walk_in(5, AttendeeKind::Trustee, "09131234567", "");
    if let Command::AddWalkIn { full_name, .. } = &mut nameless.command {
        *full_name = "12".into();
    }
    assert_eq!(refused(nameless), Some(Rejection::BadName));
    let mut elsewhere = walk_in(6, AttendeeKind::Trustee, "09131234567", "");
    if let Command::AddWalkIn { meeting, .. } = &mut elsewhere.command {
        *meeting = "m2".into();
    }
    assert_eq!(refused(elsewhere), Some(Rejection::UnknownRecord));
}

pub(super) fn form_edit(
    minute: i64,
    byte: u8,
    device: &str,
    seen: &[&Envelope],
    referral: &str,
) -> Envelope {
    envelope(
        minute,
        byte,
        device,
        Command::RecordRequestForm {
            attendee: place(),
            seen: seen.iter().map(|e| e.id.clone()).collect(),
            asked: format!("آسفالت کوچه ({device})"),
            decision: "بررسی شود".into(),
            referral: referral.into(),
            answer: String::new(),
        },
    )
}

pub(super) fn form(replica: &Replica) -> RequestForm {
    match replica.get(&RecordKey::request_form(&place())) {
        Some(Record::RequestForm(form)) => form.clone(),
        other => panic!("no form: {other:?}"),
    }
}

pub(super) fn referral_of_request(replica: &Replica) -> Option<String> {
    match replica.get(&RecordKey::registration(&request())) {
        Some(Record::Registration(record)) => {
            record.referral.as_ref().map(|r| r.deputy.to_string())
        }
        other => panic!("no request: {other:?}"),
    }
}

#[test]
fn a_referral_moves_the_request_due_a_month_after_the_meeting() {
    let mut replica = server();
    replica
        .apply(&check_in(31, 2, "door-1"))
        .expect("checked in");
    let edit = form_edit(50, 3, "table-1", &[], "urban_planning");
    let effect = replica.apply(&edit).expect("recorded");
    assert_eq!(effect.changes.len(), 2, "the form and the request");
    assert_eq!(status(&replica), Status::Referred);
    let form = form(&replica);
    let referral = form.referral.expect("referred");
    assert_eq!(referral.deputy.as_str(), "urban_planning");
    assert_eq!(referral.at, at(50));
    // The meeting is on 14 Azar 1405 in Tehran: due 14 Dey.
    assert_eq!(referral.due, JalaliDate::new(1405, 10, 14).expect("a date"));
    assert_eq!(
        referral_of_request(&replica).as_deref(),
        Some("urban_planning")
    );
    // An edit that takes the referral out takes the request back.
    let second = form_edit(55, 4, "table-1", &[&edit], "");
    replica.apply(&second).expect("recorded");
    assert_eq!(status(&replica), Status::Attended);
    assert_eq!(referral_of_request(&replica), None);
}

#[test]
fn a_form_reached_before_the_check_in_still_refers_the_citizen_who_was_there() {
    let mut replica = server();
    replica
        .apply(&form_edit(50, 3, "table-1", &[], "services"))
        .expect("recorded");
    assert_eq!(status(&replica), Status::Referred);
    // The door's check-in arriving later leaves the referral alone.
    replica
        .apply(&check_in(31, 2, "door-1"))
        .expect("checked in");
    assert_eq!(status(&replica), Status::Referred);
}

#[test]
fn two_devices_editing_offline_keep_both_versions_until_someone_chooses() {
    let first = form_edit(50, 3, "table-1", &[], "services");
    let second = form_edit(51, 4, "table-2", &[], "urban_planning");
    let mut forward = server();
    forward.apply(&first).expect("recorded");
    assert_eq!(status(&forward), Status::Referred);
    forward.apply(&second).expect("kept beside the first");
    let mut backward = server();
    backward.apply(&second).expect("recorded");
    backward.apply(&first).expect("kept beside the second");
    assert_eq!(form(&forward).versions, form(&backward).versions);

    let conflicted = form(&forward);
    assert!(conflicted.is_conflicted());
    assert_eq!(conflicted.versions.len(), 2);
    assert_eq!(conflicted.settled(), None);
    assert_eq!(conflicted.devices().len(), 2);
    // Nobody is told of a referral still in dispute.
    assert_eq!(conflicted.referral, None);
    assert_eq!(status(&forward), Status::Attended);

    // An edit that saw only its own version leaves the other standing.
    let own_only = form_edit(52, 5, "table-1", &[&first], "services");
    forward.apply(&own_only).expect("recorded");
    let still = form(&forward);
    assert_eq!(
        still.standing(),
        vec![second.id.clone(), own_only.id.clone()],
        "the other device's version stands until someone sees it"
    );

    // Someone who sees both chooses: one version, the edit marked as the
    // resolution, and the referral settles.
    let chosen = form_edit(60, 6, "table-2", &[&second, &own_only], "urban_planning");
    forward.apply(&chosen).expect("resolved");
    let resolved = form(&forward);
    assert!(!resolved.is_conflicted());
    assert!(resolved.edits.last().expect("an edit").resolved);
    assert_eq!(resolved.edits.len(), 4);
    assert_eq!(
        referral_of_request(&forward).as_deref(),
        Some("urban_planning")
    );
    assert_eq!(status(&forward), Status::Referred);
}

#[test]
fn the_same_edit_applied_again_changes_nothing() {
    let mut replica = server();
    let edit = form_edit(50, 3, "table-1", &[], "services");
    replica.apply(&edit).expect("recorded");
    let once = replica.clone();
    replica.apply(&edit).expect("a replay");
    assert_eq!(replica, once);
}

#[test]
fn a_form_says_what_was_asked_and_bounds_its_versions() {
    let mut replica = server();
    let mut empty = form_edit(50, 3, "table-1", &[], "");
    if let Command::RecordRequestForm { asked, .. } = &mut empty.command {
        *asked = " \u{200C} ".into();
    }
    assert_eq!(replica.apply(&empty), Err(Rejection::AskedNeeded));
    let unknown = form_edit(50, 3, "table-1", &[], "Not A Slug");
    assert_eq!(replica.apply(&unknown), Err(Rejection::UnknownDeputy));
    for index in 0..MAX_FORM_VERSIONS {
        let byte = 10 + index as u8;
        replica
            .apply(&form_edit(50, byte, &format!("table-{index}"), &[], ""))
            .expect("a version");
    }
    assert_eq!(
        replica.apply(&form_edit(59, 99, "table-x", &[], "")),
        Err(Rejection::FormConflicted)
    );
    // Choosing among them is always possible.
    let standing = form(&replica).standing();
    let mut choice = form_edit(60, 100, "table-x", &[], "");
    if let Command::RecordRequestForm { seen, .. } = &mut choice.command {
        *seen = standing;
    }
    replica.apply(&choice).expect("resolved");
    assert_eq!(form(&replica).versions.len(), 1);
}

#[test]
fn a_table_device_without_the_request_changes_only_the_form() {
    let server = server();
    let mut table = Replica::new();
    for key in [
        RecordKey::meeting(&meeting()),
        RecordKey::attendee(&place()),
    ] {
        table.put(server.get(&key).cloned().expect("on the device"));
    }
    let edit = form_edit(50, 3, "table-1", &[], "services");
    assert_eq!(
        edit.command.reads_after(&server),
        vec![
            RecordKey::meeting(&meeting()),
            RecordKey::registration(&request())
        ]
    );
    let effect = table.apply(&edit).expect("recorded");
    assert_eq!(effect.changes.len(), 1);
    assert!(matches!(effect.changes[0], Record::RequestForm(_)));
}

fn photo(minute: i64, byte: u8, device: &str, id: &str, bytes: u32) -> Envelope {
    envelope(
        minute,
        byte,
        device,
        Command::AttachPhoto {
            attendee: place(),
            photo: id.into(),
            bytes,
        },
    )
}

fn photo_ids(replica: &Replica) -> Vec<String> {
    form(replica)
        .photos
        .iter()
        .map(|photo| photo.id.to_string())
        .collect()
}

#[test]
fn photos_from_two_devices_are_all_kept_in_any_order_beside_the_forms_texts() {
    let first = photo(40, 3, "table-1", "p1", 200_000);
    let second = photo(41, 4, "table-2", "p2", 300_000);
    let edit = form_edit(42, 5, "table-1", &[], "services");
    let mut forward = server();
    for envelope in [&first, &edit, &second] {
        forward.apply(envelope).expect("applied");
    }
    let mut backward = server();
    for envelope in [&second, &first, &edit] {
        backward.apply(envelope).expect("applied");
    }
    assert_eq!(form(&forward), form(&backward));
    assert_eq!(photo_ids(&forward), ["p1", "p2"]);
    assert_eq!(form(&forward).versions.len(), 1, "photos are not versions");
    assert_eq!(form(&forward).photos[1].device.as_str(), "table-2");

    let once = forward.clone();
    forward.apply(&first).expect("a replay");
    assert_eq!(
        forward, once,
        "the same photo attached again changes nothing"
    );

    let detach = |minute, byte, id: &str| {
        envelope(
            minute,
            byte,
            "table-1",
            Command::DetachPhoto {
                attendee: place(),
                photo: id.into(),
            },
        )
    };
    forward.apply(&detach(50, 6, "p1")).expect("removed");
    assert_eq!(photo_ids(&forward), ["p2"]);
    forward.apply(&detach(51, 7, "p1")).expect("already gone");
    assert_eq!(photo_ids(&forward), ["p2"]);
    assert_eq!(form(&forward).versions.len(), 1, "the texts stay");
}

#[test]
fn a_form_takes_a_bounded_number_of_photos_of_a_bounded_size() {
    let mut replica = server();
    for n in 0..MAX_FORM_PHOTOS {
        let byte = u8::try_from(n).expect("a few") + 10;
        replica
            .apply(&photo(40, byte, "table-1", &format!("p{n}"), 1000))
            .expect("attached");
    }
    let refused = |envelope: Envelope| apply(&replica, &envelope).err();
    assert_eq!(
        refused(photo(41, 1, "table-1", "one-more", 1000)),
        Some(Rejection::TooManyPhotos)
    );
    let fresh = server();
    let refused = |envelope: Envelope| apply(&fresh, &envelope).err();
    assert_eq!(
        refused(photo(41, 1, "table-1", "big", MAX_PHOTO_BYTES + 1)),
        Some(Rejection::PhotoTooLarge)
    );
    assert_eq!(
        refused(photo(41, 1, "table-1", "empty", 0)),
        Some(Rejection::PhotoTooLarge)
    );
    assert_eq!(
        refused(photo(41, 1, "table-1", "fine", MAX_PHOTO_BYTES)),
        None
    );
    let mut elsewhere = photo(41, 2, "table-1", "p", 1000);
    if let Command::AttachPhoto { attendee, .. } = &mut elsewhere.command {
        *attendee = "nobody".into();
    }
    assert_eq!(refused(elsewhere), Some(Rejection::UnknownRecord));
}

fn closing(minute: i64, byte: u8, absent: Vec<AttendeeId>) -> Envelope {
    envelope(
        minute,
        byte,
        "committee",
        Command::CloseMeeting {
            meeting: meeting(),
            absent,
        },
    )
}

fn closure(replica: &Replica) -> Option<crate::sync::Closure> {
    match replica.get(&RecordKey::meeting(&meeting())) {
        Some(Record::Meeting(record)) => record.closed.clone(),
        other => panic!("no meeting: {other:?}"),
    }
}

#[test]
fn closing_the_meeting_makes_the_absent_no_shows_and_a_late_check_in_corrects_it() {
    let mut replica = server();
    let close = closing(300, 9, vec![place(), "m1:unknown".into()]);
    replica.apply(&close).expect("closed");
    assert_eq!(status(&replica), Status::NoShow);
    assert_eq!(closure(&replica).map(|c| c.no_shows), Some(1));
    // A replay changes nothing; another closing is refused.
    let closed = replica.clone();
    replica.apply(&close).expect("a replay");
    assert_eq!(replica, closed);
    assert_eq!(
        replica.apply(&closing(301, 10, Vec::new())),
        Err(Rejection::AlreadyClosed)
    );
    // A door device's check-in reaches the server after the closing: the
    // citizen came after all.
    replica
        .apply(&check_in(31, 2, "door-1"))
        .expect("checked in");
    assert_eq!(status(&replica), Status::Attended);
}

#[test]
fn someone_checked_in_since_the_list_was_made_is_not_a_no_show() {
    let mut replica = server();
    replica
        .apply(&check_in(31, 2, "door-1"))
        .expect("checked in");
    replica
        .apply(&closing(300, 9, vec![place()]))
        .expect("closed");
    assert_eq!(status(&replica), Status::Attended);
    assert_eq!(closure(&replica).map(|c| c.no_shows), Some(0));
}
