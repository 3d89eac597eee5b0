//! Registration over HTTP: create, replay, one request per person per
//! window, the window and its grace period, rate limits, and status lookup.

use chrono::TimeDelta;
use domain::registration::{Receipt, RegistrationForm, Submission, TrackingCode};
use serde_json::Value;

use crate::helpers::{Answer, TestApp, fields_of, sunday_noon};

const NATIONAL_ID: &str = "0499370899";
const MOBILE: &str = "09123456789";

fn valid_form() -> RegistrationForm {
    RegistrationForm {
        full_name: "زهرا احمدی".into(),
        national_id: NATIONAL_ID.into(),
        mobile: MOBILE.into(),
        district: Some(6),
        topic: "urban_planning".into(),
        description: "پیاده‌روی خیابان ما سال‌هاست خراب مانده و کسی پاسخ نمی‌دهد.".into(),
        case_number: String::new(),
        consent: true,
    }
}

/// A submission as a phone makes it: a fresh request id and code.
fn submission(form: RegistrationForm) -> Submission {
    let mut random = [0u8; 16];
    random.copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    Submission {
        request_id: uuid::Uuid::now_v7().to_string(),
        tracking_code: TrackingCode::from_random(random),
        made_at: sunday_noon(),
        form,
    }
}

/// Sends `form` as a phone would; the receipt of an accepted request.
async fn receipt_of(app: &TestApp, form: RegistrationForm) -> Receipt {
    app.post("/api/registrations", &submission(form))
        .await
        .good()
        .await
}

async fn count_registrations(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM registrations")
        .fetch_one(&app.db().await)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_valid_registration_is_stored_and_keeps_the_code_the_phone_showed() {
    let app = TestApp::spawn().await;
    let sent = submission(valid_form());
    let response = app.post("/api/registrations", &sent).await;
    assert_eq!(response.status(), 201);
    let receipt: Receipt = response.good().await;
    assert_eq!(receipt.tracking_code, sent.tracking_code);
    assert!(!receipt.replaced_earlier);
    assert_eq!(receipt.window.opens_on_date().to_string(), "2026-11-21");

    let (national_id, mobile, status): (String, String, String) = sqlx::query_as(
        "SELECT national_id, mobile, status FROM registrations WHERE tracking_code = ?",
    )
    .bind(sent.tracking_code.as_str())
    .fetch_one(&app.db().await)
    .await
    .expect("the stored registration");
    assert_eq!(national_id, NATIONAL_ID);
    assert_eq!(mobile, "+989123456789", "stored as E.164");
    assert_eq!(status, "submitted");
}

#[tokio::test]
async fn a_replayed_submission_gets_the_same_answer_and_is_stored_once() {
    let app = TestApp::spawn().await;
    let sent = submission(valid_form());
    let first = app.post("/api/registrations", &sent).await;
    let first_status = first.status();
    let first_body = first.text().await;
    // Even after the window closed, the retry of an accepted request is
    // answered as the first time.
    app.clock.advance(TimeDelta::days(4));
    let again = app.post("/api/registrations", &sent).await;
    assert_eq!(again.status(), first_status);
    assert_eq!(again.text().await, first_body);
    assert_eq!(count_registrations(&app).await, 1);
}

#[tokio::test]
async fn a_second_request_by_the_same_national_id_in_the_window_updates_the_first() {
    let app = TestApp::spawn().await;
    let first = receipt_of(&app, valid_form()).await;
    let mut changed = valid_form();
    changed.description = "موضوع دیگری است: روشنایی کوچهٔ ما شب‌ها خاموش است.".into();
    changed.national_id = "۰۴۹۹۳۷۰۸۹۹".into(); // the same ID in Persian digits
    let response = app.post("/api/registrations", &submission(changed)).await;
    assert_eq!(response.status(), 201, "the same status as a new request");
    let second: Receipt = response.good().await;
    assert!(second.replaced_earlier, "the citizen is told");
    assert_eq!(
        second.tracking_code, first.tracking_code,
        "the first code stays"
    );
    assert_eq!(count_registrations(&app).await, 1);
    let description: String = sqlx::query_scalar("SELECT description FROM registrations")
        .fetch_one(&app.db().await)
        .await
        .expect("description");
    assert!(description.contains("روشنایی"));
}

#[tokio::test]
async fn the_same_national_id_next_week_makes_a_new_request() {
    let app = TestApp::spawn().await;
    app.post("/api/registrations", &submission(valid_form()))
        .await;
    app.clock.advance(TimeDelta::days(7));
    let mut next_week = submission(valid_form());
    next_week.made_at = app.clock.now();
    let response = app.post("/api/registrations", &next_week).await;
    assert_eq!(response.status(), 201);
    assert_eq!(count_registrations(&app).await, 2);
}

#[tokio::test]
async fn invalid_fields_are_each_reported_in_persian_and_english_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let mut form = valid_form();
    form.national_id = "0499370898".into(); // wrong check digit
    form.mobile = "0212345678".into(); // a landline
    form.consent = false;
    let response = app.post("/api/registrations", &submission(form)).await;
    let error = response.refused(422, "invalid_input").await;
    assert_eq!(fields_of(&error), ["national_id", "mobile", "consent"]);
    let national_id = &error["fields"][0];
    assert_eq!(national_id["code"], "national_id.bad_checksum");
    assert!(
        national_id["message"]["fa"]
            .as_str()
            .expect("fa")
            .contains("کد ملی")
    );
    assert!(
        national_id["message"]["en"]
            .as_str()
            .expect("en")
            .contains("national ID")
    );
    assert_eq!(count_registrations(&app).await, 0);
}

