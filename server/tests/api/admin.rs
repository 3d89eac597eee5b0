//! Administration over HTTP: creating accounts, the registration window,
//! and the audit log with its export.

use domain::auth::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{Session, TestApp, grant};

const PASSWORD: &str = "a long enough pass phrase";

async fn admin_app() -> (TestApp, Session) {
    let app = TestApp::spawn().await;
    app.create_user("admin", PASSWORD, &[grant(Role::Administrator, None)])
        .await;
    let admin = app.session("admin", PASSWORD).await;
    (app, admin)
}

#[tokio::test]
async fn a_new_account_is_checked_field_by_field_and_then_can_sign_in() {
    let (app, admin) = admin_app().await;
    let bad = app
        .request(Method::POST, "/api/admin/users", Some(&admin))
        .json(&json!({
            "username": "2x", "display_name": "م", "password": "short",
            "grants": [{"role": "field_staff", "district": null}]
        }))
        .send()
        .await
        .expect("answered");
    assert_eq!(bad.status(), 422);
    let body: Value = bad.json().await.expect("JSON");
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("name"))
        .collect();
    assert_eq!(fields, ["username", "display_name", "grants"]);

    let good = json!({
        "username": "door2", "display_name": "مریم رضایی", "password": PASSWORD,
        "grants": [{"role": "field_staff", "district": 6}]
    });
    let created = app
        .request(Method::POST, "/api/admin/users", Some(&admin))
        .json(&good)
        .send()
        .await
        .expect("answered");
    assert_eq!(created.status(), 201);
    let again = app
        .request(Method::POST, "/api/admin/users", Some(&admin))
        .json(&good)
        .send()
        .await
        .expect("answered");
    assert_eq!(again.status(), 409, "usernames are unique");
    let door2 = app.session("door2", PASSWORD).await;
    assert_eq!(
        door2.profile.grants[0].district.map(|d| d.number()),
        Some(6)
    );
}

#[tokio::test]
async fn the_saved_registration_window_is_what_the_form_gets() {
    let (app, admin) = admin_app().await;
    let invalid = app
        .request(Method::PUT, "/api/admin/registration-window", Some(&admin))
        .json(&json!({"opens_on": "Sat", "opens_at": "00:00:00", "closes_on": "Tue", "closes_at": "23:59:00", "grace_hours": 500}))
        .send()
        .await
        .expect("answered");
    assert_eq!(invalid.status(), 422);
    let saved = app
        .request(Method::PUT, "/api/admin/registration-window", Some(&admin))
        .json(&json!({"opens_on": "Sun", "opens_at": "08:00:00", "closes_on": "Wed", "closes_at": "14:00:00", "grace_hours": 12}))
        .send()
        .await
        .expect("answered");
    assert_eq!(saved.status(), 204);
    let options: Value = app
        .get("/api/registrations/options")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(options["window"]["opens_on"], "Sun");
    assert_eq!(options["window"]["grace_hours"], 12);
}

