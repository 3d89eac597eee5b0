//! `Staff`: the one extractor every staff endpoint takes. It finds the
//! session from the cookie and refuses — deny by default — a missing,
//! expired or idle session, a disabled account, a revoked device, and an
//! unsafe method without the session's CSRF token. Endpoints then only say
//! which role, in which district, they need.

use axum::extract::FromRequestParts;
use axum::http::Method;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use domain::auth::{Grant, Role};
use domain::district::DistrictId;
use sqlx::Row;

use super::session::{self, CookiePolicy};
use crate::db::{Conn, time_column};
use crate::error::{ApiError, Refusal, SignInNeeded};
use crate::http::AppState;

/// The header the app sends the CSRF token in. A custom header also means
/// a plain HTML form from another site can never make the request.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How stale a session's last-seen time may get before a request writes it
/// (or a quarter of the idle timeout, when that is shorter).
const TOUCH_EVERY: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

/// A signed-in staff member, checked.
#[derive(Clone, Debug)]
pub struct Staff {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub device_id: String,
    pub grants: Vec<Grant>,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    pub token_hash: String,
}

impl Staff {
    /// May this person act as `role` in `district`?
    pub fn require(&self, role: Role, district: DistrictId) -> Result<(), ApiError> {
        if self.grants.iter().any(|grant| grant.allows(role, district)) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(Refusal::NotPermitted))
        }
    }

    /// For city-wide work (administration): the role with no district limit.
    pub fn require_everywhere(&self, role: Role) -> Result<(), ApiError> {
        if self
            .grants
            .iter()
            .any(|grant| grant.role == role && grant.district.is_none())
        {
            Ok(())
        } else {
            Err(ApiError::Forbidden(Refusal::NotPermitted))
        }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let policy = CookiePolicy::from_config(&state.config);
        let token = policy
            .token_in(&parts.headers)
            .ok_or(ApiError::Unauthorized(SignInNeeded::NoSession))?;
        let token_hash = session::token_hash(token);
        let mut conn = state.db.acquire().await?;
        let row = sqlx::query(
            "SELECT s.user_id, s.device_id, s.csrf_token, s.last_seen_at, s.expires_at, \
                    u.username, u.display_name, u.disabled, d.revoked_at \
             FROM sessions s JOIN users u ON u.id = s.user_id JOIN devices d ON d.id = s.device_id \
             WHERE s.token_hash = ?",
        )
        .bind(&token_hash)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(ApiError::Unauthorized(SignInNeeded::NoSession))?;

        let now = state.clock.now();
        let expires_at = time_column(&row, "expires_at")?;
        let idle_since = time_column(&row, "last_seen_at")?;
        let idle_limit = chrono::TimeDelta::from_std(state.config.session_idle)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        if row.get::<i64, _>("disabled") != 0 {
            session::delete(&mut conn, &token_hash).await?;
            return Err(ApiError::Unauthorized(SignInNeeded::AccountDisabled));
        }
        // The session is kept (it can do nothing) so that every later
        // request — a push, a pull — is told the same reason, not a bare
        // "signed out" that would hide why.
        if row.get::<Option<String>, _>("revoked_at").is_some() {
            return Err(ApiError::Forbidden(Refusal::DeviceRevoked));
        }
        if now >= expires_at || now - idle_since >= idle_limit {
            session::delete(&mut conn, &token_hash).await?;
            return Err(ApiError::Unauthorized(SignInNeeded::Expired));
        }
        let csrf_token: String = row.get("csrf_token");
        if !is_safe(&parts.method) {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|value| value.to_str().ok());
            if !sent.is_some_and(|sent| constant_time_eq(sent.as_bytes(), csrf_token.as_bytes())) {
                return Err(ApiError::Forbidden(Refusal::Csrf));
            }
        }
        // The idle clock needs minutes, not every request: a read that
        // wrote would queue behind every push for SQLite's one writer on
        // meeting day.
        if now - idle_since >= TOUCH_EVERY.min(idle_limit / 4) {
            session::touch(&mut conn, &token_hash, now).await?;
        }
        let user_id: String = row.get("user_id");
        let grants = grants_of(&mut conn, &user_id).await?;
        Ok(Staff {
            user_id,
            username: row.get("username"),
            display_name: row.get("display_name"),
            device_id: row.get("device_id"),
            grants,
            csrf_token,
            expires_at,
            token_hash,
        })
    }
}

pub async fn grants_of(conn: &mut Conn, user_id: &str) -> Result<Vec<Grant>, ApiError> {
    let rows = sqlx::query(
        "SELECT role, district_id FROM user_grants WHERE user_id = ? ORDER BY role, district_id",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    // A grant naming an unknown role or district is skipped, never widened.
    Ok(rows
        .iter()
        .filter_map(|row| {
            let role = Role::from_code(row.get("role"))?;
            let district = match row.get::<Option<i64>, _>("district_id") {
                None => None,
                Some(id) => Some(DistrictId::new(u8::try_from(id).ok()?).ok()?),
            };
            Some(Grant { role, district })
        })
        .collect())
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Compares without stopping at the first difference, so response time
/// does not reveal how much of a guessed token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}
