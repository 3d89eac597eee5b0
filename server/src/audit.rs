//! The audit log: who did what, when, from which device (DESIGN §6).
//! Append-only — the database refuses changes and deletions — and free of
//! personal data: targets are ids, never national IDs or mobiles.

use chrono::{DateTime, Utc};

use crate::auth::guard::Staff;
use crate::db::Conn;

pub struct Entry<'a> {
    pub at: DateTime<Utc>,
    pub actor: Actor<'a>,
    pub action: &'static str,
    pub target: Option<&'a str>,
}

/// Who acted: a signed-in staff member, someone signing in, or an attempt
/// on an account (which may not exist) with no device yet.
pub enum Actor<'a> {
    Staff(&'a Staff),
    SigningIn {
        user_id: &'a str,
        device_id: &'a str,
    },
    Account {
        user_id: Option<&'a str>,
    },
}

pub async fn record(conn: &mut Conn, entry: Entry<'_>) -> Result<(), sqlx::Error> {
    let (user_id, device_id) = match entry.actor {
        Actor::Staff(staff) => (Some(staff.user_id.as_str()), Some(staff.device_id.as_str())),
        Actor::SigningIn { user_id, device_id } => (Some(user_id), Some(device_id)),
        Actor::Account { user_id } => (user_id, None),
    };
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, device_id, action, target) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(entry.at.to_rfc3339())
    .bind(user_id)
    .bind(device_id)
    .bind(entry.action)
    .bind(entry.target)
    .execute(conn)
    .await?;
    Ok(())
}
