//! The staff accounts' queries — users and their grants, devices, sessions:
//! small named functions, parameterised SQL only. Spans carry ids, never
//! usernames (a mistyped one may be a password), tokens or hashes.

use chrono::{DateTime, Utc};
use domain::auth::{DeviceSummary, Grant, Role, Username};
use domain::district::DistrictId;
use domain::ids::{DeviceId, UserId};

use crate::db::{Conn, StoredDistrict, StoredTime};

/// A new staff account and its grants.
pub struct NewAccount<'a> {
    pub id: &'a str,
    pub username: &'a str,
    pub display_name: &'a str,
    /// The Argon2id hash (`auth::password::hash`), never the password.
    pub password_hash: &'a str,
    pub grants: &'a [Grant],
    pub created_at: DateTime<Utc>,
}

/// Stores an account with its grants: the one way accounts are made — by
/// an administrator, by the demo seed and by the tests. Call it inside a
/// transaction, so an account never exists without its grants. A taken
/// username breaks `db::Unique::USERNAME`.
#[tracing::instrument(skip_all, fields(user_id = account.id))]
pub async fn insert_user(conn: &mut Conn, account: &NewAccount<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (id, username, display_name, password_hash, created_at) \
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(account.id)
    .bind(account.username)
    .bind(account.display_name)
    .bind(account.password_hash)
    .bind(StoredTime(account.created_at))
    .execute(&mut *conn)
    .await?;
    for grant in account.grants {
        insert_grant(conn, account.id, grant).await?;
    }
    Ok(())
}

/// Grants a role to an existing account. The same grant twice breaks the
/// `user_grants_unique` index.
#[tracing::instrument(skip(conn))]
pub async fn insert_grant(
    conn: &mut Conn,
    user_id: &str,
    grant: &Grant,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO user_grants (user_id, role, district_id) VALUES (?, ?, ?)")
        .bind(user_id)
        .bind(grant.role.code())
        .bind(grant.district.map(StoredDistrict))
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct GrantRow {
    role: String,
    district_id: Option<i64>,
}

#[tracing::instrument(skip(conn))]
pub async fn grants_of(conn: &mut Conn, user_id: &str) -> Result<Vec<Grant>, sqlx::Error> {
    let rows: Vec<GrantRow> = sqlx::query_as(
        "SELECT role, district_id FROM user_grants WHERE user_id = ? ORDER BY role, district_id",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    // A grant naming an unknown role or district is skipped, never widened.
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let role = Role::from_code(&row.role)?;
            let district = match row.district_id {
                None => None,
                Some(id) => Some(DistrictId::new(u8::try_from(id).ok()?).ok()?),
            };
            Some(Grant { role, district })
        })
        .collect())
}

/// An account as a sign-in needs it.
#[derive(sqlx::FromRow)]
pub struct Account {
    pub id: String,
    pub password_hash: String,
    pub disabled: bool,
}

#[tracing::instrument(skip_all)]
pub async fn account_named(
    conn: &mut Conn,
    username: &Username,
) -> Result<Option<Account>, sqlx::Error> {
    sqlx::query_as("SELECT id, password_hash, disabled FROM users WHERE username = ?")
        .bind(username.as_str())
        .fetch_optional(conn)
        .await
}

/// A user's names, as the profile shows them.
#[derive(sqlx::FromRow)]
pub struct Names {
    pub username: String,
    pub display_name: String,
}

#[tracing::instrument(skip(conn))]
pub async fn names_of(conn: &mut Conn, user_id: &str) -> Result<Option<Names>, sqlx::Error> {
    sqlx::query_as("SELECT username, display_name FROM users WHERE id = ?")
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// A user as the administrators' list shows it (grants apart).
#[derive(sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub created_at: StoredTime,
}

#[tracing::instrument(skip_all)]
pub async fn users(conn: &mut Conn) -> Result<Vec<UserRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, username, display_name, disabled, created_at FROM users ORDER BY username",
    )
    .fetch_all(conn)
    .await
}

/// Whether the user exists (and now has this password hash).
#[tracing::instrument(skip(conn, password_hash))]
pub async fn set_password(
    conn: &mut Conn,
    user_id: &str,
    password_hash: &str,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
        .bind(password_hash)
        .bind(user_id)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(changed > 0)
}

/// Whether the user is disabled; `None` when there is no such user.
#[tracing::instrument(skip(conn))]
pub async fn is_disabled(conn: &mut Conn, user_id: &str) -> Result<Option<bool>, sqlx::Error> {
    sqlx::query_scalar("SELECT disabled FROM users WHERE id = ?")
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// Whether the user exists (and is now disabled).
#[tracing::instrument(skip(conn))]
pub async fn disable_user(conn: &mut Conn, user_id: &str) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query("UPDATE users SET disabled = 1 WHERE id = ?")
        .bind(user_id)
        .execute(conn)
        .await?
        .rows_affected();
    Ok(changed > 0)
}

/// A device as the administrators' list shows it.
#[derive(sqlx::FromRow)]
struct DeviceRow {
    id: String,
    user_id: String,
    username: String,
    name: String,
    created_at: StoredTime,
    last_seen_at: StoredTime,
    revoked_at: Option<StoredTime>,
}

