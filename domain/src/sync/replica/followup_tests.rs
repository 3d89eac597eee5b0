//! Follow-up (DESIGN §2 step 6): the district manager's reports on a
//! referral move the citizen's request honestly — "not possible" is an
//! answer, never "resolved" — every report is kept, and a referral that
//! was reported on cannot be redirected by a late form edit.

use super::meeting_day_tests::{check_in, envelope, form, form_edit, place, server, status};
use super::*;
use crate::followup::{Outcome, Timeliness};
use crate::jalali::JalaliDate;
use crate::registration::Status;
use crate::sync::{Command, Rejection};

/// Minutes after the meeting's start, in days.
const DAY: i64 = 24 * 60;

/// The server with the citizen checked in and referred to urban planning
/// at the meeting of 14 Azar 1405 (due 14 Dey).
fn referred() -> Replica {
    let mut replica = server();
    replica
        .apply(&check_in(31, 2, "door-1"))
        .expect("checked in");
    replica
        .apply(&form_edit(50, 3, "table-1", &[], "urban_planning"))
        .expect("referred");
    replica
}

fn report(
    days: i64,
    byte: u8,
    outcome: Outcome,
    note: &str,
    until: Option<JalaliDate>,
) -> Envelope {
    let mut envelope = envelope(
        days * DAY,
        byte,
        "manager-desk",
        Command::ReportFollowUp {
            attendee: place(),
            outcome,
            note: note.into(),
            until,
        },
    );
    envelope.author = "manager6".into();
    envelope
}

fn day(year: i32, month: u8, day: u8) -> JalaliDate {
    JalaliDate::new(year, month, day).expect("a date")
}

#[test]
fn a_postponement_keeps_the_request_referred_and_an_answer_after_the_due_day_is_late() {
    let mut replica = referred();
    let later = report(
        20,
        10,
        Outcome::MoreTime,
        "نیاز به بازدید میدانی",
        Some(day(1405, 10, 30)),
    );
    replica.apply(&later).expect("postponed");
    assert_eq!(status(&replica), Status::Referred);
    let referral = form(&replica).referral.expect("referred");
    assert_eq!(referral.postponed_to(), Some(day(1405, 10, 30)));
    // 14 Dey passed with no result: late, whatever the postponement says.
    assert_eq!(referral.timeliness(day(1405, 10, 20)), Timeliness::Late);
    assert_eq!(
        referral.timeliness(day(1405, 10, 14)),
        Timeliness::NotYetDue
    );

    let answer = report(40, 11, Outcome::NotPossible, "مالکیت خصوصی است", None);
    replica.apply(&answer).expect("answered");
    // Not possible is an answer; the request is not "resolved".
    assert_eq!(status(&replica), Status::Answered);
    let referral = form(&replica).referral.expect("referred");
    assert_eq!(referral.reports.len(), 2, "every report is kept");
    assert_eq!(
        referral.result().map(|r| r.outcome),
        Some(Outcome::NotPossible)
    );
    assert_eq!(referral.postponed_to(), None);
    assert_eq!(referral.timeliness(day(1405, 11, 1)), Timeliness::Late);
    // The citizen's request carries the same referral, reports and all.
    match replica.get(&RecordKey::registration(
        &super::meeting_day_tests::request(),
    )) {
        Some(Record::Registration(request)) => {
            assert_eq!(request.referral.as_ref(), Some(&referral))
        }
        other => panic!("no request: {other:?}"),
    }
}

#[test]
fn an_answer_by_the_due_day_is_on_time_and_a_later_correction_keeps_it_so() {
    let mut replica = referred();
    replica
        .apply(&report(
            10,
            10,
            Outcome::Answered,
            "در برنامهٔ آسفالت امسال است",
            None,
        ))
        .expect("answered");
    assert_eq!(status(&replica), Status::Answered);
    replica
        .apply(&report(45, 11, Outcome::Resolved, "آسفالت شد", None))
        .expect("resolved");
    assert_eq!(status(&replica), Status::Resolved);
    let referral = form(&replica).referral.expect("referred");
    assert_eq!(referral.timeliness(day(1405, 12, 1)), Timeliness::OnTime);
}

