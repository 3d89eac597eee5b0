use crate::helpers::TestApp;

#[tokio::test]
async fn an_empty_database_is_seeded_with_the_city() {
    let app = TestApp::spawn().await;
    let db = app.db().await;
    let districts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM districts")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(districts, 15);
    let deputies: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM deputies")
        .fetch_one(&db)
        .await
        .expect("count");
    assert!(deputies >= 5);
    // Production mode (the default) creates no demo accounts.
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(users, 0);
}

#[tokio::test]
async fn restarting_on_the_same_database_runs_migrations_and_seeding_once() {
    let first = TestApp::spawn().await;
    let db = first.db().await;
    let district = domain::district::DistrictId::new(6).expect("a district");
    let mut conn = db.acquire().await.expect("a connection");
    server::admin::queries::rename_district(
        &mut conn,
        district,
        "منطقهٔ ۶",
        "Renamed by an administrator",
    )
    .await
    .expect("renamed");
    drop(conn);
    let dir = first.dir.clone();

    let second = TestApp::start_in(&dir).await;
    assert_eq!(second.get("/api/health").await.status(), 200);
    let districts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM districts")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(districts, 15, "seeding did not run again");
    let renamed: String = sqlx::query_scalar("SELECT name_en FROM districts WHERE id = 6")
        .fetch_one(&db)
        .await
        .expect("name");
    assert_eq!(
        renamed, "Renamed by an administrator",
        "an edit survives a restart"
    );
    let migrations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(&db)
        .await
        .expect("count");
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .expect("migrations directory")
        .count();
    assert_eq!(migrations as usize, files);
}

#[tokio::test]
async fn the_database_runs_in_wal_mode_with_foreign_keys() {
    let app = TestApp::spawn().await;
    let db = app.db().await;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&db)
        .await
        .expect("pragma");
    assert_eq!(mode, "wal");
}
