use crate::helpers::{
    FIELD_HTML, HASHED_JS, HASHED_WASM, INDEX_HTML, STAFF_HTML, TestApp, WASM_BYTES,
};

#[tokio::test]
async fn the_app_shell_is_served_at_the_root_and_always_revalidated() {
    let app = TestApp::spawn().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/html")
    );
    assert_eq!(response.text().await, INDEX_HTML);
}

#[tokio::test]
async fn client_side_routes_get_their_app_shell() {
    let app = TestApp::spawn().await;
    for (path, shell) in [
        ("/register", INDEX_HTML),
        ("/track", INDEX_HTML),
        ("/staffing", INDEX_HTML),
        // A field device's screens, in its own smaller bundle.
        ("/staff", FIELD_HTML),
        ("/staff/sign-in", FIELD_HTML),
        ("/staff/checkin", FIELD_HTML),
        ("/staff/checkin/door/m1", FIELD_HTML),
        // The other staff screens: the whole app.
        ("/staff/review", STAFF_HTML),
        ("/staff/admin/meetings", STAFF_HTML),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.text().await, shell, "{path}");
    }
}

#[tokio::test]
async fn a_missing_file_is_a_404_not_the_app_shell() {
    let app = TestApp::spawn().await;
    let response = app.get("/didar-ffffffffffffffff.js").await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn wasm_is_served_with_its_mime_type_and_cached_for_a_year() {
    let app = TestApp::spawn().await;
    let response = app.get(&format!("/{HASHED_WASM}")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/wasm");
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.bytes().await, WASM_BYTES);
}

#[tokio::test]
async fn the_precompressed_copy_is_sent_to_a_browser_that_accepts_brotli() {
    let app = TestApp::spawn().await;
    let path = format!("/{HASHED_JS}");
    let compressed = app.get(&path).header("accept-encoding", "br, gzip").await;
    assert_eq!(compressed.headers()["content-encoding"], "br");
    assert_eq!(compressed.bytes().await, b"brotli bytes");

    let plain = app.get(&path).await;
    assert!(plain.headers().get("content-encoding").is_none());
    assert!(
        plain.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .contains("javascript")
    );
}

#[tokio::test]
async fn the_service_worker_is_never_stored_by_the_http_cache() {
    let app = TestApp::spawn().await;
    let response = app.get("/sw.js").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
}
