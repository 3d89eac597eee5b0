//! Meeting day over HTTP (issue 12): field staff pull the rosters of the
//! meetings they are assigned to and nothing else, check in and add
//! walk-ins only there, and a roster leaves their devices when they are
//! taken off the meeting or it ages out. At the tables, a request form's
//! referral reaches the citizen's lookup, two devices' versions of one
//! form both reach the server, and the district manager reads the forms
//! and the photos of documents on them.

use std::collections::BTreeMap;

use chrono::TimeDelta;
use domain::auth::Role;
use domain::ids::UserId;
use domain::meeting::MeetingStaff;
use domain::sync::{
    AttendeeKind, Command, Envelope, Outcome, Record, RecordKey, RecordKind, Rejection,
};
use serde_json::json;

use crate::helpers::{Session, TestApp, fields_of, grant, id, sunday_noon};
use crate::sync::{
    PASSWORD, app, envelope, pull_all, pull_page, push, register, review, stored_status,
};

/// Makes `usernames` the meeting's field staff, as an administrator does.
pub async fn assign(app: &TestApp, admin: &Session, meeting: &str, usernames: &[&str]) {
    let mut users: Vec<UserId> = Vec::new();
    for username in usernames {
        users.push(user_id(app, username).await);
    }
    let answer: MeetingStaff = app
        .put(
            &format!("/api/admin/meetings/{meeting}/staff"),
            &MeetingStaff { users },
        )
        .by(admin)
        .await
        .good()
        .await;
    assert_eq!(answer.users.len(), usernames.len());
}

async fn user_id(app: &TestApp, username: &str) -> UserId {
    let id: String = sqlx::query_scalar("SELECT id FROM users WHERE username = ?")
        .bind(username)
        .fetch_one(&app.db().await)
        .await
        .expect("a user");
    crate::helpers::id(&id)
}

/// A meeting of district 6 tomorrow, with citizen `n` selected for it;
/// returns the meeting's and the request's ids.
pub async fn meeting_with_citizen(app: &TestApp, admin: &Session, n: u32) -> (String, String) {
    let meeting: serde_json::Value = app
        .post("/api/admin/meetings", &meeting_plan(100))
        .by(admin)
        .await
        .good()
        .await;
    let meeting = meeting["id"].as_str().expect("meeting id").to_string();
    let (request, outcomes) = select_citizen(app, &meeting, n).await;
    assert_eq!(outcomes, [Outcome::Applied, Outcome::Applied]);
    (meeting, request)
}

/// District 6's meeting tomorrow, with places for `citizens`.
fn meeting_plan(citizens: u16) -> serde_json::Value {
    json!({
        "district": 6, "starts_at": (sunday_noon() + TimeDelta::days(1)).to_rfc3339(),
        "venue": "تالار منطقهٔ ۶", "capacity": 150, "citizen_quota": citizens, "trustee_quota": 30
    })
}

/// Citizen `n` registers, is reviewed, and the screening committee routes
/// the request and selects it for `meeting`: the request's id and the
/// outcomes of the screening and the selection.
async fn select_citizen(app: &TestApp, meeting: &str, n: u32) -> (String, Vec<Outcome>) {
    let request = register(app, n, 6).await;
    let review6 = app.session("review6", PASSWORD).await;
    push(app, &review6, &[envelope(&review6, review(&request, ""))]).await;
    let screening = app.session("screening6", PASSWORD).await;
    let outcomes = push(
        app,
        &screening,
        &[
            envelope(
                &screening,
                Command::ScreenRegistration {
                    registration: id(&request),
                    deputy: "services".into(),
                    summary: "روشنایی معابر".into(),
                    priority: domain::screening::Priority::Normal,
                },
            ),
            envelope(
                &screening,
                Command::SelectForMeeting {
                    registration: id(&request),
                    meeting: id(meeting),
                    slot: Some(sunday_noon() + TimeDelta::days(1)),
                },
            ),
        ],
    )
    .await;
    (request, outcomes)
}

