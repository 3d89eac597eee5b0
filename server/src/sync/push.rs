//! `POST /api/sync/push`: the device's outbox, in order. Each command is
//! applied at most once — its id is stored with its outcome in the same
//! transaction as its effect — and re-checked here, where the real data is:
//! the server is the authority (DESIGN §5).

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use domain::auth::Role;
use domain::i18n::Lang;
use domain::sync::{
    Command, CommandResult, Effect, Envelope, MAX_PUSH_BATCH, Outcome, PushRequest, PushResponse,
    Record, Rejection, apply,
};

use super::{queries, records};
use crate::audit::{self, Action, Actor, Entry};
use crate::auth::guard::Staff;
use crate::db::{self, Conn};
use crate::error::ApiError;
use crate::http::{ApiJson, AppState};
use crate::{calls, checkin, followup};

pub async fn push(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(request): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    if request.commands.len() > MAX_PUSH_BATCH {
        return Err(ApiError::PayloadTooLarge);
    }
    let now = state.clock.now();
    let pusher = Pusher {
        staff: &staff,
        now,
        sms_lang: state.config.sms_lang,
    };
    // One transaction, one disk sync for the whole batch; the write lock
    // is taken first so change numbers commit in order (see `records`).
    let mut tx = db::begin_write(&state.db).await?;
    let mut results = Vec::with_capacity(request.commands.len());
    for envelope in &request.commands {
        let outcome = push_isolated(&mut tx, &pusher, envelope).await?;
        results.push(CommandResult {
            id: envelope.id.clone(),
            outcome,
        });
    }
    tx.commit().await?;
    let applied = results
        .iter()
        .filter(|r| r.outcome == Outcome::Applied)
        .count();
    tracing::info!(device = %staff.device_id, commands = results.len(), applied, "sync push");
    Ok(Json(PushResponse { results }))
}

/// One command inside a savepoint of the batch's transaction: when the
/// database fails on it (a poison command), only its own writes are undone
/// and the rest of the batch goes on. Nothing of it is stored, so the
/// device may send it again and it is judged afresh.
async fn push_isolated(
    tx: &mut Conn,
    pusher: &Pusher<'_>,
    envelope: &Envelope,
) -> Result<Outcome, ApiError> {
    let mut savepoint = sqlx::Connection::begin(&mut *tx).await?;
    match push_one(&mut savepoint, pusher, envelope).await {
        Ok(outcome) => {
            savepoint.commit().await?;
            Ok(outcome)
        }
        Err(ApiError::Database(error)) => {
            savepoint.rollback().await?;
            tracing::error!(command = %envelope.id.as_str(), %error, "a command failed the database; refused alone");
            Ok(Outcome::rejected(Rejection::ServerFailed))
        }
        Err(other) => Err(other),
    }
}

/// Who pushes, when by the server's clock, and the language the SMS a
/// command queues are written in.
#[derive(Clone, Copy)]
struct Pusher<'a> {
    staff: &'a Staff,
    now: DateTime<Utc>,
    sms_lang: Lang,
}

async fn push_one(
    conn: &mut Conn,
    pusher: &Pusher<'_>,
    envelope: &Envelope,
) -> Result<Outcome, ApiError> {
    let Pusher { staff, now, .. } = *pusher;
    // Another user's or another device's command is refused without being
    // stored: its id stays free for the device that really made it.
    if envelope.device != staff.device_id || envelope.author != staff.user_id {
        return Ok(Outcome::rejected(Rejection::WrongDevice));
    }
    match stored_outcome(conn, envelope).await? {
        Some(Stored::Own(Outcome::Applied | Outcome::Duplicate)) => return Ok(Outcome::Duplicate),
        Some(Stored::Own(rejected)) => return Ok(rejected),
        // A command id seen in a pulled check-in, sent again by someone
        // else: never answered with the other device's outcome.
        Some(Stored::Others) => return Ok(Outcome::rejected(Rejection::IdTaken)),
        None => {}
    }
    let outcome = match judge(conn, staff, envelope, now).await? {
        Ok(effect) => {
            records::keep(conn, &effect, now).await?;
            settle(conn, pusher, envelope, &effect).await?;
            Outcome::Applied
        }
        Err(rejection) => Outcome::rejected(rejection),
    };
    // Refusals are audited too: a device sending many is worth a look.
    let action = match outcome {
        Outcome::Applied => Action::Applied((&envelope.command).into()),
        _ => Action::CommandRefused,
    };
    let subject = envelope.command.reads().first().map(|key| key.text());
    let entry = Entry {
        at: now,
        actor: Actor::Staff(staff),
        action,
        target: subject.as_deref(),
    };
    audit::record(conn, entry).await?;
    store_outcome(conn, staff, envelope, &outcome, now).await?;
    Ok(outcome)
}

