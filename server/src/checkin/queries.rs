//! The meetings field staff are assigned to.

use chrono::{DateTime, Utc};
use domain::auth::Role;
use domain::ids::{MeetingId, UserId};

use crate::auth::guard::Staff;
use crate::db::{Conn, StoredDistrict, StoredTime};

#[derive(sqlx::FromRow)]
struct AssignedRow {
    #[sqlx(try_from = "String")]
    meeting_id: MeetingId,
    district_id: StoredDistrict,
}

/// The meetings whose rosters `staff` pulls: those assigned to them, in a
/// district where they still hold the field-staff role, that started after
/// `since` (older rosters leave the devices). Sorted, for the pull's scope.
#[tracing::instrument(skip_all, fields(user = %staff.user_id))]
pub async fn rosters_of(
    conn: &mut Conn,
    staff: &Staff,
    since: DateTime<Utc>,
) -> Result<Vec<MeetingId>, sqlx::Error> {
    // Every pull asks: most pullers are committees, with no rosters.
    if !staff
        .grants
        .iter()
        .any(|grant| grant.role == Role::FieldStaff)
    {
        return Ok(Vec::new());
    }
    let rows: Vec<AssignedRow> = sqlx::query_as(
        "SELECT ms.meeting_id, m.district_id FROM meeting_staff ms \
         JOIN meetings m ON m.id = ms.meeting_id \
         WHERE ms.user_id = ? AND ms.removed_at IS NULL AND m.starts_at >= ? \
         ORDER BY ms.meeting_id",
    )
    .bind(staff.user_id.as_str())
    .bind(StoredTime(since))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|row| staff.require(Role::FieldStaff, row.district_id.0).is_ok())
        .map(|row| row.meeting_id)
        .collect())
}

/// Whether `user` was assigned to `meeting` at `at` (whatever the
/// meeting's age: work done offline at a meeting is accepted after its
/// roster left the device, and after its author was taken off it).
#[tracing::instrument(skip(conn))]
pub async fn was_assigned(
    conn: &mut Conn,
    user: &UserId,
    meeting: &MeetingId,
    at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let removed: Option<Option<StoredTime>> = sqlx::query_scalar(
        "SELECT removed_at FROM meeting_staff WHERE meeting_id = ? AND user_id = ?",
    )
    .bind(meeting.as_str())
    .bind(user.as_str())
    .fetch_optional(conn)
    .await?;
    // The assignment's start is not checked: rosters are prepared before
    // the day, and a device's clock may run a little behind the server's.
    Ok(removed.is_some_and(|removed| removed.is_none_or(|StoredTime(removed)| at < removed)))
}

/// The users assigned to `meeting`, by id.
#[tracing::instrument(skip(conn))]
pub async fn staff_of(conn: &mut Conn, meeting: &MeetingId) -> Result<Vec<UserId>, sqlx::Error> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT user_id FROM meeting_staff WHERE meeting_id = ? AND removed_at IS NULL \
         ORDER BY user_id",
    )
    .bind(meeting.as_str())
    .fetch_all(conn)
    .await?;
    Ok(ids.iter().filter_map(|id| UserId::parse(id).ok()).collect())
}

/// Makes `users` the meeting's field staff: the others are taken off
/// (their rows kept, see `was_assigned`).
#[tracing::instrument(skip_all, fields(meeting = %meeting, users = users.len()))]
pub async fn assign(
    conn: &mut Conn,
    meeting: &MeetingId,
    users: &[UserId],
    at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    for gone in staff_of(conn, meeting)
        .await?
        .iter()
        .filter(|u| !users.contains(u))
    {
        sqlx::query("UPDATE meeting_staff SET removed_at = ? WHERE meeting_id = ? AND user_id = ?")
            .bind(StoredTime(at))
            .bind(meeting.as_str())
            .bind(gone.as_str())
            .execute(&mut *conn)
            .await?;
    }
    for user in users {
        sqlx::query(
            "INSERT INTO meeting_staff (meeting_id, user_id, assigned_at) VALUES (?, ?, ?) \
             ON CONFLICT (meeting_id, user_id) DO UPDATE SET \
               removed_at = NULL, \
               assigned_at = CASE WHEN meeting_staff.removed_at IS NULL \
                             THEN meeting_staff.assigned_at ELSE excluded.assigned_at END",
        )
        .bind(meeting.as_str())
        .bind(user.as_str())
        .bind(StoredTime(at))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