#[tokio::test]
async fn an_invited_citizen_reads_the_meetings_day_place_and_slot_as_they_are_now() {
    let (app, admin) = meeting_day().await;
    let (meeting, request) = meeting_with_citizen(&app, &admin, 1).await;
    let lookup = citizens_lookup(&app, &request).await;
    assert_eq!(lookup["status"], "invited");
    // The slot the committee gave: the meeting's start, tomorrow.
    let tomorrow = sunday_noon() + TimeDelta::days(1);
    let at = |lookup: &serde_json::Value| {
        domain::time::wire::parse_instant(lookup["invitation"]["at"].as_str().unwrap_or_default())
    };
    assert_eq!(at(&lookup), Some(tomorrow));
    // As stored: typed digits are kept in Latin form, shown in the
    // reader's language by the page.
    assert_eq!(lookup["invitation"]["venue"], "تالار منطقهٔ 6");
    // Moved to another hall a day later: the citizen reads the new day and
    // place (the old slot no longer holds).
    let moved = json!({
        "district": 6, "starts_at": (tomorrow + TimeDelta::days(1)).to_rfc3339(),
        "venue": "فرهنگسرای خورشید", "capacity": 150, "citizen_quota": 100, "trustee_quota": 30
    });
    app.put(&format!("/api/admin/meetings/{meeting}"), &moved)
        .by(&admin)
        .await
        .good::<serde_json::Value>()
        .await;
    let lookup = citizens_lookup(&app, &request).await;
    assert_eq!(lookup["invitation"]["venue"], "فرهنگسرای خورشید");
    assert_eq!(at(&lookup), Some(tomorrow + TimeDelta::days(1)));
}

#[tokio::test]
async fn a_meeting_seats_as_many_citizens_as_its_quota_and_its_quota_stays_above_them() {
    let (app, admin) = meeting_day().await;
    let (meeting, _) = meeting_with_citizen(&app, &admin, 1).await;
    let (_, outcomes) = select_citizen(&app, &meeting, 2).await;
    assert_eq!(outcomes, [Outcome::Applied, Outcome::Applied]);
    let path = format!("/api/admin/meetings/{meeting}");
    // Two citizens have places: the quota may not fall to one.
    let error = app
        .put(&path, &meeting_plan(1))
        .by(&admin)
        .await
        .refused(422, "invalid_input")
        .await;
    assert_eq!(error["fields"][0]["field"], "citizen_quota");
    assert_eq!(error["fields"][0]["code"], "meeting.quota_below_seated");
    app.put(&path, &meeting_plan(2))
        .by(&admin)
        .await
        .good::<serde_json::Value>()
        .await;
    // The meeting is full: a third selection is refused and the request
    // waits, screened, for another meeting.
    let (third, outcomes) = select_citizen(&app, &meeting, 3).await;
    assert_eq!(
        outcomes,
        [Outcome::Applied, Outcome::rejected(Rejection::MeetingFull)]
    );
    assert_eq!(stored_status(&app.db().await, &third).await, "screened");
}

pub async fn meeting_day() -> (TestApp, Session) {
    let app = app().await;
    app.create_user(
        "screening6",
        PASSWORD,
        &[grant(Role::ScreeningCommittee, Some(6))],
    )
    .await;
    let admin = app.session("admin", PASSWORD).await;
    (app, admin)
}

pub fn attendee_of(
    records: &BTreeMap<RecordKey, Record>,
    meeting: &str,
) -> Option<domain::sync::Attendee> {
    records.values().find_map(|record| match record {
        Record::Attendee(attendee) if attendee.meeting.as_str() == meeting => {
            Some(attendee.clone())
        }
        _ => None,
    })
}

/// A meeting with one selected citizen, `field6` assigned to it, and
/// `field6`'s door device holding its roster.
pub struct Door {
    pub app: TestApp,
    pub admin: Session,
    pub meeting: String,
    pub request: String,
    pub door: Session,
    pub entry: domain::sync::Attendee,
}

pub async fn at_the_door() -> Door {
    let (app, admin) = meeting_day().await;
    let (meeting, request) = meeting_with_citizen(&app, &admin, 1).await;
    assign(&app, &admin, &meeting, &["field6"]).await;
    let door = app.session("field6", PASSWORD).await;
    let mut device = BTreeMap::new();
    pull_all(&app, &door, "", 100, &mut device).await;
    let entry = attendee_of(&device, &meeting).expect("on the roster");
    Door {
        app,
        admin,
        meeting,
        request,
        door,
        entry,
    }
}

