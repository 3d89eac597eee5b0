//! One sync cycle: send the citizen registrations waiting on this device,
//! push the signed-in user's commands, pull what changed, rebase.

use std::collections::BTreeSet;

use chrono::{DateTime, TimeDelta, Utc};
use domain::i18n::Bilingual;
use domain::registration::Receipt;
use domain::sync::{
    Envelope, MAX_PUSH_BATCH, Outcome, PullPage, PushRequest, PushResponse, Rejection,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use super::outbox::{self, OutboxEntry, Queued};
use super::records;
use crate::api::{self, ApiError};
use crate::registration::{MyRequest, RequestState};
use crate::shell::now;
use crate::store::{self, StoreError, Write};

const CURSOR: &str = "sync.cursor";
/// Whose pulled data the device holds.
const OWNER: &str = "sync.owner";

/// Why a cycle stopped early. Nothing is lost: what was not sent stays in
/// the outbox for the next cycle.
#[derive(Clone, Debug, PartialEq)]
pub enum Stop {
    Offline,
    SignInNeeded,
    DeviceRevoked,
    /// The server or the device's storage failed; try again later.
    Failed(String),
}

impl From<ApiError> for Stop {
    fn from(error: ApiError) -> Stop {
        match error {
            ApiError::Network => Stop::Offline,
            ApiError::Refused { status: 401, .. } => Stop::SignInNeeded,
            ApiError::Refused { body, .. } if body.code == "auth.device_revoked" => {
                Stop::DeviceRevoked
            }
            ApiError::Refused { status, body } => Stop::Failed(format!("{status} {}", body.code)),
        }
    }
}

impl From<StoreError> for Stop {
    fn from(error: StoreError) -> Stop {
        Stop::Failed(error.to_string())
    }
}

/// A command the server refused, kept until its user acts on it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RejectedCommand {
    pub id: String,
    pub envelope: Envelope,
    pub reason: Rejection,
    pub message: Bilingual,
    pub at: DateTime<Utc>,
}

/// Runs one cycle for `user` (the signed-in staff member, if any). Returns
/// whether anything on the device changed.
pub async fn run(user: Option<&str>) -> Result<bool, Stop> {
    let mut changed = send_registrations().await?;
    let waiting = outbox::staff_commands().await?;
    let Some(user) = user else {
        return if waiting.is_empty() {
            Ok(changed)
        } else {
            Err(Stop::SignInNeeded)
        };
    };
    take_over(user).await?;
    // Work another user left here waits for them to sign in again.
    let mine: Vec<Envelope> = waiting.into_iter().filter(|e| e.author == user).collect();
    for batch in mine.chunks(MAX_PUSH_BATCH) {
        push(batch).await?;
        changed = true;
    }
    changed |= pull().await?;
    Ok(changed)
}

/// Another person signed in on this device: what was pulled for the last
/// one is not theirs to see. Their unsent work stays in the outbox.
async fn take_over(user: &str) -> Result<(), Stop> {
    let db = store::open().await?;
    let owner: Option<String> = store::get_meta(&db, OWNER).await?;
    if owner.as_deref() != Some(user) {
        let mut writes = forget_pulled_data();
        writes.push(store::meta(OWNER, user)?);
        store::write_all(writes).await?;
    }
    Ok(())
}

/// The writes that drop every pulled record and the cursor, so the next
/// pull starts afresh. The outbox and the refused commands are kept.
pub fn forget_pulled_data() -> Vec<Write<'static>> {
    vec![
        Write::Clear(store::RECORDS),
        Write::Delete(store::META, JsValue::from_str(CURSOR)),
    ]
}

