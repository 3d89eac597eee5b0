//! The call centre's claims and the numbers it dials.

use chrono::{DateTime, Utc};
use domain::calls::ClaimHeld;
use domain::ids::{AttendeeId, MeetingId, RegistrationId, UserId};

use crate::db::{Conn, StoredTime};

/// Claims `attendee` for `user` until `until`, unless another operator's
/// claim still holds at `now`; whether `user` holds it now. One statement,
/// so two operators (on two server instances) cannot both win.
#[tracing::instrument(skip_all)]
pub async fn claim(
    conn: &mut Conn,
    attendee: &AttendeeId,
    meeting: &MeetingId,
    user: &UserId,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO call_claims (attendee_id, meeting_id, user_id, until) VALUES (?, ?, ?, ?) \
         ON CONFLICT (attendee_id) DO UPDATE \
         SET user_id = excluded.user_id, until = excluded.until \
         WHERE call_claims.user_id = excluded.user_id OR call_claims.until <= ?",
    )
    .bind(attendee.as_str())
    .bind(meeting.as_str())
    .bind(user.as_str())
    .bind(StoredTime(until))
    .bind(StoredTime(now))
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Gives `user`'s claim on `attendee` up (the call is over).
#[tracing::instrument(skip_all)]
pub async fn release(
    conn: &mut Conn,
    attendee: &AttendeeId,
    user: &UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM call_claims WHERE attendee_id = ? AND user_id = ?")
        .bind(attendee.as_str())
        .bind(user.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ClaimRow {
    #[sqlx(try_from = "String")]
    attendee_id: AttendeeId,
    #[sqlx(try_from = "String")]
    user_id: UserId,
    display_name: String,
    until: StoredTime,
}

/// The claims on `meeting`'s roster that hold at `now`, as `viewer` sees
/// them.
#[tracing::instrument(skip_all)]
pub async fn held(
    conn: &mut Conn,
    meeting: &MeetingId,
    viewer: &UserId,
    now: DateTime<Utc>,
) -> Result<Vec<ClaimHeld>, sqlx::Error> {
    let rows: Vec<ClaimRow> = sqlx::query_as(
        "SELECT c.attendee_id, c.user_id, u.display_name, c.until FROM call_claims c \
         JOIN users u ON u.id = c.user_id \
         WHERE c.meeting_id = ? AND c.until > ? ORDER BY c.attendee_id",
    )
    .bind(meeting.as_str())
    .bind(StoredTime(now))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ClaimHeld {
            mine: &row.user_id == viewer,
            attendee: row.attendee_id,
            by: row.display_name,
            until: row.until.0,
        })
        .collect())
}

/// The mobile a citizen registered with.
#[tracing::instrument(skip_all)]
pub async fn mobile_of(
    conn: &mut Conn,
    registration: &RegistrationId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT mobile FROM registrations WHERE id = ?")
        .bind(registration.as_str())
        .fetch_optional(conn)
        .await
}
