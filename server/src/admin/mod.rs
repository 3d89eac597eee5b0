//! `/api/admin/*`: what administrators manage — staff accounts and their
//! grants, devices, districts and deputy domains, meetings, the
//! registration window, the audit log, and the SMS sent. Every endpoint needs the
//! administrator role for all districts.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::auth::{
    AlsoOnRevoke, AuditEntry, DeviceSummary, Grant, NewPassword, NewUser, PasswordReset,
    RevokeDevice, Role, UserSummary, Username,
};
use domain::calls::SmsMessage;
use domain::district::DistrictId;
use domain::person::PersonName;
use domain::registration::{WindowRule, WindowSetting};
use serde::Deserialize;

use crate::audit::{Action, Audited};
use crate::auth::guard::Staff;
use crate::auth::queries::NewAccount;
use crate::auth::{self, password};
use crate::db::Unique;
use crate::error::{ApiError, Conflict, FieldError, ResultExt};
use crate::http::{ApiJson, AppState};

mod city;
mod meetings;
pub mod queries;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(city::router())
        .merge(meetings::router())
        .route("/admin/users", get(list_users).post(create_user))
        .route("/admin/users/{id}/disable", post(disable_user))
        .route("/admin/users/{id}/password", post(reset_password))
        .route("/admin/devices", get(list_devices))
        .route("/admin/devices/{id}/revoke", post(revoke_device))
        .route("/admin/audit", get(list_audit))
        .route("/admin/sms", get(list_sms))
        .route(
            "/admin/registration-window",
            get(registration_window).put(save_registration_window),
        )
}

/// The latest SMS, newest first: with the log gateway, this is where
/// they are read.
async fn list_sms(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<Vec<SmsMessage>>, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let mut conn = state.db.acquire().await?;
    Ok(Json(crate::sms::outbox::recent(&mut conn, 200).await?))
}

async fn list_users(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<Vec<UserSummary>>, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let mut conn = state.db.acquire().await?;
    let rows = auth::queries::users(&mut conn).await?;
    let mut users = Vec::with_capacity(rows.len());
    for row in rows {
        users.push(UserSummary {
            grants: auth::queries::grants_of(&mut conn, &row.id).await?,
            id: row.id,
            username: row.username,
            display_name: row.display_name,
            disabled: row.disabled,
            created_at: row.created_at.0,
        });
    }
    Ok(Json(users))
}

async fn create_user(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(new): ApiJson<NewUser>,
) -> Result<(StatusCode, Json<UserSummary>), ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let known = queries::district_ids(&mut *state.db.acquire().await?).await?;
    let (username, display_name, password) = check_new_user(&new, &known)?;
    let hash = password::hash(password.expose().to_string())
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let id = uuid::Uuid::now_v7().to_string();
    let mut change = Audited::begin(&state, &staff).await?;
    let account = NewAccount {
        id: &id,
        username: username.as_str(),
        display_name: display_name.as_str(),
        password_hash: &hash,
        grants: &new.grants,
        created_at: change.at(),
    };
    auth::queries::insert_user(&mut change, &account)
        .await
        .on_constraint(Unique::USERNAME, || {
            ApiError::Conflict(Conflict::UsernameTaken)
        })?;
    let created_at = change.at();
    change.commit_as(Action::UserCreate, Some(&id)).await?;
    Ok((
        StatusCode::CREATED,
        Json(UserSummary {
            id,
            username: username.as_str().to_string(),
            display_name: display_name.as_str().to_string(),
            grants: new.grants,
            disabled: false,
            created_at,
        }),
    ))
}

/// Every problem of a new account at once, per field.
fn check_new_user(
    new: &NewUser,
    known: &[DistrictId],
) -> Result<(Username, PersonName, NewPassword), ApiError> {
    let mut problems = Vec::new();
    let username = Username::parse(&new.username)
        .map_err(|e| problems.push(FieldError::new("username", &e)))
        .ok();
    let display_name = PersonName::parse(&new.display_name)
        .map_err(|e| problems.push(FieldError::new("display_name", &e)))
        .ok();
    let password = username.as_ref().and_then(|username| {
        NewPassword::parse(&new.password, username)
            .map_err(|e| problems.push(FieldError::new("password", &e)))
            .ok()
    });
    if new.grants.is_empty()
        || !new
            .grants
            .iter()
            .all(|grant| grant_is_well_formed(grant, known))
    {
        problems.push(FieldError::new(
            "grants",
            &domain::district::DistrictError::OutOfRange,
        ));
    }
    match (username, display_name, password) {
        (Some(username), Some(display_name), Some(password)) if problems.is_empty() => {
            Ok((username, display_name, password))
        }
        _ => Err(ApiError::Invalid(problems)),
    }
}

/// Administrators span every district; every other role names one the
/// city has.
fn grant_is_well_formed(grant: &Grant, known: &[DistrictId]) -> bool {
    grant.role.spans_all_districts() == grant.district.is_none()
        && grant.district.is_none_or(|d| known.contains(&d))
}

