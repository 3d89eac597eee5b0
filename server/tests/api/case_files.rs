//! The district's case files (issue 13): an administrator imports the
//! district's spreadsheet; a file with bad rows imports nothing and names
//! every bad row's line; a good one (BOM, Persian digits, UTF-16 too) is
//! imported in one transaction, and importing it again updates rather
//! than duplicates. The review committee of the district pulls the files
//! with the owner's key, never the national ID, and the key is the one
//! its citizen's requests carry.

use std::collections::BTreeMap;

use domain::case_files::CaseFile;
use domain::import::ImportReport;
use domain::sync::{Record, RecordKey};
use serde_json::Value;

use crate::citizens::national_id;
use crate::helpers::{Session, TestApp};
use crate::sync::{PASSWORD, app, pull_all, register};

const HEADER: &str = "شماره پرونده,موضوع,نشانی,نام مالک,کد ملی مالک,وضعیت,آخرین اقدام\r\n";

fn upload(app: &TestApp, admin: &Session, district: u8, bytes: Vec<u8>) -> crate::helpers::Call {
    app.call(
        reqwest::Method::POST,
        &format!("/api/admin/case-files/{district}"),
    )
    .by(admin)
    .body("text/csv", bytes)
}

async fn import(app: &TestApp, admin: &Session, text: &str) -> ImportReport {
    upload(app, admin, 6, text.as_bytes().to_vec())
        .await
        .good()
        .await
}

async fn case_files_of(app: &TestApp, who: &Session) -> BTreeMap<RecordKey, CaseFile> {
    let mut records = BTreeMap::new();
    pull_all(app, who, "", 500, &mut records).await;
    records
        .into_iter()
        .filter_map(|(key, record)| match record {
            Record::CaseFile(file) => Some((key, file)),
            _ => None,
        })
        .collect()
}

async fn stored_case_files(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sync_records WHERE kind = 'case_file'")
        .fetch_one(&app.db().await)
        .await
        .expect("a count")
}

/// Persian digits, a BOM, a quoted address with a comma: the file a
/// district office's spreadsheet saves.
fn good_file(owner: &str) -> String {
    let owner: String = domain::text::to_persian_digits(owner);
    format!(
        "\u{FEFF}{HEADER}۶/۱۴۰۲/۱۲,تخلف ساختمانی,\"چهارباغ، کوچهٔ ۳\",مریم کاظمی,{owner},در جریان,۱۴۰۳/۰۵/۱۲\r\n6/1401/7,پسماند,,شرکت نمونه,,مختومه,\r\n"
    )
}

#[tokio::test]
async fn a_file_with_bad_rows_imports_nothing_and_names_every_bad_line() {
    let app = app().await;
    let admin = app.session("admin", PASSWORD).await;
    let text = format!(
        "{HEADER}6/1402/12,تخلف,,مریم کاظمی,,,\r\n!!,تخلف,,علی,,,\r\n6/1402/13,,,علی,0084575941,,1403/13/01\r\n۶/۱۴۰۲/۱۲,تکرار,,علی,,,\r\n"
    );
    let error: Value = upload(&app, &admin, 6, text.into_bytes())
        .await
        .refused(422, "invalid_rows")
        .await;
    let rows: Vec<(u64, &str)> = error["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            (
                row["line"].as_u64().expect("a line"),
                row["code"].as_str().expect("a code"),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (3, "case_number.invalid_characters"),
            (4, "import.required"),
            (4, "national_id.bad_checksum"),
            (4, "jalali.month_out_of_range"),
            (5, "import.repeated"),
        ]
    );
    assert!(
        error["rows"][1]["message"]["fa"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert_eq!(stored_case_files(&app).await, 0);

    // A legacy code page would turn every letter into another: refused.
    let error = upload(&app, &admin, 6, vec![0xE4, 0xC7, 0xE3, b'\n'])
        .await
        .refused(422, "invalid_input")
        .await;
    assert_eq!(error["fields"][0]["code"], "import.not_unicode");
    assert_eq!(stored_case_files(&app).await, 0);
}

#[tokio::test]
async fn a_good_file_imports_once_and_again_updates_rather_than_duplicates() {
    let app = app().await;
    let admin = app.session("admin", PASSWORD).await;
    let owner = national_id(1);
    let report = import(&app, &admin, &good_file(&owner)).await;
    assert_eq!(
        report,
        ImportReport {
            added: 2,
            updated: 0,
            unchanged: 0
        }
    );
    let again = import(&app, &admin, &good_file(&owner)).await;
    assert_eq!(
        again,
        ImportReport {
            added: 0,
            updated: 0,
            unchanged: 2
        }
    );
    let changed = good_file(&owner).replace("مختومه", "در جریان");
    let report = import(&app, &admin, &changed).await;
    assert_eq!(
        report,
        ImportReport {
            added: 0,
            updated: 1,
            unchanged: 1
        }
    );
    assert_eq!(stored_case_files(&app).await, 2);

    // Excel's "Unicode text": UTF-16 with a byte-order mark, tabs between.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            changed
                .replace(',', "\t")
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let report: ImportReport = upload(&app, &admin, 6, utf16).await.good().await;
    assert_eq!(report.unchanged, 2);

    let audit: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'case_file_import' AND target = '6'",
    )
    .fetch_one(&app.db().await)
    .await
    .expect("a count");
    assert_eq!(audit, 4);
}

