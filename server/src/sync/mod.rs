//! Sync (DESIGN §5): devices push the commands their users made, and pull
//! the records that changed. Every staff capability that works offline
//! goes through here; the rules themselves live in `domain::sync`.

mod pull;
mod push;
mod queries;
pub mod records;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::http::AppState;

pub use push::may_make;

/// A push carries up to `MAX_PUSH_BATCH` commands of a few hundred bytes.
const MAX_PUSH_BYTES: usize = 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/sync/push",
            post(push::push).layer(DefaultBodyLimit::max(MAX_PUSH_BYTES)),
        )
        .route("/sync/pull", get(pull::pull))
}
