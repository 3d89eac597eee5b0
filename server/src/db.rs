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
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use sqlx::{Decode, Encode};

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

/// Declares that `$stored` is stored as a `$column` (its SQL type); its
/// `Decode` and `Encode` say how it converts.
macro_rules! stored_as {
    ($stored:ty, $column:ty) => {
        impl sqlx::Type<Backend> for $stored {
            fn type_info() -> <Backend as sqlx::Database>::TypeInfo {
                <$column as sqlx::Type<Backend>>::type_info()
            }

            fn compatible(ty: &<Backend as sqlx::Database>::TypeInfo) -> bool {
                <$column as sqlx::Type<Backend>>::compatible(ty)
            }
        }
    };
}

/// A time as stored: RFC 3339 text in UTC, the one representation of every
/// time column (it sorts as text, and reads the same in both backends).
/// A value that does not parse is a corrupt row — a decode error, so a
/// 500, never a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct StoredTime(pub DateTime<Utc>);

impl From<DateTime<Utc>> for StoredTime {
    fn from(time: DateTime<Utc>) -> Self {
        StoredTime(time)
    }
}

stored_as!(StoredTime, String);

impl<'r> Decode<'r, Backend> for StoredTime {
    fn decode(value: <Backend as sqlx::Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<Backend>>::decode(value)?;
        Ok(StoredTime(
            DateTime::parse_from_rfc3339(text)?.with_timezone(&Utc),
        ))
    }
}

impl<'q> Encode<'q, Backend> for StoredTime {
    fn encode_by_ref(
        &self,
        buf: &mut <Backend as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<IsNull, BoxDynError> {
        <String as Encode<Backend>>::encode(self.0.to_rfc3339(), buf)
    }
}

/// A district number as stored (an integer); one out of range is a
/// corrupt row, like a time that does not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredDistrict(pub DistrictId);

impl From<DistrictId> for StoredDistrict {
    fn from(district: DistrictId) -> Self {
        StoredDistrict(district)
    }
}

stored_as!(StoredDistrict, i64);

impl<'r> Decode<'r, Backend> for StoredDistrict {
    fn decode(value: <Backend as sqlx::Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let number = <i64 as Decode<Backend>>::decode(value)?;
        Ok(StoredDistrict(DistrictId::new(u8::try_from(number)?)?))
    }
}

impl<'q> Encode<'q, Backend> for StoredDistrict {
    fn encode_by_ref(
        &self,
        buf: &mut <Backend as sqlx::Database>::ArgumentBuffer<'q>,
    ) -> Result<IsNull, BoxDynError> {
        <i64 as Encode<Backend>>::encode(i64::from(self.0.number()), buf)
    }
}

/// A unique constraint, as each backend names it when an insert breaks it.
/// PostgreSQL reports the constraint's (or unique index's) name; SQLite
/// only a message — "UNIQUE constraint failed: users.username" for a
/// column's constraint, "…: index 'name'" for an index on expressions.
#[derive(Debug, Clone, Copy)]
pub struct Unique {
    /// The constraint or index name (PostgreSQL calls an inline `UNIQUE`
    /// on `users.username` `users_username_key`).
    pub name: &'static str,
    /// The `table.column` list SQLite names instead.
    pub columns: &'static str,
}

impl Unique {
    /// `users.username`: one account per username.
    pub const USERNAME: Unique = Unique {
        name: "users_username_key",
        columns: "users.username",
    };

    /// Whether `error` is this constraint's violation, and not another's.
    pub fn is_violated_by(&self, error: &sqlx::Error) -> bool {
        let sqlx::Error::Database(error) = error else {
            return false;
        };
        if !error.is_unique_violation() {
            return false;
        }
        if let Some(name) = error.constraint() {
            return name == self.name;
        }
        match error.message().strip_prefix("UNIQUE constraint failed: ") {
            Some(named) => {
                named == self.columns
                    || named
                        .strip_prefix("index '")
                        .and_then(|rest| rest.strip_suffix('\''))
                        == Some(self.name)
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One connection: each in-memory connection is a database of its own.
    async fn in_memory() -> Db {
        SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .expect("an in-memory database")
    }

    /// A database with `users` as the migrations make it, in memory.
    async fn users_table() -> Db {
        let db = in_memory().await;
        sqlx::query("CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE)")
            .execute(&db)
            .await
            .expect("the table");
        db
    }

    async fn insert(db: &Db, id: &str, username: &str) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO users (id, username) VALUES (?, ?)")
            .bind(id)
            .bind(username)
            .execute(db)
            .await
            .map(|_| ())
    }

    #[tokio::test]
    async fn a_taken_username_is_told_from_other_unique_violations() {
        let db = users_table().await;
        insert(&db, "1", "door2").await.expect("the first");
        let taken = insert(&db, "2", "door2").await.expect_err("a clash");
        assert!(Unique::USERNAME.is_violated_by(&taken));
        let same_id = insert(&db, "1", "door3").await.expect_err("a clash");
        assert!(
            !Unique::USERNAME.is_violated_by(&same_id),
            "another constraint's violation is not a taken username"
        );
    }

    #[tokio::test]
    async fn a_time_is_stored_as_rfc_3339_text_and_read_back() {
        let db = in_memory().await;
        let time = DateTime::parse_from_rfc3339("2026-11-22T09:00:00Z")
            .expect("a time")
            .with_timezone(&Utc);
        let (text, back): (String, StoredTime) = sqlx::query_as("SELECT ?1, ?1")
            .bind(StoredTime(time))
            .fetch_one(&db)
            .await
            .expect("a row");
        assert_eq!(text, "2026-11-22T09:00:00+00:00");
        assert_eq!(back, StoredTime(time));
        let corrupt: Result<(StoredTime,), _> =
            sqlx::query_as("SELECT 'yesterday'").fetch_one(&db).await;
        assert!(corrupt.is_err(), "a time that does not parse is an error");
    }
}