#[tokio::test]
async fn the_district_committee_pulls_the_files_keyed_to_their_owners_requests_without_national_ids()
 {
    let app = app().await;
    let admin = app.session("admin", PASSWORD).await;
    let request = register(&app, 1, 6).await;
    import(&app, &admin, &good_file(&national_id(1))).await;

    let review6 = app.session("review6", PASSWORD).await;
    let mut records = BTreeMap::new();
    pull_all(&app, &review6, "", 500, &mut records).await;
    let Some(Record::Registration(registration)) =
        records.get(&RecordKey::registration(&crate::helpers::id(&request)))
    else {
        panic!("the request is pulled");
    };
    let files = case_files_of(&app, &review6).await;
    assert_eq!(files.len(), 2);
    let owned = files
        .values()
        .find(|file| file.number.as_str() == "6/1402/12")
        .expect("the citizen's file");
    assert!(registration.citizen.is_some());
    assert_eq!(owned.owner, registration.citizen);
    assert_eq!(
        owned.owner_national_id_last4.as_ref().map(|d| d.as_str()),
        Some(&national_id(1)[6..])
    );
    let index = domain::case_files::CaseFileIndex::new(files.values().cloned().collect());
    let suggested = index.suggest(registration);
    assert_eq!(suggested.len(), 1);
    assert_eq!(suggested[0].0, domain::case_files::Match::Owner);

    // No national ID leaves the server in any record.
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM sync_records WHERE body IS NOT NULL")
            .fetch_all(&app.db().await)
            .await
            .expect("bodies");
    assert!(bodies.iter().all(|body| !body.contains(&national_id(1))));

    // Another district's committee and the district's field staff get none.
    for other in ["review7", "field6"] {
        let session = app.session(other, PASSWORD).await;
        let files = case_files_of(&app, &session).await;
        assert!(files.is_empty(), "{other} pulled case files");
    }
    // Only administrators import.
    let refused = upload(&app, &review6, 6, good_file("").into_bytes()).await;
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn each_request_of_a_citizen_carries_the_same_key_across_windows() {
    let app = app().await;
    let first = register(&app, 1, 6).await;
    let other = register(&app, 2, 6).await;
    // A week later, the same citizen asks again.
    app.clock.advance(chrono::TimeDelta::days(7));
    let again = crate::citizens::submission(1, 6, app.clock.now());
    let answer = app.post("/api/registrations", &again).await;
    assert_eq!(answer.status(), 201);
    let again: String = sqlx::query_scalar(
        "SELECT registration_id FROM registration_requests WHERE request_id = ?",
    )
    .bind(&again.request_id)
    .fetch_one(&app.db().await)
    .await
    .expect("the second request");
    assert_ne!(again, first);

    let review6 = app.session("review6", PASSWORD).await;
    let mut records = BTreeMap::new();
    pull_all(&app, &review6, "", 500, &mut records).await;
    let citizen = |id: &str| match records.get(&RecordKey::registration(&crate::helpers::id(id))) {
        Some(Record::Registration(record)) => record.citizen.clone(),
        _ => panic!("{id} is pulled"),
    };
    assert!(citizen(&first).is_some());
    assert_eq!(citizen(&first), citizen(&again));
    assert_ne!(citizen(&first), citizen(&other));
}
