//! Staff sessions: a random token in an `HttpOnly; Secure; SameSite=Strict`
//! cookie, its SHA-256 in the database, a CSRF token beside it, a lifetime
//! and an idle timeout (OWASP Session Management Cheat Sheet). The
//! sessions' rows are `auth::queries`'.

use axum::http::{HeaderMap, header};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::config::Config;

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
