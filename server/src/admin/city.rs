//! `/api/admin/districts/{id}` and `/api/admin/deputies/{slug}`: the city's
//! names for its districts and deputy domains. Isfahan is only the seed
//! (DESIGN §1); an administrator renames, and adds domains. The lists
//! themselves are public: `GET /api/registrations/options`.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::put;
use domain::auth::Role;
use domain::district::DistrictId;
use domain::text::normalize_input;
use serde::Deserialize;

use super::queries;
use crate::audit::{Action, Audited};
use crate::auth::guard::Staff;
use crate::error::{ApiError, FieldError};
use crate::http::{ApiJson, AppState};

const NAME_MAX_CHARS: usize = 80;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/districts/{id}", put(rename_district))
        .route("/admin/deputies/{slug}", put(save_deputy))
}

#[derive(Deserialize)]
struct Names {
    name_fa: String,
    name_en: String,
}

#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("a name is missing or too long")]
struct NameError;

impl domain::i18n::Localized for NameError {
    fn key(&self) -> &'static str {
        "name.invalid"
    }

    fn message(&self, lang: domain::i18n::Lang) -> &'static str {
        match lang {
            domain::i18n::Lang::Fa => "نام فارسی و انگلیسی را بنویسید (هر کدام حداکثر ۸۰ نویسه).",
            domain::i18n::Lang::En => {
                "Write the Persian and the English name (80 characters each at most)."
            }
        }
    }
}

/// Both names made canonical, or a field error.
fn checked(names: Names) -> Result<(String, String), ApiError> {
    let fa = normalize_input(&names.name_fa);
    let en = normalize_input(&names.name_en);
    let fits = |name: &str| !name.is_empty() && name.chars().count() <= NAME_MAX_CHARS;
    if fits(&fa) && fits(&en) {
        Ok((fa, en))
    } else {
        Err(ApiError::Invalid(vec![FieldError::new("name", &NameError)]))
    }
}

async fn rename_district(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<u8>,
    ApiJson(names): ApiJson<Names>,
) -> Result<StatusCode, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let district = DistrictId::new(id).map_err(|_| ApiError::NotFound)?;
    let (fa, en) = checked(names)?;
    let mut change = Audited::begin(&state, &staff).await?;
    if !queries::rename_district(&mut change, district, &fa, &en).await? {
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
    let (fa, en) = checked(names)?;
    let mut change = Audited::begin(&state, &staff).await?;
    queries::save_deputy(&mut change, &slug, &fa, &en).await?;
    change.commit_as(Action::DeputySave, Some(&slug)).await?;
    Ok(StatusCode::NO_CONTENT)
}
