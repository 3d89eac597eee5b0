//! `/api/admin/meetings`: administrators plan each district's meetings;
//! the screening committee will fill them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use domain::auth::Role;
use domain::ids::MeetingId;
use domain::meeting::{Meeting, MeetingError, MeetingPlan, MeetingStaff};

use super::queries;
use crate::audit::{Action, Audited};
use crate::auth::guard::Staff;
use crate::checkin;
use crate::error::{ApiError, FieldError};
use crate::http::{ApiJson, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/meetings", get(list).post(create))
        .route("/admin/meetings/{id}", put(update))
        .route(
            "/admin/meetings/{id}/staff",
            get(staff_of).put(assign_staff),
        )
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

/// `GET /api/admin/meetings/{id}/staff`: who works at the meeting.
async fn staff_of(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<MeetingId>,
) -> Result<Json<MeetingStaff>, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let mut conn = state.db.acquire().await?;
    queries::meeting(&mut conn, id.as_str())
        .await?
        .ok_or(ApiError::NotFound)?;
    let users = checkin::queries::staff_of(&mut conn, &id).await?;
    Ok(Json(MeetingStaff { users }))
}

/// `PUT /api/admin/meetings/{id}/staff`: the meeting's field staff, all at
/// once. Each must be an active account holding the field-staff role in
/// the meeting's district; their devices get the roster at their next
/// pull, and a device of someone taken off drops it.
async fn assign_staff(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<MeetingId>,
    ApiJson(mut assigned): ApiJson<MeetingStaff>,
) -> Result<Json<MeetingStaff>, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    if assigned.users.len() > MeetingStaff::MAX_USERS {
        return Err(invalid(MeetingError::TooManyStaff));
    }
    assigned.users.sort_unstable();
    assigned.users.dedup();
    let mut change = Audited::begin(&state, &staff).await?;
    let at = change.at();
    let meeting = queries::meeting(&mut change, id.as_str())
        .await?
        .ok_or(ApiError::NotFound)?;
    for user in &assigned.users {
        let grants = crate::auth::queries::grants_of(&mut change, user.as_str()).await?;
        let active = !crate::auth::queries::is_disabled(&mut change, user.as_str())
            .await?
            .unwrap_or(true);
        let field_staff = grants
            .iter()
            .any(|grant| grant.allows(Role::FieldStaff, meeting.plan.district));
        if !(active && field_staff) {
            return Err(invalid(MeetingError::NotFieldStaff));
        }
    }
    checkin::queries::assign(&mut change, &id, &assigned.users, at).await?;
    change
        .commit_as(Action::MeetingStaffAssign, Some(id.as_str()))
        .await?;
    Ok(Json(assigned))
}

fn invalid(error: MeetingError) -> ApiError {
    ApiError::Invalid(vec![FieldError::new(error.field(), &error)])
}
