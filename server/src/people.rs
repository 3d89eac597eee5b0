//! The people the server knows by national ID, each with a random key
//! (`domain::ids::PersonKey`) that synced records carry instead: a
//! committee's device matches a request to its citizen's case files and
//! earlier requests, and never holds the national ID.

use domain::ids::PersonKey;
use domain::person::NationalId;

use crate::db::Conn;
use crate::error::ApiError;

/// The key of the person with `national_id`, made on first meeting.
pub async fn key_of(conn: &mut Conn, national_id: &NationalId) -> Result<PersonKey, ApiError> {
    let fresh = PersonKey::new_v7(chrono::DateTime::UNIX_EPOCH, rand::random());
    // One statement, so two writers meeting the same person agree.
    sqlx::query("INSERT INTO people (national_id, person_key) VALUES (?, ?) ON CONFLICT (national_id) DO NOTHING")
        .bind(national_id.as_str())
        .bind(fresh.as_str())
        .execute(&mut *conn)
        .await?;
    let key: String = sqlx::query_scalar("SELECT person_key FROM people WHERE national_id = ?")
        .bind(national_id.as_str())
        .fetch_one(&mut *conn)
        .await?;
    PersonKey::parse(&key)
        .map_err(|_| ApiError::Internal("a stored person key does not parse".into()))
}