#[test]
fn resolved_is_final_and_a_postponement_comes_only_before_a_result() {
    let mut replica = referred();
    replica
        .apply(&report(10, 10, Outcome::Answered, "", None))
        .expect("an answer needs no note");
    let postponed = report(11, 11, Outcome::MoreTime, "بازدید", Some(day(1405, 11, 30)));
    assert_eq!(replica.apply(&postponed), Err(Rejection::MovedOn));
    replica
        .apply(&report(12, 12, Outcome::Resolved, "", None))
        .expect("resolved");
    let reopened = report(13, 13, Outcome::NotPossible, "نمی‌شود", None);
    assert_eq!(replica.apply(&reopened), Err(Rejection::MovedOn));
}

#[test]
fn a_reason_and_a_later_date_are_required_where_the_citizen_or_committee_reads_them() {
    let mut replica = referred();
    let unexplained = report(5, 10, Outcome::NotPossible, "  ", None);
    assert_eq!(replica.apply(&unexplained), Err(Rejection::ReasonNeeded));
    let undated = report(5, 11, Outcome::MoreTime, "بازدید", None);
    assert_eq!(replica.apply(&undated), Err(Rejection::DateNeeded));
    // Five days after 14 Azar is 19 Azar: "until today" is no postponement.
    let today = report(5, 12, Outcome::MoreTime, "بازدید", Some(day(1405, 9, 19)));
    assert_eq!(replica.apply(&today), Err(Rejection::DateNeeded));
    assert_eq!(form(&replica).referral.expect("referred").reports, vec![]);
}

#[test]
fn the_same_report_applied_again_is_kept_once() {
    let mut replica = referred();
    let answer = report(10, 10, Outcome::Answered, "پاسخ", None);
    replica.apply(&answer).expect("answered");
    replica.apply(&answer).expect("again");
    assert_eq!(form(&replica).referral.expect("referred").reports.len(), 1);
}

#[test]
fn only_a_referred_request_takes_a_report_and_a_reported_referral_keeps_its_deputy() {
    let mut replica = server();
    replica
        .apply(&check_in(31, 2, "door-1"))
        .expect("checked in");
    let unreferred = form_edit(50, 3, "table-1", &[], "");
    replica.apply(&unreferred).expect("recorded");
    assert_eq!(
        replica.apply(&report(10, 10, Outcome::Answered, "", None)),
        Err(Rejection::NotReferred)
    );

    let mut replica = referred();
    let first = form(&replica).versions[0].id.clone();
    replica
        .apply(&report(
            10,
            10,
            Outcome::MoreTime,
            "بازدید",
            Some(day(1405, 10, 30)),
        ))
        .expect("postponed");
    let mut redirect = form_edit(60, 4, "table-1", &[], "transport");
    if let Command::RecordRequestForm { seen, .. } = &mut redirect.command {
        *seen = vec![first];
    }
    assert_eq!(replica.apply(&redirect), Err(Rejection::FollowedUp));
    assert_eq!(status(&replica), Status::Referred);
}

#[test]
fn a_district_managers_device_without_the_request_changes_only_the_form() {
    let mut device = Replica::new();
    let server = referred();
    let key = RecordKey::request_form(&place());
    device.put(server.get(&key).expect("the form").clone());
    let effect = device
        .apply(&report(10, 10, Outcome::Resolved, "", None))
        .expect("resolved on the device");
    assert_eq!(effect.changes.len(), 1, "the form alone");
}

#[test]
fn the_report_to_the_mayors_office_lists_each_referral_with_its_result_and_timeliness() {
    let mut replica = referred();
    replica
        .apply(&report(33, 10, Outcome::NotPossible, "=طرح تعریض", None))
        .expect("answered");
    let form = form(&replica);
    let report = crate::followup::MayorReport::of([&form], day(1405, 11, 1));
    assert_eq!(report.rows.len(), 1);
    let row = &report.rows[0];
    assert_eq!(
        row.result.map(|(outcome, _)| outcome),
        Some(Outcome::NotPossible)
    );
    // Answered on 17 Dey (33 days after 14 Azar), after its due day of 14 Dey.
    assert_eq!(row.result.map(|(_, on)| on), Some(day(1405, 10, 17)));
    assert_eq!(row.timeliness, Timeliness::Late);
    assert_eq!(report.tally.answered_late, 1);
    let csv = report.csv(|deputy| deputy.to_string(), crate::i18n::Lang::Fa);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[1].starts_with(
            "urban_planning,مریم کاظمی,۱۴۰۵/۱۰/۱۴,پاسخ: انجام‌شدنی نیست (۱۴۰۵/۱۰/۱۷),دیر,"
        ),
        "{csv}"
    );
    // A note that looks like a formula stays text in a spreadsheet.
    assert!(!lines[1].contains(",=طرح"), "{csv}");
}
