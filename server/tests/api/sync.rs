//! Sync over HTTP: push applies each command once and re-checks it against
//! the real data and the pusher's grants; pull pages through the changes in
//! the scopes the user may read, and its cursor never skips one.

use std::collections::BTreeMap;

use domain::auth::Role;
use domain::sync::{
    Command, CommandId, Envelope, Outcome, PullChange, PullPage, PushResponse, Record, RecordKey,
    RecordKind, Rejection,
};
use reqwest::Method;
use serde_json::json;

use crate::citizens::{national_id, submission};
use crate::helpers::{Session, TestApp, grant, sunday_noon};

pub use crate::helpers::PASSWORD;

/// Citizen `n` registers in `district` through the public API; returns the
/// registration's id.
pub async fn register(app: &TestApp, n: u32, district: u8) -> String {
    register_at(&Route::direct(app), &app.db().await, n, district).await
}

/// The same, at any server, given its database.
pub async fn register_at(route: &Route, db: &server::db::Db, n: u32, district: u8) -> String {
    let submission = submission(n, district, sunday_noon());
    let response = route
        .client
        .post(format!("{}/api/registrations", route.address))
        .json(&submission)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 201, "registration {n}");
    sqlx::query_scalar("SELECT id FROM registrations WHERE national_id = ?")
        .bind(national_id(n))
        .fetch_one(db)
        .await
        .expect("the registration's id")
}

/// Where requests go: the server itself, or a proxy in front of it.
#[derive(Clone)]
pub struct Route {
    pub client: reqwest::Client,
    pub address: String,
}

impl Route {
    pub fn direct(app: &TestApp) -> Route {
        Route {
            client: app.client.clone(),
            address: app.address.clone(),
        }
    }

    fn request(&self, method: Method, path: &str, session: &Session) -> reqwest::RequestBuilder {
        session.request(&self.client, method, &format!("{}{path}", self.address))
    }
}

pub async fn app() -> TestApp {
    let app = TestApp::spawn_with(&[("DIDAR_REGISTRATIONS_PER_HOUR", "100000")]).await;
    for (name, role, district) in [
        ("review6", Role::ReviewCommittee, Some(6)),
        ("review7", Role::ReviewCommittee, Some(7)),
        ("field6", Role::FieldStaff, Some(6)),
        ("admin", Role::Administrator, None),
    ] {
        app.create_user(name, PASSWORD, &[grant(role, district)])
            .await;
    }
    app
}

pub fn envelope(session: &Session, command: Command) -> Envelope {
    let mut random = [0u8; 10];
    random.copy_from_slice(&uuid::Uuid::new_v4().as_bytes()[..10]);
    Envelope {
        id: CommandId::new_v7(sunday_noon(), random),
        device: session.profile.device_id.clone(),
        author: session.profile.user_id.clone(),
        made_at: sunday_noon(),
        clock_offset_ms: 0,
        command,
    }
}

pub fn review(registration: &str, note: &str) -> Command {
    Command::ReviewRegistration {
        registration: crate::helpers::id(registration),
        case_files: Vec::new(),
        note: note.into(),
    }
}

pub async fn push(app: &TestApp, session: &Session, commands: &[Envelope]) -> Vec<Outcome> {
    try_push(&Route::direct(app), session, commands)
        .await
        .expect("a push answered")
}

/// Pushes; an error when no complete answer came (the link broke).
pub async fn try_push(
    route: &Route,
    session: &Session,
    commands: &[Envelope],
) -> Result<Vec<Outcome>, reqwest::Error> {
    let response = route
        .request(Method::POST, "/api/sync/push", session)
        .json(&json!({ "commands": commands }))
        .send()
        .await?
        .error_for_status()?;
    let answer: PushResponse = response.json().await?;
    let sent: Vec<&CommandId> = commands.iter().map(|e| &e.id).collect();
    let answered: Vec<&CommandId> = answer.results.iter().map(|r| &r.id).collect();
    assert_eq!(answered, sent, "one result per command, in order");
    Ok(answer.results.into_iter().map(|r| r.outcome).collect())
}

pub async fn pull_page(app: &TestApp, session: &Session, cursor: &str, limit: usize) -> PullPage {
    try_pull_page(&Route::direct(app), session, cursor, limit)
        .await
        .expect("a pull page")
}

