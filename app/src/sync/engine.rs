//! One sync cycle: send the citizen registrations waiting on this device,
//! push the signed-in user's commands, pull what changed, rebase.

use domain::ids::UserId;
use domain::registration::Receipt;
use wasm_bindgen::JsValue;

use super::SettleRegistration;
use super::outbox::{self, Queued};
use super::stop::Stop;
use crate::api::{self, ApiError};
use crate::store::{self, Write};

/// Runs one cycle for `user` (the signed-in staff member, if any). Returns
/// whether anything on the device changed. A failure of one part does not
/// keep the others from running (a registration the server cannot take
/// now must not stop staff work, nor a failed push the pull); the first
/// failure is what the cycle reports.
#[cfg_attr(not(feature = "field"), allow(unused_variables))]
pub async fn run(user: Option<&UserId>, settle: SettleRegistration) -> Result<bool, Stop> {
    let registrations = send_registrations(settle).await;
    #[cfg(feature = "field")]
    if let Some(user) = user {
        let staff = match outbox::staff_commands().await {
            Ok(waiting) => super::staff::sync(user, waiting).await,
            Err(error) => Err(error.into()),
        };
        return Ok(registrations? | staff?);
    }
    let changed = registrations?;
    if outbox::holds_staff_work().await? {
        // Staff work waits for its author to sign in again.
        Err(Stop::SignInNeeded)
    } else {
        Ok(changed)
    }
}

/// Sends every waiting registration in order; stops at the first failure
/// without the server's decision, so order is kept. A decided entry leaves
/// the outbox in the same transaction that keeps its answer.
async fn send_registrations(settle: SettleRegistration) -> Result<bool, Stop> {
    let mut changed = false;
    for entry in outbox::entries().await? {
        let Queued::Register(submission) = &entry.queued else {
            continue;
        };
        let answer = match api::post::<_, Receipt>("/api/registrations", submission).await {
            Ok(receipt) => Ok(receipt),
            // Only a refusal in the API's shape is the server's decision.
            Err(ApiError::Refused { body, .. }) => Err(body),
            // Offline, a timeout, a busy or failing server: the request
            // stays waiting (it may even be committed already; the same
            // request id then gets the same receipt next time).
            Err(error) => return Err(error.into()),
        };
        store::write_all(vec![
            Write::Delete(store::OUTBOX, JsValue::from_str(&entry.id)),
            settle(submission, answer)?,
        ])
        .await?;
        changed = true;
    }
    Ok(changed)
}
