//! A district's local trustees (issue 13): an administrator imports the
//! district's list under the case files' rules (bad rows import nothing;
//! a trustee is found again by mobile), the screening committee of the
//! district pulls it without the full mobiles and invites from it within
//! the meeting's trustees' quota, and each invitation's SMS is queued once.

use std::collections::BTreeMap;

use domain::auth::Role;
use domain::import::ImportReport;
use domain::sync::{Command, Outcome, Record, Rejection};
use domain::trustees::Trustee;
use serde_json::json;

use crate::checkin::meeting_day;
use crate::helpers::{Session, TestApp, grant, id, sunday_noon};
use crate::sync::{PASSWORD, envelope, pull_all, push};

const HEADER: &str = "نام و نام خانوادگی,شماره همراه,محله,گروه\r\n";

fn list() -> String {
    format!(
        "\u{FEFF}{HEADER}حاج رضا صالحی,۰۹۱۳۱۲۳۴۵۶۷,جلفا,هیئت امنای مسجد\r\nمعصومه رحیمی,09137654321,مرداویج,شورایاری\r\n"
    )
}

fn upload(app: &TestApp, who: &Session, text: &str) -> crate::helpers::Call {
    app.call(reqwest::Method::POST, "/api/admin/trustees/6")
        .by(who)
        .body("text/csv", text.as_bytes().to_vec())
}

async fn trustees_pulled(app: &TestApp, who: &Session) -> Vec<Trustee> {
    let mut records = BTreeMap::new();
    pull_all(app, who, "", 500, &mut records).await;
    records
        .into_values()
        .filter_map(|record| match record {
            Record::Trustee(trustee) => Some(trustee),
            _ => None,
        })
        .collect()
}

/// District 6's meeting tomorrow with `quota` trustees' places.
async fn meeting(app: &TestApp, admin: &Session, quota: u16) -> String {
    let meeting: serde_json::Value = app
        .post(
            "/api/admin/meetings",
            &json!({
                "district": 6, "starts_at": (sunday_noon() + chrono::TimeDelta::days(1)).to_rfc3339(),
                "venue": "تالار منطقهٔ ۶", "capacity": 150, "citizen_quota": 100, "trustee_quota": quota
            }),
        )
        .by(admin)
        .await
        .good()
        .await;
    meeting["id"].as_str().expect("an id").to_string()
}

#[tokio::test]
async fn a_list_imports_once_and_again_finds_each_trustee_by_mobile() {
    let (app, admin) = meeting_day().await;
    let bad = format!("{HEADER}رضا,0913,,\r\nمعصومه رحیمی,09137654321,,\r\n");
    let error = upload(&app, &admin, &bad)
        .await
        .refused(422, "invalid_rows")
        .await;
    let lines: Vec<u64> = error["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| row["line"].as_u64().expect("a line"))
        .collect();
    assert_eq!(lines, [2, 2], "the name and the mobile of line 2");

    let report: ImportReport = upload(&app, &admin, &list()).await.good().await;
    assert_eq!(report.added, 2);
    let listed: Vec<Trustee> = app
        .get("/api/admin/trustees/6")
        .by(&admin)
        .await
        .good()
        .await;
    assert_eq!(listed.len(), 2);
    // The same people, one of them now in another neighbourhood: updated
    // in place, under the same id.
    let moved = list().replace("مرداویج", "بزرگمهر");
    let report: ImportReport = upload(&app, &admin, &moved).await.good().await;
    assert_eq!((report.added, report.updated, report.unchanged), (0, 1, 1));
    let again: Vec<Trustee> = app
        .get("/api/admin/trustees/6")
        .by(&admin)
        .await
        .good()
        .await;
    let ids = |list: &[Trustee]| list.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&again), ids(&listed));
    assert!(again.iter().any(|t| t.neighbourhood == "بزرگمهر"));

    // The district's screening committee pulls the list; no full mobile
    // is in any record; the review committee and field staff get none.
    let screening = app.session("screening6", PASSWORD).await;
    let pulled = trustees_pulled(&app, &screening).await;
    assert_eq!(pulled.len(), 2);
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM sync_records WHERE body IS NOT NULL")
            .fetch_all(&app.db().await)
            .await
            .expect("bodies");
    assert!(bodies.iter().all(|body| !body.contains("1234567")));
    for other in ["review6", "field6"] {
        let session = app.session(other, PASSWORD).await;
        assert!(trustees_pulled(&app, &session).await.is_empty(), "{other}");
    }
}

#[tokio::test]
async fn the_committee_invites_within_the_quota_and_each_trustee_gets_one_sms() {
    let (app, admin) = meeting_day().await;
    let _: ImportReport = upload(&app, &admin, &list()).await.good().await;
    let meeting = meeting(&app, &admin, 1).await;
    let listed: Vec<Trustee> = app
        .get("/api/admin/trustees/6")
        .by(&admin)
        .await
        .good()
        .await;
    let screening = app.session("screening6", PASSWORD).await;
    let invite = |trustee: &Trustee| {
        envelope(
            &screening,
            Command::InviteTrustee {
                trustee: trustee.id.clone(),
                meeting: id(&meeting),
                slot: None,
            },
        )
    };
    let first = invite(&listed[0]);
    assert_eq!(
        push(&app, &screening, std::slice::from_ref(&first)).await,
        [Outcome::Applied]
    );
    assert_eq!(
        push(&app, &screening, std::slice::from_ref(&first)).await,
        [Outcome::Duplicate]
    );
    // Cancelled, and the place goes to the other.
    let cancel = envelope(
        &screening,
        Command::UninviteTrustee {
            trustee: listed[0].id.clone(),
            meeting: id(&meeting),
        },
    );
    assert_eq!(push(&app, &screening, &[cancel]).await, [Outcome::Applied]);
    assert_eq!(
        push(&app, &screening, &[invite(&listed[1])]).await,
        [Outcome::Applied]
    );
    let refused = push(&app, &screening, &[invite(&listed[0])]).await;
    assert!(
        matches!(
            refused.as_slice(),
            [Outcome::Rejected {
                reason: Rejection::TrusteesFull,
                ..
            }]
        ),
        "{refused:?}"
    );
    let queued: Vec<(String, String)> =
        sqlx::query_as("SELECT mobile, body FROM sms_outbox ORDER BY id")
            .fetch_all(&app.db().await)
            .await
            .expect("the outbox");
    assert_eq!(queued.len(), 2, "one per trustee invited");
    assert!(queued[0].1.starts_with("معتمد گرامی"), "{}", queued[0].1);
    assert!(queued[0].1.contains("تالار منطقهٔ ۶"));
    // Only the district's screening committee invites.
    let other = app
        .staff("screening7", &[grant(Role::ScreeningCommittee, Some(7))])
        .await;
    let outcome = push(
        &app,
        &other,
        &[envelope(
            &other,
            Command::InviteTrustee {
                trustee: listed[0].id.clone(),
                meeting: id(&meeting),
                slot: None,
            },
        )],
    )
    .await;
    assert!(
        matches!(outcome.as_slice(), [Outcome::Rejected { .. }]),
        "{outcome:?}"
    );
}
