//! Follow-up over HTTP (issue 14): the district manager reports on a
//! referral made at a meeting's table; the citizen's lookup shows the
//! result in the manager's words and an SMS tells them, once; only the
//! district's manager may report, and the follow-up committee reads the
//! meetings and forms it reports on.

use std::collections::BTreeMap;

use domain::auth::Role;
use domain::followup::Outcome as Report;
use domain::sync::{Command, Outcome, RecordKind, Rejection};

use crate::checkin::{Door, at_the_door, check_in_of, citizens_lookup, form_of};
use crate::helpers::{PASSWORD, grant};
use crate::sync::{envelope, pull_all, push, stored_status};

fn report(door: &Door, outcome: Report, note: &str) -> Command {
    Command::ReportFollowUp {
        attendee: door.entry.id.clone(),
        outcome,
        note: note.into(),
        until: None,
    }
}

/// A meeting's citizen referred to urban planning at the table.
async fn referred() -> Door {
    let door = at_the_door().await;
    let check_in = envelope(&door.door, check_in_of(&door.entry));
    let form = envelope(&door.door, form_of(&door.entry, &[], "urban_planning"));
    assert_eq!(
        push(&door.app, &door.door, &[check_in, form]).await,
        [Outcome::Applied, Outcome::Applied]
    );
    door
}

async fn follow_up_sms(door: &Door) -> Vec<String> {
    sqlx::query_scalar("SELECT body FROM sms_outbox WHERE dedupe_key LIKE 'follow-up/%'")
        .fetch_all(&door.app.db().await)
        .await
        .expect("the outbox")
}

#[tokio::test]
async fn the_district_managers_answer_reaches_the_citizen_once_and_not_possible_is_not_resolved() {
    let door = referred().await;
    door.app
        .create_user(
            "manager6",
            PASSWORD,
            &[grant(Role::DistrictManager, Some(6))],
        )
        .await;
    let manager = door.app.session("manager6", PASSWORD).await;
    let answer = envelope(
        &manager,
        report(&door, Report::NotPossible, "ملک خصوصی است"),
    );
    assert_eq!(
        push(&door.app, &manager, std::slice::from_ref(&answer)).await,
        [Outcome::Applied]
    );
    // Sent again (the answer was lost): the same outcome, no second SMS.
    assert_eq!(
        push(&door.app, &manager, &[answer]).await,
        [Outcome::Duplicate]
    );
    assert_eq!(
        stored_status(&door.app.db().await, &door.request).await,
        "answered"
    );
    let lookup = citizens_lookup(&door.app, &door.request).await;
    assert_eq!(lookup["status"], "answered");
    let said = lookup["referral"]["fa"].as_str().expect("in Persian");
    assert!(said.contains(". پاسخ: انجام‌شدنی نیست ("), "{said}");
    assert!(said.ends_with("): ملک خصوصی است"), "{said}");
    assert!(
        !lookup.to_string().contains("manager6"),
        "the citizen is not told who wrote it: {lookup}"
    );
    let sms = follow_up_sms(&door).await;
    assert_eq!(sms.len(), 1, "{sms:?}");
    assert!(sms[0].contains("انجام‌شدنی نیست"), "{}", sms[0]);

    // A later report that the matter was resolved after all: a second SMS.
    let resolved = envelope(
        &manager,
        report(&door, Report::Resolved, "پس از توافق با مالک انجام شد"),
    );
    assert_eq!(
        push(&door.app, &manager, &[resolved]).await,
        [Outcome::Applied]
    );
    assert_eq!(
        stored_status(&door.app.db().await, &door.request).await,
        "resolved"
    );
    assert_eq!(follow_up_sms(&door).await.len(), 2);
}

#[tokio::test]
async fn only_the_districts_manager_reports_and_the_follow_up_committee_reads_the_forms() {
    let door = referred().await;
    door.app
        .create_user(
            "manager5",
            PASSWORD,
            &[grant(Role::DistrictManager, Some(5))],
        )
        .await;
    door.app
        .create_user(
            "followup6",
            PASSWORD,
            &[grant(Role::FollowupCommittee, Some(6))],
        )
        .await;
    let elsewhere = door.app.session("manager5", PASSWORD).await;
    let refused = envelope(&elsewhere, report(&door, Report::Resolved, ""));
    assert_eq!(
        push(&door.app, &elsewhere, &[refused]).await,
        [Outcome::rejected(Rejection::NotPermitted)]
    );
    let field = envelope(&door.door, report(&door, Report::Resolved, ""));
    assert_eq!(
        push(&door.app, &door.door, &[field]).await,
        [Outcome::rejected(Rejection::NotPermitted)]
    );
    assert_eq!(
        stored_status(&door.app.db().await, &door.request).await,
        "referred"
    );
    assert!(follow_up_sms(&door).await.is_empty());

    let committee = door.app.session("followup6", PASSWORD).await;
    let mut read = BTreeMap::new();
    pull_all(&door.app, &committee, "", 100, &mut read).await;
    let kinds: Vec<RecordKind> = read.keys().map(|key| key.kind).collect();
    assert_eq!(
        kinds,
        [RecordKind::Meeting, RecordKind::RequestForm],
        "the meetings and forms, not the requests or the rosters"
    );
}
