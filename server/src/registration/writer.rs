//! Group commit for registrations. Bursts come (a banner campaign, a
//! weekend evening), and with `synchronous=FULL` every SQLite commit waits
//! for the disk. One writer task takes every submission waiting at that
//! moment and commits them together — one disk sync for the lot — so the
//! server accepts more registrations per second than one-by-one commits
//! would allow (DESIGN §7), and each is still answered only after it is
//! durable.
//!
//! When one submission of a batch fails (say, a database constraint), the
//! batch is rolled back and each submission is committed alone, so the
//! failing one is answered with its error and the others are stored.
//!
//! The writer is supervised: if its task ever dies (a panic in a driver),
//! it is started again on the same queue, the restart is logged and
//! counted for `/api/health`, and registration goes on. The submissions of
//! the batch that died were not committed; their senders get an error and
//! the phones send them again.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use domain::registration::{Registration, Submission, WindowId};
use tokio::sync::{Mutex, mpsc, oneshot};

use super::queries::{self, StoredAnswer};
use crate::db::{self, Db};
use crate::error::ApiError;

/// The most submissions committed together; bounds the time one commit
/// holds the write lock.
const MAX_BATCH: usize = 128;
/// Submissions that may wait for the writer before senders wait too.
const QUEUE: usize = 4096;

struct Job {
    submission: Submission,
    registration: Registration,
    window: WindowId,
    received_at: DateTime<Utc>,
}

type Reply = oneshot::Sender<Result<StoredAnswer, ApiError>>;

enum Message {
    Record(Box<Job>, Reply),
    /// Makes the writer task panic: how the tests prove the supervisor.
    Crash,
}

type Queue = Arc<Mutex<mpsc::Receiver<Message>>>;

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Message>,
    restarts: Arc<AtomicU64>,
}

impl Writer {
    /// Starts the writer task under its supervisor; both end when the last
    /// `Writer` is dropped.
    pub fn start(db: Db) -> Writer {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let restarts = Arc::new(AtomicU64::new(0));
        tokio::spawn(supervise(db, Arc::new(Mutex::new(queue)), restarts.clone()));
        Writer { jobs, restarts }
    }

    /// How often the writer task died and was started again.
    pub fn restarts(&self) -> u64 {
        self.restarts.load(Ordering::Relaxed)
    }

    /// Kills the writer task, as a panic deep in a driver would.
    #[doc(hidden)]
    pub async fn crash(&self) {
        let _ = self.jobs.send(Message::Crash).await;
    }

    /// Records one submission; returns once it is committed.
    pub async fn record(
        &self,
        submission: Submission,
        registration: Registration,
        window: WindowId,
        received_at: DateTime<Utc>,
    ) -> Result<StoredAnswer, ApiError> {
        let stopped = || ApiError::Internal("the registration writer stopped".into());
        let (reply, answer) = oneshot::channel();
        let job = Job {
            submission,
            registration,
            window,
            received_at,
        };
        self.jobs
            .send(Message::Record(Box::new(job), reply))
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// Runs the writer until its queue closes, starting it again whenever it
/// dies. The queue sits behind a mutex so it outlives a dead task (tokio's
/// mutex is released, not poisoned, by a panic).
async fn supervise(db: Db, queue: Queue, restarts: Arc<AtomicU64>) {
    loop {
        match tokio::spawn(run(db.clone(), queue.clone())).await {
            Ok(()) => return,
            Err(error) => {
                restarts.fetch_add(1, Ordering::Relaxed);
                tracing::error!(%error, "the registration writer died; starting it again");
            }
        }
    }
}

async fn run(db: Db, queue: Queue) {
    let mut queue = queue.lock().await;
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let mut jobs = Vec::with_capacity(batch.len());
        let mut replies = Vec::with_capacity(batch.len());
        for message in batch.drain(..) {
            match message {
                Message::Record(job, reply) => {
                    jobs.push(*job);
                    replies.push(reply);
                }
                Message::Crash => panic!("the registration writer was told to crash"),
            }
        }
        let answers = match commit_together(&db, &jobs).await {
            Ok(answers) => answers.into_iter().map(Ok).collect(),
            Err(error) => {
                // Nothing of the batch was stored. Each job is tried again
                // alone, so one bad job costs the others only time.
                tracing::warn!(%error, size = jobs.len(), "a registration batch was rolled back");
                commit_each(&db, &jobs).await
            }
        };
        for (reply, answer) in replies.into_iter().zip(answers) {
            // The client may have gone; its answer is stored anyway.
            let _ = reply.send(answer);
        }
    }
}

/// All jobs in one transaction, one disk sync; the first error aborts it
/// all (the transaction rolls back when dropped).
async fn commit_together(db: &Db, jobs: &[Job]) -> Result<Vec<StoredAnswer>, ApiError> {
    let mut tx = db::begin_write(db).await?;
    let mut answers = Vec::with_capacity(jobs.len());
    for job in jobs {
        let answer = queries::record(
            &mut tx,
            &job.submission,
            &job.registration,
            job.window,
            job.received_at,
        )
        .await?;
        answers.push(answer);
    }
    tx.commit().await?;
    Ok(answers)
}

async fn commit_each(db: &Db, jobs: &[Job]) -> Vec<Result<StoredAnswer, ApiError>> {
    let mut answers = Vec::with_capacity(jobs.len());
    for job in jobs {
        let answer = commit_together(db, std::slice::from_ref(job))
            .await
            .and_then(|mut one| {
                one.pop()
                    .ok_or_else(|| ApiError::Internal("a job gave no answer".into()))
            });
        answers.push(answer);
    }
    answers
}