pub async fn try_pull_page(
    route: &Route,
    session: &Session,
    cursor: &str,
    limit: usize,
) -> Result<PullPage, reqwest::Error> {
    route
        .request(
            Method::GET,
            &format!("/api/sync/pull?cursor={cursor}&limit={limit}"),
            session,
        )
        .send()
        .await?
        .error_for_status()?
        .json()
        .await
}

/// Pulls every page from `cursor` into `into`; returns the new cursor and
/// how many pages it took.
pub async fn pull_all(
    app: &TestApp,
    session: &Session,
    cursor: &str,
    limit: usize,
    into: &mut BTreeMap<RecordKey, Record>,
) -> (String, usize) {
    let mut cursor = cursor.to_string();
    let mut pages = 0;
    loop {
        let page = pull_page(app, session, &cursor, limit).await;
        pages += 1;
        // As a device does: a pull that started over replaces the copy.
        if page.reset {
            into.clear();
        }
        cursor = keep(page.changes, into, page.cursor);
        if !page.more {
            return (cursor, pages);
        }
    }
}

/// Applies a pulled page to a device's copy; returns the new cursor.
pub fn keep(
    changes: Vec<PullChange>,
    into: &mut BTreeMap<RecordKey, Record>,
    cursor: String,
) -> String {
    for change in changes {
        match change.record {
            Some(record) => into.insert(change.key, record),
            None => into.remove(&change.key),
        };
    }
    cursor
}

/// A registration's status as the server stores it (what the citizen's
/// lookup shows).
pub async fn stored_status(db: &server::db::Db, id: &str) -> String {
    sqlx::query_scalar("SELECT status FROM registrations WHERE id = ?")
        .bind(id)
        .fetch_one(db)
        .await
        .expect("the registration's status")
}

pub fn status_of(records: &BTreeMap<RecordKey, Record>, id: &str) -> Option<String> {
    match records.get(&RecordKey::registration(&crate::helpers::id(id))) {
        Some(Record::Registration(record)) => Some(record.status.code().to_string()),
        _ => None,
    }
}

#[tokio::test]
async fn a_replayed_push_and_a_retry_after_a_lost_answer_apply_once() {
    let app = app().await;
    let id = register(&app, 1, 6).await;
    let session = app.session("review6", PASSWORD).await;
    let command = envelope(&session, review(&id, "پرونده‌ای پیدا نشد"));

    assert_eq!(
        push(&app, &session, std::slice::from_ref(&command)).await,
        [Outcome::Applied]
    );
    // The answer was lost: the device sends the same command again, in a
    // batch with a new one.
    let second = envelope(&session, review(&id, "دوباره دیده شد"));
    assert_eq!(
        push(&app, &session, &[command.clone(), second.clone()]).await,
        [Outcome::Duplicate, Outcome::Applied]
    );
    assert_eq!(
        push(&app, &session, &[command, second]).await,
        [Outcome::Duplicate, Outcome::Duplicate]
    );
    let db = app.db().await;
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_commands")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(stored, 2);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'review_registration'")
            .fetch_one(&db)
            .await
            .expect("count");
    assert_eq!(audited, 2, "each applied command audited once");
    let target: String = sqlx::query_scalar(
        "SELECT target FROM audit_log WHERE action = 'review_registration' LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .expect("target");
    assert_eq!(target, format!("registration/{id}"), "the record acted on");
}

#[tokio::test]
async fn a_review_moves_the_status_the_citizen_looks_up() {
    let app = app().await;
    let id = register(&app, 2, 6).await;
    let session = app.session("review6", PASSWORD).await;
    push(&app, &session, &[envelope(&session, review(&id, ""))]).await;
    assert_eq!(stored_status(&app.db().await, &id).await, "reviewed");
}

#[tokio::test]
async fn a_command_refused_by_the_data_is_refused_again_on_replay() {
    let app = app().await;
    let id = register(&app, 3, 6).await;
    let session = app.session("review6", PASSWORD).await;
    let reject = envelope(
        &session,
        Command::RejectRegistration {
            registration: crate::helpers::id(&id),
            reason: "موضوع در حیطهٔ شهرداری نیست".into(),
        },
    );
    let late_review = envelope(&session, review(&id, ""));
    let outcomes = push(&app, &session, &[reject, late_review.clone()]).await;
    assert_eq!(outcomes[0], Outcome::Applied);
    assert_eq!(outcomes[1], Outcome::rejected(Rejection::AlreadyRejected));
    assert_eq!(
        push(&app, &session, &[late_review]).await,
        [Outcome::rejected(Rejection::AlreadyRejected)]
    );
}

