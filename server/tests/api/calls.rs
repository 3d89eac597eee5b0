//! The 137 call centre over HTTP (issue 13): an operator claims a citizen
//! on a meeting's roster and is given the number to dial; a second
//! operator is kept off until the claim lapses or the call's outcome is
//! recorded; the outcome moves the request (the citizen's lookup reads
//! it), and a wish for another day frees the place. Only the call centre
//! of the meeting's district is given a number.

use std::collections::BTreeMap;

use chrono::TimeDelta;
use domain::auth::Role;
use domain::calls::{CallOutcome, ClaimHeld, Claimed};
use domain::sync::{Command, Outcome, Record, RecordKey, RecordKind, Rejection};

use crate::checkin::{attendee_of, citizens_lookup, meeting_day, meeting_with_citizen};
use crate::helpers::{Session, TestApp, grant, id};
use crate::sync::{PASSWORD, envelope, pull_all, push, stored_status};

struct Calls {
    app: TestApp,
    meeting: String,
    request: String,
    attendee: String,
    first: Session,
    second: Session,
}

async fn call_centre() -> Calls {
    let (app, admin) = meeting_day().await;
    let (meeting, request) = meeting_with_citizen(&app, &admin, 1).await;
    let attendee = format!("{meeting}:{request}");
    let first = app
        .staff("calls6", &[grant(Role::CallCenter, Some(6))])
        .await;
    let second = app
        .staff("calls6b", &[grant(Role::CallCenter, Some(6))])
        .await;
    Calls {
        app,
        meeting,
        request,
        attendee,
        first,
        second,
    }
}

impl Calls {
    fn claim(&self, who: &Session) -> crate::helpers::Call {
        self.app
            .call(
                reqwest::Method::POST,
                &format!("/api/calls/{}/claim", self.attendee),
            )
            .by(who)
    }

    async fn claims(&self, who: &Session) -> Vec<ClaimHeld> {
        self.app
            .get(&format!("/api/calls/claims?meeting={}", self.meeting))
            .by(who)
            .await
            .good()
            .await
    }

    async fn record(&self, who: &Session, outcome: CallOutcome) -> Vec<Outcome> {
        let command = Command::RecordCall {
            attendee: id(&self.attendee),
            outcome,
            note: String::new(),
        };
        push(&self.app, who, &[envelope(who, command)]).await
    }
}

/// Everything `who`'s device holds after a pull from the start.
async fn pulled(app: &TestApp, who: &Session) -> BTreeMap<RecordKey, Record> {
    let mut records = BTreeMap::new();
    pull_all(app, who, "", 500, &mut records).await;
    records
}

async fn registered_mobile(app: &TestApp, request: &str) -> String {
    sqlx::query_scalar("SELECT mobile FROM registrations WHERE id = ?")
        .bind(request)
        .fetch_one(&app.db().await)
        .await
        .expect("the request")
}

#[tokio::test]
async fn two_operators_never_call_the_same_citizen_at_once() {
    let calls = call_centre().await;
    let claimed: Claimed = calls.claim(&calls.first).await.good().await;
    assert_eq!(
        claimed.mobile,
        registered_mobile(&calls.app, &calls.request).await
    );
    assert_eq!(
        claimed.until,
        calls.app.clock.now() + TimeDelta::minutes(10)
    );
    calls
        .claim(&calls.second)
        .await
        .refused(409, "call.claimed")
        .await;
    // The second operator's list says who is calling.
    let held = calls.claims(&calls.second).await;
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].attendee.as_str(), calls.attendee);
    assert!(!held[0].mine);
    assert_eq!(held[0].by, "کارمند آزمایشی");
    assert!(calls.claims(&calls.first).await[0].mine);
    // Claiming again extends one's own claim.
    calls.claim(&calls.first).await.good::<Claimed>().await;
    // A claim left behind lapses: the next operator may call.
    calls.app.clock.advance(TimeDelta::minutes(11));
    assert!(calls.claims(&calls.second).await.is_empty());
    calls.claim(&calls.second).await.good::<Claimed>().await;
    calls
        .claim(&calls.first)
        .await
        .refused(409, "call.claimed")
        .await;
    // Given up on purpose: free at once.
    calls
        .app
        .call(
            reqwest::Method::DELETE,
            &format!("/api/calls/{}/claim", calls.attendee),
        )
        .by(&calls.second)
        .await;
    calls.claim(&calls.first).await.good::<Claimed>().await;
}

#[tokio::test]
async fn a_recorded_outcome_ends_the_claim_and_confirms_the_request() {
    let calls = call_centre().await;
    calls.claim(&calls.first).await.good::<Claimed>().await;
    assert_eq!(
        calls.record(&calls.first, CallOutcome::Confirmed).await,
        [Outcome::Applied]
    );
    assert!(calls.claims(&calls.second).await.is_empty());
    let db = calls.app.db().await;
    assert_eq!(stored_status(&db, &calls.request).await, "confirmed");
    let lookup = citizens_lookup(&calls.app, &calls.request).await;
    assert_eq!(lookup["status"], "confirmed");
    assert!(lookup["invitation"]["venue"].is_string(), "{lookup}");
    // The roster every device pulls keeps the call.
    let records = pulled(&calls.app, &calls.second).await;
    let place = attendee_of(&records, &calls.meeting).expect("on the roster");
    assert_eq!(place.calls.len(), 1);
    assert_eq!(place.calls[0].outcome, CallOutcome::Confirmed);
}

#[tokio::test]
async fn another_day_frees_the_place_and_the_lookup_no_longer_invites() {
    let calls = call_centre().await;
    assert_eq!(
        calls.record(&calls.first, CallOutcome::Reschedule).await,
        [Outcome::Applied]
    );
    let db = calls.app.db().await;
    assert_eq!(stored_status(&db, &calls.request).await, "deferred");
    let lookup = citizens_lookup(&calls.app, &calls.request).await;
    assert_eq!(lookup["status"], "deferred");
    assert!(lookup["invitation"].is_null(), "{lookup}");
    let records = pulled(&calls.app, &calls.second).await;
    let meeting = records
        .values()
        .find_map(|record| match record {
            Record::Meeting(meeting) => Some(meeting.clone()),
            _ => None,
        })
        .expect("the meeting");
    assert!(meeting.seated.is_empty(), "the place is free");
    // The other operator, calling apart, is told the place was given up.
    assert_eq!(
        calls.record(&calls.second, CallOutcome::Confirmed).await,
        [Outcome::rejected(Rejection::PlaceGivenUp)]
    );
}

#[tokio::test]
async fn only_the_districts_call_centre_is_given_a_number() {
    let calls = call_centre().await;
    let app = &calls.app;
    let elsewhere = app
        .staff("calls7", &[grant(Role::CallCenter, Some(7))])
        .await;
    let door = app.session("field6", PASSWORD).await;
    for who in [&elsewhere, &door] {
        calls.claim(who).await.refused(404, "not_found").await;
        app.get(&format!("/api/calls/claims?meeting={}", calls.meeting))
            .by(who)
            .await
            .refused(403, "auth.not_permitted")
            .await;
        assert_eq!(
            calls.record(who, CallOutcome::Confirmed).await,
            [Outcome::rejected(Rejection::NotPermitted)]
        );
    }
    // Nor does a pull outside the district carry the roster.
    let records = pulled(app, &elsewhere).await;
    assert!(records.keys().all(|key| key.kind != RecordKind::Attendee));
}
