//! The administrators' queries — the city's districts and deputy domains,
//! meetings, the audit log: small named functions, parameterised SQL only.
//! (Accounts and devices are `auth::queries`'; the registration window is
//! `registration::queries`'.)

use chrono::{DateTime, Utc};
use domain::auth::AuditEntry;
use domain::district::DistrictId;
use domain::ids::MeetingId;
use domain::meeting::{Meeting, MeetingPlan};

use crate::db::{Conn, StoredDistrict, StoredTime};

/// Whether the city has this district: a grant or a meeting may name only
/// one it has (the city is data, DESIGN §1).
#[tracing::instrument(skip(conn))]
pub async fn district_exists(conn: &mut Conn, district: DistrictId) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM districts WHERE id = ?")
        .bind(StoredDistrict(district))
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// The city's districts, in order.
#[tracing::instrument(skip_all)]
pub async fn district_ids(conn: &mut Conn) -> Result<Vec<DistrictId>, sqlx::Error> {
    let ids: Vec<StoredDistrict> = sqlx::query_scalar("SELECT id FROM districts ORDER BY id")
        .fetch_all(conn)
        .await?;
    Ok(ids.into_iter().map(|StoredDistrict(id)| id).collect())
}

/// Stores a district and its names (the seed; an administrator renames).
#[tracing::instrument(skip(conn, name_fa, name_en))]
pub async fn insert_district(
    conn: &mut Conn,
    district: DistrictId,
    name_fa: &str,
    name_en: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO districts (id, name_fa, name_en) VALUES (?, ?, ?)")
        .bind(StoredDistrict(district))
        .bind(name_fa)
        .bind(name_en)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether the district exists (and now has these names).
#[tracing::instrument(skip(conn, name_fa, name_en))]
pub async fn rename_district(
    conn: &mut Conn,
    district: DistrictId,
    name_fa: &str,
    name_en: &str,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query("UPDATE districts SET name_fa = ?, name_en = ? WHERE id = ?")
        .bind(name_fa)
        .bind(name_en)
        .bind(StoredDistrict(district))
        .execute(conn)
        .await?
        .rows_affected();
    Ok(changed > 0)
}

/// Renames a deputy domain, or adds one (last in the list).
#[tracing::instrument(skip(conn, name_fa, name_en))]
pub async fn save_deputy(
    conn: &mut Conn,
    slug: &str,
    name_fa: &str,
    name_en: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO deputies (slug, name_fa, name_en, position) \
         VALUES (?, ?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM deputies)) \
         ON CONFLICT (slug) DO UPDATE SET name_fa = excluded.name_fa, name_en = excluded.name_en",
    )
    .bind(slug)
    .bind(name_fa)
    .bind(name_en)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct MeetingRow {
    #[sqlx(try_from = "String")]
    id: MeetingId,
    district_id: StoredDistrict,
    starts_at: StoredTime,
    venue: String,
    #[sqlx(try_from = "i64")]
    capacity: u16,
    #[sqlx(try_from = "i64")]
    citizen_quota: u16,
    #[sqlx(try_from = "i64")]
    trustee_quota: u16,
}

impl From<MeetingRow> for Meeting {
    fn from(row: MeetingRow) -> Self {
        Meeting {
            id: row.id,
            plan: MeetingPlan {
                district: row.district_id.0,
                starts_at: row.starts_at.0,
                venue: row.venue,
                capacity: row.capacity,
                citizen_quota: row.citizen_quota,
                trustee_quota: row.trustee_quota,
            },
        }
    }
}

const MEETING_COLUMNS: &str =
    "id, district_id, starts_at, venue, capacity, citizen_quota, trustee_quota";

/// The 500 latest meetings, latest first.
#[tracing::instrument(skip_all)]
pub async fn meetings(conn: &mut Conn) -> Result<Vec<Meeting>, sqlx::Error> {
    let rows: Vec<MeetingRow> = sqlx::query_as(&format!(
        "SELECT {MEETING_COLUMNS} FROM meetings ORDER BY starts_at DESC LIMIT 500"
    ))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(Meeting::from).collect())
}

#[tracing::instrument(skip(conn))]
pub async fn meeting(conn: &mut Conn, id: &str) -> Result<Option<Meeting>, sqlx::Error> {
    let row: Option<MeetingRow> = sqlx::query_as(&format!(
        "SELECT {MEETING_COLUMNS} FROM meetings WHERE id = ?"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(Meeting::from))
}

#[tracing::instrument(skip_all, fields(meeting = %meeting.id))]
pub async fn insert_meeting(
    conn: &mut Conn,
    meeting: &Meeting,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let plan = &meeting.plan;
    sqlx::query(
        "INSERT INTO meetings (id, district_id, starts_at, venue, capacity, citizen_quota, trustee_quota, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(meeting.id.as_str())
    .bind(StoredDistrict(plan.district))
    .bind(StoredTime(plan.starts_at))
    .bind(&plan.venue)
    .bind(i64::from(plan.capacity))
    .bind(i64::from(plan.citizen_quota))
    .bind(i64::from(plan.trustee_quota))
    .bind(StoredTime(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores a meeting's revised plan (its district never changes).
#[tracing::instrument(skip_all, fields(meeting = %meeting.id))]
pub async fn update_meeting(conn: &mut Conn, meeting: &Meeting) -> Result<(), sqlx::Error> {
    let plan = &meeting.plan;
    sqlx::query(
        "UPDATE meetings SET starts_at = ?, venue = ?, capacity = ?, citizen_quota = ?, \
         trustee_quota = ? WHERE id = ?",
    )
    .bind(StoredTime(plan.starts_at))
    .bind(&plan.venue)
    .bind(i64::from(plan.capacity))
    .bind(i64::from(plan.citizen_quota))
    .bind(i64::from(plan.trustee_quota))
    .bind(meeting.id.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: StoredTime,
    user_id: Option<String>,
    username: Option<String>,
    device_id: Option<String>,
    device_name: Option<String>,
    action: String,
    target: Option<String>,
}

/// The newest 1,000 entries, of one action and one username where given.
#[tracing::instrument(skip(conn, username))]
pub async fn audit_entries(
    conn: &mut Conn,
    action: Option<&str>,
    username: Option<&str>,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT a.id, a.at, a.user_id, u.username, a.device_id, d.name AS device_name, \
                a.action, a.target \
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
                          LEFT JOIN devices d ON d.id = a.device_id \
         WHERE (?1 IS NULL OR a.action = ?1) AND (?2 IS NULL OR u.username = ?2) \
         ORDER BY a.id DESC LIMIT 1000",
    )
    .bind(action)
    .bind(username)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| AuditEntry {
            id: row.id,
            at: row.at.0,
            user_id: row.user_id,
            username: row.username,
            device_id: row.device_id,
            device_name: row.device_name,
            action: row.action,
            target: row.target,
        })
        .collect())
}
