//! The citizen's registration on the server (DESIGN §2 step 1): submit,
//! look up, and the options the form offers. The rules are the domain's;
//! this module adds what only the server can know — the time, the other
//! requests of the same person, and who is asking how often.

pub mod queries;
mod writer;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use domain::person::Mobile;
use domain::registration::{
    LookupQuery, RegistrationOptions, Submission, TrackingCode, WindowRule,
};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::db::Db;
use crate::error::{ApiError, FieldError};
use crate::http::client::ClientKey;
use crate::http::{ApiJson, AppState};

pub use queries::StoredAnswer;
use writer::Writer;

/// The longest request id we accept: a UUID is 36 characters.
const REQUEST_ID_MAX_LEN: usize = 64;

/// How long the form rules read from the database are reused: a burst of
/// registrations should not query the deputies and districts for each one,
/// and an administrator's change still applies within seconds.
const RULES_TTL: Duration = Duration::from_secs(10);

/// The registration service's state: the group-commit writer and the form
/// rules last read.
pub struct Registrations {
    writer: Writer,
    rules: Mutex<Option<(Instant, Arc<FormRules>)>>,
}

/// The parts of the form's rules that are data: the deputy domains a topic
/// may name and the number of districts.
struct FormRules {
    topics: Vec<String>,
    district_count: u8,
}

impl Registrations {
    pub fn start(db: Db) -> Arc<Self> {
        Arc::new(Registrations {
            writer: Writer::start(db),
            rules: Mutex::new(None),
        })
    }

    async fn rules(&self, db: &Db) -> Result<Arc<FormRules>, ApiError> {
        if let Some((read_at, rules)) = &*self.lock_rules()
            && read_at.elapsed() < RULES_TTL
        {
            return Ok(rules.clone());
        }
        let rules = Arc::new(FormRules {
            topics: queries::topic_slugs(db).await?,
            district_count: queries::district_count(db).await?,
        });
        *self.lock_rules() = Some((Instant::now(), rules.clone()));
        Ok(rules)
    }

    /// How often the group-commit writer died and was started again.
    pub fn writer_restarts(&self) -> u64 {
        self.writer.restarts()
    }

    /// Kills the writer task (the tests of its supervisor).
    #[doc(hidden)]
    pub async fn crash_writer(&self) {
        self.writer.crash().await;
    }

    fn lock_rules(&self) -> std::sync::MutexGuard<'_, Option<(Instant, Arc<FormRules>)>> {
        self.rules
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/registrations", post(submit))
        .route("/registrations/lookup", post(lookup))
        .route("/registrations/options", get(options))
}

async fn submit(
    State(state): State<AppState>,
    client: ClientKey,
    ApiJson(submission): ApiJson<Submission>,
) -> Result<Response, ApiError> {
    if submission.request_id.len() > REQUEST_ID_MAX_LEN
        || uuid::Uuid::parse_str(&submission.request_id).is_err()
    {
        return Err(ApiError::BadRequest("request_id is not a UUID".into()));
    }
    // A retry gets its first answer before any other check: a request
    // accepted once must not be refused later by the limiter or a window
    // that has since closed.
    let mut connection = state.db.acquire().await?;
    if let Some(answer) = queries::stored_answer(&mut connection, &submission.request_id).await? {
        return Ok(answer.into_response());
    }
    drop(connection);
    let too_many = |retry_after| ApiError::TooManyRequests { retry_after };
    state
        .limits
        .registrations
        .check(client.as_str())
        .map_err(too_many)?;

    let rules = state.registration.rules(&state.db).await?;
    let topics: Vec<&str> = rules.topics.iter().map(String::as_str).collect();
    let registration = submission
        .form
        .validate(&topics, rules.district_count)
        .map_err(|errors| {
            ApiError::Invalid(
                errors
                    .iter()
                    .map(|error| FieldError::new(error.field().name(), error))
                    .collect(),
            )
        })?;
    // Per person as well as per address: the address limit is generous
    // (carriers' NAT), this is what stops a script that varies its address.
    // Counted per attempt, not per registration, so the answer says
    // nothing about whether this national ID registered before.
    state
        .limits
        .registrations_by_national_id
        .check(registration.national_id.as_str())
        .map_err(too_many)?;
    state
        .limits
        .registrations_by_mobile
        .check(registration.mobile.e164())
        .map_err(too_many)?;

    let now = state.clock.now();
    let window = window_rule(&state)
        .await?
        .accept(submission.made_at, now)
        .map_err(ApiError::Window)?;
    let request_id = submission.request_id.clone();
    let district = registration.district.number();
    let answer = state
        .registration
        .writer
        .record(submission, registration, window, now)
        .await?;
    tracing::info!(
        %request_id,
        window = %window.opens_on_date(),
        district,
        status = answer.status_code,
        "registration recorded"
    );
    Ok(answer.into_response())
}

/// A status lookup. Wrong guesses are counted per (code, address): ten
/// from one address shut that address out of that code, while the owner —
/// anywhere else — keeps looking it up. The per-address limit counts every
/// lookup.
async fn lookup(
    State(state): State<AppState>,
    client: ClientKey,
    ApiJson(query): ApiJson<LookupQuery>,
) -> Result<Response, ApiError> {
    let too_many = |retry_after| ApiError::TooManyRequests { retry_after };
    state
        .limits
        .lookups_by_address
        .check(client.as_str())
        .map_err(too_many)?;
    // Malformed input answers exactly like an unknown code: nothing here
    // may tell a guesser which half was wrong.
    let (Ok(code), Ok(mobile)) = (
        TrackingCode::parse(&query.tracking_code),
        Mobile::parse(&query.mobile),
    ) else {
        return Err(ApiError::NotFound);
    };
    let guesses = &state.limits.failed_lookups_by_code_and_address;
    let guess_key = format!("{}|{}", code.as_str(), client.as_str());
    if let Some(retry_after) = guesses.blocked(&guess_key) {
        return Err(too_many(retry_after));
    }
    match queries::lookup(&state.db, &code, &mobile).await? {
        Some(answer) => Ok(Json(answer).into_response()),
        None => {
            let _ = guesses.check(&guess_key);
            Err(ApiError::NotFound)
        }
    }
}

async fn options(State(state): State<AppState>) -> Result<Json<RegistrationOptions>, ApiError> {
    Ok(Json(RegistrationOptions {
        districts: queries::districts(&state.db).await?,
        deputies: queries::deputies(&state.db).await?,
        window: window_rule(&state).await?,
        server_time: state.clock.now(),
    }))
}

/// The window in force: the configuration's override, else what the
/// administrators saved, else the bylaw's default.
pub async fn window_rule(state: &AppState) -> Result<WindowRule, ApiError> {
    if let Some(rule) = &state.config.registration_window {
        return Ok(rule.clone());
    }
    Ok(queries::saved_window_rule(&state.db)
        .await?
        .unwrap_or_default())
}

impl IntoResponse for StoredAnswer {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status_code).unwrap_or(StatusCode::OK);
        (
            status,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            self.body,
        )
            .into_response()
    }
}