impl From<DeviceRow> for DeviceSummary {
    fn from(row: DeviceRow) -> DeviceSummary {
        DeviceSummary {
            id: row.id,
            user_id: row.user_id,
            username: row.username,
            name: row.name,
            created_at: row.created_at.0,
            last_seen_at: row.last_seen_at.0,
            revoked_at: row.revoked_at.map(|at| at.0),
        }
    }
}

#[tracing::instrument(skip_all)]
pub async fn devices(conn: &mut Conn) -> Result<Vec<DeviceSummary>, sqlx::Error> {
    let rows: Vec<DeviceRow> = sqlx::query_as(
        "SELECT d.id, d.user_id, u.username, d.name, d.created_at, d.last_seen_at, d.revoked_at \
         FROM devices d JOIN users u ON u.id = d.user_id ORDER BY d.last_seen_at DESC",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(DeviceSummary::from).collect())
}

/// A device of this user's, as a sign-in finds it.
pub enum KnownDevice {
    Active,
    Revoked,
}

#[tracing::instrument(skip(conn))]
pub async fn device_of(
    conn: &mut Conn,
    device_id: &str,
    user_id: &str,
) -> Result<Option<KnownDevice>, sqlx::Error> {
    let revoked_at: Option<Option<String>> =
        sqlx::query_scalar("SELECT revoked_at FROM devices WHERE id = ? AND user_id = ?")
            .bind(device_id)
            .bind(user_id)
            .fetch_optional(conn)
            .await?;
    Ok(revoked_at.map(|revoked_at| match revoked_at {
        Some(_) => KnownDevice::Revoked,
        None => KnownDevice::Active,
    }))
}

/// The owner of a device not yet revoked.
#[tracing::instrument(skip(conn))]
pub async fn active_device_owner(
    conn: &mut Conn,
    device_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM devices WHERE id = ? AND revoked_at IS NULL")
        .bind(device_id)
        .fetch_optional(conn)
        .await
}

#[tracing::instrument(skip(conn))]
pub async fn touch_device(
    conn: &mut Conn,
    device_id: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE devices SET last_seen_at = ? WHERE id = ?")
        .bind(StoredTime(now))
        .bind(device_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The device's name is typed by its user: not in the span.
#[tracing::instrument(skip(conn, name))]
pub async fn insert_device(
    conn: &mut Conn,
    device_id: &str,
    user_id: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO devices (id, user_id, name, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(device_id)
    .bind(user_id)
    .bind(name)
    .bind(StoredTime(now))
    .bind(StoredTime(now))
    .execute(conn)
    .await?;
    Ok(())
}

#[tracing::instrument(skip(conn))]
pub async fn revoke_device(
    conn: &mut Conn,
    device_id: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE devices SET revoked_at = ? WHERE id = ?")
        .bind(StoredTime(now))
        .bind(device_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A session with its user and device, as the guard checks it.
#[derive(sqlx::FromRow)]
pub struct SessionRow {
    #[sqlx(try_from = "String")]
    pub user_id: UserId,
    #[sqlx(try_from = "String")]
    pub device_id: DeviceId,
    pub csrf_token: String,
    pub last_seen_at: StoredTime,
    pub expires_at: StoredTime,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub revoked_at: Option<String>,
}

#[tracing::instrument(skip_all)]
pub async fn session(conn: &mut Conn, token_hash: &str) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.user_id, s.device_id, s.csrf_token, s.last_seen_at, s.expires_at, \
                u.username, u.display_name, u.disabled, d.revoked_at \
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN devices d ON d.id = s.device_id \
         WHERE s.token_hash = ?",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: &'a str,
    pub device_id: &'a str,
    pub csrf_token: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[tracing::instrument(skip_all, fields(user_id = session.user_id, device_id = session.device_id))]
pub async fn insert_session(conn: &mut Conn, session: &NewSession<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, device_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(session.token_hash)
    .bind(session.user_id)
    .bind(session.device_id)
    .bind(session.csrf_token)
    .bind(StoredTime(session.now))
    .bind(StoredTime(session.now))
    .bind(StoredTime(session.expires_at))
    .execute(conn)
    .await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn delete_session(conn: &mut Conn, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user but `keep` (sign out my other sessions;
/// all of them when an account is disabled or its password reset).
#[tracing::instrument(skip(conn, keep))]
pub async fn delete_sessions_of(
    conn: &mut Conn,
    user_id: &str,
    keep: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash <> COALESCE(?, '')")
        .bind(user_id)
        .bind(keep)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user but those of `device`: a revoked device
/// keeps its own, so it is told why at its next call (see the guard).
#[tracing::instrument(skip(conn))]
pub async fn delete_sessions_of_except_device(
    conn: &mut Conn,
    user_id: &str,
    device: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = ? AND device_id <> ?")
        .bind(user_id)
        .bind(device)
        .execute(conn)
        .await?;
    Ok(())
}

#[tracing::instrument(skip_all)]
pub async fn touch_session(
    conn: &mut Conn,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
        .bind(StoredTime(now))
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}
