//! The district's case files on the server: an administrator imports the
//! district's spreadsheet (`POST /api/admin/case-files/{district}`, the
//! CSV file as the body); every row is checked with the domain's parsers
//! (`domain::case_files::read_spreadsheet`) and a file with a bad row
//! imports nothing. The committees' devices get the files as synced
//! records, with the owner's key in place of the national ID.

pub mod queries;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::routing::post;
use axum::{Json, Router};
use domain::auth::Role;
use domain::case_files::read_spreadsheet;
use domain::district::DistrictId;
use domain::import::{ImportReport, decode};

use crate::audit::{Action, Audited};
use crate::auth::guard::Staff;
use crate::error::{ApiError, FieldError};
use crate::http::AppState;

/// The largest spreadsheet one import takes: 100,000 rows of a few hundred
/// bytes each.
const MAX_IMPORT_BYTES: usize = 48 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/admin/case-files/{district}",
        post(import).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
    )
}

/// Imports a district's case files: new numbers added, known ones updated
/// in place, all in one transaction, or — with any bad row — nothing, and
/// every bad row reported with its line.
async fn import(
    State(state): State<AppState>,
    staff: Staff,
    Path(district): Path<u8>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<ImportReport>, ApiError> {
    let district = DistrictId::new(district).map_err(|_| ApiError::NotFound)?;
    staff.require(Role::Administrator, district)?;
    let body = body.map_err(|_| ApiError::PayloadTooLarge)?;
    let text = decode(&body).map_err(|e| ApiError::Invalid(vec![FieldError::new("file", &e)]))?;
    let rows = read_spreadsheet(&text).map_err(ApiError::InvalidRows)?;
    let mut change = Audited::begin(&state, &staff).await?;
    let report = queries::import(&mut change, district, rows).await?;
    tracing::info!(
        district = district.number(),
        added = report.added,
        updated = report.updated,
        unchanged = report.unchanged,
        "case files imported"
    );
    change
        .commit_as(Action::CaseFileImport, Some(&district.number().to_string()))
        .await?;
    Ok(Json(report))
}
