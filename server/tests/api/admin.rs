//! Administration over HTTP: creating accounts, the registration window,
//! and the audit log with its export.

use domain::auth::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, Session, TestApp, fields_of, grant};

async fn admin_app() -> (TestApp, Session) {
    let app = TestApp::spawn().await;
    let admin = app
        .staff("admin", &[grant(Role::Administrator, None)])
        .await;
    (app, admin)
}

fn new_user(username: &str, district: Option<u8>) -> Value {
    json!({
        "username": username, "display_name": "مریم رضایی", "password": PASSWORD,
        "grants": [{"role": "field_staff", "district": district}]
    })
}

fn plan(district: u8, venue: &str, capacity: u16) -> Value {
    json!({
        "district": district, "starts_at": "2026-12-01T06:30:00Z", "venue": venue,
        "capacity": capacity, "citizen_quota": 100, "trustee_quota": 30
    })
}

/// The actions of the audit log's entries, newest first.
fn actions_of(entries: &Value) -> Vec<&str> {
    entries
        .as_array()
        .expect("entries")
        .iter()
        .map(|entry| entry["action"].as_str().expect("an action"))
        .collect()
}

#[tokio::test]
async fn a_new_account_is_checked_field_by_field_and_then_can_sign_in() {
    let (app, admin) = admin_app().await;
    let bad = json!({
        "username": "2x", "display_name": "م", "password": "short",
        "grants": [{"role": "field_staff", "district": null}]
    });
    let error = app
        .post("/api/admin/users", &bad)
        .by(&admin)
        .await
        .refused(422, "invalid_input")
        .await;
    assert_eq!(fields_of(&error), ["username", "display_name", "grants"]);

    let good = new_user("door2", Some(6));
    let created = app.post("/api/admin/users", &good).by(&admin).await;
    assert_eq!(created.status(), 201);
    app.post("/api/admin/users", &good)
        .by(&admin)
        .await
        .refused(409, "username.taken")
        .await;
    let door2 = app.session("door2", PASSWORD).await;
    assert_eq!(
        door2.profile.grants[0].district.map(|d| d.number()),
        Some(6)
    );
}

#[tokio::test]
async fn a_grant_names_a_district_the_city_has_not_one_below_a_fixed_number() {
    let (app, admin) = admin_app().await;
    // The seed is Isfahan's 15 districts; 16 is a valid number, not a district.
    let error = app
        .post("/api/admin/users", &new_user("door16", Some(16)))
        .by(&admin)
        .await
        .refused(422, "invalid_input")
        .await;
    assert_eq!(fields_of(&error), ["grants"]);

    app.add_district(16).await;
    let created = app
        .post("/api/admin/users", &new_user("door16", Some(16)))
        .by(&admin)
        .await;
    assert_eq!(created.status(), 201, "a district the city holds");
}

#[tokio::test]
async fn the_saved_registration_window_is_what_the_form_gets() {
    let (app, admin) = admin_app().await;
    let path = "/api/admin/registration-window";
    app.put(path, &json!({"opens_on": "Sat", "opens_at": "00:00:00", "closes_on": "Tue", "closes_at": "23:59:00", "grace_hours": 500}))
        .by(&admin)
        .await
        .refused(422, "invalid_input")
        .await;
    let saved = app
        .put(path, &json!({"opens_on": "Sun", "opens_at": "08:00:00", "closes_on": "Wed", "closes_at": "14:00:00", "grace_hours": 12}))
        .by(&admin)
        .await;
    assert_eq!(saved.status(), 204);
    let options: Value = app.get("/api/registrations/options").await.good().await;
    assert_eq!(options["window"]["opens_on"], "Sun");
    assert_eq!(options["window"]["grace_hours"], 12);
}

#[tokio::test]
async fn staff_actions_are_in_the_audit_log_filterable_and_exportable() {
    let (app, admin) = admin_app().await;
    app.put("/api/admin/registration-window", &json!({"opens_on": "Sat", "opens_at": "00:00:00", "closes_on": "Tue", "closes_at": "23:59:00", "grace_hours": 24}))
        .by(&admin)
        .await;
    let audit = |query: &str| app.get(&format!("/api/admin/audit{query}")).by(&admin);
    let all: Value = audit("").await.good().await;
    assert_eq!(
        actions_of(&all),
        ["registration_window_update", "sign_in"],
        "newest first"
    );

    let filtered: Value = audit("?action=sign_in").await.good().await;
    assert_eq!(actions_of(&filtered), ["sign_in"]);
    assert_eq!(filtered[0]["username"], "admin", "entries name the person");
    // (Digits are stored in ASCII, as every typed text is normalised.)
    assert_eq!(filtered[0]["device_name"], "میز 1", "and the device");
    let by_someone_else: Value = audit("?user=nobody").await.good().await;
    assert!(actions_of(&by_someone_else).is_empty());

    let csv = audit("?format=csv").await;
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/csv")
    );
    let text = csv.text().await;
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
    let db = app.db().await;
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
    let venue = "سالن اجتماعات منطقهٔ ۶";
    let error = app
        .post("/api/admin/meetings", &plan(6, venue, 120))
        .by(&admin)
        .await
        .refused(422, "invalid_input")
        .await;
    assert_eq!(error["fields"][0]["code"], "meeting.over_capacity");

    let created = app
        .post("/api/admin/meetings", &plan(6, venue, 150))
        .by(&admin)
        .await;
    assert_eq!(created.status(), 201);
    let listed: Value = app.get("/api/admin/meetings").by(&admin).await.good().await;
    assert_eq!(listed[0]["district"], 6);
    assert_eq!(listed[0]["venue"], "سالن اجتماعات منطقهٔ 6");
    assert_eq!(listed[0]["starts_at"], "2026-12-01T06:30:00Z");
}