#[tokio::test]
async fn staff_actions_are_in_the_audit_log_filterable_and_exportable() {
    let (app, admin) = admin_app().await;
    app.request(Method::PUT, "/api/admin/registration-window", Some(&admin))
        .json(&json!({"opens_on": "Sat", "opens_at": "00:00:00", "closes_on": "Tue", "closes_at": "23:59:00", "grace_hours": 24}))
        .send()
        .await
        .expect("answered");
    let all: Value = app
        .request(Method::GET, "/api/admin/audit", Some(&admin))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    let actions: Vec<&str> = all
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["action"].as_str().expect("action"))
        .collect();
    assert_eq!(
        actions,
        ["registration_window_update", "sign_in"],
        "newest first"
    );

    let filtered: Value = app
        .request(Method::GET, "/api/admin/audit?action=sign_in", Some(&admin))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    assert_eq!(filtered.as_array().expect("rows").len(), 1);
    assert_eq!(filtered[0]["username"], "admin", "entries name the person");
    // (Digits are stored in ASCII, as every typed text is normalised.)
    assert_eq!(filtered[0]["device_name"], "میز 1", "and the device");
    let by_someone_else: Value = app
        .request(Method::GET, "/api/admin/audit?user=nobody", Some(&admin))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    assert_eq!(by_someone_else.as_array().expect("rows").len(), 0);

    let csv = app
        .request(Method::GET, "/api/admin/audit?format=csv", Some(&admin))
        .send()
        .await
        .expect("answered");
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/csv")
    );
    let text = csv.text().await.expect("text");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("id,at,username,user_id,device,device_id,action,target")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 2);
    assert!(
        rows[0].contains("\"admin\"") && rows[0].contains("\"میز 1\""),
        "{}",
        rows[0]
    );

    // Append-only: the database itself refuses to change history.
    let db = app.sqlite().await;
    let tamper = sqlx::query("DELETE FROM audit_log").execute(&db).await;
    assert!(tamper.is_err());
    let rewrite = sqlx::query("UPDATE audit_log SET action = 'nothing'")
        .execute(&db)
        .await;
    assert!(rewrite.is_err());
}

#[tokio::test]
async fn a_meeting_is_planned_within_its_room_and_listed() {
    let (app, admin) = admin_app().await;
    let plan = |capacity: u16| {
        json!({
            "district": 6, "starts_at": "2026-12-01T06:30:00Z", "venue": "سالن اجتماعات منطقهٔ ۶",
            "capacity": capacity, "citizen_quota": 100, "trustee_quota": 30
        })
    };
    let too_small = app
        .request(Method::POST, "/api/admin/meetings", Some(&admin))
        .json(&plan(120))
        .send()
        .await
        .expect("answered");
    assert_eq!(too_small.status(), 422);
    let body: Value = too_small.json().await.expect("JSON");
    assert_eq!(body["error"]["fields"][0]["code"], "meeting.over_capacity");

    let created = app
        .request(Method::POST, "/api/admin/meetings", Some(&admin))
        .json(&plan(150))
        .send()
        .await
        .expect("answered");
    assert_eq!(created.status(), 201);
    let listed: Value = app
        .request(Method::GET, "/api/admin/meetings", Some(&admin))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    assert_eq!(listed[0]["district"], 6);
    assert_eq!(listed[0]["venue"], "سالن اجتماعات منطقهٔ 6");
    assert_eq!(listed[0]["starts_at"], "2026-12-01T06:30:00Z");
}

#[tokio::test]
async fn districts_are_renamed_and_deputy_domains_added_for_the_form() {
    let (app, admin) = admin_app().await;
    let put = |path: &str, body: Value| {
        app.request(Method::PUT, path, Some(&admin))
            .json(&body)
            .send()
    };
    let renamed = put(
        "/api/admin/districts/6",
        json!({"name_fa": "منطقهٔ ۶ (جلفا)", "name_en": "District 6"}),
    )
    .await
    .expect("answered");
    assert_eq!(renamed.status(), 204);
    let added = put(
        "/api/admin/deputies/sports",
        json!({"name_fa": "معاونت ورزش", "name_en": "Sports"}),
    )
    .await
    .expect("answered");
    assert_eq!(added.status(), 204);
    let bad_slug = put(
        "/api/admin/deputies/Not-A-Slug",
        json!({"name_fa": "x", "name_en": "x"}),
    )
    .await
    .expect("answered");
    assert_eq!(bad_slug.status(), 422);
    let unnamed = put(
        "/api/admin/districts/6",
        json!({"name_fa": " ", "name_en": "District 6"}),
    )
    .await
    .expect("answered");
    assert_eq!(unnamed.status(), 422);
    let missing = put(
        "/api/admin/districts/99",
        json!({"name_fa": "منطقه", "name_en": "District"}),
    )
    .await
    .expect("answered");
    assert_eq!(missing.status(), 404);

    let options: Value = app
        .get("/api/registrations/options")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(options["districts"][5]["name_fa"], "منطقهٔ 6 (جلفا)");
    let last = options["deputies"]
        .as_array()
        .expect("deputies")
        .last()
        .cloned()
        .expect("one");
    assert_eq!(last["slug"], "sports");
}

