//! What the benchmarks against the release server share: the server as a
//! process with the built client, citizens registered through the public
//! API as phones do, the browser half of a benchmark run in Chromium, and
//! the results written to `bench/results/`.

use std::path::Path;
use std::sync::Arc;

use chrono::Utc;
use serde_json::Value;
use tokio::sync::Semaphore;

use crate::citizens::submission;
use crate::process::ServerProcess;

/// The release server (`DIDAR_SERVER_BIN`, default
/// `target/release/didar-server`, built by `./scripts/bench`) with its
/// data under `work` and the client built in `dist/`.
pub fn release_server(work: &Path) -> ServerProcess {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist");
    let binary = std::env::var("DIDAR_SERVER_BIN").unwrap_or_else(|_| {
        format!(
            "{}/../target/release/didar-server",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    ServerProcess::start(
        &binary,
        work,
        &[("DIDAR_DIST_DIR", dist.to_str().expect("a UTF-8 path"))],
    )
}

/// Registers citizens `first..first + count` in `district`, 64 requests in
/// flight; returns the district's request ids, in id order.
pub async fn register_many(
    client: &reqwest::Client,
    address: &str,
    db: &server::db::Db,
    first: u32,
    count: u32,
    district: u8,
) -> Vec<String> {
    let gate = Arc::new(Semaphore::new(64));
    let mut tasks = tokio::task::JoinSet::new();
    for n in first..first + count {
        let permit = gate.clone().acquire_owned().await.expect("semaphore");
        let request = client
            .post(format!("{address}/api/registrations"))
            .json(&submission(n, district, Utc::now()));
        tasks.spawn(async move {
            let response = request.send().await.expect("answered");
            assert!(response.status().is_success(), "registration {n}");
            drop(permit);
        });
    }
    while tasks.join_next().await.is_some() {}
    sqlx::query_scalar("SELECT id FROM registrations WHERE district_id = ? ORDER BY id")
        .bind(i64::from(district))
        .fetch_all(db)
        .await
        .expect("ids")
}

/// Runs `bench/{script}` in Node with `settings` in its environment; the
/// one JSON object it prints.
pub fn browser(script: &str, settings: &[(&str, String)]) -> Value {
    let mut node = std::process::Command::new("node");
    node.arg(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../bench")
            .join(script),
    )
    .stderr(std::process::Stdio::inherit());
    for (name, value) in settings {
        node.env(name, value);
    }
    let output = node
        .output()
        .unwrap_or_else(|error| panic!("node runs bench/{script}: {error}"));
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "the browser benchmark failed ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// Writes `bench/results/{name}.json`.
pub fn write_results(name: &str, results: &Value) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench/results");
    std::fs::create_dir_all(&dir).expect("bench/results");
    std::fs::write(
        dir.join(format!("{name}.json")),
        serde_json::to_string_pretty(results).expect("JSON"),
    )
    .expect("the results file");
}
