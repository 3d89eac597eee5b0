//! SMS invitations (issue 13): a selection queues the citizen's invitation
//! once, whatever is retried; the Kavenegar adapter, against a local
//! stand-in that speaks its API, delivers each message once through the
//! provider's failures, a lost answer, and a server that stopped between
//! the provider's acceptance and storing it; the administrators read the
//! messages.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use chrono::TimeDelta;
use domain::calls::{CallOutcome, SmsMessage};
use domain::sync::{Command, Outcome};
use server::config::SmsGatewayConfig;
use server::sms::Gateway;
use server::sms::outbox::deliver_due;

use crate::checkin::{meeting_day, meeting_with_citizen};
use crate::helpers::{TestApp, grant, id, sunday_noon};
use crate::sync::{envelope, push};

const KEY: &str = "test-api-key";

/// What the stand-in provider was sent, and how it is to misbehave next.
#[derive(Default)]
struct Provider {
    /// Delivered messages by local id: (receptor, text).
    delivered: BTreeMap<String, (String, String)>,
    /// The next sends answered 502 with a proxy's page, taking nothing.
    fail_next: usize,
    /// The next sends taken, and answered 500 (the answer lost).
    lose_answer_next: usize,
}

type Shared = Arc<Mutex<Provider>>;

async fn send(
    State(provider): State<Shared>,
    Path(key): Path<String>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Response {
    let mut provider = provider.lock().expect("the stand-in's state");
    if key != KEY {
        let body = serde_json::json!({"return": {"status": 403, "message": "کلید نامعتبر"}, "entries": null});
        return (StatusCode::FORBIDDEN, Json(body)).into_response();
    }
    if provider.fail_next > 0 {
        provider.fail_next -= 1;
        return (StatusCode::BAD_GATEWAY, "<html>bad gateway</html>").into_response();
    }
    let local = form.get("localid").cloned().unwrap_or_default();
    // The provider keeps a local id once: sent again, it is not delivered again.
    let next = provider.delivered.len();
    provider.delivered.entry(local.clone()).or_insert_with(|| {
        (
            form.get("receptor").cloned().unwrap_or_default(),
            form.get("message").cloned().unwrap_or_default(),
        )
    });
    let message_id = provider
        .delivered
        .keys()
        .position(|known| *known == local)
        .unwrap_or(next)
        + 1000;
    if provider.lose_answer_next > 0 {
        provider.lose_answer_next -= 1;
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let body = serde_json::json!({
        "return": {"status": 200, "message": "تایید شد"},
        "entries": [{"messageid": message_id, "status": 1, "statustext": "در صف ارسال"}]
    });
    Json(body).into_response()
}

/// The stand-in on a port of its own; its base URL and state.
async fn stand_in() -> (String, Shared) {
    let provider = Shared::default();
    let app = Router::new()
        .route("/v1/{key}/sms/send.json", post(send))
        .with_state(provider.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, provider)
}

fn kavenegar(url: &str) -> Gateway {
    Gateway::from_config(&SmsGatewayConfig::Kavenegar {
        url: url.into(),
        api_key: KEY.into(),
        sender: Some("10004346".into()),
    })
}

/// The server's own sender rests (a round an hour) while a test drives it.
const QUIET: [(&str, &str); 1] = [("DIDAR_SMS_EVERY_SECS", "3600")];

async fn outbox(app: &TestApp) -> Vec<(String, String, i64)> {
    sqlx::query_as("SELECT body, state, attempts FROM sms_outbox ORDER BY id")
        .fetch_all(&app.db().await)
        .await
        .expect("the outbox")
}

#[tokio::test]
async fn a_selection_queues_one_invitation_whatever_follows() {
    let (app, admin) = meeting_day().await;
    let (meeting, request) = meeting_with_citizen(&app, &admin, 1).await;
    let code: String = sqlx::query_scalar("SELECT tracking_code FROM registrations WHERE id = ?")
        .bind(&request)
        .fetch_one(&app.db().await)
        .await
        .expect("the request");
    let queued = outbox(&app).await;
    assert_eq!(queued.len(), 1);
    let body = &queued[0].0;
    // The Jalali day, the slot, the place in Persian digits, the code.
    assert!(body.contains("۲ آذر ۱۴۰۵، ساعت ۱۲:۳۰"), "{body}");
    assert!(body.contains("تالار منطقهٔ ۶"), "{body}");
    let shown = code
        .parse::<domain::registration::TrackingCode>()
        .expect("a code")
        .display();
    assert!(body.contains(&shown), "{body}");
    // The citizen asks for another day and is seated at the same meeting
    // again: still one invitation.
    let operator = app
        .staff("calls6", &[grant(domain::auth::Role::CallCenter, Some(6))])
        .await;
    let reschedule = Command::RecordCall {
        attendee: id(&format!("{meeting}:{request}")),
        outcome: CallOutcome::Reschedule,
        note: String::new(),
    };
    assert_eq!(
        push(&app, &operator, &[envelope(&operator, reschedule)]).await,
        [Outcome::Applied]
    );
    let screening = app.session("screening6", crate::sync::PASSWORD).await;
    let again = Command::SelectForMeeting {
        registration: id(&request),
        meeting: id(&meeting),
        slot: None,
    };
    assert_eq!(
        push(&app, &screening, &[envelope(&screening, again)]).await,
        [Outcome::Applied]
    );
    assert_eq!(outbox(&app).await.len(), 1);
}

#[tokio::test]
async fn a_move_to_another_meeting_invites_to_the_new_one_once() {
    let (app, admin) = meeting_day().await;
    let (meeting, request) = meeting_with_citizen(&app, &admin, 1).await;
    let later: serde_json::Value = app
        .post(
            "/api/admin/meetings",
            &serde_json::json!({
                "district": 6, "starts_at": (sunday_noon() + TimeDelta::days(8)).to_rfc3339(),
                "venue": "فرهنگسرای منطقهٔ ۶", "capacity": 150, "citizen_quota": 80, "trustee_quota": 30
            }),
        )
        .by(&admin)
        .await
        .good()
        .await;
    let later = later["id"].as_str().expect("an id").to_string();
    let screening = app.session("screening6", crate::sync::PASSWORD).await;
    let moved = envelope(
        &screening,
        Command::DeferSelection {
            registration: id(&request),
            from: id(&meeting),
            to: Some(id(&later)),
            slot: None,
        },
    );
    // Sent twice (the answer was lost): applied once, one new invitation.
    for expected in [Outcome::Applied, Outcome::Duplicate] {
        assert_eq!(
            push(&app, &screening, std::slice::from_ref(&moved)).await,
            [expected]
        );
    }
    let queued = outbox(&app).await;
    assert_eq!(queued.len(), 2);
    assert!(queued[1].0.contains("فرهنگسرای منطقهٔ ۶"), "{}", queued[1].0);
    // The citizen's lookup reads the new meeting.
    let stored: String = sqlx::query_scalar("SELECT meeting_id FROM registrations WHERE id = ?")
        .bind(&request)
        .fetch_one(&app.db().await)
        .await
        .expect("the request");
    assert_eq!(stored, later);
}

#[tokio::test]
async fn the_provider_gets_each_message_once_through_failures_and_a_lost_answer() {
    let (url, provider) = stand_in().await;
    let app = TestApp::spawn_with(&QUIET).await;
    queue_one(&app).await;
    let gateway = kavenegar(&url);
    let db = app.db().await;
    let now = sunday_noon();

    provider.lock().expect("state").fail_next = 1;
    assert_eq!(deliver_due(&db, &gateway, now).await.expect("a round"), 1);
    assert_eq!(outbox(&app).await[0].1, "queued", "tried again later");
    assert_eq!(
        deliver_due(&db, &gateway, now).await.expect("a round"),
        0,
        "not due yet"
    );

    provider.lock().expect("state").lose_answer_next = 1;
    let later = now + TimeDelta::seconds(31);
    assert_eq!(deliver_due(&db, &gateway, later).await.expect("a round"), 1);
    assert_eq!(outbox(&app).await[0].1, "queued");

    let later = later + TimeDelta::seconds(61);
    assert_eq!(deliver_due(&db, &gateway, later).await.expect("a round"), 1);
    let row = &outbox(&app).await[0];
    assert_eq!((row.1.as_str(), row.2), ("sent", 3));
    let provider = provider.lock().expect("state");
    assert_eq!(provider.delivered.len(), 1, "delivered once");
    let (receptor, text) = provider.delivered.values().next().expect("one");
    assert_eq!(receptor, "09131000001");
    assert_eq!(text, &row.0);
}

#[tokio::test]
async fn a_message_the_provider_took_before_a_crash_is_not_sent_twice() {
    let (url, provider) = stand_in().await;
    let app = TestApp::spawn_with(&QUIET).await;
    queue_one(&app).await;
    let db = app.db().await;
    // The sender handed message 1 to the provider, which took it; the
    // server stopped before storing that.
    let (local_id, mobile, body): (i64, String, String) =
        sqlx::query_as("SELECT id, mobile, body FROM sms_outbox")
            .fetch_one(&db)
            .await
            .expect("the message");
    sqlx::query("UPDATE sms_outbox SET state = 'sending', attempts = 1, next_attempt_at = ?")
        .bind((sunday_noon() + TimeDelta::minutes(2)).to_rfc3339())
        .execute(&db)
        .await
        .expect("leased");
    let gateway = kavenegar(&url);
    let message = server::sms::Outgoing {
        local_id,
        mobile,
        body,
    };
    gateway.send(&message).await.expect("taken by the provider");
    // Started again on the same database (the first's directory lives
    // as long as it does).
    let restarted = TestApp::start_with(&app.dir, &QUIET).await;
    let db = restarted.db().await;
    // While the lease holds, nobody sends it; once over, it is sent again
    // with the same local id, and the provider does not deliver it twice.
    assert_eq!(
        deliver_due(&db, &gateway, sunday_noon())
            .await
            .expect("a round"),
        0
    );
    let after = sunday_noon() + TimeDelta::minutes(3);
    assert_eq!(deliver_due(&db, &gateway, after).await.expect("a round"), 1);
    assert_eq!(outbox(&restarted).await[0].1, "sent");
    assert_eq!(provider.lock().expect("state").delivered.len(), 1);
}

#[tokio::test]
async fn a_provider_refusal_stays_queued_with_its_reason_for_the_administrators() {
    let (url, _provider) = stand_in().await;
    let app = TestApp::spawn_with(&QUIET).await;
    queue_one(&app).await;
    let db = app.db().await;
    // A key the provider does not know: temporary (an administrator can
    // fix the configuration), so it stays queued with the reason.
    let wrong_key = Gateway::from_config(&SmsGatewayConfig::Kavenegar {
        url: url.clone(),
        api_key: "not-the-key".into(),
        sender: None,
    });
    deliver_due(&db, &wrong_key, sunday_noon())
        .await
        .expect("a round");
    app.create_user(
        "admin",
        crate::sync::PASSWORD,
        &[grant(domain::auth::Role::Administrator, None)],
    )
    .await;
    let admin = app.session("admin", crate::sync::PASSWORD).await;
    let listed: Vec<SmsMessage> = app.get("/api/admin/sms").by(&admin).await.good().await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, "queued");
    assert_eq!(listed[0].mobile, "0913 *** 0001", "the number masked");
    assert!(
        listed[0]
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("403")
    );
}

/// One invitation queued for citizen 1's number, as a selection would.
async fn queue_one(app: &TestApp) {
    let mut conn = app.db().await.acquire().await.expect("a connection");
    let sms = server::sms::outbox::NewSms {
        dedupe_key: "invitation/m/r",
        registration: None,
        mobile: "+989131000001",
        body: "شهروند گرامی، دیدار شما با شهردار: ۱۷ آذر ۱۴۰۵، ساعت ۱۰:۳۰، تالار. کد رهگیری: ABC-DEF-GHJ.",
    };
    assert!(
        server::sms::outbox::queue(&mut conn, &sms, sunday_noon())
            .await
            .expect("queued")
    );
    assert!(
        !server::sms::outbox::queue(&mut conn, &sms, sunday_noon())
            .await
            .expect("once")
    );
}
