//! What a broken or hostile device cannot do to sync: poison a record with
//! an absurd clock, stop a district's pulls with one unreadable row, grow a
//! record without bound, learn another device's outcomes by replaying its
//! command ids, or fail a whole batch with one command the database refuses.

use std::collections::BTreeMap;

use chrono::TimeDelta;
use domain::auth::Role;
use domain::sync::{Command, Outcome, Record, RecordKey, Rejection};
use serde_json::Value;

use crate::helpers::{TestApp, grant, sunday_noon};
use crate::sync::{PASSWORD, app, envelope, pull_all, push, register, review, status_of};

fn screen(registration: &str, deputy: &str) -> Command {
    Command::ScreenRegistration {
        registration: crate::helpers::id(registration),
        deputy: deputy.into(),
        summary: String::new(),
        priority: domain::screening::Priority::Normal,
    }
}

async fn health(app: &TestApp) -> Value {
    app.get("/api/health").await.good().await
}

#[tokio::test]
async fn a_command_with_an_absurd_clock_is_refused_and_the_record_stays_readable() {
    let app = app().await;
    let id = register(&app, 1, 6).await;
    let session = app.session("review6", PASSWORD).await;
    let mut overflowing = envelope(&session, review(&id, ""));
    overflowing.clock_offset_ms = i64::MAX;
    let mut far_future = envelope(&session, review(&id, ""));
    far_future.made_at = chrono::DateTime::parse_from_rfc3339("9999-12-31T23:00:00Z")
        .expect("instant")
        .to_utc();
    far_future.clock_offset_ms = 2 * 3_600_000;
    let mut ahead = envelope(&session, review(&id, ""));
    ahead.made_at = sunday_noon() + TimeDelta::minutes(10);
    let mut stale = envelope(&session, review(&id, ""));
    stale.made_at = sunday_noon() - TimeDelta::days(31);
    assert_eq!(
        push(&app, &session, &[overflowing, far_future, ahead, stale]).await,
        [
            Outcome::rejected(Rejection::ClockWrong),
            Outcome::rejected(Rejection::ClockWrong),
            Outcome::rejected(Rejection::ClockWrong),
            Outcome::rejected(Rejection::TooOld),
        ]
    );
    // A clock a day behind with its offset measured is fine.
    let mut corrected = envelope(&session, review(&id, "دیده شد"));
    corrected.made_at = sunday_noon() - TimeDelta::days(1);
    corrected.clock_offset_ms = 86_400_000;
    assert_eq!(push(&app, &session, &[corrected]).await, [Outcome::Applied]);
    let mut copy = BTreeMap::new();
    pull_all(&app, &session, "", 100, &mut copy).await;
    let Some(Record::Registration(record)) =
        copy.get(&RecordKey::registration(&crate::helpers::id(&id)))
    else {
        panic!("the registration is pulled");
    };
    assert_eq!(record.review.as_ref().map(|r| r.at), Some(sunday_noon()));
}

#[tokio::test]
async fn an_unreadable_stored_record_is_skipped_counted_and_never_fails_a_pull() {
    let app = app().await;
    let broken = register(&app, 1, 6).await;
    let fine = register(&app, 2, 6).await;
    let before = health(&app).await["unreadable_sync_records"]
        .as_u64()
        .expect("a count");
    sqlx::query("UPDATE sync_records SET body = '{\"kind\":\"registration\",\"id\":' WHERE id = ?")
        .bind(&broken)
        .execute(&app.db().await)
        .await
        .expect("a row made unreadable");
    let session = app.session("review6", PASSWORD).await;
    let mut copy = BTreeMap::new();
    pull_all(&app, &session, "", 100, &mut copy).await;
    assert_eq!(status_of(&copy, &fine).as_deref(), Some("submitted"));
    assert!(!copy.contains_key(&RecordKey::registration(&crate::helpers::id(&broken))));
    // A command on it is refused with a reason, not a 500, and the rest of
    // the batch goes on.
    assert_eq!(
        push(
            &app,
            &session,
            &[
                envelope(&session, review(&broken, "")),
                envelope(&session, review(&fine, ""))
            ]
        )
        .await,
        [
            Outcome::rejected(Rejection::UnknownRecord),
            Outcome::Applied
        ]
    );
    let after = health(&app).await["unreadable_sync_records"]
        .as_u64()
        .expect("a count");
    assert!(after >= before + 2, "counted: {before} → {after}");
}

