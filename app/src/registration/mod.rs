//! The citizen's side: registering to meet the mayor, the requests made on
//! this phone, and looking a request up by tracking code and mobile
//! (DESIGN §2 step 1). The rules are `domain::registration`; this module is
//! the screens and the device's record of what was sent.

#[cfg(not(feature = "field"))]
mod fields;
#[cfg(not(feature = "field"))]
mod form;
#[cfg(not(feature = "field"))]
mod offer;
mod options;
#[cfg(not(feature = "field"))]
mod receipt;
#[cfg(not(feature = "field"))]
mod sending;
#[cfg(not(feature = "field"))]
mod track;

use chrono::{DateTime, Utc};
use domain::registration::{Receipt, RegistrationForm, Submission, TrackingCode};
use serde::{Deserialize, Serialize};

use crate::api::ErrorBody;
use crate::store::{self, StoreError, Write};
use crate::sync::Answer;

#[cfg(not(feature = "field"))]
pub use form::RegisterPage;
#[cfg(feature = "field")]
pub use options::deputy_choices;
pub use options::prefetch as prefetch_options;
#[cfg(feature = "field")]
pub use options::topic_name;
#[cfg(not(feature = "field"))]
pub use sending::{Sent, new_submission, queue, send_unkept};
#[cfg(not(feature = "field"))]
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
}

/// What the phone keeps once the server decided a queued submission (the
/// sync engine's `SettleRegistration`).
pub fn settle(submission: &Submission, answer: Answer) -> Result<Write<'static>, StoreError> {
    let request = MyRequest::answered(submission, answer);
    Ok(Write::Put(store::REQUESTS, store::to_js(&request)?))
}
