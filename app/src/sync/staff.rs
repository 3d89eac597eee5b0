//! The staff half of a sync cycle: push the signed-in person's commands,
//! pull what changed in their scopes, rebase. Only in the staff bundle.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use domain::i18n::Bilingual;
use domain::ids::UserId;
use domain::sync::{
    Envelope, MAX_PUSH_BATCH, Outcome, PullPage, PushRequest, PushResponse, Rejection,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use super::records;
use super::stop::Stop;
use crate::api;
use crate::clock::now;
use crate::store::{self, Write};

const CURSOR: &str = "sync.cursor";
/// Whose pulled data the device holds.
const OWNER: &str = "sync.owner";
/// Since when the device keeps records the server no longer sends it.
const HELD: &str = "sync.held";

/// The server stopped sending some of the device's records — a meeting's
/// roster past its keep time, a removed assignment or grant — while work
/// made here still waited to be sent: they stay until it is all answered
/// (the work may need them, and its author may need to see them), then
/// go at the next pull.
#[derive(Serialize, Deserialize)]
struct Held(#[serde(with = "domain::time::wire::instant")] DateTime<Utc>);

/// Since when the device keeps records the server no longer sends it, if
/// it does.
pub async fn held_since() -> Result<Option<DateTime<Utc>>, store::StoreError> {
    let db = store::open().await?;
    Ok(store::get_meta::<Held>(&db, HELD).await?.map(|Held(at)| at))
}

/// A command the server refused, kept until its user acts on it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RejectedCommand {
    pub id: String,
    pub envelope: Envelope,
    pub reason: Rejection,
    pub message: Bilingual,
    #[serde(with = "domain::time::wire::instant")]
    pub at: DateTime<Utc>,
}

/// Pushes `user`'s waiting commands and pulls. Work another user left on
/// this device waits for them to sign in again.
///
/// The pull runs even when a push fails: a device whose pushes the server
/// cannot take (a command it fails on, a bad moment) must still see what
/// others changed. The waiting commands stay in the outbox and on screen
/// (the pull's rebase re-applies them), and the push's failure is what the
/// cycle reports, so the sync panel shows it.
pub async fn sync(user: &UserId, waiting: Vec<Envelope>) -> Result<bool, Stop> {
    take_over(user).await?;
    let mine: Vec<Envelope> = waiting.into_iter().filter(|e| &e.author == user).collect();
    let mut changed = false;
    // The pictures first: the commands that attach them need them there.
    let mut pushed = super::photos::upload(user).await;
    for batch in mine.chunks(MAX_PUSH_BATCH) {
        // Later batches wait behind a failed one, so commands keep order.
        if pushed.is_err() {
            break;
        }
        pushed = push(batch).await;
        changed |= pushed.is_ok();
    }
    changed |= pull().await?;
    pushed.map(|()| changed)
}

/// Another person signed in on this device: what was pulled for the last
/// one is not theirs to see. Their unsent work stays in the outbox.
async fn take_over(user: &UserId) -> Result<(), Stop> {
    let db = store::open().await?;
    let owner: Option<String> = store::get_meta(&db, OWNER).await?;
    if owner.as_deref() != Some(user.as_str()) {
        let mut writes = forget_pulled_data();
        writes.push(store::meta(OWNER, user.as_str())?);
        store::write_all(writes).await?;
    }
    Ok(())
}

/// The writes that drop every pulled record and the cursor, so the next
/// pull starts afresh. The outbox and the refused commands are kept.
pub fn forget_pulled_data() -> Vec<Write<'static>> {
    super::changes::touch_everything();
    vec![
        Write::Clear(store::RECORDS),
        Write::Delete(store::META, JsValue::from_str(CURSOR)),
        Write::Delete(store::META, JsValue::from_str(HELD)),
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
    let waiting = super::outbox::holds_staff_work().await?;
    let held = store::get_meta::<Held>(&db, HELD).await?.is_some();
    let cursor: String = if held && !waiting {
        // All answered: what was kept for the work goes, by starting over.
        String::new()
    } else {
        store::get_meta(&db, CURSOR).await?.unwrap_or_default()
    };
    let hold = Hold { waiting, held };
    let mut page = fetch_page(&cursor).await?;
    let mut changed = false;
    loop {
        changed |= !page.changes.is_empty();
        let next_cursor = page.cursor.clone();
        if !page.more {
            store_page(page, hold).await?;
            return Ok(changed);
        }
        let (stored, next) = futures::join!(store_page(page, hold), fetch_page(&next_cursor));
        stored?;
        page = next?;
    }
}

/// What a pull that starts over must keep: whether work waits on the
/// device, and whether it already keeps records for such work.
#[derive(Clone, Copy)]
struct Hold {
    waiting: bool,
    held: bool,
}

async fn fetch_page(cursor: &str) -> Result<PullPage, Stop> {
    let asked = now();
    let page: PullPage = api::get(&format!("/api/sync/pull?cursor={cursor}")).await?;
    crate::clock::measured(asked, now(), page.server_time);
    Ok(page)
}

/// A page and its cursor, in one transaction. A pull that started over
/// (`reset`: a grant was taken away, an assignment removed, a roster aged
/// out, or the cursor was made for other scopes) first drops every pulled
/// record, so nothing the user may no longer read stays on the device —
/// unless work made here still waits to be sent: then nothing is dropped
/// until it is all answered ([`Held`]; the sync panel says why). The
/// rebase in the same transaction re-applies the waiting commands.
async fn store_page(page: PullPage, hold: Hold) -> Result<(), Stop> {
    let mut writes = Vec::new();
    if page.reset && hold.waiting {
        if !hold.held {
            writes.push(store::meta(HELD, Held(now()))?);
        }
    } else if page.reset {
        super::changes::touch_everything();
        writes.push(Write::Clear(store::RECORDS));
        writes.push(Write::Delete(store::META, JsValue::from_str(HELD)));
    }
    writes.extend(records::rebase(page.changes, &BTreeSet::new()).await?);
    writes.push(store::meta(CURSOR, &page.cursor)?);
    store::write_relaxed(writes).await?;
    Ok(())
}
