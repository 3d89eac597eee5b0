//! Why a sync cycle stopped early, from what the network or the device's
//! storage said. Its own file: the cycle (`engine`) and the staff half
//! (`staff`) both end with it.

use crate::api::ApiError;
use crate::store::StoreError;

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
            ApiError::Unavailable { status, .. } => Stop::Failed(status.to_string()),
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
