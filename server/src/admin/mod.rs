//! `/api/admin/*`: what administrators manage — staff accounts and their
//! grants, devices, districts and deputy domains, meetings, the
//! registration window, and the audit log. Every endpoint needs the
//! administrator role for all districts.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use domain::auth::{
    AlsoOnRevoke, AuditEntry, Grant, NewPassword, NewUser, RevokeDevice, Role, UserSummary,
    Username,
};
use domain::person::PersonName;
use domain::registration::WindowRule;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::audit::{self, Actor, Entry};
use crate::auth::guard::{Staff, grants_of};
use crate::auth::{password, session};
use crate::db::time_column;
use crate::error::{ApiError, Conflict, FieldError};
use crate::http::{ApiJson, AppState};

mod city;
mod meetings;

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
        .route(
            "/admin/registration-window",
            get(registration_window).put(save_registration_window),
        )
}

async fn list_users(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<Vec<UserSummary>>, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let mut conn = state.db.acquire().await?;
    let rows = sqlx::query(
        "SELECT id, username, display_name, disabled, created_at FROM users ORDER BY username",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut users = Vec::with_capacity(rows.len());
    for row in rows {
        let id: String = row.get("id");
        users.push(UserSummary {
            grants: grants_of(&mut conn, &id).await?,
            id,
            username: row.get("username"),
            display_name: row.get("display_name"),
            disabled: row.get::<i64, _>("disabled") != 0,
            created_at: time_column(&row, "created_at")?,
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
    let (username, display_name, password) = check_new_user(&new)?;
    let hash = password::hash(password.expose().to_string())
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let now = state.clock.now();
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = state.db.begin().await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT 1 FROM users WHERE username = ?")
        .bind(username.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(ApiError::Conflict(Conflict::UsernameTaken));
    }
    sqlx::query("INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(&id)
        .bind(username.as_str())
        .bind(display_name.as_str())
        .bind(hash)
        .bind(now.to_rfc3339())
        .execute(&mut *tx)
        .await?;
    for grant in &new.grants {
        sqlx::query("INSERT INTO user_grants (user_id, role, district_id) VALUES (?, ?, ?)")
            .bind(&id)
            .bind(grant.role.code())
            .bind(grant.district.map(|d| i64::from(d.number())))
            .execute(&mut *tx)
            .await?;
    }
    audit::record(&mut tx, entry(&staff, now, "user_create", &id)).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(UserSummary {
            id,
            username: username.as_str().to_string(),
            display_name: display_name.as_str().to_string(),
            grants: new.grants,
            disabled: false,
            created_at: now,
        }),
    ))
}

/// Every problem of a new account at once, per field.
fn check_new_user(new: &NewUser) -> Result<(Username, PersonName, NewPassword), ApiError> {
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
    if new.grants.is_empty() || !new.grants.iter().all(grant_is_well_formed) {
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

/// Administrators span every district; every other role names one.
fn grant_is_well_formed(grant: &Grant) -> bool {
    grant.role.spans_all_districts() == grant.district.is_none()
        && grant.district.is_none_or(|d| d.number() <= 15)
}

#[derive(Deserialize)]
struct PasswordReset {
    password: String,
}

async fn reset_password(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    ApiJson(reset): ApiJson<PasswordReset>,
) -> Result<StatusCode, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let mut conn = state.db.acquire().await?;
    let username: String = sqlx::query_scalar("SELECT username FROM users WHERE id = ?")
        .bind(&id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(ApiError::NotFound)?;
    drop(conn);
    let username =
        Username::parse(&username).map_err(|_| ApiError::Internal("stored username".into()))?;
    let password = NewPassword::parse(&reset.password, &username)
        .map_err(|e| ApiError::Invalid(vec![FieldError::new("password", &e)]))?;
    let hash = password::hash(password.expose().to_string())
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
        .bind(hash)
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    session::delete_for_user(&mut tx, &id, None).await?;
    audit::record(&mut tx, entry(&staff, now, "user_password_reset", &id)).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn disable_user(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    if id == staff.user_id {
        return Err(ApiError::Conflict(Conflict::OwnAccount));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let changed = sqlx::query("UPDATE users SET disabled = 1 WHERE id = ?")
        .bind(&id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(ApiError::NotFound);
    }
    session::delete_for_user(&mut tx, &id, None).await?;
    audit::record(&mut tx, entry(&staff, now, "user_disable", &id)).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
struct DeviceSummary {
    id: String,
    user_id: String,
    username: String,
    name: String,
    created_at: String,
    last_seen_at: String,
    revoked_at: Option<String>,
}

async fn list_devices(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<Vec<DeviceSummary>>, ApiError> {
    staff.require_everywhere(Role::Administrator)?;
    let rows = sqlx::query(
        "SELECT d.id, d.user_id, u.username, d.name, d.created_at, d.last_seen_at, d.revoked_at \
         FROM devices d JOIN users u ON u.id = d.user_id ORDER BY d.last_seen_at DESC",
    )
    .fetch_all(&state.db)
    .await?;
    Ok(Json(
        rows.iter()
            .map(|row| DeviceSummary {
                id: row.get("id"),
                user_id: row.get("user_id"),
                username: row.get("username"),
                name: row.get("name"),
                created_at: row.get("created_at"),
                last_seen_at: row.get("last_seen_at"),
                revoked_at: row.get("revoked_at"),
            })
            .collect(),
    ))
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
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let owner: Option<String> =
        sqlx::query_scalar("SELECT user_id FROM devices WHERE id = ? AND revoked_at IS NULL")
            .bind(&id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(owner) = owner else {
        return Err(ApiError::NotFound);
    };
    if request.also == AlsoOnRevoke::DisableAccount && owner == staff.user_id {
        return Err(ApiError::Conflict(Conflict::OwnAccount));
    }
    sqlx::query("UPDATE devices SET revoked_at = ? WHERE id = ?")
        .bind(now.to_rfc3339())
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    // The device's own sessions stay until it next calls: the guard then
    // answers "revoked, clear your data" instead of a bare sign-in prompt.
    audit::record(&mut tx, entry(&staff, now, "device_revoke", &id)).await?;
    match request.also {
        AlsoOnRevoke::Nothing => {}
        AlsoOnRevoke::EndSessions => {
            session::delete_for_user_except_device(&mut tx, &owner, &id).await?;
            audit::record(&mut tx, entry(&staff, now, "user_sessions_end", &owner)).await?;
        }
        AlsoOnRevoke::DisableAccount => {
            sqlx::query("UPDATE users SET disabled = 1 WHERE id = ?")
                .bind(&owner)
                .execute(&mut *tx)
                .await?;
            session::delete_for_user_except_device(&mut tx, &owner, &id).await?;
            audit::record(&mut tx, entry(&staff, now, "user_disable", &owner)).await?;
        }
    }
    tx.commit().await?;
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
    let rows = sqlx::query(
        "SELECT a.id, a.at, a.user_id, u.username, a.device_id, d.name AS device_name, \
                a.action, a.target \
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
                          LEFT JOIN devices d ON d.id = a.device_id \
         WHERE (?1 IS NULL OR a.action = ?1) AND (?2 IS NULL OR u.username = ?2) \
         ORDER BY a.id DESC LIMIT 1000",
    )
    .bind(query.action.filter(|a| !a.is_empty()))
    .bind(query.user.filter(|u| !u.is_empty()))
    .fetch_all(&state.db)
    .await?;
    let entries = rows
        .iter()
        .map(|row| {
            Ok(AuditEntry {
                id: row.get("id"),
                at: time_column(row, "at")?,
                user_id: row.get("user_id"),
                username: row.get("username"),
                device_id: row.get("device_id"),
                device_name: row.get("device_name"),
                action: row.get("action"),
                target: row.get("target"),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
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

#[derive(Serialize)]
struct WindowSetting {
    rule: WindowRule,
    /// The server's configuration overrides what is saved here.
    overridden: bool,
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
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ('registration_window', ?) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(json)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        entry(
            &staff,
            now,
            "registration_window_update",
            "registration_window",
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

fn entry<'a>(
    staff: &'a Staff,
    at: DateTime<Utc>,
    action: &'static str,
    target: &'a str,
) -> Entry<'a> {
    Entry {
        at,
        actor: Actor::Staff(staff),
        action,
        target: Some(target),
    }
}