#[tokio::test]
async fn malformed_json_gets_the_error_shape_not_plain_text() {
    let app = TestApp::spawn().await;
    app.call(reqwest::Method::POST, "/api/registrations")
        .raw_json("{not json")
        .await
        .refused(400, "bad_request")
        .await;
}

#[tokio::test]
async fn a_request_made_while_registration_is_closed_is_refused_with_the_next_opening() {
    let app = TestApp::spawn().await;
    // Wednesday 2026-11-25, 12:30 in Tehran.
    app.clock.advance(TimeDelta::days(3));
    let mut late = submission(valid_form());
    late.made_at = app.clock.now();
    let response = app.post("/api/registrations", &late).await;
    let error = response.refused(422, "window.closed").await;
    // Saturday 2026-11-28 00:00 in Tehran.
    assert_eq!(error["window"]["next_opens"], "2026-11-27T20:30:00Z");
    assert_eq!(count_registrations(&app).await, 0);
}

#[tokio::test]
async fn a_request_made_in_the_window_is_accepted_within_the_grace_period_and_refused_after() {
    let app = TestApp::spawn().await;
    // Made offline on Tuesday 23:00 Tehran (19:30 UTC).
    let made_at = sunday_noon() + TimeDelta::days(2) + TimeDelta::minutes(10 * 60 + 30);
    // Arrives Wednesday 22:59 Tehran: within 24 hours of the close.
    app.clock.set(made_at + TimeDelta::minutes(23 * 60 + 59));
    let mut in_grace = submission(valid_form());
    in_grace.made_at = made_at;
    assert_eq!(
        app.post("/api/registrations", &in_grace).await.status(),
        201
    );

    // Another person's request, made at the same moment, arrives Thursday.
    app.clock
        .set(made_at + TimeDelta::hours(25) + TimeDelta::seconds(1));
    let mut form = valid_form();
    form.national_id = "0790419904".into();
    let mut too_late = submission(form);
    too_late.made_at = made_at;
    let response = app.post("/api/registrations", &too_late).await;
    response.refused(422, "window.too_late").await;
    assert_eq!(count_registrations(&app).await, 1);
}

#[tokio::test]
async fn registrations_from_one_address_are_limited_with_a_retry_after() {
    let app = TestApp::spawn_with(&[("DIDAR_REGISTRATIONS_PER_HOUR", "20")]).await;
    // Twenty people from one address pass, the twenty-first is limited.
    for n in 0..20 {
        let status = app
            .post(
                "/api/registrations",
                &crate::citizens::submission(n, 6, sunday_noon()),
            )
            .await
            .status();
        assert!(status.is_success());
    }
    let response = app
        .post("/api/registrations", &submission(valid_form()))
        .await;
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=180).contains(&retry_after), "{retry_after}");
    response.refused(429, "too_many_requests").await;
}