#[tokio::test]
async fn commands_claiming_another_users_device_are_refused_and_not_stored() {
    let app = app().await;
    let id = register(&app, 4, 6).await;
    let owner = app.session("review6", PASSWORD).await;
    let other = app
        .staff("other6", &[grant(Role::ReviewCommittee, Some(6))])
        .await;
    // The other user replays the owner's command from their own session.
    let command = envelope(&owner, review(&id, ""));
    assert_eq!(
        push(&app, &other, std::slice::from_ref(&command)).await,
        [Outcome::rejected(Rejection::WrongDevice)]
    );
    // The id stayed free: the real device's push is applied.
    assert_eq!(push(&app, &owner, &[command]).await, [Outcome::Applied]);
}

#[tokio::test]
async fn a_command_outside_the_users_districts_or_role_is_refused() {
    let app = app().await;
    let id = register(&app, 5, 6).await;
    for name in ["review7", "field6"] {
        let session = app.session(name, PASSWORD).await;
        assert_eq!(
            push(&app, &session, &[envelope(&session, review(&id, ""))]).await,
            [Outcome::rejected(Rejection::NotPermitted)],
            "{name}"
        );
    }
    assert_eq!(stored_status(&app.db().await, &id).await, "submitted");
}

#[tokio::test]
async fn pull_pages_through_exactly_the_readable_scopes() {
    let app = app().await;
    let mut district6 = Vec::new();
    for n in 0..25 {
        district6.push(register(&app, 100 + n, 6).await);
    }
    let district7 = register(&app, 200, 7).await;

    let review6 = app.session("review6", PASSWORD).await;
    let mut seen = BTreeMap::new();
    let (cursor, pages) = pull_all(&app, &review6, "", 10, &mut seen).await;
    assert_eq!(pages, 3, "25 records in pages of 10");
    assert_eq!(seen.len(), 25);
    assert!(district6.iter().all(|id| status_of(&seen, id).is_some()));
    assert!(
        status_of(&seen, &district7).is_none(),
        "district 7 is not in scope"
    );

    // Nothing new: an empty page, the same position.
    let again = pull_page(&app, &review6, &cursor, 10).await;
    assert!(again.changes.is_empty() && !again.more);

    // One change: only that record comes.
    push(
        &app,
        &review6,
        &[envelope(&review6, review(&district6[3], ""))],
    )
    .await;
    let next = pull_page(&app, &review6, &cursor, 10).await;
    assert_eq!(next.changes.len(), 1);
    assert_eq!(
        next.changes[0].key,
        RecordKey::registration(&crate::helpers::id(&district6[3]))
    );

    // Field staff read rosters and meetings, not the requests themselves.
    let field6 = app.session("field6", PASSWORD).await;
    let page = pull_page(&app, &field6, "", 100).await;
    assert!(
        page.changes
            .iter()
            .all(|change| change.key.kind != RecordKind::Registration)
    );
}

#[tokio::test]
async fn a_cursor_made_before_a_new_grant_starts_over() {
    let app = app().await;
    let in7 = register(&app, 300, 7).await;
    let review6 = app.session("review6", PASSWORD).await;
    let mut seen = BTreeMap::new();
    let (cursor, _) = pull_all(&app, &review6, "", 100, &mut seen).await;
    assert!(seen.is_empty());
    // The administrator adds district 7 to the user's grants.
    app.add_grant(
        &review6.profile.user_id,
        grant(Role::ReviewCommittee, Some(7)),
    )
    .await;
    pull_all(&app, &review6, &cursor, 100, &mut seen).await;
    assert!(
        status_of(&seen, &in7).is_some(),
        "the older record of district 7 came"
    );
}

