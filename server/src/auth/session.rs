//! Staff sessions: a random token in an `HttpOnly; Secure; SameSite=Strict`
//! cookie, its SHA-256 in the database, a CSRF token beside it, a lifetime
//! and an idle timeout (OWASP Session Management Cheat Sheet).

use axum::http::{HeaderMap, header};
use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::db::Conn;

/// 32 random bytes, hex: the cookie value or a CSRF token.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The session cookie's name and attributes, by configuration.
pub struct CookiePolicy {
    pub name: &'static str,
    secure: bool,
}

impl CookiePolicy {
    pub fn from_config(config: &Config) -> Self {
        if config.insecure_cookies_allowed() {
            CookiePolicy {
                name: "didar_session",
                secure: false,
            }
        } else {
            CookiePolicy {
                name: "__Host-didar_session",
                secure: true,
            }
        }
    }

    pub fn set(&self, token: &str, max_age_secs: i64) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}",
            self.name
        )
    }

    pub fn clear(&self) -> String {
        self.set("", 0)
    }

    /// The session token the request presents, if any.
    pub fn token_in<'a>(&self, headers: &'a HeaderMap) -> Option<&'a str> {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|header| header.split(';'))
            .find_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                (name == self.name && !value.is_empty()).then_some(value)
            })
    }
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: &'a str,
    pub device_id: &'a str,
    pub csrf_token: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert(conn: &mut Conn, session: &NewSession<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, device_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(session.token_hash)
    .bind(session.user_id)
    .bind(session.device_id)
    .bind(session.csrf_token)
    .bind(session.now.to_rfc3339())
    .bind(session.now.to_rfc3339())
    .bind(session.expires_at.to_rfc3339())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete(conn: &mut Conn, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user but `keep` (sign out my other sessions;
/// all of them when an account is disabled or its password reset).
pub async fn delete_for_user(
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
pub async fn delete_for_user_except_device(
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

pub async fn touch(
    conn: &mut Conn,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
        .bind(now.to_rfc3339())
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}