#[tokio::test]
async fn a_device_name_typed_as_a_formula_is_defused_in_the_csv() {
    let (app, admin) = admin_app().await;
    app.create_user("field6", PASSWORD, &[grant(Role::FieldStaff, Some(6))])
        .await;
    let signed_in = app
        .post_json(
            "/api/auth/sign-in",
            &json!({ "username": "field6", "password": PASSWORD, "device_name": "=HYPERLINK(\"http://x\")" }),
        )
        .await;
    assert_eq!(signed_in.status(), 200);
    let text = app
        .request(
            Method::GET,
            "/api/admin/audit?format=csv&user=field6",
            Some(&admin),
        )
        .send()
        .await
        .expect("answered")
        .text()
        .await
        .expect("text");
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""),
        "defused and quoted: {text}"
    );
}

#[tokio::test]
async fn an_administrator_cannot_disable_their_own_account() {
    let (app, admin) = admin_app().await;
    let response = app
        .request(
            Method::POST,
            &format!("/api/admin/users/{}/disable", admin.profile.user_id),
            Some(&admin),
        )
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 409);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "user.own_account");
    assert_eq!(
        body["error"]["message"]["fa"],
        "نمی‌توانید حساب خودتان را غیرفعال کنید."
    );
    let me = app
        .request(Method::GET, "/api/auth/me", Some(&admin))
        .send()
        .await
        .expect("answered");
    assert_eq!(me.status(), 200, "still signed in");
}

#[tokio::test]
async fn a_meeting_is_rescheduled_but_stays_in_its_district() {
    let (app, admin) = admin_app().await;
    let plan = |district: u8, venue: &str| {
        json!({
            "district": district, "starts_at": "2026-12-01T06:30:00Z", "venue": venue,
            "capacity": 150, "citizen_quota": 100, "trustee_quota": 30
        })
    };
    let created: Value = app
        .request(Method::POST, "/api/admin/meetings", Some(&admin))
        .json(&plan(6, "سالن اجتماعات"))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    let path = format!(
        "/api/admin/meetings/{}",
        created["id"].as_str().expect("id")
    );
    let moved = app
        .request(Method::PUT, &path, Some(&admin))
        .json(&plan(6, "فرهنگسرای خورشید"))
        .send()
        .await
        .expect("answered");
    assert_eq!(moved.status(), 200);
    let listed: Value = app
        .request(Method::GET, "/api/admin/meetings", Some(&admin))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    assert_eq!(listed[0]["venue"], "فرهنگسرای خورشید");
    // The devices holding the meeting get the change.
    let synced: String = sqlx::query_scalar("SELECT body FROM sync_records WHERE kind = 'meeting'")
        .fetch_one(&app.sqlite().await)
        .await
        .expect("the meeting's sync record");
    assert!(synced.contains("فرهنگسرای خورشید"));

    let elsewhere = app
        .request(Method::PUT, &path, Some(&admin))
        .json(&plan(7, "فرهنگسرای خورشید"))
        .send()
        .await
        .expect("answered");
    assert_eq!(elsewhere.status(), 422);
    let body: Value = elsewhere.json().await.expect("JSON");
    assert_eq!(body["error"]["fields"][0]["code"], "meeting.district_fixed");
    let unknown = app
        .request(Method::PUT, "/api/admin/meetings/none", Some(&admin))
        .json(&plan(6, "فرهنگسرا"))
        .send()
        .await
        .expect("answered");
    assert_eq!(unknown.status(), 404);
}
