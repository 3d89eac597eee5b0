//! The executive committee's work at a district's scale (issue 13),
//! against the release server on loopback with its SQLite file:
//!
//! 1. CSV import of 50,000 case files (`POST /api/admin/case-files/8`):
//!    rows per second, first as new files and then the same file again
//!    (nothing changes), next to a raw batched SQLite insert of the same
//!    rows (batches of 1,000, WAL, `synchronous=FULL`) in the same run;
//! 2. device side, in Chromium (`bench/review-browser.mjs`): the queue of
//!    20,000 requests of district 7 — time to the first screen, next to a
//!    raw IndexedDB read of the same rows, and each keystroke of its
//!    search, next to a plain substring scan of the same texts.
//!
//! Prints a table and writes `bench/results/review.json`.

#[path = "support/bench.rs"]
mod bench;
#[path = "../tests/support/citizens.rs"]
mod citizens;
#[path = "../tests/support/process.rs"]
mod process;
#[path = "../tests/support/staff.rs"]
mod staff;

use std::path::Path;
use std::time::Instant;

use domain::auth::{Grant, Role};
use domain::district::DistrictId;
use serde_json::{Value, json};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};

use bench::{browser, register_many, release_server, write_results};
use citizens::{letters, national_id};
use staff::{create_user_in, session_at};

const CASE_FILES: u32 = 50_000;
const IMPORT_DISTRICT: u8 = 8;
const REQUESTS: u32 = 20_000;
const QUEUE_DISTRICT: u8 = 7;
const PASSWORD: &str = "a long enough pass phrase";

/// One case file's fields, as the spreadsheet and the raw insert both
/// carry them; every other owner has a national ID (the server keys it).
fn case_file(n: u32) -> [String; 7] {
    [
        format!("{IMPORT_DISTRICT}/{}/{n}", 1390 + n % 15),
        "تخلف ساختمانی در طبقهٔ سوم".into(),
        format!("خیابان {}، کوچهٔ {}", letters(n % 500), n % 40),
        format!("مالک {}", letters(n)),
        if n.is_multiple_of(2) {
            national_id(n)
        } else {
            String::new()
        },
        "در جریان".into(),
        format!("1403/{:02}/{:02}", 1 + n % 12, 1 + n % 28),
    ]
}

fn spreadsheet() -> String {
    let mut text =
        String::from("\u{FEFF}شماره پرونده,موضوع,نشانی,نام مالک,کد ملی مالک,وضعیت,آخرین اقدام\r\n");
    for n in 0..CASE_FILES {
        text.push_str(&domain::csv::line(case_file(n)));
    }
    text
}

