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
use domain::ids::{DeviceId, UserId};

use super::queries;
use super::session::{self, CookiePolicy};
use crate::db::StoredTime;
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
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub device_id: DeviceId,
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
        let row = queries::session(&mut conn, &token_hash)
            .await?
            .ok_or(ApiError::Unauthorized(SignInNeeded::NoSession))?;

        let now = state.clock.now();
        let StoredTime(expires_at) = row.expires_at;
        let StoredTime(idle_since) = row.last_seen_at;
        let idle_limit = chrono::TimeDelta::from_std(state.config.session_idle)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        if row.disabled {
            queries::delete_session(&mut conn, &token_hash).await?;
            return Err(ApiError::Unauthorized(SignInNeeded::AccountDisabled));
        }
        // The session is kept (it can do nothing) so that every later
        // request — a push, a pull — is told the same reason, not a bare
        // "signed out" that would hide why.
        if row.revoked_at.is_some() {
            return Err(ApiError::Forbidden(Refusal::DeviceRevoked));
        }
        if now >= expires_at || now - idle_since >= idle_limit {
            queries::delete_session(&mut conn, &token_hash).await?;
            return Err(ApiError::Unauthorized(SignInNeeded::Expired));
        }
        let csrf_token = row.csrf_token;
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
            queries::touch_session(&mut conn, &token_hash, now).await?;
        }
        let grants = queries::grants_of(&mut conn, row.user_id.as_str()).await?;
        Ok(Staff {
            user_id: row.user_id,
            username: row.username,
            display_name: row.display_name,
            device_id: row.device_id,
            grants,
            csrf_token,
            expires_at,
            token_hash,
        })
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Compares without stopping at the first difference, so response time
/// does not reveal how much of a guessed token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}
