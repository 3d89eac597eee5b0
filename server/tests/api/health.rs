use crate::helpers::TestApp;

#[tokio::test]
async fn health_reports_the_server_and_its_database_up() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/health").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn an_unknown_api_path_gets_the_json_error_shape_in_both_languages() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/no-such-thing").await;
    assert_eq!(response.status(), 404);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("application/json")
    );
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(body["error"]["message"]["fa"], "چیزی که خواستید پیدا نشد.");
    assert_eq!(
        body["error"]["message"]["en"],
        "What you asked for was not found."
    );
}