async fn lookup(app: &TestApp, code: &str, mobile: &str) -> Answer {
    app.post(
        "/api/registrations/lookup",
        &serde_json::json!({ "tracking_code": code, "mobile": mobile }),
    )
    .await
}

#[tokio::test]
async fn the_status_is_found_with_the_code_and_the_right_mobile_in_any_form() {
    let app = TestApp::spawn().await;
    let sent = submission(valid_form());
    app.post("/api/registrations", &sent).await;
    let code = sent.tracking_code.display().to_lowercase();
    let body: Value = lookup(&app, &code, "+98 912 345 6789").await.good().await;
    assert_eq!(body["status"], "submitted");
    assert_eq!(body["district"], 6);
    assert!(
        body.get("national_id").is_none(),
        "nothing more than needed"
    );
}

#[tokio::test]
async fn a_wrong_mobile_answers_exactly_like_an_unknown_code() {
    let app = TestApp::spawn().await;
    let sent = submission(valid_form());
    app.post("/api/registrations", &sent).await;

    let wrong_mobile = lookup(&app, sent.tracking_code.as_str(), "09350000000").await;
    let mut other = [7u8; 16];
    other[0] = 1;
    let unknown = lookup(&app, TrackingCode::from_random(other).as_str(), MOBILE).await;
    let malformed = lookup(&app, "nonsense", "nonsense").await;
    let mut answers = Vec::new();
    for response in [wrong_mobile, unknown, malformed] {
        answers.push((response.status(), response.text().await));
    }
    assert_eq!(answers[0].0, 404);
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[1], answers[2]);
}

#[tokio::test]
async fn lookups_of_one_code_are_limited_so_mobiles_cannot_be_guessed() {
    let app = TestApp::spawn().await;
    let sent = submission(valid_form());
    app.post("/api/registrations", &sent).await;
    for guess in 0..10 {
        let response = lookup(
            &app,
            sent.tracking_code.as_str(),
            &format!("0912000000{guess}"),
        )
        .await;
        assert_eq!(response.status(), 404);
    }
    // The eleventh try from this address is refused even with the right
    // mobile (the owner elsewhere is not: see `limits`).
    let response = lookup(&app, sent.tracking_code.as_str(), MOBILE).await;
    assert_eq!(response.status(), 429);
}

#[tokio::test]
async fn the_options_name_the_districts_deputies_and_window() {
    let app = TestApp::spawn().await;
    let body: Value = app.get("/api/registrations/options").await.json().await;
    assert_eq!(body["districts"].as_array().expect("districts").len(), 15);
    assert_eq!(body["deputies"][0]["slug"], "urban_planning");
    assert_eq!(body["window"]["opens_on"], "Sat");
    assert_eq!(body["server_time"], "2026-11-22T09:00:00Z");
}

#[tokio::test]
async fn a_concurrent_burst_is_stored_once_each_and_replays_inside_it_get_the_same_answer() {
    let app = TestApp::spawn_with(&[
        ("DIDAR_REGISTRATIONS_PER_HOUR", "100000"),
        ("DIDAR_REGISTRATIONS_PER_PERSON_PER_HOUR", "100000"),
    ])
    .await;
    let people = ["0499370899", "0790419904", "0084575948"];
    let submissions: Vec<Submission> = (0..60)
        .map(|i| {
            let mut form = valid_form();
            form.national_id = people[i % people.len()].into();
            submission(form)
        })
        .collect();
    // Each submission sent twice at once: a phone retrying while the first
    // attempt is still in flight.
    let mut sends = tokio::task::JoinSet::new();
    for sent in submissions.iter().chain(submissions.iter()).cloned() {
        let send = app.post("/api/registrations", &sent);
        sends.spawn(async move {
            let receipt: Receipt = send.await.good().await;
            (sent.request_id, receipt)
        });
    }
    let mut by_request = std::collections::HashMap::new();
    while let Some(joined) = sends.join_next().await {
        let (request_id, receipt) = joined.expect("the send task");
        let first = by_request.entry(request_id).or_insert(receipt.clone());
        assert_eq!(*first, receipt, "a retry gets the first answer");
    }
    assert_eq!(by_request.len(), 60);
    assert_eq!(
        count_registrations(&app).await,
        3,
        "one request per person per window"
    );
    let requests: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registration_requests")
        .fetch_one(&app.db().await)
        .await
        .expect("count");
    assert_eq!(requests, 60, "every submission answered once");
}

