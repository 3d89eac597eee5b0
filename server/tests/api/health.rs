use crate::helpers::TestApp;

#[tokio::test]
async fn health_reports_the_server_and_its_database_up() {
    let app = TestApp::spawn().await;
    let body: serde_json::Value = app.get("/api/health").await.good().await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn an_unknown_api_path_gets_the_json_error_shape_in_both_languages() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/no-such-thing").await;
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("application/json")
    );
    let error = response.refused(404, "not_found").await;
    assert_eq!(error["message"]["fa"], "چیزی که خواستید پیدا نشد.");
    assert_eq!(error["message"]["en"], "What you asked for was not found.");
}

#[tokio::test]
async fn a_crashed_registration_writer_is_restarted_and_health_says_so() {
    use crate::citizens::submission;
    let app = TestApp::spawn().await;
    app.registrations.crash_writer().await;
    // The supervisor starts it again; registration goes on.
    let mut answered = 0;
    for n in 0..3 {
        let response = app
            .post(
                "/api/registrations",
                &submission(n, 6, crate::helpers::sunday_noon()),
            )
            .await;
        if response.status() == 201 {
            answered += 1;
        }
    }
    assert_eq!(answered, 3, "every registration after the crash is stored");
    let body: serde_json::Value = app.get("/api/health").await.good().await;
    assert_eq!(body["registration_writer"]["status"], "ok");
    assert_eq!(body["registration_writer"]["restarts"], 1);
}

#[tokio::test]
async fn every_api_answer_is_marked_no_store() {
    let app = TestApp::spawn().await;
    for path in [
        "/api/health",
        "/api/registrations/options",
        "/api/auth/me",
        "/api/nowhere",
    ] {
        let response = app.get(path).await;
        assert_eq!(
            response
                .headers()
                .get("cache-control")
                .map(|v| v.to_str().expect("ascii")),
            Some("no-store"),
            "{path}"
        );
    }
}
