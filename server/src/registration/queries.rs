//! The registration queries: small named functions, parameterised SQL only,
//! never logging personal data (spans skip every national ID, mobile and
//! tracking code).

use chrono::{DateTime, Utc};
use domain::district::{Deputy, District, DistrictId};
use domain::followup;
use domain::i18n::Bilingual;
use domain::person::Mobile;
use domain::registration::{
    Invitation, LookupAnswer, Receipt, Registration, Status, Submission, TrackingCode, WindowId,
    WindowRule,
};
use rand::RngCore;

use crate::db::{Conn, Db, StoredDistrict, StoredTime};
use crate::error::{ApiError, Conflict};

/// An answer as first given, replayed byte for byte to a retry.
#[derive(sqlx::FromRow)]
pub struct StoredAnswer {
    #[sqlx(try_from = "i64")]
    pub status_code: u16,
    #[sqlx(rename = "response")]
    pub body: String,
}

/// The answer given to `request_id`, on the pool or inside a transaction.
#[tracing::instrument(skip(db))]
pub async fn stored_answer(
    db: &mut Conn,
    request_id: &str,
) -> Result<Option<StoredAnswer>, sqlx::Error> {
    sqlx::query_as("SELECT status_code, response FROM registration_requests WHERE request_id = ?")
        .bind(request_id)
        .fetch_optional(db)
        .await
}

#[tracing::instrument(skip_all)]
pub async fn topic_slugs(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT slug FROM deputies ORDER BY position")
        .fetch_all(db)
        .await
}

#[tracing::instrument(skip_all)]
pub async fn district_count(db: &Db) -> Result<u8, sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM districts")
        .fetch_one(db)
        .await?;
    Ok(u8::try_from(count).unwrap_or(u8::MAX))
}

#[derive(sqlx::FromRow)]
struct DistrictRow {
    id: i64,
    name_fa: String,
    name_en: String,
}