pub fn check_in_of(entry: &domain::sync::Attendee) -> Command {
    Command::CheckIn {
        attendee: entry.id.clone(),
        door: "در ۱".into(),
    }
}

#[tokio::test]
async fn field_staff_read_only_the_rosters_of_their_meetings_and_only_what_the_door_needs() {
    let (app, admin) = meeting_day().await;
    let (ours, _) = meeting_with_citizen(&app, &admin, 1).await;
    let (other, _) = meeting_with_citizen(&app, &admin, 2).await;
    let door = app.session("field6", PASSWORD).await;
    let mut device = BTreeMap::new();
    pull_all(&app, &door, "", 100, &mut device).await;
    assert!(
        device.is_empty(),
        "assigned nowhere yet: nothing, not the district's rosters"
    );

    assign(&app, &admin, &ours, &["field6"]).await;
    let page = pull_page(&app, &door, "", 100).await;
    let text = serde_json::to_string(&page).expect("serialises");
    for change in &page.changes {
        let record = change.record.as_ref().expect("a record");
        assert_eq!(
            record.meeting().map(|m| m.as_str()),
            Some(ours.as_str()),
            "{:?}",
            change.key
        );
    }
    assert_eq!(page.changes.len(), 2, "the meeting and its one citizen");
    // No description, no full mobile or national ID on a door device.
    assert!(
        !text.contains("شرح درخواست") && !text.contains("+98913"),
        "{text}"
    );
    let entry = page
        .changes
        .iter()
        .find_map(|c| match &c.record {
            Some(Record::Attendee(attendee)) => Some(attendee.clone()),
            _ => None,
        })
        .expect("the roster entry");
    assert_eq!(entry.summary, "روشنایی معابر");
    assert_eq!(
        entry.mobile_last4.as_ref().map(|d| d.as_str().len()),
        Some(4)
    );
    assert_eq!(
        entry.national_id_last4.as_ref().map(|d| d.as_str().len()),
        Some(4)
    );

    // Another meeting of the same district stays out of reach, for
    // reading and for checking in.
    let others_entry = {
        let screening = app.session("screening6", PASSWORD).await;
        let mut all = BTreeMap::new();
        pull_all(&app, &screening, "", 100, &mut all).await;
        attendee_of(&all, &other).expect("the screening committee sees both")
    };
    let check_in = Command::CheckIn {
        attendee: others_entry.id.clone(),
        door: "در ۱".into(),
    };
    assert_eq!(
        push(&app, &door, &[envelope(&door, check_in)]).await,
        [Outcome::rejected(Rejection::NotPermitted)]
    );
}

#[tokio::test]
async fn a_roster_leaves_the_device_when_its_user_is_taken_off_or_the_meeting_is_long_past() {
    let (app, admin) = meeting_day().await;
    let (meeting, _) = meeting_with_citizen(&app, &admin, 1).await;
    assign(&app, &admin, &meeting, &["field6"]).await;
    let door = app.session("field6", PASSWORD).await;
    let mut device = BTreeMap::new();
    let (cursor, _) = pull_all(&app, &door, "", 100, &mut device).await;
    assert_eq!(device.len(), 2);

    assign(&app, &admin, &meeting, &[]).await;
    let page = pull_page(&app, &door, &cursor, 100).await;
    assert!(
        page.reset && page.changes.is_empty(),
        "the device replaces its copy with nothing"
    );

    assign(&app, &admin, &meeting, &["field6"]).await;
    let (cursor, _) = pull_all(&app, &door, &cursor, 100, &mut device).await;
    assert_eq!(device.len(), 2, "assigned again: the roster comes back");
    // Three days after the meeting (the default keeps 48 hours).
    app.clock.advance(TimeDelta::days(4));
    let door = app.session("field6", PASSWORD).await;
    let page = pull_page(&app, &door, &cursor, 100).await;
    assert!(page.reset && page.changes.is_empty());
}

