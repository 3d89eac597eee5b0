//! The 137 call centre on the server (DESIGN §2 step 4). The call list is
//! the meeting's roster, which operators pull like every synced record,
//! and each call's outcome is a sync command (`RecordCall`, applied by
//! `domain::sync::apply`). Two things only the server can do live here:
//! the claim that keeps two operators from calling the same person at
//! once, and the number to dial — a citizen's full mobile, given only to
//! the operator holding the claim, and audited. A selection also queues
//! the citizen's SMS invitation (`invite_by_sms`, sent by `sms`).

pub mod queries;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use domain::auth::Role;
use domain::calls::{ClaimHeld, Claimed};
use domain::i18n::Lang;
use domain::ids::{AttendeeId, MeetingId};
use domain::registration::Invitation;
use domain::sync::{Attendee, Effect, Record, RecordKey};
use serde::Deserialize;

use crate::audit::{self, Action, Actor, Entry};
use crate::auth::guard::Staff;
use crate::db::{self, Conn};
use crate::error::{ApiError, Conflict};
use crate::http::AppState;
use crate::sms::outbox::{self, NewSms};
use crate::sync::records;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/calls/claims", get(claims))
        .route("/calls/{attendee}/claim", post(claim).delete(release_claim))
}

/// Queues the SMS that invites the person a selection, a move to another
/// meeting or a trustee's invitation gave a place: the day, time and
/// place (and a citizen's tracking code). Once per person and meeting,
/// whatever retries or re-selections follow.
pub async fn invite_by_sms(
    conn: &mut Conn,
    effect: &Effect,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<(), ApiError> {
    // The place given (a move also frees the one it leaves).
    let place = effect.changes.iter().find_map(|record| match record {
        Record::Attendee(place) if place.expected() => Some(place),
        _ => None,
    });
    let meeting = effect
        .changes
        .iter()
        .find_map(|record| match (record, place) {
            (Record::Meeting(meeting), Some(place)) if meeting.meeting.id == place.meeting => {
                Some(meeting)
            }
            _ => None,
        });
    let (Some(place), Some(meeting)) = (place, meeting) else {
        return Ok(());
    };
    let plan = &meeting.meeting.plan;
    let invitation = Invitation::new(plan.starts_at, plan.venue.clone(), place.slot);
    // A citizen is invited with their tracking code; a trustee from the
    // district's list, without one.
    let (mobile, body, invited) = match (&place.registration, &place.tracking_code, &place.trustee)
    {
        (Some(registration), Some(code), _) => (
            queries::mobile_of(conn, registration).await?,
            invitation.sms_text(code, lang),
            registration.as_str(),
        ),
        (None, _, Some(trustee)) => (
            crate::trustees::queries::mobile_of(conn, trustee).await?,
            invitation.trustee_sms_text(lang),
            trustee.as_str(),
        ),
        _ => return Ok(()),
    };
    let Some(mobile) = mobile else {
        return Ok(());
    };
    let key = format!("invitation/{}/{invited}", place.meeting);
    let sms = NewSms {
        dedupe_key: &key,
        registration: place.registration.as_ref(),
        mobile: &mobile,
        body: &body,
    };
    outbox::queue(conn, &sms, now).await?;
    Ok(())
}

/// Claims a person on a meeting's roster for the signed-in operator and
/// answers with the number to dial; refused while another operator's claim
/// holds. Claiming again extends one's own claim.
async fn claim(
    State(state): State<AppState>,
    staff: Staff,
    Path(attendee): Path<String>,
) -> Result<Json<Claimed>, ApiError> {
    let attendee = AttendeeId::parse(&attendee).map_err(|_| ApiError::NotFound)?;
    let now = state.clock.now();
    let until = now + chrono::TimeDelta::from_std(state.config.call_claim).unwrap_or_default();
    let mut tx = db::begin_write(&state.db).await?;
    let place = callable(&mut tx, &staff, &attendee).await?;
    let Some(registration) = &place.registration else {
        // A walk-in was met at the door; nobody phones them.
        return Err(ApiError::NotFound);
    };
    let mobile = queries::mobile_of(&mut tx, registration)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !queries::claim(
        &mut tx,
        &attendee,
        &place.meeting,
        &staff.user_id,
        until,
        now,
    )
    .await?
    {
        return Err(ApiError::Conflict(Conflict::CallClaimed));
    }
    // Who was given whose number: the log names the place, not the number.
    let target = RecordKey::attendee(&attendee).text();
    let entry = Entry {
        at: now,
        actor: Actor::Staff(&staff),
        action: Action::CallClaim,
        target: Some(&target),
    };
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(Json(Claimed { mobile, until }))
}

/// Gives the signed-in operator's claim up (the call is over, or was not
/// made). Giving up a claim one does not hold changes nothing.
async fn release_claim(
    State(state): State<AppState>,
    staff: Staff,
    Path(attendee): Path<String>,
) -> Result<StatusCode, ApiError> {
    let attendee = AttendeeId::parse(&attendee).map_err(|_| ApiError::NotFound)?;
    let mut tx = db::begin_write(&state.db).await?;
    callable(&mut tx, &staff, &attendee).await?;
    queries::release(&mut tx, &attendee, &staff.user_id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct ClaimsQuery {
    meeting: String,
}

/// Who is calling whom at a meeting now, for the operators' call list.
async fn claims(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<ClaimsQuery>,
) -> Result<Json<Vec<ClaimHeld>>, ApiError> {
    let meeting = MeetingId::parse(&query.meeting).map_err(|_| ApiError::NotFound)?;
    let mut conn = state.db.acquire().await?;
    let key = RecordKey::meeting(&meeting);
    let Some(record) = records::load(&mut conn, std::slice::from_ref(&key))
        .await?
        .remove(&key)
    else {
        return Err(ApiError::NotFound);
    };
    staff.require(Role::CallCenter, record.district())?;
    let held = queries::held(&mut conn, &meeting, &staff.user_id, state.clock.now()).await?;
    Ok(Json(held))
}

/// The roster place `staff` may phone: it exists, and they are the call
/// centre in its district (anyone else is told it does not exist).
async fn callable(
    conn: &mut Conn,
    staff: &Staff,
    attendee: &AttendeeId,
) -> Result<Attendee, ApiError> {
    let key = RecordKey::attendee(attendee);
    match records::load(conn, std::slice::from_ref(&key))
        .await?
        .remove(&key)
    {
        Some(Record::Attendee(place))
            if staff.require(Role::CallCenter, place.district).is_ok() =>
        {
            Ok(place)
        }
        _ => Err(ApiError::NotFound),
    }
}
