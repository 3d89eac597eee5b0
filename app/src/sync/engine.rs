//! One sync cycle: send the citizen registrations waiting on this device,
//! push the signed-in user's commands, pull what changed, rebase.

use chrono::TimeDelta;
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