/// The baseline: the same rows into a plain table, 1,000 per transaction.
async fn raw_batched_insert(file: &Path) -> f64 {
    let mut connection = SqliteConnectOptions::new()
        .filename(file)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await
        .expect("raw SQLite");
    sqlx::query(
        "CREATE TABLE case_files (number TEXT PRIMARY KEY, subject TEXT, address TEXT, \
         owner_name TEXT, owner_national_id TEXT, status TEXT, last_activity TEXT)",
    )
    .execute(&mut connection)
    .await
    .expect("table");
    let start = Instant::now();
    for batch in 0..CASE_FILES / 1_000 {
        let mut tx = connection.begin().await.expect("begin");
        for n in batch * 1_000..(batch + 1) * 1_000 {
            let mut insert = sqlx::query("INSERT INTO case_files VALUES (?, ?, ?, ?, ?, ?, ?)");
            for field in case_file(n) {
                insert = insert.bind(field);
            }
            insert.execute(&mut *tx).await.expect("insert");
        }
        tx.commit().await.expect("commit");
    }
    f64::from(CASE_FILES) / start.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let work = tempfile::tempdir().expect("a temporary directory");
    let server = release_server(work.path());
    let client = reqwest::Client::new();
    let db = server::db::Db::connect(&server.database_url())
        .await
        .expect("the database");
    for (name, role, district) in [
        ("admin", Role::Administrator, None),
        ("review7", Role::ReviewCommittee, Some(QUEUE_DISTRICT)),
    ] {
        let district = district.map(|n| DistrictId::new(n).expect("a district"));
        create_user_in(&db, name, PASSWORD, &[Grant { role, district }]).await;
    }
    let address = server.address.clone();
    let admin = session_at(&client, &address, "admin", PASSWORD).await;

    // 1. The import, next to the raw insert.
    let text = spreadsheet();
    println!(
        "importing {CASE_FILES} case files ({:.1} MB of CSV)…",
        text.len() as f64 / 1e6
    );
    let import = || async {
        let start = Instant::now();
        let answer = admin
            .request(
                &client,
                reqwest::Method::POST,
                &format!("{address}/api/admin/case-files/{IMPORT_DISTRICT}"),
            )
            .header("content-type", "text/csv")
            .body(text.clone())
            .send()
            .await
            .expect("answered");
        let status = answer.status();
        let report: Value = answer.json().await.expect("a JSON answer");
        assert!(status.is_success(), "the import was refused: {report}");
        (
            f64::from(CASE_FILES) / start.elapsed().as_secs_f64(),
            report,
        )
    };
    let (first_rate, first) = import().await;
    assert_eq!(first["added"], CASE_FILES, "{first}");
    let (again_rate, again) = import().await;
    assert_eq!(again["unchanged"], CASE_FILES, "{again}");
    let raw_rate = raw_batched_insert(&work.path().join("raw.db")).await;
    println!("\nCSV import of {CASE_FILES} case files (rows/s), same run:");
    println!("  raw batched SQLite insert        {raw_rate:>10.0}");
    println!(
        "  server, new files                {first_rate:>10.0}  → {:.2}× raw",
        first_rate / raw_rate
    );
    println!(
        "  server, the same file again      {again_rate:>10.0}  → {:.2}× raw",
        again_rate / raw_rate
    );

    // 2. The queue on a device.
    println!("\nregistering {REQUESTS} requests in district {QUEUE_DISTRICT}…");
    register_many(&client, &address, &db, 0, REQUESTS, QUEUE_DISTRICT).await;
    let browser = browser(
        "review-browser.mjs",
        &[
            ("DIDAR_URL", address.clone()),
            ("DIDAR_PASSWORD", PASSWORD.to_string()),
            ("DIDAR_REQUESTS", REQUESTS.to_string()),
        ],
    );
    server.kill();
    let figure = |path: &[&str]| {
        path.iter()
            .fold(&browser, |value, key| &value[*key])
            .as_f64()
            .unwrap_or(f64::NAN)
    };
    println!(
        "\nreview queue of {REQUESTS} requests on the device (Chromium), same page, same run:"
    );
    println!(
        "  first screen (navigation → first cards, counted)  {:>8.0} ms",
        figure(&["first_screen_ms"])
    );
    println!(
        "  raw IndexedDB read of the same rows               {:>8.0} ms  → ratio {:.2}×",
        figure(&["raw_read_ms"]),
        figure(&["first_screen_ms"]) / figure(&["raw_read_ms"])
    );
    for (label, key) in [
        ("keystroke, handled", "search_ms"),
        ("keystroke, painted", "search_painted_ms"),
        ("plain scan of the same texts", "scan_ms"),
    ] {
        println!(
            "  {label:<30} p50 {:>6.1} ms   p95 {:>6.1} ms",
            figure(&[key, "p50"]),
            figure(&[key, "p95"])
        );
    }
    println!(
        "  ratio handled / scan: p50 {:.1}×, p95 {:.1}×",
        figure(&["search_ms", "p50"]) / figure(&["scan_ms", "p50"]),
        figure(&["search_ms", "p95"]) / figure(&["scan_ms", "p95"])
    );
    let results = json!({
        "date": chrono::Utc::now().to_rfc3339(),
        "import": {
            "rows": CASE_FILES,
            "raw_rows_per_s": raw_rate,
            "server_new_rows_per_s": first_rate,
            "server_unchanged_rows_per_s": again_rate,
        },
        "queue": browser,
    });
    write_results("review", &results);
}