async fn push(batch: &[Envelope]) -> Result<(), Stop> {
    let request = PushRequest {
        commands: batch.to_vec(),
    };
    let response: PushResponse = api::post("/api/sync/push", &request).await?;
    let settled: BTreeSet<String> = response
        .results
        .iter()
        .map(|result| result.id.to_string())
        .collect();
    let mut writes = Vec::new();
    for result in response.results {
        writes.push(Write::Delete(
            store::OUTBOX,
            JsValue::from_str(result.id.as_str()),
        ));
        if let Outcome::Rejected { reason, message } = result.outcome {
            let Some(envelope) = batch.iter().find(|e| e.id == result.id) else {
                continue;
            };
            let rejected = RejectedCommand {
                id: result.id.to_string(),
                envelope: envelope.clone(),
                reason,
                message,
                at: now(),
            };
            writes.push(Write::Put(store::REJECTED, store::to_js(&rejected)?));
        }
    }
    // What the device shows loses the refused commands' effects in the
    // same transaction that records the refusals.
    writes.extend(records::rebase(Vec::new(), &settled).await?);
    store::write_all(writes).await?;
    Ok(())
}

/// Pulls every page since the stored cursor. Each page, its rebase and the
/// new cursor are one transaction: a crash between pages resumes there.
/// The next page is fetched while the last one is written.
async fn pull() -> Result<bool, Stop> {
    let db = store::open().await?;
    let cursor: String = store::get_meta(&db, CURSOR).await?.unwrap_or_default();
    let mut page = fetch_page(&cursor).await?;
    let mut changed = false;
    loop {
        changed |= !page.changes.is_empty();
        let next_cursor = page.cursor.clone();
        if !page.more {
            store_page(page).await?;
            return Ok(changed);
        }
        let (stored, next) = futures::join!(store_page(page), fetch_page(&next_cursor));
        stored?;
        page = next?;
    }
}

async fn fetch_page(cursor: &str) -> Result<PullPage, Stop> {
    let asked = now();
    let page: PullPage = api::get(&format!("/api/sync/pull?cursor={cursor}")).await?;
    crate::clock::measured(asked, now(), page.server_time);
    Ok(page)
}

async fn store_page(page: PullPage) -> Result<(), Stop> {
    let mut writes = records::rebase(page.changes, &BTreeSet::new()).await?;
    writes.push(store::meta(CURSOR, &page.cursor)?);
    store::write_relaxed(writes).await?;
    Ok(())
}

/// Sends every waiting registration in order; stops at the first transient
/// failure so order is kept.
async fn send_registrations() -> Result<bool, Stop> {
    let mut changed = false;
    for entry in outbox::entries().await? {
        let Queued::Register(submission) = &entry.queued else {
            continue;
        };
        let state = match api::post::<_, Receipt>("/api/registrations", submission).await {
            Ok(receipt) => RequestState::Received { receipt },
            Err(error) if error.is_transient() => return Err(error.into()),
            Err(ApiError::Refused { body, .. }) => RequestState::Refused { error: body },
            Err(ApiError::Network) => return Err(Stop::Offline),
        };
        settle_registration(&entry, submission, state).await?;
        changed = true;
    }
    Ok(changed)
}

/// The server decided: the entry leaves the outbox and its result is kept,
/// in one transaction.
async fn settle_registration(
    entry: &OutboxEntry,
    submission: &domain::registration::Submission,
    state: RequestState,
) -> Result<(), StoreError> {
    let mut request = MyRequest::waiting(submission);
    request.state = state;
    store::write_all(vec![
        Write::Delete(store::OUTBOX, JsValue::from_str(&entry.id)),
        Write::Put(store::REQUESTS, store::to_js(&request)?),
    ])
    .await
}

/// How long to wait before the next cycle: regularly when all is well, to
/// fetch others' changes; after failures, exponentially longer, with
/// jitter so a district office's devices do not all retry at once.
pub fn next_delay(failures: u32, random: f64) -> TimeDelta {
    const REGULAR_SECONDS: i64 = 30;
    const FIRST_RETRY_SECONDS: f64 = 2.0;
    const LONGEST_SECONDS: f64 = 300.0;
    if failures == 0 {
        return TimeDelta::seconds(REGULAR_SECONDS);
    }
    let exponent = i32::try_from(failures.min(16) - 1).unwrap_or(15);
    let ceiling = (FIRST_RETRY_SECONDS * 2f64.powi(exponent)).min(LONGEST_SECONDS);
    let seconds = ceiling * (0.5 + 0.5 * random.clamp(0.0, 1.0));
    TimeDelta::milliseconds((seconds * 1000.0) as i64)
}