/// What an accepted command settles beyond its records, in its
/// transaction: a selection, a move to another meeting or a trustee's
/// invitation queues the SMS invitation, a follow-up report the SMS that
/// tells the citizen, and a call's outcome ends its author's claim on the
/// person, so the next operator may call.
async fn settle(
    conn: &mut Conn,
    pusher: &Pusher<'_>,
    envelope: &Envelope,
    effect: &Effect,
) -> Result<(), ApiError> {
    match &envelope.command {
        Command::SelectForMeeting { .. }
        | Command::DeferSelection { to: Some(_), .. }
        | Command::InviteTrustee { .. } => {
            calls::invite_by_sms(conn, effect, pusher.now, pusher.sms_lang).await?;
        }
        Command::RecordCall { attendee, .. } => {
            calls::queries::release(conn, attendee, &pusher.staff.user_id).await?;
        }
        Command::ReportFollowUp { .. } => {
            followup::notify_by_sms(conn, &envelope.id, effect, pusher.now, pusher.sms_lang)
                .await?;
        }
        _ => {}
    }
    Ok(())
}

/// The command's effect, if the author may make it and the data allows it.
/// The role is checked in the district of the record the command is about,
/// before anything about that record is revealed.
async fn judge(
    conn: &mut Conn,
    staff: &Staff,
    envelope: &Envelope,
    now: DateTime<Utc>,
) -> Result<Result<Effect, Rejection>, ApiError> {
    let at = match envelope.check_time(now) {
        Ok(at) => at,
        Err(rejection) => return Ok(Err(rejection)),
    };
    let keys = envelope.command.reads();
    let mut loaded = records::load(conn, &keys).await?;
    let Some(subject) = keys.first().and_then(|key| loaded.get(key)) else {
        return Ok(Err(Rejection::UnknownRecord));
    };
    if !may_make(conn, staff, envelope.command.roles(), subject, at).await? {
        return Ok(Err(Rejection::NotPermitted));
    }
    let more = envelope.command.reads_after(&loaded);
    loaded.extend(records::load(conn, &more).await?);
    // The one rule `apply` cannot check on a device: which deputies the
    // city has is the server's data.
    if let Some(deputy) = envelope.command.deputy_named()
        && !queries::deputy_exists(conn, deputy).await?
    {
        return Ok(Err(Rejection::UnknownDeputy));
    }
    // Nor which pictures reached it (they travel apart, see
    // `checkin::photos`).
    if let Some((attendee, photo, bytes)) = envelope.command.photo_attached()
        && !checkin::queries::photo_uploaded(conn, photo, attendee, bytes).await?
    {
        return Ok(Err(Rejection::PhotoMissing));
    }
    Ok(apply(&loaded, envelope))
}

/// Whether `staff` may do, at `at`, what one of `roles` does to `subject`:
/// the role in the record's district, and for field staff an assignment to
/// its meeting — not every meeting of their district (administrators may
/// step in anywhere); what they did while assigned stands after they are
/// taken off.
pub async fn may_make(
    conn: &mut Conn,
    staff: &Staff,
    roles: &[Role],
    subject: &Record,
    at: DateTime<Utc>,
) -> Result<bool, ApiError> {
    if !roles
        .iter()
        .any(|role| staff.require(*role, subject.district()).is_ok())
    {
        return Ok(false);
    }
    if roles == [Role::FieldStaff]
        && staff.require_everywhere(Role::Administrator).is_err()
        && let Some(meeting) = subject.meeting()
        && !checkin::queries::was_assigned(conn, &staff.user_id, meeting, at).await?
    {
        return Ok(false);
    }
    Ok(true)
}

/// What the server already holds under a command's id.
enum Stored {
    /// The same user's same device sent it: its outcome.
    Own(Outcome),
    /// Someone else's command has this id.
    Others,
}

async fn stored_outcome(conn: &mut Conn, envelope: &Envelope) -> Result<Option<Stored>, ApiError> {
    let Some(stored) = queries::command(conn, envelope.id.as_str()).await? else {
        return Ok(None);
    };
    if stored.user_id != envelope.author || stored.device_id != envelope.device {
        return Ok(Some(Stored::Others));
    }
    serde_json::from_str(&stored.outcome)
        .map(|outcome| Some(Stored::Own(outcome)))
        .map_err(|e| ApiError::Internal(format!("a stored outcome does not parse: {e}")))
}

async fn store_outcome(
    conn: &mut Conn,
    staff: &Staff,
    envelope: &Envelope,
    outcome: &Outcome,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let command = queries::NewCommand {
        id: envelope.id.as_str(),
        user_id: staff.user_id.as_str(),
        device_id: staff.device_id.as_str(),
        kind: envelope.command.name(),
        body: &to_json(&envelope.command)?,
        outcome: &to_json(outcome)?,
        made_at: envelope.made_at,
        received_at: now,
    };
    queries::insert_command(conn, &command).await?;
    Ok(())
}

fn to_json(value: &impl serde::Serialize) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::Internal(e.to_string()))
}