#[tokio::test]
async fn work_done_while_assigned_stands_after_its_author_is_taken_off_the_meeting() {
    let Door {
        app,
        admin,
        meeting,
        request,
        door,
        entry,
    } = at_the_door().await;
    // Checked in offline at noon; taken off the meeting a minute later,
    // before the device came back online.
    let check_in = envelope(&door, check_in_of(&entry));
    app.clock.advance(TimeDelta::minutes(1));
    assign(&app, &admin, &meeting, &[]).await;
    app.clock.advance(TimeDelta::minutes(1));
    assert_eq!(push(&app, &door, &[check_in]).await, [Outcome::Applied]);
    assert_eq!(stored_status(&app.db().await, &request).await, "attended");
    // What they do after being taken off is not accepted.
    let mut later = envelope(&door, check_in_of(&entry));
    later.made_at = app.clock.now();
    assert_eq!(
        push(&app, &door, &[later]).await,
        [Outcome::rejected(Rejection::NotPermitted)]
    );
}

#[tokio::test]
async fn a_check_in_makes_the_citizen_attended_and_its_undo_takes_that_back() {
    let Door {
        app,
        request,
        door,
        entry,
        ..
    } = at_the_door().await;
    let check_in = envelope(&door, check_in_of(&entry));
    assert_eq!(
        push(&app, &door, std::slice::from_ref(&check_in)).await,
        [Outcome::Applied]
    );
    assert_eq!(stored_status(&app.db().await, &request).await, "attended");
    let undo = envelope(
        &door,
        Command::UndoCheckIn {
            attendee: entry.id,
            check_in: check_in.id,
            reason: "نفر دیگری بود".into(),
        },
    );
    assert_eq!(push(&app, &door, &[undo]).await, [Outcome::Applied]);
    assert_eq!(stored_status(&app.db().await, &request).await, "invited");
}