#[tracing::instrument(skip_all)]
pub async fn districts(db: &Db) -> Result<Vec<District>, sqlx::Error> {
    let rows: Vec<DistrictRow> =
        sqlx::query_as("SELECT id, name_fa, name_en FROM districts ORDER BY id")
            .fetch_all(db)
            .await?;
    // A district number out of range is left out, not a failed form.
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let id = DistrictId::new(u8::try_from(row.id).ok()?).ok()?;
            Some(District {
                id,
                name_fa: row.name_fa,
                name_en: row.name_en,
            })
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct DeputyRow {
    slug: String,
    name_fa: String,
    name_en: String,
}

#[tracing::instrument(skip_all)]
pub async fn deputies(db: &Db) -> Result<Vec<Deputy>, sqlx::Error> {
    let rows: Vec<DeputyRow> =
        sqlx::query_as("SELECT slug, name_fa, name_en FROM deputies ORDER BY position")
            .fetch_all(db)
            .await?;
    Ok(rows
        .into_iter()
        .map(|row| Deputy {
            slug: row.slug,
            name_fa: row.name_fa,
            name_en: row.name_en,
        })
        .collect())
}

/// Stores a deputy domain at `position` in the form's list (the seed).
#[tracing::instrument(skip(conn, name_fa, name_en))]
pub async fn insert_deputy(
    conn: &mut Conn,
    slug: &str,
    name_fa: &str,
    name_en: &str,
    position: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO deputies (slug, name_fa, name_en, position) VALUES (?, ?, ?, ?)")
        .bind(slug)
        .bind(name_fa)
        .bind(name_en)
        .bind(position)
        .execute(conn)
        .await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn saved_window_rule(db: &Db) -> Result<Option<WindowRule>, sqlx::Error> {
    let json: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'registration_window'")
            .fetch_optional(db)
            .await?;
    // A rule that no longer parses is logged and the default used: a bad
    // setting must not close registration.
    Ok(json.and_then(|json| match serde_json::from_str(&json) {
        Ok(rule) => Some(rule),
        Err(error) => {
            tracing::error!(%error, "the saved registration window does not parse");
            None
        }
    }))
}

/// Saves the administrators' window rule (JSON of a `WindowRule`).
#[tracing::instrument(skip_all)]
pub async fn save_window_rule(conn: &mut Conn, json: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ('registration_window', ?) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(json)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a submission and its answer on `conn`, inside the writer's
/// transaction (see `writer`): a new request, or the update of this
/// person's request in the same window.
///
/// "This person" is the national ID *and* the mobile: national IDs are not
/// secret, so a submission with a known ID from another mobile never
/// touches the earlier request nor learns its tracking code. It becomes a
/// request of its own, and both are flagged for the executive committee.
/// The answer's status and shape are the same whether or not the ID was
/// seen before, so nobody can probe who registered this week.
#[tracing::instrument(skip_all, fields(request_id = %submission.request_id))]
pub async fn record(
    conn: &mut Conn,
    submission: &Submission,
    registration: &Registration,
    window: WindowId,
    now: DateTime<Utc>,
) -> Result<StoredAnswer, ApiError> {
    if let Some(answer) = stored_answer(&mut *conn, &submission.request_id).await? {
        return Ok(answer);
    }
    let window_text = window.opens_on_date().to_string();
    let earlier = own_earlier_request(conn, registration, &window_text).await?;
    let (registration_id, tracking_code, replaced_earlier) = match earlier {
        Some(earlier) if earlier.status != Status::Submitted => {
            // The committee has begun with it: a late edit would change
            // what it already decided on.
            return Err(ApiError::Conflict(Conflict::AlreadyWithCommittee));
        }
        Some(earlier) => {
            update(conn, &earlier.id, registration, submission.made_at, now).await?;
            (earlier.id, earlier.tracking_code, true)
        }
        None => {
            let id = uuid::Uuid::now_v7().to_string();
            let code = free_tracking_code(conn, &submission.tracking_code).await?;
            insert(
                conn,
                &id,
                &code,
                &window_text,
                registration,
                submission.made_at,
                now,
            )
            .await?;
            (id, code, false)
        }
    };
    // Every request of this window with the same ID is published again:
    // the flag "same national ID, different mobile" is on all of them.
    for id in same_national_id(conn, registration, &window_text).await? {
        crate::sync::records::publish_registration(conn, &id).await?;
    }
    let receipt = Receipt {
        tracking_code,
        window,
        replaced_earlier,
        status: Status::Submitted,
        received_at: now,
    };
    let answer = StoredAnswer {
        status_code: 201,
        body: serde_json::to_string(&receipt).map_err(|e| ApiError::Internal(e.to_string()))?,
    };
    sqlx::query(
        "INSERT INTO registration_requests (request_id, registration_id, status_code, response, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(&submission.request_id)
    .bind(&registration_id)
    .bind(i64::from(answer.status_code))
    .bind(&answer.body)
    .bind(StoredTime(now))
    .execute(&mut *conn)
    .await?;
    Ok(answer)
}

/// The request a tracking code belongs to.
#[tracing::instrument(skip_all)]
pub async fn id_of(
    conn: &mut Conn,
    code: &TrackingCode,
) -> Result<Option<domain::ids::RegistrationId>, sqlx::Error> {
    let id: Option<String> =
        sqlx::query_scalar("SELECT id FROM registrations WHERE tracking_code = ?")
            .bind(code.as_str())
            .fetch_optional(conn)
            .await?;
    Ok(id.and_then(|id| id.parse().ok()))
}

/// A request this person (national ID and mobile) already made in the window.
struct EarlierRequest {
    id: String,
    tracking_code: TrackingCode,
    status: Status,
}

#[tracing::instrument(skip_all)]
async fn own_earlier_request(
    conn: &mut Conn,
    registration: &Registration,
    window: &str,
) -> Result<Option<EarlierRequest>, ApiError> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT id, tracking_code, status FROM registrations \
         WHERE national_id = ? AND mobile = ? AND window_id = ?",
    )
    .bind(registration.national_id.as_str())
    .bind(registration.mobile.e164())
    .bind(window)
    .fetch_optional(&mut *conn)
    .await?;
    let corrupt = |what: &str| ApiError::Internal(format!("a stored {what} does not parse"));
    row.map(|(id, code, status)| {
        Ok(EarlierRequest {
            id,
            tracking_code: TrackingCode::parse(&code).map_err(|_| corrupt("tracking code"))?,
            status: Status::from_code(&status).ok_or_else(|| corrupt("status"))?,
        })
    })
    .transpose()
}

/// The ids of every request in the window with this national ID.
#[tracing::instrument(skip_all)]
async fn same_national_id(
    conn: &mut Conn,
    registration: &Registration,
    window: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM registrations WHERE national_id = ? AND window_id = ?")
        .bind(registration.national_id.as_str())
        .bind(window)
        .fetch_all(&mut *conn)
        .await
}

/// The device's code if nobody has it yet (the usual case: 29⁸ codes), else
/// a new random one.
#[tracing::instrument(skip_all)]
async fn free_tracking_code(
    conn: &mut Conn,
    proposed: &TrackingCode,
) -> Result<TrackingCode, sqlx::Error> {
    let mut code = *proposed;
    loop {
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM registrations WHERE tracking_code = ?")
                .bind(code.as_str())
                .fetch_optional(&mut *conn)
                .await?;
        if taken.is_none() {
            return Ok(code);
        }
        let mut bytes = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        code = TrackingCode::from_random(bytes);
    }
}

#[tracing::instrument(skip_all)]
async fn insert(
    conn: &mut Conn,
    id: &str,
    code: &TrackingCode,
    window: &str,
    registration: &Registration,
    made_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO registrations (id, tracking_code, window_id, national_id, full_name, mobile, district_id, topic, description, case_number, status, made_at, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(code.as_str())
    .bind(window)
    .bind(registration.national_id.as_str())
    .bind(registration.full_name.as_str())
    .bind(registration.mobile.e164())
    .bind(StoredDistrict(registration.district))
    .bind(registration.topic.as_str())
    .bind(&registration.description)
    .bind(registration.case_number.as_ref().map(|n| n.as_str()))
    .bind(Status::Submitted.code())
    .bind(StoredTime(made_at))
    .bind(StoredTime(now))
    .bind(StoredTime(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
async fn update(
    conn: &mut Conn,
    id: &str,
    registration: &Registration,
    made_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE registrations SET full_name = ?, mobile = ?, district_id = ?, topic = ?, description = ?, case_number = ?, made_at = ?, updated_at = ? WHERE id = ?",
    )
    .bind(registration.full_name.as_str())
    .bind(registration.mobile.e164())
    .bind(StoredDistrict(registration.district))
    .bind(registration.topic.as_str())
    .bind(&registration.description)
    .bind(registration.case_number.as_ref().map(|n| n.as_str()))
    .bind(StoredTime(made_at))
    .bind(StoredTime(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The request with this code *and* this mobile; a wrong mobile finds
/// nothing, exactly like an unknown code.
#[tracing::instrument(skip_all)]
pub async fn lookup(
    db: &Db,
    code: &TrackingCode,
    mobile: &Mobile,
) -> Result<Option<LookupAnswer>, ApiError> {
    let row: Option<LookupRow> = sqlx::query_as(
        "SELECT r.status, r.district_id, r.topic, r.created_at, r.updated_at, d.name_fa AS deputy_fa, \
         d.name_en AS deputy_en, r.referred_at, r.follow_up, r.slot_at, m.starts_at AS meeting_starts_at, \
         m.venue AS meeting_venue \
         FROM registrations r LEFT JOIN meetings m ON m.id = r.meeting_id \
         LEFT JOIN deputies d ON d.slug = r.referred_to \
         WHERE r.tracking_code = ? AND r.mobile = ?",
    )
    .bind(code.as_str())
    .bind(mobile.e164())
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let corrupt = |what: &str| ApiError::Internal(format!("a stored {what} does not parse"));
    let status = Status::from_code(&row.status).ok_or_else(|| corrupt("status"))?;
    let follow_up: Option<Bilingual> = row
        .follow_up
        .map(|json| serde_json::from_str(&json).map_err(|_| corrupt("follow-up report")))
        .transpose()?;
    let referral = match (row.deputy_fa, row.deputy_en, row.referred_at) {
        (Some(fa), Some(en), Some(at)) => Some(followup::referral_for_citizen(
            &Bilingual { fa, en },
            at.0,
            follow_up.as_ref(),
        )),
        _ => None,
    };
    // Said while the citizen is expected; afterwards the status says it.
    let invitation = match (status, row.meeting_starts_at, row.meeting_venue) {
        (Status::Invited | Status::Confirmed, Some(starts_at), Some(venue)) => Some(
            Invitation::new(starts_at.0, venue, row.slot_at.map(|slot| slot.0)),
        ),
        _ => None,
    };
    Ok(Some(LookupAnswer {
        tracking_code: *code,
        status,
        district: row.district_id.0,
        topic: row.topic,
        submitted_at: row.created_at.0,
        updated_at: row.updated_at.0,
        referral,
        invitation,
    }))
}

#[derive(sqlx::FromRow)]
struct LookupRow {
    status: String,
    district_id: StoredDistrict,
    topic: String,
    created_at: StoredTime,
    updated_at: StoredTime,
    deputy_fa: Option<String>,
    deputy_en: Option<String>,
    referred_at: Option<StoredTime>,
    follow_up: Option<String>,
    slot_at: Option<StoredTime>,
    meeting_starts_at: Option<StoredTime>,
    meeting_venue: Option<String>,
}
