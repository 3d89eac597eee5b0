//! `sms_outbox`: messages queued in the transaction of what caused them,
//! and the sender that delivers them. Once-only twice over: queueing is
//! keyed (`dedupe_key`), and a message is handed to the provider with its
//! row's id as the provider's local id — a crash after the provider took
//! it but before `sent` was stored leaves the row `sending`; when its
//! lease ends it is sent again and the provider, knowing the id, does not
//! deliver it twice.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use domain::calls::SmsMessage;
use domain::ids::RegistrationId;
use domain::person::Mobile;

use super::{Gateway, GatewayError, Outgoing};
use crate::clock::Clock;
use crate::db::{self, Conn, Db, StoredTime};

/// How long a message handed to the gateway is left to it before it
/// counts as not sent (the send timed out, or the server stopped).
const LEASE: TimeDelta = TimeDelta::minutes(2);
/// After this many tries a message is left as failed, for an
/// administrator to read why.
pub const MAX_ATTEMPTS: i64 = 8;
/// Messages handed to the gateway per round.
const BATCH: u16 = 20;

/// A message to queue.
pub struct NewSms<'a> {
    /// What makes it once-only: `invitation/{meeting}/{registration}` (or
    /// `…/{trustee}`).
    pub dedupe_key: &'a str,
    pub registration: Option<&'a RegistrationId>,
    pub mobile: &'a str,
    pub body: &'a str,
}

/// Queues `sms` unless its key was queued before; whether it was new.
pub async fn queue(
    conn: &mut Conn,
    sms: &NewSms<'_>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO sms_outbox (dedupe_key, registration_id, mobile, body, queued_at, state, next_attempt_at) \
         VALUES (?, ?, ?, ?, ?, 'queued', ?) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(sms.dedupe_key)
    .bind(sms.registration.map(RegistrationId::as_str))
    .bind(sms.mobile)
    .bind(sms.body)
    .bind(StoredTime(now))
    .bind(StoredTime(now))
    .execute(conn)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// How long to wait after the `attempts`-th failed try: half a minute,
/// doubling, at most an hour.
pub fn backoff(attempts: i64) -> TimeDelta {
    let doublings = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    (TimeDelta::seconds(30) * 2_i32.pow(doublings)).min(TimeDelta::hours(1))
}

#[derive(sqlx::FromRow)]
struct DueRow {
    id: i64,
    mobile: String,
    body: String,
    attempts: i64,
}

/// Takes the messages due at `now` — queued and due, or sending with their
/// lease over — and leases them to this sender.
async fn take_due(db: &Db, now: DateTime<Utc>) -> Result<Vec<DueRow>, sqlx::Error> {
    let mut tx = db::begin_write(db).await?;
    let rows: Vec<DueRow> = sqlx::query_as(
        "SELECT id, mobile, body, attempts + 1 AS attempts FROM sms_outbox \
         WHERE state IN ('queued', 'sending') AND next_attempt_at <= ? ORDER BY id LIMIT ?",
    )
    .bind(StoredTime(now))
    .bind(i64::from(BATCH))
    .fetch_all(&mut *tx)
    .await?;
    for row in &rows {
        sqlx::query(
            "UPDATE sms_outbox SET state = 'sending', attempts = ?, next_attempt_at = ? WHERE id = ?",
        )
        .bind(row.attempts)
        .bind(StoredTime(now + LEASE))
        .bind(row.id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(rows)
}

/// What became of one try.
async fn settle(
    db: &Db,
    row: &DueRow,
    outcome: Result<String, GatewayError>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let mut conn = db.acquire().await?;
    match outcome {
        Ok(reference) => {
            sqlx::query(
                "UPDATE sms_outbox SET state = 'sent', sent_at = ?, provider_ref = ?, last_error = NULL WHERE id = ?",
            )
            .bind(StoredTime(now))
            .bind(reference)
            .bind(row.id)
            .execute(&mut *conn)
            .await?;
        }
        Err(error) => {
            let gives_up =
                matches!(error, GatewayError::Permanent(_)) || row.attempts >= MAX_ATTEMPTS;
            tracing::warn!(sms = row.id, attempts = row.attempts, gives_up, %error, "an sms was not sent");
            sqlx::query(
                "UPDATE sms_outbox SET state = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
            )
            .bind(if gives_up { "failed" } else { "queued" })
            .bind(StoredTime(now + backoff(row.attempts)))
            .bind(error.to_string())
            .bind(row.id)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Sends what is due at `now`; how many were handed to the gateway.
pub async fn deliver_due(
    db: &Db,
    gateway: &Gateway,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let due = take_due(db, now).await?;
    for row in &due {
        let message = Outgoing {
            local_id: row.id,
            mobile: row.mobile.clone(),
            body: row.body.clone(),
        };
        let outcome = gateway.send(&message).await;
        settle(db, row, outcome, now).await?;
    }
    Ok(due.len())
}

/// The background sender: a round every `every` from `every` after the
/// start, for as long as the server runs. A failed round (the database
/// busy) is logged and the next one tries again.
pub fn start(db: Db, gateway: Gateway, clock: Clock, every: Duration) {
    tokio::spawn(async move {
        let first = tokio::time::Instant::now() + every;
        let mut ticks = tokio::time::interval_at(first, every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            // A full batch may have more behind it: go on at once.
            loop {
                match deliver_due(&db, &gateway, clock.now()).await {
                    Ok(handed) if handed == usize::from(BATCH) => continue,
                    Ok(_) => break,
                    Err(error) => {
                        tracing::error!(%error, "the sms sender's round failed");
                        break;
                    }
                }
            }
        }
    });
}

#[derive(sqlx::FromRow)]
struct ListedRow {
    id: i64,
    mobile: String,
    body: String,
    queued_at: StoredTime,
    state: String,
    attempts: i64,
    sent_at: Option<StoredTime>,
    last_error: Option<String>,
}

/// The latest `limit` messages, newest first, the numbers masked.
pub async fn recent(conn: &mut Conn, limit: i64) -> Result<Vec<SmsMessage>, sqlx::Error> {
    let rows: Vec<ListedRow> = sqlx::query_as(
        "SELECT id, mobile, body, queued_at, state, attempts, sent_at, last_error \
         FROM sms_outbox ORDER BY id DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| SmsMessage {
            id: row.id,
            mobile: Mobile::parse(&row.mobile)
                .map(|m| m.masked())
                .unwrap_or_default(),
            body: row.body,
            queued_at: row.queued_at.0,
            state: row.state,
            attempts: row.attempts,
            sent_at: row.sent_at.map(|t| t.0),
            last_error: row.last_error,
        })
        .collect())
}
