//! The meetings field staff are assigned to, and the photos taken at them.

use chrono::{DateTime, Utc};
use domain::auth::Role;
use domain::district::DistrictId;
use domain::ids::{AttendeeId, DeviceId, MeetingId, PhotoId, UserId};

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

/// A photo as it was uploaded.
pub struct NewPhoto<'a> {
    pub id: &'a PhotoId,
    pub attendee: &'a AttendeeId,
    pub meeting: &'a MeetingId,
    pub district: DistrictId,
    pub uploaded_by: &'a UserId,
    pub device: &'a DeviceId,
    pub at: DateTime<Utc>,
    pub body: &'a [u8],
}

/// Stores an uploaded photo. `false`: its id is already taken — by this
/// same upload sent again (the caller looks), or by another photo.
#[tracing::instrument(skip_all, fields(photo = %photo.id))]
pub async fn insert_photo(conn: &mut Conn, photo: &NewPhoto<'_>) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO photos (id, attendee_id, meeting_id, district_id, uploaded_by, device_id, \
                             uploaded_at, bytes, body) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
    )
    .bind(photo.id.as_str())
    .bind(photo.attendee.as_str())
    .bind(photo.meeting.as_str())
    .bind(i64::from(photo.district.number()))
    .bind(photo.uploaded_by.as_str())
    .bind(photo.device.as_str())
    .bind(StoredTime(photo.at))
    .bind(i64::try_from(photo.body.len()).unwrap_or(i64::MAX))
    .bind(photo.body)
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Whether the photo `id` was uploaded for `attendee` with `bytes` bytes.
#[tracing::instrument(skip(conn))]
pub async fn photo_uploaded(
    conn: &mut Conn,
    id: &PhotoId,
    attendee: &AttendeeId,
    bytes: u32,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM photos WHERE id = ? AND attendee_id = ? AND bytes = ?)",
    )
    .bind(id.as_str())
    .bind(attendee.as_str())
    .bind(i64::from(bytes))
    .fetch_one(conn)
    .await
}

#[derive(sqlx::FromRow)]
pub struct StoredPhoto {
    #[sqlx(try_from = "String")]
    pub meeting_id: MeetingId,
    pub district_id: StoredDistrict,
    pub body: Vec<u8>,
}

#[tracing::instrument(skip(conn))]
pub async fn photo(conn: &mut Conn, id: &PhotoId) -> Result<Option<StoredPhoto>, sqlx::Error> {
    sqlx::query_as("SELECT meeting_id, district_id, body FROM photos WHERE id = ?")
        .bind(id.as_str())
        .fetch_optional(conn)
        .await
}
