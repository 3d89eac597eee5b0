//! A burst of citizen registrations against the real server (release
//! binary, SQLite file, loopback), next to what SQLite itself does at the
//! same durability, measured in the same run:
//!
//! 1. raw SQLite: single-row transactions (WAL, `synchronous=FULL`) and
//!    rows inserted in batches of 1,000 — the baselines;
//! 2. the server: registrations sent with 64 in flight — throughput, p50,
//!    p99;
//! 3. `kill -9` of the server in the middle of a burst, then every request
//!    that got a 2xx is looked for in the database: none may be missing.
//!
//! Bounded (a fixed number of requests), stops by itself. Prints a table and
//! writes `bench/results/registration_burst.json`.
//!
//! `DIDAR_SERVER_BIN` names the server binary (default
//! `target/release/didar-server`, built by `./scripts/bench`).

#[path = "../tests/support/citizens.rs"]
mod citizens;
#[path = "../tests/support/process.rs"]
mod process;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;

use citizens::{national_id, submission};
use process::ServerProcess;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};
use tokio::sync::Semaphore;

const RAW_SINGLE_ROWS: usize = 2_000;
const RAW_BATCHED_ROWS: usize = 50_000;
const BURST: usize = 4_000;
const IN_FLIGHT: usize = 64;
const KILL_AFTER: Duration = Duration::from_millis(1_500);
const KILL_BURST: usize = 20_000;

#[tokio::main]
async fn main() {
    let work = tempfile::tempdir().expect("a temporary directory");
    let single = raw_single_row_transactions(work.path()).await;
    let batched = raw_batched_inserts(work.path()).await;
    println!("raw SQLite (WAL, synchronous=FULL), same machine, same run:");
    println!("  single-row transactions   {single:>10.0} rows/s");
    println!("  batches of 1,000 rows     {batched:>10.0} rows/s");

    let burst = server_burst(&work.path().join("burst")).await;
    println!("\nserver: {BURST} registrations, {IN_FLIGHT} in flight, loopback:");
    println!(
        "  throughput                {:>10.0} registrations/s  ({:.2}× raw single-row transactions)",
        burst.per_second,
        burst.per_second / single
    );
    println!("  latency p50               {:>10.1} ms", burst.p50_ms);
    println!("  latency p99               {:>10.1} ms", burst.p99_ms);
    println!("  non-2xx answers           {:>10}", burst.failures);

    let crash = kill_mid_burst(&work.path().join("crash")).await;
    println!("\nkill -9 after {} ms of a burst:", KILL_AFTER.as_millis());
    println!("  acknowledged (2xx)        {:>10}", crash.acknowledged);
    println!("  found after the crash     {:>10}", crash.found);
    println!(
        "  lost                      {:>10}",
        crash.acknowledged - crash.found
    );

    let results = serde_json::json!({
        "raw_single_row_tx_per_s": single,
        "raw_batched_rows_per_s": batched,
        "server_registrations_per_s": burst.per_second,
        "ratio_to_raw_single_row": burst.per_second / single,
        "p50_ms": burst.p50_ms,
        "p99_ms": burst.p99_ms,
        "non_2xx": burst.failures,
        "crash_acknowledged": crash.acknowledged,
        "crash_found": crash.found,
    });
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/results");
    std::fs::create_dir_all(&out).expect("results directory");
    std::fs::write(out.join("registration_burst.json"), results.to_string()).expect("results file");
    if crash.found != crash.acknowledged {
        eprintln!("FAILED: acknowledged registrations were lost");
        std::process::exit(1);
    }
}

async fn raw_connection(file: &Path) -> sqlx::SqliteConnection {
    let mut connection = SqliteConnectOptions::new()
        .filename(file)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await
        .expect("raw SQLite");
    sqlx::query("CREATE TABLE rows (id TEXT PRIMARY KEY, national_id TEXT, full_name TEXT, mobile TEXT, description TEXT, created_at TEXT)")
        .execute(&mut connection)
        .await
        .expect("table");
    connection
}

async fn insert_row(connection: &mut sqlx::SqliteConnection, i: usize) {
    sqlx::query("INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?)")
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(national_id(i as u32))
        .bind("زهرا احمدی")
        .bind("+989123456789")
        .bind("پیاده‌روی خیابان ما سال‌هاست خراب مانده و کسی پاسخ نمی‌دهد.")
        .bind(Utc::now().to_rfc3339())
        .execute(connection)
        .await
        .expect("insert");
}

