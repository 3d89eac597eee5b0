//! Sync under faults: a link that breaks mid-push and mid-pull, and a
//! server killed with SIGKILL while devices push. Afterwards nothing the
//! server acknowledged is missing, nothing is applied twice, and the
//! device's copy equals the server's.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use domain::auth::Role;
use domain::sync::{Envelope, Outcome, Record, RecordKey};
use rand::{Rng, SeedableRng};

use crate::chaos::{ChaosProxy, Cut};
use crate::helpers::{Session, create_user_in, grant, session_at};
use crate::process::ServerProcess;
use crate::sync::{
    PASSWORD, Route, app, envelope, keep, pull_all, register, register_at, review, status_of,
    stored_status, try_pull_page, try_push,
};

/// The device's side of the protocol, retrying whatever did not get a
/// complete answer.
struct Device {
    route: Route,
    session: Session,
    outbox: Vec<Envelope>,
    copy: BTreeMap<RecordKey, Record>,
    cursor: String,
    broken_links: usize,
}

impl Device {
    async fn push_everything(&mut self) {
        for _attempt in 0..500 {
            if self.outbox.is_empty() {
                return;
            }
            let batch: Vec<Envelope> = self.outbox.iter().take(5).cloned().collect();
            match try_push(&self.route, &self.session, &batch).await {
                Ok(outcomes) => {
                    assert!(
                        outcomes.iter().all(Outcome::is_acknowledged),
                        "{outcomes:?}"
                    );
                    self.outbox.drain(..batch.len());
                }
                Err(_) => self.broken_links += 1,
            }
        }
        panic!("the outbox never emptied");
    }

    async fn pull_everything(&mut self) {
        for _attempt in 0..500 {
            match try_pull_page(&self.route, &self.session, &self.cursor, 7).await {
                Ok(page) => {
                    let more = page.more;
                    self.cursor = keep(page.changes, &mut self.copy, page.cursor);
                    if !more {
                        return;
                    }
                }
                Err(_) => self.broken_links += 1,
            }
        }
        panic!("the pull never finished");
    }
}

#[tokio::test]
async fn a_link_cut_mid_push_and_mid_pull_loses_and_doubles_nothing() {
    let app = app().await;
    let mut ids = Vec::new();
    for n in 0..30 {
        ids.push(register(&app, 500 + n, 6).await);
    }
    let proxy = ChaosProxy::start(&app.address).await;
    // One connection per request, so each meets the next cut of the plan.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("a client");
    let session = app.session("review6", PASSWORD).await;
    let mut random = rand::rngs::StdRng::seed_from_u64(7);
    let cuts: Vec<Cut> = (0..60)
        .map(|_| match random.gen_range(0..3) {
            0 => Cut::Pass,
            1 => Cut::RequestAfter(random.gen_range(20..1500)),
            _ => Cut::ResponseAfter(random.gen_range(10..600)),
        })
        .collect();
    proxy.plan(cuts);
    let mut device = Device {
        route: Route {
            client,
            address: proxy.address.clone(),
        },
        outbox: ids
            .iter()
            .map(|id| envelope(&session, review(id, "بررسی شد")))
            .collect(),
        session,
        copy: BTreeMap::new(),
        cursor: String::new(),
        broken_links: 0,
    };
    device.push_everything().await;
    device.pull_everything().await;
    assert!(
        device.broken_links > 5,
        "the proxy broke links: {}",
        device.broken_links
    );

    let db = app.db().await;
    let commands: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_commands")
        .fetch_one(&db)
        .await
        .expect("count");
    let applied: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'review_registration'")
            .fetch_one(&db)
            .await
            .expect("count");
    assert_eq!(
        (commands, applied),
        (30, 30),
        "each command stored and applied once"
    );
    let mut fresh = BTreeMap::new();
    let direct = app.session("review6", PASSWORD).await;
    pull_all(&app, &direct, "", 1000, &mut fresh).await;
    assert_eq!(device.copy, fresh, "the device's copy equals the server's");
    assert!(
        ids.iter()
            .all(|id| status_of(&fresh, id).as_deref() == Some("reviewed"))
    );
}

#[tokio::test]
async fn every_command_acknowledged_before_a_kill_9_is_there_after_restart() {
    let temp = tempfile::tempdir().expect("a directory");
    std::fs::create_dir_all(temp.path().join("dist")).expect("dist");
    let binary = env!("CARGO_BIN_EXE_didar-server");
    let server = ServerProcess::start(binary, temp.path(), &[]);
    let db_url = server.database_url();
    let db = server::db::Db::connect(&db_url)
        .await
        .expect("the database");
    create_user_in(
        &db,
        "review6",
        PASSWORD,
        &[grant(Role::ReviewCommittee, Some(6))],
    )
    .await;
    let route = Route {
        client: reqwest::Client::new(),
        address: server.address.clone(),
    };
    let mut ids = Vec::new();
    for n in 0..400 {
        ids.push(register_at(&route, &db, 1000 + n, 6).await);
    }
    db.close().await;

    // Four devices push one command at a time as fast as they can; the
    // server is killed once 50 were acknowledged, mid-way through 400.
    let counted = Arc::new(AtomicUsize::new(0));
    let mut devices = tokio::task::JoinSet::new();
    for chunk in ids.chunks(100) {
        let route = route.clone();
        let chunk = chunk.to_vec();
        let session = session_at(&route.client, &route.address, "review6", PASSWORD).await;
        let counted = counted.clone();
        devices.spawn(async move {
            let mut acknowledged = Vec::new();
            for id in chunk {
                let command = envelope(&session, review(&id, ""));
                match try_push(&route, &session, std::slice::from_ref(&command)).await {
                    Ok(outcomes) if outcomes == [Outcome::Applied] => {
                        counted.fetch_add(1, Ordering::SeqCst);
                        acknowledged.push((command.id.to_string(), id));
                    }
                    _ => break,
                }
            }
            acknowledged
        });
    }
    while counted.load(Ordering::SeqCst) < 50 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    let mut acknowledged = Vec::new();
    while let Some(done) = devices.join_next().await {
        acknowledged.extend(done.expect("a device task"));
    }
    assert!(
        !acknowledged.is_empty(),
        "some commands were acknowledged before the kill"
    );
    assert!(acknowledged.len() < ids.len(), "the kill came mid-way");

    let restarted = ServerProcess::start(binary, temp.path(), &[]);
    let db = server::db::Db::connect(&db_url)
        .await
        .expect("the database");
    for (command, registration) in &acknowledged {
        let stored: Option<String> =
            sqlx::query_scalar("SELECT outcome FROM sync_commands WHERE id = ?")
                .bind(command)
                .fetch_optional(&db)
                .await
                .expect("query");
        assert!(
            stored.is_some(),
            "acknowledged command {command} is missing"
        );
        let status = stored_status(&db, registration).await;
        assert_eq!(status, "reviewed");
    }
    restarted.kill();
}
