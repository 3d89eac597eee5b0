//! `/api/auth/*`: sign in, who am I, sign out, sign out my other sessions.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{TimeDelta, Utc};
use domain::auth::{Profile, SignIn, Username};
use domain::ids::{DeviceId, UserId};
use std::time::Duration;

use super::guard::Staff;
use super::password;
use super::queries::{self, KnownDevice, NewSession};
use super::session::{self, CookiePolicy};
use crate::audit::{self, Action, Actor, Audited, Entry};
use crate::db::{self, Conn};
use crate::error::{ApiError, SignInNeeded};
use crate::http::client::ClientKey;
use crate::http::{ApiJson, AppState, Limits};

/// A device name is for people to read; longer is a mistake.
const DEVICE_NAME_MAX_CHARS: usize = 60;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/sign-in", post(sign_in))
        .route("/auth/me", get(me))
        .route("/auth/sign-out", post(sign_out))
        .route("/auth/sign-out-others", post(sign_out_others))
}

/// Signing in. Every attempt is counted *before* the password is hashed —
/// per address, per (account, address) and per account — so parallel
/// guesses cannot all slip past a count made afterwards; a right password
/// gives its account tokens back. A stranger's guesses lock the account
/// only from the stranger's own address, until the much higher account-wide
/// ceiling (a guesser with many addresses) is reached.
async fn sign_in(
    State(state): State<AppState>,
    client: ClientKey,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SignIn>,
) -> Result<Response, ApiError> {
    let too_many = |retry_after| ApiError::TooManyRequests { retry_after };
    let limits = &state.limits;
    limits
        .sign_in_by_address
        .check(client.as_str())
        .map_err(too_many)?;
    // An unparsable name can't be an account; it is still limited and
    // still costs a hash, like any wrong username.
    let username = Username::parse(&request.username).ok();
    let account_key = username.as_ref().map_or("", Username::as_str).to_string();
    let pair_key = format!("{account_key}|{}", client.as_str());
    let attempt = Attempt {
        limits,
        account_key: &account_key,
        pair_key: &pair_key,
    };
    let last_attempt = attempt.take().map_err(too_many)?;

    let mut conn = state.db.acquire().await?;
    let account = match &username {
        Some(username) => queries::account_named(&mut conn, username).await?,
        None => None,
    };
    let account_id = account.as_ref().map(|account| account.id.clone());
    let hash = account
        .as_ref()
        .map(|account| account.password_hash.clone());
    if !password::verify(hash, request.password.clone())
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
    {
        audit_failed_sign_in(
            &mut conn,
            state.clock.now(),
            account_id.as_deref(),
            last_attempt,
        )
        .await?;
        return Err(ApiError::Unauthorized(SignInNeeded::WrongCredentials));
    }
    attempt.refund();
    let Some(account) = account else {
        return Err(ApiError::Unauthorized(SignInNeeded::WrongCredentials));
    };
    if account.disabled {
        return Err(ApiError::Unauthorized(SignInNeeded::AccountDisabled));
    }
    let user_id = account.id;
    let now = state.clock.now();
    let policy = CookiePolicy::from_config(&state.config);

    let mut tx = db::begin_write(&state.db).await?;
    // The session presented with this request, if any, ends: a sign-in
    // always gets a new id (no session fixation).
    if let Some(old) = policy.token_in(&headers) {
        queries::delete_session(&mut tx, &session::token_hash(old)).await?;
    }
    let device_id = device_for(&mut tx, &user_id, &request, now).await?;
    let token = session::random_token();
    let csrf_token = session::random_token();
    let lifetime = TimeDelta::from_std(state.config.session_lifetime)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let offline = TimeDelta::from_std(state.config.offline_allowance)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let expires_at = now + lifetime;
    queries::insert_session(
        &mut tx,
        &NewSession {
            token_hash: &session::token_hash(&token),
            user_id: &user_id,
            device_id: &device_id,
            csrf_token: &csrf_token,
            now,
            expires_at,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        Entry {
            at: now,
            actor: Actor::SigningIn {
                user_id: &user_id,
                device_id: &device_id,
            },
            action: Action::SignIn,
            target: None,
        },
    )
    .await?;
    let grants = queries::grants_of(&mut tx, &user_id).await?;
    let names = queries::names_of(&mut tx, &user_id)
        .await?
        .ok_or_else(|| ApiError::Internal("the account left during its sign-in".into()))?;
    tx.commit().await?;
    tracing::info!(%user_id, %device_id, "signed in");

    let stored = |what: &str| ApiError::Internal(format!("a stored {what} id does not parse"));
    let profile = Profile {
        user_id: UserId::parse(&user_id).map_err(|_| stored("user"))?,
        username: names.username,
        display_name: names.display_name,
        grants,
        device_id: DeviceId::parse(&device_id).map_err(|_| stored("device"))?,
        csrf_token,
        expires_at,
        offline_until: now + offline,
    };
    let cookie = policy.set(&token, lifetime.num_seconds());
    Ok(with_cookie(Json(profile).into_response(), &cookie))
}

/// One sign-in attempt's place in the account limits.
struct Attempt<'a> {
    limits: &'a Limits,
    account_key: &'a str,
    pair_key: &'a str,
}

