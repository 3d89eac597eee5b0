//! The citizen's side: registering to meet the mayor, the requests made on
//! this phone, and looking a request up by tracking code and mobile
//! (DESIGN §2 step 1). The rules are `domain::registration`; this module is
//! the screens and the device's record of what was sent.

mod fields;
mod form;
mod options;
mod receipt;
mod track;

use chrono::{DateTime, Utc};
use domain::registration::{Receipt, RegistrationForm, Submission, TrackingCode};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::api::{self, ApiError, ErrorBody};
use crate::clock::now;
use crate::store::{self, StoreError, Write};
use crate::sync::{self, Answer, OutboxEntry, Queued, SyncState};

pub use form::RegisterPage;
#[cfg(feature = "field")]
pub use options::known_deputies;
pub use options::prefetch as prefetch_options;
pub use options::topic_name;
pub use track::TrackPage;

/// A registration made on this phone, kept in the `requests` store.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MyRequest {
    pub request_id: String,
    /// The code shown at once; the server's receipt may replace it (the
    /// person's earlier request this week keeps its code).
    pub tracking_code: TrackingCode,
    #[serde(with = "domain::time::wire::instant")]
    pub made_at: DateTime<Utc>,
    /// Kept so a refused request can be sent again next week unchanged.
    pub form: RegistrationForm,
    pub state: RequestState,
}

/// Stored as `{"state": "received", "receipt": …}`; read through the flat
/// [`RequestStateStored`], as `domain::registration::WindowError` is, so
/// serde does not buffer the record in its generic `Content` type first.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(
    tag = "state",
    rename_all = "snake_case",
    try_from = "RequestStateStored"
)]
pub enum RequestState {
    /// In the outbox, sent when the network allows.
    Waiting,
    Received {
        receipt: Receipt,
    },
    /// The server refused it for good (the window closed before it
    /// arrived, say); it stays here to be sent again.
    Refused {
        error: ErrorBody,
    },
}

/// [`RequestState`] as read: the tag and every variant's field side by side.
#[derive(Deserialize)]
struct RequestStateStored {
    state: RequestStateKind,
    receipt: Option<Receipt>,
    error: Option<ErrorBody>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RequestStateKind {
    Waiting,
    Received,
    Refused,
}

impl TryFrom<RequestStateStored> for RequestState {
    type Error = &'static str;

    fn try_from(stored: RequestStateStored) -> Result<Self, Self::Error> {
        match (stored.state, stored.receipt, stored.error) {
            (RequestStateKind::Waiting, _, _) => Ok(RequestState::Waiting),
            (RequestStateKind::Received, Some(receipt), _) => {
                Ok(RequestState::Received { receipt })
            }
            (RequestStateKind::Refused, _, Some(error)) => Ok(RequestState::Refused { error }),
            (RequestStateKind::Received, None, _) => Err("missing field `receipt`"),
            (RequestStateKind::Refused, _, None) => Err("missing field `error`"),
        }
    }
}

impl MyRequest {
    pub fn waiting(submission: &Submission) -> Self {
        MyRequest {
            request_id: submission.request_id.clone(),
            tracking_code: submission.tracking_code,
            made_at: submission.made_at,
            form: submission.form.clone(),
            state: RequestState::Waiting,
        }
    }

    /// A submission as the server decided it.
    pub fn answered(submission: &Submission, answer: Answer) -> Self {
        let state = match answer {
            Ok(receipt) => RequestState::Received { receipt },
            Err(error) => RequestState::Refused { error },
        };
        MyRequest {
            state,
            ..MyRequest::waiting(submission)
        }
    }

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

/// What the phone keeps once the server decided a queued submission (the
/// sync engine's `SettleRegistration`).
pub fn settle(submission: &Submission, answer: Answer) -> Result<Write<'static>, StoreError> {
    let request = MyRequest::answered(submission, answer);
    Ok(Write::Put(store::REQUESTS, store::to_js(&request)?))
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
