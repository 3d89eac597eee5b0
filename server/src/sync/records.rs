//! `sync_records`: every synced record as it is now, numbered by its last
//! change. Writers call [`put`] inside a transaction begun by
//! [`crate::db::begin_write`] (it holds the write lock), so numbers commit in order
//! and a reader's cursor never skips a change that committed late.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use domain::district::DistrictId;
use domain::ids::{MeetingId, RegistrationId};
use domain::meeting::Meeting;
use domain::person::{Mobile, NationalId};
use domain::registration::{CaseNumber, Status, TrackingCode};
use domain::sync::{
    Attendee, Effect, LastDigits, MeetingRecord, Reach, Record, RecordKey, RecordKind,
    RegistrationRecord,
};
use sqlx::QueryBuilder;

use crate::db::{Backend, Conn, StoredDistrict, StoredTime};
use crate::error::{ApiError, FieldError};

/// Stored records this process could not read back since it started
/// (`/api/health` reports it). Such a record is skipped, never allowed to
/// fail a whole pull page or every later command on it: one bad row must
/// not stop a district's sync.
static UNREADABLE: AtomicU64 = AtomicU64::new(0);

pub fn unreadable_count() -> u64 {
    UNREADABLE.load(Ordering::Relaxed)
}

/// The record in `body`, or `None` (logged and counted) when it does not
/// parse. The log names the record, never its content.
fn readable(key: &RecordKey, body: &str) -> Option<Record> {
    match serde_json::from_str(body) {
        Ok(record) => Some(record),
        Err(error) => {
            UNREADABLE.fetch_add(1, Ordering::Relaxed);
            tracing::error!(record = %key.text(), %error, "a stored sync record does not parse; skipped");
            None
        }
    }
}

/// The records `keys` name that exist and can be read (tombstones and
/// unreadable rows do not).
#[tracing::instrument(skip_all)]
pub async fn load(
    conn: &mut Conn,
    keys: &[RecordKey],
) -> Result<BTreeMap<RecordKey, Record>, ApiError> {
    let mut records = BTreeMap::new();
    for key in keys {
        let body: Option<Option<String>> = sqlx::query_scalar(
            "SELECT body FROM sync_records WHERE kind = ? AND id = ? AND body IS NOT NULL",
        )
        .bind(key.kind.code())
        .bind(&key.id)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(record) = body.flatten().and_then(|body| readable(key, &body)) {
            records.insert(key.clone(), record);
        }
    }
    Ok(records)
}

/// Every readable record of `kind` in `district`, by id.
#[tracing::instrument(skip(conn))]
pub async fn of_kind_in(
    conn: &mut Conn,
    kind: RecordKind,
    district: DistrictId,
) -> Result<HashMap<String, Record>, ApiError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, body FROM sync_records \
         WHERE kind = ? AND district_id = ? AND body IS NOT NULL",
    )
    .bind(kind.code())
    .bind(StoredDistrict(district))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, body)| {
            let key = RecordKey { kind, id };
            readable(&key, &body).map(|record| (key.id, record))
        })
        .collect())
}

/// Stores a record's new state with the next change number. If it lived
/// in another district until now, that district's copy becomes a
/// tombstone first (a lower number), so a device reaching both districts
/// deletes and then inserts, and one reaching only the old one deletes.
#[tracing::instrument(skip_all)]
pub async fn put(conn: &mut Conn, record: &Record) -> Result<(), ApiError> {
    let key = record.key();
    let district = i64::from(record.district().number());
    let body = serde_json::to_string(record).map_err(|e| ApiError::Internal(e.to_string()))?;
    let moved_from: Vec<i64> = sqlx::query_scalar(
        "SELECT district_id FROM sync_records \
         WHERE kind = ? AND id = ? AND district_id <> ? AND body IS NOT NULL",
    )
    .bind(key.kind.code())
    .bind(&key.id)
    .bind(district)
    .fetch_all(&mut *conn)
    .await?;
    let meeting = record.meeting().map(MeetingId::as_str);
    for old in moved_from {
        write_row(conn, &key, old, meeting, None).await?;
    }
    write_row(conn, &key, district, meeting, Some(&body)).await
}

/// One district's row of a record, with the next change number; `None`
/// writes a tombstone.
#[tracing::instrument(skip_all)]
async fn write_row(
    conn: &mut Conn,
    key: &RecordKey,
    district: i64,
    meeting: Option<&str>,
    body: Option<&str>,
) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO sync_records (kind, id, district_id, meeting_id, seq, body) \
         VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM sync_records), ?) \
         ON CONFLICT (kind, id, district_id) DO UPDATE SET \
           seq = excluded.seq, body = excluded.body, meeting_id = excluded.meeting_id",
    )
    .bind(key.kind.code())
    .bind(&key.id)
    .bind(district)
    .bind(meeting)
    .bind(body)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A registration as the committees see it, after the citizen created or
