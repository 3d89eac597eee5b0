//! Staff sessions: the cookie, fixation, sign-out, expiry and idleness,
//! disabled accounts, CSRF, the sign-in rate limit, equal timing for
//! unknown users, and revoked devices.

use std::time::{Duration, Instant};

use chrono::TimeDelta;
use domain::auth::Role;
use reqwest::Method;
use serde_json::Value;

use crate::helpers::{PASSWORD, Session, TestApp, grant};

async fn app_with_field_staff() -> TestApp {
    let app = TestApp::spawn().await;
    app.create_user("field6", PASSWORD, &[grant(Role::FieldStaff, Some(6))])
        .await;
    app
}

async fn admin_of(app: &TestApp) -> Session {
    app.staff("admin", &[grant(Role::Administrator, None)])
        .await
}

#[tokio::test]
async fn sign_in_sets_a_host_prefixed_http_only_secure_strict_cookie() {
    let app = app_with_field_staff().await;
    let response = app.sign_in("Field6", PASSWORD).await;
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(cookie.starts_with("__Host-didar_session="), "{cookie}");
    for attribute in [
        "Path=/",
        "HttpOnly",
        "SameSite=Strict",
        "Secure",
        "Max-Age=43200",
    ] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(
        !cookie.contains("Domain="),
        "__Host- cookies name no domain"
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    let profile: Value = response.good().await;
    assert_eq!(profile["username"], "field6");
    assert_eq!(profile["grants"][0]["role"], "field_staff");
    assert_eq!(profile["grants"][0]["district"], 6);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    let app = app_with_field_staff().await;
    let wrong = app.sign_in("field6", "not the password at all").await;
    let unknown = app.sign_in("nobody", "not the password at all").await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    assert_eq!(wrong.text().await, unknown.text().await);
}

#[tokio::test]
async fn an_unknown_username_takes_about_as_long_as_a_wrong_password() {
    let app = TestApp::spawn_with(&[]).await;
    app.create_user("field6", PASSWORD, &[grant(Role::FieldStaff, Some(6))])
        .await;
    // Different addresses would need a proxy; the per-account limit allows
    // 5 tries per name, so each try uses a fresh unknown name.
    let mut wrong = Vec::new();
    let mut unknown = Vec::new();
    for round in 0..4 {
        let start = Instant::now();
        app.sign_in("field6", "wrong password here").await;
        wrong.push(start.elapsed());
        let start = Instant::now();
        app.sign_in(&format!("ghost{round}"), "wrong password here")
            .await;
        unknown.push(start.elapsed());
    }
    wrong.sort();
    unknown.sort();
    let (wrong, unknown) = (wrong[2], unknown[2]);
    // Loose on purpose: the point is that an unknown user is not answered
    // in a fraction of the time (no hash) — a factor of 3 either way.
    assert!(
        unknown * 3 > wrong && wrong * 3 > unknown,
        "median wrong password {wrong:?}, unknown user {unknown:?}"
    );
    assert!(unknown > Duration::from_millis(1), "a hash was computed");
}

#[tokio::test]
async fn signing_in_again_gives_a_new_session_id_and_ends_the_one_presented() {
    let app = app_with_field_staff().await;
    let first = app.session("field6", PASSWORD).await;
    let response = app
        .call(Method::POST, "/api/auth/sign-in")
        .by(&first)
        .json(&serde_json::json!({ "username": "field6", "password": PASSWORD }))
        .await;
    let second_cookie = response.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(!second_cookie.starts_with(&first.cookie), "a fresh id");
    app.me(&first).await.refused(401, "auth.no_session").await;
}

#[tokio::test]
async fn sign_out_ends_the_session_on_the_server() {
    let app = app_with_field_staff().await;
    let session = app.session("field6", PASSWORD).await;
    assert_eq!(app.me(&session).await.status(), 200);
    let out = app
        .call(Method::POST, "/api/auth/sign-out")
        .by(&session)
        .await;
    assert_eq!(out.status(), 204);
    assert!(
        out.headers()["set-cookie"]
            .to_str()
            .expect("ascii")
            .contains("Max-Age=0")
    );
    app.me(&session).await.refused(401, "auth.no_session").await;
}

#[tokio::test]
async fn an_idle_session_and_an_expired_session_end() {
    let app = app_with_field_staff().await;
    let idle = app.session("field6", PASSWORD).await;
    app.clock.advance(TimeDelta::minutes(61));
    app.me(&idle).await.refused(401, "auth.expired").await;

    // Kept busy, a session still ends after its 12 hours.
    let busy = app.session("field6", PASSWORD).await;
    for _ in 0..12 {
        app.clock.advance(TimeDelta::minutes(59));
        let me = app.me(&busy).await;
        assert_eq!(me.status(), 200, "used within the idle timeout");
    }
    app.clock.advance(TimeDelta::minutes(59));
    app.me(&busy).await.refused(401, "auth.expired").await;
}

#[tokio::test]
async fn a_disabled_account_loses_its_sessions_and_cannot_sign_in() {
    let app = app_with_field_staff().await;
    let admin = admin_of(&app).await;
    let field = app.session("field6", PASSWORD).await;
    let users: Value = app.get("/api/admin/users").by(&admin).await.good().await;
    let id = users
        .as_array()
        .expect("users")
        .iter()
        .find(|user| user["username"] == "field6")
        .expect("field6")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let disable = app
        .call(Method::POST, &format!("/api/admin/users/{id}/disable"))
        .by(&admin)
        .await;
    assert_eq!(disable.status(), 204);
    assert_eq!(app.me(&field).await.status(), 401);
    app.sign_in("field6", PASSWORD)
        .await
        .refused(401, "auth.account_disabled")
        .await;
}

#[tokio::test]
async fn an_unsafe_request_without_the_csrf_token_is_refused() {
    let app = app_with_field_staff().await;
    let session = app.session("field6", PASSWORD).await;
    app.call(Method::POST, "/api/auth/sign-out")
        .header("cookie", &session.cookie)
        .await
        .refused(403, "auth.csrf")
        .await;
    app.call(Method::POST, "/api/auth/sign-out")
        .header("cookie", &session.cookie)
        .header("x-csrf-token", &"0".repeat(64))
        .await
        .refused(403, "auth.csrf")
        .await;
    let me = app.me(&session).await;
    assert_eq!(me.status(), 200, "the forged sign-out did nothing");
}

#[tokio::test]
async fn repeated_wrong_passwords_for_one_account_are_slowed_with_retry_after() {
    let app = app_with_field_staff().await;
    for _ in 0..5 {
        assert_eq!(
            app.sign_in("field6", "wrong password here").await.status(),
            401
        );
    }
    let limited = app.sign_in("field6", PASSWORD).await;
    assert!(limited.headers().contains_key("retry-after"));
    let error = limited.refused(429, "too_many_requests").await;
    assert!(error["message"]["fa"].as_str().expect("fa").contains("بعد"));
}

#[tokio::test]
async fn signing_out_other_sessions_keeps_this_one() {
    let app = app_with_field_staff().await;
    let phone = app.session("field6", PASSWORD).await;
    let tablet = app.session("field6", PASSWORD).await;
    let out = app
        .call(Method::POST, "/api/auth/sign-out-others")
        .by(&phone)
        .await;
    assert_eq!(out.status(), 204);
    for (session, expected) in [(&phone, 200), (&tablet, 401)] {
        assert_eq!(app.me(session).await.status(), expected);
    }
}

#[tokio::test]
async fn a_revoked_device_is_refused_and_told_to_clear_its_data() {
    let app = app_with_field_staff().await;
    let admin = admin_of(&app).await;
    let field = app.session("field6", PASSWORD).await;
    let revoke = app
        .call(
            Method::POST,
            &format!("/api/admin/devices/{}/revoke", field.profile.device_id),
        )
        .by(&admin)
        .await;
    assert_eq!(revoke.status(), 204);
    app.me(&field)
        .await
        .refused(403, "auth.device_revoked")
        .await;
    // Signing in again from that device is refused, with the reason.
    let error = app
        .post(
            "/api/auth/sign-in",
            &serde_json::json!({ "username": "field6", "password": PASSWORD, "device_id": field.profile.device_id }),
        )
        .await
        .refused(403, "auth.device_revoked")
        .await;
    assert!(
        error["message"]["fa"]
            .as_str()
            .expect("fa")
            .contains("پاک کنید")
    );
}

async fn revoke(app: &TestApp, admin: &Session, device: &str, also: &str) -> u16 {
    let path = format!("/api/admin/devices/{device}/revoke");
    app.post(&path, &serde_json::json!({ "also": also }))
        .by(admin)
        .await
        .status()
        .as_u16()
}

#[tokio::test]
async fn revoking_a_device_can_end_its_users_sessions_or_disable_the_account_in_one_step() {
    let app = app_with_field_staff().await;
    app.create_user("field7", PASSWORD, &[grant(Role::FieldStaff, Some(7))])
        .await;
    let admin = admin_of(&app).await;

    // Ending the sessions: the user's other device must sign in again.
    let lost = app.session("field6", PASSWORD).await;
    let other = app.session("field6", PASSWORD).await;
    assert_eq!(
        revoke(
            &app,
            &admin,
            lost.profile.device_id.as_str(),
            "end_sessions"
        )
        .await,
        204
    );
    app.me(&lost)
        .await
        .refused(403, "auth.device_revoked")
        .await;
    assert_eq!(app.me(&other).await.status(), 401);
    assert_eq!(
        app.sign_in("field6", PASSWORD).await.status(),
        200,
        "a new device may sign in"
    );

    // Disabling: the person cannot sign straight back in as a new device.
    let leaver = app.session("field7", PASSWORD).await;
    assert_eq!(
        revoke(
            &app,
            &admin,
            leaver.profile.device_id.as_str(),
            "disable_account"
        )
        .await,
        204
    );
    app.sign_in("field7", PASSWORD)
        .await
        .refused(401, "auth.account_disabled")
        .await;

    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE user_id = ? AND action IN ('device_revoke', 'user_sessions_end', 'user_disable') ORDER BY id",
    )
    .bind(admin.profile.user_id.as_str())
    .fetch_all(&app.db().await)
    .await
    .expect("audit");
    assert_eq!(
        actions,
        [
            "device_revoke",
            "user_sessions_end",
            "device_revoke",
            "user_disable"
        ]
    );
}

#[tokio::test]
async fn reads_do_not_write_the_session_on_every_request() {
    let app = app_with_field_staff().await;
    let session = app.session("field6", PASSWORD).await;
    let last_seen = || async {
        sqlx::query_scalar::<_, String>("SELECT last_seen_at FROM sessions")
            .fetch_one(&app.db().await)
            .await
            .expect("session")
    };
    let signed_in_at = last_seen().await;
    app.clock.advance(TimeDelta::seconds(20));
    assert_eq!(app.me(&session).await.status(), 200);
    assert_eq!(
        last_seen().await,
        signed_in_at,
        "no write within the minute"
    );
    app.clock.advance(TimeDelta::seconds(50));
    assert_eq!(app.me(&session).await.status(), 200);
    assert_ne!(
        last_seen().await,
        signed_in_at,
        "touched once it is a minute old"
    );
}
