//! `/api/admin/districts/{id}` and `/api/admin/deputies/{slug}`: the city's
//! names for its districts and deputy domains. Isfahan is only the seed
//! (DESIGN §1); an administrator renames, and adds domains. The lists
//! themselves are public: `GET /api/registrations/options`.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::put;
use domain::auth::Role;
use domain::district::{DistrictId, NameError, Names};

use super::queries;
use crate::audit::{Action, Audited};
use crate::auth::guard::Staff;
use crate::error::{ApiError, FieldError};
use crate::http::{ApiJson, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/districts/{id}", put(rename_district))
        .route("/admin/deputies/{slug}", put(save_deputy))
}

/// Both names made canonical (the domain's rule, which the app checks
/// first), or a field error.
fn checked(names: &Names) -> Result<Names, ApiError> {
    names
        .checked()
        .map_err(|e| ApiError::Invalid(vec![FieldError::new("name", &e)]))
}

async fn rename_district(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<u8>,
    ApiJson(names): ApiJson<Names>,
) -> Result<StatusCode, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let district = DistrictId::new(id).map_err(|_| ApiError::NotFound)?;
    let names = checked(&names)?;
    let mut change = Audited::begin(&state, &staff).await?;
    if !queries::rename_district(&mut change, district, &names.name_fa, &names.name_en).await? {
        return Err(ApiError::NotFound);
    }
    let target = district.number().to_string();
    change
        .commit_as(Action::DistrictRename, Some(&target))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Renames a deputy domain, or adds one under a new slug (lower-case Latin
/// letters and underscores: it is stored on every request routed there).
async fn save_deputy(
    State(state): State<AppState>,
    staff: Staff,
    Path(slug): Path<String>,
    ApiJson(names): ApiJson<Names>,
) -> Result<StatusCode, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let slug_ok = (2..=40).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        && slug != domain::registration::Topic::NOT_SURE;
    if !slug_ok {
        return Err(ApiError::Invalid(vec![FieldError::new("slug", &NameError)]));
    }
    let names = checked(&names)?;
    let mut change = Audited::begin(&state, &staff).await?;
    queries::save_deputy(&mut change, &slug, &names.name_fa, &names.name_en).await?;
    change.commit_as(Action::DeputySave, Some(&slug)).await?;
    Ok(StatusCode::NO_CONTENT)
}
