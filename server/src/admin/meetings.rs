//! `/api/admin/meetings`: administrators plan each district's meetings;
//! the screening committee will fill them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use domain::auth::Role;
use domain::meeting::{Meeting, MeetingError, MeetingPlan};
use sqlx::Row;

use super::entry;
use crate::audit;
use crate::auth::guard::Staff;
use crate::db::{self, district_column, time_column};
use crate::error::{ApiError, FieldError};
use crate::http::{ApiJson, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/meetings", get(list).post(create))
        .route("/admin/meetings/{id}", put(update))
}

async fn list(State(state): State<AppState>, staff: Staff) -> Result<Json<Vec<Meeting>>, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let rows = sqlx::query(
        "SELECT id, district_id, starts_at, venue, capacity, citizen_quota, trustee_quota \
         FROM meetings ORDER BY starts_at DESC LIMIT 500",
    )
    .fetch_all(&state.db)
    .await?;
    rows.iter()
        .map(meeting_from_row)
        .collect::<Result<_, _>>()
        .map(Json)
}

fn meeting_from_row(row: &db::DbRow) -> Result<Meeting, ApiError> {
    let number = |column: &str| {
        u16::try_from(row.get::<i64, _>(column))
            .map_err(|_| ApiError::Internal(format!("a stored {column} does not parse")))
    };
    Ok(Meeting {
        id: row.get("id"),
        plan: MeetingPlan {
            district: district_column(row, "district_id")?,
            starts_at: time_column(row, "starts_at")?,
            venue: row.get("venue"),
            capacity: number("capacity")?,
            citizen_quota: number("citizen_quota")?,
            trustee_quota: number("trustee_quota")?,
        },
    })
}

async fn create(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(plan): ApiJson<MeetingPlan>,
) -> Result<(StatusCode, Json<Meeting>), ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let plan = plan.checked().map_err(invalid)?;
    ensure_district_exists(&state, &plan).await?;
    let id = uuid::Uuid::now_v7().to_string();
    let now = state.clock.now();
    // The write lock first: the meeting's sync record takes a change number.
    let mut tx = db::begin_write(&state.db).await?;
    sqlx::query(
        "INSERT INTO meetings (id, district_id, starts_at, venue, capacity, citizen_quota, trustee_quota, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(i64::from(plan.district.number()))
    .bind(plan.starts_at.to_rfc3339())
    .bind(&plan.venue)
    .bind(i64::from(plan.capacity))
    .bind(i64::from(plan.citizen_quota))
    .bind(i64::from(plan.trustee_quota))
    .bind(now.to_rfc3339())
    .execute(&mut *tx)
    .await?;
    let meeting = Meeting { id, plan };
    crate::sync::records::publish_meeting(&mut tx, &meeting).await?;
    audit::record(&mut tx, entry(&staff, now, "meeting_create", &meeting.id)).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(meeting)))
}

/// `PUT /api/admin/meetings/{id}`: a new time, venue or numbers; devices
/// that hold the meeting get the change at their next pull.
async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    ApiJson(plan): ApiJson<MeetingPlan>,
) -> Result<Json<Meeting>, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let now = state.clock.now();
    let mut tx = db::begin_write(&state.db).await?;
    let row = sqlx::query(
        "SELECT id, district_id, starts_at, venue, capacity, citizen_quota, trustee_quota \
         FROM meetings WHERE id = ?",
    )
    .bind(&id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::NotFound)?;
    let meeting = meeting_from_row(&row)?.revised(plan).map_err(invalid)?;
    sqlx::query(
        "UPDATE meetings SET starts_at = ?, venue = ?, capacity = ?, citizen_quota = ?, \
         trustee_quota = ? WHERE id = ?",
    )
    .bind(meeting.plan.starts_at.to_rfc3339())
    .bind(&meeting.plan.venue)
    .bind(i64::from(meeting.plan.capacity))
    .bind(i64::from(meeting.plan.citizen_quota))
    .bind(i64::from(meeting.plan.trustee_quota))
    .bind(&meeting.id)
    .execute(&mut *tx)
    .await?;
    crate::sync::records::publish_meeting(&mut tx, &meeting).await?;
    audit::record(&mut tx, entry(&staff, now, "meeting_update", &meeting.id)).await?;
    tx.commit().await?;
    Ok(Json(meeting))
}

fn invalid(error: MeetingError) -> ApiError {
    let field = match error {
        MeetingError::DistrictFixed => "district",
        _ => "meeting",
    };
    ApiError::Invalid(vec![FieldError::new(field, &error)])
}

async fn ensure_district_exists(state: &AppState, plan: &MeetingPlan) -> Result<(), ApiError> {
    let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM districts WHERE id = ?")
        .bind(i64::from(plan.district.number()))
        .fetch_optional(&state.db)
        .await?;
    match known {
        Some(_) => Ok(()),
        None => Err(ApiError::Invalid(vec![FieldError::new(
            "district",
            &domain::district::DistrictError::OutOfRange,
        )])),
    }
}