#[tokio::test]
async fn a_puller_racing_many_pushes_never_skips_a_change() {
    let app = app().await;
    let mut ids = Vec::new();
    for n in 0..40 {
        ids.push(register(&app, 400 + n, 6).await);
    }
    let writer = app.session("review6", PASSWORD).await;
    let reader = app.session("admin", PASSWORD).await;
    let mut pushes = Vec::new();
    for chunk in ids.chunks(4) {
        let batch: Vec<Envelope> = chunk
            .iter()
            .map(|id| envelope(&writer, review(id, "بررسی شد")))
            .collect();
        pushes.push(batch);
    }
    let app = std::sync::Arc::new(app);
    let pushing = {
        let app = app.clone();
        tokio::spawn(async move {
            let handles: Vec<_> = pushes
                .into_iter()
                .map(|batch| {
                    let app = app.clone();
                    let writer_cookie = writer.cookie.clone();
                    let writer_profile = writer.profile.clone();
                    tokio::spawn(async move {
                        let session = Session {
                            cookie: writer_cookie,
                            profile: writer_profile,
                        };
                        push(&app, &session, &batch).await
                    })
                })
                .collect();
            for handle in handles {
                handle.await.expect("a push task");
            }
        })
    };
    // Pull with small pages while the pushes land.
    let mut seen = BTreeMap::new();
    let mut cursor = String::new();
    while !pushing.is_finished() {
        cursor = pull_all(&app, &reader, &cursor, 3, &mut seen).await.0;
    }
    pushing.await.expect("pushes");
    pull_all(&app, &reader, &cursor, 3, &mut seen).await;

    let mut fresh = BTreeMap::new();
    pull_all(&app, &reader, "", 1000, &mut fresh).await;
    assert_eq!(seen, fresh, "the incremental copy equals a full pull");
    assert!(
        ids.iter()
            .all(|id| status_of(&seen, id).as_deref() == Some("reviewed"))
    );
}

#[tokio::test]
async fn a_revoked_device_can_neither_push_nor_pull_and_is_told_why() {
    let app = app().await;
    let id = register(&app, 6, 6).await;
    let admin = app.session("admin", PASSWORD).await;
    let review6 = app.session("review6", PASSWORD).await;
    let path = format!("/api/admin/devices/{}/revoke", review6.profile.device_id);
    let revoke = app.call(Method::POST, &path).by(&admin).await;
    assert!(revoke.status().is_success(), "revoked: {}", revoke.status());

    let pushed = app
        .post(
            "/api/sync/push",
            &json!({ "commands": [envelope(&review6, review(&id, ""))] }),
        )
        .by(&review6)
        .await;
    let pulled = app.get("/api/sync/pull").by(&review6).await;
    for response in [pushed, pulled] {
        response.refused(403, "auth.device_revoked").await;
    }
    assert_eq!(
        stored_status(&app.db().await, &id).await,
        "submitted",
        "nothing of the refused push was applied"
    );
}

#[tokio::test]
async fn a_meeting_roster_flows_from_screening_to_the_door() {
    use crate::checkin::{assign, attendee_of, check_in_of, meeting_day, meeting_with_citizen};
    let (app, admin) = meeting_day().await;
    let (meeting, id) = meeting_with_citizen(&app, &admin, 7).await;
    assign(&app, &admin, &meeting, &["field6"]).await;

    // Two door devices check the same person in; both facts are kept.
    let door1 = app.session("field6", PASSWORD).await;
    let door2 = app.session("field6", PASSWORD).await;
    let mut roster = BTreeMap::new();
    pull_all(&app, &door1, "", 100, &mut roster).await;
    let entry = attendee_of(&roster, &meeting).expect("the selected citizen is on the roster");
    let attendee = entry.id.clone();
    let check_in = |session: &Session| envelope(session, check_in_of(&entry));
    assert_eq!(
        push(&app, &door2, &[check_in(&door2)]).await,
        [Outcome::Applied]
    );
    assert_eq!(
        push(&app, &door1, &[check_in(&door1)]).await,
        [Outcome::Applied]
    );
    pull_all(&app, &door1, "", 100, &mut roster).await;
    let Some(Record::Attendee(on_roster)) = roster.get(&RecordKey::attendee(&attendee)) else {
        panic!("attendee on the roster");
    };
    assert_eq!(on_roster.check_ins.len(), 2, "both check-ins kept");
    // The citizen's lookup says they came (it said «invited» before).
    assert_eq!(stored_status(&app.db().await, &id).await, "attended");
}
