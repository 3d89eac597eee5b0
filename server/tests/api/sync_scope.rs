//! Personal data leaves a device when it leaves the user's scope (DESIGN
//! §5): a record that moves to another district arrives in the old one as
//! a tombstone, and a user who loses a grant gets a pull that starts over
//! and replaces the device's copy.

use std::collections::BTreeMap;

use domain::auth::Role;
use domain::registration::Submission;
use domain::sync::RecordKey;

use crate::citizens::submission;
use crate::helpers::{TestApp, grant, sunday_noon};
use crate::sync::{PASSWORD, app, pull_all, pull_page, status_of};

async fn send(app: &TestApp, sent: &Submission) -> String {
    let response = app.post("/api/registrations", sent).await;
    assert_eq!(response.status(), 201);
    sqlx::query_scalar("SELECT id FROM registrations WHERE national_id = ?")
        .bind(&sent.form.national_id)
        .fetch_one(&app.db().await)
        .await
        .expect("id")
}

#[tokio::test]
async fn a_request_moved_to_another_district_leaves_the_old_districts_devices() {
    let app = app().await;
    app.create_user(
        "review3",
        PASSWORD,
        &[grant(domain::auth::Role::ReviewCommittee, Some(3))],
    )
    .await;
    let first = submission(1, 6, sunday_noon());
    let id = send(&app, &first).await;
    let review6 = app.session("review6", PASSWORD).await;
    let review3 = app.session("review3", PASSWORD).await;
    let mut in6 = BTreeMap::new();
    let (cursor6, _) = pull_all(&app, &review6, "", 100, &mut in6).await;
    assert_eq!(status_of(&in6, &id).as_deref(), Some("submitted"));

    // The citizen corrects the district from the same mobile.
    let mut corrected = submission(1, 3, sunday_noon());
    corrected.form.mobile = first.form.mobile.clone();
    assert_eq!(send(&app, &corrected).await, id, "the same request");

    let page = pull_page(&app, &review6, &cursor6, 100).await;
    assert!(!page.reset);
    let change = page
        .changes
        .iter()
        .find(|change| change.key == RecordKey::registration(&crate::helpers::id(&id)))
        .expect("district 6 is told");
    assert!(
        change.record.is_none(),
        "a tombstone: the device deletes its copy"
    );
    let mut in3 = BTreeMap::new();
    pull_all(&app, &review3, "", 100, &mut in3).await;
    assert_eq!(status_of(&in3, &id).as_deref(), Some("submitted"));
}

#[tokio::test]
async fn a_user_who_loses_a_grant_gets_a_pull_that_replaces_the_devices_copy() {
    let app = app().await;
    let in6 = send(&app, &submission(1, 6, sunday_noon())).await;
    let in7 = send(&app, &submission(2, 7, sunday_noon())).await;
    let review6 = app.session("review6", PASSWORD).await;
    let db = app.db().await;
    app.add_grant(
        &review6.profile.user_id,
        grant(Role::ReviewCommittee, Some(7)),
    )
    .await;
    let mut copy = BTreeMap::new();
    let (cursor, _) = pull_all(&app, &review6, "", 100, &mut copy).await;
    assert!(status_of(&copy, &in7).is_some());

    sqlx::query("DELETE FROM user_grants WHERE user_id = ? AND district_id = 7")
        .bind(review6.profile.user_id.as_str())
        .execute(&db)
        .await
        .expect("grant taken away");
    let page = pull_page(&app, &review6, &cursor, 100).await;
    assert!(page.reset, "the old cursor was made for other scopes");
    pull_all(&app, &review6, &cursor, 100, &mut copy).await;
    assert!(
        status_of(&copy, &in7).is_none(),
        "district 7's request is gone"
    );
    assert!(status_of(&copy, &in6).is_some());
}
