//! Rate limits as an attacker or an unlucky operator meets them: behind a
//! TLS proxy every client has its own address (and only trusted proxies
//! are believed), a person is limited however many addresses they use,
//! parallel wrong passwords cannot outrun the count, and strangers' guesses
//! lock neither an account's owner nor a tracking code's owner out.

use domain::auth::Role;
use serde_json::{Value, json};

use crate::citizens::submission;
use crate::helpers::{Answer, PASSWORD, TestApp, grant, sunday_noon};

/// A server behind a proxy on this machine, as the README's deployment.
async fn behind_proxy(settings: &[(&str, &str)]) -> TestApp {
    let mut all = vec![("DIDAR_TRUSTED_PROXIES", "127.0.0.1")];
    all.extend_from_slice(settings);
    TestApp::spawn_with(&all).await
}

async fn post_from(app: &TestApp, client: &str, path: &str, body: &Value) -> Answer {
    app.post(path, body).header("x-forwarded-for", client).await
}

fn registration(n: u32) -> Value {
    serde_json::to_value(submission(n, 6, sunday_noon())).expect("JSON")
}

#[tokio::test]
async fn clients_behind_a_trusted_proxy_are_limited_each_by_their_own_address() {
    let app = behind_proxy(&[("DIDAR_REGISTRATIONS_PER_HOUR", "3")]).await;
    for n in 0..3 {
        let sent = post_from(&app, "203.0.113.1", "/api/registrations", &registration(n)).await;
        assert_eq!(sent.status(), 201);
    }
    let fourth = post_from(&app, "203.0.113.1", "/api/registrations", &registration(3)).await;
    assert_eq!(fourth.status(), 429, "the same client is limited");
    let other = post_from(&app, "203.0.113.2", "/api/registrations", &registration(4)).await;
    assert_eq!(
        other.status(),
        201,
        "another citizen behind the same proxy is not"
    );
    // One phone's IPv6 /64 is one client, whatever address in it it uses.
    for (n, address) in [
        (10, "2001:db8:5:6::1"),
        (11, "2001:db8:5:6::2"),
        (12, "2001:db8:5:6::3"),
    ] {
        let sent = post_from(&app, address, "/api/registrations", &registration(n)).await;
        assert_eq!(sent.status(), 201);
    }
    let same_64 = post_from(
        &app,
        "2001:db8:5:6:ffff::9",
        "/api/registrations",
        &registration(13),
    )
    .await;
    assert_eq!(same_64.status(), 429);
}

#[tokio::test]
async fn forwarding_headers_from_an_untrusted_peer_are_ignored() {
    // No trusted proxy configured: the peer (127.0.0.1) is the client.
    let app = TestApp::spawn_with(&[("DIDAR_REGISTRATIONS_PER_HOUR", "2")]).await;
    for (n, claimed) in [(0, "198.51.100.1"), (1, "198.51.100.2")] {
        let sent = post_from(&app, claimed, "/api/registrations", &registration(n)).await;
        assert_eq!(sent.status(), 201);
    }
    let third = post_from(&app, "198.51.100.3", "/api/registrations", &registration(2)).await;
    assert_eq!(third.status(), 429, "a forged X-Forwarded-For buys nothing");
}