async fn stored(app: &TestApp, code: &TrackingCode) -> (String, String, i64) {
    sqlx::query_as(
        "SELECT mobile, description, district_id FROM registrations WHERE tracking_code = ?",
    )
    .bind(code.as_str())
    .fetch_one(&app.db().await)
    .await
    .expect("the stored registration")
}

async fn lookup_status(app: &TestApp, code: &TrackingCode, mobile: &str) -> u16 {
    app.post(
        "/api/registrations/lookup",
        &serde_json::json!({ "tracking_code": code.as_str(), "mobile": mobile }),
    )
    .await
    .status()
    .as_u16()
}

#[tokio::test]
async fn the_same_national_id_from_another_mobile_never_takes_over_the_first_request() {
    let app = TestApp::spawn().await;
    let first = receipt_of(&app, valid_form()).await;
    let mut impostor = valid_form();
    impostor.mobile = "09351112233".into();
    impostor.district = Some(3);
    impostor.description = "درخواست دیگری با کد ملی همان شهروند، از شمارهٔ دیگری.".into();
    let sent = submission(impostor);
    let response = app.post("/api/registrations", &sent).await;
    assert_eq!(response.status(), 201, "answered like any new request");
    let second: Receipt = response.json().await;
    assert_ne!(
        second.tracking_code, first.tracking_code,
        "never the first request's code"
    );
    assert_eq!(second.tracking_code, sent.tracking_code);
    assert!(!second.replaced_earlier);

    let (mobile, description, district) = stored(&app, &first.tracking_code).await;
    assert_eq!(mobile, "+989123456789");
    assert!(
        description.starts_with("پیاده‌روی"),
        "the first request is untouched"
    );
    assert_eq!(district, 6);
    assert_eq!(lookup_status(&app, &first.tracking_code, MOBILE).await, 200);
    assert_eq!(count_registrations(&app).await, 2);

    // Both are flagged for the executive committee, in their districts.
    let flags: Vec<(i64, bool)> = sqlx::query_as(
        "SELECT district_id, json_extract(body, '$.shares_national_id') FROM sync_records \
         WHERE kind = 'registration' ORDER BY district_id",
    )
    .fetch_all(&app.db().await)
    .await
    .expect("records");
    assert_eq!(flags, [(3, true), (6, true)]);
}

#[tokio::test]
async fn a_first_and_a_repeated_national_id_get_answers_of_the_same_shape() {
    let app = TestApp::spawn().await;
    let shape = |body: &Value| {
        let mut keys: Vec<String> = body.as_object().expect("object").keys().cloned().collect();
        keys.sort();
        keys
    };
    let fresh = app
        .post("/api/registrations", &submission(valid_form()))
        .await;
    let fresh_status = fresh.status();
    let fresh: Value = fresh.json().await;
    let mut other_mobile = valid_form();
    other_mobile.mobile = "09351112233".into();
    let seen = app
        .post("/api/registrations", &submission(other_mobile))
        .await;
    assert_eq!(seen.status(), fresh_status);
    let seen: Value = seen.json().await;
    assert_eq!(shape(&seen), shape(&fresh));
    assert_eq!(seen["replaced_earlier"], fresh["replaced_earlier"]);
}

#[tokio::test]
async fn a_request_already_with_the_committee_is_not_changed_by_a_resubmission() {
    let app = TestApp::spawn().await;
    let first = receipt_of(&app, valid_form()).await;
    sqlx::query("UPDATE registrations SET status = 'reviewed'")
        .execute(&app.db().await)
        .await
        .expect("the committee reviewed it");
    let mut late = valid_form();
    late.description = "یک توضیح تازه که دیرتر از بررسی کمیته رسیده است.".into();
    let response = app.post("/api/registrations", &submission(late)).await;
    let error = response
        .refused(409, "registration.already_with_committee")
        .await;
    assert!(
        error["message"]["fa"]
            .as_str()
            .expect("fa")
            .contains("کمیته")
    );
    let (_, description, _) = stored(&app, &first.tracking_code).await;
    assert!(description.starts_with("پیاده‌روی"));
}
