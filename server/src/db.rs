//! The database: SQLite in a file by default, set up for durability — WAL,
//! `synchronous=FULL` (an acknowledged write survives power loss), foreign
//! keys on, and a busy timeout so concurrent writers wait instead of failing.
//!
//! The backend is named here and nowhere else: every other module speaks of
//! [`Db`], [`Conn`], [`Tx`] and [`DbRow`], so supporting PostgreSQL (DESIGN
//! §4) changes this file and the few dialect-specific queries, not every
//! module that touches the database.

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use domain::district::DistrictId;
use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::error::ApiError;

/// The database the server runs on.
pub type Backend = sqlx::Sqlite;
/// The connection pool, shared by every request.
pub type Db = sqlx::Pool<Backend>;
/// One connection: what query functions take, from the pool or a transaction.
pub type Conn = <Backend as sqlx::Database>::Connection;
/// A transaction (derefs to a [`Conn`]).
pub type Tx<'c> = sqlx::Transaction<'c, Backend>;
/// A row as the backend returns it.
pub type DbRow = <Backend as sqlx::Database>::Row;

/// A transaction that writes, with the write lock taken at its start.
///
/// SQLite's plain `BEGIN` takes the lock at the first write, and a reader
/// that becomes a writer then fails with `SQLITE_BUSY` instead of waiting.
/// Writers that take a change number (see `sync::records`) need the lock
/// first too, so numbers commit in order. PostgreSQL will lock rows instead.
pub async fn begin_write(db: &Db) -> Result<Tx<'static>, sqlx::Error> {
    db.begin_with("BEGIN IMMEDIATE").await
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("cannot create the data directory: {0}")]
    DataDir(#[source] std::io::Error),
    #[error("migrations failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub async fn connect(database_url: &str) -> Result<Db, DbError> {
    let options = SqliteConnectOptions::from_str(database_url)
        .map_err(DbError::Connect)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(DbError::Connect)
}

/// Brings the schema up to date; safe to run at every start.
pub async fn migrate(db: &Db) -> Result<(), DbError> {
    sqlx::migrate!("./migrations").run(db).await?;
    Ok(())
}

/// A time column as the server writes them (RFC 3339, UTC). A value that
/// does not parse is a corrupt row: an internal error, never a guess.
pub fn time_column(row: &DbRow, column: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(row.get(column))
        .map(|time| time.with_timezone(&Utc))
        .map_err(|_| corrupt(column))
}

/// A district number column.
pub fn district_column(row: &DbRow, column: &str) -> Result<DistrictId, ApiError> {
    u8::try_from(row.get::<i64, _>(column))
        .ok()
        .and_then(|number| DistrictId::new(number).ok())
        .ok_or_else(|| corrupt(column))
}

fn corrupt(column: &str) -> ApiError {
    ApiError::Internal(format!("a stored {column} does not parse"))
}
