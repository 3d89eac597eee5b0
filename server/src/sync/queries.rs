//! The pushed commands' queries: each command id stored once, with its
//! outcome (the records themselves are `records`'). Spans name command
//! ids, never a command's content.

use chrono::{DateTime, Utc};
use domain::ids::{DeviceId, UserId};

use crate::db::{Conn, StoredTime};

/// A command as stored, with whose it is.
#[derive(sqlx::FromRow)]
pub struct StoredCommand {
    #[sqlx(try_from = "String")]
    pub user_id: UserId,
    #[sqlx(try_from = "String")]
    pub device_id: DeviceId,
    /// The `Outcome` given, as JSON.
    pub outcome: String,
}

#[tracing::instrument(skip(conn))]
pub async fn command(conn: &mut Conn, id: &str) -> Result<Option<StoredCommand>, sqlx::Error> {
    sqlx::query_as("SELECT user_id, device_id, outcome FROM sync_commands WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub struct NewCommand<'a> {
    pub id: &'a str,
    pub user_id: &'a str,
    pub device_id: &'a str,
    pub kind: &'a str,
    /// The `Command`, as JSON.
    pub body: &'a str,
    /// The `Outcome`, as JSON.
    pub outcome: &'a str,
    pub made_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
}

#[tracing::instrument(skip_all, fields(command = command.id, kind = command.kind))]
pub async fn insert_command(conn: &mut Conn, command: &NewCommand<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sync_commands (id, user_id, device_id, kind, body, outcome, made_at, received_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(command.id)
    .bind(command.user_id)
    .bind(command.device_id)
    .bind(command.kind)
    .bind(command.body)
    .bind(command.outcome)
    .bind(StoredTime(command.made_at))
    .bind(StoredTime(command.received_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether the city has this deputy domain: the one rule of a screening
/// that only the server's data can check.
#[tracing::instrument(skip(conn))]
pub async fn deputy_exists(conn: &mut Conn, slug: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM deputies WHERE slug = ?")
        .bind(slug)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}