impl Attempt<'_> {
    /// Counts the attempt, or says how long until one is allowed. `true`:
    /// it was the last one allowed — if it fails, a lockout begins (said
    /// once, by the attempt that used the last place, however many run in
    /// parallel).
    fn take(&self) -> Result<bool, Duration> {
        let pair_left = self
            .limits
            .sign_in_by_account_and_address
            .check(self.pair_key)?;
        match self.limits.sign_in_by_account.check(self.account_key) {
            Ok(account_left) => Ok(pair_left == 0 || account_left == 0),
            Err(retry_after) => {
                self.limits
                    .sign_in_by_account_and_address
                    .refund(self.pair_key);
                Err(retry_after)
            }
        }
    }

    /// A right password: the attempt did not count.
    fn refund(&self) {
        self.limits
            .sign_in_by_account_and_address
            .refund(self.pair_key);
        self.limits.sign_in_by_account.refund(self.account_key);
    }
}

/// A wrong password in the audit log: the account when it exists (never
/// the typed name, which may be a mistyped password), and whether it began
/// a lockout. Bounded by the limits above, so it cannot flood the log.
async fn audit_failed_sign_in(
    conn: &mut Conn,
    at: chrono::DateTime<Utc>,
    account_id: Option<&str>,
    locked: bool,
) -> Result<(), sqlx::Error> {
    let actor = Actor::Account {
        user_id: account_id,
    };
    audit::record(
        conn,
        Entry {
            at,
            actor,
            action: Action::SignInFailed,
            target: account_id,
        },
    )
    .await?;
    if locked {
        audit::record(
            conn,
            Entry {
                at,
                actor: Actor::Account {
                    user_id: account_id,
                },
                action: Action::SignInLocked,
                target: account_id,
            },
        )
        .await?;
    }
    Ok(())
}

/// This user's device named in the request, or a new one registered now.
async fn device_for(
    conn: &mut Conn,
    user_id: &str,
    request: &SignIn,
    now: chrono::DateTime<Utc>,
) -> Result<String, ApiError> {
    if let Some(id) = &request.device_id {
        match queries::device_of(conn, id, user_id).await? {
            Some(KnownDevice::Revoked) => {
                return Err(ApiError::Forbidden(crate::error::Refusal::DeviceRevoked));
            }
            Some(KnownDevice::Active) => {
                queries::touch_device(conn, id, now).await?;
                return Ok(id.clone());
            }
            // Another user's device, or one never seen: a new registration.
            None => {}
        }
    }
    let id = uuid::Uuid::now_v7().to_string();
    let name: String = request
        .device_name
        .as_deref()
        .map(domain::text::normalize_input)
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "دستگاه بی‌نام".to_string())
        .chars()
        .take(DEVICE_NAME_MAX_CHARS)
        .collect();
    queries::insert_device(conn, &id, user_id, &name, now).await?;
    Ok(id)
}

async fn me(State(state): State<AppState>, staff: Staff) -> Json<Profile> {
    let offline = TimeDelta::from_std(state.config.offline_allowance).unwrap_or_default();
    Json(Profile {
        user_id: staff.user_id,
        username: staff.username,
        display_name: staff.display_name,
        grants: staff.grants,
        device_id: staff.device_id,
        csrf_token: staff.csrf_token,
        expires_at: staff.expires_at,
        offline_until: state.clock.now() + offline,
    })
}

async fn sign_out(State(state): State<AppState>, staff: Staff) -> Result<Response, ApiError> {
    let mut change = Audited::begin(&state, &staff).await?;
    queries::delete_session(&mut change, &staff.token_hash).await?;
    change.commit_as(Action::SignOut, None).await?;
    let policy = CookiePolicy::from_config(&state.config);
    Ok(with_cookie(
        axum::http::StatusCode::NO_CONTENT.into_response(),
        &policy.clear(),
    ))
}

async fn sign_out_others(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, ApiError> {
    let mut change = Audited::begin(&state, &staff).await?;
    queries::delete_sessions_of(&mut change, staff.user_id.as_str(), Some(&staff.token_hash))
        .await?;
    change.commit_as(Action::SignOutOthers, None).await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    // Answers about a session are never cached anywhere.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