#[tokio::test]
async fn one_national_id_is_limited_however_many_addresses_send_it() {
    let app = behind_proxy(&[("DIDAR_REGISTRATIONS_PER_PERSON_PER_HOUR", "3")]).await;
    let mut statuses = Vec::new();
    for attempt in 0..4 {
        // The same person (national ID 7) with a new mobile each time, from
        // a new address each time: a script working through the limit.
        let mut body = registration(7);
        body["form"]["mobile"] = json!(format!("0935000000{attempt}"));
        let address = format!("203.0.113.{}", 10 + attempt);
        statuses.push(
            post_from(&app, &address, "/api/registrations", &body)
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(statuses, [201, 201, 201, 429]);
}

#[tokio::test]
async fn parallel_wrong_passwords_cannot_outrun_the_count_and_the_owner_still_signs_in() {
    let app = behind_proxy(&[]).await;
    app.create_user("field6", PASSWORD, &[grant(Role::FieldStaff, Some(6))])
        .await;
    let mut guesses = tokio::task::JoinSet::new();
    for n in 0..12 {
        let guess = app
            .post(
                "/api/auth/sign-in",
                &json!({ "username": "field6", "password": format!("wrong guess {n}") }),
            )
            .header("x-forwarded-for", "198.51.100.66");
        guesses.spawn(async move { guess.await.status().as_u16() });
    }
    let statuses = guesses.join_all().await;
    let tried = statuses.iter().filter(|status| **status == 401).count();
    assert_eq!(tried, 5, "only five guesses reached the hash: {statuses:?}");
    assert_eq!(statuses.iter().filter(|status| **status == 429).count(), 7);
    let from_attacker = post_from(
        &app,
        "198.51.100.66",
        "/api/auth/sign-in",
        &json!({ "username": "field6", "password": PASSWORD }),
    )
    .await;
    assert_eq!(
        from_attacker.status(),
        429,
        "the guesser's address is locked out"
    );
    let owner = post_from(
        &app,
        "203.0.113.50",
        "/api/auth/sign-in",
        &json!({ "username": "field6", "password": PASSWORD }),
    )
    .await;
    assert_eq!(owner.status(), 200, "the owner, elsewhere, is not");
    // Failures and the lockout are in the audit log, without the typed
    // name or password.
    let actions: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT action, target FROM audit_log WHERE action LIKE 'sign_in_%' ORDER BY id",
    )
    .fetch_all(&app.db().await)
    .await
    .expect("audit");
    let failed = actions
        .iter()
        .filter(|(action, _)| action == "sign_in_failed")
        .count();
    assert_eq!(failed, 5);
    assert_eq!(
        actions
            .iter()
            .filter(|(action, _)| action == "sign_in_locked")
            .count(),
        1
    );
    assert!(
        actions
            .iter()
            .all(|(_, target)| target.as_deref() != Some("field6"))
    );
}

#[tokio::test]
async fn strangers_guessing_a_codes_mobile_do_not_lock_its_owner_out() {
    let app = behind_proxy(&[]).await;
    let sent = submission(1, 6, sunday_noon());
    let owner_mobile = sent.form.mobile.clone();
    post_from(
        &app,
        "203.0.113.1",
        "/api/registrations",
        &serde_json::to_value(&sent).expect("JSON"),
    )
    .await;
    let lookup =
        |mobile: &str| json!({ "tracking_code": sent.tracking_code.as_str(), "mobile": mobile });
    for guess in 0..10 {
        let response = post_from(
            &app,
            "198.51.100.9",
            "/api/registrations/lookup",
            &lookup(&format!("0935000000{guess}")),
        )
        .await;
        assert_eq!(response.status(), 404);
    }
    let guesser = post_from(
        &app,
        "198.51.100.9",
        "/api/registrations/lookup",
        &lookup(&owner_mobile),
    )
    .await;
    assert_eq!(
        guesser.status(),
        429,
        "the guesser is stopped, even with the right mobile"
    );
    let owner = post_from(
        &app,
        "203.0.113.1",
        "/api/registrations/lookup",
        &lookup(&owner_mobile),
    )
    .await;
    assert_eq!(owner.status(), 200, "the owner still looks it up");
}

#[tokio::test]
async fn hsts_is_sent_when_configured() {
    let plain = TestApp::spawn().await;
    assert!(
        plain
            .get("/api/health")
            .await
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
    let app = TestApp::spawn_with(&[("DIDAR_HSTS_SECONDS", "31536000")]).await;
    assert_eq!(
        app.get("/").await.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}
