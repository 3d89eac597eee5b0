//! Registering from this phone (the citizens' pages only): a new
//! submission, queued in the outbox with the phone's own list, or sent at
//! once when the phone cannot keep it.

use chrono::{DateTime, Utc};
use domain::registration::{Receipt, RegistrationForm, Submission, TrackingCode};
use wasm_bindgen::JsValue;

use super::{MyRequest, RequestState};
use crate::api::{self, ApiError};
use crate::clock::now;
use crate::store::{self, StoreError, Write};
use crate::sync::{self, OutboxEntry, Queued, SyncState};

impl MyRequest {
    /// The code to show: the server's once it answered.
    pub fn code(&self) -> TrackingCode {
        match &self.state {
            RequestState::Received { receipt } => receipt.tracking_code,
            _ => self.tracking_code,
        }
    }
}

/// A new submission of `form`: a fresh request id and a tracking code made
/// from the browser's cryptographic generator (codes must not be guessable).
pub fn new_submission(form: RegistrationForm, made_at: DateTime<Utc>) -> Submission {
    Submission {
        request_id: crate::random::request_id(),
        tracking_code: TrackingCode::from_random(crate::random::bytes()),
        made_at,
        form,
    }
}

/// What the page shows a receipt for: a request kept on the phone (read
/// back from its store by id), or one the phone could not keep and sent
/// straight away, held only by the page.
#[derive(Clone)]
pub enum Sent {
    Kept(String),
    Unkept(MyRequest),
}

/// The phone refused to keep `submission` (its storage is full, say):
/// with the network up it is sent at once instead, so registering still
/// works; the receipt then says it is not kept on the phone.
pub async fn send_unkept(submission: &Submission) -> Result<MyRequest, ApiError> {
    let receipt = api::post::<_, Receipt>("/api/registrations", submission).await?;
    Ok(MyRequest::answered(submission, Ok(receipt)))
}

/// The submission goes to the outbox and to the phone's own list in one
/// transaction; a refused request it replaces leaves the list in the same
/// transaction.
pub async fn queue(
    sync: SyncState,
    submission: &Submission,
    replacing: Option<&str>,
) -> Result<(), StoreError> {
    let entry = OutboxEntry {
        id: submission.request_id.clone(),
        created_at: now(),
        queued: Queued::Register(submission.clone()),
    };
    let mut effect = vec![Write::Put(
        store::REQUESTS,
        store::to_js(&MyRequest::waiting(submission))?,
    )];
    if let Some(old) = replacing {
        effect.push(Write::Delete(store::REQUESTS, JsValue::from_str(old)));
    }
    sync::queue(sync, &entry, effect).await
}