/// updated it: the citizen's fields from `registrations`, the committees'
/// work kept from the record as it was.
#[tracing::instrument(skip(conn))]
pub async fn publish_registration(conn: &mut Conn, id: &str) -> Result<(), ApiError> {
    let row: PublishedRow = sqlx::query_as(
        "SELECT id, tracking_code, district_id, full_name, topic, description, case_number, \
                status, created_at, mobile, national_id, \
                EXISTS (SELECT 1 FROM registrations other \
                        WHERE other.national_id = registrations.national_id \
                          AND other.window_id = registrations.window_id \
                          AND other.mobile <> registrations.mobile) AS shares_national_id \
         FROM registrations WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let earlier = load(&mut *conn, &[RecordKey::registration(&row.id)]).await?;
    let earlier = match earlier.into_values().next() {
        Some(Record::Registration(record)) => Some(record),
        _ => None,
    };
    let corrupt = |what: &str| ApiError::Internal(format!("a stored {what} does not parse"));
    let national_id = NationalId::parse(&row.national_id).ok();
    let citizen = match &national_id {
        Some(national_id) => Some(crate::people::key_of(&mut *conn, national_id).await?),
        None => None,
    };
    let record = RegistrationRecord {
        id: row.id,
        tracking_code: TrackingCode::parse(&row.tracking_code)
            .map_err(|_| corrupt("tracking code"))?,
        district: row.district_id.0,
        full_name: row.full_name,
        topic: row.topic,
        description: row.description,
        case_number: row
            .case_number
            .map(|text| CaseNumber::parse(&text))
            .transpose()
            .map_err(|_| corrupt("case number"))?,
        status: Status::from_code(&row.status).ok_or_else(|| corrupt("status"))?,
        submitted_at: row.created_at.0,
        review: earlier.as_ref().and_then(|r| r.review.clone()),
        screening: earlier.as_ref().and_then(|r| r.screening.clone()),
        rejection: earlier.as_ref().and_then(|r| r.rejection.clone()),
        referral: earlier.and_then(|r| r.referral),
        shares_national_id: row.shares_national_id,
        // Only the last digits leave the server (the roster's need).
        mobile_last4: Mobile::parse(&row.mobile)
            .ok()
            .map(|m| LastDigits::of_mobile(&m)),
        national_id_last4: national_id.as_ref().map(LastDigits::of_national_id),
        citizen,
    };
    put(conn, &Record::Registration(record)).await
}

/// A registration's citizen's fields, as `publish_registration` reads them.
#[derive(sqlx::FromRow)]
struct PublishedRow {
    #[sqlx(try_from = "String")]
    id: RegistrationId,
    tracking_code: String,
    district_id: StoredDistrict,
    full_name: String,
    topic: String,
    description: String,
    case_number: Option<String>,
    status: String,
    created_at: StoredTime,
    mobile: String,
    national_id: String,
    shares_national_id: bool,
}

/// A meeting as an administrator created or revised it; who the committee
/// seated and its closing stay, and a revision may not leave fewer
/// citizens' places than were given.
pub async fn publish_meeting(conn: &mut Conn, meeting: &Meeting) -> Result<(), ApiError> {
    let key = RecordKey::meeting(&meeting.id);
    let record = match load(&mut *conn, std::slice::from_ref(&key))
        .await?
        .remove(&key)
    {
        Some(Record::Meeting(mut earlier)) => {
            earlier
                .replan(meeting.clone())
                .map_err(|error| ApiError::Invalid(vec![FieldError::new(error.field(), &error)]))?;
            earlier
        }
        _ => MeetingRecord::new(meeting.clone()),
    };
    put(conn, &Record::Meeting(record)).await
}

/// Stores what an applied command changed: each record with its next
/// change number, and the tables other screens read kept in step.
pub async fn keep(conn: &mut Conn, effect: &Effect, now: DateTime<Utc>) -> Result<(), ApiError> {
    for record in &effect.changes {
        put(conn, record).await?;
        project(conn, record, now).await?;
    }
    Ok(())
}

/// Keeps the tables other screens read in step with a changed record: a
/// registration's status, referral and latest follow-up report, and the meeting and slot of the
/// citizen's place (none once given up), are what the citizen's lookup
/// shows.
async fn project(conn: &mut Conn, record: &Record, now: DateTime<Utc>) -> Result<(), ApiError> {
    match record {
        Record::Registration(registration) => {
            let referral = registration.referral.as_ref();
            let follow_up = referral
                .and_then(|r| r.reports.last())
                .map(|report| serde_json::to_string(&report.for_citizen()))
                .transpose()
                .map_err(|error| {
                    ApiError::Internal(format!("a report does not serialise: {error}"))
                })?;
            sqlx::query(
                "UPDATE registrations SET status = ?, referred_to = ?, referred_at = ?, \
                 follow_up = ?, updated_at = ? WHERE id = ?",
            )
            .bind(registration.status.code())
            .bind(referral.map(|r| r.deputy.as_str()))
            .bind(referral.map(|r| StoredTime(r.at)))
            .bind(follow_up)
            .bind(StoredTime(now))
            .bind(registration.id.as_str())
            .execute(conn)
            .await?;
        }
        Record::Attendee(
            place @ Attendee {
                registration: Some(registration),
                meeting,
                slot,
                ..
            },
        ) => {
            if place.expected() {
                sqlx::query("UPDATE registrations SET meeting_id = ?, slot_at = ? WHERE id = ?")
                    .bind(meeting.as_str())
                    .bind(slot.map(StoredTime))
                    .bind(registration.as_str())
                    .execute(conn)
                    .await?;
            } else {
                // A place given up, or left for another meeting (whose
                // place the same change may already have recorded).
                sqlx::query(
                    "UPDATE registrations SET meeting_id = NULL, slot_at = NULL \
                     WHERE id = ? AND meeting_id = ?",
                )
                .bind(registration.as_str())
                .bind(meeting.as_str())
                .execute(conn)
                .await?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// One stored change: the record's key and its state, with the size of its
/// stored JSON (pages are bounded in bytes too).
pub struct Change {
    pub seq: i64,
    pub key: RecordKey,
    pub state: Stored,
    pub bytes: usize,
}

pub enum Stored {
    Present(Box<Record>),
    /// The record left the scope: devices delete their copy.
    Tombstone,
    /// It does not parse (logged and counted): not sent, but the cursor
    /// moves past it.
    Unreadable,
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    seq: i64,
    kind: String,
    id: String,
    /// `None`: a tombstone.
    body: Option<String>,
}

/// What a puller may read: per kind, the districts its roles reach, and
/// the meetings whose rosters it holds by assignment (field staff).
pub struct Scopes<'a> {
    pub reach: &'a [(RecordKind, Reach)],
    pub rosters: &'a [MeetingId],
}

/// The changes after `after`, in order, in `scopes`; at most `limit`.
#[tracing::instrument(skip_all)]
pub async fn changes_after(
    conn: &mut Conn,
    scopes: &Scopes<'_>,
    after: i64,
    limit: usize,
) -> Result<Vec<Change>, ApiError> {
    let mut query: QueryBuilder<Backend> =
        QueryBuilder::new("SELECT seq, kind, id, body FROM sync_records WHERE seq > ");
    query.push_bind(after).push(" AND (0");
    for (kind, reach) in scopes.reach {
        match reach {
            Reach::Nowhere => continue,
            Reach::Everywhere => {
                query.push(" OR kind = ").push_bind(kind.code());
            }
            Reach::Districts(districts) => {
                query.push(" OR (kind = ").push_bind(kind.code());
                query.push(" AND district_id IN (");
                let mut list = query.separated(", ");
                for district in districts {
                    list.push_bind(i64::from(district.number()));
                }
                query.push("))");
            }
        }
    }
    if !scopes.rosters.is_empty() {
        query.push(" OR (kind IN (");
        let mut kinds = query.separated(", ");
        for kind in RecordKind::ALL
            .into_iter()
            .filter(|k| k.read_by_assignment())
        {
            kinds.push_bind(kind.code());
        }
        query.push(") AND meeting_id IN (");
        let mut meetings = query.separated(", ");
        for meeting in scopes.rosters {
            meetings.push_bind(meeting.as_str());
        }
        query.push("))");
    }
    query
        .push(") ORDER BY seq LIMIT ")
        .push_bind(i64::try_from(limit).unwrap_or(i64::MAX));
    let rows: Vec<ChangeRow> = query.build_query_as().fetch_all(conn).await?;
    let mut changes = Vec::with_capacity(rows.len());
    for ChangeRow {
        seq,
        kind,
        id,
        body,
    } in rows
    {
        let kind = RecordKind::from_code(&kind)
            .ok_or_else(|| ApiError::Internal("a stored record kind does not parse".into()))?;
        let key = RecordKey { kind, id };
        let bytes = body.as_ref().map_or(0, String::len);
        let state = match body {
            None => Stored::Tombstone,
            Some(body) => readable(&key, &body).map_or(Stored::Unreadable, |record| {
                Stored::Present(Box::new(record))
            }),
        };
        changes.push(Change {
            seq,
            key,
            state,
            bytes,
        });
    }
    Ok(changes)
}
