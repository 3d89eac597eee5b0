//! The executive committee's side (DESIGN §2 step 2). For now: the
//! district's registrations, newest first; linking case files follows.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use domain::auth::Role;
use domain::district::DistrictId;
use serde::Serialize;
use sqlx::Row;

use crate::auth::guard::Staff;
use crate::error::ApiError;
use crate::http::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/review/districts/{district}/registrations",
        get(district_registrations),
    )
}

#[derive(Serialize)]
struct RegistrationRow {
    id: String,
    tracking_code: String,
    full_name: String,
    topic: String,
    status: String,
    created_at: String,
}

async fn district_registrations(
    State(state): State<AppState>,
    staff: Staff,
    Path(district): Path<u8>,
) -> Result<Json<Vec<RegistrationRow>>, ApiError> {
    let district = DistrictId::new(district).map_err(|_| ApiError::NotFound)?;
    staff.require(Role::ReviewCommittee, district)?;
    let rows = sqlx::query(
        "SELECT id, tracking_code, full_name, topic, status, created_at FROM registrations \
         WHERE district_id = ? ORDER BY created_at DESC LIMIT 500",
    )
    .bind(i64::from(district.number()))
    .fetch_all(&state.db)
    .await?;
    Ok(Json(
        rows.iter()
            .map(|row| RegistrationRow {
                id: row.get("id"),
                tracking_code: row.get("tracking_code"),
                full_name: row.get("full_name"),
                topic: row.get("topic"),
                status: row.get("status"),
                created_at: row.get("created_at"),
            })
            .collect(),
    ))
}