async fn reset_password(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    ApiJson(reset): ApiJson<PasswordReset>,
) -> Result<StatusCode, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let mut conn = state.db.acquire().await?;
    let names = auth::queries::names_of(&mut conn, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    drop(conn);
    let username = Username::parse(&names.username)
        .map_err(|_| ApiError::Internal("stored username".into()))?;
    let password = NewPassword::parse(&reset.password, &username)
        .map_err(|e| ApiError::Invalid(vec![FieldError::new("password", &e)]))?;
    let hash = password::hash(password.expose().to_string())
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut change = Audited::begin(&state, &staff).await?;
    auth::queries::set_password(&mut change, &id, &hash).await?;
    auth::queries::delete_sessions_of(&mut change, &id, None).await?;
    change
        .commit_as(Action::UserPasswordReset, Some(&id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn disable_user(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    if id == staff.user_id.as_str() {
        return Err(ApiError::Conflict(Conflict::OwnAccount));
    }
    let mut change = Audited::begin(&state, &staff).await?;
    if !auth::queries::disable_user(&mut change, &id).await? {
        return Err(ApiError::NotFound);
    }
    auth::queries::delete_sessions_of(&mut change, &id, None).await?;
    change.commit_as(Action::UserDisable, Some(&id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_devices(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<Vec<DeviceSummary>>, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let mut conn = state.db.acquire().await?;
    Ok(Json(auth::queries::devices(&mut conn).await?))
}

/// Blocks a device, and — as the administrator chose in the same step —
/// ends its user's sessions everywhere or disables the account. Each is
/// its own audit entry. A body is optional (`null` or none: the device
/// only), so older clients keep working.
async fn revoke_device(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<StatusCode, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let request: RevokeDevice = if body.is_empty() {
        RevokeDevice::default()
    } else {
        serde_json::from_slice::<Option<RevokeDevice>>(&body)
            .map_err(|e| ApiError::BadRequest(e.to_string()))?
            .unwrap_or_default()
    };
    let mut change = Audited::begin(&state, &staff).await?;
    let owner = auth::queries::active_device_owner(&mut change, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if request.also == AlsoOnRevoke::DisableAccount && owner == staff.user_id.as_str() {
        return Err(ApiError::Conflict(Conflict::OwnAccount));
    }
    let at = change.at();
    auth::queries::revoke_device(&mut change, &id, at).await?;
    // The device's own sessions stay until it next calls: the guard then
    // answers "revoked, clear your data" instead of a bare sign-in prompt.
    change.log(Action::DeviceRevoke, Some(&id)).await?;
    match request.also {
        AlsoOnRevoke::Nothing => {}
        AlsoOnRevoke::EndSessions => {
            auth::queries::delete_sessions_of_except_device(&mut change, &owner, &id).await?;
            change.log(Action::UserSessionsEnd, Some(&owner)).await?;
        }
        AlsoOnRevoke::DisableAccount => {
            auth::queries::disable_user(&mut change, &owner).await?;
            auth::queries::delete_sessions_of_except_device(&mut change, &owner, &id).await?;
            change.log(Action::UserDisable, Some(&owner)).await?;
        }
    }
    change.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct AuditQuery {
    action: Option<String>,
    /// A username.
    user: Option<String>,
    /// `csv` for a download; JSON otherwise.
    format: Option<String>,
}

/// The newest 1,000 entries matching the filters, as JSON or CSV.
async fn list_audit(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<AuditQuery>,
) -> Result<Response, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let mut conn = state.db.acquire().await?;
    let action = query.action.as_deref().filter(|a| !a.is_empty());
    let user = query.user.as_deref().filter(|u| !u.is_empty());
    let entries = queries::audit_entries(&mut conn, action, user).await?;
    if query.format.as_deref() == Some("csv") {
        return Ok(audit_csv(&entries));
    }
    Ok(Json(entries).into_response())
}

/// One row per entry. Device names are free text typed at sign-in, so
/// every field is quoted, and one that a spreadsheet would run as a
/// formula is defused with a leading apostrophe.
fn audit_csv(entries: &[AuditEntry]) -> Response {
    let mut csv = String::from("id,at,username,user_id,device,device_id,action,target\n");
    for entry in entries {
        let fields = [
            entry.id.to_string(),
            entry.at.to_rfc3339(),
            entry.username.clone().unwrap_or_default(),
            entry.user_id.clone().unwrap_or_default(),
            entry.device_name.clone().unwrap_or_default(),
            entry.device_id.clone().unwrap_or_default(),
            entry.action.clone(),
            entry.target.clone().unwrap_or_default(),
        ];
        let line: Vec<String> = fields.iter().map(|field| csv_field(field)).collect();
        csv.push_str(&line.join(","));
        csv.push('\n');
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"didar-audit.csv\"",
            ),
        ],
        csv,
    )
        .into_response()
}

fn csv_field(text: &str) -> String {
    let defused = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    format!("\"{}\"", defused.replace('"', "\"\""))
}

async fn registration_window(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<WindowSetting>, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    Ok(Json(WindowSetting {
        rule: crate::registration::window_rule(&state).await?,
        overridden: state.config.registration_window.is_some(),
    }))
}

async fn save_registration_window(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(rule): ApiJson<WindowRule>,
) -> Result<StatusCode, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    rule.validate()
        .map_err(|e| ApiError::Invalid(vec![FieldError::new("window", &e)]))?;
    let json = serde_json::to_string(&rule).map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut change = Audited::begin(&state, &staff).await?;
    crate::registration::queries::save_window_rule(&mut change, &json).await?;
    change
        .commit_as(
            Action::RegistrationWindowUpdate,
            Some("registration_window"),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
