//! `GET /api/health`: is the server up and its database reachable, and has
//! anything gone wrong that did not stop it — the registration writer
//! restarted, stored sync records that could not be read. For load
//! balancers, monitoring and the test harness.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use super::AppState;
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

async fn health(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    sqlx::query("SELECT 1").execute(&state.db).await?;
    Ok(Json(json!({
        "status": "ok",
        "database": "ok",
        "registration_writer": {
            "status": "ok",
            "restarts": state.registration.writer_restarts(),
        },
        "unreadable_sync_records": crate::sync::records::unreadable_count(),
        "version": env!("CARGO_PKG_VERSION"),
    })))
}
