//! A district's local trustees on the server: administrators import the
//! district's list (`POST /api/admin/trustees/{district}`, the CSV as the
//! body, under the case files' rules: `domain::trustees::read_spreadsheet`)
//! and read it back (`GET` on the same path); the screening committee
//! invites from it with the `InviteTrustee` command, and the invitation's
//! SMS goes to the mobile kept here.

pub mod queries;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::routing::get;
use axum::{Json, Router};
use domain::auth::Role;
use domain::district::DistrictId;
use domain::import::{ImportReport, decode};
use domain::sync::{Record, RecordKind};
use domain::trustees::{Trustee, read_spreadsheet};

use crate::audit::{Action, Audited};
use crate::auth::guard::Staff;
use crate::error::{ApiError, FieldError};
use crate::http::AppState;
use crate::sync::records;

/// A district's list is a few hundred people; room for a thousand times
/// that.
const MAX_IMPORT_BYTES: usize = 8 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/admin/trustees/{district}",
        get(list)
            .post(import)
            .layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
    )
}

fn district_of(number: u8, staff: &Staff) -> Result<DistrictId, ApiError> {
    let district = DistrictId::new(number).map_err(|_| ApiError::NotFound)?;
    staff.require(Role::Administrator, district)?;
    Ok(district)
}

/// The district's trustees, by name.
async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Path(district): Path<u8>,
) -> Result<Json<Vec<Trustee>>, ApiError> {
    let district = district_of(district, &staff)?;
    let mut conn = state.db.acquire().await?;
    let mut trustees: Vec<Trustee> = records::of_kind_in(&mut conn, RecordKind::Trustee, district)
        .await?
        .into_values()
        .filter_map(|record| match record {
            Record::Trustee(trustee) => Some(trustee),
            _ => None,
        })
        .collect();
    trustees.sort_by(|a, b| a.full_name.cmp(&b.full_name));
    Ok(Json(trustees))
}

/// Imports a district's list: new mobiles added, known ones updated, all
/// in one transaction, or — with any bad row — nothing, and every bad row
/// reported with its line.
async fn import(
    State(state): State<AppState>,
    staff: Staff,
    Path(district): Path<u8>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<ImportReport>, ApiError> {
    let district = district_of(district, &staff)?;
    let body = body.map_err(|_| ApiError::PayloadTooLarge)?;
    let text = decode(&body).map_err(|e| ApiError::Invalid(vec![FieldError::new("file", &e)]))?;
    let rows = read_spreadsheet(&text).map_err(ApiError::InvalidRows)?;
    let mut change = Audited::begin(&state, &staff).await?;
    let at = change.at();
    let report = queries::import(&mut change, district, rows, at).await?;
    tracing::info!(
        district = district.number(),
        added = report.added,
        updated = report.updated,
        unchanged = report.unchanged,
        "trustees imported"
    );
    change
        .commit_as(Action::TrusteeImport, Some(&district.number().to_string()))
        .await?;
    Ok(Json(report))
}