async fn raw_single_row_transactions(dir: &Path) -> f64 {
    let mut connection = raw_connection(&dir.join("single.db")).await;
    let start = Instant::now();
    for i in 0..RAW_SINGLE_ROWS {
        let mut tx = connection.begin().await.expect("begin");
        insert_row(&mut tx, i).await;
        tx.commit().await.expect("commit");
    }
    RAW_SINGLE_ROWS as f64 / start.elapsed().as_secs_f64()
}

async fn raw_batched_inserts(dir: &Path) -> f64 {
    let mut connection = raw_connection(&dir.join("batched.db")).await;
    let start = Instant::now();
    for batch in 0..RAW_BATCHED_ROWS / 1_000 {
        let mut tx = connection.begin().await.expect("begin");
        for i in 0..1_000 {
            insert_row(&mut tx, batch * 1_000 + i).await;
        }
        tx.commit().await.expect("commit");
    }
    RAW_BATCHED_ROWS as f64 / start.elapsed().as_secs_f64()
}

/// The release server (`DIDAR_SERVER_BIN`, default
/// `target/release/didar-server`, built by `./scripts/bench`).
pub fn start_server(dir: &Path) -> ServerProcess {
    let binary = std::env::var("DIDAR_SERVER_BIN").unwrap_or_else(|_| {
        format!(
            "{}/../target/release/didar-server",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    ServerProcess::start(&binary, dir, &[])
}

struct Burst {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    failures: usize,
}

/// Sends `count` registrations with `IN_FLIGHT` at a time; returns each
/// request's latency and the ids answered with 2xx.
async fn send_burst(url: &str, first: usize, count: usize) -> (Vec<Duration>, Vec<String>, usize) {
    let client = reqwest::Client::new();
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut tasks = tokio::task::JoinSet::new();
    for i in first..first + count {
        let permit = gate.clone().acquire_owned().await.expect("semaphore");
        let client = client.clone();
        let endpoint = format!("{url}/api/registrations");
        tasks.spawn(async move {
            let sent = submission(i as u32, (i % 15 + 1) as u8, Utc::now());
            let start = Instant::now();
            let ok = client
                .post(endpoint)
                .json(&sent)
                .send()
                .await
                .is_ok_and(|response| response.status().is_success());
            drop(permit);
            (start.elapsed(), ok.then_some(sent.request_id))
        });
    }
    let (mut latencies, mut acknowledged, mut failures) = (Vec::new(), Vec::new(), 0);
    while let Some(Ok((latency, id))) = tasks.join_next().await {
        latencies.push(latency);
        match id {
            Some(id) => acknowledged.push(id),
            None => failures += 1,
        }
    }
    (latencies, acknowledged, failures)
}

async fn server_burst(dir: &Path) -> Burst {
    let server = start_server(dir);
    // Warm up: connections, the page cache, the first database pages.
    send_burst(&server.address, 10_000_000, 200).await;
    let start = Instant::now();
    let (mut latencies, _, failures) = send_burst(&server.address, 0, BURST).await;
    let elapsed = start.elapsed();
    server.kill();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
    Burst {
        per_second: BURST as f64 / elapsed.as_secs_f64(),
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        failures,
    }
}

struct Crash {
    acknowledged: usize,
    found: usize,
}

async fn kill_mid_burst(dir: &Path) -> Crash {
    let server = start_server(dir);
    let url = server.address.clone();
    let data = server.data.clone();
    let burst = tokio::spawn(async move { send_burst(&url, 0, KILL_BURST).await });
    tokio::time::sleep(KILL_AFTER).await;
    server.kill();
    let (_, acknowledged, _) = burst.await.expect("the burst task");

    let mut db = SqliteConnectOptions::new()
        .filename(data.join("didar.db"))
        .connect()
        .await
        .expect("the crashed server's database");
    let mut found = 0;
    for id in &acknowledged {
        let present: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM registration_requests WHERE request_id = ?")
                .bind(id)
                .fetch_optional(&mut db)
                .await
                .expect("query");
        found += usize::from(present.is_some());
    }
    Crash {
        acknowledged: acknowledged.len(),
        found,
    }
}
