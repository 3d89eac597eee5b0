//! `/api/admin/meetings`: administrators plan each district's meetings;
//! the screening committee will fill them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use domain::auth::Role;
use domain::ids::MeetingId;
use domain::meeting::{Meeting, MeetingError, MeetingPlan};

use super::queries;
use crate::audit::{Action, Audited};
use crate::auth::guard::Staff;
use crate::error::{ApiError, FieldError};
use crate::http::{ApiJson, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/meetings", get(list).post(create))
        .route("/admin/meetings/{id}", put(update))
}

async fn list(State(state): State<AppState>, staff: Staff) -> Result<Json<Vec<Meeting>>, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let mut conn = state.db.acquire().await?;
    Ok(Json(queries::meetings(&mut conn).await?))
}

async fn create(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(plan): ApiJson<MeetingPlan>,
) -> Result<(StatusCode, Json<Meeting>), ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let plan = plan.checked().map_err(invalid)?;
    let mut conn = state.db.acquire().await?;
    if !queries::district_exists(&mut conn, plan.district).await? {
        return Err(ApiError::Invalid(vec![FieldError::new(
            "district",
            &domain::district::DistrictError::OutOfRange,
        )]));
    }
    drop(conn);
    let meeting = Meeting {
        id: MeetingId::new_v7(state.clock.now(), rand::random()),
        plan,
    };
    // A write transaction: the meeting's sync record takes a change number.
    let mut change = Audited::begin(&state, &staff).await?;
    let at = change.at();
    queries::insert_meeting(&mut change, &meeting, at).await?;
    crate::sync::records::publish_meeting(&mut change, &meeting).await?;
    change
        .commit_as(Action::MeetingCreate, Some(meeting.id.as_str()))
        .await?;
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
    let mut change = Audited::begin(&state, &staff).await?;
    let meeting = queries::meeting(&mut change, &id)
        .await?
        .ok_or(ApiError::NotFound)?
        .revised(plan)
        .map_err(invalid)?;
    queries::update_meeting(&mut change, &meeting).await?;
    crate::sync::records::publish_meeting(&mut change, &meeting).await?;
    change
        .commit_as(Action::MeetingUpdate, Some(meeting.id.as_str()))
        .await?;
    Ok(Json(meeting))
}

fn invalid(error: MeetingError) -> ApiError {
    let field = match error {
        MeetingError::DistrictFixed => "district",
        _ => "meeting",
    };
    ApiError::Invalid(vec![FieldError::new(field, &error)])
}