#[tokio::test]
async fn districts_are_renamed_and_deputy_domains_added_for_the_form() {
    let (app, admin) = admin_app().await;
    let put = |path: &str, body: Value| app.put(path, &body).by(&admin);
    let renamed = put(
        "/api/admin/districts/6",
        json!({"name_fa": "منطقهٔ ۶ (جلفا)", "name_en": "District 6"}),
    )
    .await;
    assert_eq!(renamed.status(), 204);
    let added = put(
        "/api/admin/deputies/sports",
        json!({"name_fa": "معاونت ورزش", "name_en": "Sports"}),
    )
    .await;
    assert_eq!(added.status(), 204);
    put(
        "/api/admin/deputies/Not-A-Slug",
        json!({"name_fa": "x", "name_en": "x"}),
    )
    .await
    .refused(422, "invalid_input")
    .await;
    put(
        "/api/admin/districts/6",
        json!({"name_fa": " ", "name_en": "District 6"}),
    )
    .await
    .refused(422, "invalid_input")
    .await;
    put(
        "/api/admin/districts/99",
        json!({"name_fa": "منطقه", "name_en": "District"}),
    )
    .await
    .refused(404, "not_found")
    .await;

    let options: Value = app.get("/api/registrations/options").await.good().await;
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
        .post(
            "/api/auth/sign-in",
            &json!({ "username": "field6", "password": PASSWORD, "device_name": "=HYPERLINK(\"http://x\")" }),
        )
        .await;
    assert_eq!(signed_in.status(), 200);
    let text = app
        .get("/api/admin/audit?format=csv&user=field6")
        .by(&admin)
        .await
        .text()
        .await;
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""),
        "defused and quoted: {text}"
    );
}

#[tokio::test]
async fn an_administrator_cannot_disable_their_own_account() {
    let (app, admin) = admin_app().await;
    let path = format!("/api/admin/users/{}/disable", admin.profile.user_id);
    let error = app
        .call(Method::POST, &path)
        .by(&admin)
        .await
        .refused(409, "user.own_account")
        .await;
    assert_eq!(
        error["message"]["fa"],
        "نمی‌توانید حساب خودتان را غیرفعال کنید."
    );
    assert_eq!(app.me(&admin).await.status(), 200, "still signed in");
}

#[tokio::test]
async fn a_meeting_is_rescheduled_but_stays_in_its_district() {
    let (app, admin) = admin_app().await;
    let created: Value = app
        .post("/api/admin/meetings", &plan(6, "سالن اجتماعات", 150))
        .by(&admin)
        .await
        .good()
        .await;
    let path = format!(
        "/api/admin/meetings/{}",
        created["id"].as_str().expect("id")
    );
    let moved = app
        .put(&path, &plan(6, "فرهنگسرای خورشید", 150))
        .by(&admin)
        .await;
    assert_eq!(moved.status(), 200);
    let listed: Value = app.get("/api/admin/meetings").by(&admin).await.good().await;
    assert_eq!(listed[0]["venue"], "فرهنگسرای خورشید");
    // The devices holding the meeting get the change.
    let synced: String = sqlx::query_scalar("SELECT body FROM sync_records WHERE kind = 'meeting'")
        .fetch_one(&app.db().await)
        .await
        .expect("the meeting's sync record");
    assert!(synced.contains("فرهنگسرای خورشید"));

    let error = app
        .put(&path, &plan(7, "فرهنگسرای خورشید", 150))
        .by(&admin)
        .await
        .refused(422, "invalid_input")
        .await;
    assert_eq!(error["fields"][0]["code"], "meeting.district_fixed");
    app.put("/api/admin/meetings/none", &plan(6, "فرهنگسرا", 150))
        .by(&admin)
        .await
        .refused(404, "not_found")
        .await;
}
