//! The HTTP surface: `/api/*` (a router per capability, merged here) and
//! the built client for every other path. Every response carries the
//! security headers.

mod health;
mod security;

pub use security::CONTENT_SECURITY_POLICY;
mod static_files;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::db::Db;
use crate::error::ApiError;

/// The largest request body the API accepts; registrations are a few KB.
const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
}

pub fn router(state: AppState) -> Router {
    let config = state.config.clone();
    let api = Router::new()
        .merge(health::router())
        .fallback(|| async { ApiError::NotFound })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // Static files are precompressed at build time; only API answers
        // are compressed on the fly.
        .layer(CompressionLayer::new());
    Router::new()
        .nest("/api", api)
        .fallback_service(static_files::service(&config.dist_dir))
        .layer(middleware::from_fn(security::headers))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
