//! The trustees table and the trustees' synced records, written together.

use chrono::{DateTime, Utc};
use domain::district::DistrictId;
use domain::ids::TrusteeId;
use domain::import::ImportReport;
use domain::sync::{Record, RecordKind};
use domain::trustees::TrusteeRow;

use crate::db::{Conn, StoredDistrict, StoredTime};
use crate::error::ApiError;
use crate::sync::records;

/// Adds or updates `rows` as `district`'s trustees, each found by mobile.
#[tracing::instrument(skip_all, fields(rows = rows.len()))]
pub async fn import(
    conn: &mut Conn,
    district: DistrictId,
    rows: Vec<TrusteeRow>,
    now: DateTime<Utc>,
) -> Result<ImportReport, ApiError> {
    let mut known = records::of_kind_in(conn, RecordKind::Trustee, district).await?;
    let mut report = ImportReport::default();
    for row in rows {
        let id = id_by_mobile(conn, district, row.mobile.e164())
            .await?
            .unwrap_or_else(|| TrusteeId::new_v7(now, rand::random()));
        store(conn, &id, district, &row, now).await?;
        let record = Record::Trustee(row.into_record(id, district));
        match known.remove(&record.key().id) {
            Some(earlier) if earlier == record => report.unchanged += 1,
            Some(_) => {
                records::put(conn, &record).await?;
                report.updated += 1;
            }
            None => {
                records::put(conn, &record).await?;
                report.added += 1;
            }
        }
    }
    Ok(report)
}

async fn id_by_mobile(
    conn: &mut Conn,
    district: DistrictId,
    mobile: &str,
) -> Result<Option<TrusteeId>, ApiError> {
    let id: Option<String> =
        sqlx::query_scalar("SELECT id FROM trustees WHERE district_id = ? AND mobile = ?")
            .bind(StoredDistrict(district))
            .bind(mobile)
            .fetch_optional(&mut *conn)
            .await?;
    id.map(|id| TrusteeId::parse(&id))
        .transpose()
        .map_err(|_| ApiError::Internal("a stored trustee id does not parse".into()))
}

async fn store(
    conn: &mut Conn,
    id: &TrusteeId,
    district: DistrictId,
    row: &TrusteeRow,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO trustees (id, district_id, full_name, mobile, neighbourhood, grp, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET full_name = excluded.full_name, \
           neighbourhood = excluded.neighbourhood, grp = excluded.grp, updated_at = excluded.updated_at",
    )
    .bind(id.as_str())
    .bind(StoredDistrict(district))
    .bind(row.full_name.as_str())
    .bind(row.mobile.e164())
    .bind(&row.neighbourhood)
    .bind(&row.group)
    .bind(StoredTime(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// A trustee's mobile, for the SMS invitation.
pub async fn mobile_of(
    conn: &mut Conn,
    trustee: &TrusteeId,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT mobile FROM trustees WHERE id = ?")
        .bind(trustee.as_str())
        .fetch_optional(conn)
        .await
}

/// The district's trustees' ids, by mobile (the demo invites the first of
/// its list, whose mobiles follow its order).
pub async fn ids_in(conn: &mut Conn, district: DistrictId) -> Result<Vec<TrusteeId>, ApiError> {
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM trustees WHERE district_id = ? ORDER BY mobile")
            .bind(StoredDistrict(district))
            .fetch_all(conn)
            .await?;
    ids.iter()
        .map(|id| TrusteeId::parse(id))
        .collect::<Result<_, _>>()
        .map_err(|_| ApiError::Internal("a stored trustee id does not parse".into()))
}