#[tokio::test]
async fn a_walk_in_is_added_at_the_door_and_reaches_the_other_devices_of_the_meeting() {
    let (app, admin) = meeting_day().await;
    let (meeting, _) = meeting_with_citizen(&app, &admin, 1).await;
    app.create_user("field6b", PASSWORD, &[grant(Role::FieldStaff, Some(6))])
        .await;
    assign(&app, &admin, &meeting, &["field6", "field6b"]).await;
    let door1 = app.session("field6", PASSWORD).await;
    let door2 = app.session("field6b", PASSWORD).await;
    let walk_in = |kind, national_id: &str| Command::AddWalkIn {
        attendee: domain::ids::AttendeeId::new_v7(sunday_noon(), rand_bytes()),
        meeting: id(&meeting),
        attendee_kind: kind,
        full_name: "حسن رحیمی".into(),
        mobile: "09131239876".into(),
        national_id: national_id.into(),
        door: "در ۱".into(),
    };
    assert_eq!(
        push(
            &app,
            &door1,
            &[envelope(&door1, walk_in(AttendeeKind::Citizen, ""))]
        )
        .await,
        [Outcome::rejected(Rejection::BadNationalId)],
        "a citizen walk-in gives a national ID"
    );
    assert_eq!(
        push(
            &app,
            &door1,
            &[envelope(&door1, walk_in(AttendeeKind::Trustee, ""))]
        )
        .await,
        [Outcome::Applied]
    );
    let mut device2 = BTreeMap::new();
    pull_all(&app, &door2, "", 100, &mut device2).await;
    let walk_ins: Vec<_> = device2
        .values()
        .filter_map(|record| match record {
            Record::Attendee(attendee) if attendee.walk_in => Some(attendee.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(walk_ins.len(), 1);
    assert_eq!(
        walk_ins[0].mobile_last4.as_ref().map(|d| d.as_str()),
        Some("9876")
    );
    assert!(
        walk_ins[0].present_since().is_some(),
        "checked in in the same step"
    );
    let text = serde_json::to_string(&walk_ins[0]).expect("serialises");
    assert!(!text.contains("09131239876") && !text.contains("+989131239876"));
}

#[tokio::test]
async fn only_active_field_staff_of_the_meetings_district_can_be_assigned() {
    let (app, admin) = meeting_day().await;
    let (meeting, _) = meeting_with_citizen(&app, &admin, 1).await;
    app.create_user("field7", PASSWORD, &[grant(Role::FieldStaff, Some(7))])
        .await;
    for username in ["review6", "field7"] {
        let users = vec![user_id(&app, username).await];
        let error = app
            .put(
                &format!("/api/admin/meetings/{meeting}/staff"),
                &MeetingStaff { users },
            )
            .by(&admin)
            .await
            .refused(422, "invalid_input")
            .await;
        assert_eq!(fields_of(&error), ["users"], "{username}");
    }
    let field6 = app.session("field6", PASSWORD).await;
    let users = vec![user_id(&app, "field6").await];
    app.put(
        &format!("/api/admin/meetings/{meeting}/staff"),
        &MeetingStaff { users },
    )
    .by(&field6)
    .await
    .refused(403, "auth.not_permitted")
    .await;
    let listed: MeetingStaff = app
        .get(&format!("/api/admin/meetings/{meeting}/staff"))
        .by(&admin)
        .await
        .good()
        .await;
    assert!(listed.users.is_empty());
}

fn rand_bytes() -> [u8; 10] {
    let mut bytes = [0u8; 10];
    bytes.copy_from_slice(&uuid::Uuid::new_v4().as_bytes()[..10]);
    bytes
}

pub fn form_of(entry: &domain::sync::Attendee, seen: &[&Envelope], referral: &str) -> Command {
    Command::RecordRequestForm {
        attendee: entry.id.clone(),
        seen: seen.iter().map(|e| e.id.clone()).collect(),
        asked: "روشنایی کوچهٔ بن‌بست".into(),
        decision: "ارجاع به معاونت".into(),
        referral: referral.into(),
        answer: String::new(),
    }
}

/// What the citizen reads at `/track` for request `id`.
pub async fn citizens_lookup(app: &TestApp, id: &str) -> serde_json::Value {
    let (code, mobile): (String, String) =
        sqlx::query_as("SELECT tracking_code, mobile FROM registrations WHERE id = ?")
            .bind(id)
            .fetch_one(&app.db().await)
            .await
            .expect("the request");
    let answer = app
        .post(
            "/api/registrations/lookup",
            &json!({ "tracking_code": code, "mobile": mobile.replace("+98", "0") }),
        )
        .await;
    assert_eq!(answer.status(), 200);
    answer.good().await
}

#[tokio::test]
async fn a_referral_at_the_table_reaches_the_citizens_lookup_with_its_deputy() {
    let Door {
        app,
        request,
        door,
        entry,
        ..
    } = at_the_door().await;
    let unknown = envelope(&door, form_of(&entry, &[], "space_travel"));
    assert_eq!(
        push(&app, &door, &[unknown]).await,
        [Outcome::rejected(Rejection::UnknownDeputy)]
    );
    let check_in = envelope(&door, check_in_of(&entry));
    let form = envelope(&door, form_of(&entry, &[], "urban_planning"));
    assert_eq!(
        push(&app, &door, &[check_in, form]).await,
        [Outcome::Applied, Outcome::Applied]
    );
    assert_eq!(stored_status(&app.db().await, &request).await, "referred");
    let lookup = citizens_lookup(&app, &request).await;
    assert_eq!(lookup["status"], "referred");
    let said = lookup["referral"]["fa"].as_str().expect("in Persian");
    assert!(
        said.starts_with("در دیدار، به معاونت شهرسازی و معماری ارجاع شد ("),
        "{said}"
    );
    assert!(
        lookup["referral"]["en"]
            .as_str()
            .is_some_and(|en| en
                .starts_with("At the meeting, referred to Urban planning and architecture (")),
        "{lookup}"
    );
}

#[tokio::test]
async fn two_tables_versions_of_one_form_both_reach_the_server_and_the_district_manager() {
    let Door {
        app,
        request,
        door,
        entry,
        ..
    } = at_the_door().await;
    // A second device of the same meeting, offline like the first.
    let table = app.session("field6", PASSWORD).await;
    let first = envelope(&door, form_of(&entry, &[], "services"));
    let second = envelope(&table, form_of(&entry, &[], "transport"));
    assert_eq!(
        push(&app, &door, std::slice::from_ref(&first)).await,
        [Outcome::Applied]
    );
    assert_eq!(stored_status(&app.db().await, &request).await, "referred");
    assert_eq!(
        push(&app, &table, std::slice::from_ref(&second)).await,
        [Outcome::Applied]
    );
    // The versions disagree: the citizen is not told either referral.
    assert_eq!(stored_status(&app.db().await, &request).await, "attended");
    assert!(citizens_lookup(&app, &request).await["referral"].is_null());

    app.create_user(
        "manager6",
        PASSWORD,
        &[grant(Role::DistrictManager, Some(6))],
    )
    .await;
    let manager = app.session("manager6", PASSWORD).await;
    let mut read = BTreeMap::new();
    pull_all(&app, &manager, "", 100, &mut read).await;
    let kinds: Vec<RecordKind> = read.keys().map(|key| key.kind).collect();
    assert_eq!(
        kinds,
        [RecordKind::RequestForm],
        "the forms, not the requests"
    );
    let Some(Record::RequestForm(form)) = read.values().next() else {
        panic!("a form");
    };
    let mut both = [first.id.clone(), second.id.clone()];
    both.sort();
    assert_eq!(
        form.standing(),
        both,
        "made at the same time: ordered by id"
    );

    // Someone who saw both chooses; the referral settles.
    let chosen = envelope(&table, form_of(&entry, &[&first, &second], "transport"));
    assert_eq!(push(&app, &table, &[chosen]).await, [Outcome::Applied]);
    assert_eq!(stored_status(&app.db().await, &request).await, "referred");
    let said = citizens_lookup(&app, &request).await["referral"]["fa"].clone();
    assert!(
        said.as_str()
            .is_some_and(|fa| fa.contains("معاونت حمل‌ونقل و ترافیک")),
        "{said}"
    );
}

#[tokio::test]
async fn closing_the_meeting_makes_the_absent_no_shows_for_the_committee_or_an_administrator() {
    let Door {
        app,
        admin,
        meeting,
        request,
        door,
        entry,
    } = at_the_door().await;
    let close = |session: &Session| {
        envelope(
            session,
            Command::CloseMeeting {
                meeting: id(&meeting),
                absent: vec![entry.id.clone()],
            },
        )
    };
    assert_eq!(
        push(&app, &door, &[close(&door)]).await,
        [Outcome::rejected(Rejection::NotPermitted)],
        "field staff do not close meetings"
    );
    assert_eq!(
        push(&app, &admin, &[close(&admin)]).await,
        [Outcome::Applied]
    );
    assert_eq!(stored_status(&app.db().await, &request).await, "no_show");
    assert_eq!(citizens_lookup(&app, &request).await["status"], "no_show");
    let screening = app.session("screening6", PASSWORD).await;
    assert_eq!(
        push(&app, &screening, &[close(&screening)]).await,
        [Outcome::rejected(Rejection::AlreadyClosed)]
    );
    // The door's check-in, synced late, corrects it.
    let late = envelope(&door, check_in_of(&entry));
    assert_eq!(push(&app, &door, &[late]).await, [Outcome::Applied]);
    assert_eq!(stored_status(&app.db().await, &request).await, "attended");
    // An administrator revising the meeting keeps it closed.
    let revised = json!({
        "district": 6, "starts_at": (sunday_noon() + TimeDelta::days(1)).to_rfc3339(),
        "venue": "فرهنگسرای خورشید", "capacity": 150, "citizen_quota": 100, "trustee_quota": 30
    });
    let answer = app
        .put(&format!("/api/admin/meetings/{meeting}"), &revised)
        .by(&admin)
        .await;
    assert_eq!(answer.status(), 200);
    let mut all = BTreeMap::new();
    pull_all(&app, &door, "", 100, &mut all).await;
    let Some(Record::Meeting(record)) = all.values().find(|r| matches!(r, Record::Meeting(_)))
    else {
        panic!("the meeting on the door device");
    };
    assert_eq!(record.meeting.plan.venue, "فرهنگسرای خورشید");
    assert_eq!(record.closed.as_ref().map(|c| c.no_shows), Some(1));
}

/// A JPEG's first bytes and then `size` bytes more: the server checks the
/// start, not the picture.
fn jpeg(size: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..size).map(|n| (n % 251) as u8));
    bytes
}

async fn upload(
    app: &TestApp,
    session: &Session,
    photo: &str,
    attendee: &str,
    body: Vec<u8>,
) -> crate::helpers::Answer {
    app.call(
        reqwest::Method::PUT,
        &format!("/api/photos/{photo}?attendee={attendee}"),
    )
    .by(session)
    .body("image/jpeg", body)
    .await
}

fn attach(entry: &domain::sync::Attendee, photo: &str, bytes: usize) -> Command {
    Command::AttachPhoto {
        attendee: entry.id.clone(),
        photo: id(photo),
        bytes: u32::try_from(bytes).expect("small"),
    }
}

#[tokio::test]
async fn a_photo_reaches_the_form_only_once_uploaded_and_only_its_readers_see_it() {
    let Door {
        app,
        admin,
        door,
        entry,
        ..
    } = at_the_door().await;
    let picture = jpeg(20_000);
    let photo = "0193a3b4-0000-7000-8000-000000000001";

    // The command before its picture: refused, the form unchanged.
    assert_eq!(
        push(
            &app,
            &door,
            &[envelope(&door, attach(&entry, photo, picture.len()))]
        )
        .await,
        [Outcome::rejected(Rejection::PhotoMissing)]
    );
    // Not a JPEG, or larger than any device sends: refused.
    upload(&app, &door, photo, entry.id.as_str(), b"GIF89a...".to_vec())
        .await
        .refused(415, "not_a_photo")
        .await;
    let too_large = jpeg(domain::sync::MAX_PHOTO_BYTES as usize);
    upload(&app, &door, photo, entry.id.as_str(), too_large)
        .await
        .refused(413, "payload_too_large")
        .await;
    // Field staff of another meeting may not add photos to this one.
    let (other_meeting, _) = meeting_with_citizen(&app, &admin, 2).await;
    app.create_user("field6b", PASSWORD, &[grant(Role::FieldStaff, Some(6))])
        .await;
    assign(&app, &admin, &other_meeting, &["field6b"]).await;
    let stranger = app.session("field6b", PASSWORD).await;
    upload(&app, &stranger, photo, entry.id.as_str(), picture.clone())
        .await
        .refused(403, "auth.not_permitted")
        .await;

    // Uploaded (twice: a retry after a lost answer), then attached.
    for _ in 0..2 {
        let answer = upload(&app, &door, photo, entry.id.as_str(), picture.clone()).await;
        assert_eq!(answer.status(), 204);
    }
    assert_eq!(
        push(
            &app,
            &door,
            &[envelope(&door, attach(&entry, photo, picture.len() + 1))]
        )
        .await,
        [Outcome::rejected(Rejection::PhotoMissing)],
        "a size other than the upload's"
    );
    assert_eq!(
        push(
            &app,
            &door,
            &[envelope(&door, attach(&entry, photo, picture.len()))]
        )
        .await,
        [Outcome::Applied]
    );

    // The district manager reads the form with its photo, and the photo.
    app.create_user(
        "manager6",
        PASSWORD,
        &[grant(Role::DistrictManager, Some(6))],
    )
    .await;
    let manager = app.session("manager6", PASSWORD).await;
    let mut all = BTreeMap::new();
    pull_all(&app, &manager, "", 100, &mut all).await;
    let Some(Record::RequestForm(form)) = all.get(&RecordKey::request_form(&entry.id)) else {
        panic!("the form");
    };
    assert_eq!(form.photos.len(), 1);
    assert_eq!(form.photos[0].id.as_str(), photo);
    let seen = app.get(&format!("/api/photos/{photo}")).by(&manager).await;
    assert_eq!(seen.status(), 200);
    assert_eq!(
        seen.headers().get("content-type").map(|v| v.to_str().ok()),
        Some(Some("image/jpeg"))
    );
    assert_eq!(seen.bytes().await, picture);
    // So does the door that took it; field staff of another meeting and
    // anyone signed out do not, and are not told it exists.
    assert_eq!(
        app.get(&format!("/api/photos/{photo}"))
            .by(&door)
            .await
            .status(),
        200
    );
    app.get(&format!("/api/photos/{photo}"))
        .by(&stranger)
        .await
        .refused(404, "not_found")
        .await;
    assert_eq!(app.get(&format!("/api/photos/{photo}")).await.status(), 401);

    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'photo_upload' AND target = ?",
    )
    .bind(RecordKey::request_form(&entry.id).text())
    .fetch_one(&app.db().await)
    .await
    .expect("the audit log");
    assert_eq!(audited, 1, "one upload, however often it was sent");
}