#[tokio::test]
async fn command_fields_are_bounded_and_a_deputy_must_exist() {
    let app = app().await;
    let id = register(&app, 1, 6).await;
    let reviewer = app.session("review6", PASSWORD).await;
    push(&app, &reviewer, &[envelope(&reviewer, review(&id, ""))]).await;
    let session = app
        .staff("screen6", &[grant(Role::ScreeningCommittee, Some(6))])
        .await;
    let huge = "a".repeat(300_000);
    let response = app
        .call(reqwest::Method::POST, "/api/sync/push")
        .by(&session)
        .json(&serde_json::json!({ "commands": [envelope(&session, screen(&id, &huge))] }))
        .await;
    assert!(
        response.status() == 413 || response.status() == 200,
        "a huge slug is refused whole or per command, never applied: {}",
        response.status()
    );
    if response.status() == 200 {
        let body: Value = response.json().await;
        assert_eq!(body["results"][0]["outcome"], "rejected");
    }
    assert_eq!(
        push(
            &app,
            &session,
            &[
                envelope(&session, screen(&id, &"a".repeat(1000))),
                envelope(&session, screen(&id, "space_travel")),
                envelope(&session, screen(&id, "transport")),
            ]
        )
        .await,
        [
            Outcome::rejected(Rejection::UnknownDeputy),
            Outcome::rejected(Rejection::UnknownDeputy),
            Outcome::Applied,
        ]
    );
}

#[tokio::test]
async fn another_users_command_id_is_never_answered_with_its_outcome() {
    let app = app().await;
    let id = register(&app, 1, 6).await;
    let alice = app.session("review6", PASSWORD).await;
    let mallory = app
        .staff("review6b", &[grant(Role::ReviewCommittee, Some(6))])
        .await;
    let original = envelope(&alice, review(&id, "پرونده ۶/۱۴۰۳/۷۷"));
    assert_eq!(
        push(&app, &alice, std::slice::from_ref(&original)).await,
        [Outcome::Applied]
    );
    // The id, seen in a pulled record, in mallory's own envelope.
    let mut replayed = envelope(&mallory, review(&id, "جعلی"));
    replayed.id = original.id.clone();
    assert_eq!(
        push(&app, &mallory, &[replayed]).await,
        [Outcome::rejected(Rejection::IdTaken)]
    );
    let note: String = sqlx::query_scalar(
        "SELECT json_extract(body, '$.review.note') FROM sync_records WHERE id = ?",
    )
    .bind(&id)
    .fetch_one(&app.db().await)
    .await
    .expect("note");
    assert_eq!(note, "پرونده ۶/۱۴۰۳/۷۷");
    // The rightful device's replay is still a duplicate.
    assert_eq!(push(&app, &alice, &[original]).await, [Outcome::Duplicate]);
}

#[tokio::test]
async fn a_command_the_database_fails_is_refused_alone_and_can_be_sent_again() {
    let app = app().await;
    let first = register(&app, 1, 6).await;
    let second = register(&app, 2, 6).await;
    let third = register(&app, 3, 6).await;
    let session = app.session("review6", PASSWORD).await;
    let poison = envelope(&session, review(&second, ""));
    // A real database failure on one command's write, by a trigger.
    let db = app.db().await;
    sqlx::query(&format!(
        "CREATE TRIGGER poison BEFORE INSERT ON sync_commands WHEN NEW.id = '{}' \
         BEGIN SELECT RAISE(ABORT, 'disk trouble'); END",
        poison.id.as_str()
    ))
    .execute(&db)
    .await
    .expect("trigger");
    let batch = [
        envelope(&session, review(&first, "")),
        poison.clone(),
        envelope(&session, review(&third, "")),
    ];
    assert_eq!(
        push(&app, &session, &batch).await,
        [
            Outcome::Applied,
            Outcome::rejected(Rejection::ServerFailed),
            Outcome::Applied
        ]
    );
    let mut copy = BTreeMap::new();
    pull_all(&app, &session, "", 100, &mut copy).await;
    assert_eq!(
        status_of(&copy, &second).as_deref(),
        Some("submitted"),
        "nothing of it kept"
    );
    sqlx::query("DROP TRIGGER poison")
        .execute(&db)
        .await
        .expect("drop");
    assert_eq!(push(&app, &session, &[poison]).await, [Outcome::Applied]);
}
