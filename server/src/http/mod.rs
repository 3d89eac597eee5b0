//! The HTTP surface: `/api/*` (a router per capability, merged here) and
//! the built client for every other path. Every response carries the
//! security headers.

pub mod client;
mod health;
mod json;
pub mod rate_limit;
mod security;

pub use json::ApiJson;
pub use security::CONTENT_SECURITY_POLICY;
mod static_files;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::error::ApiError;
use rate_limit::RateLimiter;

/// The largest request body the API accepts; registrations are a few KB.
const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: Clock,
    pub limits: Arc<Limits>,
    pub registration: Arc<crate::registration::Registrations>,
}

/// The rate limits of the public endpoints. Addresses are the client's
/// real one (`client::ClientKey`).
pub struct Limits {
    pub sign_in_by_address: RateLimiter,
    /// Wrong passwords for one account from one address: its owner
    /// elsewhere is not locked out by a stranger's guesses.
    pub sign_in_by_account_and_address: RateLimiter,
    /// Wrong passwords for one account from anywhere: the ceiling for a
    /// guesser with many addresses.
    pub sign_in_by_account: RateLimiter,
    pub registrations: RateLimiter,
    pub registrations_by_national_id: RateLimiter,
    pub registrations_by_mobile: RateLimiter,
    pub lookups_by_address: RateLimiter,
    /// Failed lookups of one code from one address (see `registration`).
    pub failed_lookups_by_code_and_address: RateLimiter,
}

/// Guessing a code's mobile needs many tries: ten failures an hour from one
/// address stops that while a citizen who mistypes the mobile still gets
/// through.
const FAILED_LOOKUPS_PER_CODE_PER_HOUR: u32 = 10;
/// Wrong passwords per account and address per quarter hour.
const WRONG_PASSWORDS_PER_ACCOUNT_AND_ADDRESS: u32 = 5;
/// Wrong passwords per account per quarter hour, from all addresses.
const WRONG_PASSWORDS_PER_ACCOUNT: u32 = 50;

impl Limits {
    pub fn from_config(config: &Config) -> Self {
        let hour = Duration::from_secs(3600);
        let quarter = Duration::from_secs(15 * 60);
        let per_person = config.registrations_per_person_per_hour;
        Limits {
            sign_in_by_address: RateLimiter::new(config.sign_ins_per_quarter_hour, quarter),
            sign_in_by_account_and_address: RateLimiter::new(
                WRONG_PASSWORDS_PER_ACCOUNT_AND_ADDRESS,
                quarter,
            ),
            sign_in_by_account: RateLimiter::new(WRONG_PASSWORDS_PER_ACCOUNT, quarter),
            registrations: RateLimiter::new(config.registrations_per_hour, hour),
            registrations_by_national_id: RateLimiter::new(per_person, hour),
            registrations_by_mobile: RateLimiter::new(per_person, hour),
            lookups_by_address: RateLimiter::new(config.lookups_per_hour, hour),
            failed_lookups_by_code_and_address: RateLimiter::new(
                FAILED_LOOKUPS_PER_CODE_PER_HOUR,
                hour,
            ),
        }
    }
}

pub fn router(state: AppState) -> Router {
    let config = state.config.clone();
    let api = Router::new()
        .merge(health::router())
        .merge(crate::registration::router())
        .merge(crate::auth::router())
        .merge(crate::admin::router())
        .merge(crate::sync::router())
        .merge(crate::checkin::router())
        .merge(crate::calls::router())
        .merge(crate::case_files::router())
        .merge(crate::trustees::router())
        .fallback(|| async { ApiError::NotFound })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // API answers carry personal data and session secrets (the CSRF
        // token in /auth/me, rosters in /sync/pull): no cache, the
        // browser's or a proxy's, may keep them (DESIGN §6).
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        // Static files are precompressed at build time; only API answers
        // are compressed on the fly — at a fast level: the default brotli
        // level is 11, which costs a pull page of a 500 KB roster most of a
        // second of CPU on every device's every sync, for a few percent.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)));
    Router::new()
        .nest("/api", api)
        .fallback_service(static_files::service(&config.dist_dir))
        .layer(middleware::from_fn_with_state(
            security::Headers::from_config(&config),
            security::headers,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
